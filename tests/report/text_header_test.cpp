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

// A file that failed to parse beside good ones: the headline covers only what was read.
TEST(TextHeaderTest, NoProblemsWithInputErrorsSaysItCoversWhatWasRead) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.objects = 1;
  d.input.files_read = 1;
  InputIssue broken;
  broken.where.file = "p.yaml";
  broken.where.pos = SourcePos{6, 1};
  broken.message = "YAML: flow sequence without a closing bracket";
  d.input.issues.push_back(broken);
  d.input.issues.push_back(broken);
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("No problems found in what could be read of all namespaces: 1 object from "
                      "1 file; 2 input problems below.\n",
                      0),
            0U)
      << out;
  EXPECT_NE(out.find("Input problems (2):"), std::string::npos) << out;
}

// A file that could not be read (an I/O error, a damaged archive) is skipped too, but not by
// choice: the headline is qualified as for a parse error.
TEST(TextHeaderTest, AnUnreadableFileQualifiesNoProblemsButABinaryOneDoesNot) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.objects = 1;
  d.input.files_read = 1;
  InputIssue binary;
  binary.where.file = "photo.png";
  binary.message = "binary file, not Kubernetes objects or logs";
  binary.skipped_file = true;
  d.input.issues.push_back(binary);
  EXPECT_EQ(render_text(d, TextOptions{}).rfind("No problems found in all namespaces: 1 object", 0),
            0U);
  InputIssue damaged;
  damaged.where.file = "dump.tar.gz";
  damaged.message = "cannot open archive: Unrecognized archive format";
  damaged.skipped_file = true;
  damaged.unreadable = true;
  d.input.issues.push_back(damaged);
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("No problems found in what could be read of all namespaces: 1 object from "
                      "1 file; 1 file that could not be read below.\n",
                      0),
            0U)
      << out;
}

// Findings over a half-read snapshot say so too, in the words of the sections below.
TEST(TextHeaderTest, ProblemsOverAPartlyReadInputSayWhatWasNotRead) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.objects = 4;
  d.input.files_read = 2;
  Finding f;
  f.id = "x";
  f.summary = "Pod is Pending";
  d.findings.push_back(f);
  InputIssue broken;
  broken.where.file = "pods.json";
  broken.where.pos = SourcePos{60, 24};
  broken.message = "JSON syntax error (this List item was skipped)";
  d.input.issues.push_back(broken);
  InputIssue damaged;
  damaged.where.file = "dump.tar.gz";
  damaged.message = "cannot open archive: Unrecognized archive format";
  damaged.skipped_file = true;
  damaged.unreadable = true;
  d.input.issues.push_back(damaged);
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("1 problem in all namespaces; 1 input problem and 1 file that could not be "
                      "read below\n",
                      0),
            0U)
      << out;
  EXPECT_NE(out.find("Input problems (1):"), std::string::npos) << out;
  EXPECT_NE(out.find("Skipped 1 file:"), std::string::npos) << out;
}

}  // namespace
}  // namespace ktriage
