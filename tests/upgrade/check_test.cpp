// upgrade-check: removed and deprecated APIs (own and last-applied apiVersion), kubelet skew,
// Docker nodes, a skipped minor version and PodDisruptionBudgets against a target release.
#include "upgrade/check.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_support.h"

namespace ktriage::upgrade {
namespace {

using testing::cluster_from;
using testing::with_rule;

Diagnosis run(const std::string& yaml, int target, std::string_view server = "v1.21.9") {
  auto cluster =
      cluster_from({{"version.json", "{\"serverVersion\": {\"major\": \"1\", \"gitVersion\": \"" +
                                         std::string(server) + "\"}}"},
                    {"objects.yaml", yaml}});
  return check(*cluster, builtin_deprecated_apis(), target);
}

const std::string kBetaIngress =
    "---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
    "spec: {backend: {serviceName: web, servicePort: 80}}\n";

TEST(DeprecatedApisTest, BuiltinTableParsesAndVersionsRead) {
  const auto& apis = builtin_deprecated_apis();
  ASSERT_GT(apis.size(), 50u);
  const RemovedApi* ing = find_removed_api(apis, "extensions/v1beta1", "Ingress");
  ASSERT_NE(ing, nullptr);
  EXPECT_EQ(ing->removed_in, 22);
  EXPECT_EQ(ing->replacement, "networking.k8s.io/v1");
  EXPECT_EQ(find_removed_api(apis, "networking.k8s.io/v1", "Ingress"), nullptr);
  EXPECT_EQ(minor_of("1.22"), 22);
  EXPECT_EQ(minor_of("v1.30.4-aliyun.1"), 30);
  EXPECT_EQ(minor_of("22"), std::nullopt);
  EXPECT_EQ(minor_of("2.1"), std::nullopt);
  EXPECT_FALSE(parse_deprecated_apis("bad.yaml", "apis:\n- {kind: X}\n"));
}

TEST(UpgradeCheckTest, RemovedApiIsABlockerOnlyFromItsRemovalRelease) {
  auto d = run(kBetaIngress, 22);
  auto r = with_rule(d.findings, "upgrade-removed-api");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_EQ(r[0]->catalog, "ACK-UPGRADE-PRECHECK-DEPRECATED-API");
  EXPECT_NE(r[0]->summary.find("extensions/v1beta1, which Kubernetes 1.22 no longer serves"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->fix.find("networking.k8s.io/v1"), std::string::npos);
  EXPECT_NE(d.input.scope.find("NO-GO, 1 blocker"), std::string::npos) << d.input.scope;
  // Before 1.22 it is only deprecated (since 1.14): a warning, and the verdict is go.
  auto before = run(kBetaIngress, 21, "v1.20.4");
  EXPECT_TRUE(with_rule(before.findings, "upgrade-removed-api").empty());
  EXPECT_EQ(with_rule(before.findings, "upgrade-deprecated-api").size(), 1u);
  EXPECT_NE(before.input.scope.find("(GO)"), std::string::npos) << before.input.scope;
  // Before 1.19 its replacement is not served: the advice is when to move, not to move now.
  auto old = run(kBetaIngress, 16, "v1.15.12");
  auto early = with_rule(old.findings, "upgrade-deprecated-api");
  ASSERT_EQ(early.size(), 1u);
  EXPECT_NE(early[0]->summary.find("its replacement networking.k8s.io/v1 is served from 1.19"),
            std::string::npos)
      << early[0]->summary;
  EXPECT_EQ(
      early[0]->fix.rfind("Nothing to change for 1.16: networking.k8s.io/v1 is not served "
                          "there yet. Rewrite Ingress web as apiVersion: networking.k8s.io/v1 "
                          "once the cluster runs 1.19, before it reaches 1.22.",
                          0),
      0u)
      << early[0]->fix;
  EXPECT_EQ(with_rule(before.findings, "upgrade-deprecated-api")[0]->fix.rfind("Rewrite", 0), 0u);
  // Removed before its replacement is served (flowcontrol v1beta1 at 1.26, v1 from 1.29): a
  // blocker whose fix is a version 1.26 serves, never "nothing to change".
  auto gap =
      run("apiVersion: flowcontrol.apiserver.k8s.io/v1beta1\nkind: FlowSchema\nmetadata: {name: "
          "fs}\nspec: {}\n",
          26, "v1.25.16");
  auto removed = with_rule(gap.findings, "upgrade-removed-api");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0]->fix.find("Nothing to change"), std::string::npos) << removed[0]->fix;
  EXPECT_NE(removed[0]->fix.find("at the version of FlowSchema that 1.26 serves"),
            std::string::npos)
      << removed[0]->fix;
  // The current API: nothing.
  auto v1 =
      run("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, "
          "namespace: shop}\nspec: {}\n",
          22);
  EXPECT_TRUE(v1.findings.empty());
}

TEST(UpgradeCheckTest, LastAppliedApiVersionIsWhatTheNextApplySends) {
  // The server returns the object at networking.k8s.io/v1, but the manifest kubectl applies
  // again still says extensions/v1beta1.
  const std::string live =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: "
      "shop\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: "
      "'{\"apiVersion\":\"extensions/v1beta1\",\"kind\":\"Ingress\",\"metadata\":{\"name\":"
      "\"web\",\"namespace\":\"shop\"}}'\nspec: {}\n";
  auto d = run(live, 22);
  auto r = with_rule(d.findings, "upgrade-removed-api");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("in its last-applied-configuration"), std::string::npos);
}

