// Nodes: NotReady per cause, pressure conditions, cordon, pods on a lost node,
// pods stuck Terminating, evictions grouped per node and resource; each with its negative.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-12-01T08:30:00Z");

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// One condition line for a Node: {type, status, reason, message, times}.
std::string cond(std::string_view type, std::string_view status, std::string_view reason,
                 std::string_view message, std::string_view heartbeat = "2026-12-01T08:29:50Z") {
  return "    - {type: " + std::string(type) + ", status: \"" + std::string(status) +
         "\", reason: " + std::string(reason) + ", message: " + quoted(message) +
         ", lastHeartbeatTime: \"" + std::string(heartbeat) +
         "\", lastTransitionTime: \"2026-12-01T08:10:00Z\"}\n";
}

const std::string kHealthyConds =
    cond("MemoryPressure", "False", "KubeletHasSufficientMemory",
         "kubelet has sufficient memory available") +
    cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure") +
    cond("PIDPressure", "False", "KubeletHasSufficientPID",
         "kubelet has sufficient PID available") +
    cond("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route");
const std::string kReadyTrue =
    cond("Ready", "True", "KubeletReady", "kubelet is posting ready status");

std::string node(std::string_view name, std::string_view conditions,
                 std::string_view spec = "  podCIDR: 10.244.1.0/24\n",
                 std::string_view kubelet = "v1.30.4") {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) + ", uid: node-" +
         std::string(name) + "}\nspec:\n" + std::string(spec) +
         "status:\n  addresses: [{type: InternalIP, address: 10.0.1.12}]\n  conditions:\n" +
         std::string(conditions) + "  nodeInfo: {kubeletVersion: " + std::string(kubelet) +
         ", containerRuntimeVersion: containerd://1.6.28}\n";
}

std::string pod(std::string_view name, std::string_view node_name, std::string_view status,
                std::string_view metadata_extra = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + std::string(name) +
         "\n  namespace: shop\n  uid: pod-" + std::string(name) + "\n" +
         std::string(metadata_extra) + "spec:\n  nodeName: " + std::string(node_name) +
         "\n  containers: [{name: app, image: shop/app:1.0}]\n  tolerations:\n  - {key: "
         "node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, "
         "tolerationSeconds: 300}\nstatus:\n" +
         std::string(status);
}

const std::string kRunningNotReady =
    "  phase: Running\n  conditions:\n  - {type: Ready, status: \"False\", lastTransitionTime: "
    "\"2026-12-01T08:26:10Z\"}\n  containerStatuses:\n  - {name: app, ready: true, restartCount: "
    "0, state: {running: {startedAt: \"2026-12-01T07:00:00Z\"}}}\n";
const std::string kRunningReady =
    "  phase: Running\n  conditions:\n  - {type: Ready, status: \"True\"}\n  containerStatuses:\n"
    "  - {name: app, ready: true, restartCount: 0, state: {running: {startedAt: "
    "\"2026-12-01T07:00:00Z\"}}}\n";

const std::string kStoppedConds =
    cond("MemoryPressure", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.",
         "2026-12-01T08:25:30Z") +
    cond("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.",
         "2026-12-01T08:25:30Z");
const std::string kUnreachableTaints =
    "  taints:\n  - {key: node.kubernetes.io/unreachable, effect: NoSchedule, timeAdded: "
    "\"2026-12-01T08:26:10Z\"}\n  - {key: node.kubernetes.io/unreachable, effect: NoExecute, "
    "timeAdded: \"2026-12-01T08:26:15Z\"}\n";

std::vector<Finding> run(const std::string& yaml) {
  return diagnose(*cluster_from_yaml(yaml, kNow));
}

// How many findings of `rule`; takes temporaries (with_rule's results would dangle).
std::size_t count_rule(const std::vector<Finding>& findings, std::string_view rule) {
  return with_rule(findings, rule).size();
}

bool has_evidence(const Finding& f, std::string_view text) {
  for (const Evidence& e : f.evidence) {
    if (e.value.find(text) != std::string::npos || e.path.find(text) != std::string::npos)
      return true;
  }
  return false;
}

