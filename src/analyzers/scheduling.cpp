// Pending pods: why the scheduler cannot place them, from its FailedScheduling message (split per
// reason) and confirmed by recomputing each node's fit from the snapshot.
//
// Message envelope: kube-scheduler, pkg/scheduler/framework/types.go FitError.Error() (v1.18 to
// v1.35): "0/<N> nodes are available: <count> <reason>, <count> <reason>." with reasons sorted;
// v1.24+ append " preemption: 0/<N> nodes are available: ..." which says nothing of the cause.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "model/pod.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr std::string_view kSchedDoc =
    "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/";

constexpr Rule kInsufficient{
    "pending-insufficient-resources",
    "POD-PENDING-INSUFFICIENT-RESOURCES",
    Severity::kCritical,
    "Pod Pending: no node has enough cpu/memory for its requests",
    "Lower the pod's requests, free capacity, or add nodes.",
    "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"};
constexpr Rule kExtended{"pending-insufficient-extended-resource",
                         "POD-PENDING-INSUFFICIENT-EXTENDED-RESOURCE",
                         Severity::kCritical,
                         "Pod Pending: no node offers enough of an extended resource (GPU, ...)",
                         "Add nodes that advertise the resource, or fix the device plugin.",
                         "https://kubernetes.io/docs/concepts/configuration/"
                         "manage-resources-containers/#extended-resources"};
constexpr Rule kTooManyPods{"pending-too-many-pods",
                            "POD-PENDING-TOO-MANY-PODS",
                            Severity::kCritical,
                            "Pod Pending: nodes are at their max pods",
                            "Add nodes, raise max pods, or delete finished pods.",
                            kSchedDoc};