TEST(UpgradeCheckTest, NodesSkewDockerAndASkippedMinor) {
  auto node = [](std::string_view name, std::string_view kubelet, std::string_view runtime) {
    return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
           "}\nstatus: {nodeInfo: {kubeletVersion: " + std::string(kubelet) +
           ", containerRuntimeVersion: '" + std::string(runtime) + "'}}\n";
  };
  const std::string nodes =
      node("n1", "v1.21.9", "docker://20.10.7") + node("n2", "v1.19.3", "containerd://1.4.4");
  auto d = run(nodes, 22);
  EXPECT_EQ(with_rule(d.findings, "upgrade-kubelet-too-old").size(), 1u) << "1.19 vs 1.22";
  EXPECT_TRUE(with_rule(d.findings, "upgrade-docker-runtime").empty()) << "Docker ends at 1.24";
  EXPECT_TRUE(with_rule(d.findings, "upgrade-skips-minor").empty());
  auto to24 = run(nodes, 24, "v1.23.17");
  ASSERT_EQ(with_rule(to24.findings, "upgrade-docker-runtime").size(), 1u);
  EXPECT_EQ(with_rule(to24.findings, "upgrade-docker-runtime")[0]->summary.rfind(
                "1 node runs the Docker runtime", 0),
            0u);
  auto skip = run(nodes, 24);
  ASSERT_EQ(with_rule(skip.findings, "upgrade-skips-minor").size(), 1u);
  EXPECT_NE(with_rule(skip.findings, "upgrade-skips-minor")[0]->fix.find("1.22 -> 1.23 -> 1.24"),
            std::string::npos);
  // Within the policy: nothing about these nodes.
  auto ok = run(node("n1", "v1.21.9", "containerd://1.6.28"), 22);
  EXPECT_TRUE(ok.findings.empty());
}

TEST(UpgradeCheckTest, ATargetNotNewerThanTheControlPlaneIsNoUpgrade) {
  const std::string none = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
  auto down = run(none, 25, "v1.30.4");
  ASSERT_EQ(with_rule(down.findings, "upgrade-target-not-newer").size(), 1u);
  EXPECT_NE(with_rule(down.findings, "upgrade-target-not-newer")[0]->fix.find("--to 1.31"),
            std::string::npos);
  const Diagnosis same = run(none, 30, "v1.30.4");
  EXPECT_EQ(with_rule(same.findings, "upgrade-target-not-newer").size(), 1u);
  const Diagnosis next = run(none, 31, "v1.30.4");
  EXPECT_TRUE(with_rule(next.findings, "upgrade-target-not-newer").empty());
}

