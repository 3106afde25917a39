// Nodes: a node that is NotReady (the kubelet stopped reporting, PLEG, runtime down, CNI not
// ready), node pressure conditions, NetworkUnavailable, cordoned nodes, and what a lost node
// does to its pods (stale Unknown pods, pods stuck Terminating) plus pods evicted under node
// pressure, grouped per node and resource (versions are in versions.cpp).
// Catalog: fault-catalog.md sections 10 and 13, POD-WAITING-NETWORK-NOT-READY,
// NET-FLANNEL-ROUTE-NOT-CREATED, POD-PENDING-NODES-UNSCHEDULABLE.
// Pod findings are linked to their node's finding by correlate/nodes.cpp.
//
// Where the texts come from:
//   node lifecycle controller (kube-controller-manager, pkg/controller/nodelifecycle/
//     node_lifecycle_controller.go, v1.12-v1.35): every condition set to Unknown with reason
//     "NodeStatusUnknown", message "Kubelet stopped posting node status." (never posted:
//     "NodeStatusNeverUpdated", "Kubelet never posted node status.") once no heartbeat came for
//     --node-monitor-grace-period (40s; 50s from v1.32); taints node.kubernetes.io/unreachable and
//     node.kubernetes.io/not-ready (NoSchedule, and NoExecute for taint-based eviction, v1.13+);
//     Node event NodeNotReady "Node <n> status is now: NodeNotReady"; pod event Warning
//     NodeNotReady "Node is not ready" and the pods' Ready condition set to False
//     (pkg/controller/util/node MarkPodsNotReady); pod deletion events TaintManagerEviction
//     "Marking for deletion Pod <ns>/<pod>" (taint eviction, v1.6+) and, before taint-based
//     eviction, NodeControllerEviction "Marking for deletion Pod <pod> from Node <node>".
//   kubelet (pkg/kubelet/kubelet.go and runtime.go, v1.7-v1.35): Ready False, reason
//     "KubeletNotReady" with the runtime state error: "container runtime network not ready:
//     NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni
//     plugin not initialized" (CRI runtimes; before v1.10 "runtime network not ready: ..."),
//     dockershim (<= v1.23) "...message:docker: network plugin is not ready: cni config
//     uninitialized"; "PLEG is not healthy: pleg was last seen active 3m5s ago; threshold is
//     3m0s" and "pleg has yet to be successful" (pkg/kubelet/pleg/generic.go); "container runtime
//     is down", "container runtime status check may not have completed yet"; pod event Warning
//     NetworkNotReady "network is not ready: <the runtime's network error>".
//   kubelet node status setters (pkg/kubelet/nodestatus/setters.go, v1.12-v1.35): MemoryPressure
//     True "KubeletHasInsufficientMemory", DiskPressure True "KubeletHasDiskPressure", PIDPressure
//     True "KubeletHasInsufficientPID".
//   kubelet eviction manager (pkg/kubelet/eviction/helpers.go, v1.8-v1.35): pod status.reason
//     "Evicted", message "The node was low on resource: memory. Threshold quantity: ...".
//   cloud route controller (pkg/controller/route, v1.10+): NetworkUnavailable True
//   "NoRouteCreated". kubectl drain / cordon: spec.unschedulable true, taint
//   node.kubernetes.io/unschedulable;
//     kubelet event NodeNotSchedulable "Node <n> status is now: NodeNotSchedulable".
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr std::string_view kNodeDoc =
    "https://kubernetes.io/docs/tasks/debug/debug-cluster/#example-debugging-a-down-unreachable-"
    "node";
constexpr std::string_view kPressureDoc =
    "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/";
constexpr Severity kCrit = Severity::kCritical;
constexpr Severity kWarn = Severity::kWarning;

// clang-format off
constexpr Rule kStopped{"node-kubelet-stopped-posting", "NODE-NOT-READY-KUBELET-STOPPED-POSTING",
    kCrit, "Node NotReady (Unknown): the kubelet stopped posting node status",
    "Check the instance, then the kubelet (systemctl status kubelet; journalctl -u kubelet) and "
    "its path to the API server; restart it, or drain and delete the node.", kNodeDoc};
