// Storage: PersistentVolumeClaims that stay Pending (no default StorageClass, a class that does
// not exist, provisioner errors, no static PV that fits, WaitForFirstConsumer), pods that cannot
// attach or mount their volumes (from FailedMount / FailedAttachVolume events, confirmed against
// the snapshot's objects), and PersistentVolumes left Released or Failed.
//
// Volume node affinity and volume zone conflicts of Pending pods are the scheduling analyzer's
// (it reads them from FailedScheduling); a Pending pod whose PVC has a finding here is linked to
// it by src/correlate/storage_links.cpp, so the claim is the root cause.
//
// Messages matched, by component:
//   kube-controller-manager PV controller, pkg/controller/volume/persistentvolume/pv_controller.go
//   (same text from the glog-era releases to today's klog ones):
//     FailedBinding (Normal), syncUnboundClaim: `no persistent volumes available for this claim
//       and no storage class is set`
//     ProvisioningFailed (Warning), provisionClaim when the class lister fails:
//       `storageclass.storage.k8s.io "<class>" not found` (the API's NotFound error text)
//     WaitForFirstConsumer (Normal): `waiting for first consumer to be created before binding`
//     ExternalProvisioning (Normal): `waiting for a volume to be created, either by external
//       provisioner "<name>" or manually created by system administrator` (recent releases word
//       it `Waiting for a volume to be created either by the external provisioner ...`; only the
//       reason and the times are used)
//   external-provisioner (kubernetes-csi/external-provisioner through
//   sig-storage-lib-external-provisioner's controller.go):
//     ProvisioningFailed (Warning): `failed to provision volume with StorageClass "<class>": <err>`
//     where <err> carries the cloud error (Alibaba Cloud: `InvalidDataDiskCategory.NotSupported`,
//     `The specified AZone inventory is insufficient`, `InvalidParameter` on Size, ...).
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
#include "core/quantity.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr Severity kCrit = Severity::kCritical;
constexpr std::string_view kPvDoc =
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/";
constexpr std::string_view kScDoc = "https://kubernetes.io/docs/concepts/storage/storage-classes/";
constexpr std::string_view kAckDiskDoc =
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "faq-about-disk-volumes";

constexpr Rule kNoDefault{
    "pvc-pending-no-default-storageclass",
    "PVC-PENDING-NO-DEFAULT-STORAGECLASS",
    kCrit,
    "PVC Pending: it names no StorageClass and the cluster has no default class",
    "Mark a StorageClass default (storageclass.kubernetes.io/is-default-class: \"true\"), set "
    "storageClassName in the claim, or pre-create a matching PV.",
    "https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/"};
constexpr Rule kClassNotFound{
    "pvc-pending-storageclass-not-found",
    "PVC-PENDING-STORAGECLASS-NOT-FOUND",
    kCrit,
    "PVC Pending: its storageClassName names a StorageClass that does not exist",
    "Set storageClassName to an existing class and recreate the claim, or create the class.",
    kScDoc};
constexpr Rule kProvisioning{
    "pvc-pending-provisioning-failed",
    "PVC-PENDING-PROVISIONING-FAILED",
    kCrit,
    "PVC Pending: the provisioner fails to create its volume",
    "Read the ProvisioningFailed message; fix the StorageClass parameters or the CSI provisioner.",
    kScDoc};
constexpr Rule kSizeMin{
    "pvc-pending-size-below-minimum",
    "PVC-PENDING-SIZE-BELOW-PROVIDER-MINIMUM",
    kCrit,
    "PVC Pending: the requested size is below the disk type's minimum",
    "Request at least the disk type's minimum (20Gi for most Alibaba Cloud disks) and recreate "
    "the claim.",
    kAckDiskDoc};
constexpr Rule kCategoryZone{
    "pvc-pending-disk-category-not-in-zone",
    "ACK-DISK-CATEGORY-NOT-AVAILABLE-IN-ZONE",
    kCrit,
    "PVC Pending: the disk category is not offered (or out of stock) in the zone",
    "Use a multi-category WaitForFirstConsumer class such as alicloud-disk-topology-alltype.",
    kAckDiskDoc};