// Without the API server's version, the newest kubelet bounds the control plane's from below
// (no kubelet is newer than its API server): a target at or below it is no upgrade, and the
// report says the control plane's own step was judged from the kubelets only.
TEST(UpgradeCheckTest, WithoutTheServerVersionTheKubeletsBoundTheControlPlane) {
  auto node = [](std::string_view name, std::string_view kubelet, std::string_view ready = "True",
                 std::string_view labels = "{}") {
    return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
           ", labels: " + std::string(labels) + "}\nstatus: {conditions: [{type: Ready, status: '" +
           std::string(ready) + "'}], nodeInfo: {kubeletVersion: " + std::string(kubelet) +
           ", containerRuntimeVersion: 'containerd://1.6.28'}}\n";
  };
  auto no_version = [](const std::string& yaml, int target) {
    auto cluster = cluster_from({{"objects.yaml", yaml}});
    return check(*cluster, builtin_deprecated_apis(), target);
  };
  // A NotReady node and a virtual-kubelet node with newer versions do not count.
  const std::string nodes = node("n1", "v1.29.3") + node("n2", "v1.30.4") +
                            node("n3", "v1.33.1", "Unknown") +
                            node("vk", "v1.34.0", "True", "{type: virtual-kubelet}");
  const Diagnosis down = no_version(nodes, 25);
  auto f = with_rule(down.findings, "upgrade-target-not-newer");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->summary.find("at least 1.30 (node n2 runs kubelet v1.30.4"), std::string::npos)
      << f[0]->summary;
  EXPECT_NE(f[0]->fix.find("at least 1.31"), std::string::npos) << f[0]->fix;
  EXPECT_NE(down.input.scope.find("NO-GO"), std::string::npos) << down.input.scope;
  const Diagnosis same = no_version(nodes, 30);
  EXPECT_EQ(with_rule(same.findings, "upgrade-target-not-newer").size(), 1u);
  const Diagnosis up = no_version(nodes, 31);
  EXPECT_TRUE(with_rule(up.findings, "upgrade-target-not-newer").empty());
  ASSERT_EQ(up.input.notes.size(), 1u);
  EXPECT_NE(up.input.notes[0].find("the API server version is not in the input"),
            std::string::npos);
  // With the version: no such note.
  EXPECT_TRUE(run(nodes, 31, "v1.30.4").input.notes.empty());
}

TEST(UpgradeCheckTest, CsiAddOnsBlockOnNotReadyNodesAndASingleSchedulableNode) {
  auto node = [](std::string_view name, std::string_view ready, bool cordoned) {
    return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
           "}\nspec: {unschedulable: " + (cordoned ? "true" : "false") +
           "}\nstatus: {conditions: [{type: Ready, status: '" + std::string(ready) +
           "'}], nodeInfo: {kubeletVersion: v1.21.9}}\n";
  };
  const std::string csi =
      "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: csi-plugin, namespace: "
      "kube-system}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "
      "csi-provisioner, namespace: kube-system}\n";
  const auto bad = run(
      csi + node("a", "True", false) + node("b", "Unknown", false) + node("c", "True", true), 22);
  ASSERT_EQ(with_rule(bad.findings, "upgrade-csi-plugin-notready-nodes").size(), 1u);
  EXPECT_EQ(with_rule(bad.findings, "upgrade-csi-plugin-notready-nodes")[0]->evidence[0].object,
            "node/b");
  EXPECT_EQ(with_rule(bad.findings, "upgrade-csi-provisioner-one-node").size(), 1u)
      << "a is the only Ready, schedulable node";
  const auto good = run(csi + node("a", "True", false) + node("b", "True", false), 22);
  EXPECT_TRUE(with_rule(good.findings, "upgrade-csi-plugin-notready-nodes").empty());
  EXPECT_TRUE(with_rule(good.findings, "upgrade-csi-provisioner-one-node").empty());
  const auto no_csi = run(node("a", "Unknown", false), 22);
  EXPECT_TRUE(with_rule(no_csi.findings, "upgrade-csi-plugin-notready-nodes").empty());
}

TEST(UpgradeCheckTest, PdbWithNoDisruptionAllowedWarnsOfHangingDrains) {
  const std::string pdb =
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db, namespace: shop}\n"
      "spec: {minAvailable: 1}\nstatus: {disruptionsAllowed: __N__, currentHealthy: 1, "
      "desiredHealthy: 1, expectedPods: 1}\n";
  std::string blocked = pdb;
  blocked.replace(blocked.find("__N__"), 5, "0");
  auto d = run(blocked, 22);
  ASSERT_EQ(with_rule(d.findings, "upgrade-pdb-blocks-drain").size(), 1u);
  EXPECT_EQ(with_rule(d.findings, "upgrade-pdb-blocks-drain")[0]->severity, Severity::kWarning);
  std::string free = pdb;
  free.replace(free.find("__N__"), 5, "1");
  EXPECT_TRUE(run(free, 22).findings.empty());
}

