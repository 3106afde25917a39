// The re-execution with huge pages (cli/huge_pages.h): which command lines take it, and that a run
// that does gives the same output as one that does not, standard input included.
#include "cli/huge_pages.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "live/temp_dir.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

// A sparse file of `bytes` zeros in `dir`: its size counts, it takes no disk.
std::string sparse_file(const testing::TempDir& dir, const std::string& name,
                        std::uintmax_t bytes) {
  const std::string file = dir.write(name, "");
  fs::resize_file(file, bytes);
  return file;
}

bool large(std::vector<std::string> args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("ktriage"));
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return names_large_input(static_cast<int>(argv.size()) - 1, argv.data());
}

constexpr std::uintmax_t kMiB = 1u << 20;

TEST(HugePagesTest, AFileOf64MiBOrMoreIsLarge) {
  testing::TempDir dir;
  const std::string big = sparse_file(dir, "pods.json", 64 * kMiB);
  const std::string small = sparse_file(dir, "nodes.json", 64 * kMiB - 1);
  EXPECT_TRUE(large({"diagnose", "-o", "json", big}));
  EXPECT_FALSE(large({"diagnose", "-o", "json", small}));
}

TEST(HugePagesTest, AFolderIsLargeByTheFilesInItAndBelowIt) {
  testing::TempDir dir;
  sparse_file(dir, "pods.json", 60 * kMiB);
  sparse_file(dir, "events.json", 60 * kMiB);
  sparse_file(dir, "replicasets.json", 60 * kMiB);
  EXPECT_FALSE(large({"diagnose", dir.path()}));  // 180 MiB
  sparse_file(dir, "deployments.json", 60 * kMiB);
  sparse_file(dir, "services.json", 20 * kMiB);
  EXPECT_TRUE(large({"diagnose", dir.path()}));  // 260 MiB

  testing::TempDir nested;
  sparse_file(nested, "shop/pods.json", 63 * kMiB);
  sparse_file(nested, "shop/events.json", 63 * kMiB);
  EXPECT_FALSE(large({"diagnose", nested.path()}));  // 126 MiB
  sparse_file(nested, "kube-system/pods.json", 200 * kMiB);
  EXPECT_TRUE(large({"diagnose", nested.path()}));  // cluster-info dump's folder per namespace
}

TEST(HugePagesTest, FlagsStandardInputAndMissingPathsAreNotLarge) {
  testing::TempDir dir;
  const std::string big = sparse_file(dir, "pods.json", 64 * kMiB);
  EXPECT_FALSE(large({}));
  EXPECT_FALSE(large({"diagnose", "-", "--kubeconfig=" + big}));
  EXPECT_FALSE(large({"diagnose", dir.path() + "/missing.json"}));
}

// Standard output and exit status of a shell command line.
std::pair<std::string, int> shell(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return {"", -1};
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;)
    out.append(buf.data(), n);
  const int status = ::pclose(p);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

TEST(HugePagesTest, ARunThatReExecutesKeepsItsArgumentsAndStandardInput) {
  testing::TempDir dir;
  // Zeros are not a snapshot: the file is skipped with an input problem, which is reported too.
  const std::string big = sparse_file(dir, "padding.bin", 64 * kMiB);
  const std::string example = testing::source_dir() + "/examples/node-failure";
  const std::string err = dir.file("err.txt");
  const std::string tail = std::string(KTRIAGE_BINARY) +
                           " diagnose -o json --timings --now 2026-12-01T00:00:00Z '" + big +
                           "' - < '" + example + "/pods.yaml' 2>'" + err + "'";
  const std::string clean = "env -u KTRIAGE_NO_REEXEC -u KTRIAGE_REEXECUTED -u GLIBC_TUNABLES ";
  constexpr std::string_view kSaid = "re-executed with glibc.malloc.hugetlb=1";

  const auto with = shell(clean + tail);
  EXPECT_NE(testing::read_file(err).find(kSaid), std::string::npos) << testing::read_file(err);
  const auto without = shell(clean + "KTRIAGE_NO_REEXEC=1 " + tail);
  EXPECT_EQ(testing::read_file(err).find(kSaid), std::string::npos);
  // A user's own setting of the tunable stands: no exec.
  const auto user_off = shell(clean + "GLIBC_TUNABLES=glibc.malloc.hugetlb=0 " + tail);
  EXPECT_EQ(testing::read_file(err).find(kSaid), std::string::npos);

  EXPECT_EQ(with.second, without.second);
  EXPECT_NE(with.first.find("padding.bin"), std::string::npos) << with.first;
  EXPECT_NE(with.first.find("\"findings\""), std::string::npos) << with.first;
  EXPECT_EQ(with.first, without.first);
  EXPECT_EQ(user_off.first, without.first);
}

TEST(HugePagesTest, TheReExecutedProcessPutsTheUsersTunablesBack) {
  // A marker inherited from a ktriage that started this one is not this process's own: a
  // small input is not reported as re-executed.
  testing::TempDir dir;
  const std::string err = dir.file("err.txt");
  const auto inherited = shell("env KTRIAGE_REEXECUTED=1 " + std::string(KTRIAGE_BINARY) +
                               " diagnose '" + testing::source_dir() +
                               "/examples/healthy' --timings -o json >/dev/null 2>'" + err + "'");
  EXPECT_EQ(inherited.second, 0);
  EXPECT_NE(testing::read_file(err).find("timing: load"), std::string::npos);
  EXPECT_EQ(testing::read_file(err).find("re-executed"), std::string::npos);
  // What the re-executed process sees at start: its marker and the user's value saved aside.
  char user[] = "KTRIAGE_USER_GLIBC_TUNABLES=glibc.malloc.arena_max=2";
  char tunables[] = "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1";
  std::string marker = "KTRIAGE_REEXECUTED=" + std::to_string(::getpid());
  ::putenv(user);
  ::putenv(tunables);
  ::putenv(marker.data());
  char* argv[] = {const_cast<char*>("ktriage"), nullptr};
  reexec_with_huge_pages(argv);  // returns: this is the re-executed process
  ASSERT_NE(std::getenv("GLIBC_TUNABLES"), nullptr);
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.arena_max=2");
  EXPECT_EQ(std::getenv("KTRIAGE_USER_GLIBC_TUNABLES"), nullptr);
  EXPECT_TRUE(reexecuted_with_huge_pages());
  // Inherited by a program ktriage starts, the marker names another process: inert there.
  ::setenv("KTRIAGE_REEXECUTED", "1", 1);
  EXPECT_FALSE(reexecuted_with_huge_pages());
  ::unsetenv("GLIBC_TUNABLES");
  ::unsetenv("KTRIAGE_REEXECUTED");
}

TEST(HugePagesTest, StandardInputFromALargeFileIsLarge) {
  testing::TempDir dir;
  const std::string big = sparse_file(dir, "pods.json", 64 * kMiB);
  const int saved = ::dup(STDIN_FILENO);
  const int file = ::open(big.c_str(), O_RDONLY);
  ASSERT_GE(file, 0);
  ::dup2(file, STDIN_FILENO);
  ::close(file);
  const bool with_dash = large({"diagnose", "-"});
  const bool without_dash = large({"diagnose", "examples/healthy"});
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  EXPECT_TRUE(with_dash);
  EXPECT_FALSE(without_dash);
}

}  // namespace
}  // namespace ktriage
