// Volumes: pods that cannot attach or mount their volumes, from FailedMount / FailedAttachVolume
// events confirmed against the snapshot's objects (missing Secret/ConfigMap volumes, Multi-Attach,
// attach failures incl. ACK disk categories, NFS/NAS, hostPath type checks, the kubelet's mount
// timeout). Claims that stay Pending are the storage analyzer's (storage.cpp); a pod waiting on
// such a claim is linked to it by src/correlate/storage_links.cpp.
//
// Messages matched, by component:
//   attach-detach controller, pkg/controller/volume/attachdetach/reconciler/reconciler.go
//   (reportMultiAttachError), event FailedAttachVolume:
//     `Multi-Attach error for volume "<pv>" Volume is already used by pod(s) <p1>, <p2>` (pods of
//     the same namespace; `... and N pod(s) in different namespaces`), or `... Volume is already
//     exclusively attached to one node and can't be attached to another` when no pod is known;
//     pkg/volume/util/operationexecutor: `AttachVolume.Attach failed for volume "<pv>" : <err>`.
//   kubelet volume manager (pkg/kubelet/volumemanager, pkg/volume/util/operationexecutor), event
//   FailedMount:
//     `MountVolume.SetUp failed for volume "<v>" : configmap "<name>" not found` (secret likewise;
//       kubelets whose managers GET from the API server give its plural wording
//       `configmaps "<name>" not found`)
//     `MountVolume.MountDevice failed for volume "<v>" : rpc error: ...` (CSI NodeStageVolume)
//     `MountVolume.SetUp failed for volume "<v>" : mount failed: exit status 32 ... Output:
//       mount.nfs: ...` (nfs-utils text)
//     `MountVolume.SetUp failed for volume "<v>" : hostPath type check failed: <path> is not a
//       directory` (pkg/volume/hostpath)
//     `Unable to attach or mount volumes: unmounted volumes=[...], unattached volumes=[...]:
//       timed out waiting for the condition` (`context deadline exceeded` in newer kubelets);
//     older kubelets `Unable to mount volumes for pod "<pod>": timeout expired waiting for volumes
//       to attach or mount for pod "<ns>"/"<name>". list of unmounted volumes=[...]`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"
#include "analyzers/common/storage_helpers.h"
#include "core/quantity.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr Severity kCrit = Severity::kCritical;
constexpr std::string_view kPvDoc =
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/";
constexpr std::string_view kAckDiskDoc =
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "faq-about-disk-volumes";

constexpr Rule kMountMissing{
    "mount-secret-configmap-missing",
    "POD-WAITING-MOUNT-SECRET-CONFIGMAP-MISSING",
    kCrit,
    "Pod ContainerCreating: a Secret or ConfigMap it mounts as a volume does not exist",
    "Create the Secret/ConfigMap in the pod's namespace, fix the name, or mark the volume "
    "optional: true.",
    "https://kubernetes.io/docs/concepts/configuration/configmap/#using-configmaps-as-files-from-a-"
    "pod"};
