// Whole snapshots -> the exact text and JSON reports, kept in tests/golden/*.txt|json. A change
// to a report is a reviewed change to these files: regenerate with
//   KTRIAGE_UPDATE_GOLDEN=1 ctest -R Golden   (then read the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace ktriage {
namespace {

void check_golden(const std::string& args, const std::string& golden_name) {
  const std::string path = testing::source_dir() + "/tests/golden/" + golden_name;
  auto r = testing::run_ktriage(args + " --no-color", testing::source_dir());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  if (std::getenv("KTRIAGE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << r.out;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " missing: run with KTRIAGE_UPDATE_GOLDEN=1";
  EXPECT_EQ(r.out, testing::read_file(path))
      << "report changed; if intended, regenerate " << golden_name;
}

TEST(GoldenTest, ShopBrokenText) {
  check_golden("diagnose examples/shop-broken", "shop-broken.txt");
}
TEST(GoldenTest, ShopBrokenJson) {
  check_golden("diagnose examples/shop-broken -o json", "shop-broken.json");
}
TEST(GoldenTest, HealthyText) { check_golden("diagnose examples/healthy", "healthy.txt"); }
TEST(GoldenTest, StorageFailureText) {
  check_golden("diagnose examples/storage-failure", "storage-failure.txt");
}
TEST(GoldenTest, ClusterInfoDumpText) {
  check_golden("diagnose examples/cluster-info-dump", "cluster-info-dump.txt");
}
// A lost node: the node is the first root cause, its pods' symptoms and the Service under it.
TEST(GoldenTest, NodeFailureText) {
  check_golden("diagnose examples/node-failure", "node-failure.txt");
}
// Broken add-ons: an OOMKilled Kyverno behind a failurePolicy Fail webhook is the root of the
// FailedCreate of ReplicaSets in other namespaces; a crash-looping Terway pod is the root of the
// sandbox failures on its node only.
TEST(GoldenTest, RbacForbiddenText) {
  check_golden("diagnose examples/rbac-forbidden", "rbac-forbidden.txt");
}
TEST(GoldenTest, AddonFailureText) {
  check_golden("diagnose examples/addon-failure", "addon-failure.txt");
}

// A security group missing the rules between node pools (cloud/ answers of the aliyun CLI): the
// group is the only root cause; the pods it cuts off look healthy.
TEST(GoldenTest, CloudFailureText) {
  check_golden("diagnose examples/cloud-failure", "cloud-failure.txt");
}

}  // namespace
}  // namespace ktriage
