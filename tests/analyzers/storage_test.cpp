// Storage: Pending claims, pod volume faults from FailedMount / FailedAttachVolume, PVs left
// Released or Failed; each rule with a positive and a negative case.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string pvc(std::string_view name, std::string_view class_line,
                std::string_view phase = "Pending", std::string_view extra_spec = "") {
  return std::string(R"(---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: )") +
         std::string(name) + R"(
  namespace: shop
  uid: uid-)" +
         std::string(name) + R"(
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
)" + std::string(class_line) +
         std::string(extra_spec) + R"(
status:
  phase: )" +
         std::string(phase) + "\n";
}

std::string storage_class(std::string_view name, bool is_default,
                          std::string_view mode = "Immediate",
                          std::string_view provisioner = "diskplugin.csi.alibabacloud.com") {
  return std::string(R"(---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: )") +
         std::string(name) +
         (is_default ? R"(
  annotations: {storageclass.kubernetes.io/is-default-class: "true"})"
                     : "") +
         R"(
provisioner: )" +
         std::string(provisioner) +
         R"(
volumeBindingMode: )" +
         std::string(mode) + "\n";
}

std::string event(std::string_view kind, std::string_view name, std::string_view reason,
                  std::string_view message, std::string_view type = "Warning",
                  std::string_view component = "kubelet") {
  return std::string(R"(---
apiVersion: v1
kind: Event
metadata: {name: ev-)") +
         std::string(name) + "-" + std::string(reason) + R"(, namespace: shop}
involvedObject: {kind: )" +
         std::string(kind) + ", name: " + std::string(name) + R"(, namespace: shop, uid: uid-)" +
         std::string(name) + R"(}
reason: )" +
         std::string(reason) +
         R"(
type: )" +
         std::string(type) +
         R"(
count: 7
lastTimestamp: "2026-11-29T10:41:00Z"
source: {component: )" +
         std::string(component) + R"(}
message: ")" +
         std::string(message) + "\"\n";
}

// How many findings of `rule` a full diagnosis of `c` gives.
std::size_t count_rule(const Cluster& c, std::string_view rule) {
  auto all = diagnose(c);
  return with_rule(all, rule).size();
}

// A pod stuck ContainerCreating on node n1, with one volume.
std::string creating_pod(std::string_view name, std::string_view volume_yaml,
                         std::string_view owner = "") {
  return std::string(R"(---
apiVersion: v1
kind: Pod
metadata:
  name: )") +
         std::string(name) + R"(
  namespace: shop
  uid: uid-)" +
         std::string(name) + "\n" + std::string(owner) + R"(
spec:
  nodeName: n1
  containers:
  - name: app
    image: nginx
  volumes:
)" + std::string(volume_yaml) +
         R"(
status:
  phase: Pending
  containerStatuses:
  - name: app
    ready: false
    state: {waiting: {reason: ContainerCreating}}
)";
}

constexpr std::string_view kNode = R"(---
apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {node.kubernetes.io/instance-type: ecs.g7.large, topology.kubernetes.io/zone: cn-beijing-h}
status: {conditions: [{type: Ready, status: "True"}]}
)";

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

// ---- Pods ----

TEST(StorageTest, MissingConfigMapVolumeIsConfirmedAgainstTheSnapshot) {
  const std::string pod =
      creating_pod("web", "  - name: config\n    configMap: {name: web-conf}") +
      event("Pod", "web", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"config\\\" : configmap \\\"web-conf\\\" not "
            "found");
  const std::string other = R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {a: b}
)";
  auto all = diagnose(*cluster_from_yaml(pod + other));
  auto f = with_rule(all, "mount-secret-configmap-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kCritical);
  bool lists = false;
  for (const Evidence& e : f[0]->evidence)
    lists = lists || e.value.find("web-config") != std::string::npos;
  EXPECT_TRUE(lists);
  EXPECT_TRUE(with_rule(all, "unexplained-warning-events").empty());
  EXPECT_TRUE(with_rule(all, "volume-mount-timeout").empty());
}