constexpr Rule kMultiAttach{
    "volume-multi-attach",
    "POD-WAITING-MULTI-ATTACH",
    kCrit,
    "Pod ContainerCreating: its ReadWriteOnce volume is still attached to another node",
    "Stop the other pod (Deployments with one RWO volume need strategy Recreate), or remove the "
    "dead node so the disk detaches.",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes"};
constexpr Rule kAttachFailed{"volume-attach-failed",
                             "POD-WAITING-ATTACH-FAILED",
                             kCrit,
                             "Pod ContainerCreating: the volume cannot be attached to its node",
                             "Read the cloud error; align disk and node zones or categories, "
                             "check the CSI controller and its permissions.",
                             kPvDoc};
constexpr Rule kCategoryInstance{
    "disk-category-not-supported-by-instance",
    "ACK-DISK-CATEGORY-NOT-SUPPORTED-BY-INSTANCE",
    kCrit,
    "Pod ContainerCreating: the node's ECS instance type cannot attach the disk's category",
    "Use a WaitForFirstConsumer class whose categories every node supports "
    "(alicloud-disk-topology-alltype), or pin the pod to instance families that accept the disk.",
    kAckDiskDoc};
constexpr Rule kMountTimeout{
    "volume-mount-timeout",
    "POD-WAITING-MOUNT-TIMEOUT",
    kCrit,
    "Pod ContainerCreating: the kubelet timed out attaching or mounting its volumes",
    "Look at the listed volumes' own errors, the CSI node plugin on the node, and "
    "kubectl get volumeattachment.",
    kPvDoc};
constexpr Rule kNfs{"volume-mount-nfs-failed",
                    "POD-WAITING-MOUNT-NFS-NAS-FAILED",
                    kCrit,
                    "Pod ContainerCreating: the NFS/NAS mount fails on the node",
                    "Use a mount target in the cluster's VPC, allow the node CIDR in the NAS "
                    "permission group, fix the export path, install nfs-utils on the node.",
                    "https://kubernetes.io/docs/concepts/storage/volumes/#nfs"};
constexpr Rule kHostPath{"volume-hostpath-type-check",
                         "POD-WAITING-HOSTPATH-TYPE-CHECK",
                         kCrit,
                         "Pod ContainerCreating: a hostPath volume's path has the wrong type",
                         "Create the path on the node, or use type DirectoryOrCreate / "
                         "FileOrCreate.",
                         "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"};

constexpr Rule kRules[] = {kMountMissing, kMultiAttach, kAttachFailed, kCategoryInstance,
                           kMountTimeout, kNfs,         kHostPath};

// ---- Pods: FailedMount / FailedAttachVolume ----

// The pod volume named `name` and its index, or null.
// A node whose Ready condition says anything but True (a node without conditions is not judged).
bool not_ready(const Object& node) {
  const Value& ready = node.condition("Ready");
  return !ready.is_null() && ready["status"].str() != "True";
}

const Value* pod_volume(const Object& pod, std::string_view name, std::size_t* index) {
  std::size_t i = 0;
  for (const Value& v : pod.spec()["volumes"].items()) {
    if (v["name"].str() == name) {
      *index = i;
      return &v;
    }
    ++i;
  }
  return nullptr;
}

// PersistentVolume named `volume` (CSI and dynamic PVs are named as the event names the volume),
// else the PV bound to the claim of pod volume `volume`.
const Object* find_pv(const Cluster& cluster, const Object& pod, std::string_view volume) {
  if (const Object* pv = cluster.find("PersistentVolume", "", volume)) return pv;
  std::size_t idx = 0;
  if (const Value* v = pod_volume(pod, volume, &idx)) {
    std::string_view claim = (*v)["persistentVolumeClaim"]["claimName"].str();
    if (const Object* pvc = cluster.find("PersistentVolumeClaim", pod.ns, claim)) {
      return cluster.find("PersistentVolume", "", pvc->spec()["volumeName"].str());
    }
  }
  return nullptr;
}

// The zone a zonal disk lives in: its zone label, else the zone term of its node affinity (CSI
// drivers write topology.<driver>/zone there). "" when the PV says nothing about zones.
std::string_view pv_zone(const Object& pv) {
  for (std::string_view label :
       {"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}) {
    if (std::string_view z = pv.label(label); !z.empty()) return z;
  }
  for (const Value& term : pv.spec()["nodeAffinity"]["required"]["nodeSelectorTerms"].items()) {
    for (const Value& e : term["matchExpressions"].items()) {
      if (e["key"].str().ends_with("/zone") && e["operator"].str() == "In" &&
          e["values"].size() == 1)
        return e["values"][0].str();
    }
  }
  return {};
}

void add_pv_evidence(const Cluster& cluster, const Object& pod, std::string_view volume,
                     Finding& f) {
  const Object* pv = find_pv(cluster, pod, volume);
  if (pv == nullptr) return;
  const Value& ref = pv->spec()["claimRef"];
  if (!ref["name"].str().empty())
    f.evidence.push_back(field_evidence(
        *pv, ".spec.claimRef", fmt::format("{}/{}", ref["namespace"].str(), ref["name"].str())));
  f.evidence.push_back(
      field_evidence(*pv, ".spec.accessModes", access_modes(pv->spec()["accessModes"])));
  if (std::string_view t = pv->spec()["csi"]["volumeAttributes"]["type"].str(); !t.empty())
    f.evidence.push_back(field_evidence(*pv, ".spec.csi.volumeAttributes.type", t));
}

// The not-found error of the kubelet's secret/configmap managers inside a SetUp failure:
// `: configmap "x" not found` (`configmaps` from API-server lookups), or `[configmap "x" not found,
// ...]` when a projected volume aggregates several. The token found, or "" when the message has
// none.
std::string_view missing_token(std::string_view msg) {
  for (std::string_view t : {": configmaps", ": configmap", ": secrets", ": secret", "[configmaps",
                             "[configmap", "[secrets", "[secret"}) {
    std::size_t at = msg.find(t);
    if (at != std::string_view::npos && msg.substr(at + t.size()).starts_with(" \"") &&
        has(msg.substr(at), "\" not found"))
      return t;
  }
  return {};
}

void missing_object(const AnalysisContext& ctx, const Object& pod, const Event& ev,
                    FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  std::string_view volume = quoted_after(ev.message, "for volume");
  std::string_view token = missing_token(ev.message);
  const bool secret = token.find("secret") != std::string_view::npos;
  std::string_view kind = secret ? "Secret" : "ConfigMap";
  std::string_view name = quoted_after(ev.message, token);
  const Object* obj = cluster.find(kind, pod.ns, name);
  Finding& f =
      sink.add(kMountMissing, pod,
               fmt::format("Pod cannot start: volume \"{}\" mounts {} {}/{}, which does not exist",
                           volume, kind, pod.ns, name),
               volume);
  f.evidence.push_back(event_evidence(cluster, ev));
  std::size_t idx = 0;
  if (pod_volume(pod, volume, &idx) != nullptr) {
    std::string field = secret ? "secret" : "configMap";
    std::string key = secret ? "secretName" : "name";
    f.evidence.push_back(
        field_evidence(pod, fmt::format(".spec.volumes[{}].{}.{}", idx, field, key), name));
  }
  std::size_t same_kind = 0;
  std::string names;
  for (const Object* o : cluster.of_kind(kind)) {
    if (o->ns != pod.ns) continue;
    if (same_kind++ < 8) names += (names.empty() ? "" : ", ") + std::string(o->name);
  }
  if (obj != nullptr) {
    f.severity = Severity::kWarning;
    f.evidence.push_back(Evidence::note(
        fmt::format("{} {}/{} is in the snapshot now: the kubelet mounts it on its next retry",
                    kind, pod.ns, name)));
  } else if (same_kind > 0) {
    f.evidence.push_back(
        Evidence::note(fmt::format("{} {}/{} is not in the snapshot; {}s in "
                                   "namespace {}: {}",
                                   kind, pod.ns, name, kind, pod.ns, names)));
  } else {
    f.evidence.push_back(Evidence::note(
        fmt::format("the snapshot holds no {} of namespace {} to confirm it", kind, pod.ns)));
  }
  f.fix = fmt::format(
      "Create {} {} in namespace {} ({}create {} {} --from-file=...), or fix the name in "
      "volume \"{}\" of {}, or mark the volume optional: true if the pod can run without it.",
      kind, name, pod.ns, kubectl_ns(pod), secret ? "secret generic" : "configmap", name, volume,
      workload_name(cluster, pod));
}

void multi_attach(const AnalysisContext& ctx, const Object& pod, const Event& ev,
                  FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  std::string_view volume = quoted_after(ev.message, "Multi-Attach error for volume");
  std::vector<std::string> holders;
  std::string held_by;
  if (std::size_t at = ev.message.find("used by pod(s) "); at != std::string_view::npos) {
    std::string_view list = ev.message.substr(at + 15);
    if (std::size_t cut = list.find(" and "); cut != std::string_view::npos)
      list = list.substr(0, cut);
    while (!list.empty()) {
      std::size_t comma = list.find(", ");
      std::string_view one = list.substr(0, comma);
      while (!one.empty() && (one.back() == '.' || one.back() == ' ')) one.remove_suffix(1);
      if (!one.empty()) holders.emplace_back(one);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 2);
    }
  }
  // Where the holders run, and whether that node is down (then the disk never detaches).
  std::string other_node;
  std::vector<const Object*> others;
  bool node_down = false;
  for (const std::string& h : holders) {
    const Object* other = cluster.find("Pod", pod.ns, h);
    if (other == nullptr) continue;
    others.push_back(other);
    std::string_view node = other->spec()["nodeName"].str();
    if (other_node.empty()) other_node = std::string(node);
    const Object* n = cluster.find("Node", "", node);
    if (n == nullptr) continue;
    node_down = node_down || not_ready(*n);
  }
  // The CSI attacher's record of where the disk is attached (storage.k8s.io/v1 VolumeAttachment),
  // which names the node even when the event names no pod.
  const Object* attachment = nullptr;
  for (const Object* va : cluster.of_kind("VolumeAttachment")) {
    if (va->spec()["source"]["persistentVolumeName"].str() == volume &&
        va->spec()["nodeName"].str() != pod.spec()["nodeName"].str()) {
      attachment = va;
    }
  }
  if (attachment != nullptr && other_node.empty()) {
    other_node = std::string(attachment->spec()["nodeName"].str());
    if (const Object* n = cluster.find("Node", "", other_node)) {
      node_down = node_down || not_ready(*n);
    }
  }
  Finding& f = sink.add(
      kMultiAttach, pod,
      holders.empty()
          ? fmt::format("Pod cannot start: volume \"{}\" is still attached to another node", volume)
          : fmt::format("Pod cannot start: ReadWriteOnce volume \"{}\" is still in use by pod "
                        "{}{}",
                        volume, fmt::join(holders, ", "),
                        other_node.empty() ? std::string() : " on node " + other_node),
      volume);
  f.evidence.push_back(event_evidence(cluster, ev));
  if (!pod.spec()["nodeName"].str().empty())
    f.evidence.push_back(field_evidence(pod, ".spec.nodeName", pod.spec()["nodeName"].str()));
  for (const Object* other : others) {
    std::string_view node = other->spec()["nodeName"].str();
    f.evidence.push_back(
        field_evidence(*other, ".spec.nodeName", node.empty() ? std::string_view("(none)") : node));
    f.evidence.push_back(field_evidence(
        *other, ".status.phase",
        fmt::format("{}{}", other->status()["phase"].str(),
                    other->metadata()["deletionTimestamp"].is_null() ? "" : " (terminating)")));
    if (const Object* n = cluster.find("Node", "", node)) {
      if (not_ready(*n)) {
        const Value& ready = n->condition("Ready");
        f.evidence.push_back(
            field_evidence(*n, ".status.conditions[Ready]", condition_text(ready)));
      }
    }
  }
  if (attachment != nullptr) {
    f.evidence.push_back(
        field_evidence(*attachment, ".spec.nodeName", attachment->spec()["nodeName"].str()));
    f.evidence.push_back(
        field_evidence(*attachment, ".status.attached",
                       attachment->status()["attached"].as_bool() ? "true" : "false"));
  }
  add_pv_evidence(cluster, pod, volume, f);
  const Object& owner = cluster.top_owner(pod);
  // Whether the pods holding the disk are this pod's own predecessors (a rolling update of the
  // same Deployment): deleting them does not help, their ReplicaSet starts them again.
  const bool same_workload =
      !others.empty() && std::all_of(others.begin(), others.end(), [&](const Object* o) {
        return &cluster.top_owner(*o) == &owner && &owner != &pod;
      });
  std::string stop;
  if (owner.kind == "Deployment") {
    std::string_view s = owner.spec()["strategy"]["type"].str();
    f.evidence.push_back(
        field_evidence(owner, ".spec.strategy.type", s.empty() ? "RollingUpdate (default)" : s));
    if (s != "Recreate") {
      stop = fmt::format(
          " A rolling update starts the new pod before the old one stops, which a ReadWriteOnce "
          "disk cannot serve: set the strategy to Recreate ({}patch deployment/{} --type merge -p "
          "'{{\"spec\":{{\"strategy\":{{\"type\":\"Recreate\",\"rollingUpdate\":null}}}}}}'), so "
          "the old pod stops and the disk moves before the new pod starts{}.",
          kubectl_ns(pod), owner.name,
          same_workload ? "; deleting the old pod alone does not help, its ReplicaSet starts it "
                          "again"
                        : "");
    }
  }
  if (!same_workload && !holders.empty()) {
    const Object& holder_owner = cluster.top_owner(*others.front());
    stop = fmt::format(" Stop the pod holding it: {}.{}",
                       &holder_owner != others.front()
                           ? fmt::format("{}scale {} --replicas=0 (its own controller would "
                                         "restart a deleted pod)",
                                         kubectl_ns(holder_owner), kubectl_name(holder_owner))
                           : fmt::format("{}delete pod {}", kubectl_ns(pod), holders.front()),
                       stop);
  }
  f.fix = fmt::format(
      "The disk is still attached to {}.{}{} Check kubectl get volumeattachment | grep {}.",
      other_node.empty() ? std::string("another node") : "node " + other_node, stop,
      node_down || other_node.empty() || cluster.find("Node", "", other_node) == nullptr
          ? " If that node is dead, remove it (kubectl delete node NODE) or force-delete its pod "
            "so the disk detaches."
          : "",
      volume);
}

bool category_by_instance(std::string_view msg) {
  return !find_any(msg,
                   "InvalidInstanceType.NotSupportDiskCategory|The instanceType of the specified "
                   "instance does not support this disk category|is not supported by instance")
              .empty();
}

void attach_failed(const AnalysisContext& ctx, const Object& pod, const Event& ev,
                   FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  std::string_view volume = quoted_after(ev.message, "for volume");
  const bool category = category_by_instance(ev.message);
  std::size_t colon = ev.message.find("\" : ");
  std::string_view tail =
      colon == std::string_view::npos ? ev.message : ev.message.substr(colon + 4);
  Finding& f = sink.add(
      category ? kCategoryInstance : kAttachFailed, pod,
      category ? fmt::format("Pod cannot start: disk \"{}\" is of a category the ECS instance type "
                             "of node {} cannot attach",
                             volume, pod.spec()["nodeName"].str())
               : fmt::format("Pod cannot start: volume \"{}\" fails to attach: {}", volume,
                             shorten(tail, 120)),
      volume);
  f.evidence.push_back(event_evidence(cluster, ev));
  std::string_view node_name = pod.spec()["nodeName"].str();
  const Object* node = cluster.find("Node", "", node_name);
  if (!node_name.empty()) f.evidence.push_back(field_evidence(pod, ".spec.nodeName", node_name));
  if (node != nullptr) {
    for (std::string_view label :
         {"node.kubernetes.io/instance-type", "topology.kubernetes.io/zone"}) {
      if (std::string_view v = node->label(label); !v.empty())
        f.evidence.push_back(field_evidence(*node, fmt::format(".metadata.labels[{}]", label), v));
    }
  }
  add_pv_evidence(cluster, pod, volume, f);
  std::string_view node_zone = node != nullptr ? node->label("topology.kubernetes.io/zone") : "";
  const Object* pv = find_pv(cluster, pod, volume);
  std::string_view disk_zone = pv != nullptr ? pv_zone(*pv) : std::string_view();
  const bool zone_conflict = !node_zone.empty() && !disk_zone.empty() && node_zone != disk_zone;
  if (zone_conflict) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "the disk is in zone {}, node {} in zone {}: a zonal disk attaches only to instances of "
        "its zone",
        disk_zone, node_name, node_zone)));
  }
  if (category) {
    std::string immediate_default;
    // The disk's CSI driver; without its PV, the default class's provisioner made it.
    std::string_view provisioner = pv != nullptr ? pv->spec()["csi"]["driver"].str() : "";
    for (const Object* sc : cluster.of_kind("StorageClass")) {
      if (is_default_class(*sc) && provisioner.empty()) provisioner = (*sc)["provisioner"].str();
      if (is_default_class(*sc) && (*sc)["volumeBindingMode"].str() != "WaitForFirstConsumer") {
        immediate_default = std::string(sc->name);
        f.evidence.push_back(field_evidence(*sc, ".volumeBindingMode (default class)",
                                            (*sc)["volumeBindingMode"].str().empty()
                                                ? "Immediate"
                                                : (*sc)["volumeBindingMode"].str()));
      }
    }
    f.fix = fmt::format(
        "The disk was created without regard to the node that uses it{}. Give the claim a class "
        "whose disk categories the node's instance family supports, created for the pod's node: "
        "{}, then delete and recreate the PVC and the pods of {}; or pin the pod to instance "
        "families that accept the disk.",
        immediate_default.empty()
            ? std::string()
            : fmt::format(" (default StorageClass {} binds Immediate)", immediate_default),
        wait_for_consumer_class(cluster, provisioner,
                                pv != nullptr ? pv->spec()["storageClassName"].str() : ""),
        declared_workload(cluster, pod));
  } else {
    if (zone_conflict) {
      f.fix = fmt::format(
          "Run the pod in zone {} where the disk is (add nodes there, or a nodeSelector "
          "topology.kubernetes.io/zone={} in {}), or move the data to a disk in zone {} (snapshot "
          "and restore); use WaitForFirstConsumer classes so new disks are created in the pod's "
          "zone.",
          disk_zone, disk_zone, workload_name(cluster, pod), node_zone);
      return;
    }
    f.fix = fmt::format(
        "Read the attach error above: align the disk's zone and category with node {} (kubectl "
        "get node {} -L topology.kubernetes.io/zone), check the disks-per-instance limit, that "
        "the CSI controller runs (kubectl -n kube-system get pods | grep csi) and its cloud "
        "permissions.",
        node_name.empty() ? "NODE" : node_name, node_name.empty() ? "NODE" : node_name);
  }
}

