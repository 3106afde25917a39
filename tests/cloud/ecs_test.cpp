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
