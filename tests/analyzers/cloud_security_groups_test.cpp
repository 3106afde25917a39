// Security groups against what the cluster needs: one positive and one negative case per rule,
// on the two-node cluster of tests/cloud/fixture.h.
#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cloud_files;
using testing::CloudCluster;
using testing::cluster_from;
using testing::with_rule;

std::vector<Finding> run(const CloudCluster& c) {
  auto cluster = cluster_from(cloud_files(c));
  return testing::diagnose(*cluster);
}

// How many findings of `rule` the cluster gets.
std::size_t count(const CloudCluster& c, std::string_view rule) {
  const auto findings = run(c);
  return with_rule(findings, rule).size();
}

bool has_note(const Finding& f, std::string_view text) {
  for (const Evidence& e : f.evidence) {
    if (e.value.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(CloudSecurityGroupsTest, TheDefaultClusterNeedsNothing) {
  const auto findings = run(CloudCluster{});
  for (const Finding& f : findings) ADD_FAILURE() << f.rule << ": " << f.summary;
}

TEST(CloudSecurityGroupsTest, NoCloudAnswersNoFindings) {
  auto files = cloud_files(CloudCluster{});
  files.resize(1);  // the objects only
  auto cluster = cluster_from(files);
  for (const Finding& f : testing::diagnose(*cluster)) {
    EXPECT_EQ(f.rule.rfind("sg-", 0), std::string::npos) << f.summary;
  }
}

// A Permission that is no array must not read as "a group without rules" (which would block all
// intra-cluster traffic, CRITICAL): the group is unknown and the loader reports the shape.
TEST(CloudSecurityGroupsTest, MisshapenPermissionsAreAnInputProblemNotABlockedCluster) {
  auto files = cloud_files(CloudCluster{});
  for (auto& [name, text] : files) {
    if (name.ends_with("-sg-b.json")) {
      text = R"({"RegionId": "cn-hangzhou", "SecurityGroupId": "sg-b", "VpcId": "vpc-1",
                 "Permissions": {"Permission": "none"}})";
    }
  }
  auto cluster = cluster_from(files);
  for (const Finding& f : testing::diagnose(*cluster)) {
    EXPECT_NE(f.catalog, "ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED") << f.summary;
  }
  bool said = false;
  for (const InputIssue& i : cluster->issues()) {
    said =
        said || i.message.find("expected an array at .Permissions.Permission") != std::string::npos;
  }
  EXPECT_TRUE(said);
}

TEST(CloudSecurityGroupsTest, AGroupThatAdmitsNeitherTheClusterGroupNorThePodCidr) {
  CloudCluster c;
  c.sg_b = {"in accept TCP 22/22 203.0.113.0/24 1", "in accept ICMP -1/-1 0.0.0.0/0 1"};
  const auto findings = run(c);
  auto hits = with_rule(findings, "sg-intra-cluster-blocked");
  ASSERT_EQ(hits.size(), 1u);
  const Finding& f = *hits[0];
  EXPECT_EQ(f.catalog, "ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED");
  EXPECT_EQ(f.object.kind, "SecurityGroup");
  EXPECT_EQ(f.object.name, "sg-b");
  EXPECT_NE(f.summary.find("TCP 8080 from pods of node node-a (172.20.0.0/25)"), std::string::npos)
      << f.summary;
  EXPECT_TRUE(has_note(f, "affects nodes: node-b (i-b)"));
  EXPECT_TRUE(has_note(f, "none matches: ingress Accept TCP 22/22 from 203.0.113.0/24"));
  EXPECT_NE(f.fix.find("aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou "
                       "--SecurityGroupId sg-b --IpProtocol ALL --PortRange -1/-1 "
                       "--SourceGroupId sg-a --Policy accept --Priority 1"),
            std::string::npos)
      << f.fix;
  EXPECT_NE(f.fix.find("--SourceCidrIp 172.20.0.0/16"), std::string::npos) << f.fix;
  // ping still works there: not reported separately.
  EXPECT_TRUE(with_rule(findings, "sg-icmp-blocked").empty());
  // sg-a admits sg-b and the pod CIDR: only sg-b is at fault.
  for (const Finding* other : with_rule(findings, "sg-intra-cluster-blocked")) {
    EXPECT_EQ(other->object.name, "sg-b");
  }
}

TEST(CloudSecurityGroupsTest, ADropAtPriorityOneBeforeTheAcceptIsNamedWithBothRules) {
  CloudCluster c;
  c.sg_b = {"in drop ALL -1/-1 10.0.0.0/8 1", "in accept ALL -1/-1 sg-a 100",
            "in accept ALL -1/-1 172.20.0.0/16 1", "in accept ICMP -1/-1 0.0.0.0/0 1"};
  const auto findings = run(c);
  auto hits = with_rule(findings, "sg-intra-cluster-blocked");
  ASSERT_EQ(hits.size(), 1u);
  const Finding& f = *hits[0];
  EXPECT_NE(f.summary.find("sg-b's Drop rule decides"), std::string::npos) << f.summary;
  EXPECT_TRUE(has_note(f,
                       "which decides before sg-b rule ingress Accept ALL -1/-1 from sg-a "
                       "priority 100"));
  bool drop_field = false;
  for (const Evidence& e : f.evidence) {
    drop_field =
        drop_field || (e.path == ".Permissions.Permission[0]" &&
                       e.file == "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json");
  }
  EXPECT_TRUE(drop_field);
  EXPECT_NE(f.fix.find("aliyun ecs RevokeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId "
                       "sg-b --SecurityGroupRuleId.1 sgr-0"),
            std::string::npos)
      << f.fix;
}

TEST(CloudSecurityGroupsTest, EnterpriseGroupsDenyTrafficBetweenMembers) {
  CloudCluster c;
  c.groups_b = "\"sg-a\"";  // both nodes in sg-a
  c.type_a = "enterprise";
  // The pod CIDR is admitted (Flannel pods' addresses are no member's): nodes are not.
  c.sg_a = {"in accept ICMP -1/-1 0.0.0.0/0 1", "in accept ALL -1/-1 172.20.0.0/16 1",
            "out accept ALL -1/-1 0.0.0.0/0 1"};
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-enterprise-default-deny");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ACK-SG-ENTERPRISE-DEFAULT-DENY");
  EXPECT_EQ(hits[0]->object.name, "sg-a");
  EXPECT_TRUE(with_rule(findings, "sg-intra-cluster-blocked").empty());
  // The same group as a basic one: members talk by default.
  c.type_a = "normal";
  findings = run(c);
  EXPECT_TRUE(with_rule(findings, "sg-enterprise-default-deny").empty());
  EXPECT_TRUE(with_rule(findings, "sg-intra-cluster-blocked").empty());
}

