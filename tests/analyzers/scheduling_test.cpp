// Pending pods: message parsing per reason, confirmation from node data, and the negatives.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string pending_pod(std::string_view name, std::string_view extra_spec = "") {
  return std::string(R"(---
apiVersion: v1
kind: Pod
metadata:
  name: )") +
         std::string(name) + R"(
  namespace: shop
  uid: uid-)" +
         std::string(name) + R"(
  creationTimestamp: "2026-11-29T10:00:00Z"
spec:
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: "8", memory: 1Gi}}
)" + std::string(extra_spec) +
         R"(
status:
  phase: Pending
  conditions:
  - type: PodScheduled
    status: "False"
    reason: Unschedulable
)";
}

std::string event(std::string_view pod, std::string_view message) {
  return std::string(R"(---
apiVersion: v1
kind: Event
metadata: {name: ev-)") +
         std::string(pod) + R"(, namespace: shop}
involvedObject: {kind: Pod, name: )" +
         std::string(pod) + R"(, namespace: shop, uid: uid-)" + std::string(pod) + R"(}
reason: FailedScheduling
type: Warning
count: 12
lastTimestamp: "2026-11-29T10:41:00Z"
source: {component: default-scheduler}
message: ")" +
         std::string(message) + "\"\n";
}

constexpr std::string_view kNodes = R"(---
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {pool: general}}
spec: {}
status: {allocatable: {cpu: 3920m, memory: 14Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: gpu1, labels: {pool: gpu}}
spec:
  taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
status: {allocatable: {cpu: "16", memory: 60Gi, pods: "110", nvidia.com/gpu: "1"}}
)";

TEST(SchedulingTest, InsufficientCpuIsParsedAndConfirmedPerNode) {
  auto c =
      cluster_from_yaml(pending_pod("search") +
                        event("search",
                              "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had "
                              "untolerated taint {nvidia.com/gpu: present}. preemption: 0/2 nodes "
                              "are available: 2 No preemption victims found for incoming pod.") +
                        std::string(kNodes));
  auto f = diagnose(*c);
  auto cpu = with_rule(f, "pending-insufficient-resources");
  ASSERT_EQ(cpu.size(), 1u);
  EXPECT_EQ(cpu[0]->catalog, "POD-PENDING-INSUFFICIENT-RESOURCES");
  EXPECT_EQ(cpu[0]->object.key(), "Pod/shop/search");
  // The resource the scheduler named, not the rule's "cpu/memory" (memory was not short).
  EXPECT_EQ(cpu[0]->summary,
            "Pod search is Pending: 1 of 2 nodes rejected it (not enough cpu free for its "
            "requests)");
  EXPECT_TRUE(cpu[0]->caused_by.empty());
  bool node_note = false, event_ev = false;
  for (const Evidence& e : cpu[0]->evidence) {
    node_note = node_note || (e.kind == Evidence::Kind::kField && e.object == "node/n1" &&
                              e.path == ".status.allocatable" &&
                              e.value ==
                                  "cpu: pod requests 8, node has 3920m free of 3920m "
                                  "allocatable");
    event_ev = event_ev || (e.kind == Evidence::Kind::kEvent && e.count == 12);
  }
  EXPECT_TRUE(node_note);
  EXPECT_TRUE(event_ev);
  EXPECT_NE(cpu[0]->fix.find("Lower the requests"), std::string::npos);
  auto taint = with_rule(f, "pending-untolerated-taint");
  ASSERT_EQ(taint.size(), 1u);
  EXPECT_NE(taint[0]->summary.find("nvidia.com/gpu"), std::string::npos);
  EXPECT_NE(taint[0]->fix.find("kubectl taint nodes"), std::string::npos);
}

