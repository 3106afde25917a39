// The text report's first line (src/report/text.cpp): it must never read as a clean bill of health
// when nothing was read.
#include <gtest/gtest.h>

#include "report/report.h"

namespace ktriage {
namespace {

TEST(TextHeaderTest, NothingReadSaysSoInsteadOfNoProblems) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  InputIssue missing;
  missing.where.file = "/nonexistent/";
  missing.message = "no such file or folder";
  missing.skipped_file = true;
  d.input.issues.push_back(missing);
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("Nothing could be read in all namespaces", 0), 0U) << out;
  EXPECT_EQ(out.find("No problems found"), std::string::npos) << out;
  EXPECT_NE(out.find("/nonexistent/"), std::string::npos) << out;
}

TEST(TextHeaderTest, ACleanInputStillSaysNoProblems) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.objects = 3;
  d.input.files_read = 1;
  InputIssue skipped;  // one unreadable file beside a good one is not "nothing read"
  skipped.where.file = "bad.yaml";
  skipped.message = "not YAML";
  skipped.skipped_file = true;
  d.input.issues.push_back(skipped);
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("No problems found in all namespaces: 3 objects from 1 file.", 0), 0U) << out;
  EXPECT_EQ(out.find("Nothing could be read"), std::string::npos) << out;
}

}  // namespace
}  // namespace ktriage
