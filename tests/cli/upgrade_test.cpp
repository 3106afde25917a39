// `ktriage upgrade-check` as a user runs it: verdict, exit codes and a bad --to.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

TEST(UpgradeCheckCliTest, VerdictAndExitCodes) {
  const std::string kase =
      testing::shared_dir() + "/cases/031-upgrade-ingress-extensions-v1beta1-on-1-22/manifests";
  auto blocked = testing::run_ktriage("upgrade-check --to 1.22 '" + kase + "' --color never");
  EXPECT_EQ(blocked.exit_code, 1) << blocked.err;
  EXPECT_NE(blocked.out.find("an upgrade to Kubernetes 1.22 (NO-GO, 1 blocker)"), std::string::npos)
      << blocked.out;
  // 1.21 still serves it (deprecated): a warning; with --fail-on critical that is a go, exit 0.
  auto earlier =
      testing::run_ktriage("upgrade-check --to 1.21 '" + kase + "' --fail-on critical -o json");
  EXPECT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_NE(earlier.out.find("upgrade-deprecated-api"), std::string::npos);
  auto bad = testing::run_ktriage("upgrade-check --to 22 '" + kase + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--to \"22\" is not a Kubernetes 1.x version"), std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace ktriage
