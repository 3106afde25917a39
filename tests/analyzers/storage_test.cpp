// Storage: Pending claims and PVs left Released or Failed; each rule with a positive and a
// negative case (pod volume faults are in volumes_test.cpp).
#include <gtest/gtest.h>

#include "analyzers/storage_fixtures.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using namespace storage_fixtures;  // NOLINT(google-build-using-namespace): test fixtures
using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;
// ---- PVC Pending ----

TEST(StorageTest, NoDefaultStorageClassFromTheBindingEvent) {
  auto c = cluster_from_yaml(
      pvc("data-db-0", "") +
      event("PersistentVolumeClaim", "data-db-0", "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set", "Normal",
            "persistentvolume-controller"));
  auto all = diagnose(*c);
  auto f = with_rule(all, "pvc-pending-no-default-storageclass");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->object.name, "data-db-0");
  EXPECT_TRUE(f[0]->caused_by.empty());
  EXPECT_NE(f[0]->fix.find("is-default-class"), std::string::npos);
  EXPECT_GE(f[0]->evidence.size(), 3u);
}

TEST(StorageTest, NoDefaultStorageClassFromTheSnapshotClasses) {
  auto c = cluster_from_yaml(pvc("data-db-0", "") + storage_class("nas", false));
  auto all = diagnose(*c);
  EXPECT_EQ(with_rule(all, "pvc-pending-no-default-storageclass").size(), 1u);
}

TEST(StorageTest, ClaimWithoutClassIsFineWhenADefaultExistsOrItIsBound) {
  auto c = cluster_from_yaml(pvc("data-db-0", "") + storage_class("alicloud-disk-essd", true) +
                             pvc("data-db-1", "", "Bound"));
  auto all = diagnose(*c);
  EXPECT_TRUE(with_rule(all, "pvc-pending-no-default-storageclass").empty());
  for (const Finding& f : all) EXPECT_NE(f.object.name, "data-db-1") << f.id;
}

TEST(StorageTest, ClaimWithoutClassAndNoEvidenceEitherWayIsNotGuessed) {
  // No StorageClass objects and no FailedBinding event: the snapshot may just lack the classes.
  auto c = cluster_from_yaml(pvc("data-db-0", ""));
  EXPECT_TRUE(count_rule(*c, "pvc-pending-no-default-storageclass") == 0);
}

TEST(StorageTest, StorageClassNotFoundFromTheProvisioningEvent) {
  auto c = cluster_from_yaml(pvc("data", "  storageClassName: gp2\n") +
                             storage_class("alicloud-disk-essd", true) +
                             event("PersistentVolumeClaim", "data", "ProvisioningFailed",
                                   "storageclass.storage.k8s.io \\\"gp2\\\" not found", "Warning",
                                   "persistentvolume-controller"));
  auto all = diagnose(*c);
  auto f = with_rule(all, "pvc-pending-storageclass-not-found");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("\"gp2\""), std::string::npos);
  EXPECT_NE(f[0]->fix.find("delete pvc data"), std::string::npos);
  // The event is explained, not reported again.
  EXPECT_TRUE(with_rule(all, "unexplained-warning-events").empty());
}

TEST(StorageTest, StorageClassNotFoundFromTheSnapshotAndNotWhenItExists) {
  auto missing = cluster_from_yaml(pvc("data", "  storageClassName: gp2\n") +
                                   storage_class("alicloud-disk-essd", true));
  EXPECT_EQ(count_rule(*missing, "pvc-pending-storageclass-not-found"), 1u);
  auto present = cluster_from_yaml(pvc("data", "  storageClassName: alicloud-disk-essd\n") +
                                   storage_class("alicloud-disk-essd", true));
  EXPECT_TRUE(count_rule(*present, "pvc-pending-storageclass-not-found") == 0);
}