void mount_error(const AnalysisContext& ctx, const Object& pod, const Event& ev, const Rule& rule,
                 FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  std::string_view volume = quoted_after(ev.message, "for volume");
  std::size_t idx = 0;
  const Value* v = pod_volume(pod, volume, &idx);
  std::string_view node = pod.spec()["nodeName"].str();
  if (&rule == &kHostPath) {
    std::string_view path =
        v != nullptr ? (*v)["hostPath"]["path"].str() : std::string_view("PATH");
    Finding& f = sink.add(
        rule, pod,
        fmt::format("Pod cannot start: hostPath volume \"{}\" fails its type check on node {}",
                    volume, node),
        volume);
    f.evidence.push_back(event_evidence(cluster, ev));
    if (v != nullptr) {
      f.evidence.push_back(field_evidence(
          pod, fmt::format(".spec.volumes[{}].hostPath", idx),
          fmt::format(
              "path {}, type {}", path,
              (*v)["hostPath"]["type"].str().empty() ? "(none)" : (*v)["hostPath"]["type"].str())));
    }
    f.fix = fmt::format(
        "Create {} with the expected type on node {}, or change the volume's hostPath type to "
        "DirectoryOrCreate / FileOrCreate in {}, or schedule the pod only to prepared nodes.",
        path, node.empty() ? "NODE" : node, workload_name(cluster, pod));
    return;
  }
  // NFS / NAS.
  Finding& f =
      sink.add(rule, pod,
               fmt::format("Pod cannot start: NFS/NAS volume \"{}\" fails to mount on node {}",
                           volume, node),
               volume);
  f.evidence.push_back(event_evidence(cluster, ev));
  if (v != nullptr && !(*v)["nfs"].is_null()) {
    f.evidence.push_back(field_evidence(
        pod, fmt::format(".spec.volumes[{}].nfs", idx),
        fmt::format("{}:{}", (*v)["nfs"]["server"].str(), (*v)["nfs"]["path"].str())));
  }
  std::string_view why = has(ev.message, "access denied")  ? "the server refuses this node"
                         : has(ev.message, "timed out")    ? "the server is unreachable"
                         : has(ev.message, "No such file") ? "the export path does not exist"
                         : has(ev.message, "bad option")   ? "nfs-utils is missing on the node"
                                                           : "the mount command fails";
  f.fix = fmt::format(
      "{} ({}): use a mount target in the cluster's VPC, add the node/pod CIDRs to the NAS "
      "permission group (or the server's exports), check the export path, and install "
      "nfs-utils on node {}; test with mount -t nfs from the node.",
      why,
      shorten(ev.message.substr(
                  ev.message.rfind(':') == std::string_view::npos ? 0 : ev.message.rfind(':') + 1),
              80),
      node.empty() ? "NODE" : node);
}

