// Typed views of ECS answers: security groups with rules, instances, providerID parsing.
#include "cloud/ecs.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cluster_from;

constexpr std::string_view kGroup = R"({
  "RegionId": "cn-hangzhou",
  "SecurityGroupId": "sg-bp1nodes",
  "SecurityGroupName": "ack-nodes",
  "VpcId": "vpc-bp1main",
  "InnerAccessPolicy": "Drop",
  "Description": "nodes",
  "Permissions": {"Permission": [
    {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "10250/10250",
     "SourceGroupId": "sg-bp1nodes", "SourceCidrIp": "", "Policy": "Accept", "Priority": "1",
     "SecurityGroupRuleId": "sgr-1", "Description": "kubelet"},
    {"Direction": "ingress", "IpProtocol": "ALL", "PortRange": "-1/-1",
     "SourceCidrIp": "0.0.0.0/0", "Policy": "Drop", "Priority": "100"},
    {"Direction": "egress", "IpProtocol": "udp", "PortRange": "53/53",
     "DestCidrIp": "100.100.2.136/32", "Policy": "accept", "Priority": 5}
  ]}
})";

constexpr std::string_view kGroups = R"({"SecurityGroups": {"SecurityGroup": [
  {"SecurityGroupId": "sg-bp1nodes", "SecurityGroupType": "enterprise"}]}})";

constexpr std::string_view kInstances = R"({"Instances": {"Instance": [{
  "InstanceId": "i-bp1a", "InstanceName": "node-a", "HostName": "cn-hangzhou.10.0.1.10",
  "Status": "Running", "InstanceType": "ecs.g7.xlarge", "ZoneId": "cn-hangzhou-h",
  "RegionId": "cn-hangzhou",
  "VpcAttributes": {"VpcId": "vpc-bp1main", "VSwitchId": "vsw-bp1h",
                    "PrivateIpAddress": {"IpAddress": ["10.0.1.10"]}},
  "SecurityGroupIds": {"SecurityGroupId": ["sg-bp1nodes", "sg-bp1extra"]},
  "NetworkInterfaces": {"NetworkInterface": [
    {"NetworkInterfaceId": "eni-1", "PrimaryIpAddress": "10.0.1.10"},
    {"NetworkInterfaceId": "eni-2", "PrimaryIpAddress": "10.0.1.11"}]},
  "OperationLocks": {"LockReason": [{"LockReason": "security"}]}
}, {"InstanceId": "i-bp1a", "Status": "Stopped"}]}})";

TEST(CloudEcsTest, ParsesSecurityGroupRulesWithEcsSpellings) {
  auto cluster = cluster_from(
      {{"s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json", std::string(kGroup)}});
  auto groups = security_groups(*cluster);
  ASSERT_EQ(groups.size(), 1u);
  const SecurityGroup& g = groups[0];
  EXPECT_EQ(g.id, "sg-bp1nodes");
  EXPECT_EQ(g.vpc_id, "vpc-bp1main");
  EXPECT_EQ(g.region, "cn-hangzhou");
  EXPECT_FALSE(g.inner_accept);
  EXPECT_FALSE(g.type_known);
  EXPECT_EQ(g.file, "s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json");
  ASSERT_EQ(g.rules.size(), 3u);
  EXPECT_EQ(g.rules[0].protocol, "TCP");
  EXPECT_TRUE(g.rules[0].ports.contains(10250));
  EXPECT_FALSE(g.rules[0].ports.contains(10255));
  EXPECT_EQ(g.rules[0].source_group, "sg-bp1nodes");
  EXPECT_EQ(g.rules[0].rule_id, "sgr-1");
  EXPECT_EQ(g.rules[0].text(), "ingress Accept TCP 10250/10250 from sg-bp1nodes priority 1");
  EXPECT_EQ(g.rules[1].policy, RulePolicy::kDrop);
  EXPECT_EQ(g.rules[1].priority, 100);
  EXPECT_TRUE(g.rules[1].ports.all());
  EXPECT_EQ(g.rules[2].direction, Direction::kEgress);
  EXPECT_EQ(g.rules[2].protocol, "UDP");
  EXPECT_EQ(g.rules[2].policy, RulePolicy::kAccept);
  EXPECT_EQ(g.rules[2].priority, 5);  // a number, not the CLI's string
  EXPECT_EQ(g.rules[2].index, 2u);
  EXPECT_EQ(g.rules[2].text(), "egress Accept UDP 53/53 to 100.100.2.136/32 priority 5");
}