TEST(NodesTest, KubeletStoppedPostingSaysHowLongWithTaintsAndFix) {
  auto findings = run(node("n2", kStoppedConds, kUnreachableTaints));
  auto f = with_rule(findings, "node-kubelet-stopped-posting");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->catalog, "NODE-NOT-READY-KUBELET-STOPPED-POSTING");
  EXPECT_NE(f[0]->summary.find("4m ago"), std::string::npos) << f[0]->summary;
  EXPECT_TRUE(has_evidence(*f[0], "Kubelet stopped posting node status."));
  EXPECT_TRUE(has_evidence(*f[0], "node.kubernetes.io/unreachable:NoExecute"));
  EXPECT_TRUE(has_evidence(*f[0], "MemoryPressure"));
  EXPECT_NE(f[0]->fix.find("systemctl status kubelet"), std::string::npos);
  EXPECT_NE(f[0]->fix.find("ssh 10.0.1.12"), std::string::npos);
  // A lost node is deleted, not drained: a drain waits for a kubelet that cannot answer.
  EXPECT_NE(f[0]->fix.find("If the node is lost: kubectl delete node n2"), std::string::npos)
      << f[0]->fix;
  EXPECT_EQ(f[0]->fix.find("kubectl drain n2"), std::string::npos) << f[0]->fix;
  EXPECT_NE(f[0]->fix.find("restart with systemctl restart kubelet"), std::string::npos);
  EXPECT_TRUE(f[0]->caused_by.empty());
}

// The node's kubelet log shows the runtime hung (PLEG): the runtime is restarted first.
TEST(NodesTest, KubeletStoppedPostingAfterARuntimeHangRestartsTheRuntimeFirst) {
  const std::string log =
      "E1201 08:23:14.200117    1187 kubelet.go:2386] \"Skipping pod synchronization\" "
      "err=\"PLEG is not healthy: pleg was last seen active 3m2.196s ago; threshold is 3m0s\"\n";
  auto findings =
      diagnose(*cluster_from({{"snap/nodes.yaml", node("n2", kStoppedConds, kUnreachableTaints)},
                              {"snap/nodes/n2/kubelet.log", log}},
                             kNow));
  auto f = with_rule(findings, "node-kubelet-stopped-posting");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("restart the runtime first: systemctl restart containerd, then "
                           "systemctl restart kubelet"),
            std::string::npos)
      << f[0]->fix;
}

TEST(NodesTest, HealthyNodeIsNeverReported) {
  auto findings = run(node("n1", kHealthyConds + kReadyTrue) + pod("a", "n1", kRunningReady));
  EXPECT_TRUE(findings.empty()) << findings[0].id << ": " << findings[0].summary;
}

TEST(NodesTest, PlegNotHealthy) {
  auto findings = run(
      node("n1", cond("Ready", "False", "KubeletNotReady",
                      "PLEG is not healthy: pleg was last seen active 3m5.30s ago; threshold is "
                      "3m0s")));
  auto f = with_rule(findings, "node-not-ready-pleg");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->catalog, "NODE-NOT-READY-PLEG");
  EXPECT_NE(f[0]->fix.find("systemctl restart containerd"), std::string::npos);
  EXPECT_TRUE(with_rule(findings, "node-not-ready-runtime-down").empty());
}

TEST(NodesTest, NotReadyForAnotherReasonIsStillReported) {
  auto findings = run(node("n1", cond("Ready", "False", "KubeletNotReady",
                                      "Missing node capacity for resources: ephemeral-storage")));
  auto f = with_rule(findings, "node-not-ready");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kCritical);
  EXPECT_NE(f[0]->summary.find("the kubelet reports KubeletNotReady (Missing node capacity"),
            std::string::npos)
      << f[0]->summary;
  EXPECT_NE(f[0]->fix.find("journalctl -u kubelet"), std::string::npos);
  // A specific cause takes its own rule, and a Ready node none.
  auto pleg = run(node("n1", cond("Ready", "False", "KubeletNotReady",
                                  "PLEG is not healthy: pleg has yet to be successful")));
  EXPECT_TRUE(with_rule(pleg, "node-not-ready").empty());
  EXPECT_EQ(count_rule(run(node("n1", kHealthyConds + kReadyTrue)), "node-not-ready"), 0u);
}