TEST(StorageTest, MissingObjectWordingsOfOldKubeletsAndProjectedVolumesButNotCsiSecrets) {
  const std::string pod = creating_pod("web", "  - name: creds\n    secret: {secretName: db}");
  auto plural = diagnose(*cluster_from_yaml(
      pod + event("Pod", "web", "FailedMount",
                  "MountVolume.SetUp failed for volume \\\"creds\\\" : secrets \\\"db\\\" not "
                  "found")));
  auto f = with_rule(plural, "mount-secret-configmap-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("Secret shop/db"), std::string::npos);
  auto projected = diagnose(*cluster_from_yaml(
      pod + event("Pod", "web", "FailedMount",
                  "MountVolume.SetUp failed for volume \\\"creds\\\" : [configmap "
                  "\\\"ca\\\" not found, secret \\\"db\\\" not found]")));
  auto g = with_rule(projected, "mount-secret-configmap-missing");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NE(g[0]->summary.find("ConfigMap shop/ca"), std::string::npos);
  // The Secrets Store CSI driver's own error is not a missing volume source.
  EXPECT_EQ(count_rule(*cluster_from_yaml(
                           pod + event("Pod", "web", "FailedMount",
                                       "MountVolume.SetUp failed for volume \\\"creds\\\" : rpc "
                                       "error: code = Unknown desc = failed to mount secrets store "
                                       "objects for pod shop/web, err: secret not found")),
                       "mount-secret-configmap-missing"),
            0u);
}

TEST(StorageTest, MissingConfigMapKeyOfAVolumeListsTheKeysThatExist) {
  const std::string pod =
      creating_pod("web",
                   "  - name: config\n    configMap:\n      name: web-config\n      items: [{key: "
                   "app.yaml, path: app.yaml}]");
  const std::string cm = R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {app.yml: "a: 1"}
)";
  auto all = diagnose(*cluster_from_yaml(
      pod + cm +
      event("Pod", "web", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"config\\\" : configmap references "
            "non-existent config key: app.yaml")));
  auto f = with_rule(all, "mount-secret-configmap-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("key \"app.yaml\""), std::string::npos);
  bool keys = false;
  for (const Evidence& e : f[0]->evidence) keys = keys || e.value == "app.yml";
  EXPECT_TRUE(keys);
  // A different mount error of the same volume is not a missing key.
  EXPECT_EQ(
      count_rule(*cluster_from_yaml(pod + cm +
                                    event("Pod", "web", "FailedMount",
                                          "MountVolume.SetUp failed for volume \\\"config\\\" : "
                                          "open /var/lib/kubelet/pods/x: no space left on device")),
                 "mount-secret-configmap-missing"),
      0u);
}

TEST(StorageTest, MissingSecretThatNowExistsIsOnlyAWarningAndReadyPodsAreSkipped) {
  const std::string secret = R"(---
apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: shop}
type: kubernetes.io/tls
)";
  const std::string ev = event("Pod", "web", "FailedMount",
                               "MountVolume.SetUp failed for volume \\\"tls\\\" : secret "
                               "\\\"tls\\\" not found");
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("web", "  - name: tls\n    secret: {secretName: tls}") + ev + secret));
  auto f = with_rule(all, "mount-secret-configmap-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kWarning);
  std::string ready = creating_pod("web", "  - name: tls\n    secret: {secretName: tls}");
  ready.replace(ready.find("status:\n  phase: Pending"), 24,
                "status:\n  phase: Running\n  conditions: [{type: Ready, status: \"True\"}]");
  EXPECT_TRUE(count_rule(*cluster_from_yaml(ready + ev), "mount-secret-configmap-missing") == 0);
}

TEST(StorageTest, MultiAttachNamesThePodAndNodeHoldingTheDisk) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  const std::string old_pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: web-old, namespace: shop, uid: uid-web-old}
spec: {nodeName: n2, containers: [{name: app, image: nginx}]}
status: {phase: Running}
)";
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("web-new", vol) + old_pod + std::string(kNode) +
      event("Pod", "web-new", "FailedAttachVolume",
            "Multi-Attach error for volume \\\"d-2ze0001\\\" Volume is already used by pod(s) "
            "web-old",
            "Warning", "attachdetach-controller")));
  auto f = with_rule(all, "volume-multi-attach");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("web-old"), std::string::npos);
  EXPECT_NE(f[0]->fix.find("node n2"), std::string::npos);
  EXPECT_TRUE(with_rule(all, "volume-attach-failed").empty());
}

