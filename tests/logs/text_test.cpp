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

TEST(TextTest, MatchLine) {
  auto sigs = testing::fixture_signatures();
  EXPECT_EQ(render_match_line(sigs[1], Sample{"k.log", 9, 3000, "dead"}),
            "1970-01-01T00:50:00Z  critical  kubelet-dead  k.log:9: dead\n");
}

}  // namespace
}  // namespace ktriage::logs