TEST(UpgradeCheckTest, WhatControllersWriteIsNotTheUsersToMove) {
  auto svc = [](std::string_view selector) {
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: "
           "{selector: " +
           std::string(selector) +
           "}\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: "
           "db, namespace: shop}\nsubsets: []\n";
  };
  // Endpoints of a selector Service are the endpoints controller's: nothing to do.
  EXPECT_TRUE(run(svc("{app: db}"), 33, "v1.32.1").findings.empty());
  // Hand-written Endpoints (a Service without selector): the user's, deprecated since 1.33.
  auto manual = run(svc("{}"), 33, "v1.32.1");
  EXPECT_EQ(with_rule(manual.findings, "upgrade-deprecated-api").size(), 1u);
}

// A client that still writes the object at a removed version: the object reads as
// networking.k8s.io/v1, but managedFields say kubectl-client-side-apply wrote extensions/v1beta1.
const std::string kManagedIngress =
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n"
    "  managedFields:\n"
    "  - {apiVersion: extensions/v1beta1, manager: kubectl-client-side-apply, operation: Update,\n"
    "     fieldsType: FieldsV1, fieldsV1: {f:spec: {f:backend: {}}}}\n"
    "  - {apiVersion: networking.k8s.io/v1, manager: nginx-ingress-controller, operation: Update,\n"
    "     subresource: status}\n"
    "spec: {}\n";

TEST(UpgradeCheckTest, ManagedFieldsNameTheClientStillWritingAnOldVersion) {
  auto d = run(kManagedIngress, 22);
  auto r = with_rule(d.findings, "upgrade-removed-api");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_NE(r[0]->summary.find("extensions/v1beta1 in its managedFields (manager "
                               "\"kubectl-client-side-apply\", Update)"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->id.find("#managed:kubectl-client-side-apply"), std::string::npos);
  EXPECT_NE(r[0]->fix.find("kubectl-client-side-apply"), std::string::npos) << r[0]->fix;
  ASSERT_FALSE(r[0]->evidence.empty());
  EXPECT_EQ(r[0]->evidence[0].path,
            ".metadata.managedFields[manager=kubectl-client-side-apply].apiVersion");
  // Before the removal release: deprecated only, a warning.
  auto before = run(kManagedIngress, 21, "v1.20.4");
  EXPECT_TRUE(with_rule(before.findings, "upgrade-removed-api").empty());
  EXPECT_EQ(with_rule(before.findings, "upgrade-deprecated-api").size(), 1u);
  // At 1.16 the writer's replacement is not served yet: no advice to apply it now.
  auto early = run(kManagedIngress, 16, "v1.15.12");
  auto dep = with_rule(early.findings, "upgrade-deprecated-api");
  ASSERT_EQ(dep.size(), 1u);
  EXPECT_EQ(dep[0]->fix.rfind("Nothing to change for 1.16", 0), 0u) << dep[0]->fix;
  EXPECT_NE(dep[0]->fix.find("manager \"kubectl-client-side-apply\""), std::string::npos)
      << dep[0]->fix;
}

TEST(UpgradeCheckTest, ManagedFieldsAtAnAlreadyReportedVersionAddEvidenceNotAFinding) {
  const std::string json =
      "{\"apiVersion\": \"extensions/v1beta1\", \"kind\": \"Ingress\", \"metadata\": {\"name\": "
      "\"web\", \"namespace\": \"shop\", \"managedFields\": [{\"apiVersion\": "
      "\"extensions/v1beta1\", \"manager\": \"helm\", \"operation\": \"Update\", \"fieldsV1\": "
      "{\"f:spec\": {}}}, {\"apiVersion\": \"extensions/v1beta1\", \"manager\": \"helm\", "
      "\"operation\": \"Update\"}]}, \"spec\": {}}";
  auto cluster = cluster_from({{"ingress.json", json}});
  Diagnosis d = check(*cluster, builtin_deprecated_apis(), 22);
  auto r = with_rule(d.findings, "upgrade-removed-api");
  ASSERT_EQ(r.size(), 1u);
  int notes = 0;
  for (const Evidence& e : r[0]->evidence)
    notes += e.value.find("manager \"helm\" (Update) writes it at extensions/v1beta1") !=
             std::string::npos;
  EXPECT_EQ(notes, 1);  // two identical entries, deduplicated at load
}

}  // namespace
}  // namespace ktriage::upgrade