TEST(StorageTest, MultiAttachWithoutPodNamesTheNodeFromTheVolumeAttachment) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  const std::string attachment = R"(---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata: {name: csi-0a1b2c}
spec:
  attacher: diskplugin.csi.alibabacloud.com
  nodeName: n-dead
  source: {persistentVolumeName: d-2ze0001}
status: {attached: true}
---
apiVersion: v1
kind: Node
metadata: {name: n-dead}
status: {conditions: [{type: Ready, status: Unknown, reason: NodeStatusUnknown}]}
)";
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("db", vol) + attachment +
      event("Pod", "db", "FailedAttachVolume",
            "Multi-Attach error for volume \\\"d-2ze0001\\\" Volume is already exclusively "
            "attached to one node and can't be attached to another",
            "Warning", "attachdetach-controller")));
  auto f = with_rule(all, "volume-multi-attach");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("node n-dead"), std::string::npos);
  EXPECT_NE(f[0]->fix.find("If that node is dead"), std::string::npos);
}

TEST(StorageTest, RunningPodsOldMountEventsAreHistory) {
  std::string pod = creating_pod("web", "  - name: config\n    configMap: {name: web-conf}");
  pod.replace(pod.find("phase: Pending"), 14, "phase: Running");
  auto all = diagnose(*cluster_from_yaml(
      pod + event("Pod", "web", "FailedMount",
                  "MountVolume.SetUp failed for volume \\\"config\\\" : configmap "
                  "\\\"web-conf\\\" not found")));
  EXPECT_TRUE(with_rule(all, "mount-secret-configmap-missing").empty());
}

TEST(StorageTest, MountTimeoutOnAPendingClaimIsCausedByTheClaim) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) + pvc("data", "  storageClassName: gp2\n") +
      storage_class("alicloud-disk-essd", true) +
      event("Pod", "web", "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data], unattached "
            "volumes=[data]: timed out waiting for the condition")));
  auto timeout = with_rule(all, "volume-mount-timeout");
  auto claim = with_rule(all, "pvc-pending-storageclass-not-found");
  ASSERT_EQ(timeout.size(), 1u);
  ASSERT_EQ(claim.size(), 1u);
  ASSERT_EQ(timeout[0]->caused_by.size(), 1u);
  EXPECT_EQ(timeout[0]->caused_by[0], claim[0]->id);
}

TEST(StorageTest, AttachFailedAndTheAckInstanceCategoryCase) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  auto generic = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) + std::string(kNode) +
      event("Pod", "web", "FailedAttachVolume",
            "AttachVolume.Attach failed for volume \\\"d-2ze0001\\\" : rpc error: code = "
            "Internal desc = Forbidden.RAM",
            "Warning", "attachdetach-controller")));
  ASSERT_EQ(with_rule(generic, "volume-attach-failed").size(), 1u);
  EXPECT_TRUE(with_rule(generic, "disk-category-not-supported-by-instance").empty());

  auto ack = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) + std::string(kNode) +
      storage_class("alicloud-disk-available", true) +
      event("Pod", "web", "FailedAttachVolume",
            "AttachVolume.Attach failed for volume \\\"d-2ze0001\\\" : rpc error: code = "
            "Internal desc = ErrorCode: InvalidInstanceType.NotSupportDiskCategory Message: The "
            "instanceType of the specified instance does not support this disk category.",
            "Warning", "attachdetach-controller")));
  auto f = with_rule(ack, "disk-category-not-supported-by-instance");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(with_rule(ack, "volume-attach-failed").empty());
  bool instance_type = false;
  for (const Evidence& e : f[0]->evidence)
    instance_type = instance_type || e.value == "ecs.g7.large";
  EXPECT_TRUE(instance_type);
  EXPECT_NE(f[0]->fix.find("alicloud-disk-available"), std::string::npos);
}

