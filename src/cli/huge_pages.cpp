#include "cli/huge_pages.h"

#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace ktriage {
namespace {

constexpr std::uintmax_t kLargeFileBytes = 64u << 20;
constexpr std::uintmax_t kLargeFolderBytes = 256u << 20;
constexpr int kMaxFolderEntries = 10000;

// Recursive, as `kubectl cluster-info dump` writes a folder per namespace; stops after
// kMaxFolderEntries entries, so a huge tree costs no more than a glance.
bool large_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::uintmax_t total = 0;
  int seen = 0;
  for (std::filesystem::recursive_directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (++seen > kMaxFolderEntries) break;
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    const std::uintmax_t size = it->file_size(size_ec);
    if (size_ec) continue;
    total += size;
    if (total >= kLargeFolderBytes) return true;
  }
  return false;
}

}  // namespace

bool names_large_input(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-") {
      // Standard input redirected from a large file: not read yet, so it survives the exec.
      struct stat in {};
      if (::fstat(STDIN_FILENO, &in) == 0 && S_ISREG(in.st_mode) &&
          static_cast<std::uintmax_t>(in.st_size) >= kLargeFileBytes) {
        return true;
      }
      continue;
    }
    if (arg.empty() || arg.front() == '-') continue;
    std::error_code ec;
    const std::filesystem::path path(arg);
    const auto status = std::filesystem::status(path, ec);
    if (ec) continue;
    if (std::filesystem::is_regular_file(status)) {
      const std::uintmax_t size = std::filesystem::file_size(path, ec);
      if (!ec && size >= kLargeFileBytes) return true;
    } else if (std::filesystem::is_directory(status) && large_folder(path)) {
      return true;
    }
  }
  return false;
}

namespace {

// Set in the re-executed process's environment: the marker that stops a second exec (glibc in
// secure mode drops GLIBC_TUNABLES, so that cannot be the marker), holding the process id, which
// exec keeps: a program ktriage starts inherits the variable but has another id, so it is inert
// there. And the user's own GLIBC_TUNABLES, put back once glibc has read it, so that the
// programs ktriage starts (exec credential plugins, the aliyun CLI) get the user's value.
constexpr const char* kMarker = "KTRIAGE_REEXECUTED";
constexpr const char* kUserTunables = "KTRIAGE_USER_GLIBC_TUNABLES";

void restore_user_tunables() {
  if (const char* user = std::getenv(kUserTunables); user != nullptr) {
    ::setenv("GLIBC_TUNABLES", user, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
  ::unsetenv(kUserTunables);
}

std::string this_process_id() { return std::to_string(::getpid()); }

}  // namespace

bool reexecuted_with_huge_pages() {
  const char* marker = std::getenv(kMarker);
  return marker != nullptr && marker == this_process_id();
}

void reexec_with_huge_pages(char** argv) {
#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
  if (reexecuted_with_huge_pages()) {
    restore_user_tunables();
    return;
  }
  if (std::getenv("KTRIAGE_NO_REEXEC") != nullptr) return;
  // Secure mode (setuid, file capabilities): glibc ignores the tunable. No interpreter (started
  // as `ld.so ./ktriage`, or a static build): /proc/self/exe is not ktriage, or nothing gains.
  if (::getauxval(AT_SECURE) != 0 || ::getauxval(AT_BASE) == 0) return;
  const char* existing = std::getenv("GLIBC_TUNABLES");
  const std::string before = existing != nullptr ? existing : "";
  // The user's own choice, on or off, stands.
  if (before.find("glibc.malloc.hugetlb") != std::string::npos) return;
  std::string tunables = before;
  if (!tunables.empty()) tunables += ':';
  tunables += "glibc.malloc.hugetlb=1";
  // The binary's own path, not /proc/self/exe: exec names the process after the file, and
  // `pgrep ktriage` or `top` would otherwise show "exe".
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec || self.empty()) return;
  if (existing != nullptr && ::setenv(kUserTunables, before.c_str(), 1) != 0) return;
  if (::setenv(kMarker, this_process_id().c_str(), 1) != 0 ||
      ::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) {
    ::unsetenv(kMarker);
    restore_user_tunables();
    return;
  }
  ::execv(self.c_str(), argv);
  // The binary was replaced or removed since it started: run on as we are, environment as it was.
  ::unsetenv(kMarker);
  restore_user_tunables();
#else
  (void)argv;
#endif
}

}  // namespace ktriage