TEST(CloudSecurityGroupsTest, IcmpMissingWhileEverythingElsePasses) {
  CloudCluster c;
  c.sg_b = {"in accept TCP 1/65535 sg-a 1", "in accept UDP 1/65535 sg-a 1",
            "in accept ALL -1/-1 172.20.0.0/16 1"};
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-icmp-blocked");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ECS-PING-SECURITY-GROUP-NO-ICMP");
  EXPECT_EQ(hits[0]->object.name, "sg-b");
  EXPECT_NE(hits[0]->fix.find("--IpProtocol ICMP --PortRange -1/-1 --SourceCidrIp 0.0.0.0/0"),
            std::string::npos)
      << hits[0]->fix;
  EXPECT_TRUE(with_rule(findings, "sg-intra-cluster-blocked").empty());
  c.sg_b.push_back("in accept ICMP -1/-1 0.0.0.0/0 1");
  EXPECT_TRUE(count(c, "sg-icmp-blocked") == 0);
}

TEST(CloudSecurityGroupsTest, KubeletPortDroppedBeforeTheClusterGroupRule) {
  CloudCluster c;
  c.sg_b.insert(c.sg_b.begin(), "in drop TCP 10250/10250 0.0.0.0/0 1");
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-kubelet-port-blocked");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ACK-SG-KUBELET-PORT-BLOCKED");
  EXPECT_NE(hits[0]->summary.find("TCP 10250 from the control plane (API server 10.0.1.250, "
                                  "cluster group sg-a)"),
            std::string::npos)
      << hits[0]->summary;
  EXPECT_NE(hits[0]->fix.find("RevokeSecurityGroup"), std::string::npos) << hits[0]->fix;
  EXPECT_TRUE(count(CloudCluster{}, "sg-kubelet-port-blocked") == 0);
}

// The control plane is let in as a member of the cluster group, which only the cluster detail
// names: without it (file absent, or an API error saved instead) the API server's address alone
// would read sg-a's inner policy and sg-b's "ALL from sg-a" as drops (two false CRITICALs).
TEST(CloudSecurityGroupsTest, WithoutTheClusterDetailTheControlPlaneIsNotJudged) {
  const std::string detail = "snap/cloud/cs-DescribeClusterDetail.json";
  for (const std::string& replacement :
       {std::string(), std::string(R"({"Code": "Forbidden.RAM", "Message": "denied"})")}) {
    auto files = cloud_files(CloudCluster{});
    std::erase_if(files, [&](const auto& f) { return f.first == detail; });
    if (!replacement.empty()) files.emplace_back(detail, replacement);
    auto cluster = cluster_from(files);
    ASSERT_GE(cluster->cloud_documents().size(), 3u);  // the groups and instances were read
    for (const Finding& f : testing::diagnose(*cluster)) {
      EXPECT_NE(f.rule, "sg-kubelet-port-blocked") << replacement << ": " << f.summary;
      EXPECT_NE(f.rule, "sg-outbound-restricted") << replacement << ": " << f.summary;
      EXPECT_NE(f.rule, "sg-webhook-port-blocked") << replacement << ": " << f.summary;
    }
  }
  // With the detail, a real drop of 10250 is still found.
  CloudCluster c;
  c.sg_b.insert(c.sg_b.begin(), "in drop TCP 10250/10250 0.0.0.0/0 1");
  EXPECT_EQ(count(c, "sg-kubelet-port-blocked"), 1u);
}

