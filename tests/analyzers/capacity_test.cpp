// Capacity pods cannot use: node allocatable far below capacity, and used-up ResourceQuotas.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string node(std::string_view name, std::string_view memory_alloc,
                 std::string_view cpu_alloc = "3920m") {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
         "}\nstatus:\n  conditions: [{type: Ready, status: 'True'}]\n  capacity: {cpu: '4', "
         "memory: 16266364Ki, pods: '110'}\n  allocatable: {cpu: " +
         std::string(cpu_alloc) + ", memory: " + std::string(memory_alloc) + ", pods: '110'}\n";
}

TEST(CapacityTest, AllocatableFarBelowCapacityIsOneFindingPerNodeShape) {
  auto f = diagnose(*cluster_from_yaml(node("n1", "6506545Ki") + node("n2", "6506545Ki") +
                                       node("n3", "14000000Ki")));
  auto r = with_rule(f, "node-allocatable-low");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kInfo);
  EXPECT_EQ(r[0]->also_affects.size(), 1u);
  EXPECT_NE(r[0]->summary.find("Node n1 and 1 more: pods may use only 39% of its memory"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->fix.find("/api/v1/nodes/n1/proxy/configz"), std::string::npos);
  // CPU too.
  auto cpu = diagnose(*cluster_from_yaml(node("n1", "14000000Ki", "1500m")));
  ASSERT_EQ(with_rule(cpu, "node-allocatable-low").size(), 1u);
  // Usual reservations (86% here), and a small node's 57% (AKS on 4 GiB), are fine.
  auto fine = diagnose(*cluster_from_yaml(node("n1", "14000000Ki") + node("n2", "9271827Ki")));
  EXPECT_TRUE(with_rule(fine, "node-allocatable-low").empty());
}

std::string quota(std::string_view hard, std::string_view used) {
  return "---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: shop}\n"
         "spec: {hard: " +
         std::string(hard) + "}\nstatus: {hard: " + std::string(hard) +
         ", used: " + std::string(used) + "}\n";
}

TEST(CapacityTest, UsedUpQuotaIsReportedUnlessAControllerAlreadyFailsOnIt) {
  auto f = diagnose(
      *cluster_from_yaml(quota("{requests.cpu: '4', pods: '20', services.loadbalancers: '0'}",
                               "{requests.cpu: 4000m, pods: '12', services.loadbalancers: '0'}")));
  auto r = with_rule(f, "resourcequota-exhausted");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "RS-FAILEDCREATE-QUOTA-EXCEEDED");
  EXPECT_NE(r[0]->summary.find("is used up (requests.cpu)"), std::string::npos) << r[0]->summary;
  EXPECT_EQ(r[0]->evidence.size(), 1u) << "a hard limit of 0 is a policy, not exhaustion";
  // Room left: nothing.
  auto room = diagnose(*cluster_from_yaml(quota("{requests.cpu: '4'}", "{requests.cpu: 3500m}")));
  EXPECT_TRUE(with_rule(room, "resourcequota-exhausted").empty());
  // A ReplicaSet already failing on this quota tells it; no second finding.
  const std::string rs =
      "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-5d4f, namespace: shop, "
      "uid: rs-1}\nspec: {replicas: 3}\nstatus: {replicas: 1, conditions: [{type: "
      "ReplicaFailure, status: 'True', reason: FailedCreate, message: 'pods \"web-5d4f-x\" is "
      "forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: "
      "requests.cpu=4, limited: requests.cpu=4'}]}\n";
  auto failing =
      diagnose(*cluster_from_yaml(rs + quota("{requests.cpu: '4'}", "{requests.cpu: '4'}")));
  EXPECT_FALSE(with_rule(failing, "rs-failedcreate-quota-exceeded").empty());
  EXPECT_TRUE(with_rule(failing, "resourcequota-exhausted").empty());
}

TEST(CapacityTest, QuotaNumbersAndNamesAreReadExactly) {
  // A bare number keeps its fraction: 0.5 CPUs used of 0.5 is used up, and is quoted as written.
  auto f = diagnose(*cluster_from_yaml(quota("{limits.cpu: 0.5}", "{limits.cpu: 500m}")));
  auto r = with_rule(f, "resourcequota-exhausted");
  ASSERT_EQ(r.size(), 1u);
  bool quoted = false;
  for (const Evidence& e : r[0]->evidence) quoted = quoted || e.value == "500m of hard 0.5";
  EXPECT_TRUE(quoted);
  // Numbers no quantity can be (too large for milli-units, not a number) are not read as full.
  for (std::string_view hard : {"1e300", ".nan", "-.inf"}) {
    auto none = diagnose(*cluster_from_yaml(quota("{limits.cpu: " + std::string(hard) + "}",
                                                  "{limits.cpu: " + std::string(hard) + "}")));
    EXPECT_TRUE(with_rule(none, "resourcequota-exhausted").empty()) << hard;
  }
}

}  // namespace
}  // namespace ktriage
