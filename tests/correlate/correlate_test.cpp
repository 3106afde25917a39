// Correlation of workloads with their pods' and ReplicaSets' faults (src/correlate/correlate.cpp).
#include "correlate/correlate.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

// A Deployment rolling out revision 2 whose new ReplicaSet cannot create pods (quota), while
// `available` pods of revision 1 still serve.
std::string blocked_rollout(int available) {
  return R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec: {replicas: 3, selector: {matchLabels: {app: web}}}
status: {replicas: )" +
         std::to_string(available) +
         ", updatedReplicas: 0, availableReplicas: " + std::to_string(available) + R"(}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-2
  namespace: shop
  uid: rs2
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec: {replicas: 3}
status: {replicas: 0}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: ReplicaSet, name: web-2, namespace: shop, uid: rs2}
reason: FailedCreate
type: Warning
count: 7
lastTimestamp: "2026-11-29T10:00:00Z"
source: {component: replicaset-controller}
message: 'Error creating: pods "web-2-x" is forbidden: exceeded quota: compute, requested: cpu=2, used: cpu=9, limited: cpu=10'
)";
}

TEST(CorrelateTest, BlockedRolloutThatStillServesEverythingIsOnlyAWarning) {
  auto serving = diagnose(*cluster_from_yaml(blocked_rollout(3)));
  auto w = with_rule(serving, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]->severity, Severity::kWarning);
  EXPECT_NE(w[0]->summary.find("3/3 available from the previous revision"), std::string::npos)
      << w[0]->summary;
  EXPECT_FALSE(w[0]->caused_by.empty());
  // Nothing left serving: the symptom keeps its cause's severity.
  auto down = diagnose(*cluster_from_yaml(blocked_rollout(0)));
  auto d = with_rule(down, "workload-unhealthy");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->severity, Severity::kCritical);
}

// A kube-system add-on Deployment with one crashing pod.
std::string addon(std::string_view ns, std::string_view name, int available) {
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + ", uid: d-" + std::string(name) +
         "}\nspec: {replicas: 1}\nstatus: {replicas: 1, availableReplicas: " +
         std::to_string(available) +
         "}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         "-5d4f-x, namespace: " + std::string(ns) +
         ", ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: " + std::string(name) +
         ", uid: d-" + std::string(name) +
         ", controller: true}]}\nspec: {nodeName: n1, containers: [{name: c, image: x}]}\n"
         "status:\n  phase: Running\n  containerStatuses: [{name: c, ready: false, restartCount: "
         "9, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, "
         "reason: Error}}}]\n";
}

TEST(CorrelateTest, AnAddOnThatIsDownSaysWhatItBreaks) {
  auto down = diagnose(*cluster_from_yaml(addon("kube-system", "metrics-server", 0)));
  auto w = with_rule(down, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0]->summary.find("1 pod failing; HPAs cannot read CPU and memory metrics"),
            std::string::npos)
      << w[0]->summary;
  // The same name outside kube-system, or a replica still available: no such clause.
  auto elsewhere = diagnose(*cluster_from_yaml(addon("monitoring", "metrics-server", 0)));
  auto e = with_rule(elsewhere, "workload-unhealthy");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]->summary.find("HPAs"), std::string::npos) << e[0]->summary;
}

}  // namespace
}  // namespace ktriage