// kubelet pkg/volume/configmap (and secret): `configmap references non-existent config key: <k>`
// (`secret references non-existent secret key: <k>`) when an items[].key is missing and the
// volume is not optional.
void missing_key(const AnalysisContext& ctx, const Object& pod, const Event& ev,
                 FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  std::string_view volume = quoted_after(ev.message, "for volume");
  const bool secret = has(ev.message, "secret references non-existent");
  std::string_view key = ev.message.substr(ev.message.rfind(": ") + 2);
  while (!key.empty() && (key.back() == '\n' || key.back() == ' ')) key.remove_suffix(1);
  std::size_t idx = 0;
  const Value* v = pod_volume(pod, volume, &idx);
  std::string_view name = v == nullptr ? std::string_view()
                                       : (secret ? (*v)["secret"]["secretName"].str()
                                                 : (*v)["configMap"]["name"].str());
  std::string_view kind = secret ? "Secret" : "ConfigMap";
  Finding& f = sink.add(
      kMountMissing, pod,
      fmt::format("Pod cannot start: volume \"{}\" mounts key \"{}\" of {} {}/{}, which has no "
                  "such key",
                  volume, key, kind, pod.ns, name.empty() ? "?" : name),
      volume);
  f.evidence.push_back(event_evidence(cluster, ev));
  if (v != nullptr) {
    f.evidence.push_back(field_evidence(
        pod, fmt::format(".spec.volumes[{}].{}.items", idx, secret ? "secret" : "configMap"),
        fmt::format("key {}", key)));
  }
  if (const Object* obj = cluster.find(kind, pod.ns, name)) {
    std::string keys;
    for (std::string_view field : {"data", "binaryData", "stringData"}) {
      for (const Member& m : (*obj)[field].members())
        keys += (keys.empty() ? "" : ", ") + std::string(m.key);
    }
    f.evidence.push_back(field_evidence(*obj, ".data keys", keys.empty() ? "(none)" : keys));
  }
  f.fix = fmt::format(
      "Add key {} to {} {} ({}edit {} {}), or fix items[].key of volume \"{}\" in {}, or mark "
      "the volume optional: true.",
      key, kind, name, kubectl_ns(pod), secret ? "secret" : "configmap", name, volume,
      workload_name(cluster, pod));
}

