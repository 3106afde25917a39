// The human report of `ktriage logs`.
#include "logs/text.h"

#include <gtest/gtest.h>

#include "logs/report_fixture.h"

namespace ktriage::logs {
namespace {

TEST(TextTest, ReportOfAScan) {
  auto sigs = testing::fixture_signatures();
  std::string out = render_text(testing::fixture_scan(), sigs);
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "2 known failures found in the logs (3 files, 30 lines, 300 bytes)");
  EXPECT_NE(out.find("✗ CRITICAL  kubelet-dead  [NODE-DEAD]\n"
                     "  meaning:  The kubelet died.\n"
                     "  count:    2 lines (kubelet), first 1970-01-01T00:50:00Z, last "
                     "1970-01-01T01:00:00Z\n"
                     "  in:       nodes/n1/kubelet.log (2)\n"
                     "  samples:  nodes/n1/kubelet.log:2: sample text\n"
                     "  fix:      Restart it.\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("! WARNING   app-slow  [no catalog entry]"), std::string::npos);
  EXPECT_NE(out.find("  in:       logs/shop/web-1/web.log (3)\n            misc.txt (1)\n"),
            std::string::npos);
  EXPECT_NE(out.find("Timeline (first occurrence of each):\n"
                     "  1970-01-01T00:33:20Z  warning   app-slow  logs/shop/web-1/web.log:4\n"
                     "  1970-01-01T00:50:00Z  critical  kubelet-dead  nodes/n1/kubelet.log:2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Input problems:\n  misc.txt: gzip data is truncated after 100 bytes (the "
                     "rest is missing); 2 binary lines skipped\n"),
            std::string::npos);
  EXPECT_EQ(out, render_text(testing::fixture_scan(), sigs));  // deterministic
}

TEST(TextTest, NothingFound) {
  auto sigs = testing::fixture_signatures();
  LogScan scan;
  scan.files.push_back(FileStats{});
  scan.files[0].path = "a.log";
  scan.files[0].lines = 1;
  scan.files[0].bytes = 5;
  EXPECT_EQ(render_text(scan, sigs),
            "No known failure found in the logs (1 file, 1 line, 5 bytes).\n");
}

// A file that could not be opened is not counted as read, and nothing read is not "no failure".
TEST(TextTest, NothingReadIsNotNothingFound) {
  auto sigs = testing::fixture_signatures();
  LogScan scan;
  scan.files.push_back(FileStats{});
  scan.files[0].path = "gone.log";
  scan.files[0].error = "no such file or folder";
  EXPECT_EQ(render_text(scan, sigs),
            "Nothing could be read from the logs: see the problems below.\n\nInput problems:\n  "
            "gone.log: no such file or folder\n");
  scan.files.push_back(FileStats{});
  scan.files[1].path = "a.log";
  scan.files[1].lines = 1;
  scan.files[1].bytes = 5;
  EXPECT_EQ(render_text(scan, sigs).rfind("No known failure found in the logs (1 file, 1 line", 0),
            0u);
}

TEST(TextTest, MatchLine) {
  auto sigs = testing::fixture_signatures();
  EXPECT_EQ(render_match_line(sigs[1], Sample{"k.log", 9, 3000, "dead"}),
            "1970-01-01T00:50:00Z  critical  kubelet-dead  k.log:9: dead\n");
}

// Log lines carry what no report may print: a token, a password, escape sequences for the
// terminal. The text report hides and shows them as diagnose's reports do.
TEST(TextTest, SamplesAndMatchLinesHideCredentialsAndShowControlCharacters) {
  auto sigs = testing::fixture_signatures();
  LogScan scan = testing::fixture_scan();
  const std::string line =
      "err=\"PLEG is not healthy\" token=ghp_abc123 password=HunterTwo42 \x1b]0;owned\x07";
  scan.hits.begin()->second.samples[0].text = line;
  const std::string out = render_text(scan, sigs);
  EXPECT_EQ(out.find("ghp_abc123"), std::string::npos) << out;
  EXPECT_EQ(out.find("HunterTwo42"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_NE(out.find("token=*** password=***"), std::string::npos) << out;
  const std::string match = render_match_line(sigs[1], Sample{"k.log", 9, 3000, line});
  EXPECT_EQ(match.find("ghp_abc123"), std::string::npos) << match;
  EXPECT_EQ(match.find('\x1b'), std::string::npos) << match;
  EXPECT_NE(match.find("token=***"), std::string::npos) << match;
}

}  // namespace
}  // namespace ktriage::logs
