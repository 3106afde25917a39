// Volumes: pod volume faults from FailedMount / FailedAttachVolume, confirmed against the
// snapshot; each rule with a positive and a negative case.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/storage_fixtures.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using namespace storage_fixtures;  // NOLINT(google-build-using-namespace): test fixtures
using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

TEST(VolumesTest, MissingConfigMapVolumeIsConfirmedAgainstTheSnapshot) {
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

TEST(VolumesTest, MissingObjectWordingsOfOldKubeletsAndProjectedVolumesButNotCsiSecrets) {
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

TEST(VolumesTest, MissingConfigMapKeyOfAVolumeListsTheKeysThatExist) {
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

TEST(VolumesTest, MissingSecretThatNowExistsIsOnlyAWarningAndReadyPodsAreSkipped) {
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

TEST(VolumesTest, MultiAttachNamesThePodAndNodeHoldingTheDisk) {
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
  // One field per evidence line, each a real path (not ".spec.nodeName / .status.phase").
  auto has = [&](std::string_view path, std::string_view value) {
    return std::any_of(f[0]->evidence.begin(), f[0]->evidence.end(), [&](const Evidence& e) {
      return e.object == "pod/web-old" && e.path == path && e.value == value;
    });
  };
  EXPECT_TRUE(has(".spec.nodeName", "n2"));
  EXPECT_TRUE(has(".status.phase", "Running"));
  // A pod with no controller holds it: deleting it frees the disk.
  EXPECT_NE(f[0]->fix.find("Stop the pod holding it: kubectl -n shop delete pod web-old"),
            std::string::npos)
      << f[0]->fix;
  EXPECT_TRUE(with_rule(all, "volume-attach-failed").empty());
}

// The old pod of the same Deployment holds the disk (a rolling update): deleting it does not
// help, its ReplicaSet starts it again; the strategy must become Recreate first.
TEST(VolumesTest, MultiAttachInARollingUpdateSwitchesTheStrategyFirst) {
  const std::string owned = R"(
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: RS, uid: uid-RS, controller: true}])";
  auto pod_of = [&](std::string text, const std::string& rs) {
    const std::size_t meta = text.find("\n", text.find("metadata:"));
    std::string refs = owned;
    refs.replace(refs.find("RS"), 2, rs);
    refs.replace(refs.find("RS"), 2, rs);
    return text.insert(meta, refs);
  };
  const std::string deploy = R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: uid-web}
spec: {strategy: {type: RollingUpdate}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-new, namespace: shop, uid: uid-web-new, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: uid-web, controller: true}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-old, namespace: shop, uid: uid-web-old, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: uid-web, controller: true}]}
)";
  const std::string old_pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-old-1\n  "
      "namespace: shop\n  uid: uid-p-old\nspec: {nodeName: n2, "
      "containers: [{name: app, image: nginx}]}\nstatus: {phase: Running}\n";
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  auto all = diagnose(*cluster_from_yaml(
      deploy + pod_of(creating_pod("web-new-1", vol), "web-new") + pod_of(old_pod, "web-old") +
      std::string(kNode) +
      event("Pod", "web-new-1", "FailedAttachVolume",
            "Multi-Attach error for volume \\\"d-2ze0001\\\" Volume is already used by pod(s) "
            "web-old-1",
            "Warning", "attachdetach-controller")));
  auto f = with_rule(all, "volume-multi-attach");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(
      f[0]->fix.find("kubectl -n shop patch deployment/web --type merge -p "
                     "'{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}'"),
      std::string::npos)
      << f[0]->fix;
  EXPECT_NE(f[0]->fix.find("deleting the old pod alone does not help"), std::string::npos);
  EXPECT_EQ(f[0]->fix.find("delete pod"), std::string::npos) << f[0]->fix;
}

TEST(VolumesTest, MultiAttachWithoutPodNamesTheNodeFromTheVolumeAttachment) {
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
  auto has = [&](std::string_view path, std::string_view value) {
    return std::any_of(f[0]->evidence.begin(), f[0]->evidence.end(),
                       [&](const Evidence& e) { return e.path == path && e.value == value; });
  };
  EXPECT_TRUE(has(".spec.nodeName", "n-dead"));
  EXPECT_TRUE(has(".status.attached", "true"));
}

TEST(VolumesTest, RunningPodsOldMountEventsAreHistory) {
  std::string pod = creating_pod("web", "  - name: config\n    configMap: {name: web-conf}");
  pod.replace(pod.find("phase: Pending"), 14, "phase: Running");
  auto all = diagnose(*cluster_from_yaml(
      pod + event("Pod", "web", "FailedMount",
                  "MountVolume.SetUp failed for volume \\\"config\\\" : configmap "
                  "\\\"web-conf\\\" not found")));
  EXPECT_TRUE(with_rule(all, "mount-secret-configmap-missing").empty());
}

TEST(VolumesTest, MountTimeoutOnAPendingClaimIsCausedByTheClaim) {
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

TEST(VolumesTest, AttachFailedAndTheAckInstanceCategoryCase) {
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
  // The snapshot has StorageClasses but no WaitForFirstConsumer one: the fix says to create one,
  // not to use a class that is not there.
  EXPECT_NE(f[0]->fix.find("a new WaitForFirstConsumer class"), std::string::npos) << f[0]->fix;
}

// The class to use is one the snapshot has (case 035: ACK's five classes, of which only
// alicloud-disk-topology waits for the pod), not the alltype class it lacks.
TEST(VolumesTest, InstanceCategoryFixNamesTheSnapshotsWaitForFirstConsumerClass) {
  const std::string vol = "  - name: data\n    persistentVolumeClaim: {claimName: data}";
  const std::string ev =
      event("Pod", "web", "FailedAttachVolume",
            "AttachVolume.Attach failed for volume \\\"d-2ze0001\\\" : rpc error: code = "
            "Internal desc = ErrorCode: InvalidInstanceType.NotSupportDiskCategory Message: The "
            "instanceType of the specified instance does not support this disk category.",
            "Warning", "attachdetach-controller");
  auto all = diagnose(*cluster_from_yaml(
      creating_pod("web", vol) + std::string(kNode) +
      storage_class("alicloud-disk-available", true) +
      storage_class("nas-wait", false, "WaitForFirstConsumer", "nasplugin.csi.alibabacloud.com") +
      storage_class("alicloud-disk-topology", false, "WaitForFirstConsumer") + ev));
  auto f = with_rule(all, "disk-category-not-supported-by-instance");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->fix.find("StorageClass alicloud-disk-topology (WaitForFirstConsumer)"),
            std::string::npos)
      << f[0]->fix;
  EXPECT_EQ(f[0]->fix.find("alltype"), std::string::npos) << f[0]->fix;
  EXPECT_EQ(f[0]->fix.find("nas-wait"), std::string::npos) << "another provisioner's class";
}

TEST(VolumesTest, AttachFailedNamesAZoneConflictBetweenDiskAndNode) {
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

TEST(VolumesTest, MountTimeoutOnlyWithoutAMoreSpecificError) {
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

TEST(VolumesTest, NfsMountFailureAndNotForOtherMountErrors) {
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

TEST(VolumesTest, HostPathTypeCheckAndNotForNfs) {
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

}  // namespace
}  // namespace ktriage
