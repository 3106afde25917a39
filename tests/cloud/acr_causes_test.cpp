// The ACR build and binding causes: each catalog row matches its strings, in priority order.
#include "cloud/acr_causes.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

std::string cause_of(std::span<const CauseRow> rows, std::string_view text) {
  CauseMatcher m(rows);
  EXPECT_TRUE(m.bad_rows().empty());
  auto hit = m.match(text);
  return hit ? std::string(hit->row->catalog) : "";
}

TEST(AcrCausesTest, BuildLogLinesMatchTheirEntry) {
  EXPECT_EQ(cause_of(acr_build_causes(),
                     "failed to read dockerfile: open Dockerfile: no such file or directory"),
            "ACR-BUILD-CONTEXT-OR-DOCKERFILE-PATH");
  EXPECT_EQ(cause_of(acr_build_causes(), "COPY failed: file not found in build context"),
            "ACR-BUILD-CONTEXT-OR-DOCKERFILE-PATH");
  EXPECT_EQ(
      cause_of(
          acr_build_causes(),
          R"(ERROR: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100)"),
      "ACR-BUILD-RUN-STEP-FAILED");
  EXPECT_EQ(
      cause_of(acr_build_causes(), "The command '/bin/sh -c make' returned a non-zero code: 2"),
      "ACR-BUILD-RUN-STEP-FAILED");
  EXPECT_EQ(cause_of(acr_build_causes(), "toomanyrequests: You have reached your pull rate limit"),
            "ACR-BUILD-BASE-IMAGE-PULL-FAILED");
  EXPECT_EQ(cause_of(acr_build_causes(), "Step 1/5 : FROM node:20\nSuccessfully built 1a2b"), "");
}

TEST(AcrCausesTest, BindingAnswerMatchesGitlabUnreachable) {
  EXPECT_EQ(cause_of(acr_binding_causes(),
                     "The source code repository site is inaccessible. Please confirm that the "
                     "binding information is correct or try again later."),
            "ACR-BIND-GITLAB-UNREACHABLE");
  EXPECT_EQ(cause_of(acr_binding_causes(), "bound successfully"), "");
}

}  // namespace
}  // namespace ktriage::cloud