constexpr Rule kPleg{"node-not-ready-pleg", "NODE-NOT-READY-PLEG", kCrit,
    "Node NotReady: PLEG is not healthy (the container runtime does not answer in time)",
    "Restart the container runtime, then the kubelet; clean up dead containers, reduce density.",
    kNodeDoc};
constexpr Rule kRuntime{"node-not-ready-runtime-down", "NODE-NOT-READY-RUNTIME-DOWN", kCrit,
    "Node NotReady: the container runtime is down",
    "Fix the runtime's config or disk and restart it (systemctl restart containerd), then the "
    "kubelet.", kNodeDoc};
constexpr Rule kCni{"node-not-ready-cni", "POD-WAITING-NETWORK-NOT-READY", kCrit,
    "Node NotReady: the container runtime network is not ready (no CNI configuration)",
    "Get the CNI add-on's pod running on the node (or install the CNI add-on).",
    "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/"};
constexpr Rule kMemory{"node-memory-pressure", "NODE-MEMORY-PRESSURE", kWarn,
    "Node under MemoryPressure: the kubelet evicts pods and takes no BestEffort pods",
    "Lower pod density, set memory requests close to usage, add memory or reserve system memory.",
    kPressureDoc};
constexpr Rule kDisk{"node-disk-pressure", "NODE-DISK-PRESSURE", kWarn,
    "Node under DiskPressure: the kubelet evicts pods and image pulls fail",
    "Prune unused images (crictl rmi --prune), rotate logs, enlarge the disk.", kPressureDoc};
constexpr Rule kPid{"node-pid-pressure", "NODE-PID-PRESSURE", kWarn,
    "Node under PIDPressure: process IDs are nearly exhausted",
    "Find the workload that leaks processes, set podPidsLimit, raise kernel.pid_max.",
    kPressureDoc};
constexpr Rule kNetUnavailable{"node-network-unavailable", "NET-FLANNEL-ROUTE-NOT-CREATED", kCrit,
    "Node NetworkUnavailable: no route for its pod CIDR, pods on it are unreachable",
    "Check the cloud route controller's CreateRouteFailed events and the VPC route table quota.",
    "https://kubernetes.io/docs/concepts/architecture/nodes/#condition"};
constexpr Rule kCordoned{"node-cordoned", "POD-PENDING-NODES-UNSCHEDULABLE", Severity::kInfo,
    "Node cordoned (spec.unschedulable): no new pods are scheduled on it",
    "kubectl uncordon NODE when the maintenance is over.",
    "https://kubernetes.io/docs/concepts/architecture/nodes/#manual-node-administration"};
constexpr Rule kNotReady{"node-not-ready", "", kCrit,
    "Node NotReady for a reason the kubelet states (none of the specific causes above)",
    "Read the kubelet's journal on the node and fix what it reports.",
    "https://kubernetes.io/docs/concepts/architecture/nodes/#condition"};
constexpr Rule kPodLost{"pod-node-unreachable", "POD-UNKNOWN-NODE-UNREACHABLE", kCrit,
    "Pod on a node that stopped reporting: its status is stale and it serves nothing",
    "Recover the node, or delete the Node so the pod's controller replaces the pod elsewhere.",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"
    "#taint-based-evictions"};
constexpr Rule kPodNetwork{"pod-network-not-ready", "POD-WAITING-NETWORK-NOT-READY", kCrit,
    "Pod cannot get a sandbox: its node's container runtime network (CNI) is not ready",
    "Get the CNI add-on running on the pod's node; the kubelet then creates the sandbox.",
    "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/"};
constexpr Rule kTerminating{"pod-stuck-terminating", "POD-STUCK-TERMINATING", kWarn,
    "Pod Terminating long past its grace period",
    "Recover the node or remove the finalizer; as a last resort kubectl delete pod --grace-period=0 "
    "--force.", "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/"
    "#pod-termination"};
constexpr Rule kEvicted{"pods-evicted-node-pressure", "POD-EVICTED-NODE-PRESSURE", kWarn,
    "Pods evicted by the kubelet because their node ran low on a resource",
    "Set realistic requests/limits, add capacity, and delete the leftover Failed pods.",
    kPressureDoc};
