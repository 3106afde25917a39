// `make install` links ktriage as kubectl-triage; kubectl then runs it as `kubectl triage`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

TEST(KubectlPlugin, KubectlTriageRunsKtriage) {
  if (std::system("command -v kubectl >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "kubectl is not installed (scripts/bootstrap installs kubernetes-client)";
  std::string pattern = (fs::temp_directory_path() / "ktriage-plugin-XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  fs::create_symlink(KTRIAGE_BINARY, dir + "/kubectl-triage");
  const std::string cmd = "cd '" + testing::source_dir() + "' && PATH='" + dir +
                          "':\"$PATH\" kubectl triage diagnose examples/healthy 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;)
    out.append(buf.data(), n);
  const int status = ::pclose(p);
  fs::remove_all(dir);
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("No problems found"), std::string::npos) << out;
}

}  // namespace
}  // namespace ktriage