// A pod asking for a GPU where only the tainted node has any: the taint is the cause, and the
// nodes without GPUs are context under it, not a second root.
std::string gpu_pod(std::string_view name, std::string_view node = "", bool running = false) {
  return fmt::format(R"(---
apiVersion: v1
kind: Pod
metadata: {{name: {0}, namespace: shop, uid: uid-{0}, creationTimestamp: "2026-11-29T10:00:00Z"}}
spec:
  {1}
  containers:
  - name: train
    image: trainer
    resources: {{requests: {{cpu: 500m, nvidia.com/gpu: "1"}}, limits: {{nvidia.com/gpu: "1"}}}}
status:
  phase: {2}
)",
                     name, node.empty() ? "" : fmt::format("nodeName: {}", node),
                     running ? "Running" : "Pending");
}

// Every node short of both cpu and memory: the scheduler counts each node once per resource,
// so the finding says 3 of 3 nodes (not 6) and names both resources.
TEST(SchedulingTest, ANodeShortOfTwoResourcesCountsOnce) {
  auto c = cluster_from_yaml(
      pending_pod("search") +
      event("search", "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.") +
      std::string(kNodes));
  auto f = diagnose(*c);
  auto cpu = with_rule(f, "pending-insufficient-resources");
  ASSERT_EQ(cpu.size(), 1u);
  EXPECT_EQ(cpu[0]->summary,
            "Pod search is Pending: 3 of 3 nodes rejected it (not enough cpu and memory free "
            "for its requests)");
}

// The pre-1.25 taint wording names no taint: the reason reads without a dangling space.
TEST(SchedulingTest, ATaintMessageWithoutTheTaintReadsWhole) {
  auto c =
      cluster_from_yaml(pending_pod("search") +
                        event("search",
                              "0/2 nodes are available: 2 node(s) had taints that the pod didn't "
                              "tolerate.") +
                        std::string(kNodes));
  auto f = diagnose(*c);
  auto taint = with_rule(f, "pending-untolerated-taint");
  ASSERT_EQ(taint.size(), 1u);
  EXPECT_EQ(taint[0]->summary,
            "Pod search is Pending: 2 of 2 nodes rejected it (untolerated taint)");
}

// A reason that turns away few nodes is a note under the main finding, named as the user reads
// it (what the nodes are), not by a rule id.
TEST(SchedulingTest, AMinorReasonIsANoteInWordsUnderTheMainFinding) {
  auto c = cluster_from_yaml(pending_pod("search") +
                             event("search",
                                   "0/9 nodes are available: 1 node(s) were unschedulable, 8 "
                                   "Insufficient cpu.") +
                             std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "pending-nodes-unschedulable").empty());
  auto cpu = with_rule(f, "pending-insufficient-resources");
  ASSERT_EQ(cpu.size(), 1u);
  bool note = false;
  for (const Evidence& e : cpu[0]->evidence) {
    note = note || e.value ==
                       "also: 1 node(s) rejected for another reason (nodes are cordoned); fixing "
                       "that alone would not place the pod";
  }
  EXPECT_TRUE(note);
}

TEST(SchedulingTest, NodesWithoutTheResourceAtAllAreContextForTheTaintThatBlocks) {
  auto c = cluster_from_yaml(gpu_pod("train") +
                             event("train",
                                   "0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 "
                                   "node(s) had untolerated taint {nvidia.com/gpu: present}.") +
                             std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "pending-insufficient-extended-resource").empty());
  auto taint = with_rule(f, "pending-untolerated-taint");
  ASSERT_EQ(taint.size(), 1u);
  EXPECT_TRUE(taint[0]->caused_by.empty());
  EXPECT_EQ(taint[0]->summary,
            "Pod train is Pending: no node can run it: 1 of 2 nodes have nvidia.com/gpu and "
            "reject it "
            "(untolerated taint {nvidia.com/gpu}); the other 1 has none");
  EXPECT_NE(taint[0]->fix.find("kubectl taint nodes gpu1 nvidia.com/gpu-"), std::string::npos)
      << taint[0]->fix;
  bool note = false, no_gpu_node = false;
  for (const Evidence& e : taint[0]->evidence) {
    note =
        note || e.value.find("have no nvidia.com/gpu at all (allocatable 0") != std::string::npos;
    no_gpu_node = no_gpu_node || (e.object == "node/n1" && e.path == ".status.allocatable" &&
                                  e.value.find("nvidia.com/gpu: pod requests 1, node has 0 free "
                                               "of 0 allocatable") != std::string::npos);
  }
  EXPECT_TRUE(note);
  EXPECT_TRUE(no_gpu_node);
  // Notes speak of resources and reasons, not of rule ids.
  for (const Evidence& e : taint[0]->evidence)
    EXPECT_EQ(e.value.find("pending-"), std::string::npos) << e.value;
}

