// The security-group hop netcheck asks for: endpoints by node name, node or pod address, the
// deciding rule with its file, unknowns with the reason.
#include "cloud/sg_path.h"

#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cloud_files;
using ktriage::testing::CloudCluster;
using ktriage::testing::cluster_from;

TEST(SgPathTest, AllowedBetweenNodesThatTrustEachOther) {
  auto cluster = cluster_from(cloud_files(CloudCluster{}));
  SecurityGroupPaths paths(*cluster);
  SecurityGroupHop h = paths.hop("node-a", "node-b", "tcp", 8080);
  EXPECT_EQ(h.status, HopStatus::kAllowed);
  EXPECT_EQ(h.flow, "TCP 8080 from 10.0.1.21 (node-a) to 10.0.2.31 (node-b)");
  ASSERT_TRUE(h.egress && h.ingress);
  EXPECT_EQ(h.egress->basis, Basis::kDefault);  // basic groups let everything out
  EXPECT_EQ(h.ingress->group, "sg-b");
  EXPECT_EQ(h.ingress->rule, "ingress Accept ALL -1/-1 from sg-a priority 1");
  EXPECT_EQ(h.ingress->path, ".Permissions.Permission[1]");
  EXPECT_EQ(h.ingress->file, "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json");
  EXPECT_TRUE(h.fix.empty());
}

TEST(SgPathTest, DeniedHopNamesTheSideTheRuleAndTheFix) {
  CloudCluster c;
  c.sg_b = {"in drop TCP 8080/8080 0.0.0.0/0 1", "in accept ALL -1/-1 sg-a 50"};
  auto cluster = cluster_from(cloud_files(c));
  SecurityGroupPaths paths(*cluster);
  // By pod IP: the pod on node-a (Flannel: its pod address, judged by node-b's groups).
  SecurityGroupHop h = paths.hop("172.20.0.14", "10.0.2.31", "TCP", 8080);
  EXPECT_EQ(h.status, HopStatus::kDenied);
  EXPECT_EQ(h.flow, "TCP 8080 from 172.20.0.14 (pod shop/web) to 10.0.2.31 (node-b)");
  ASSERT_TRUE(h.ingress);
  EXPECT_FALSE(h.ingress->allowed);
  EXPECT_EQ(h.ingress->rule, "ingress Drop TCP 8080/8080 from 0.0.0.0/0 priority 1");
  EXPECT_EQ(h.summary.rfind("entering 10.0.2.31 (node-b): denied by sg-b rule", 0), 0u)
      << h.summary;
  EXPECT_NE(h.fix.find("RevokeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId sg-b "
                       "--SecurityGroupRuleId.1 sgr-0"),
            std::string::npos)
      << h.fix;
  // Another port passes the Drop and meets the Accept from sg-a (node to node).
  EXPECT_EQ(paths.hop("node-a", "node-b", "TCP", 9090).status, HopStatus::kAllowed);
  // ICMP ignores ports; node-a passes as a member of sg-a, but a Flannel pod address is no
  // member: only a pod CIDR rule would admit it.
  EXPECT_EQ(paths.hop("node-a", "node-b", "icmp", -1).status, HopStatus::kAllowed);
  h = paths.hop("172.20.0.14", "node-b", "icmp", -1);
  EXPECT_EQ(h.status, HopStatus::kDenied);
  EXPECT_NE(h.fix.find("--IpProtocol ICMP --PortRange -1/-1 --SourceCidrIp 172.20.0.0/16"),
            std::string::npos)
      << h.fix;
}

TEST(SgPathTest, UnknownWhenTheSnapshotCannotSay) {
  CloudCluster c;
  auto files = cloud_files(c);
  auto objects_only = cluster_from({files[0]});
  EXPECT_EQ(security_group_hop(*objects_only, "node-a", "node-b", "TCP", 80).status,
            HopStatus::kUnknown);
  auto cluster = cluster_from(files);
  SecurityGroupPaths paths(*cluster);
  SecurityGroupHop h = paths.hop("node-a", "node-z", "TCP", 80);
  EXPECT_EQ(h.status, HopStatus::kUnknown);
  EXPECT_NE(h.unknown_reason.find("node-z is no Node"), std::string::npos) << h.unknown_reason;
  c.groups_b = "\"sg-unseen\"";
  auto missing = cluster_from(cloud_files(c));
  h = security_group_hop(*missing, "node-a", "node-b", "TCP", 80);
  EXPECT_EQ(h.status, HopStatus::kUnknown);
  EXPECT_NE(h.unknown_reason.find("(sg-unseen) are not in the snapshot"), std::string::npos)
      << h.unknown_reason;
  // Both ends on one instance: no security group in between.
  h = paths.hop("node-a", "10.0.1.21", "TCP", 80);
  EXPECT_EQ(h.status, HopStatus::kAllowed);
}

