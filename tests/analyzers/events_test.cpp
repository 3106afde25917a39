#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

constexpr std::string_view kRs = R"(apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-1, namespace: shop, uid: r1}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: ReplicaSet, name: web-1, namespace: shop, uid: r1}
reason: FailedCreate
type: Warning
count: 4
message: 'Error creating: Internal error occurred: resource quota evaluation timed out'
lastTimestamp: "2026-11-29T10:40:00Z"
source: {component: replicaset-controller}
)";

TEST(EventsTest, UnexplainedWarningsAreGroupedByReason) {
  auto c = cluster_from_yaml(kRs);
  auto r_findings = diagnose(*c);
  auto r = with_rule(r_findings, "unexplained-warning-events");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "ReplicaSet/shop/web-1");
  EXPECT_NE(r[0]->summary.find("4 Warning events \"FailedCreate\""), std::string::npos);
  ASSERT_FALSE(r[0]->evidence.empty());
  EXPECT_EQ(r[0]->evidence[0].count, 4);
}

TEST(EventsTest, EventsARuleExplainsAreNotUnexplained) {
  // The workloads analyzer explains a FailedCreate refused by quota: it is its evidence.
  std::string yaml(kRs);
  const std::string timeout =
      "Error creating: Internal error occurred: resource quota evaluation timed out";
  yaml.replace(yaml.find(timeout), timeout.size(),
               "pods \"web-1-x\" is forbidden: exceeded quota: compute");
  yaml.replace(yaml.find("uid: r1}\n"), 9,
               "uid: r1}\nspec: {replicas: 1}\nstatus: {replicas: 0}\n");
  auto c = cluster_from_yaml(yaml);
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  EXPECT_EQ(with_rule(f, "rs-failedcreate-quota-exceeded").size(), 1u);
}

TEST(EventsTest, NegativeNormalEventsAndRecoveredPodsAreQuiet) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, uid: p1}
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: BackOff
type: Warning
message: Back-off restarting failed container
lastTimestamp: "2026-11-29T09:00:00Z"
---
apiVersion: v1
kind: Event
metadata: {name: e2, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: Started
type: Normal
lastTimestamp: "2026-11-29T10:00:00Z"
)");
  auto quiet = diagnose(*c);
  EXPECT_TRUE(with_rule(quiet, "unexplained-warning-events").empty());
}

}  // namespace
}  // namespace ktriage
