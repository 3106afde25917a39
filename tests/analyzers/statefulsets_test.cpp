// StatefulSets stuck at an ordinal under OrderedReady.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string sts(std::string_view policy = "") {
  return "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop, uid: "
         "sts-1}\nspec: {replicas: 3" +
         std::string(policy) + "}\nstatus: {replicas: 2, readyReplicas: 1}\n";
}

std::string pod(int ordinal, bool ready) {
  const std::string name = "db-" + std::to_string(ordinal);
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: shop, uid: p-" +
         name +
         ", ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-1, "
         "controller: true}]}\nspec: {nodeName: n1, containers: [{name: db, image: postgres}]}\n"
         "status:\n  phase: Running\n  conditions: [{type: Ready, status: '" +
         (ready ? "True" : "False") +
         "'}]\n  containerStatuses: [{name: db, ready: " + (ready ? "true" : "false") +
         (ready ? ", restartCount: 0, state: {running: {}}}]\n"
                : ", restartCount: 7, state: {waiting: {reason: CrashLoopBackOff}}, lastState: "
                  "{terminated: {exitCode: 1, reason: Error}}}]\n");
}

TEST(StatefulSetsTest, FailingOrdinalKeepsTheHigherOnesFromBeingCreated) {
  auto f = diagnose(*cluster_from_yaml(sts() + pod(0, true) + pod(1, false)));
  auto r = with_rule(f, "statefulset-stuck-at-ordinal");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("stuck at ordinal 1: db-1 is not Ready, so db-2 is not created"),
            std::string::npos)
      << r[0]->summary;
  ASSERT_FALSE(r[0]->caused_by.empty()) << "the failing pod's finding explains it";
  bool pod_cause = false;
  for (const Finding& c : f)
    pod_cause |= c.id == r[0]->caused_by.front() && c.object.name == "db-1";
  std::string ids;
  for (const Finding& c : f) ids += c.id + " ";
  EXPECT_TRUE(pod_cause) << r[0]->caused_by.front() << " not in " << ids;
  EXPECT_NE(r[0]->fix.find("--cascade=orphan"), std::string::npos);
}

TEST(StatefulSetsTest, AllOrdinalsPresentOrParallelIsNotStuck) {
  // Every ordinal exists (one just is not Ready): the pod's finding is enough.
  auto all = diagnose(*cluster_from_yaml(sts() + pod(0, true) + pod(1, false) + pod(2, true)));
  EXPECT_TRUE(with_rule(all, "statefulset-stuck-at-ordinal").empty());
  // Parallel creates every ordinal at once.
  auto parallel = diagnose(
      *cluster_from_yaml(sts(", podManagementPolicy: Parallel") + pod(0, true) + pod(1, false)));
  EXPECT_TRUE(with_rule(parallel, "statefulset-stuck-at-ordinal").empty());
  // Healthy and still scaling up: db-1 Ready, db-2 about to be created.
  auto scaling = diagnose(*cluster_from_yaml(sts() + pod(0, true) + pod(1, true)));
  EXPECT_TRUE(with_rule(scaling, "statefulset-stuck-at-ordinal").empty());
}

}  // namespace
}  // namespace ktriage
