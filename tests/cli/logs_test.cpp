// `ktriage logs` as a user runs it: a folder with planted failures in text and JSON, standard
// input, exit codes, and errors for bad flags and bad signature files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;
// Every run uses the fixed signatures of tests/logs/testdata, not the built-in file.
testing::CommandResult run_logs(const std::string& args, const std::string& cwd) {
  return testing::run_ktriage("logs --no-builtin --signatures '" + testing::source_dir() +
                                  "/tests/logs/testdata/signatures.yaml' " + args,
                              cwd);
}

class LogsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ktriage-logs-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    write("planted/nodes/n1/kubelet.log",
          "I1129 10:40:00.000001    1234 kubelet.go:100] \"Starting kubelet\"\n"
          "E1129 10:41:02.123456    1234 kubelet.go:2386] \"Skipping pod synchronization\" "
          "err=\"PLEG is not healthy: pleg was last seen active 3m5.1s ago; threshold is 3m0s\"\n"
          "E1129 10:44:02.123456    1234 kubelet.go:2386] \"Skipping pod synchronization\" "
          "err=\"PLEG is not healthy: pleg was last seen active 6m5.1s ago; threshold is 3m0s\"\n");
    write("planted/logs/shop/web-1/web.log",
          "2026-11-29T10:39:00.000000000Z stdout F Started WebApplication in 3.2 seconds\n"
          "2026-11-29T10:39:30.000000000Z stderr F Exception in thread \"main\" "
          "java.lang.OutOfMemoryError: Java heap space\n");
    write("planted/journal.txt",
          "Nov 29 10:38:00 n1 kernel: Out of memory: Killed process 4321 (java) total-vm:1kB\n");
    write("planted/binary.bin", std::string("\x7f"
                                            "ELF\0\0\0\x01 some bytes\n\0\0",
                                            22));
    write("healthy/app.log", "all good\nstill good\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& bytes) {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
  std::string dir() const { return dir_.string(); }
  fs::path dir_;
};