TEST(StorageTest, ProvisioningFailedWithTheProvisionerError) {
  auto c = cluster_from_yaml(
      pvc("data", "  storageClassName: alicloud-disk-essd\n") +
      storage_class("alicloud-disk-essd", true) +
      event("PersistentVolumeClaim", "data", "ProvisioningFailed",
            "failed to provision volume with StorageClass \\\"alicloud-disk-essd\\\": rpc error: "
            "code = Internal desc = Forbidden.RAM: User not authorized to operate on the "
            "specified resource",
            "Warning", "diskplugin.csi.alibabacloud.com"));
  auto all = diagnose(*c);
  auto f = with_rule(all, "pvc-pending-provisioning-failed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("csi"), std::string::npos);
  EXPECT_TRUE(with_rule(all, "pvc-pending-size-below-minimum").empty());
  EXPECT_TRUE(with_rule(all, "unexplained-warning-events").empty());
}

TEST(StorageTest, NoProvisioningFindingWithoutTheEvent) {
  auto c = cluster_from_yaml(pvc("data", "  storageClassName: alicloud-disk-essd\n") +
                             storage_class("alicloud-disk-essd", true));
  EXPECT_TRUE(count_rule(*c, "pvc-pending-provisioning-failed") == 0);
}

TEST(StorageTest, ExternalProvisionerThatNeverAnswersAndNotOneThatJustStarted) {
  auto with_span = [](std::string_view first) {
    std::string ev = event("PersistentVolumeClaim", "data", "ExternalProvisioning",
                           "waiting for a volume to be created, either by external provisioner "
                           "\\\"nasplugin.csi.alibabacloud.com\\\" or manually created by system "
                           "administrator",
                           "Normal", "persistentvolume-controller");
    ev.replace(ev.find("count: 7"), 8, "count: 42\nfirstTimestamp: \"" + std::string(first) + "\"");
    return pvc("data", "  storageClassName: alicloud-nas\n") +
           storage_class("alicloud-nas", false, "Immediate", "nasplugin.csi.alibabacloud.com") + ev;
  };
  auto all = diagnose(*cluster_from_yaml(with_span("2026-11-29T10:01:00Z")));
  auto f = with_rule(all, "pvc-pending-provisioning-failed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("nasplugin.csi.alibabacloud.com"), std::string::npos);
  EXPECT_EQ(count_rule(*cluster_from_yaml(with_span("2026-11-29T10:40:30Z")),
                       "pvc-pending-provisioning-failed"),
            0u);
}

TEST(StorageTest, SizeBelowTheProviderMinimum) {
  auto c = cluster_from_yaml(
      pvc("data", "  storageClassName: alicloud-disk-ssd\n") +
      storage_class("alicloud-disk-ssd", false) +
      event("PersistentVolumeClaim", "data", "ProvisioningFailed",
            "failed to provision volume with StorageClass \\\"alicloud-disk-ssd\\\": rpc error: "
            "code = Internal desc = SDK.ServerError ErrorCode: InvalidParameter Message: The "
            "specified parameter \\\"Size\\\" is not valid.",
            "Warning", "diskplugin.csi.alibabacloud.com"));
  auto all = diagnose(*c);
  auto f = with_rule(all, "pvc-pending-size-below-minimum");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("20Gi"), std::string::npos);
  EXPECT_TRUE(with_rule(all, "pvc-pending-provisioning-failed").empty());
}

TEST(StorageTest, DiskCategoryNotAvailableInZone) {
  auto c = cluster_from_yaml(
      pvc("data", "  storageClassName: alicloud-disk-common\n") +
      storage_class("alicloud-disk-common", false) +
      event("PersistentVolumeClaim", "data", "ProvisioningFailed",
            "Failed to provision volume with StorageClass \\\"alicloud-disk-common\\\": Aliyun "
            "API Error: RequestId: 1 Status Code: 400 Code: InvalidDataDiskCategory.NotSupported "
            "Message: Specified disk category is not supported.",
            "Warning", "alicloud/disk"));
  auto all = diagnose(*c);
  EXPECT_EQ(with_rule(all, "pvc-pending-disk-category-not-in-zone").size(), 1u);
  EXPECT_TRUE(with_rule(all, "pvc-pending-size-below-minimum").empty());
  // The failing class waits for its pod too: the fix never names it as the remedy.
  auto waits = diagnose(*cluster_from_yaml(
      pvc("data", "  storageClassName: alicloud-disk-essd-wait\n") +
      storage_class("alicloud-disk-essd-wait", false, "WaitForFirstConsumer") +
      event("PersistentVolumeClaim", "data", "ProvisioningFailed",
            "Failed to provision volume with StorageClass \\\"alicloud-disk-essd-wait\\\": "
            "Code: InvalidDataDiskCategory.NotSupported Message: Specified disk category is not "
            "supported.",
            "Warning", "alicloud/disk")));
  auto w = with_rule(waits, "pvc-pending-disk-category-not-in-zone");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]->fix.find("use StorageClass alicloud-disk-essd-wait"), std::string::npos)
      << w[0]->fix;
  EXPECT_NE(w[0]->fix.find("the snapshot has no other than alicloud-disk-essd-wait"),
            std::string::npos)
      << w[0]->fix;
  // The same class without the ECS error: no category finding.
  auto quiet = cluster_from_yaml(pvc("data", "  storageClassName: alicloud-disk-common\n") +
                                 storage_class("alicloud-disk-common", false));
  EXPECT_TRUE(count_rule(*quiet, "pvc-pending-disk-category-not-in-zone") == 0);
}

