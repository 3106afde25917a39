// ACR image builds and code-source bindings from a snapshot's cloud/ folder.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_rule;

const std::string kRecords = R"({"Code": "success", "IsSuccess": true, "RequestId": "r",
  "BuildRecords": [
    {"BuildRecordId": "b-ok", "Status": "SUCCESS", "StartTime": 1764576000000,
     "EndTime": 1764576300000, "Image": {"RepoNamespaceName": "shop", "RepoName": "web", "Tag": "v1"}},
    {"BuildRecordId": "b-bad", "Status": "FAILED", "StartTime": 1764579600000,
     "EndTime": 1764579900000, "Image": {"RepoNamespaceName": "shop", "RepoName": "web", "Tag": "v2"}}]})";

std::string log_of(std::string_view last_line) {
  return R"({"BuildRecordLogs": [
    {"LineNumber": 1, "Message": "Step 1/4 : FROM node:20"},
    {"LineNumber": 2, "Message": "Step 2/4 : RUN npm ci"},
    {"LineNumber": 3, "Message": ")" +
         std::string(last_line) + R"("}]})";
}

std::vector<Finding> run(std::string_view last_line) {
  return diagnose(*cluster_from(
      {{"s/cloud/cr-ListRepoBuildRecord.json", kRecords},
       {"s/cloud/cr-ListRepoBuildRecordLog-b-bad.json", log_of(last_line)},
       {"s/cloud/cr-ListRepoBuildRecordLog-b-ok.json", log_of("toomanyrequests: rate limit")}}));
}

TEST(AcrTest, FailedBuildLogsMatchTheirCause) {
  struct Case {
    std::string_view rule, line;
  } cases[] = {
      {"acr-build-dockerfile-path", "COPY failed: file not found in build context"},
      {"acr-build-run-step-failed", "The command '/bin/sh -c npm ci' returned a non-zero code: 1"},
      {"acr-build-base-image-pull-failed",
       "toomanyrequests: You have reached your pull rate limit"},
  };
  for (const Case& c : cases) {
    auto f = run(c.line);
    auto r = with_rule(f, c.rule);
    ASSERT_EQ(r.size(), 1u) << c.rule;
    EXPECT_EQ(r[0]->object.key(), "ACRRepository/shop/web");
    EXPECT_NE(r[0]->summary.find("Image build b-bad of shop/web:v2 failed at 2025-12-01 09:05 UTC"),
              std::string::npos)
        << r[0]->summary;
    ASSERT_EQ(r[0]->evidence.size(), 4u);  // status + the failing line and two before it
    EXPECT_EQ(r[0]->evidence[0].path, ".BuildRecords[1].Status");
    EXPECT_EQ(r[0]->evidence[3].kind, Evidence::Kind::kLog);
    EXPECT_EQ(r[0]->evidence[3].line, 3u);
    EXPECT_EQ(r[0]->evidence[3].value, c.line);
  }
}

TEST(AcrTest, SuccessfulBuildsAndUnknownFailuresGiveNothing) {
  auto f = run("npm ERR! something else");
  for (std::string_view rule :
       {"acr-build-dockerfile-path", "acr-build-run-step-failed",
        "acr-build-base-image-pull-failed", "acr-bind-gitlab-unreachable"}) {
    EXPECT_TRUE(with_rule(f, rule).empty()) << rule;
  }
}

TEST(AcrTest, BindingFailureTextIsFoundInAnyCrAnswer) {
  auto f = diagnose(*cluster_from(
      {{"s/cloud/cr-CreateRepoSourceCodeRepo.json",
        R"({"IsSuccess": false, "RequestId": "r", "Detail": {"Reason": "The source code repository site is inaccessible. Please confirm that the binding information is correct or try again later."}})"}}));
  auto r = with_rule(f, "acr-bind-gitlab-unreachable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->evidence[0].path, ".Detail.Reason");
  EXPECT_NE(r[0]->fix.find("allowlist"), std::string::npos);
}

}  // namespace
}  // namespace ktriage