// clang-format on
constexpr Rule kRules[] = {kStopped, kNotReady,   kPleg,        kRuntime,        kCni,
                           kMemory,  kDisk,       kPid,         kNetUnavailable, kCordoned,
                           kPodLost, kPodNetwork, kTerminating, kEvicted};

// A pod Terminating this long after its deletionTimestamp (which already includes the grace
// period) is stuck: a healthy kubelet confirms the kill within seconds of the deadline.
constexpr std::int64_t kTerminatingSlack = 60;

std::string cond_path(std::string_view type) { return fmt::format(".status.conditions[{}]", type); }

void add_node_events(const Cluster& cluster, const Object& node, Finding& f,
                     std::initializer_list<std::string_view> reasons) {
  for (std::string_view r : reasons) {
    if (const Event* e = latest_event(cluster, node, r)) {
      f.evidence.push_back(event_evidence(cluster, *e));
    }
  }
}

// "; its 3 pods are unreachable", or "" when the snapshot shows no live pod on the node (it may
// simply not include pods).
std::string pods_clause(const Cluster& cluster, const Object& node, std::string_view what) {
  std::size_t live = 0;
  for (const Object* p : cluster.pods_on_node(node.name)) live += PodView(*p).terminated() ? 0 : 1;
  if (live == 0) return "";
  return fmt::format("; its {} pod{} {} {}", live, live == 1 ? "" : "s", live == 1 ? "is" : "are",
                     what);
}

// Whether the node's kubelet log (when the snapshot has it) shows the container runtime hung:
// PLEG relists that stop (pkg/kubelet/pleg/generic.go, "PLEG is not healthy") or runtime calls
// that time out (kuberuntime "ListContainers ... DeadlineExceeded"). Then restarting the
// kubelet alone does not bring the node back.
// The systemd unit of the node's container runtime, from status.nodeInfo.containerRuntimeVersion
// ("containerd://1.6.28", "docker://20.10.7", "cri-o://1.28.1"); containerd when unknown (ACK's).
std::string_view runtime_service(const Object& node) {
  const std::string_view v = node.status()["nodeInfo"]["containerRuntimeVersion"].str();
  if (v.starts_with("docker://")) return "docker";
  if (v.starts_with("cri-o://")) return "crio";
  return "containerd";
}

bool runtime_hung(const Cluster& cluster, const Object& node) {
  for (const NodeLog& log : cluster.node_logs()) {
    if (log.node != node.name || log.component != "kubelet") continue;
    if (has(log.text, "PLEG is not healthy") ||
        (has(log.text, "ListContainers") && has(log.text, "DeadlineExceeded")))
      return true;
  }
  return false;
}

