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
  // 1.21 still serves it (deprecated): a warning, so GO and exit 0 by default (the exit code
  // follows the verdict); --fail-on warning makes warnings fail too.
  auto earlier = testing::run_ktriage("upgrade-check --to 1.21 '" + kase + "' --color never");
  EXPECT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_NE(earlier.out.find("an upgrade to Kubernetes 1.21 (GO)"), std::string::npos)
      << earlier.out;
  EXPECT_NE(earlier.out.find("upgrade-deprecated-api"), std::string::npos);
  auto strict = testing::run_ktriage("upgrade-check --to 1.21 '" + kase + "' --fail-on warning");
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_EQ(blocked.err.find("newest release the built-in API table knows"), std::string::npos);
  auto bad = testing::run_ktriage("upgrade-check --to 22 '" + kase + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--to \"22\" is not a Kubernetes 1.x version"), std::string::npos)
      << bad.err;
}

// A target past the built-in table is said (a typo such as 1.99 would check nothing new), and
// a long way up is shown by its first steps and its end.
TEST(UpgradeCheckCliTest, TargetPastTheTableIsNotedAndLongStepsAreShortened) {
  const std::string snap = testing::source_dir() + "/examples/shop-broken";
  auto far = testing::run_ktriage("upgrade-check --to 1.99 '" + snap + "' --color never");
  EXPECT_EQ(far.exit_code, 1) << far.err;
  EXPECT_NE(far.err.find("note: 1.99 is past 1."), std::string::npos) << far.err;
  EXPECT_NE(far.out.find("Upgrade in steps: 1.31 -> 1.32 -> 1.33 -> ... -> 1.99, "),
            std::string::npos)
      << far.out;
}

}  // namespace
}  // namespace ktriage