// A node without the GPU that is also short of cpu still cannot take the pod whatever its cpu:
// one root (the taint), no "add cpu" finding.
TEST(SchedulingTest, ANodeLackingTheResourceIsContextWhateverElseItIsShortOf) {
  std::string pod = gpu_pod("train");
  pod.replace(pod.find("cpu: 500m"), 9, "cpu: \"8\"");
  auto c = cluster_from_yaml(pod +
                             event("train",
                                   "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient "
                                   "nvidia.com/gpu, 1 node(s) had untolerated taint "
                                   "{nvidia.com/gpu: present}.") +
                             std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "pending-insufficient-resources").empty());
  EXPECT_TRUE(with_rule(f, "pending-insufficient-extended-resource").empty());
  ASSERT_EQ(with_rule(f, "pending-untolerated-taint").size(), 1u);
}

// Negative: a DaemonSet pod is pinned to its node; the others' affinity mismatch is no cause,
// and the GPU its own node lacks is.
TEST(SchedulingTest, ADaemonSetPodKeepsTheResourceItsNodeLacksAsTheCause) {
  std::string pod = gpu_pod("agent");
  pod.replace(pod.find("uid: uid-agent,"), 15,
              "uid: uid-agent, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: "
              "agent, uid: ds-agent, controller: true}],");
  auto c = cluster_from_yaml(pod +
                             event("agent",
                                   "0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 "
                                   "node(s) didn't match Pod's node affinity/selector.") +
                             std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_EQ(with_rule(f, "pending-insufficient-extended-resource").size(), 1u);
  // With more nodes, every other one says "didn't match Pod's node affinity": still no cause.
  std::string more_nodes(kNodes);
  for (const char* n : {"n2", "n3", "n4"}) {
    more_nodes += fmt::format(
        "---\napiVersion: v1\nkind: Node\nmetadata: {{name: {}}}\nspec: {{}}\n"
        "status: {{allocatable: {{cpu: \"4\", memory: 8Gi, pods: \"110\"}}}}\n",
        n);
  }
  auto five = cluster_from_yaml(pod +
                                event("agent",
                                      "0/5 nodes are available: 1 Insufficient nvidia.com/gpu, 4 "
                                      "node(s) didn't match Pod's node affinity/selector.") +
                                more_nodes);
  auto g = diagnose(*five);
  EXPECT_EQ(with_rule(g, "pending-insufficient-extended-resource").size(), 1u);
  EXPECT_TRUE(with_rule(g, "pending-node-selector-mismatch").empty());
}

// Negative: without a placement reason in the scheduler's message (an old message: only
// shortages), nothing is demoted.
TEST(SchedulingTest, OnlyAPlacementReasonDemotesTheShortages) {
  auto c = cluster_from_yaml(gpu_pod("train") +
                             event("train",
                                   "0/2 nodes are available: 2 Insufficient "
                                   "nvidia.com/gpu.") +
                             std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_EQ(with_rule(f, "pending-insufficient-extended-resource").size(), 1u);
}

// Two placement reasons on the nodes that have the GPU: the summary counts both, and neither is
// called one that "would not place the pod" (uncordoning gpu2 alone would).
TEST(SchedulingTest, SeveralPlacementReasonsAreCountedTogether) {
  constexpr std::string_view kCordoned = R"(---
apiVersion: v1
kind: Node
metadata: {name: gpu2}
spec: {unschedulable: true}
status: {allocatable: {cpu: "16", memory: 60Gi, pods: "110", nvidia.com/gpu: "1"}}
)";
  auto c = cluster_from_yaml(gpu_pod("train") +
                             event("train",
                                   "0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 1 "
                                   "node(s) had untolerated taint {nvidia.com/gpu: present}, 1 "
                                   "node(s) were unschedulable.") +
                             std::string(kNodes) + std::string(kCordoned));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "pending-insufficient-extended-resource").empty());
  auto taint = with_rule(f, "pending-untolerated-taint");
  ASSERT_EQ(taint.size(), 1u);
  EXPECT_NE(taint[0]->summary.find("no node can run it: 2 of 3 nodes have nvidia.com/gpu and "
                                   "reject it (1 untolerated taint {nvidia.com/gpu}, 1 "),
            std::string::npos)
      << taint[0]->summary;
  EXPECT_NE(taint[0]->summary.find("); the other 1 has none"), std::string::npos)
      << taint[0]->summary;
  for (const Finding& g : f) {
    for (const Evidence& e : g.evidence)
      EXPECT_EQ(e.value.find("would not place the pod"), std::string::npos) << e.value;
  }
}