// An answer that is in the snapshot but was skipped is the reason, with its file and error: not
// "not in the snapshot: add the file" (it is there), nor "no ECS instance in the answer".
TEST(SgPathTest, UnknownNamesTheSkippedFileAndItsError) {
  auto files = cloud_files(CloudCluster{});
  for (auto& [name, text] : files) {
    if (name.ends_with("-sg-b.json")) text = text.substr(0, 60);  // truncated
  }
  auto truncated = cluster_from(files);
  SecurityGroupHop h = security_group_hop(*truncated, "node-a", "node-b", "TCP", 80);
  EXPECT_EQ(h.status, HopStatus::kUnknown);
  EXPECT_TRUE(h.cloud_data_missing);
  EXPECT_EQ(h.unreadable_file, "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json");
  EXPECT_NE(h.unknown_reason.find("(sg-b) are unknown: their ecs DescribeSecurityGroupAttribute "
                                  "answer was skipped as unreadable: sg-b in "
                                  "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json:1:"),
            std::string::npos)
      << h.unknown_reason;
  EXPECT_EQ(h.unknown_reason.find("not in the snapshot"), std::string::npos) << h.unknown_reason;

  files = cloud_files(CloudCluster{});
  for (auto& [name, text] : files) {
    if (name.ends_with("ecs-DescribeInstances.json")) text = "{\"Instances\": {\"Instance\": [";
  }
  auto instances = cluster_from(files);
  h = security_group_hop(*instances, "node-a", "node-b", "TCP", 80);
  EXPECT_EQ(h.status, HopStatus::kUnknown);
  EXPECT_TRUE(h.cloud_data_missing);
  EXPECT_NE(
      h.unknown_reason.find("node node-a's ECS instance i-a is unknown: the ecs "
                            "DescribeInstances answer snap/cloud/ecs-DescribeInstances.json:"),
      std::string::npos)
      << h.unknown_reason;
  EXPECT_EQ(h.unknown_reason.find("has no ECS instance"), std::string::npos) << h.unknown_reason;

  // Every cloud answer unreadable: named, not "no cloud/ answers".
  std::vector<std::pair<std::string, std::string>> broken = {
      files[0], {"snap/cloud/ecs-DescribeInstances.json", "{\"Instances\": "}};
  auto none = cluster_from(broken);
  h = security_group_hop(*none, "node-a", "node-b", "TCP", 80);
  EXPECT_NE(h.unknown_reason.find("no cloud/ answer of the snapshot could be read: "
                                  "snap/cloud/ecs-DescribeInstances.json:"),
            std::string::npos)
      << h.unknown_reason;
  // An endpoint that is no address of the snapshot is no gap in the cloud data.
  auto complete = cluster_from(cloud_files(CloudCluster{}));
  EXPECT_FALSE(security_group_hop(*complete, "node-a", "node-z", "TCP", 80).cloud_data_missing);
}

// ECS rules cannot name SCTP: only an ALL rule admits it, and the fix adds one (with ports
// -1/-1) and says why, instead of an AuthorizeSecurityGroup the API refuses.
TEST(SgPathTest, SctpIsMatchedAndFixedByAllRulesOnly) {
  CloudCluster c;
  c.sg_b = {"in accept TCP 1/65535 sg-a 1", "in accept UDP 1/65535 sg-a 1"};
  auto cluster = cluster_from(cloud_files(c));
  SecurityGroupPaths paths(*cluster);
  SecurityGroupHop h = paths.hop("node-a", "node-b", "sctp", 9000);
  EXPECT_EQ(h.status, HopStatus::kDenied);
  EXPECT_EQ(h.flow, "SCTP 9000 from 10.0.1.21 (node-a) to 10.0.2.31 (node-b)");
  EXPECT_NE(h.fix.find("--IpProtocol ALL --PortRange -1/-1 --SourceGroupId sg-a"),
            std::string::npos)
      << h.fix;
  EXPECT_EQ(h.fix.find("--IpProtocol SCTP"), std::string::npos) << h.fix;
  EXPECT_NE(h.fix.find("cannot name SCTP"), std::string::npos) << h.fix;
  // The default groups trust each other with ALL rules: SCTP passes.
  auto open = cluster_from(cloud_files(CloudCluster{}));
  EXPECT_EQ(security_group_hop(*open, "node-a", "node-b", "SCTP", 9000).status,
            HopStatus::kAllowed);
}

// An IPv6 address is never judged by IPv4 rules (a 0.0.0.0/0 Accept says nothing about it).
TEST(SgPathTest, Ipv6FlowIsUnknownNotJudgedByIpv4Rules) {
  CloudCluster c;
  c.sg_b = {"in accept TCP 8080/8080 0.0.0.0/0 1"};
  c.extra_yaml = R"(---
apiVersion: v1
kind: Pod
metadata: {name: web6, namespace: shop}
spec:
  nodeName: node-a
  containers:
  - {name: web, image: web:1}
status: {phase: Running, podIP: "fd00::14", podIPs: [{ip: "fd00::14"}]}
)";
  auto cluster = cluster_from(cloud_files(c));
  SecurityGroupPaths paths(*cluster);
  SecurityGroupHop h = paths.hop("fd00::14", "node-b", "TCP", 8080);
  EXPECT_EQ(h.status, HopStatus::kUnknown);
  EXPECT_NE(h.unknown_reason.find("IPv6 rules (Ipv6SourceCidrIp"), std::string::npos)
      << h.unknown_reason;
  // The IPv4 flow still gets its verdict.
  EXPECT_EQ(paths.hop("node-a", "node-b", "TCP", 8080).status, HopStatus::kAllowed);
}

}  // namespace
}  // namespace ktriage::cloud
