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

// Ids come from objects cluster users can edit (Node spec.providerID, ConfigMap eni-config): an
// id that is not ^(i|sg|vpc|vsw)-[a-z0-9]+$ never reaches a JSON argument or a file name.
TEST(CollectPlanTest, UntrustedIdsAreDroppedWithANote) {
  auto cluster = ktriage::testing::cluster_from_yaml(R"(apiVersion: v1
kind: Node
metadata: {name: a}
spec: {providerID: "cn-hangzhou.i-good1"}
---
apiVersion: v1
kind: Node
metadata: {name: b}
spec: {providerID: "cn-hangzhou.i-x\"],\"evil"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: eni-config, namespace: kube-system}
data:
  eni_conf: '{"security_group": "sg-UPPER", "security_groups": ["sg-ok2"]}'
)");
  CloudPlan plan = first_round(*cluster, PlanOptions{});
  ASSERT_EQ(plan.calls.size(), 1u);
  EXPECT_EQ(
      joined(plan.calls[0]),
      R"(ecs DescribeInstances --InstanceIds ["i-good1"] --PageSize 100 --RegionId cn-hangzhou)");
  bool noted = false;
  for (const std::string& n : plan.notes) noted = noted || n.find("not a valid id") != n.npos;
  EXPECT_TRUE(noted);

  plan = second_round(*cluster, PlanOptions{});
  for (const CliCall& c : plan.calls) {
    EXPECT_EQ(c.file.find("UPPER"), std::string::npos) << c.file;
  }
  bool sg_ok = false, sg_noted = false;
  for (const CliCall& c : plan.calls) sg_ok = sg_ok || c.file.find("sg-ok2") != c.file.npos;
  for (const std::string& n : plan.notes) sg_noted = sg_noted || n.find("sg-UPPER") != n.npos;
  EXPECT_TRUE(sg_ok);
  EXPECT_TRUE(sg_noted);

  PlanOptions bad;
  bad.region = "cn-hangzhou --endpoint evil";
  plan = first_round(*cluster, bad);
  EXPECT_TRUE(plan.calls.empty());
  bad.region = "cn-hangzhou";
  bad.cluster_id = "c1/../../x";
  plan = first_round(*cluster, bad);
  for (const CliCall& c : plan.calls) EXPECT_NE(c.args[0], "cs") << joined(c);
  EXPECT_TRUE(valid_resource_id("vsw-bp1x9"));
  EXPECT_FALSE(valid_resource_id("eni-bp1x9"));
  EXPECT_FALSE(valid_resource_id("sg-"));
  EXPECT_FALSE(valid_resource_id("sg-a/../b"));
}

// DescribeVSwitches answers a page at a time: the next page is asked while TotalCount says more.
TEST(CollectPlanTest, PagedAnswersAskForTheNextPage) {
  auto cluster = cluster_from(
      {{"s/cloud/vpc-DescribeVSwitches.json",
        R"({"TotalCount": 120, "PageNumber": 1, "PageSize": 50, "VSwitches": {"VSwitch": []}})"},
       {"s/cloud/vpc-DescribeVSwitches-page3.json",
        R"({"TotalCount": 120, "PageNumber": 3, "PageSize": 50, "VSwitches": {"VSwitch": []}})"}});
  const CliCall first{"vpc-DescribeVSwitches.json",
                      {"vpc", "DescribeVSwitches", "--VpcId", "vpc-1", "--PageSize", "50",
                       "--RegionId", "cn-hangzhou"}};
  auto next = next_page(first, cluster->cloud_document("vpc", "DescribeVSwitches", "")->root);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->file, "vpc-DescribeVSwitches-page2.json");
  EXPECT_EQ(joined(*next),
            "vpc DescribeVSwitches --VpcId vpc-1 --PageSize 50 --RegionId cn-hangzhou "
            "--PageNumber 2");
  auto third = next_page(*next, cluster->cloud_document("vpc", "DescribeVSwitches", "")->root);
  ASSERT_TRUE(third);
  EXPECT_EQ(joined(*third),
            "vpc DescribeVSwitches --VpcId vpc-1 --PageSize 50 --RegionId cn-hangzhou "
            "--PageNumber 2");  // page 1's answer again: still page 2
  EXPECT_FALSE(
      next_page(*next, cluster->cloud_document("vpc", "DescribeVSwitches", "page3")->root));
}

}  // namespace
}  // namespace ktriage::cloud