// Ready=Unknown: the kubelet's heartbeats stopped (node lifecycle controller).
void report_stopped(const AnalysisContext& ctx, const Object& node, const Value& ready,
                    FindingSink& sink) {
  std::optional<UnixSeconds> beat = parse_rfc3339(ready["lastHeartbeatTime"].str());
  if (!beat) beat = parse_rfc3339(ready["lastTransitionTime"].str());
  std::string since;
  if (beat && ctx.now > *beat) {
    since = fmt::format(" {} ago (last heartbeat {})", format_duration(ctx.now - *beat),
                        format_utc_minute(*beat));
  }
  const bool never = ready["reason"].str() == "NodeStatusNeverUpdated";
  Finding& f = sink.add(kStopped, node,
                        fmt::format("Node {} is NotReady: the kubelet {} node status{}{}",
                                    node.name, never ? "never posted" : "stopped posting", since,
                                    pods_clause(ctx.cluster, node, "unreachable")));
  f.evidence.push_back(field_evidence(node, cond_path("Ready"), condition_text(ready)));
  if (beat) {
    f.evidence.push_back(
        field_evidence(node, cond_path("Ready") + ".lastHeartbeatTime", format_rfc3339(*beat)));
  }
  // With node leases (v1.17+) the kubelet posts status only on change or every 5 minutes, so the
  // transition to Unknown (lease expired + grace period) dates the failure more closely.
  if (auto down = parse_rfc3339(ready["lastTransitionTime"].str()); down && ctx.now > *down) {
    f.evidence.push_back(field_evidence(node, cond_path("Ready") + ".lastTransitionTime",
                                        fmt::format("{} (Unknown for {})", format_rfc3339(*down),
                                                    format_duration(ctx.now - *down))));
  }
  std::string unknown;
  for (const Value& c : node.status()["conditions"].items()) {
    if (c["type"].str() != "Ready" && c["status"].str() == "Unknown") {
      unknown += (unknown.empty() ? "" : ", ") + std::string(c["type"].str());
    }
  }
  if (!unknown.empty()) {
    f.evidence.push_back(field_evidence(node, ".status.conditions", "Unknown too: " + unknown));
  }
  if (auto t = lifecycle_taints(node)) f.evidence.push_back(std::move(*t));
  add_node_events(ctx.cluster, node, f, {"NodeNotReady"});
  const std::string addr = node_address(node);
  f.fix = fmt::format(
      "Check that the instance of node {0} is running (cloud console, monitoring), then on it: "
      "ssh {1} 'systemctl status kubelet; journalctl -u kubelet -n 200 --no-pager' and check it "
      "reaches the API server; {2}. If the node is lost: kubectl delete node {0}; the pod "
      "garbage collector then deletes its pods and their controllers recreate them elsewhere (a "
      "kubectl drain would wait for a kubelet that cannot answer).",
      node.name, addr,
      runtime_hung(ctx.cluster, node)
          ? fmt::format("its kubelet log shows the container runtime stopped answering (PLEG not "
                        "healthy), so restart the runtime first: systemctl restart {}, then "
                        "systemctl restart kubelet",
                        runtime_service(node))
          : std::string("restart with systemctl restart kubelet"));
}

// Ready=False: the kubelet runs and says why the node is not ready. Returns the rule reported,
// or nullptr when the reason is none the catalog's node entries describe.
const Rule* report_not_ready(const AnalysisContext& ctx, const Object& node, const Value& ready,
                             FindingSink& sink) {
  const std::string_view msg = ready["message"].str();
  const Rule* rule = nullptr;
  std::string what, fix;
  const std::string addr = node_address(node);
  if (!find_any(msg,
                "NetworkReady=false|network plugin is not ready|cni config uninitialized|"
                "cni plugin not initialized")
           .empty()) {
    rule = &kCni;
    what = "the container runtime network is not ready (no CNI configuration in /etc/cni/net.d)";
    fix = fmt::format(
        "Get the CNI add-on running on node {0}: kubectl -n kube-system get pods -o wide "
        "--field-selector spec.nodeName={0} shows its pod (Terway, Flannel, Calico...); if none "
        "is there, install the CNI add-on (e.g. kubectl apply -f calico.yaml) or fix its "
        "DaemonSet's tolerations; check ssh {1} ls /etc/cni/net.d.",
        node.name, addr);
  } else if (!find_any(msg,
                       "container runtime is down|container runtime status check may not "
                       "have completed yet|containerd.sock|docker.sock")
                  .empty()) {
    rule = &kRuntime;
    what = "the container runtime is down";
    fix = fmt::format(
        "On node {0}: ssh {1} 'systemctl status containerd; journalctl -u containerd -n 200 "
        "--no-pager; df -h /var/lib/containerd'; fix its config or free the disk, then "
        "systemctl restart containerd && systemctl restart kubelet.",
        node.name, addr);
  } else if (!find_any(msg, "PLEG is not healthy|pleg has yet to be successful").empty()) {
    rule = &kPleg;
    what = "PLEG is not healthy (the container runtime does not answer the kubelet in time)";
    fix = fmt::format(
        "On node {0}: ssh {1} 'crictl ps | wc -l; journalctl -u containerd -n 200 --no-pager'; "
        "restart the runtime then the kubelet (systemctl restart containerd && systemctl restart "
        "kubelet); remove dead containers (crictl rm $(crictl ps -a -q --state exited)) and "
        "lower the pod density if relists stay slow.",
        node.name, addr);
  } else {
    // Any other reason the kubelet gives (expired certificates, a failed container manager,
    // a custom node-problem condition): NotReady all the same; its kubelet log, when the
    // snapshot has it, names the cause as log evidence.
    rule = &kNotReady;
    what = fmt::format("the kubelet reports {}{}",
                       ready["reason"].str().empty() ? "Ready=False" : ready["reason"].str(),
                       msg.empty() ? "" : fmt::format(" ({})", shorten(msg, 160)));
    fix = fmt::format(
        "On node {0}: ssh {1} 'systemctl status kubelet; journalctl -u kubelet -n 200 "
        "--no-pager' and fix what it reports (or give ktriage the journal: journalctl -u "
        "kubelet > nodes/{0}/kubelet.log in the snapshot); kubectl describe node {0} shows the "
        "other conditions.",
        node.name, addr);
  }
  Finding& f = sink.add(*rule, node,
                        fmt::format("Node {} is NotReady: {}{}", node.name, what,
                                    pods_clause(ctx.cluster, node, "affected")));
  f.evidence.push_back(field_evidence(node, cond_path("Ready"), condition_text(ready)));
  if (auto at = parse_rfc3339(ready["lastTransitionTime"].str())) {
    std::string text = format_rfc3339(*at);
    if (ctx.now > *at) text += fmt::format(" ({} ago)", format_duration(ctx.now - *at));
    f.evidence.push_back(field_evidence(node, cond_path("Ready") + ".lastTransitionTime", text));
  }
  if (auto t = lifecycle_taints(node)) f.evidence.push_back(std::move(*t));
  add_node_events(ctx.cluster, node, f, {"NodeNotReady"});
  f.fix = std::move(fix);
  return rule;
}

// MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable: only when True.
void report_pressure(const AnalysisContext& ctx, const Object& node, FindingSink& sink) {
  struct Check {
    std::string_view type;
    const Rule* rule;
    std::string_view what;
    std::string_view fix;
  };
  static const Check kChecks[] = {
      {"MemoryPressure", &kMemory, "available memory is below the kubelet's eviction threshold",
       "Find the pods using the memory (kubectl top pods -A --sort-by=memory, on node {0}), set "
       "their memory requests close to their usage, lower the density or add memory; reserve "
       "memory for the system (kubeReserved/systemReserved)."},
      {"DiskPressure", &kDisk, "the node's filesystem (nodefs/imagefs) is nearly full",
       "On node {0}: ssh {1} 'df -h / /var/lib/containerd /var/lib/kubelet; df -i /'; prune "
       "unused images (crictl rmi --prune), rotate container logs, set ephemeral-storage limits, "
       "or enlarge the disk."},
      {"PIDPressure", &kPid, "process IDs are nearly exhausted",
       "On node {0}: ssh {1} 'ps -eLf | wc -l; sysctl kernel.pid_max'; find the container that "
       "leaks processes or threads, set the kubelet's podPidsLimit, raise kernel.pid_max."},
      {"NetworkUnavailable", &kNetUnavailable,
       "the route for its pod CIDR is not created, pods on other nodes cannot reach its pods",
       "Check the cloud controller manager's CreateRouteFailed events (kubectl get events -A "
       "--field-selector reason=CreateRouteFailed) and the VPC route table (entries and quota) "
       "for node {0}'s spec.podCIDR."},
  };
  for (const Check& c : kChecks) {
    const Value& cond = node.condition(c.type);
    if (cond["status"].str() != "True") continue;
    Finding& f =
        sink.add(*c.rule, node, fmt::format("Node {} has {}: {}", node.name, c.type, c.what));
    f.evidence.push_back(field_evidence(node, cond_path(c.type), condition_text(cond)));
    if (auto t = lifecycle_taints(node)) f.evidence.push_back(std::move(*t));
    add_node_events(ctx.cluster, node, f, {"EvictionThresholdMet", "FreeDiskSpaceFailed"});
    f.fix = fmt::format(fmt::runtime(c.fix), node.name, node_address(node));
  }
}

