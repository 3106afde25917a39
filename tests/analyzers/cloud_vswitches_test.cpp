// Terway pod vSwitches without free addresses.
#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::with_rule;

std::vector<Finding> run(int free_h, int free_h2 = 100) {
  testing::CloudCluster c;
  c.extra_yaml = R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: eni-config, namespace: kube-system}
data:
  eni_conf: |
    {"version": "1", "max_pool_size": 5, "min_pool_size": 0,
     "vswitches": {"cn-hangzhou-k": ["vsw-pods-k", "vsw-pods-k2"]},
     "security_group": "sg-b", "service_cidr": "192.168.0.0/16"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: terway-eniip, namespace: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop}
spec:
  nodeName: node-b
  containers: [{name: api, image: api:1}]
status:
  phase: Pending
  containerStatuses:
  - {name: api, ready: false, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}
)";
  c.extra_files.push_back({"snap/cloud/vpc-DescribeVSwitches.json",
                           R"({"VSwitches": {"VSwitch": [
         {"VSwitchId": "vsw-pods-k", "VpcId": "vpc-1", "ZoneId": "cn-hangzhou-k",
          "CidrBlock": "10.2.0.0/24", "AvailableIpAddressCount": )" +
                               std::to_string(free_h) + R"(},
         {"VSwitchId": "vsw-pods-k2", "VpcId": "vpc-1", "ZoneId": "cn-hangzhou-k",
          "CidrBlock": "10.2.1.0/24", "AvailableIpAddressCount": )" +
                               std::to_string(free_h2) + R"(},
         {"VSwitchId": "vsw-nodes", "VpcId": "vpc-1", "ZoneId": "cn-hangzhou-k",
          "CidrBlock": "10.0.2.0/24", "AvailableIpAddressCount": 0}]}})"});
  auto cluster = testing::cluster_from(testing::cloud_files(c));
  return testing::diagnose(*cluster);
}

TEST(CloudVSwitchesTest, AnExhaustedPodVSwitchIsCritical) {
  const auto findings = run(0, 0);
  auto hits = with_rule(findings, "terway-vswitch-ip-exhausted");
  ASSERT_EQ(hits.size(), 2u);  // both pod vSwitches; not the node vSwitch eni-config omits
  const Finding& f = *hits[0];
  EXPECT_EQ(f.catalog, "NET-TERWAY-VSWITCH-IP-EXHAUSTED");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.object.key(), "VSwitch/vsw-pods-k");
  EXPECT_EQ(f.evidence[0].path, ".VSwitches.VSwitch[0].AvailableIpAddressCount");
  EXPECT_EQ(f.evidence[0].value, "0");
  EXPECT_EQ(f.evidence[0].file, "snap/cloud/vpc-DescribeVSwitches.json");
  bool waiting = false;
  for (const Evidence& e : f.evidence) {
    waiting = waiting || e.value.find("nodes in zone cn-hangzhou-k: node-b; 1 pods on them wait") !=
                             std::string::npos;
  }
  EXPECT_TRUE(waiting);
  EXPECT_NE(f.fix.find("aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId vpc-1 --ZoneId "
                       "cn-hangzhou-k"),
            std::string::npos)
      << f.fix;
}

TEST(CloudVSwitchesTest, AFewLeftIsAWarningAndPlentyIsNothing) {
  auto findings = run(5);
  auto hits = with_rule(findings, "terway-vswitch-ip-exhausted");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->severity, Severity::kWarning);
  findings = run(200);
  EXPECT_TRUE(with_rule(findings, "terway-vswitch-ip-exhausted").empty());
}

}  // namespace
}  // namespace ktriage