// Negative: a GPU node that has GPUs but no free one is a real shortage, a cause of its own.
TEST(SchedulingTest, AFullNodeWithTheResourceKeepsTheShortageAsACause) {
  constexpr std::string_view kFullGpuNode = R"(---
apiVersion: v1
kind: Node
metadata: {name: gpu2}
spec: {}
status: {allocatable: {cpu: "16", memory: 60Gi, pods: "110", nvidia.com/gpu: "1"}}
)";
  auto c = cluster_from_yaml(gpu_pod("train") + gpu_pod("busy", "gpu2", true) +
                             event("train",
                                   "0/3 nodes are available: 2 Insufficient nvidia.com/gpu, 1 "
                                   "node(s) had untolerated taint {nvidia.com/gpu: present}.") +
                             std::string(kNodes) + std::string(kFullGpuNode));
  auto f = diagnose(*c);
  EXPECT_EQ(with_rule(f, "pending-insufficient-extended-resource").size(), 1u);
  EXPECT_EQ(with_rule(f, "pending-untolerated-taint").size(), 1u);
}

// A node's free amount counts every pod bound to it, also those listed after the pending pod
// (the pass fits pending pods once all Pods were seen); a pod that has finished holds nothing.
TEST(SchedulingTest, FreeAmountsCountPodsListedAfterThePendingPod) {
  auto bound = [](std::string_view name, std::string_view phase) {
    return fmt::format(R"(---
apiVersion: v1
kind: Pod
metadata: {{name: {0}, namespace: shop, uid: uid-{0}}}
spec:
  nodeName: n1
  containers:
  - name: app
    image: nginx
    resources: {{requests: {{cpu: "3"}}}}
status: {{phase: {1}}}
)",
                       name, phase);
  };
  auto c = cluster_from_yaml(pending_pod("search") +
                             event("search",
                                   "0/2 nodes are available: 1 Insufficient cpu, 1 "
                                   "node(s) had untolerated taint {nvidia.com/gpu: "
                                   "present}.") +
                             std::string(kNodes) + bound("worker", "Running") +
                             bound("done", "Succeeded"));
  auto f = diagnose(*c);
  auto cpu = with_rule(f, "pending-insufficient-resources");
  ASSERT_EQ(cpu.size(), 1u);
  std::vector<std::string> n1;
  for (const Evidence& e : cpu[0]->evidence) {
    if (e.object == "node/n1") n1.push_back(e.value);
  }
  EXPECT_EQ(
      n1,
      (std::vector<std::string>{"cpu: pod requests 8, node has 920m free of 3920m allocatable"}));
}