TEST(CloudSecurityGroupsTest, WebhookTargetPortDroppedOnTheNodeOfItsPod) {
  CloudCluster c;
  c.extra_yaml = R"(---
apiVersion: v1
kind: Pod
metadata: {name: gatekeeper-0, namespace: gatekeeper-system, labels: {app: gatekeeper}}
spec:
  nodeName: node-b
  containers:
  - {name: manager, image: gk:3, ports: [{containerPort: 8443, name: webhook}]}
status: {phase: Running, podIP: 172.20.0.150}
---
apiVersion: v1
kind: Service
metadata: {name: gatekeeper-webhook, namespace: gatekeeper-system}
spec:
  selector: {app: gatekeeper}
  ports: [{port: 443, targetPort: webhook}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: gatekeeper-validating}
webhooks:
- name: validation.gatekeeper.sh
  clientConfig:
    service: {name: gatekeeper-webhook, namespace: gatekeeper-system, port: 443}
)";
  EXPECT_TRUE(count(c, "sg-webhook-port-blocked") == 0);
  c.sg_b.insert(c.sg_b.begin(), "in drop TCP 8443/8443 sg-a 1");
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-webhook-port-blocked");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ACK-SG-WEBHOOK-PORT-BLOCKED");
  EXPECT_EQ(hits[0]->object.kind, "ValidatingWebhookConfiguration");
  EXPECT_EQ(hits[0]->object.name, "gatekeeper-validating");
  EXPECT_TRUE(has_note(*hits[0], "served by pod gatekeeper-system/gatekeeper-0 on TCP 8443"));
}

TEST(CloudSecurityGroupsTest, OutboundNarrowedWithoutTheServiceRange) {
  CloudCluster c;
  c.sg_a.push_back("out accept ALL -1/-1 10.0.0.0/8 1");
  c.sg_a.push_back("out drop ALL -1/-1 0.0.0.0/0 100");
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-outbound-restricted");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ACK-SG-OUTBOUND-RESTRICTED");
  EXPECT_EQ(hits[0]->object.name, "sg-a");
  EXPECT_NE(hits[0]->summary.find("to Alibaba Cloud services (100.64.0.0/10)"), std::string::npos)
      << hits[0]->summary;
  EXPECT_NE(hits[0]->fix.find("AuthorizeSecurityGroupEgress"), std::string::npos) << hits[0]->fix;
  EXPECT_NE(hits[0]->fix.find("--DestCidrIp 100.64.0.0/10"), std::string::npos) << hits[0]->fix;
  c.sg_a.insert(c.sg_a.begin(), "out accept ALL -1/-1 100.64.0.0/10 1");
  EXPECT_TRUE(count(c, "sg-outbound-restricted") == 0);
}

TEST(CloudSecurityGroupsTest, SlbHealthChecksOnNodePorts) {
  CloudCluster c;
  c.extra_yaml = R"(---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: cart}
  ports: [{port: 80, targetPort: http, nodePort: 31080}]
)";
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-slb-health-check-blocked");
  ASSERT_EQ(hits.size(), 2u);  // both groups
  EXPECT_EQ(hits[0]->object.kind, "Service");
  EXPECT_NE(hits[0]->fix.find("--PortRange 30000/32767 --SourceCidrIp 100.64.0.0/10"),
            std::string::npos)
      << hits[0]->fix;
  c.sg_a.push_back("in accept TCP 30000/32767 100.64.0.0/10 1");
  c.sg_b.push_back("in accept TCP 30000/32767 100.64.0.0/10 1");
  EXPECT_TRUE(count(c, "sg-slb-health-check-blocked") == 0);
}

TEST(CloudSecurityGroupsTest, InstanceStateBehindANode) {
  CloudCluster c;
  c.status_b = "Stopped";
  auto findings = run(c);
  auto hits = with_rule(findings, "ecs-instance-not-running");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->catalog, "ECS-PING-INSTANCE-STATE-OR-PROTECTION");
  EXPECT_EQ(hits[0]->object.key(), "Node/node-b");
  EXPECT_NE(hits[0]->fix.find("aliyun ecs StartInstance --RegionId cn-hangzhou --InstanceId i-b"),
            std::string::npos);
  EXPECT_TRUE(count(CloudCluster{}, "ecs-instance-not-running") == 0);

  c = CloudCluster{};
  c.locks_b = R"({"LockReason": "security"})";
  hits = with_rule(findings = run(c), "ecs-instance-locked");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0]->summary.find("locked (security)"), std::string::npos);
  EXPECT_TRUE(count(CloudCluster{}, "ecs-instance-locked") == 0);
}

TEST(CloudSecurityGroupsTest, GroupsWithoutRulesInTheSnapshotAreSaid) {
  CloudCluster c;
  c.sg_b = {"in accept TCP 22/22 203.0.113.0/24 1"};
  c.groups_b = "\"sg-b\", \"sg-unseen\"";
  auto findings = run(c);
  auto hits = with_rule(findings, "sg-intra-cluster-blocked");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(has_note(*hits[0],
                       "the rules of sg-unseen (also on these nodes) are not in the "
                       "snapshot"));
}

}  // namespace
}  // namespace ktriage
