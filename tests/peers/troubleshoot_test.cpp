// Replicated troubleshoot's pod/event and workload fixtures (../shared/peers/troubleshoot) with the
// outcome its own tests expect, restated as "ktriage reports the same condition on the same
// object". Rows outside scope (node resources, preflight checks) are in docs/peer-conformance.md
// as not covered. Each row names the troubleshoot test case it comes from.
#include <gtest/gtest.h>

#include <set>

#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

struct PeerRow {
  const char* troubleshoot_case;
  std::vector<std::string> fixtures;            // under pkg/analyze/files/
  const char* pod;                              // "ns/name" that must have a finding; "" = none may
  std::set<std::string> catalogs;               // acceptable catalog ids; empty = any pod finding
  std::vector<std::string> healthy_namespaces;  // namespaces that must have no warning/critical
  const char* not_covered = nullptr;            // why ktriage deliberately differs
  const char* kind = "Pod";                     // the kind of `pod`
};

std::vector<Finding> run(const std::vector<std::string>& fixtures) {
  std::vector<std::string> paths;
  for (const auto& f : fixtures)
    paths.push_back(testing::shared_dir() + "/peers/troubleshoot/pkg/analyze/files/" + f);
  Inputs in = load_sources(paths);
  auto cluster = Cluster::build(std::move(in));
  return testing::diagnose(*cluster);
}