TEST(SchedulingTest, ReplicasOfOneTemplateShareTheirPerNodeCheckButDaemonSetPodsDoNot) {
  auto with_owner = [](std::string pod, std::string_view kind, std::string_view uid) {
    const std::string anchor = "  creationTimestamp:";
    pod.replace(pod.find(anchor), 0,
                "  ownerReferences: [{apiVersion: apps/v1, kind: " + std::string(kind) +
                    ", name: owner, uid: " + std::string(uid) + ", controller: true}]\n");
    return pod;
  };
  const std::string msg =
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had "
      "untolerated taint {nvidia.com/gpu: present}.";
  auto c = cluster_from_yaml(with_owner(pending_pod("web-a"), "ReplicaSet", "rs-1") +
                             event("web-a", msg) +
                             with_owner(pending_pod("web-b"), "ReplicaSet", "rs-1") +
                             event("web-b", msg) + std::string(kNodes));
  auto f = diagnose(*c);
  auto cpu = with_rule(f, "pending-insufficient-resources");
  // Both pods (their ReplicaSet is not in the snapshot, so nothing folds them) carry the same
  // per-node evidence, computed once.
  ASSERT_EQ(cpu.size(), 2u);
  for (const Finding* x : cpu) {
    bool node_note = false;
    for (const Evidence& e : x->evidence)
      node_note = node_note || (e.object == "node/n1" &&
                                e.value.find("cpu: pod requests 8") != std::string::npos);
    EXPECT_TRUE(node_note) << x->object.name;
  }
  // A pod of another template listed between two replicas: each pod is fitted with its own
  // template's requests, however the templates alternate.
  std::string small = with_owner(pending_pod("web-c"), "ReplicaSet", "rs-2");
  small.replace(small.find("cpu: \"8\""), 8, "cpu: \"1\"");
  auto alternating = cluster_from_yaml(with_owner(pending_pod("web-a"), "ReplicaSet", "rs-1") +
                                       event("web-a", msg) + small + event("web-c", msg) +
                                       with_owner(pending_pod("web-d"), "ReplicaSet", "rs-1") +
                                       event("web-d", msg) + std::string(kNodes));
  auto h = diagnose(*alternating);
  std::map<std::string, std::string> n1_note, all_evidence;
  for (const Finding& x : h) {
    for (const Evidence& e : x.evidence) {
      all_evidence[x.object.name] += e.value + "\n";
      if (e.object == "node/n1" && e.path == ".status.allocatable")
        n1_note[x.object.name] += e.value;
    }
  }
  EXPECT_NE(n1_note["web-a"].find("cpu: pod requests 8"), std::string::npos);
  EXPECT_NE(n1_note["web-d"].find("cpu: pod requests 8"), std::string::npos);
  // web-c is reported too, from its own template: nothing of it speaks of 8 CPUs.
  ASSERT_FALSE(all_evidence["web-c"].empty());
  EXPECT_EQ(all_evidence["web-c"].find("requests 8"), std::string::npos) << all_evidence["web-c"];
  // A DaemonSet pod pinned to gpu1 (nodeAffinity matchFields) is judged on its own.
  const std::string pinned =
      "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
      "{nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: "
      "[gpu1]}]}]}}}\n";
  auto d = cluster_from_yaml(with_owner(pending_pod("agent-a", pinned), "DaemonSet", "ds-1") +
                             event("agent-a",
                                   "0/2 nodes are available: 1 node(s) didn't match Pod's "
                                   "node affinity/selector, 1 node(s) had untolerated taint "
                                   "{nvidia.com/gpu: present}.") +
                             std::string(kNodes));
  auto g = diagnose(*d);
  EXPECT_EQ(with_rule(g, "pending-untolerated-taint").size(), 1u);
}

