// The re-execution with huge pages (cli/huge_pages.h): which command lines take it, and that a run
// that does gives the same output as one that does not, standard input included.
#include "cli/huge_pages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the temporary directory, removed with its contents.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "ktriage-huge-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  // A sparse file of `bytes` zeros: its size counts, it takes no disk.
  std::string sparse_file(const std::string& name, std::uintmax_t bytes) const {
    const std::string file = path_ + "/" + name;
    {
      std::FILE* f = std::fopen(file.c_str(), "w");
      std::fclose(f);
    }
    fs::resize_file(file, bytes);
    return file;
  }

 private:
  std::string path_;
};

bool large(std::vector<std::string> args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("ktriage"));
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return names_large_input(static_cast<int>(argv.size()) - 1, argv.data());
}

constexpr std::uintmax_t kMiB = 1u << 20;

TEST(HugePagesTest, AFileOf64MiBOrMoreIsLarge) {
  ScratchDir dir;
  const std::string big = dir.sparse_file("pods.json", 64 * kMiB);
  const std::string small = dir.sparse_file("nodes.json", 64 * kMiB - 1);
  EXPECT_TRUE(large({"diagnose", "-o", "json", big}));
  EXPECT_FALSE(large({"diagnose", "-o", "json", small}));
}

TEST(HugePagesTest, AFolderIsLargeByTheFilesDirectlyInIt) {
  ScratchDir dir;
  dir.sparse_file("pods.json", 60 * kMiB);
  dir.sparse_file("events.json", 60 * kMiB);
  dir.sparse_file("replicasets.json", 60 * kMiB);
  EXPECT_FALSE(large({"diagnose", dir.path()}));  // 180 MiB
  dir.sparse_file("deployments.json", 60 * kMiB);
  dir.sparse_file("services.json", 20 * kMiB);
  EXPECT_TRUE(large({"diagnose", dir.path()}));  // 260 MiB

  ScratchDir nested;
  fs::create_directory(nested.path() + "/shop");
  nested.sparse_file("shop/pods.json", 63 * kMiB);
  EXPECT_FALSE(large({"diagnose", nested.path()}));  // subfolders are not listed
}

TEST(HugePagesTest, FlagsStandardInputAndMissingPathsAreNotLarge) {
  ScratchDir dir;
  const std::string big = dir.sparse_file("pods.json", 64 * kMiB);
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
  ScratchDir dir;
  // Zeros are not a snapshot: the file is skipped with an input problem, which is reported too.
  const std::string big = dir.sparse_file("padding.bin", 64 * kMiB);
  const std::string example = testing::source_dir() + "/examples/node-failure";
  const std::string tail = std::string(KTRIAGE_BINARY) +
                           " diagnose -o json --now 2026-12-01T00:00:00Z '" + big + "' - < '" +
                           example + "/pods.yaml' 2>/dev/null";
  const auto with = shell("env -u KTRIAGE_NO_REEXEC -u GLIBC_TUNABLES " + tail);
  const auto without = shell("env KTRIAGE_NO_REEXEC=1 " + tail);
  EXPECT_EQ(with.second, without.second);
  EXPECT_NE(with.first.find("padding.bin"), std::string::npos) << with.first;
  EXPECT_NE(with.first.find("\"findings\""), std::string::npos) << with.first;
  EXPECT_EQ(with.first, without.first);
}

}  // namespace
}  // namespace ktriage