const std::vector<PeerRow>& rows() {
  static const std::vector<PeerRow> kRows = {
      {"Test_ClusterPodStatuses/pass_when_pods_are_healthy_in_all_namespaces",
       {"pods/default.json", "pods/other.json"},
       "",
       {},
       {"default", "other"}},
      {"Test_ClusterPodStatuses/pass_when_all_pods_are_healthy_in_specific_namespace",
       {"pods/default.json", "pods/other.json", "pods/default-unhealthy.json"},
       "",
       {},
       {"default", "other"}},
      {"Test_analyzeContainerStatuses/pass when there is no status detected",
       {"pods/default.json"},
       "",
       {},
       {"default"}},
      {"Test_ClusterPodStatuses/fail_when_pods_are_unhealthy_in_any_namespace (default-unhealthy)",
       {"pods/default-unhealthy.json"},
       "default-unhealthy/random-pod-75b66db9b9-nqhp8",
       {},
       {},
       "the fixture sets status.phase to \"CrashLoopBackOff\", a value Kubernetes never writes; "
       "its "
       "container is Running and Ready with 0 restarts, so ktriage sees a healthy pod"},
      {"Test_ClusterPodStatuses/fail_when_pods_are_unhealthy_in_any_namespace (other-unhealthy)",
       {"pods/other-unhealthy.json"},
       "other-unhealthy/other-pod-75b66db9b9-nqhp8",
       {},
       {},
       "same synthetic phase value as default-unhealthy"},
      {"Test_ClusterPodStatuses/show_message_of_pending_pods_with_wrong_node_affinity",
       {"pods/message-pending-node-affinity.json"},
       "message-pending-node-affinity/kotsadm-b6cb54c8f-zgzrn",
       {"POD-PENDING-NODE-SELECTOR-AFFINITY-MISMATCH"},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_pending_pod_resource",
       {"pods/message-pending-pod-resources.json"},
       "message-pending-pod-resources/pending-pod-resources-5fddcf7688-djjfc",
       // The message is "Insufficient nvidia.com/gpu": ktriage names the extended resource.
       {"POD-PENDING-INSUFFICIENT-RESOURCES", "POD-PENDING-INSUFFICIENT-EXTENDED-RESOURCE"},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_pod_crashloop_backoff",
       {"pods/message-pod-crashloop-backoff.json"},
       "message-pod-crashloop-backoff/init-demo",
       {},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_init_pod_crashloop_backoff",
       {"pods/message-pod-init-crashloop-backoff.json",
        "events/message-pod-init-crashloop-backoff.json"},
       "message-pod-init-crashloop-backoff/init-demo2",
       {},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_container_creating_pod_with_failed_mount",
       {"pods/message-container-creating-failed-mount.json",
        "events/message-container-creating-failed-mount.json"},
       "message-container-creating-failed-mount/troubleshoot-copyfromhost-4m79m-psdjm",
       {},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_oom_killed_pod + "
       "Test_analyzeContainerStatuses/fail when there is OOMKilled container",
       {"pods/message-oomkill-pod.json"},
       "message-oomkill-pod/oom-kill-job3-gbb89",
       {"POD-CRASH-OOMKILLED"},
       {}},
      {"Test_ClusterPodStatuses/show_message_of_image_pull_fail",
       {"pods/message-image-pull-fail.json", "events/message-image-pull-fail.json"},
       "message-image-pull-fail/no-image-deployment-849c4c4958-rxqmt",
       {"POD-WAITING-IMAGE-NOT-FOUND", "POD-WAITING-IMAGE-PULL-UNAUTHORIZED",
        "POD-WAITING-IMAGE-PULL-BACKOFF", "POD-WAITING-IMAGE-PULL-NETWORK",
        "POD-WAITING-IMAGE-PULL-TLS"},
       {}},
      {"Test_ClusterPodStatuses/show_none_message_of_no_events_pod",
       {"pods/message-image-pull-fail.json"},
       "message-image-pull-fail/no-image-deployment-849c4c4958-rxqmt",
       {},
       {}},
      // Workload status analyzers: their "analyze all" cases expect every not-ready object
      // reported (the "with namespaces" variants expect a subset of the same objects).
      {"Test_analyzeReplicaSetStatus/analyze all replicasets (rook-ceph) + fail because 0 ready",
       {"replicasets/rook-ceph.json", "replicasets/default.json"},
       "rook-ceph/rook-ceph-mds-rook-shared-fs-b-7895f484f5",
       {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"},
       {},
       nullptr,
       "ReplicaSet"},
      {"Test_analyzeReplicaSetStatus/analyze all replicasets (+ with namespaces) (default)",
       {"replicasets/rook-ceph.json", "replicasets/default.json"},
       "default/kurl-proxy-kotsadm-cf695877c",
       {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"},
       {},
       nullptr,
       "ReplicaSet"},
      {"Test_analyzeStatefulsetStatus/analyze all statefulsets (+ with namespaces) (monitoring)",
       {"statefulsets/monitoring.json", "statefulsets/default.json"},
       "monitoring/alertmanager-prometheus-alertmanager",
       {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"},
       {},
       nullptr,
       "StatefulSet"},
      {"Test_analyzeStatefulsetStatus/analyze all statefulsets (default)",
       {"statefulsets/monitoring.json", "statefulsets/default.json"},
       "default/kotsadm-postgres",
       {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"},
       {},
       nullptr,
       "StatefulSet"},
      {"Test_JobStatus/analyze all jobs (test) + fail when failed > 0",
       {"jobs/test.json", "jobs/projectcontour.json"},
       "test/post-install-job",
       {"JOB-BACKOFF-LIMIT-EXCEEDED"},
       {},
       nullptr,
       "Job"},
      {"Test_deploymentStatus/1/1, pass when = 1 (kotsadm-api, and nothing else in default)",
       {"deployments/default.json"},
       "",
       {},
       {"default"}},
      {"Test_deploymentStatus/multiple namespaces, 2/3",
       {"deployments/default.json", "deployments/monitoring.json"},
       "default/kotsadm-web",
       {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"},
       {},
       "troubleshoot compares readyReplicas with status.replicas (1/2); the Deployment is "
       "Available "
       "with availableReplicas equal to spec.replicas (1) and Progressing=NewReplicaSetAvailable: "
       "the second replica is the old revision's pod still terminating after a finished rollout, "
       "not a fault",
       "Deployment"},
      {"Test_JobStatus/analyze all jobs (+ with namespaces) (projectcontour)",
       {"jobs/test.json", "jobs/projectcontour.json"},
       "projectcontour/contour-certgen-v1.19.1",
       {},
       {},
       "the fixture's Job has condition Complete=True (and a completionTime) with failed: 1; "
       "ktriage trusts the job controller's Complete condition and never reports a completed Job",
       "Job"},
  };
  return kRows;
}

class TroubleshootPeer : public ::testing::TestWithParam<PeerRow> {};

void PrintTo(const PeerRow& r, std::ostream* os) { *os << r.troubleshoot_case; }

TEST_P(TroubleshootPeer, ReportsTheSameCondition) {
  const PeerRow& row = GetParam();
  if (row.not_covered != nullptr) GTEST_SKIP() << "not covered: " << row.not_covered;
  auto findings = run(row.fixtures);
  if (std::string_view(row.pod).empty()) {
    for (const Finding& f : findings) {
      for (const auto& ns : row.healthy_namespaces) {
        EXPECT_FALSE(f.object.ns == ns && f.severity >= Severity::kWarning)
            << "unexpected " << f.id;
      }
    }
    return;
  }
  bool found = false;
  std::string seen;
  for (const Finding& f : findings) {
    bool about = f.object.kind == row.kind && f.object.ns + "/" + f.object.name == row.pod;
    for (const auto& o : f.also_affects)
      about = about || (o.kind == row.kind && o.ns + "/" + o.name == row.pod);
    if (!about) continue;
    seen += " " + f.catalog;
    if (f.severity < Severity::kWarning) continue;
    if (row.catalogs.empty() || row.catalogs.count(f.catalog) > 0) found = true;
  }
  EXPECT_TRUE(found) << row.troubleshoot_case << ": no matching finding on " << row.pod
                     << "; found:" << seen;
}

// The same "analyze all" cases expect nothing about the ready and complete objects beside them.
TEST(TroubleshootPeerWorkloads, ReadyAndCompleteWorkloadsAreNotReported) {
  auto findings = run({"jobs/test.json", "replicasets/rook-ceph.json", "replicasets/default.json",
                       "statefulsets/monitoring.json", "statefulsets/default.json"});
  const std::set<std::string> fine = {
      "Job/test/pre-install-job", "ReplicaSet/rook-ceph/rook-ceph-operator-5557df7466",
      "ReplicaSet/rook-ceph/rook-ceph-crashcollector-kurl-002-66cc8f5556",
      "ReplicaSet/default/kotsadm-f98ff7d75", "StatefulSet/monitoring/prometheus-k8s"};
  std::size_t reported = 0;
  for (const Finding& f : findings) {
    EXPECT_EQ(fine.count(f.object.key()), 0u) << f.id;
    if (f.severity >= Severity::kWarning) ++reported;
  }
  EXPECT_EQ(reported, 5u);  // mds-b, kurl-proxy, alertmanager, kotsadm-postgres, post-install-job
}

INSTANTIATE_TEST_SUITE_P(Troubleshoot, TroubleshootPeer, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<PeerRow>& info) {
                           return "row" + std::to_string(info.index);
                         });

}  // namespace
}  // namespace ktriage
