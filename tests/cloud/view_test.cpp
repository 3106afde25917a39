// The cloud side of a snapshot in one place: nodes to instances, groups by id, eni-config.
#include "cloud/view.h"

#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cloud_files;
using ktriage::testing::CloudCluster;
using ktriage::testing::cluster_from;

TEST(CloudViewTest, MapsNodesToInstancesAndReadsTerwayConfig) {
  CloudCluster c;
  c.extra_yaml = R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: eni-config, namespace: kube-system}
data:
  eni_conf: '{"vswitches": {"cn-hangzhou-k": ["vsw-p1", "vsw-p2"]}, "security_groups": ["sg-pods", "sg-b"]}'
)";
  auto cluster = cluster_from(cloud_files(c));
  CloudView view(*cluster);
  EXPECT_TRUE(view.has_cloud_data());
  ASSERT_NE(view.node("node-b"), nullptr);
  EXPECT_EQ(view.node("node-b")->instance_id, "i-b");
  EXPECT_EQ(view.node("10.0.2.31"), view.node("node-b"));
  EXPECT_EQ(view.region(), "cn-hangzhou");
  EXPECT_EQ(view.plugin(), NetworkPlugin::kFlannel);
  EXPECT_EQ(view.terway_vswitches(), (std::vector<std::string>{"vsw-p1", "vsw-p2"}));
  EXPECT_EQ(view.terway_security_groups(), (std::vector<std::string>{"sg-pods", "sg-b"}));
  std::vector<std::string> missing;
  auto groups = view.groups_of(*view.instance("i-b"), &missing);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]->id, "sg-b");
  EXPECT_TRUE(missing.empty());
}

// Only files in a cloud/ folder are cloud answers: an unreadable Kubernetes file whose name looks
// like `<x>-<Upper...>.json` must not read as a cloud answer that could not be read (it would
// turn netcheck's security-group hop unknown and tell the user to collect it again).
TEST(CloudViewTest, OnlyUnreadableFilesInACloudFolderAreUnreadableAnswers) {
  auto files = cloud_files(CloudCluster{});
  files.emplace_back("snap/default-Pods.json", "");
  EXPECT_TRUE(CloudView(*cluster_from(files)).unreadable().empty());
  files.emplace_back("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-x.json",
                     "{\"Permissions\": [");
  const auto cluster = cluster_from(files);
  const CloudView view(*cluster);
  ASSERT_EQ(view.unreadable().size(), 1u);
  EXPECT_EQ(view.unreadable()[0].file, "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-x.json");
}

}  // namespace
}  // namespace ktriage::cloud