constexpr Rule kTaint{
    "pending-untolerated-taint",
    "POD-PENDING-UNTOLERATED-TAINT",
    Severity::kCritical,
    "Pod Pending: the nodes carry taints the pod does not tolerate",
    "Add a matching toleration, or remove the taint from the node.",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"};
constexpr Rule kConditionTaint{
    "pending-node-condition-taint",
    "POD-PENDING-NODE-CONDITION-TAINT",
    Severity::kCritical,
    "Pod Pending: nodes are tainted by their condition (not-ready, pressure, uninitialized)",
    "Repair the node condition; do not tolerate condition taints in workloads.",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"
    "#taint-based-evictions"};
constexpr Rule kAffinity{
    "pending-node-selector-mismatch",
    "POD-PENDING-NODE-SELECTOR-AFFINITY-MISMATCH",
    Severity::kCritical,
    "Pod Pending: no node matches its nodeSelector/node affinity",
    "Fix the selector, or label the intended nodes.",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/"};
constexpr Rule kPodAffinity{"pending-pod-affinity",
                            "POD-PENDING-POD-AFFINITY-RULES",
                            Severity::kCritical,
                            "Pod Pending: pod (anti-)affinity rules cannot be met",
                            "Add nodes/zones, use preferred rules, or reduce replicas.",
                            "https://kubernetes.io/docs/concepts/scheduling-eviction/"
                            "assign-pod-node/#inter-pod-affinity-and-anti-affinity"};
constexpr Rule kSpread{
    "pending-topology-spread",
    "POD-PENDING-TOPOLOGY-SPREAD",
    Severity::kCritical,
    "Pod Pending: topology spread constraints cannot be met",
    "Add capacity in the under-filled domain or use whenUnsatisfiable: ScheduleAnyway.",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/"};
constexpr Rule kUnschedulable{"pending-nodes-unschedulable",
                              "POD-PENDING-NODES-UNSCHEDULABLE",
                              Severity::kCritical,
                              "Pod Pending: nodes are cordoned",
                              "kubectl uncordon NODE when maintenance is over, or add nodes.",
                              kSchedDoc};
constexpr Rule kHostPort{"pending-hostport-conflict",
                         "POD-PENDING-HOSTPORT-CONFLICT",
                         Severity::kCritical,
                         "Pod Pending: no node has the requested hostPort free",
                         "Use a Service instead of hostPort, or keep replicas <= nodes.",
                         kSchedDoc};
constexpr Rule kUnboundPvc{"pending-unbound-pvc",
                           "POD-PENDING-UNBOUND-PVC",
                           Severity::kCritical,
                           "Pod Pending: its PersistentVolumeClaim is missing or unbound",
                           "Create or fix the PVC and its StorageClass.",
                           "https://kubernetes.io/docs/concepts/storage/persistent-volumes/"};
constexpr Rule kNoPv{"pending-no-pv-to-bind",
                     "POD-PENDING-NO-PV-TO-BIND",
                     Severity::kCritical,
                     "Pod Pending: no PersistentVolume can be bound on any node",
                     "Create a matching PV or use a dynamic StorageClass.",
                     "https://kubernetes.io/docs/concepts/storage/persistent-volumes/"};
constexpr Rule kVolumeAffinity{
    "pending-volume-node-affinity",
    "POD-PENDING-VOLUME-NODE-AFFINITY-CONFLICT",
    Severity::kCritical,
    "Pod Pending: its volume is pinned to nodes it cannot use",
    "Add schedulable capacity in the volume's zone, or move the data.",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#node-affinity"};
constexpr Rule kVolumeCount{"pending-max-volume-count",
                            "POD-PENDING-MAX-VOLUME-COUNT",
                            Severity::kCritical,
                            "Pod Pending: nodes are at their attachable volume limit",
                            "Spread pods, add nodes, or use shared storage.",
                            kSchedDoc};
constexpr Rule kVolumeZone{"pending-volume-zone",
                           "POD-PENDING-VOLUME-ZONE",
                           Severity::kCritical,
                           "Pod Pending: no node in its volume's zone",
                           "Add nodes in the volume's zone.",
                           kSchedDoc};
constexpr Rule kNoNodes{"pending-no-nodes",  "POD-PENDING-NO-NODES-AVAILABLE",
                        Severity::kCritical, "Pod Pending: the cluster has no nodes",
                        "Add nodes.",        kSchedDoc};
constexpr Rule kNotScheduled{
    "pending-not-processed-by-scheduler",
    "POD-PENDING-NOT-PROCESSED-BY-SCHEDULER",
    Severity::kCritical,
    "Pod Pending: no scheduler has tried to place it",
    "Fix spec.schedulerName or remove schedulingGates; check the scheduler.",
    kSchedDoc};

constexpr Rule kRules[] = {
    kInsufficient,   kExtended,    kTooManyPods,   kTaint,    kConditionTaint, kAffinity,
    kPodAffinity,    kSpread,      kUnschedulable, kHostPort, kUnboundPvc,     kNoPv,
    kVolumeAffinity, kVolumeCount, kVolumeZone,    kNoNodes,  kNotScheduled};

// Pending with no scheduling verdict for this long is not normal any more. The default scheduler
// retries unschedulable pods at least every 5 minutes (podMaxInUnschedulablePodsDuration), and
// places a schedulable pod within seconds.
constexpr std::int64_t kUnprocessedAfterSeconds = 120;

/// One "<count> <reason>" item of a FailedScheduling message.
struct ReasonItem {
  int count = 0;  // 0 for PreFilter reasons without a node count
  std::string text;
};

struct SchedulingMessage {
  int total_nodes = -1;
  std::vector<ReasonItem> items;
};

std::optional<SchedulingMessage> parse_message(std::string_view msg) {
  SchedulingMessage out;
  if (msg.find("no nodes available to schedule pods") != std::string_view::npos) {
    out.total_nodes = 0;
    return out;
  }
  constexpr std::string_view kHead = "0/";
  std::size_t head = msg.find(kHead);
  if (head == std::string_view::npos) return std::nullopt;
  std::size_t after = head + kHead.size();
  int total = 0;
  auto [p, ec] = std::from_chars(msg.data() + after, msg.data() + msg.size(), total);
  if (ec != std::errc()) return std::nullopt;
  out.total_nodes = total;
  std::string_view rest = msg.substr(static_cast<std::size_t>(p - msg.data()));
  constexpr std::string_view kAvail = " nodes are available";
  if (!rest.starts_with(kAvail)) return std::nullopt;
  rest.remove_prefix(kAvail.size());
  if (rest.starts_with(":")) rest.remove_prefix(1);
  // Everything after "preemption:" (and DRA's "no new claims to deallocate") is not a cause.
  for (std::string_view cut :
       {std::string_view(" preemption:"), std::string_view(" no new claims")}) {
    if (auto c = rest.find(cut); c != std::string_view::npos) rest = rest.substr(0, c);
  }
  while (!rest.empty() && (rest.back() == '.' || rest.back() == ' ' || rest.back() == ','))
    rest.remove_suffix(1);
  // Items are separated by ", " but a taint item can hold ", that the pod didn't tolerate":
  // split only where the next item starts with a digit.
  std::size_t start = 0;
  while (start < rest.size()) {
    std::size_t sep = start;
    std::size_t cut = std::string_view::npos;
    while ((sep = rest.find(", ", sep)) != std::string_view::npos) {
      if (sep + 2 < rest.size() && rest[sep + 2] >= '0' && rest[sep + 2] <= '9') {
        cut = sep;
        break;
      }
      sep += 2;
    }
    std::string_view item = rest.substr(start, cut == std::string_view::npos ? cut : cut - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    ReasonItem r;
    int count = 0;
    auto [q, ec2] = std::from_chars(item.data(), item.data() + item.size(), count);
    if (ec2 == std::errc() && q < item.data() + item.size() && *q == ' ') {
      r.count = count;
      r.text = std::string(item.substr(static_cast<std::size_t>(q - item.data()) + 1));
    } else {
      r.text = std::string(item);
    }
    if (!r.text.empty()) out.items.push_back(std::move(r));
    if (cut == std::string_view::npos) break;
    start = cut + 2;
  }
  return out;
}

bool is_condition_taint_key(std::string_view key) {
  return key.starts_with("node.kubernetes.io/") ||
         key.starts_with("node.cloudprovider.kubernetes.io/");
}

// Maps one reason text to its rule. Wordings by version (kube-scheduler plugins):
//   noderesources/fit.go "Insufficient <resource>", "Too many pods"
//   tainttoleration: "node(s) had untolerated taint {k: v}" (v1.25+), "node(s) had taint {k: v},
//     that the pod didn't tolerate" (v1.18-1.24), "node(s) had untolerated taint(s)" (v1.33+)
//   nodeaffinity: "node(s) didn't match Pod's node affinity/selector", "... node selector" (old)
//   nodeunschedulable: "node(s) were unschedulable"; nodeports: "node(s) didn't have free ports..."
//   volumebinding: "pod has unbound immediate PersistentVolumeClaims", "node(s) didn't find
//     available persistent volumes to bind", "node(s) had volume node affinity conflict"
const Rule* classify(std::string_view text, std::string* resource) {
  if (text.starts_with("Insufficient ")) {
    std::string_view res = text.substr(13);
    *resource = std::string(res);
    if (res == "cpu" || res == "memory" || res == "ephemeral-storage") return &kInsufficient;
    if (res == "pods") return &kTooManyPods;
    return &kExtended;
  }
  if (has(text, "Too many pods")) return &kTooManyPods;
  if (has(text, "taint")) {
    std::size_t open = text.find('{');
    std::size_t colon = text.find(':', open == std::string_view::npos ? 0 : open);
    if (open != std::string_view::npos && colon != std::string_view::npos) {
      std::string_view key = text.substr(open + 1, colon - open - 1);
      *resource = std::string(key);
      if (is_condition_taint_key(key)) return &kConditionTaint;
    }
    return &kTaint;
  }
  if (has(text, "were unschedulable")) return &kUnschedulable;
  if (has(text, "didn't match Pod's node affinity") || has(text, "didn't match node selector") ||
      has(text, "scheduler-enforced node affinity") || has(text, "requested node name")) {
    return &kAffinity;
  }
  if (has(text, "pod affinity") || has(text, "anti-affinity") || has(text, "affinity terms")) {
    return &kPodAffinity;
  }
  if (has(text, "topology spread")) return &kSpread;
  if (has(text, "free ports")) return &kHostPort;
  if (has(text, "unbound immediate PersistentVolumeClaims") ||
      has(text, "persistentvolumeclaim \"") || has(text, "ephemeral volume controller")) {
    return &kUnboundPvc;
  }
  if (has(text, "available persistent volumes to bind") || has(text, "enough free storage")) {
    return &kNoPv;
  }
  if (has(text, "volume node affinity conflict") || has(text, "PersistentVolume's node affinity")) {
    return &kVolumeAffinity;
  }
  if (has(text, "max volume count")) return &kVolumeCount;
  if (has(text, "volume zone")) return &kVolumeZone;
  return nullptr;
}

// One resource the node lacks for the pod, kept as numbers: only the few nodes a finding shows
// are ever written out, and formatting every node's shortfall was most of this analyzer's time.
struct Shortage {
  std::string resource;  // "cpu", "memory", ...; "pods" for the max-pods check
  MilliQuantity need = 0;
  MilliQuantity free = 0;
  MilliQuantity have = 0;
  bool pods = false;  // need = pods on the node, have = max pods (milli)
};

// Why the nodes turned the pod away, as the summary's parenthesis says it: the taint or the
// resources the scheduler named ("Insufficient cpu" -> "not enough cpu free"), else the rule's
// title after its "Pod Pending: " prefix. `detail` is what classify() read from the message,
// several joined by ", " ("cpu, memory" reads "cpu and memory").
std::string reject_reason(const Rule* rule, const std::string& detail) {
  if (rule == &kTaint || rule == &kConditionTaint)
    return detail.empty() ? "untolerated taint" : "untolerated taint {" + detail + "}";
  if ((rule == &kInsufficient || rule == &kExtended) && !detail.empty()) {
    std::string resources = detail;
    if (const auto last = resources.rfind(", "); last != std::string::npos)
      resources.replace(last, 2, " and ");
    return fmt::format("not enough {} free for its requests", resources);
  }
  return std::string(rule->title.substr(rule->title.find(':') + 2));
}

// "cpu: pod requests 8, node has 820m free of 3920m allocatable", "pods: 110 running, max 110".
std::string shortage_text(const Shortage& s) {
  if (s.pods) return fmt::format("pods: {} running, max {}", s.need, s.have / 1000);
  return fmt::format("{}: pod requests {}, node has {} free of {} allocatable", s.resource,
                     format_quantity(s.resource, s.need),
                     format_quantity(s.resource, std::max<MilliQuantity>(s.free, 0)),
                     format_quantity(s.resource, s.have));
}

// What the snapshot itself says about each node for this pod.
struct NodeFit {
  const Object* node;
  std::vector<Shortage> short_resources;
  std::vector<const Value*> untolerated;  // entries of the node's spec.taints
  bool unschedulable = false;
  bool affinity_mismatch = false;
};

// Requests already placed on a node, and the node's own scheduling fields: computed once per
// node per run.
struct NodeUsage {
  std::map<std::string, MilliQuantity, std::less<>> allocatable;
  std::map<std::string, MilliQuantity, std::less<>> used;
  std::int64_t pods = 0;
  const Value* taints = &Value::null_value();
  bool unschedulable = false;
  bool node_read = false;  // allocatable, taints and unschedulable are filled
};

// Indexed by the node's position in of_kind("Node"). The pods' side is filled by place(), which
// the pass calls for every Pod while the sweep has it in cache: node by node, through
// pods_on_node, the same sums read every pod's tree from memory again, most of this analyzer's
// 0.5 s at 150,000 pods. The node's side is read on first use.
class UsageCache {
 public:
  explicit UsageCache(const Cluster& cluster) : cache_(cluster.of_kind("Node").size()) {
    const auto nodes = cluster.of_kind("Node");
    // A name may stand for two Node objects (two uids read from two sources): both get its pods.
    by_name_.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) by_name_[nodes[i]->name].push_back(i);
  }
  // Adds a pod's requests to the node it is bound to (Cluster::pods_on_node's pods, in its order).
  void place(const PodView& pv) {
    const std::string_view node = pv.node_name();
    if (node.empty()) return;
    const auto it = by_name_.find(node);
    if (it == by_name_.end() || pv.terminated()) return;
    const auto requests = pv.requests();
    for (const std::size_t i : it->second) {
      NodeUsage& u = cache_[i];
      ++u.pods;
      for (const auto& [res, q] : requests) u.used[res] = add_saturated(u.used[res], q);
    }
  }
  // After every pod was placed.
  const NodeUsage& of(std::size_t index, const Object& node) {
    NodeUsage& u = cache_[index];
    if (!u.node_read) {
      u.node_read = true;
      u.allocatable = node_allocatable(node);
      const Value& spec = node.spec();
      u.taints = &spec["taints"];
      u.unschedulable = spec["unschedulable"].as_bool();
    }
    return u;
  }

 private:
  std::vector<NodeUsage> cache_;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_name_;
};

// The pod's side of a fit, read once for all nodes.
struct PodNeeds {
  const std::map<std::string, MilliQuantity, std::less<>>& requests;
  const Value& tolerations;
  NodePlacement placement;
};

NodeFit fit(const PodNeeds& pod, const Object& node, const NodeUsage& usage) {
  NodeFit f{&node, {}, {}, false, false};
  const auto& alloc = usage.allocatable;
  const auto& used = usage.used;
  const std::int64_t pods_on_node = usage.pods;
  for (const auto& [res, q] : pod.requests) {
    if (q <= 0) continue;
    auto it = alloc.find(res);
    MilliQuantity have = it == alloc.end() ? 0 : it->second;
    auto u = used.find(res);
    MilliQuantity free = have - (u == used.end() ? 0 : u->second);
    if (q > free) f.short_resources.push_back(Shortage{res, q, free, have, false});
  }
  if (auto it = alloc.find("pods"); it != alloc.end() && pods_on_node * 1000 >= it->second) {
    f.short_resources.push_back(Shortage{"pods", pods_on_node, 0, it->second, true});
  }
  for (const Value& taint : usage.taints->items()) {
    std::string_view effect = taint["effect"].str();
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    if (!tolerates(pod.tolerations, taint)) f.untolerated.push_back(&taint);
  }
  f.unschedulable = usage.unschedulable;
  f.affinity_mismatch = !pod.placement.admits(node);
  return f;
}

std::string requests_text(const std::map<std::string, MilliQuantity, std::less<>>& need) {
  std::string out;
  for (const auto& [res, q] : need) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", res, format_quantity(res, q));
  }
  return out.empty() ? "none" : out;
}

void add_recomputed_evidence(const Rule* rule, const std::vector<NodeFit>& fits, Finding& f) {
  std::size_t shown = 0;
  for (const NodeFit& nf : fits) {
    if (shown >= 5) {
      f.evidence.push_back(
          Evidence::note(fmt::format("... and {} more nodes", fits.size() - shown)));
      break;
    }
    // Field evidence of the node (the field that rejects the pod), so `why node/NAME` finds
    // the pods it turns away (select_mentions).
    std::string why;
    std::string_view path;
    if (rule == &kInsufficient || rule == &kExtended || rule == &kTooManyPods) {
      for (const Shortage& s : nf.short_resources)
        why += (why.empty() ? "" : "; ") + shortage_text(s);
      path = ".status.allocatable";
    } else if (rule == &kTaint || rule == &kConditionTaint) {
      for (const Value* t : nf.untolerated)
        why += (why.empty() ? "untolerated taint " : ", ") + taint_string(*t);
      path = ".spec.taints";
    } else if (rule == &kUnschedulable && nf.unschedulable) {
      why = "true (cordoned)";
      path = ".spec.unschedulable";
    } else if (rule == &kAffinity && nf.affinity_mismatch) {
      why = "do not match the pod's nodeSelector/affinity";
      path = ".metadata.labels";
    }
    if (why.empty()) continue;
    f.evidence.push_back(
        Evidence::field("node/" + std::string(nf.node->name), std::string(path), why));
    ++shown;
  }
}

// Nodes that lack a requested resource altogether (allocatable 0: no GPU), when that is why
// every node short of something cannot take the pod, and some node that has it all rejects the
// pod for a placement reason (taint, selector, cordon). Zero nodes when that is not the case.
struct Lacking {
  int nodes = 0;
  std::string resources;  // "nvidia.com/gpu", comma-separated when several
};

Lacking lacking_elsewhere(const std::vector<NodeFit>& fits) {
  Lacking out;
  bool placement = false;
  for (const NodeFit& nf : fits) {
    if (nf.short_resources.empty()) {
      placement = placement || !nf.untolerated.empty() || nf.unschedulable || nf.affinity_mismatch;
      continue;
    }
    // A node without any of one requested resource can never take the pod, whatever else it
    // is short of; a node merely full is a real shortage.
    bool lacks = false;
    for (const Shortage& s : nf.short_resources) {
      if (s.pods || s.have != 0) continue;
      lacks = true;
      if (("," + out.resources + ",").find("," + s.resource + ",") == std::string::npos)
        out.resources += (out.resources.empty() ? "" : ",") + s.resource;
    }
    if (!lacks) return {};
    ++out.nodes;
  }
  return placement ? out : Lacking{};
}

// DaemonSet pods are pinned to their node (matchFields metadata.name): the other nodes' "didn't
// match Pod's node affinity" is no cause, and a resource their own node lacks is.
bool is_daemonset_pod(const Object& pod) {
  for (const Value& ref : pod.metadata()["ownerReferences"].items()) {
    if (ref["controller"].as_bool() && ref["kind"].str() == "DaemonSet") return true;
  }
  return false;
}

std::string selector_text(const Object& pod) {
  std::string out;
  for (const Member& m : pod.spec()["nodeSelector"].members()) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}={}", m.key, m.value.str());
  }
  return out;
}

// The pod's claims that hold it back, for the summary: "PersistentVolumeClaim data-db-0 is
// Pending (not bound)", "... does not exist" (only said when the snapshot has PVCs at all);
// the rule's own words when none can be named. A generic ephemeral volume's claim is named
// <pod>-<volume> (https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/).
std::string unbound_claims_text(const Cluster& cluster, const Object& pod) {
  // "Does not exist" only where the snapshot shows the namespace's claims: a live run may have
  // listed PVCs elsewhere but not here.
  const auto& pvcs = cluster.of_kind("PersistentVolumeClaim");
  const bool pvcs_read =
      std::any_of(pvcs.begin(), pvcs.end(), [&](const Object* c) { return c->ns == pod.ns; });
  std::string out;
  std::set<std::string> named;  // a claim mounted by two volumes is named once
  for (const Value& v : pod.spec()["volumes"].items()) {
    std::string claim(v["persistentVolumeClaim"]["claimName"].str());
    if (claim.empty() && v["ephemeral"].is_object())
      claim = fmt::format("{}-{}", pod.name, v["name"].str());
    if (claim.empty() || !named.insert(claim).second) continue;
    const Object* pvc = cluster.find("PersistentVolumeClaim", pod.ns, claim);
    std::string part;
    if (pvc == nullptr) {
      if (pvcs_read) part = fmt::format("PersistentVolumeClaim {} does not exist", claim);
    } else if (const std::string_view phase = pvc->status()["phase"].str(); phase != "Bound") {
      part = fmt::format("PersistentVolumeClaim {} is {} (not bound)", claim,
                         phase.empty() ? "Pending" : phase);
    }
    if (!part.empty()) out += (out.empty() ? "" : "; ") + part;
  }
  return out.empty() ? "its PersistentVolumeClaim is missing or unbound" : out;
}

std::string concrete_fix(const Rule* rule, const Cluster& cluster, const Object& pod,
                         const std::string& detail, const std::vector<NodeFit>& fits) {
  const std::string owner = workload_name(cluster, pod);
  const std::string ns = kubectl_ns(pod);
  if (rule == &kInsufficient || rule == &kExtended) {
    return fmt::format(
        "No node has {} free for this pod. Lower the requests in {} ({}edit {}), free capacity by "
        "scaling down other workloads, or add nodes with more {} (enable node-pool autoscaling).",
        detail.empty() ? "enough" : detail, owner, ns, owner, detail.empty() ? "capacity" : detail);
  }
  if (rule == &kTaint) {
    std::string taint = detail.empty() ? "the taint" : detail;
    // Name the node when one alone carries the taint the pod does not tolerate.
    std::string node = "NODE";
    int tainted = 0;
    for (const NodeFit& nf : fits) {
      if (!nf.untolerated.empty() && ++tainted == 1) node = std::string(nf.node->name);
    }
    if (tainted != 1) node = "NODE";
    return fmt::format(
        "Add a toleration for {} to the pod template of {} if it may run on those nodes, or remove "
        "the taint: kubectl taint nodes {} {}-",
        taint, owner, node, detail.empty() ? "KEY" : detail);
  }
  if (rule == &kConditionTaint) {
    return fmt::format(
        "The nodes are tainted {} because of their condition: repair the nodes "
        "(kubectl describe node) instead of tolerating the taint.",
        detail.empty() ? "by the node lifecycle controller" : detail);
  }
  if (rule == &kAffinity) {
    std::string sel = selector_text(pod);
    return fmt::format(
        "No node carries the labels the pod requires{}. Fix the selector in {} or "
        "label a node: kubectl label node NODE KEY=VALUE",
        sel.empty() ? "" : " (" + sel + ")", owner);
  }
  if (rule == &kUnschedulable)
    return "Uncordon the nodes when maintenance is over: kubectl uncordon NODE";
  if (rule == &kUnboundPvc) {
    return fmt::format(
        "Check the pod's claims: {}get pvc; create the missing PVC or fix its "
        "StorageClass (see the PVC's events).",
        ns);
  }
  return std::string(rule->fix);
}

// Per-node fits of pod templates: the pods of one ReplicaSet, StatefulSet or Job share their
// template, so their fits are computed once (at 150,000 pods a Deployment's Pending replicas
// times 5,000 nodes was the analyzer's whole cost). A template's fits are dropped after its last
// pending pod: keeping every template's until the end held 93 x 5,000 fits, 45 MB. DaemonSet
// pods are pinned to one node each and never share.
class FitCache {
 public:
  // One more pending pod of template `key` (a controller uid; "" for none) will be analyzed.
  void expect(std::string_view key) {
    if (!key.empty()) ++by_template_[key].pods_left;
  }
  // The fits of template `key`, computed by `compute` the first time.
  template <typename Compute>
  const std::vector<NodeFit>& fits(std::string_view key, Compute&& compute) {
    Entry& e = by_template_[key];
    if (!e.fits) e.fits = compute();
    return *e.fits;
  }
  // A pending pod of template `key` was analyzed: after its last one the fits are freed.
  void done(std::string_view key) {
    const auto it = by_template_.find(key);
    if (it != by_template_.end() && it->second.pods_left > 0 && --it->second.pods_left == 0)
      by_template_.erase(it);
  }

 private:
  struct Entry {
    std::optional<std::vector<NodeFit>> fits;
    std::size_t pods_left = 0;
  };
  std::unordered_map<std::string_view, Entry> by_template_;  // controller uid -> entry
};

std::string_view template_key(const Object& pod) {
  for (const Value& ref : pod.metadata()["ownerReferences"].items()) {
    const std::string_view kind = ref["kind"].str();
    if (ref["controller"].as_bool() &&
        (kind == "ReplicaSet" || kind == "StatefulSet" || kind == "Job"))
      return ref["uid"].str();
  }
  return {};
}

// `key` is the pod's template_key().
void analyze_pending_pod(const AnalysisContext& ctx, const Object& pod, std::string_view key,
                         UsageCache& usage, FitCache& fit_cache, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  PodView pv(pod);
  const Event* ev = latest_event(cluster, pod, "FailedScheduling");
  const Value& cond = pv.condition("PodScheduled");
  std::string_view message = ev != nullptr ? ev->message : std::string_view();
  // The pod's own PodScheduled condition carries the same text; use it when the event's message
  // is missing or not the scheduler's "0/N nodes are available: ..." (a truncated event, another
  // scheduler's wording), so a bad event never hides a readable condition.
  const std::string_view cond_message =
      cond["status"].str() == "False" ? cond["message"].str() : std::string_view();
  if (!cond_message.empty() &&
      (message.empty() || (!parse_message(message) && parse_message(cond_message))))
    message = cond_message;

  const auto need = pv.requests();
  auto compute_fits = [&] {
    const PodNeeds needs{need, pod.spec()["tolerations"], NodePlacement(pod.spec())};
    const auto nodes = cluster.of_kind("Node");
    std::vector<NodeFit> out;
    out.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      out.push_back(fit(needs, *nodes[i], usage.of(i, *nodes[i])));
    }
    return out;
  };
  std::vector<NodeFit> own_fits;
  if (key.empty()) own_fits = compute_fits();
  const std::vector<NodeFit>& fits = key.empty() ? own_fits : fit_cache.fits(key, compute_fits);

  auto base_evidence = [&](Finding& f) {
    f.evidence.push_back(field_evidence(pod, ".status.phase", "Pending"));
    if (ev != nullptr) {
      f.evidence.push_back(event_evidence(cluster, *ev));
    } else if (!cond.is_null()) {
      f.evidence.push_back(
          field_evidence(pod, ".status.conditions[PodScheduled]",
                         fmt::format("{} {}: {}", cond["status"].str(), cond["reason"].str(),
                                     cond["message"].str())));
    }
  };

  if (auto parsed = message.empty() ? std::nullopt : parse_message(message)) {
    if (parsed->total_nodes == 0) {
      Finding& f = sink.add(
          kNoNodes, pod,
          fmt::format("Pod {} is Pending: the cluster has no nodes to schedule on", pod.name));
      base_evidence(f);
      f.fix = "Add nodes (or scale a node pool up from 0); kubectl get nodes shows none.";
      return;
    }
    // One finding per distinct rule, in the order of the message (sorted by the scheduler).
    std::map<const Rule*, std::pair<int, std::string>> seen;
    std::vector<const Rule*> order;
    for (const ReasonItem& item : parsed->items) {
      std::string detail;
      const Rule* rule = classify(item.text, &detail);
      if (rule == nullptr) continue;
      auto [it, inserted] = seen.emplace(rule, std::make_pair(item.count, detail));
      if (inserted) {
        order.push_back(rule);
      } else {
        // One node may give several reasons ("3 Insufficient cpu, 3 Insufficient memory" of 3
        // nodes): the sum bounds the nodes this rule turned away, and so does the total.
        const int sum = it->second.first + item.count;
        it->second.first = parsed->total_nodes > 0 ? std::min(sum, parsed->total_nodes) : sum;
        if (!detail.empty() && it->second.second.find(detail) == std::string::npos)
          it->second.second += ", " + detail;
      }
    }
    // A reason is a cause of its own when it rejects a real share of the nodes (the catalog:
    // "every reason with count == total nodes is blocking on its own"); one that turns away a
    // few nodes while most fail for another reason is context, shown under the main finding.
    auto significant = [&](const Rule* rule) {
      const int count = seen[rule].first;
      return count == 0 || parsed->total_nodes <= 0 || count * 3 >= parsed->total_nodes;
    };
    // Nodes that lack a requested resource altogether (allocatable 0: no GPU) are no shortage
    // to fix when nodes that have it turn the pod away for a placement reason (a taint, a
    // selector, a cordon): that reason is the cause, and the resource rules become context.
    auto is_placement = [](const Rule* r) {
      return r == &kTaint || r == &kConditionTaint || r == &kAffinity || r == &kUnschedulable;
    };
    // A DaemonSet pod is pinned to one node: "didn't match Pod's node affinity" from every
    // other node is how it is placed, not a cause, however many nodes say it. Its own node's
    // reason is the finding.
    const bool pinned = is_daemonset_pod(pod);
    if (pinned && order.size() > 1) {
      order.erase(std::remove(order.begin(), order.end(), &kAffinity), order.end());
    }
    Lacking lacking;
    if (std::any_of(order.begin(), order.end(), is_placement) && !pinned)
      lacking = lacking_elsewhere(fits);
    std::vector<const Rule*> absent;  // resource rules shown as context under the main finding
    if (lacking.nodes > 0) {
      for (const Rule* rule : order) {
        if (rule == &kExtended || rule == &kInsufficient) absent.push_back(rule);
      }
    }
    auto demoted = [&](const Rule* r) {
      return std::find(absent.begin(), absent.end(), r) != absent.end();
    };
    const Rule* main_rule = nullptr;
    for (const Rule* rule : order) {
      if (demoted(rule) || (!absent.empty() && !is_placement(rule))) continue;
      if (main_rule == nullptr || seen[rule].first > seen[main_rule].first) main_rule = rule;
    }
    for (const Rule* rule : order) {
      if (demoted(rule) || (rule != main_rule && !significant(rule))) continue;
      const auto& [count, detail] = seen[rule];
      std::string summary =
          count > 0 ? fmt::format("Pod {} is Pending: {} of {} nodes rejected it ({})", pod.name,
                                  count, parsed->total_nodes, reject_reason(rule, detail))
          : rule == &kUnboundPvc
              ? fmt::format("Pod {} is Pending: {}", pod.name, unbound_claims_text(cluster, pod))
              : fmt::format("Pod {} is Pending: {}", pod.name,
                            rule->title.substr(rule->title.find(':') + 2));
      if (rule == main_rule && !absent.empty() && count > 0) {
        // Every node turned it away: say so, and why those that have the resource did (each
        // placement reason, with its count when there are several).
        auto reason_text = [&](const Rule* r) { return reject_reason(r, seen[r].second); };
        std::vector<const Rule*> reasons;
        for (const Rule* r : order) {
          if (is_placement(r)) reasons.push_back(r);
        }
        std::string why;
        for (const Rule* r : reasons) {
          why += (why.empty() ? "" : ", ") +
                 (reasons.size() > 1 ? fmt::format("{} {}", seen[r].first, reason_text(r))
                                     : reason_text(r));
        }
        const int with_resource = std::max(parsed->total_nodes - lacking.nodes, count);
        summary = fmt::format(
            "Pod {} is Pending: no node can run it: {} of {} nodes have {} and reject it ({}); "
            "the other {} {} none",
            pod.name, with_resource, parsed->total_nodes, lacking.resources, why, lacking.nodes,
            lacking.nodes == 1 ? "has" : "have");
      }
      Finding& f = sink.add(*rule, pod, summary);
      base_evidence(f);
      if (rule == &kInsufficient || rule == &kExtended) {
        f.evidence.push_back(Evidence::note("pod requests (max of init, sum of app containers): " +
                                            requests_text(need)));
      }
      add_recomputed_evidence(rule, fits, f);
      if (rule == main_rule && !absent.empty()) {
        f.evidence.push_back(Evidence::note(
            fmt::format("also: {} node(s) have no {} at all (allocatable 0): only the node(s) "
                        "above could run it",
                        lacking.nodes, lacking.resources)));
        add_recomputed_evidence(absent.front(), fits, f);
      }
      if (rule == main_rule) {
        for (const Rule* minor : order) {
          if (minor == main_rule || demoted(minor) || significant(minor)) continue;
          // Under a resource only some nodes have, another placement reason is named in the
          // summary; fixing it may well place the pod, so no "would not" note.
          if (!absent.empty() && is_placement(minor)) continue;
          f.evidence.push_back(Evidence::note(
              fmt::format("also: {} node(s) rejected for another reason ({}); "
                          "fixing that alone would not place the pod",
                          seen[minor].first, reject_reason(minor, seen[minor].second))));
        }
      }
      f.fix = concrete_fix(rule, cluster, pod, detail, fits);
    }
    // A reason we do not classify stays with the events analyzer, which reports the warning.
    return;
  }

  // No verdict from the scheduler at all.
  const auto created = parse_rfc3339(pod.metadata()["creationTimestamp"].str());
  const std::int64_t age = created ? ctx.now - *created : 0;
  if (age < kUnprocessedAfterSeconds) return;
  std::string_view scheduler = pod.spec()["schedulerName"].str();
  const Value& gates = pod.spec()["schedulingGates"];
  Finding& f =
      sink.add(kNotScheduled, pod,
               fmt::format("Pod has been Pending for {} with no scheduling attempt recorded",
                           format_duration(age)));
  f.evidence.push_back(field_evidence(pod, ".status.phase", "Pending"));
  f.evidence.push_back(field_evidence(pod, ".spec.nodeName", "(empty)"));
  if (!scheduler.empty())
    f.evidence.push_back(field_evidence(pod, ".spec.schedulerName", scheduler));
  if (gates.size() > 0) {
    std::string names;
    for (const Value& g : gates.items())
      names += (names.empty() ? "" : ", ") + std::string(g["name"].str());
    f.evidence.push_back(field_evidence(pod, ".spec.schedulingGates", names));
    f.fix = fmt::format(
        "The pod is held by scheduling gates ({}); the controller that owns them must "
        "remove them, or edit {} to drop them.",
        names, workload_name(cluster, pod));
  } else if (!scheduler.empty() && scheduler != "default-scheduler") {
    f.fix = fmt::format(
        "spec.schedulerName is \"{}\": make sure that scheduler runs, or set "
        "schedulerName to default-scheduler in {}.",
        scheduler, workload_name(cluster, pod));
  } else {
    f.fix =
        "No FailedScheduling event and no PodScheduled condition: check that kube-scheduler is "
        "running and healthy (kubectl get pods -n kube-system; on ACK managed clusters, the "
        "control-plane logs).";
  }
}