TEST_F(LogsCliTest, TextReportOfPlantedFailures) {
  auto r = run_logs("planted", dir());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string& out = r.out;
  EXPECT_NE(out.find("3 known failures found in the logs"), std::string::npos) << out;
  EXPECT_NE(out.find("✗ CRITICAL  kubelet-pleg-not-healthy  [NODE-NOT-READY-PLEG]"),
            std::string::npos);
  EXPECT_NE(out.find("2 lines (kubelet), first 2026-11-29T10:41:02Z, last 2026-11-29T10:44:02Z"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("planted/nodes/n1/kubelet.log:2: E1129 10:41:02.123456    1234 kubelet.go:2386]"),
      std::string::npos);
  EXPECT_NE(out.find("✗ CRITICAL  app-java-out-of-memory  [APP-JAVA-OUT-OF-MEMORY]"),
            std::string::npos);
  EXPECT_NE(out.find("planted/logs/shop/web-1/web.log:2: Exception in thread"), std::string::npos);
  EXPECT_NE(out.find("! WARNING   kernel-oom-kill"), std::string::npos);
  EXPECT_NE(out.find("fix:      Check the runtime"), std::string::npos);
  // The timeline is in time order: kernel 10:38, java 10:39, PLEG 10:41.
  std::size_t timeline = out.find("Timeline");
  ASSERT_NE(timeline, std::string::npos);
  std::size_t k = out.find("kernel-oom-kill", timeline), j = out.find("app-java", timeline),
              p = out.find("kubelet-pleg", timeline);
  EXPECT_LT(k, j);
  EXPECT_LT(j, p);
  EXPECT_NE(out.find("planted/binary.bin: 2 binary lines skipped"), std::string::npos) << out;
}

TEST_F(LogsCliTest, JsonUsesTheFindingsSchema) {
  auto r = run_logs("planted -o json", dir());
  EXPECT_EQ(r.exit_code, 1);
  std::string padded = r.out + std::string(kJsonPadding, '\0');
  Arena arena;
  Value root;
  auto errors = read_json(std::string_view(padded.data(), r.out.size()), arena,
                          [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  ASSERT_TRUE(errors.empty()) << r.out;
  EXPECT_EQ(root["schemaVersion"].as_int(), 1);
  std::set<std::string> seen;
  for (const Value& f : root["findings"].items()) {
    std::string key = std::string(f["rule"].str()) + " " + std::string(f["catalog"].str()) + " " +
                      std::string(f["object"]["kind"].str()) + "/" +
                      std::string(f["object"]["name"].str());
    seen.insert(key);
    EXPECT_FALSE(f["fix"].str().empty());
    EXPECT_EQ(f["evidence"][1]["type"].str(), "log");
    EXPECT_GT(f["evidence"][1]["line"].as_int(), 0);
  }
  EXPECT_EQ(seen, (std::set<std::string>{
                      "kubelet-pleg-not-healthy NODE-NOT-READY-PLEG Node/n1",
                      "app-java-out-of-memory APP-JAVA-OUT-OF-MEMORY Pod/web-1",
                      "kernel-oom-kill POD-CRASH-OOMKILLED File/planted/journal.txt"}));
}

TEST_F(LogsCliTest, HealthyLogsExitZero) {
  auto r = run_logs("healthy", dir());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("No known failure found in the logs (1 file, 2 lines"), std::string::npos)
      << r.out;
}

TEST_F(LogsCliTest, StandardInputAndComponent) {
  auto r = run_logs("- --component etcd < planted/journal.txt", dir());
  EXPECT_EQ(r.exit_code, 1) << r.err;  // kernel signatures apply to every non-app log
  auto app = run_logs("- --component app < planted/journal.txt", dir());
  EXPECT_EQ(app.exit_code, 0) << app.out;
}

TEST_F(LogsCliTest, SinceAndUntil) {
  auto r =
      run_logs("planted --since 2026-11-29T10:40:00Z --until 2026-11-29T10:42:00Z -o json", dir());
  EXPECT_NE(r.out.find("kubelet-pleg-not-healthy"), std::string::npos);
  EXPECT_EQ(r.out.find("kernel-oom-kill"), std::string::npos);
  EXPECT_EQ(r.out.find("app-java"), std::string::npos);
  EXPECT_EQ(run_logs("planted --since 1h", dir()).exit_code, 0);  // all older
}

TEST_F(LogsCliTest, UsageErrors) {
  EXPECT_EQ(testing::run_ktriage("logs", dir()).exit_code, 2);
  EXPECT_EQ(run_logs("planted --component nginx", dir()).exit_code, 2);
  EXPECT_EQ(run_logs("planted --since yesterday", dir()).exit_code, 2);
  EXPECT_EQ(run_logs("planted -o xml", dir()).exit_code, 2);
  EXPECT_EQ(run_logs("nothing-here", dir()).exit_code, 2);
  EXPECT_EQ(testing::run_ktriage("logs --help", dir()).exit_code, 0);
}

TEST_F(LogsCliTest, FollowPrintsMatchesAsTheyCome) {
  write("grow.log", "panic: first\n");
  // ktriage runs for 3 s (timeout stops it); a line is appended after 1 s.
  std::thread appender([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    std::ofstream(dir_ / "grow.log", std::ios::app) << "panic: second\n";
  });
  std::string cmd = "cd '" + dir() + "' && timeout 3 " + std::string(KTRIAGE_BINARY) +
                    " logs --no-builtin --signatures '" + testing::source_dir() +
                    "/tests/logs/testdata/signatures.yaml' -f grow.log 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  appender.join();
  EXPECT_NE(out.find("time unknown  critical  app-go-panic  grow.log:1: panic: first\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("app-go-panic  grow.log:2: panic: second\n"), std::string::npos) << out;
  EXPECT_EQ(run_logs("-f planted", dir()).exit_code, 2);  // one file only
}

TEST_F(LogsCliTest, UserSignatures) {
  write("mine.yaml",
        "version: 1\nsignatures:\n- id: web-started\n  component: app\n  severity: info\n"
        "  pattern: 'Started WebApplication'\n  catalog: ''\n  meaning: It started.\n"
        "  fix: Nothing.\n");
  auto r = run_logs("planted/logs --signatures mine.yaml", dir());
  EXPECT_NE(r.out.find("i INFO      web-started  [no catalog entry]"), std::string::npos) << r.out;
  write("bad.yaml",
        "version: 1\nsignatures:\n- id: broken\n  component: app\n  severity: info\n"
        "  pattern: 'unclosed ('\n  meaning: x\n  fix: y\n");
  auto bad = run_logs("planted --signatures bad.yaml", dir());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.yaml:3:3: signature broken: pattern 'unclosed ('"), std::string::npos)
      << bad.err;
  // A user's catch-all may yield to a built-in signature; without the built-ins it names none.
  write("yields.yaml",
        "version: 1\nsignatures:\n- id: denied\n  component: app\n  severity: info\n"
        "  pattern: 'denied'\n  catalog: ''\n  meaning: x\n  fix: y\n"
        "  yields_to: [app-db-permission-denied]\n");
  auto with_builtin = testing::run_ktriage("logs planted/logs --signatures yields.yaml", dir());
  EXPECT_NE(with_builtin.exit_code, 2) << with_builtin.err;
  auto alone = run_logs("planted/logs --signatures yields.yaml", dir());  // --no-builtin
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.err.find("yields.yaml:3: signature denied: yields_to names "
                           "\"app-db-permission-denied\", which is not another signature's id"),
            std::string::npos)
      << alone.err;
}

}  // namespace
}  // namespace ktriage