TEST(CloudEcsTest, TypesGroupsFromDescribeSecurityGroups) {
  auto cluster = cluster_from(
      {{"s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json", std::string(kGroup)},
       {"s/cloud/ecs-DescribeSecurityGroups.json", std::string(kGroups)}});
  auto groups = security_groups(*cluster);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].type_known);
  EXPECT_TRUE(groups[0].enterprise);
}

TEST(CloudEcsTest, ParsesPortRanges) {
  EXPECT_TRUE(parse_port_range("-1/-1")->all());
  EXPECT_TRUE(parse_port_range("")->all());
  auto r = parse_port_range("30000/32767");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(30000));
  EXPECT_TRUE(r->contains(32767));
  EXPECT_FALSE(r->contains(29999));
  EXPECT_EQ(parse_port_range("22")->text(), "22/22");
  EXPECT_FALSE(parse_port_range("80/22"));
  EXPECT_FALSE(parse_port_range("http"));
  // Unreadable ranges are no range, never "all ports".
  EXPECT_FALSE(parse_port_range("80-90"));
  EXPECT_FALSE(parse_port_range("abc"));
  EXPECT_FALSE(parse_port_range("-1/80"));
  EXPECT_FALSE(parse_port_range("0/0"));
  EXPECT_FALSE(parse_port_range("1/70000"));
}

// The issue naming `needle`, or nullptr.
const InputIssue* issue_with(const Cluster& c, std::string_view needle) {
  for (const InputIssue& i : c.issues()) {
    if (i.message.find(needle) != std::string::npos) return &i;
  }
  return nullptr;
}

// A Permission that is no array: the group's rules are unknown, so the group is not in the
// snapshot (not a group without rules, which would deny everything), and the loader says where.
TEST(CloudEcsTest, PermissionNotAnArrayIsAnInputProblemAndNoGroup) {
  auto cluster = cluster_from({{"s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1x.json",
                                R"({"SecurityGroupId": "sg-bp1x",
  "Permissions": {"Permission": {"Direction": "ingress"}}})"}});
  EXPECT_TRUE(security_groups(*cluster).empty());
  const InputIssue* i = issue_with(*cluster, "expected an array at .Permissions.Permission");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where.file, "s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1x.json");
  EXPECT_EQ(i->where.pos.line, 2u);
  EXPECT_GT(i->where.pos.column, 1u);
}