TEST(SchedulingTest, AnUnreadableEventDoesNotHideTheConditionsMessage) {
  std::string pod = pending_pod("search");
  pod +=
      "    message: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated "
      "taint {nvidia.com/gpu: present}.'\n";
  auto c = cluster_from_yaml(pod + event("search", "0/2 nodes") + std::string(kNodes));
  auto f = diagnose(*c);
  EXPECT_EQ(with_rule(f, "pending-insufficient-resources").size(), 1u);
  // With a readable event the event wins, as before.
  auto d = cluster_from_yaml(pending_pod("search") +
                             event("search", "0/2 nodes are available: 2 Insufficient cpu.") +
                             std::string(kNodes));
  auto g = diagnose(*d);
  EXPECT_EQ(with_rule(g, "pending-insufficient-resources").size(), 1u);
  EXPECT_TRUE(with_rule(g, "pending-untolerated-taint").empty());
}

TEST(SchedulingTest, AReasonThatRejectsFewNodesIsContextNotACause) {
  auto c = cluster_from_yaml(
      pending_pod("big") +
      event("big",
            "0/5000 nodes are available: 100 node(s) had untolerated taint {dedicated: ingress}, "
            "4900 Insufficient cpu. preemption: 0/5000 nodes are available: 100 Preemption is not "
            "helpful for scheduling, 4900 No preemption victims found for incoming pod."));
  auto f = diagnose(*c);
  EXPECT_EQ(with_rule(f, "pending-insufficient-resources").size(), 1u);
  EXPECT_TRUE(with_rule(f, "pending-untolerated-taint").empty());
  bool context = false;
  for (const Evidence& e : with_rule(f, "pending-insufficient-resources")[0]->evidence) {
    context = context || e.value.find("also: 100 node(s)") != std::string::npos;
  }
  EXPECT_TRUE(context);
}

TEST(SchedulingTest, OldTaintWordingAndConditionTaints) {
  auto c =
      cluster_from_yaml(pending_pod("a") +
                        event("a",
                              "0/1 nodes are available: 1 node(s) had taint "
                              "{node-role.kubernetes.io/master: }, that the pod didn't tolerate.") +
                        pending_pod("b") +
                        event("b",
                              "0/3 nodes are available: 3 node(s) had untolerated taint "
                              "{node.kubernetes.io/not-ready: }."));
  auto f = diagnose(*c);
  ASSERT_EQ(with_rule(f, "pending-untolerated-taint").size(), 1u);
  EXPECT_EQ(with_rule(f, "pending-untolerated-taint")[0]->object.name, "a");
  ASSERT_EQ(with_rule(f, "pending-node-condition-taint").size(), 1u);
  EXPECT_EQ(with_rule(f, "pending-node-condition-taint")[0]->object.name, "b");
}

// The summary of a pod held by its claims names them (it is read alone under the PVC's own
// finding); without the PVCs in the snapshot it says what the scheduler said.
TEST(SchedulingTest, UnboundClaimsAreNamedInTheSummary) {
  const std::string volumes =
      "  volumes:\n"
      "  - name: data\n    persistentVolumeClaim: {claimName: data-db-0}\n"
      "  - name: logs\n    persistentVolumeClaim: {claimName: logs-db-0}\n"
      "  - name: data-again\n    persistentVolumeClaim: {claimName: data-db-0}\n"
      "  - name: scratch\n    ephemeral: {volumeClaimTemplate: {spec: {}}}\n";
  const std::string message =
      "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.";
  const std::string pvc = R"(---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-db-0, namespace: shop}
status: {phase: Pending}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: db-0-scratch, namespace: shop}
status: {phase: Bound}
)";
  auto named =
      diagnose(*cluster_from_yaml(pending_pod("db-0", volumes) + event("db-0", message) + pvc));
  auto r = with_rule(named, "pending-unbound-pvc");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->summary,
            "Pod db-0 is Pending: PersistentVolumeClaim data-db-0 is Pending (not bound); "
            "PersistentVolumeClaim logs-db-0 does not exist");
  auto unknown =
      diagnose(*cluster_from_yaml(pending_pod("db-0", volumes) + event("db-0", message)));
  auto u = with_rule(unknown, "pending-unbound-pvc");
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0]->summary, "Pod db-0 is Pending: its PersistentVolumeClaim is missing or unbound");
}