void report_cordoned(const AnalysisContext& ctx, const Object& node, FindingSink& sink) {
  if (!node.spec()["unschedulable"].as_bool()) return;
  std::string since;
  for (const Value& t : node.spec()["taints"].items()) {
    if (t["key"].str() != "node.kubernetes.io/unschedulable") continue;
    if (auto at = parse_rfc3339(t["timeAdded"].str())) {
      since = fmt::format(" since {}", format_utc_minute(*at));
    }
  }
  Finding& f = sink.add(
      kCordoned, node,
      fmt::format("Node {} is cordoned{}: no new pods are scheduled on it", node.name, since));
  f.evidence.push_back(field_evidence(node, ".spec.unschedulable", "true"));
  if (auto t = lifecycle_taints(node)) f.evidence.push_back(std::move(*t));
  add_node_events(ctx.cluster, node, f, {"NodeNotSchedulable"});
  f.fix = fmt::format(
      "If the maintenance (drain, node pool upgrade, repair) is over: kubectl uncordon {}.",
      node.name);
}

// What the analyzer knows about each node, by name.
struct NodeState {
  const Object* node = nullptr;
  bool unreachable = false;         // Ready Unknown: pod statuses on it are stale
  bool not_ready = false;           // Ready not True
  bool cni = false;                 // Ready False because the runtime network is not ready
  std::string pressure_finding[3];  // ids of the memory, disk, pid pressure findings
};

std::string finding_id(const Rule& rule, const ObjectRef& ref, std::string_view part = {}) {
  std::string id = std::string(rule.id) + ":" + ref.key();
  if (!part.empty()) id += "#" + std::string(part);
  return id;
}

void report_lost_pod(const AnalysisContext& ctx, const PodView& pv, std::string_view node_name,
                     FindingSink& sink) {
  const Object& pod = pv.object();
  const Value& ready = pv.condition("Ready");
  Finding& f =
      sink.add(kPodLost, pod,
               fmt::format("Pod {} is on node {}, which stopped reporting: its status (phase {}) "
                           "is stale and it gets no Service traffic",
                           pod.name, node_name, pv.phase().empty() ? "?" : pv.phase()));
  f.evidence.push_back(field_evidence(pod, ".spec.nodeName", pv.node_name()));
  f.evidence.push_back(field_evidence(pod, ".status.phase", pv.phase()));
  if (!pod.status()["reason"].is_null()) {
    f.evidence.push_back(field_evidence(pod, ".status.reason", pod.status()["reason"].str()));
  }
  if (!ready.is_null()) {
    f.evidence.push_back(field_evidence(pod, ".status.conditions[Ready]", condition_text(ready)));
  }
  if (const Event* e = latest_event(ctx.cluster, pod, "NodeNotReady")) {
    f.evidence.push_back(event_evidence(ctx.cluster, *e));
  }
  if (auto s = toleration_seconds(pod, "node.kubernetes.io/unreachable")) {
    f.evidence.push_back(
        field_evidence(pod, ".spec.tolerations[node.kubernetes.io/unreachable]",
                       fmt::format("NoExecute for {}s: then the pod is evicted and replaced", *s)));
  }
  f.fix = fmt::format(
      "Recover node {0} (its own finding says how). If it is lost, kubectl delete node {0}: the "
      "pods' controller ({1}) then recreates them on healthy nodes; taint-based eviction does it "
      "after the unreachable toleration (tolerationSeconds, 300s by default).",
      node_name, workload_name(ctx.cluster, pod));
}

// A pod on a node whose CNI is not ready: the kubelet cannot create its sandbox (hostNetwork
// pods need no CNI and still start).
void report_network_pod(const AnalysisContext& ctx, const PodView& pv, const NodeState& ns,
                        FindingSink& sink) {
  const Object& pod = pv.object();
  if (pod.spec()["hostNetwork"].as_bool()) return;
  const Event* ev = latest_event(ctx.cluster, pod, "NetworkNotReady");
  if (ev == nullptr && pv.phase() != "Pending") return;
  Finding& f = sink.add(kPodNetwork, pod,
                        fmt::format("Pod {} cannot start: node {} has no working pod network (CNI "
                                    "not ready), so the kubelet creates no sandbox for it",
                                    pod.name, ns.node->name));
  f.evidence.push_back(field_evidence(pod, ".spec.nodeName", pv.node_name()));
  f.evidence.push_back(field_evidence(pod, ".status.phase", pv.phase()));
  if (ev != nullptr) f.evidence.push_back(event_evidence(ctx.cluster, *ev));
  f.fix = fmt::format(
      "Fix node {0}'s pod network (its own finding says how); the pod starts once the CNI "
      "configuration exists. To move it meanwhile: {1}delete pod {2} (its controller recreates "
      "it, and the scheduler avoids the NotReady node).",
      ns.node->name, kubectl_ns(pod), pod.name);
}

