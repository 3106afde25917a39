// Which aliyun calls `collect --cloud` makes, from the objects and then from the first answers.
#include "cloud/collect_plan.h"

#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cloud_files;
using ktriage::testing::CloudCluster;
using ktriage::testing::cluster_from;

std::string joined(const CliCall& c) {
  std::string out;
  for (const std::string& a : c.args) out += (out.empty() ? "" : " ") + a;
  return out;
}

TEST(CollectPlanTest, FirstRoundFromProviderIdsAndFlags) {
  auto objects = cluster_from({cloud_files(CloudCluster{})[0]});
  PlanOptions options;
  CloudPlan plan = first_round(*objects, options);
  // No ack.aliyun.com label and no --cluster-id: only the instances.
  ASSERT_EQ(plan.calls.size(), 1u);
  EXPECT_EQ(plan.calls[0].file, "ecs-DescribeInstances.json");
  EXPECT_EQ(
      joined(plan.calls[0]),
      R"(ecs DescribeInstances --InstanceIds ["i-a","i-b"] --PageSize 100 --RegionId cn-hangzhou)");
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("--cluster-id"), std::string::npos);

  options.cluster_id = "c1";
  options.region = "cn-beijing";
  plan = first_round(*objects, options);
  ASSERT_EQ(plan.calls.size(), 6u);
  EXPECT_EQ(plan.calls[0].file, "cs-DescribeClusterDetail.json");
  EXPECT_EQ(joined(plan.calls[0]), "cs GET /clusters/c1 --region cn-beijing");
  EXPECT_EQ(joined(plan.calls[2]), "cs GET /clusters/c1/tasks --region cn-beijing");
  EXPECT_EQ(identity_call().file, "sts-GetCallerIdentity.json");
}

TEST(CollectPlanTest, SecondRoundFromTheAnswers) {
  auto files = cloud_files(CloudCluster{});
  files.push_back({"snap/cloud/sts-GetCallerIdentity.json",
                   R"({"Arn": "acs:ram::1234:user/ops-alice", "IdentityType": "RAMUser"})"});
  auto cluster = cluster_from(files);
  const CloudPlan plan = second_round(*cluster, PlanOptions{});
  std::vector<std::string> names;
  for (const CliCall& c : plan.calls) names.push_back(c.file);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "ecs-DescribeSecurityGroups.json", "ecs-DescribeSecurityGroupAttribute-sg-a.json",
                "ecs-DescribeSecurityGroupAttribute-sg-b.json", "vpc-DescribeVSwitches.json",
                "ram-ListPoliciesForUser.json"}));
  EXPECT_EQ(
      joined(plan.calls[0]),
      R"(ecs DescribeSecurityGroups --SecurityGroupIds ["sg-a","sg-b"] --PageSize 100 --RegionId cn-hangzhou)");
  EXPECT_EQ(joined(plan.calls[4]), "ram ListPoliciesForUser --UserName ops-alice");
  EXPECT_TRUE(plan.notes.empty());
}

TEST(CollectPlanTest, NoRegionNoCalls) {
  auto cluster = ktriage::testing::cluster_from_yaml(R"(apiVersion: v1
kind: Node
metadata: {name: kind-control-plane}
spec: {providerID: "kind://docker/kind/kind-control-plane"}
)");
  const CloudPlan plan = first_round(*cluster, PlanOptions{});
  EXPECT_TRUE(plan.calls.empty());
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("give --region"), std::string::npos);
}

}  // namespace
}  // namespace ktriage::cloud
