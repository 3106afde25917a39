// The text report's first line (src/report/text.cpp): it must never read as a clean bill of health
// when nothing was read.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>

#include "report/report.h"

namespace ktriage {
namespace {

enum class Skip { kNo, kByChoice, kUnreadable };

InputIssue issue(std::string file, std::string message, Skip skip = Skip::kNo, SourcePos pos = {}) {
  InputIssue out;
  out.where.file = std::move(file);
  out.where.pos = pos;
  out.message = std::move(message);
  out.skipped_file = skip != Skip::kNo;
  out.unreadable = skip == Skip::kUnreadable;
  return out;
}

// A diagnosis of `objects` objects read from `files` files in all namespaces, no findings yet.
Diagnosis read(std::size_t objects, std::size_t files) {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.objects = objects;
  d.input.files_read = files;
  return d;
}

TEST(TextHeaderTest, NothingReadSaysSoInsteadOfNoProblems) {
  Diagnosis d = read(0, 0);
  d.input.issues.push_back(issue("/nonexistent/", "no such file or folder", Skip::kUnreadable));
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("Nothing could be read in all namespaces", 0), 0U) << out;
  EXPECT_EQ(out.find("No problems found"), std::string::npos) << out;
  EXPECT_NE(out.find("/nonexistent/"), std::string::npos) << out;
}

TEST(TextHeaderTest, ACleanInputStillSaysNoProblems) {
  Diagnosis d = read(3, 1);
  // A file skipped by choice beside a good one is neither "nothing read" nor a partial read.
  d.input.issues.push_back(issue("bad.yaml", "not YAML", Skip::kByChoice));
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("No problems found in all namespaces: 3 objects from 1 file.", 0), 0U) << out;
  EXPECT_EQ(out.find("Nothing could be read"), std::string::npos) << out;
}

// A file that failed to parse beside good ones: the headline covers only what was read.
TEST(TextHeaderTest, NoProblemsWithInputErrorsSaysItCoversWhatWasRead) {
  Diagnosis d = read(1, 1);
  d.input.issues.push_back(
      issue("p.yaml", "YAML: flow sequence without a closing bracket", Skip::kNo, SourcePos{6, 1}));
  d.input.issues.push_back(
      issue("p.yaml", "YAML: flow sequence without a closing bracket", Skip::kNo, SourcePos{6, 1}));
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
  Diagnosis d = read(1, 1);
  d.input.issues.push_back(
      issue("photo.png", "binary file, not Kubernetes objects or logs", Skip::kByChoice));
  EXPECT_EQ(render_text(d, TextOptions{}).rfind("No problems found in all namespaces: 1 object", 0),
            0U);
  d.input.issues.push_back(
      issue("dump.tar.gz", "cannot open archive: Unrecognized archive format", Skip::kUnreadable));
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("No problems found in what could be read of all namespaces: 1 object from "
                      "1 file; 1 file that could not be read below.\n",
                      0),
            0U)
      << out;
  EXPECT_NE(out.find("Could not read 1 file:"), std::string::npos) << out;
  EXPECT_NE(out.find("Skipped 1 file:\n  photo.png"), std::string::npos) << out;
}

// Findings over a half-read snapshot say so too, in the words of the sections below.
TEST(TextHeaderTest, ProblemsOverAPartlyReadInputSayWhatWasNotRead) {
  Diagnosis d = read(4, 2);
  Finding f;
  f.id = "x";
  f.summary = "Pod is Pending";
  d.findings.push_back(f);
  d.input.issues.push_back(issue("pods.json", "JSON syntax error (this List item was skipped)",
                                 Skip::kNo, SourcePos{60, 24}));
  d.input.issues.push_back(
      issue("dump.tar.gz", "cannot open archive: Unrecognized archive format", Skip::kUnreadable));
  const std::string out = render_text(d, TextOptions{});
  EXPECT_EQ(out.rfind("1 problem in all namespaces; 1 input problem and 1 file that could not be "
                      "read below\n",
                      0),
            0U)
      << out;
  EXPECT_NE(out.find("Input problems (1):"), std::string::npos) << out;
  // The file that could not be read has the section the headline names, not "Skipped".
  EXPECT_NE(out.find("Could not read 1 file:\n  dump.tar.gz (cannot open archive"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("Skipped"), std::string::npos) << out;
}

}  // namespace
}  // namespace ktriage