void report_terminating(const AnalysisContext& ctx, const PodView& pv, const NodeState* ns,
                        FindingSink& sink) {
  const Object& pod = pv.object();
  const auto due = parse_rfc3339(pod.metadata()["deletionTimestamp"].str());
  if (!due || ctx.now == 0) return;
  const std::int64_t grace = pod.metadata()["deletionGracePeriodSeconds"].as_int(
      pod.spec()["terminationGracePeriodSeconds"].as_int(30));
  if (ctx.now - *due <= std::max(grace, kTerminatingSlack)) return;
  std::string finalizers;
  for (const Value& v : pod.metadata()["finalizers"].items()) {
    finalizers += (finalizers.empty() ? "" : ", ") + std::string(v.str());
  }
  std::string why;
  if (ns != nullptr && ns->not_ready) {
    why = fmt::format("node {} is NotReady, so no kubelet confirms the containers stopped",
                      ns->node->name);
  } else if (!finalizers.empty()) {
    why = fmt::format("finalizers [{}] are not removed", finalizers);
  } else {
    why = "the kubelet has not confirmed the containers stopped";
  }
  Finding& f =
      sink.add(kTerminating, pod,
               fmt::format("Pod {} is stuck Terminating, {} past its deletion deadline: {}",
                           pod.name, format_duration(ctx.now - *due), why));
  f.evidence.push_back(
      field_evidence(pod, ".metadata.deletionTimestamp",
                     fmt::format("{} (grace period {}s)", format_rfc3339(*due), grace)));
  f.evidence.push_back(field_evidence(pod, ".spec.nodeName", pv.node_name()));
  if (!finalizers.empty()) {
    f.evidence.push_back(field_evidence(pod, ".metadata.finalizers", finalizers));
  }
  for (std::string_view r : {"TaintManagerEviction", "NodeControllerEviction", "Killing"}) {
    if (const Event* e = latest_event(ctx.cluster, pod, r)) {
      f.evidence.push_back(event_evidence(ctx.cluster, *e));
    }
  }
  const std::string ns_flag = kubectl_ns(pod);
  if (ns != nullptr && ns->not_ready) {
    f.fix = fmt::format(
        "Recover node {0}; if it is lost, kubectl delete node {0} and the pod object goes with "
        "it. Only once the node is confirmed down: {1}delete pod {2} --grace-period=0 --force "
        "(careful with StatefulSets and ReadWriteOnce volumes).",
        ns->node->name, ns_flag, pod.name);
  } else if (!finalizers.empty()) {
    f.fix = fmt::format(
        "Repair the controller that owns finalizer(s) {0}; to drop them deliberately: {1}patch "
        "pod {2} --type=merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'",
        finalizers, ns_flag, pod.name);
  } else {
    f.fix = fmt::format(
        "On node {0}: journalctl -u kubelet | grep {1} and crictl ps to see the stuck container; "
        "as a last resort {2}delete pod {1} --grace-period=0 --force.",
        pv.node_name(), pod.name, ns_flag);
  }
}

// 0 memory, 1 disk, 2 pid; -1 other.
int pressure_index(std::string_view resource) {
  if (resource == "memory") return 0;
  if (resource == "ephemeral-storage" || resource == "nodefs" || resource == "imagefs") return 1;
  if (resource == "pids") return 2;
  return -1;
}