TEST(StorageTest, WaitForFirstConsumerIsInfoWhileNoPodUsesTheClaim) {
  const std::string topo = storage_class("alicloud-disk-topology", false, "WaitForFirstConsumer") +
                           pvc("data", "  storageClassName: alicloud-disk-topology\n") +
                           event("PersistentVolumeClaim", "data", "WaitForFirstConsumer",
                                 "waiting for first consumer to be created before binding",
                                 "Normal", "persistentvolume-controller");
  auto all = diagnose(*cluster_from_yaml(topo));
  auto f = with_rule(all, "pvc-waiting-for-first-consumer");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kInfo);
  // Once a pod mounts it, binding is the scheduler's business: no storage finding.
  auto used = diagnose(*cluster_from_yaml(
      topo + creating_pod("web", "  - name: data\n    persistentVolumeClaim: {claimName: data}")));
  EXPECT_TRUE(with_rule(used, "pvc-waiting-for-first-consumer").empty());
}

TEST(StorageTest, StaticClaimThatNoPersistentVolumeFits) {
  const std::string pv = R"(---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-small}
spec:
  storageClassName: local
  accessModes: [ReadWriteOnce]
  capacity: {storage: 5Gi}
status: {phase: Available}
)";
  const std::string cls =
      storage_class("local", false, "Immediate", "kubernetes.io/no-provisioner");
  auto all = diagnose(*cluster_from_yaml(pvc("data", "  storageClassName: local\n") + cls + pv));
  auto f = with_rule(all, "pvc-pending-no-matching-pv");
  ASSERT_EQ(f.size(), 1u);
  bool names_pv = false;
  for (const Evidence& e : f[0]->evidence)
    names_pv = names_pv || e.value.find("pv-small") != std::string::npos;
  EXPECT_TRUE(names_pv);
  // A PV that is large enough: the PV controller binds it, nothing to report.
  std::string big = pv;
  big.replace(big.find("5Gi"), 3, "20Gi");
  auto fits = diagnose(*cluster_from_yaml(pvc("data", "  storageClassName: local\n") + cls + big));
  EXPECT_TRUE(with_rule(fits, "pvc-pending-no-matching-pv").empty());
}

// ---- PersistentVolumes ----

TEST(StorageTest, ReleasedAndFailedPersistentVolumes) {
  auto all = diagnose(*cluster_from_yaml(R"(---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-old}
spec:
  persistentVolumeReclaimPolicy: Retain
  claimRef: {namespace: shop, name: data-db-0}
status: {phase: Released}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-broken}
spec:
  persistentVolumeReclaimPolicy: Delete
  claimRef: {namespace: shop, name: tmp}
status: {phase: Failed, message: "error getting deleter volume plugin for volume"}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-ok}
spec: {persistentVolumeReclaimPolicy: Retain}
status: {phase: Bound}
)"));
  auto released = with_rule(all, "pv-released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_NE(released[0]->summary.find("Retain"), std::string::npos);
  EXPECT_NE(released[0]->summary.find("shop/data-db-0"), std::string::npos);
  auto failed = with_rule(all, "pv-failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->object.name, "pv-broken");
  for (const Finding& f : all) EXPECT_NE(f.object.name, "pv-ok") << f.id;
}

TEST(StorageTest, LostClaimNamesItsMissingVolume) {
  const std::string lost =
      pvc("data-db-0", "  storageClassName: alicloud-disk-essd\n  volumeName: d-2ze1\n", "Lost") +
      event("PersistentVolumeClaim", "data-db-0", "ClaimLost",
            "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
            "Warning", "persistentvolume-controller") +
      "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: d-other}\nspec: {}\n"
      "status: {phase: Available}\n";
  auto all = diagnose(*cluster_from_yaml(lost));
  auto r = with_rule(all, "pvc-lost");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_NE(r[0]->summary.find("PersistentVolume d-2ze1 does not exist"), std::string::npos)
      << r[0]->summary;
  bool event_seen = false;
  for (const Evidence& e : r[0]->evidence) event_seen |= e.reason == "ClaimLost";
  EXPECT_TRUE(event_seen);
  EXPECT_NE(r[0]->fix.find("spec.claimRef {namespace: shop, name: data-db-0}"), std::string::npos)
      << r[0]->fix;
  // Bound claims are not Lost.
  auto bound = diagnose(*cluster_from_yaml(pvc("a", "  volumeName: v\n", "Bound")));
  EXPECT_TRUE(with_rule(bound, "pvc-lost").empty());
}

TEST(StorageTest, PreboundClaimToAMissingVolume) {
  const std::string claim = pvc("data", "  storageClassName: ''\n  volumeName: pv-gone\n");
  const std::string other_pv =
      "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-other}\nspec: {}\n"
      "status: {phase: Available}\n";
  auto f = diagnose(*cluster_from_yaml(claim + other_pv));
  auto r = with_rule(f, "pvc-pending-prebound-volume-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("pre-bound (spec.volumeName) to PersistentVolume pv-gone"),
            std::string::npos);
  // The PV exists (its own state tells), or no PVs were collected: nothing here.
  std::string present = other_pv;
  present.replace(present.find("pv-other"), 8, "pv-gone");
  auto exists = diagnose(*cluster_from_yaml(claim + present));
  EXPECT_TRUE(with_rule(exists, "pvc-pending-prebound-volume-missing").empty());
  auto unknown = diagnose(*cluster_from_yaml(claim));
  EXPECT_TRUE(with_rule(unknown, "pvc-pending-prebound-volume-missing").empty());
}

TEST(StorageTest, PendingPersistentVolume) {
  const std::string pv =
      "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-new}\nspec: {}\n"
      "status: {phase: __PHASE__}\n";
  std::string pending = pv;
  pending.replace(pending.find("__PHASE__"), 9, "Pending");
  auto f = diagnose(*cluster_from_yaml(pending));
  auto r = with_rule(f, "pv-pending");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->fix.find("kubectl describe pv pv-new"), std::string::npos);
  std::string available = pv;
  available.replace(available.find("__PHASE__"), 9, "Available");
  auto ok = diagnose(*cluster_from_yaml(available));
  EXPECT_TRUE(with_rule(ok, "pv-pending").empty());
}