bool is_nfs_failure(std::string_view msg) {
  return has(msg, "mount.nfs") || has(msg, "-t nfs") || has(msg, "nasplugin.csi.alibabacloud.com");
}

bool is_timeout(std::string_view msg) {
  return has(msg, "Unable to attach or mount volumes") ||
         has(msg, "Unable to mount volumes for pod");
}

void analyze_pod(const AnalysisContext& ctx, const Object& pod, FindingSink& sink) {
  PodView pv(pod);
  if (pv.terminated() || pv.ready() || pv.being_deleted()) return;
  // Volumes are set up before any container starts: a Running pod has mounted them, and its old
  // mount events are history.
  if (pv.phase() != "Pending") return;
  const Cluster& cluster = ctx.cluster;
  const Event* timeout = nullptr;
  bool specific = false;
  // Newest first, so each volume's finding carries its latest message.
  auto events = cluster.events_for(pod);
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const Event& ev = *it;
    if (ev.reason != "FailedMount" && ev.reason != "FailedAttachVolume") continue;
    std::string_view m = ev.message;
    if (has(m, "Multi-Attach error")) {
      multi_attach(ctx, pod, ev, sink);
      specific = true;
    } else if (category_by_instance(m) || has(m, "AttachVolume.Attach failed")) {
      attach_failed(ctx, pod, ev, sink);
      specific = true;
    } else if (has(m, "MountVolume.SetUp failed") && !missing_token(m).empty()) {
      missing_object(ctx, pod, ev, sink);
      specific = true;
    } else if (has(m, "configmap references non-existent config key: ") ||
               has(m, "secret references non-existent secret key: ")) {
      missing_key(ctx, pod, ev, sink);
      specific = true;
    } else if (has(m, "hostPath type check failed")) {
      mount_error(ctx, pod, ev, kHostPath, sink);
      specific = true;
    } else if (has(m, "MountVolume.") && is_nfs_failure(m)) {
      mount_error(ctx, pod, ev, kNfs, sink);
      specific = true;
    } else if (is_timeout(m) && timeout == nullptr) {
      timeout = &ev;
    }
  }
  if (timeout == nullptr || specific) return;
  const Event& ev = *timeout;
  std::string_view unmounted;
  if (std::size_t at = ev.message.find("unmounted volumes=["); at != std::string_view::npos) {
    std::size_t end = ev.message.find(']', at);
    unmounted = ev.message.substr(at + 19, end == std::string_view::npos ? 0 : end - at - 19);
  }
  Finding& f = sink.add(
      kMountTimeout, pod,
      fmt::format("Pod cannot start: the kubelet timed out mounting volume(s) [{}]", unmounted));
  f.evidence.push_back(event_evidence(cluster, ev));
  std::string claims;
  for (const Value& v : pod.spec()["volumes"].items()) {
    std::string_view claim = v["persistentVolumeClaim"]["claimName"].str();
    if (claim.empty() || !has(unmounted, v["name"].str())) continue;
    claims += (claims.empty() ? "" : ", ") + std::string(claim);
    if (const Object* pvc = cluster.find("PersistentVolumeClaim", pod.ns, claim))
      f.evidence.push_back(field_evidence(*pvc, ".status.phase", pvc->status()["phase"].str()));
  }
  f.fix = fmt::format(
      "This is the kubelet's umbrella timeout: look for the volumes' own errors ({}describe pod "
      "{}{}), the CSI node plugin pod on node {}, and kubectl get volumeattachment; restart the "
      "CSI node plugin if it is stuck.",
      kubectl_ns(pod), pod.name,
      claims.empty() ? std::string() : fmt::format("; {}describe pvc {}", kubectl_ns(pod), claims),
      pod.spec()["nodeName"].str().empty() ? "NODE" : pod.spec()["nodeName"].str());
}

}  // namespace

const AnalyzerDef& volumes_analyzer() {
  static const AnalyzerDef kDef{"volumes", kRules, nullptr, nullptr,
                                start_pod_pass<StatelessPodPass<analyze_pod>>};
  return kDef;
}

}  // namespace ktriage