class Pass final : public PodPass {
 public:
  explicit Pass(const AnalysisContext& ctx) : ctx_(ctx), usage_(ctx.cluster) {}
  void pod(const Object& pod, FindingSink& /*sink*/) override {
    const PodView pv(pod);
    if (pv.phase() == "Pending" && pv.node_name().empty() && !pv.being_deleted()) {
      pending_.push_back({&pod, template_key(pod)});
      fit_cache_.expect(pending_.back().key);
    }
    usage_.place(pv);
  }
  // A pending pod is fitted against what every node already holds, so after the last Pod.
  void finish(FindingSink& sink) override {
    for (const Pending& p : pending_) {
      analyze_pending_pod(ctx_, *p.pod, p.key, usage_, fit_cache_, sink);
      fit_cache_.done(p.key);
    }
  }

 private:
  const AnalysisContext& ctx_;
  UsageCache usage_;
  FitCache fit_cache_;
  struct Pending {
    const Object* pod;
    std::string_view key;  // template_key()
  };
  std::vector<Pending> pending_;
};

}  // namespace

const AnalyzerDef& scheduling_analyzer() {
  static const AnalyzerDef kDef{"scheduling", kRules, nullptr, nullptr, start_pod_pass<Pass>};
  return kDef;
}

}  // namespace ktriage