// ---- Correlation: the claim is the root cause of the Pending pod ----

TEST(StorageTest, PendingPodIsCausedByItsClaimsFinding) {
  const std::string pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop, uid: uid-db-0}
spec:
  containers: [{name: db, image: postgres}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-0}}]
status:
  phase: Pending
  conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]
)";
  auto all = diagnose(*cluster_from_yaml(
      pod + pvc("data-db-0", "") + storage_class("nas", false) +
      event("Pod", "db-0", "FailedScheduling",
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.", "Warning",
            "default-scheduler")));
  auto claim = with_rule(all, "pvc-pending-no-default-storageclass");
  auto pending = with_rule(all, "pending-unbound-pvc");
  ASSERT_EQ(claim.size(), 1u);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_TRUE(claim[0]->caused_by.empty());
  ASSERT_EQ(pending[0]->caused_by.size(), 1u);
  EXPECT_EQ(pending[0]->caused_by[0], claim[0]->id);
  // Without an owner the fix edits the claim itself.
  EXPECT_NE(claim[0]->fix.find("set storageClassName in the claim"), std::string::npos);
}

TEST(StorageTest, NoDefaultClassFixEditsTheStatefulSetTemplate) {
  const std::string sts = R"(---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop, uid: uid-sts-db}
spec: {replicas: 1}
---
apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: shop
  uid: uid-db-0
  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: uid-sts-db, controller: true}]
spec:
  containers: [{name: db, image: postgres}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-0}}]
status: {phase: Pending}
)";
  auto all = diagnose(*cluster_from_yaml(sts + pvc("data-db-0", "") + storage_class("nas", false)));
  auto f = with_rule(all, "pvc-pending-no-default-storageclass");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("volumeClaimTemplates of statefulset/db"), std::string::npos);
}

TEST(StorageTest, LostClaimWhosePvExistsUnboundAndYoungObjects) {
  const std::string lost = pvc("data", "  volumeName: pv-1\n", "Lost") +
                           "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-1}\n"
                           "spec: {}\nstatus: {phase: Available}\n";
  auto f = diagnose(*cluster_from_yaml(lost));
  auto r = with_rule(f, "pvc-lost");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("exists but is bound to no claim (phase Available)"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->fix.find("kubectl patch pv pv-1"), std::string::npos) << r[0]->fix;
  // A claim made a minute ago, before the PV it reserves: not yet a fault.
  const UnixSeconds now = *parse_rfc3339("2026-12-01T08:30:00Z");
  std::string young = pvc("data", "  volumeName: pv-gone\n");
  young.replace(young.find("  namespace: shop"), 17,
                "  namespace: shop\n  creationTimestamp: '2026-12-01T08:29:00Z'");
  auto y = diagnose(*cluster_from_yaml(
      young + "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-other}\nspec: "
              "{}\nstatus: {phase: Available}\n",
      now));
  EXPECT_TRUE(with_rule(y, "pvc-pending-prebound-volume-missing").empty());
}

}  // namespace
}  // namespace ktriage
