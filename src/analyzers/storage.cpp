// Storage: PersistentVolumeClaims that stay Pending (no default StorageClass, a class that does
// not exist, provisioner errors, no static PV that fits, WaitForFirstConsumer) and
// PersistentVolumes left Released or Failed. Pods that cannot attach or mount their volumes are
// the volumes analyzer's (volumes.cpp).
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
#include "analyzers/common/storage_helpers.h"
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
constexpr Rule kPreboundMissing{
    "pvc-pending-prebound-volume-missing",
    "POD-PENDING-NO-PV-TO-BIND",
    Severity::kCritical,
    "PVC Pending: it is pre-bound (spec.volumeName) to a PersistentVolume that does not exist",
    "Create that PersistentVolume, or recreate the claim without spec.volumeName.",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reserving-a-persistentvolume"};
constexpr Rule kPvPending{
    "pv-pending",
    "POD-PENDING-NO-PV-TO-BIND",
    Severity::kWarning,
    "PersistentVolume Pending: it is not available for binding",
    "Read its events and .status.message; fix or recreate its spec (the volume source).",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#phase"};
constexpr Rule kPvcLost{
    "pvc-lost",
    "",
    Severity::kCritical,
    "PVC Lost: the PersistentVolume it was bound to is gone, so pods using it cannot start",
    "Recreate the PV for the backing disk (same name, claimRef to the claim) if the disk still "
    "exists; otherwise delete and recreate the claim (its data is gone).",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#phase"};
constexpr Rule kRules[] = {kNoDefault,    kClassNotFound, kProvisioning,    kSizeMin,
                           kCategoryZone, kNoMatchingPv,  kWaitConsumer,    kPvReleased,
                           kPvFailed,     kPvcLost,       kPreboundMissing, kPvPending};

// How long the PV controller may wait on an external provisioner without an answer before the
// provisioner counts as absent. CSI provisioners retry failures with backoff from 1 s and report
// each one; 5 minutes of silence is far beyond a slow cloud API.
constexpr std::int64_t kProvisionerSilentSeconds = 300;

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

// Created within the last 5 minutes (by creationTimestamp against the snapshot's time): a PV or
// claim just made may wait for its partner or its controller without anything being wrong.
bool young(const AnalysisContext& ctx, const Object& o) {
  const auto created = parse_rfc3339(o.metadata()["creationTimestamp"].str());
  return created && ctx.now > 0 && ctx.now - *created < 300;
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
          rule, pvc,
          fmt::format("PVC {} is Pending: StorageClass \"{}\" does not exist", pvc.name, missing));
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
        fmt::format("PVC {} is Pending: provisioning fails{}: {}", pvc.name,
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
          "The disk category of StorageClass {} is not sold or out of stock in the zone: use "
          "{}, then {}delete pvc {} and re-apply it with that class; or add node pools in a zone "
          "that offers the category.",
          cls ? std::string(*cls) : std::string("(default)"),
          wait_for_consumer_class(cluster, sc != nullptr ? (*sc)["provisioner"].str() : "",
                                  cls ? std::string_view(*cls) : std::string_view()),
          ns, pvc.name);
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

  if (const std::string_view volume = pvc.spec()["volumeName"].str(); !volume.empty()) {
    // Pre-bound to a named PV: waiting for that PV is the claim's fault only when it does not
    // exist (judged when the snapshot has PVs at all); otherwise the PV's state tells.
    if (cluster.of_kind("PersistentVolume").empty() ||
        cluster.find("PersistentVolume", "", volume) != nullptr || young(ctx, pvc))
      return;  // a claim may be created before the PV it reserves
    Finding& f = sink.add(kPreboundMissing, pvc,
                          fmt::format("PVC {} is Pending: it is pre-bound (spec.volumeName) to "
                                      "PersistentVolume {}, which does not exist",
                                      pvc.name, volume));
    add_pvc_basics(pvc, f);
    f.evidence.push_back(field_evidence(pvc, ".spec.volumeName", volume));
    f.fix = fmt::format(
        "Create PersistentVolume {0} (with spec.claimRef to {1}/{2}) for the disk it should "
        "use, or recreate the claim without spec.volumeName so it binds or is provisioned by "
        "its StorageClass: {3}delete pvc {2}.",
        volume, pvc.ns, pvc.name, ns);
    return;
  }

  const Event* binding = latest_event(cluster, pvc, "FailedBinding");
  if (!cls) {
    const Object* def = nullptr;
    for (const Object* sc : classes) {
      if (is_default_class(*sc)) def = sc;
    }
    const bool event_says = binding != nullptr && has(binding->message, "no storage class is set");
    if (def != nullptr || (!event_says && classes.empty())) return;
    Finding& f = sink.add(kNoDefault, pvc,
                          fmt::format("PVC {} is Pending: it names no StorageClass and the "
                                      "cluster has no default StorageClass to provision it",
                                      pvc.name));
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
    Finding& f = sink.add(
        kClassNotFound, pvc,
        fmt::format("PVC {} is Pending: StorageClass \"{}\" does not exist", pvc.name, *cls));
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
                   fmt::format("PVC {} is Pending: provisioner {} has not created its volume in {}",
                               pvc.name, prov, format_duration(span)));
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
                          fmt::format("PVC {} is Pending until a pod uses it: StorageClass {} has "
                                      "volumeBindingMode WaitForFirstConsumer",
                                      pvc.name, sc->name));
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
               fmt::format("PVC {} is Pending: no Available PersistentVolume offers class "
                           "\"{}\", {} and {}",
                           pvc.name, *cls, access_modes(pvc.spec()["accessModes"]), ssize));
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

// phase Pending: the PV controller has not made the volume Available (an invalid or unsupported
// volume source); it stays out of binding.
void analyze_pending_pv(const Cluster& cluster, const Object& pv, FindingSink& sink) {
  Finding& f = sink.add(
      kPvPending, pv, fmt::format("PersistentVolume {} is Pending: no claim can bind it", pv.name));
  f.evidence.push_back(field_evidence(pv, ".status.phase", "Pending"));
  if (!pv.status()["message"].str().empty())
    f.evidence.push_back(field_evidence(pv, ".status.message", pv.status()["message"].str()));
  for (const Event& e : cluster.events_for(pv)) {
    if (e.type == "Warning") f.evidence.push_back(event_evidence(cluster, e));
  }
  f.fix = fmt::format(
      "kubectl describe pv {0} for the reason; fix its volume source (CSI driver name, volume "
      "handle, nodeAffinity) or delete and recreate it.",
      pv.name);
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

// phase Lost: the PV controller (pkg/controller/volume/persistentvolume/pv_controller.go,
// syncBoundClaim) sets it when the bound volume no longer exists, with the Warning event
// ClaimLost "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
// or ClaimMisbound when the volume is bound to another claim.
void analyze_lost_pvc(const Cluster& cluster, const Object& pvc, FindingSink& sink) {
  if (pvc.status()["phase"].str() != "Lost") return;
  const std::string_view volume = pvc.spec()["volumeName"].str();
  const Object* pv = volume.empty() ? nullptr : cluster.find("PersistentVolume", "", volume);
  std::string state;
  if (volume.empty()) {
    state = "it names no volume";
  } else if (pv == nullptr) {
    state = fmt::format(
        "PersistentVolume {} does not exist{}", volume,
        cluster.of_kind("PersistentVolume").empty() ? " (or is not in the snapshot)" : "");
  } else if (const Value& ref = pv->spec()["claimRef"]; ref["name"].str().empty()) {
    state =
        fmt::format("PersistentVolume {} exists but is bound to no claim (phase {})", volume,
                    pv->status()["phase"].str().empty() ? "unknown" : pv->status()["phase"].str());
  } else {
    state = fmt::format("PersistentVolume {} is bound to claim {}/{}", volume,
                        ref["namespace"].str(), ref["name"].str());
  }
  Finding& f =
      sink.add(kPvcLost, pvc,
               fmt::format("PVC {} is Lost: {}; pods that use it cannot start", pvc.name, state));
  f.evidence.push_back(field_evidence(pvc, ".status.phase", "Lost"));
  f.evidence.push_back(
      field_evidence(pvc, ".spec.volumeName", volume.empty() ? "(unset)" : volume));
  if (pv != nullptr) {
    f.evidence.push_back(
        Evidence::field(kubectl_name(*pv), ".spec.claimRef",
                        fmt::format("{}/{}", pv->spec()["claimRef"]["namespace"].str(),
                                    pv->spec()["claimRef"]["name"].str())));
  }
  for (std::string_view reason : {"ClaimLost", "ClaimMisbound"}) {
    if (const Event* e = latest_event(cluster, pvc, reason))
      f.evidence.push_back(event_evidence(cluster, *e));
  }
  if (pv != nullptr) {
    f.fix = fmt::format(
        "PersistentVolume {0} exists: point it back at the claim, kubectl patch pv {0} --type "
        "merge "
        "-p '{{\"spec\":{{\"claimRef\":{{\"namespace\":\"{1}\",\"name\":\"{2}\",\"uid\":null,"
        "\"resourceVersion\":null}}}}}}' if it holds this claim's data; otherwise {3}delete pvc "
        "{2} and let its owner recreate it.",
        volume, pvc.ns, pvc.name, kubectl_ns(pvc));
    return;
  }
  f.fix = fmt::format(
      "If the backing disk of {0} still exists, recreate PersistentVolume {0} for it with "
      "spec.claimRef {{namespace: {1}, name: {2}}} and the claim binds again; if the disk is gone, "
      "the data is lost: {3}delete pvc {2} and let its owner recreate it (a StatefulSet's "
      "volumeClaimTemplate does, on the next pod).",
      volume.empty() ? "the volume" : volume, pvc.ns, pvc.name, kubectl_ns(pvc));
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  for (const Object* pvc : ctx.cluster.of_kind("PersistentVolumeClaim")) {
    analyze_pvc(ctx, *pvc, sink);
    analyze_lost_pvc(ctx.cluster, *pvc, sink);
  }
  for (const Object* pv : ctx.cluster.of_kind("PersistentVolume")) {
    analyze_pv(*pv, sink);
    if (pv->status()["phase"].str() == "Pending" && !young(ctx, *pv))
      analyze_pending_pv(ctx.cluster, *pv, sink);
  }
}

}  // namespace

const AnalyzerDef& storage_analyzer() {
  static const AnalyzerDef kDef{"storage", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