TEST(NodesTest, RuntimeDown) {
  auto findings =
      run(node("n1", cond("Ready", "False", "KubeletNotReady",
                          "container runtime is down, PLEG is not healthy: pleg has yet to be "
                          "successful")));
  // The kubelet joins its errors: a runtime that is down also stalls PLEG; the runtime is the
  // cause, so only it is reported.
  EXPECT_EQ(with_rule(findings, "node-not-ready-runtime-down").size(), 1u);
  EXPECT_TRUE(with_rule(findings, "node-not-ready-pleg").empty());
  auto findings2 = run(node("n1", cond("Ready", "False", "KubeletNotReady",
                                       "container runtime status check may not have completed "
                                       "yet")));
  auto f = with_rule(findings2, "node-not-ready-runtime-down");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->catalog, "NODE-NOT-READY-RUNTIME-DOWN");
  EXPECT_TRUE(
      count_rule(run(node("n1", kHealthyConds + kReadyTrue)), "node-not-ready-runtime-down") == 0u);
}

TEST(NodesTest, CniNotReadyBothWordings) {
  for (std::string_view msg :
       {"container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
        "message:Network plugin returns error: cni plugin not initialized",
        "runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
        "message:docker: network plugin is not ready: cni config uninitialized"}) {
    auto findings = run(node("k8s-2", cond("Ready", "False", "KubeletNotReady", msg)));
    auto f = with_rule(findings, "node-not-ready-cni");
    ASSERT_EQ(f.size(), 1u) << msg;
    EXPECT_EQ(f[0]->catalog, "POD-WAITING-NETWORK-NOT-READY");
    EXPECT_EQ(f[0]->object.name, "k8s-2");
    EXPECT_NE(f[0]->fix.find("/etc/cni/net.d"), std::string::npos);
  }
  // Another Ready=False reason is not a CNI problem.
  auto other = run(node("n1", cond("Ready", "False", "KubeletNotReady", "something else")));
  EXPECT_TRUE(with_rule(other, "node-not-ready-cni").empty());
}

const std::string kCniMessage =
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized";

std::string pending_pod(std::string_view name, std::string_view spec_extra = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         ", namespace: shop, uid: pod-" + std::string(name) + "}\nspec:\n  nodeName: n1\n" +
         std::string(spec_extra) +
         "  containers: [{name: app, image: shop/app:1.0}]\nstatus:\n  phase: Pending\n"
         "  containerStatuses: [{name: app, ready: false, restartCount: 0, state: {waiting: "
         "{reason: ContainerCreating}}}]\n"
         "---\napiVersion: v1\nkind: Event\nmetadata: {name: e-" +
         std::string(name) +
         ", namespace: shop}\ninvolvedObject: {kind: Pod, name: " + std::string(name) +
         ", namespace: shop, uid: pod-" + std::string(name) +
         "}\nreason: NetworkNotReady\ntype: Warning\nsource: {component: kubelet, host: n1}\n"
         "count: 14\nlastTimestamp: \"2026-12-01T08:29:00Z\"\nmessage: " +
         ktriage::quoted("network is not ready: " + kCniMessage) + "\n";
}

TEST(NodesTest, PodsOnCniNotReadyNodeAreCausedByTheNode) {
  auto findings = run(node("n1", cond("Ready", "False", "KubeletNotReady", kCniMessage)) +
                      pending_pod("api-1") + pending_pod("agent-1", "  hostNetwork: true\n"));
  auto nodef = with_rule(findings, "node-not-ready-cni");
  auto f = with_rule(findings, "pod-network-not-ready");
  ASSERT_EQ(nodef.size(), 1u);
  ASSERT_EQ(f.size(), 1u);  // the hostNetwork pod needs no CNI
  EXPECT_EQ(f[0]->catalog, "POD-WAITING-NETWORK-NOT-READY");
  EXPECT_EQ(f[0]->object.name, "api-1");
  EXPECT_TRUE(has_evidence(*f[0], "network is not ready"));
  EXPECT_EQ(f[0]->caused_by, std::vector<std::string>{nodef[0]->id});
}

TEST(NodesTest, PendingPodOnReadyNodeIsNotANetworkFault) {
  auto findings = run(node("n1", kHealthyConds + kReadyTrue) + pending_pod("api-1"));
  EXPECT_TRUE(with_rule(findings, "pod-network-not-ready").empty());
}