TEST(SchedulingTest, OtherReasonsMapToTheirRules) {
  struct Row {
    const char* message;
    const char* rule;
  };
  const Row rows[] = {
      {"0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
       "pending-node-selector-mismatch"},
      {"0/3 nodes are available: 3 node(s) were unschedulable.", "pending-nodes-unschedulable"},
      {"0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
       "pending-unbound-pvc"},
      {"0/3 nodes are available: 3 Too many pods.", "pending-too-many-pods"},
      {"0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
       "pending-insufficient-extended-resource"},
      {"0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.",
       "pending-hostport-conflict"},
      {"0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
       "pending-pod-affinity"},
      {"0/3 nodes are available: 3 node(s) had volume node affinity conflict.",
       "pending-volume-node-affinity"},
      {"0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.",
       "pending-topology-spread"},
      {"0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind.",
       "pending-no-pv-to-bind"},
      {"0/3 nodes are available: 3 node(s) exceed max volume count.", "pending-max-volume-count"},
      {"0/3 nodes are available: 3 node(s) had no available volume zone.", "pending-volume-zone"},
      {"0/5 nodes are available: 5 node(s) had untolerated taint "
       "{node.cloudprovider.kubernetes.io/uninitialized: true}.",
       "pending-node-condition-taint"},
      {"no nodes available to schedule pods", "pending-no-nodes"},
  };
  for (const Row& row : rows) {
    auto c = cluster_from_yaml(pending_pod("p") + event("p", row.message));
    auto f = diagnose(*c);
    EXPECT_EQ(with_rule(f, row.rule).size(), 1u) << row.message;
  }
}

TEST(SchedulingTest, PendingWithoutAnySchedulingAttempt) {
  auto c = cluster_from_yaml(pending_pod("lost", "  schedulerName: my-scheduler\n") +
                             "---\napiVersion: v1\nkind: Event\nmetadata: {name: x, namespace: "
                             "shop}\ninvolvedObject: {kind: Pod, name: other}\nreason: "
                             "Pulled\ntype: Normal\nlastTimestamp: \"2026-11-29T10:42:00Z\"\n");
  auto f = diagnose(*c);
  auto r = with_rule(f, "pending-not-processed-by-scheduler");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->fix.find("my-scheduler"), std::string::npos);
}

TEST(SchedulingTest, NegativeScheduledRunningAndFreshPodsAreNotReported) {
  // A pod bound to a node, a Succeeded job pod, and a pod created 10 s before the snapshot.
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: running, namespace: shop, creationTimestamp: "2026-11-29T10:00:00Z"}
spec: {nodeName: n1, containers: [{name: a}]}
status: {phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: done, namespace: shop}
spec: {nodeName: n1, containers: [{name: a}]}
status: {phase: Succeeded}
---
apiVersion: v1
kind: Pod
metadata: {name: fresh, namespace: shop, creationTimestamp: "2026-11-29T10:41:50Z"}
spec: {containers: [{name: a}]}
status: {phase: Pending}
---
apiVersion: v1
kind: Event
metadata: {name: old, namespace: shop}
involvedObject: {kind: Pod, name: running, namespace: shop}
reason: FailedScheduling
type: Warning
message: "0/1 nodes are available: 1 Insufficient cpu."
lastTimestamp: "2026-11-29T10:01:00Z"
---
apiVersion: v1
kind: Event
metadata: {name: now, namespace: shop}
involvedObject: {kind: Pod, name: running, namespace: shop}
reason: Started
type: Normal
lastTimestamp: "2026-11-29T10:42:00Z"
)");
  auto f = diagnose(*c);
  for (const Finding& x : f) ADD_FAILURE() << "unexpected " << x.id;
}

}  // namespace
}  // namespace ktriage