// A rule whose PortRange, Direction, Policy or Priority cannot be read is skipped with an input
// problem at it, never read as "all ports", "ingress", "Accept" or priority 1.
TEST(CloudEcsTest, UnreadableRulesAreSkippedWithAProblem) {
  auto cluster = cluster_from({{"s/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1x.json",
                                R"({"SecurityGroupId": "sg-bp1x", "Permissions": {"Permission": [
  {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "80-90", "Policy": "Drop",
   "SourceCidrIp": "0.0.0.0/0", "Priority": "1"},
  {"IpProtocol": "TCP", "PortRange": "80/80", "Policy": "Accept", "Priority": "1"},
  {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "-1/80", "Policy": "Accept"},
  {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22", "Policy": "Reject"},
  {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22", "Priority": "0"},
  {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22", "Priority": 101},
  {"Direction": "egress", "IpProtocol": "TCP", "PortRange": "443/443", "Priority": "2"}]}})"}});
  auto groups = security_groups(*cluster);
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].rules.size(), 1u);
  EXPECT_EQ(groups[0].rules[0].index, 6u);
  EXPECT_EQ(groups[0].rules[0].text(), "egress Accept TCP 443/443 to (any) priority 2");
  const InputIssue* range = issue_with(*cluster, "PortRange \"80-90\"");
  ASSERT_NE(range, nullptr);
  EXPECT_NE(range->message.find(".Permissions.Permission[0]; the rule is skipped"),
            std::string::npos)
      << range->message;
  EXPECT_EQ(range->where.pos.line, 2u);
  EXPECT_NE(issue_with(*cluster, "no Direction"), nullptr);
  EXPECT_NE(issue_with(*cluster, "PortRange \"-1/80\""), nullptr);
  EXPECT_NE(issue_with(*cluster, "Policy \"Reject\""), nullptr);
  EXPECT_NE(issue_with(*cluster, ".Permissions.Permission[4]"), nullptr);
  EXPECT_NE(issue_with(*cluster, ".Permissions.Permission[5]"), nullptr);
  EXPECT_EQ(issue_with(*cluster, ".Permissions.Permission[6]"), nullptr);
}

// SecurityGroupIds as a bare string and a DescribeInstances that is a list of numbers are said,
// not silently read as "no groups" / "no instances".
TEST(CloudEcsTest, BadlyShapedInstancesAreInputProblems) {
  auto cluster =
      cluster_from({{"s/cloud/ecs-DescribeInstances.json", R"({"Instances": {"Instance": [
  {"InstanceId": "i-bp1a", "SecurityGroupIds": "sg-x"}]}})"},
                    {"s/cloud/ecs-DescribeInstances-page2.json", "[1, 2]"}});
  const InputIssue* groups = issue_with(*cluster, ".Instances.Instance[0].SecurityGroupIds");
  ASSERT_NE(groups, nullptr);
  EXPECT_NE(groups->message.find("security groups of i-bp1a are unknown"), std::string::npos);
  EXPECT_EQ(groups->where.pos.line, 2u);
  const InputIssue* top = issue_with(*cluster, "expected an object at the top");
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->where.file, "s/cloud/ecs-DescribeInstances-page2.json");
  auto list = instances(*cluster);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].security_group_ids.empty());
}

TEST(CloudEcsTest, ParsesInstancesOncePerId) {
  auto cluster = cluster_from({{"s/cloud/ecs-DescribeInstances.json", std::string(kInstances)}});
  auto list = instances(*cluster);
  ASSERT_EQ(list.size(), 1u);
  const Instance& i = list[0];
  EXPECT_EQ(i.status, "Running");
  EXPECT_EQ(i.instance_type, "ecs.g7.xlarge");
  EXPECT_EQ(i.zone, "cn-hangzhou-h");
  EXPECT_EQ(i.vswitch_id, "vsw-bp1h");
  EXPECT_EQ(i.security_group_ids, (std::vector<std::string>{"sg-bp1nodes", "sg-bp1extra"}));
  EXPECT_EQ(i.private_ips, (std::vector<std::string>{"10.0.1.10", "10.0.1.11"}));
  EXPECT_EQ(i.lock_reasons, (std::vector<std::string>{"security"}));
}

TEST(CloudEcsTest, ReadsInstanceIdsFromProviderIds) {
  EXPECT_EQ(instance_id_from_provider_id("cn-hangzhou.i-bp1abc"), "i-bp1abc");
  EXPECT_EQ(instance_id_from_provider_id("alicloud://cn-beijing.i-2ze0"), "i-2ze0");
  EXPECT_EQ(region_from_provider_id("cn-hangzhou.i-bp1abc"), "cn-hangzhou");
  EXPECT_EQ(instance_id_from_provider_id("aws:///us-east-1a/i-0abc"), "");
  EXPECT_EQ(instance_id_from_provider_id(""), "");
  EXPECT_EQ(region_from_provider_id("kind://docker/kind/kind-control-plane"), "");
}

}  // namespace
}  // namespace ktriage::cloud