void report_evictions(
    const AnalysisContext& ctx,
    const std::map<std::pair<std::string, std::string>, std::vector<const Object*>>& evicted,
    const std::map<std::string, NodeState, std::less<>>& nodes, FindingSink& sink) {
  for (const auto& [key, pods] : evicted) {
    const auto& [node_name, resource] = key;
    auto it = nodes.find(node_name);
    ObjectRef ref =
        it != nodes.end() ? it->second.node->ref() : ObjectRef{"Node", "", node_name, ""};
    const std::string& what = resource;
    Finding& f =
        sink.add(kEvicted, ref,
                 fmt::format("{} pod{} evicted from node {} because it ran low on {}", pods.size(),
                             pods.size() == 1 ? " was" : "s were", node_name, what),
                 resource);
    for (std::size_t i = 0; i < pods.size(); ++i) {
      const Object& p = *pods[i];
      f.also_affects.push_back(p.ref());
      if (i < 3) {
        f.evidence.push_back(
            field_evidence(p, ".status.message", shorten(p.status()["message"].str(), 200)));
      }
    }
    if (const int idx = pressure_index(resource);
        idx >= 0 && it != nodes.end() && !it->second.pressure_finding[idx].empty()) {
      f.caused_by.push_back(it->second.pressure_finding[idx]);
    }
    f.fix = fmt::format(
        "Give the evicted pods' containers requests that match their {} use (the messages name "
        "the container and its usage) or add capacity to node {}; then delete the leftover "
        "Failed pods: kubectl delete pods -A --field-selector "
        "status.phase=Failed,spec.nodeName={}",
        what, node_name, node_name);
  }
}

// Each Node first (in the constructor), then each Pod against its node's state, then the
// evictions grouped by node and resource.
class Pass final : public PodPass {
 public:
  Pass(const AnalysisContext& ctx, FindingSink& sink) : ctx_(ctx) {
    for (const Object* node : ctx.cluster.of_kind("Node")) {
      NodeState& st = nodes_[std::string(node->name)];
      st.node = node;
      const Value& ready = node->condition("Ready");
      const std::string_view status = ready["status"].str();
      st.not_ready = !ready.is_null() && status != "True";
      st.unreachable = status == "Unknown";
      if (status == "Unknown") report_stopped(ctx, *node, ready, sink);
      if (status == "False") st.cni = report_not_ready(ctx, *node, ready, sink) == &kCni;
      report_pressure(ctx, *node, sink);
      const Rule* pressure[3] = {&kMemory, &kDisk, &kPid};
      const std::string_view types[3] = {"MemoryPressure", "DiskPressure", "PIDPressure"};
      for (int i = 0; i < 3; ++i) {
        if (node->condition(types[i])["status"].str() == "True") {
          st.pressure_finding[i] = finding_id(*pressure[i], node->ref());
        }
      }
      report_cordoned(ctx, *node, sink);
    }
  }
  void pod(const Object& pod, FindingSink& sink) override {
    const PodView pv(pod);
    auto it = nodes_.find(pv.node_name());
    const NodeState* ns = it == nodes_.end() ? nullptr : &it->second;
    if (pod.status()["reason"].str() == "Evicted") {
      // Evictions for a pod's own ephemeral-storage limit are not node pressure: left out.
      std::string resource = eviction_resource(pod.status()["message"].str());
      if (!resource.empty()) evicted_[{std::string(pv.node_name()), resource}].push_back(&pod);
      return;
    }
    if (pv.being_deleted()) {
      report_terminating(ctx_, pv, ns, sink);
      return;
    }
    if (pv.terminated()) return;
    const bool lost = pv.phase() == "Unknown" || pod.status()["reason"].str() == "NodeLost";
    if (ns == nullptr) {
      // The snapshot lacks the node: the pod's own status still says it was lost.
      if (lost && !pv.node_name().empty()) report_lost_pod(ctx_, pv, pv.node_name(), sink);
      return;
    }
    if (ns->unreachable || (ns->not_ready && lost)) {
      report_lost_pod(ctx_, pv, ns->node->name, sink);
    } else if (ns->cni) {
      report_network_pod(ctx_, pv, *ns, sink);
    }
  }
  void finish(FindingSink& sink) override { report_evictions(ctx_, evicted_, nodes_, sink); }

 private:
  const AnalysisContext& ctx_;
  std::map<std::string, NodeState, std::less<>> nodes_;
  std::map<std::pair<std::string, std::string>, std::vector<const Object*>> evicted_;
};

}  // namespace

const AnalyzerDef& nodes_analyzer() {
  static const AnalyzerDef kDef{"nodes", kRules, nullptr, nullptr, start_pod_pass<Pass>};
  return kDef;
}

}  // namespace ktriage