TEST(StorageTest, AttachFailedNamesAZoneConflictBetweenDiskAndNode) {
  const std::string pv = R"(---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: d-2ze0001
  labels: {topology.kubernetes.io/zone: cn-beijing-g}
spec:
  accessModes: [ReadWriteOnce]
  claimRef: {namespace: shop, name: data}
status: {phase: Bound}
)";
  const std::string ev = event("Pod", "web", "FailedAttachVolume",
                               "AttachVolume.Attach failed for volume \\\"d-2ze0001\\\" : rpc "
                               "error: code = Aborted desc = InvalidOperation",
                               "Warning", "attachdetach-controller");
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  auto all = diagnose(*cluster_from_yaml(creating_pod("web", vol) + std::string(kNode) + pv + ev));
  auto f = with_rule(all, "volume-attach-failed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("zone cn-beijing-g"), std::string::npos);
  std::string same = pv;
  same.replace(same.find("cn-beijing-g"), 12, "cn-beijing-h");
  auto none =
      diagnose(*cluster_from_yaml(creating_pod("web", vol) + std::string(kNode) + same + ev));
  auto g = with_rule(none, "volume-attach-failed");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0]->fix.find("Run the pod in zone"), std::string::npos);
}

TEST(StorageTest, MountTimeoutOnlyWithoutAMoreSpecificError) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  const std::string timeout =
      event("Pod", "web", "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data], unattached "
            "volumes=[data kube-api-access-x]: timed out waiting for the condition");
  auto alone = diagnose(*cluster_from_yaml(creating_pod("web", vol) + timeout));
  EXPECT_EQ(with_rule(alone, "volume-mount-timeout").size(), 1u);
  auto with_cause = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) + timeout +
      event("Pod", "web", "FailedAttachVolume",
            "Multi-Attach error for volume \\\"d-1\\\" Volume is already exclusively attached to "
            "one node and can't be attached to another",
            "Warning", "attachdetach-controller")));
  EXPECT_TRUE(with_rule(with_cause, "volume-mount-timeout").empty());
  EXPECT_EQ(with_rule(with_cause, "volume-multi-attach").size(), 1u);
}

TEST(StorageTest, NfsMountFailureAndNotForOtherMountErrors) {
  const std::string vol = "  - name: share\n    nfs: {server: 10.0.0.9, path: /exports}";
  auto nfs = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) +
      event("Pod", "web", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"share\\\" : mount failed: exit status 32\\n"
            "Mounting command: mount\\nMounting arguments: -t nfs 10.0.0.9:/exports "
            "/var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/share\\nOutput: mount.nfs: "
            "access denied by server while mounting 10.0.0.9:/exports")));
  auto f = with_rule(nfs, "volume-mount-nfs-failed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("refuses"), std::string::npos);
  auto hostpath = diagnose(*cluster_from_yaml(
      creating_pod("web", "  - name: sock\n    hostPath: {path: /run/x.sock, type: Socket}") +
      event("Pod", "web", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"sock\\\" : hostPath type check failed: "
            "/run/x.sock is not a socket file")));
  EXPECT_TRUE(with_rule(hostpath, "volume-mount-nfs-failed").empty());
}

TEST(StorageTest, HostPathTypeCheckAndNotForNfs) {
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("agent", "  - name: logs\n    hostPath: {path: /data/logs, type: Directory}") +
      event("Pod", "agent", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"logs\\\" : hostPath type check failed: "
            "/data/logs is not a directory")));
  auto f = with_rule(all, "volume-hostpath-type-check");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("DirectoryOrCreate"), std::string::npos);
  auto nfs = diagnose(*cluster_from_yaml(
      creating_pod("web", "  - name: share\n    nfs: {server: a, path: /}") +
      event("Pod", "web", "FailedMount",
            "MountVolume.SetUp failed for volume \\\"share\\\" : mount failed: exit status 32 "
            "Output: mount.nfs: Connection timed out")));
  EXPECT_TRUE(with_rule(nfs, "volume-hostpath-type-check").empty());
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

}  // namespace
}  // namespace ktriage