TEST(NodesTest, PressureConditionsOnlyWhenTrue) {
  const std::string conds =
      cond("MemoryPressure", "True", "KubeletHasInsufficientMemory",
           "kubelet has insufficient memory available") +
      cond("DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure") +
      cond("PIDPressure", "True", "KubeletHasInsufficientPID",
           "kubelet has insufficient PID available") +
      cond("NetworkUnavailable", "True", "NoRouteCreated",
           "RouteController failed to create a route") +
      kReadyTrue;
  auto findings = run(node("n1", conds));
  for (std::string_view rule : {"node-memory-pressure", "node-disk-pressure", "node-pid-pressure",
                                "node-network-unavailable"}) {
    auto f = with_rule(findings, rule);
    ASSERT_EQ(f.size(), 1u) << rule;
    EXPECT_FALSE(f[0]->evidence.empty());
    EXPECT_FALSE(f[0]->fix.empty());
  }
  EXPECT_EQ(with_rule(findings, "node-memory-pressure")[0]->catalog, "NODE-MEMORY-PRESSURE");
  EXPECT_EQ(with_rule(findings, "node-network-unavailable")[0]->catalog,
            "NET-FLANNEL-ROUTE-NOT-CREATED");
  auto healthy = run(node("n1", kHealthyConds + kReadyTrue));
  for (std::string_view rule : {"node-memory-pressure", "node-disk-pressure", "node-pid-pressure",
                                "node-network-unavailable"}) {
    EXPECT_TRUE(with_rule(healthy, rule).empty()) << rule;
  }
}

TEST(NodesTest, CordonedNodeIsInfoWithSince) {
  auto findings = run(node("n1", kHealthyConds + kReadyTrue,
                           "  unschedulable: true\n  taints:\n  - {key: "
                           "node.kubernetes.io/unschedulable, effect: NoSchedule, timeAdded: "
                           "\"2026-12-01T06:00:00Z\"}\n"));
  auto f = with_rule(findings, "node-cordoned");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kInfo);
  EXPECT_NE(f[0]->summary.find("since 2026-12-01 06:00 UTC"), std::string::npos) << f[0]->summary;
  EXPECT_NE(f[0]->fix.find("kubectl uncordon n1"), std::string::npos);
  EXPECT_TRUE(count_rule(run(node("n1", kHealthyConds + kReadyTrue)), "node-cordoned") == 0u);
}

TEST(NodesTest, PodsOnLostNodeAreCausedByTheNode) {
  auto findings =
      run(node("n2", kStoppedConds, kUnreachableTaints) + pod("api-1", "n2", kRunningNotReady) +
          node("n1", kReadyTrue) + pod("api-2", "n1", kRunningReady));
  auto nodef = with_rule(findings, "node-kubelet-stopped-posting");
  auto f = with_rule(findings, "pod-node-unreachable");
  ASSERT_EQ(nodef.size(), 1u);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->catalog, "POD-UNKNOWN-NODE-UNREACHABLE");
  EXPECT_EQ(f[0]->object.name, "api-1");
  ASSERT_EQ(f[0]->caused_by.size(), 1u);
  EXPECT_EQ(f[0]->caused_by[0], nodef[0]->id);
  EXPECT_TRUE(has_evidence(*f[0], "tolerationSeconds") ||
              has_evidence(*f[0], "NoExecute for 300s"));
}

TEST(NodesTest, PodOnHealthyNodeIsNotLost) {
  auto findings = run(node("n1", kHealthyConds + kReadyTrue) + pod("api-1", "n1", kRunningReady));
  EXPECT_TRUE(with_rule(findings, "pod-node-unreachable").empty());
  // A NotReady node whose kubelet still reports: pods are not stale unless phase Unknown.
  auto cni = run(node("n1", cond("Ready", "False", "KubeletNotReady",
                                 "container runtime network not ready: NetworkReady=false")) +
                 pod("api-1", "n1", kRunningReady));
  EXPECT_TRUE(with_rule(cni, "pod-node-unreachable").empty());
}

TEST(NodesTest, UnknownPodWithoutItsNodeInTheSnapshot) {
  auto findings = run(pod("api-1", "n9",
                          "  phase: Unknown\n  reason: NodeLost\n  message: Node n9 "
                          "which was running pod api-1 is unresponsive\n"));
  auto f = with_rule(findings, "pod-node-unreachable");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("node n9"), std::string::npos) << f[0]->summary;
  EXPECT_TRUE(has_evidence(*f[0], "NodeLost"));
  // Running on an absent node says nothing about that node.
  EXPECT_EQ(count_rule(run(pod("api-1", "n9", kRunningReady)), "pod-node-unreachable"), 0u);
}