constexpr Rule kNoMatchingPv{
    "pvc-pending-no-matching-pv",
    "POD-PENDING-NO-PV-TO-BIND",
    kCrit,
    "PVC Pending: no Available PersistentVolume offers its class, access mode and size",
    "Create a PV that matches the claim, or use a StorageClass with a provisioner.",
    kPvDoc};
constexpr Rule kWaitConsumer{
    "pvc-waiting-for-first-consumer",
    "POD-PENDING-NO-PV-TO-BIND",
    Severity::kInfo,
    "PVC Pending by design: its class binds when the first pod using it is scheduled",
    "Nothing to do until a pod uses the claim; delete the claim if nothing will.",
    "https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode"};
constexpr Rule kPvReleased{
    "pv-released",
    "POD-PENDING-NO-PV-TO-BIND",
    Severity::kWarning,
    "PersistentVolume Released: its claim is gone and no new claim can bind it",
    "Reuse it (remove spec.claimRef) or delete it and its backing storage.",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming"};
constexpr Rule kPvFailed{"pv-failed",
                         "POD-PENDING-NO-PV-TO-BIND",
                         Severity::kWarning,
                         "PersistentVolume Failed: its automatic reclamation failed",
                         "Read .status.message; delete the backing storage by hand, then the PV.",
                         "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#phase"};
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

constexpr Rule kRules[] = {kNoDefault,        kClassNotFound, kProvisioning, kSizeMin,
                           kCategoryZone,     kNoMatchingPv,  kWaitConsumer, kPvReleased,
                           kPvFailed,         kMountMissing,  kMultiAttach,  kAttachFailed,
                           kCategoryInstance, kMountTimeout,  kNfs,          kHostPath};

// How long the PV controller may wait on an external provisioner without an answer before the
// provisioner counts as absent. CSI provisioners retry failures with backoff from 1 s and report
// each one; 5 minutes of silence is far beyond a slow cloud API.
constexpr std::int64_t kProvisionerSilentSeconds = 300;

bool is_default_class(const Object& sc) {
  // storageclass.beta.kubernetes.io/is-default-class is the pre-1.13 spelling, still honoured.
  const Value& a = sc.annotations();
  return a["storageclass.kubernetes.io/is-default-class"].str() == "true" ||
         a["storageclass.beta.kubernetes.io/is-default-class"].str() == "true";
}

// The claim's class: spec.storageClassName, else the legacy beta annotation. nullopt = none set
// (use the default); "" = explicitly no class (static PVs without class only).
std::optional<std::string_view> claim_class(const Object& pvc) {
  const Value& sc = pvc.spec()["storageClassName"];
  if (sc.is_string()) return sc.str();
  const Value& ann = pvc.annotations()["volume.beta.kubernetes.io/storage-class"];
  if (ann.is_string()) return ann.str();
  return std::nullopt;
}

std::string names_of(std::span<const Object* const> objs, std::size_t max = 8) {
  std::string out;
  std::size_t n = 0;
  for (const Object* o : objs) {
    if (n++ == max) {
      out += fmt::format(", ... ({} in all)", objs.size());
      break;
    }
    out += (out.empty() ? "" : ", ") + std::string(o->name);
  }
  return out;
}

// Pods of the claim's namespace that mount it. O(pods of the namespace).
std::vector<const Object*> pods_using(const Cluster& cluster, const Object& pvc) {
  std::vector<const Object*> out;
  for (const Object* pod : cluster.pods_in(pvc.ns)) {
    for (const Value& v : pod->spec()["volumes"].items()) {
      if (v["persistentVolumeClaim"]["claimName"].str() == pvc.name) {
        out.push_back(pod);
        break;
      }
    }
  }
  return out;
}

std::string access_modes(const Value& modes) {
  std::string out;
  for (const Value& m : modes.items()) out += (out.empty() ? "" : ",") + std::string(m.str());
  return out.empty() ? "(none)" : out;
}

// Why PV `pv` cannot serve claim `pvc` of class `cls`; "" when it can.
std::string pv_mismatch(const Object& pv, const Object& pvc, std::string_view cls) {
  std::string_view phase = pv.status()["phase"].str();
  if (phase != "Available" && !phase.empty()) {
    return fmt::format("phase {}", phase) +
           (pv.spec()["claimRef"]["name"].str().empty()
                ? ""
                : fmt::format(" (claimRef {}/{})", pv.spec()["claimRef"]["namespace"].str(),
                              pv.spec()["claimRef"]["name"].str()));
  }
  if (pv.spec()["storageClassName"].str() != cls) {
    return fmt::format("storageClassName \"{}\", the claim asks for \"{}\"",
                       pv.spec()["storageClassName"].str(), cls);
  }
  for (const Value& want : pvc.spec()["accessModes"].items()) {
    bool offered = false;
    for (const Value& m : pv.spec()["accessModes"].items())
      offered = offered || m.str() == want.str();
    if (!offered) {
      return fmt::format("access modes {}, the claim needs {}",
                         access_modes(pv.spec()["accessModes"]), want.str());
    }
  }
  auto have = parse_quantity(pv.spec()["capacity"]["storage"].str());
  auto need = parse_quantity(pvc.spec()["resources"]["requests"]["storage"].str());
  if (have && need && *have < *need) {
    return fmt::format("capacity {}, the claim requests {}", pv.spec()["capacity"]["storage"].str(),
                       pvc.spec()["resources"]["requests"]["storage"].str());
  }
  return "";
}

void add_pvc_basics(const Object& pvc, Finding& f) {
  f.evidence.push_back(field_evidence(pvc, ".status.phase", "Pending"));
  auto cls = claim_class(pvc);
  f.evidence.push_back(field_evidence(
      pvc, ".spec.storageClassName",
      cls ? (cls->empty() ? std::string("\"\" (explicitly no class)") : std::string(*cls))
          : std::string("(not set: use the cluster's default class)")));
}

// ProvisioningFailed text -> the specific rule. Size and category wordings: catalog entries
// PVC-PENDING-SIZE-BELOW-PROVIDER-MINIMUM and ACK-DISK-CATEGORY-NOT-AVAILABLE-IN-ZONE.
const Rule& classify_provisioning(std::string_view msg) {
  if (has(msg, "storageclass.storage.k8s.io \"") && has(msg, "\" not found")) return kClassNotFound;
  if (!find_any(msg,
                "InvalidDataDiskCategory.NotSupported|Specified disk category is not supported|"
                "the diskCategory is not supported|The specified AZone inventory is "
                "insufficient|is not valid in this region")
           .empty()) {
    return kCategoryZone;
  }
  if (!find_any(msg,
                "InvalidSize.ValueNotSupported|InvalidDiskSize.NotSupported|disk size is not "
                "supported|The specified parameter \"Size\" is not valid|The specified parameter "
                "Size is not valid|is not supported. It should be between|- Must be between|"
                "Disk size cannot be smaller than")
           .empty()) {
    return kSizeMin;
  }
  return kProvisioning;
}

void analyze_pvc(const AnalysisContext& ctx, const Object& pvc, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  if (pvc.status()["phase"].str() != "Pending" || !pvc.metadata()["deletionTimestamp"].is_null()) {
    return;
  }
  const auto classes = cluster.of_kind("StorageClass");
  const auto cls = claim_class(pvc);
  const std::string ns = kubectl_ns(pvc);
  const std::string_view size = pvc.spec()["resources"]["requests"]["storage"].str();
  const std::string ssize = size.empty() ? std::string("SIZE") : std::string(size);

  if (const Event* ev = latest_event(cluster, pvc, "ProvisioningFailed")) {
    const Rule& rule = classify_provisioning(ev->message);
    const Object* sc = cls && !cls->empty() ? cluster.find("StorageClass", "", *cls) : nullptr;
    if (&rule == &kClassNotFound) {
      std::string_view missing = quoted_after(ev->message, "storageclass.storage.k8s.io");
      Finding& f = sink.add(
          rule, pvc, fmt::format("PVC is Pending: StorageClass \"{}\" does not exist", missing));
      add_pvc_basics(pvc, f);
      f.evidence.push_back(event_evidence(cluster, *ev));
      if (!classes.empty()) {
        f.evidence.push_back(
            Evidence::note("StorageClasses in the snapshot: " + names_of(classes)));
      }
      f.fix = fmt::format(
          "Set storageClassName to an existing class (or drop it to use the default) and recreate "
          "the claim — the field is immutable: {}delete pvc {} and re-apply it (StatefulSet "
          "volumeClaimTemplates: recreate the StatefulSet); or create a StorageClass named \"{}\".",
          ns, pvc.name, missing);
      return;
    }
    Finding& f = sink.add(
        rule, pvc,
        fmt::format("PVC is Pending: provisioning fails{}: {}",
                    sc != nullptr ? fmt::format(" (provisioner {})", (*sc)["provisioner"].str())
                                  : std::string(),
                    shorten(ev->message, 120)));
    add_pvc_basics(pvc, f);
    f.evidence.push_back(event_evidence(cluster, *ev));
    if (sc != nullptr) {
      f.evidence.push_back(field_evidence(*sc, ".provisioner", (*sc)["provisioner"].str()));
      if (!(*sc)["parameters"]["type"].is_null())
        f.evidence.push_back(
            field_evidence(*sc, ".parameters.type", (*sc)["parameters"]["type"].str()));
      if (!(*sc)["volumeBindingMode"].is_null())
        f.evidence.push_back(
            field_evidence(*sc, ".volumeBindingMode", (*sc)["volumeBindingMode"].str()));
    }
    if (&rule == &kSizeMin) {
      f.evidence.push_back(field_evidence(pvc, ".spec.resources.requests.storage", size));
      f.fix = fmt::format(
          "The provider rejects a {} disk: request at least its minimum (20Gi for Alibaba Cloud "
          "ultra/SSD/PL1 ESSD disks) — set the size in the chart or manifest, {}delete pvc {} "
          "and re-apply it (a Pending claim cannot be resized); or use a disk type with a lower "
          "minimum (PL0 ESSD, ESSD AutoPL).",
          ssize, ns, pvc.name);
    } else if (&rule == &kCategoryZone) {
      f.fix = fmt::format(
          "The disk category of StorageClass {} is not sold or out of stock in the zone: use a "
          "class listing several categories with volumeBindingMode WaitForFirstConsumer (ACK: "
          "alicloud-disk-topology-alltype), then {}delete pvc {} and re-apply it with that "
          "class; or add node pools in a zone that offers the category.",
          cls ? std::string(*cls) : std::string("(default)"), ns, pvc.name);
    } else {
      f.fix = fmt::format(
          "Read the provisioner's error above. Check that the provisioner{} runs "
          "(kubectl -n kube-system get pods | grep -e csi -e provisioner; on ACK csi-provisioner "
          "and csi-plugin), its version and permissions, and the parameters of StorageClass {}; "
          "then {}describe pvc {}.",
          sc != nullptr ? fmt::format(" {}", (*sc)["provisioner"].str()) : std::string(),
          cls ? std::string(*cls) : std::string("(default)"), ns, pvc.name);
    }
    return;
  }

  if (!pvc.spec()["volumeName"].str().empty()) return;  // pre-bound to a named PV: the PV's story

  const Event* binding = latest_event(cluster, pvc, "FailedBinding");
  if (!cls) {
    const Object* def = nullptr;
    for (const Object* sc : classes) {
      if (is_default_class(*sc)) def = sc;
    }
    const bool event_says = binding != nullptr && has(binding->message, "no storage class is set");
    if (def != nullptr || (!event_says && classes.empty())) return;
    Finding& f = sink.add(kNoDefault, pvc,
                          "PVC is Pending: it names no StorageClass and the cluster has no "
                          "default StorageClass to provision it");
    add_pvc_basics(pvc, f);
    if (binding != nullptr) f.evidence.push_back(event_evidence(cluster, *binding));
    f.evidence.push_back(Evidence::note(
        classes.empty() ? std::string("the snapshot has no StorageClass")
                        : fmt::format("StorageClasses in the snapshot, none annotated "
                                      "storageclass.kubernetes.io/is-default-class=\"true\": {}",
                                      names_of(classes))));
    // Suggest a class to make default: a WaitForFirstConsumer one creates disks in the zone of
    // the pod that uses them, which suits zonal cloud disks best.
    const Object* suggest = classes.empty() ? nullptr : classes.front();
    for (const Object* sc : classes) {
      if ((*sc)["volumeBindingMode"].str() == "WaitForFirstConsumer") {
        suggest = sc;
        break;
      }
    }
    for (const Object* sc : classes) {
      if (sc->annotations()["storageclass.kubernetes.io/is-default-class"].str() == "false") {
        f.evidence.push_back(field_evidence(
            *sc, ".metadata.annotations[storageclass.kubernetes.io/is-default-class]", "false"));
      }
    }
    std::size_t available = 0;
    for (const Object* pv : cluster.of_kind("PersistentVolume")) {
      if (pv->status()["phase"].str() == "Available") ++available;
    }
    f.evidence.push_back(Evidence::note(fmt::format(
        "{} Available PersistentVolume{} in the snapshot", available, available == 1 ? "" : "s")));
    // A claim made from a StatefulSet's volumeClaimTemplates takes its class from there.
    const Object* sts = nullptr;
    for (const Object* p : pods_using(cluster, pvc)) {
      const Object& top = cluster.top_owner(*p);
      if (top.kind == "StatefulSet") sts = &top;
    }
    const std::string set_class =
        sts != nullptr
            ? fmt::format(
                  "or set storageClassName in the volumeClaimTemplates of statefulset/{} "
                  "(immutable "
                  "there: {}delete statefulset {} --cascade=orphan, re-apply it, then delete pvc "
                  "{} and its pod so both are recreated)",
                  sts->name, ns, sts->name, pvc.name)
            : fmt::format(
                  "or set storageClassName in the claim (chart value) and recreate it ({}delete "
                  "pvc {})",
                  ns, pvc.name);
    f.fix = fmt::format(
        "Mark a class default (or install a provisioner first): kubectl patch storageclass "
        "{} -p '{{\"metadata\":{{\"annotations\":{{\"storageclass.kubernetes.io/"
        "is-default-class\":\"true\"}}}}}}'; {}; or create a PV of {} with access mode {} and no "
        "class. Clusters before v1.26 do not give existing claims a default added later: recreate "
        "them.",
        suggest == nullptr ? std::string("CLASS") : std::string(suggest->name), set_class, ssize,
        access_modes(pvc.spec()["accessModes"]));
    return;
  }

  const Object* sc = cls->empty() ? nullptr : cluster.find("StorageClass", "", *cls);
  if (!cls->empty() && sc == nullptr) {
    // Without the event, confirm from the snapshot's classes; an object dump without any class
    // says nothing.
    if (classes.empty()) return;
    Finding& f = sink.add(kClassNotFound, pvc,
                          fmt::format("PVC is Pending: StorageClass \"{}\" does not exist", *cls));
    add_pvc_basics(pvc, f);
    f.evidence.push_back(Evidence::note("StorageClasses in the snapshot: " + names_of(classes)));
    f.fix = fmt::format(
        "Set storageClassName to an existing class (or drop it to use the default) and recreate "
        "the claim — the field is immutable: {}delete pvc {} and re-apply it; or create a "
        "StorageClass named \"{}\".",
        ns, pvc.name, *cls);
    return;
  }

  // The PV controller repeats ExternalProvisioning while it waits for an external provisioner;
  // a provisioner that runs either creates the volume within seconds or reports
  // ProvisioningFailed, so a long wait with neither means none is acting on the class.
  if (const Event* wait = latest_event(cluster, pvc, "ExternalProvisioning");
      wait != nullptr && sc != nullptr) {
    const std::int64_t span =
        wait->last_seen && wait->first_seen ? *wait->last_seen - *wait->first_seen : 0;
    if (span >= kProvisionerSilentSeconds) {
      std::string_view prov = (*sc)["provisioner"].str();
      Finding& f =
          sink.add(kProvisioning, pvc,
                   fmt::format("PVC is Pending: provisioner {} has not created its volume in {}",
                               prov, format_duration(span)));
      add_pvc_basics(pvc, f);
      f.evidence.push_back(event_evidence(cluster, *wait));
      f.evidence.push_back(field_evidence(*sc, ".provisioner", prov));
      std::size_t shown = 0;
      for (const Object* p : cluster.pods_in("kube-system")) {
        if (!has(p->name, "provisioner") && !has(p->name, "csi")) continue;
        if (shown++ >= 4) break;
        PodView v(*p);
        f.evidence.push_back(
            field_evidence(*p, ".status.phase",
                           fmt::format("{}{}", v.phase(), v.ready() ? ", Ready" : ", not Ready")));
      }
      if (shown == 0)
        f.evidence.push_back(
            Evidence::note("no csi or provisioner pod of kube-system is in the snapshot"));
      f.fix = fmt::format(
          "No provisioner is acting on StorageClass {}: check that the {} controller runs and is "
          "registered (kubectl -n kube-system get pods | grep -e csi -e provisioner; its logs; on "
          "ACK the csi-provisioner Deployment and the csi-plugin DaemonSet), or fix the class's "
          "provisioner name; then {}describe pvc {}.",
          sc->name, prov, ns, pvc.name);
      return;
    }
  }

  if (sc != nullptr && (*sc)["volumeBindingMode"].str() == "WaitForFirstConsumer") {
    if (!pods_using(cluster, pvc).empty()) return;  // the scheduler binds it with its pod
    Finding& f = sink.add(kWaitConsumer, pvc,
                          fmt::format("PVC is Pending until a pod uses it: StorageClass {} has "
                                      "volumeBindingMode WaitForFirstConsumer",
                                      sc->name));
    add_pvc_basics(pvc, f);
    f.evidence.push_back(field_evidence(*sc, ".volumeBindingMode", "WaitForFirstConsumer"));
    if (const Event* w = latest_event(cluster, pvc, "WaitForFirstConsumer"))
      f.evidence.push_back(event_evidence(cluster, *w));
    f.evidence.push_back(Evidence::note("no pod in the snapshot mounts this claim"));
    f.fix = fmt::format(
        "Not a fault: the volume is created in the zone of the first pod that mounts claim {}. "
        "If no workload will use it, {}delete pvc {}.",
        pvc.name, ns, pvc.name);
    return;
  }

  // Static binding: no class, or a class without a provisioner.
  const bool static_only = cls->empty() || (sc != nullptr && (*sc)["provisioner"].str() ==
                                                                 "kubernetes.io/no-provisioner");
  if (!static_only) return;
  std::vector<std::string> why;
  for (const Object* pv : cluster.of_kind("PersistentVolume")) {
    std::string m = pv_mismatch(*pv, pvc, *cls);
    if (m.empty()) return;  // one fits: the PV controller binds it on its next sync
    if (why.size() < 5) why.push_back(fmt::format("PV {}: {}", pv->name, m));
  }
  Finding& f =
      sink.add(kNoMatchingPv, pvc,
               fmt::format("PVC is Pending: no Available PersistentVolume offers class \"{}\", "
                           "{} and {}",
                           *cls, access_modes(pvc.spec()["accessModes"]), ssize));
  add_pvc_basics(pvc, f);
  f.evidence.push_back(
      field_evidence(pvc, ".spec.accessModes", access_modes(pvc.spec()["accessModes"])));
  f.evidence.push_back(field_evidence(pvc, ".spec.resources.requests.storage", ssize));
  if (binding != nullptr) f.evidence.push_back(event_evidence(cluster, *binding));
  if (why.empty()) f.evidence.push_back(Evidence::note("the snapshot has no PersistentVolume"));
  for (const std::string& w : why) f.evidence.push_back(Evidence::note(w));
  f.fix = fmt::format(
      "Create a PersistentVolume with storageClassName \"{}\", access mode {} and at least {} "
      "(a Released PV can be reused after removing its spec.claimRef: kubectl patch pv PV "
      "--type json -p '[{{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}}]'), or use a "
      "StorageClass with a provisioner.",
      *cls, access_modes(pvc.spec()["accessModes"]), ssize);
}

void analyze_pv(const Object& pv, FindingSink& sink) {
  std::string_view phase = pv.status()["phase"].str();
  if (phase != "Released" && phase != "Failed") return;
  std::string_view policy = pv.spec()["persistentVolumeReclaimPolicy"].str();
  const Value& ref = pv.spec()["claimRef"];
  std::string claim = ref["name"].str().empty()
                          ? std::string("(none recorded)")
                          : fmt::format("{}/{}", ref["namespace"].str(), ref["name"].str());
  const bool released = phase == "Released";
  Finding& f =
      sink.add(released ? kPvReleased : kPvFailed, pv,
               fmt::format("PersistentVolume is {} (reclaim policy {}, was bound to claim {})",
                           phase, policy.empty() ? "unset" : policy, claim));
  f.evidence.push_back(field_evidence(pv, ".status.phase", phase));
  f.evidence.push_back(field_evidence(pv, ".spec.persistentVolumeReclaimPolicy",
                                      policy.empty() ? "(unset)" : policy));
  f.evidence.push_back(field_evidence(pv, ".spec.claimRef", claim));
  if (!pv.status()["message"].str().empty())
    f.evidence.push_back(field_evidence(pv, ".status.message", pv.status()["message"].str()));
  if (released) {
    f.fix = fmt::format(
        "Claim {} was deleted and policy {} keeps the volume and its data. To reuse it, remove the "
        "claimRef: kubectl patch pv {} --type json -p "
        "'[{{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}}]'; if the data is not needed, "
        "kubectl delete pv {} and delete the backing disk.",
        claim, policy.empty() ? "Retain" : policy, pv.name, pv.name);
  } else {
    f.fix = fmt::format(
        "Reclamation ({}) failed: read .status.message, delete the backing storage by hand if "
        "needed, then kubectl delete pv {}.",
        policy.empty() ? "unset" : policy, pv.name);
  }
}

// ---- Pods: FailedMount / FailedAttachVolume ----

// The pod volume named `name` and its index, or null.
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
    for (const Value& c : n->status()["conditions"].items()) {
      node_down = node_down || (c["type"].str() == "Ready" && c["status"].str() != "True");
    }
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
      for (const Value& c : n->status()["conditions"].items()) {
        node_down = node_down || (c["type"].str() == "Ready" && c["status"].str() != "True");
      }
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
    f.evidence.push_back(field_evidence(
        *other, ".spec.nodeName / .status.phase",
        fmt::format("{} / {}{}", node.empty() ? "(none)" : node, other->status()["phase"].str(),
                    other->metadata()["deletionTimestamp"].is_null() ? "" : " (terminating)")));
    if (const Object* n = cluster.find("Node", "", node)) {
      for (const Value& c : n->status()["conditions"].items()) {
        if (c["type"].str() == "Ready" && c["status"].str() != "True")
          f.evidence.push_back(
              field_evidence(*n, ".status.conditions[Ready]",
                             fmt::format("{} {}", c["status"].str(), c["reason"].str())));
      }
    }
  }
  if (attachment != nullptr) {
    f.evidence.push_back(
        field_evidence(*attachment, ".spec.nodeName / .status.attached",
                       fmt::format("{} / {}", attachment->spec()["nodeName"].str(),
                                   attachment->status()["attached"].as_bool() ? "true" : "false")));
  }
  add_pv_evidence(cluster, pod, volume, f);
  const Object& owner = cluster.top_owner(pod);
  std::string strategy;
  if (owner.kind == "Deployment") {
    std::string_view s = owner.spec()["strategy"]["type"].str();
    f.evidence.push_back(
        field_evidence(owner, ".spec.strategy.type", s.empty() ? "RollingUpdate (default)" : s));
    if (s != "Recreate")
      strategy = fmt::format(
          " A rolling update starts the new pod before the old one stops, which a ReadWriteOnce "
          "disk cannot serve: set spec.strategy.type: Recreate in deployment/{}.",
          owner.name);
  }
  f.fix = fmt::format(
      "The disk is still attached to {}.{}{}{} Check kubectl get volumeattachment | grep {}.",
      other_node.empty() ? std::string("another node") : "node " + other_node,
      holders.empty() ? std::string()
                      : fmt::format(" Delete or scale down the pod holding it ({}delete pod {}).",
                                    kubectl_ns(pod), holders.front()),
      strategy,
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
    for (const Object* sc : cluster.of_kind("StorageClass")) {
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
        "a WaitForFirstConsumer class listing several categories (ACK: "
        "alicloud-disk-topology-alltype), then delete and recreate the PVC and the pods of {}; or "
        "pin the pod to instance families that accept the disk.",
        immediate_default.empty()
            ? std::string()
            : fmt::format(" (default StorageClass {} binds Immediate)", immediate_default),
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

void run(const AnalysisContext& ctx, FindingSink& sink) {
  for (const Object* pvc : ctx.cluster.of_kind("PersistentVolumeClaim"))
    analyze_pvc(ctx, *pvc, sink);
  for (const Object* pv : ctx.cluster.of_kind("PersistentVolume")) analyze_pv(*pv, sink);
  for (const Object* pod : ctx.cluster.of_kind("Pod")) analyze_pod(ctx, *pod, sink);
}

}  // namespace

const AnalyzerDef& storage_analyzer() {
  static const AnalyzerDef kDef{"storage", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