TEST(NodesTest, StuckTerminatingOnLostNode) {
  const std::string deleting =
      "  deletionTimestamp: \"2026-12-01T08:27:10Z\"\n  deletionGracePeriodSeconds: 30\n";
  auto findings = run(node("n2", kStoppedConds, kUnreachableTaints) +
                      pod("worker-1", "n2", kRunningNotReady, deleting));
  auto f = with_rule(findings, "pod-stuck-terminating");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->catalog, "POD-STUCK-TERMINATING");
  EXPECT_NE(f[0]->summary.find("2m past"), std::string::npos) << f[0]->summary;
  EXPECT_EQ(f[0]->caused_by.size(), 1u);
  EXPECT_NE(f[0]->fix.find("--grace-period=0 --force"), std::string::npos);
  // Not reported twice as a lost pod.
  EXPECT_TRUE(with_rule(findings, "pod-node-unreachable").empty());
}

TEST(NodesTest, TerminatingWithinGraceIsNotStuck) {
  const std::string deleting =
      "  deletionTimestamp: \"2026-12-01T08:29:40Z\"\n  deletionGracePeriodSeconds: 30\n";
  auto findings = run(node("n1", kReadyTrue) + pod("worker-1", "n1", kRunningReady, deleting));
  EXPECT_TRUE(with_rule(findings, "pod-stuck-terminating").empty());
}

TEST(NodesTest, StuckTerminatingByFinalizerOnHealthyNode) {
  const std::string deleting =
      "  deletionTimestamp: \"2026-12-01T07:00:00Z\"\n  finalizers: [example.com/cleanup]\n";
  auto findings = run(node("n1", kReadyTrue) + pod("worker-1", "n1", kRunningReady, deleting));
  auto f = with_rule(findings, "pod-stuck-terminating");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("example.com/cleanup"), std::string::npos);
  EXPECT_TRUE(f[0]->caused_by.empty());
}

std::string evicted(std::string_view name, std::string_view message) {
  return pod(name, "n1",
             "  phase: Failed\n  reason: Evicted\n  message: " + quoted(message) + "\n");
}

TEST(NodesTest, EvictionsGroupedPerNodeAndResourceUnderThePressure) {
  const std::string conds = cond("MemoryPressure", "True", "KubeletHasInsufficientMemory",
                                 "kubelet has insufficient memory available") +
                            kReadyTrue;
  auto findings =
      run(node("n1", conds) +
          evicted("a",
                  "The node was low on resource: memory. Threshold quantity: 100Mi, available: "
                  "80Mi. Container app was using 900Mi, request is 0, has larger consumption of "
                  "memory. ") +
          evicted("b",
                  "The node was low on resource: memory. Threshold quantity: 100Mi, available: "
                  "60Mi. ") +
          evicted("c",
                  "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, "
                  "available: 2Gi. "));
  auto f = with_rule(findings, "pods-evicted-node-pressure");
  ASSERT_EQ(f.size(), 2u);  // memory and ephemeral-storage
  const Finding* mem = f[0]->summary.find("memory") != std::string::npos ? f[0] : f[1];
  EXPECT_EQ(mem->catalog, "POD-EVICTED-NODE-PRESSURE");
  EXPECT_EQ(mem->object.kind, "Node");
  EXPECT_EQ(mem->also_affects.size(), 2u);
  EXPECT_NE(mem->summary.find("2 pods"), std::string::npos) << mem->summary;
  auto pressure = with_rule(findings, "node-memory-pressure");
  ASSERT_EQ(pressure.size(), 1u);
  ASSERT_EQ(mem->caused_by.size(), 1u);
  EXPECT_EQ(mem->caused_by[0], pressure[0]->id);
}

TEST(NodesTest, OtherFailedPodsAreNotEvictions) {
  auto findings = run(node("n1", kReadyTrue) +
                      pod("a", "n1", "  phase: Failed\n  reason: OutOfcpu\n  message: x\n") +
                      evicted("b",
                              "Pod ephemeral local storage usage exceeds the total limit of "
                              "containers 1Gi. "));
  EXPECT_TRUE(with_rule(findings, "pods-evicted-node-pressure").empty());
}

}  // namespace
}  // namespace ktriage
