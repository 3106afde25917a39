// kube-system DaemonSets missing from nodes whose taints their pods do not tolerate.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string node(std::string_view name, std::string_view taints = "[]",
                 std::string_view labels = "{}") {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
         ", labels: " + std::string(labels) + "}\nspec: {taints: " + std::string(taints) +
         "}\nstatus: {conditions: [{type: Ready, status: 'True'}]}\n";
}

std::string daemonset(std::string_view name, std::string_view pod_spec_extra = "") {
  return "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: " + std::string(name) +
         ", namespace: kube-system, uid: ds-" + std::string(name) +
         "}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n" +
         std::string(pod_spec_extra) + "status: {desiredNumberScheduled: 1, numberReady: 1}\n";
}

std::string ds_pod(std::string_view ds, std::string_view node_name) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(ds) + "-" +
         std::string(node_name) +
         ", namespace: kube-system, ownerReferences: [{apiVersion: "
         "apps/v1, kind: DaemonSet, name: " +
         std::string(ds) + ", uid: ds-" + std::string(ds) +
         ", controller: true}]}\nspec: {nodeName: " + std::string(node_name) +
         ", containers: [{name: c, image: x}]}\nstatus: {phase: Running}\n";
}

const std::string kGpuTaint = "[{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]";

TEST(DaemonSetsTest, CniDaemonSetNotToleratingAGpuTaintLeavesThatNodeWithoutNetwork) {
  auto f = diagnose(*cluster_from_yaml(node("n1") + node("gpu-1", kGpuTaint) +
                                       daemonset("terway-eniip") + ds_pod("terway-eniip", "n1")));
  auto r = with_rule(f, "daemonset-missing-on-nodes");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_EQ(r[0]->object.key(), "DaemonSet/kube-system/terway-eniip");
  EXPECT_NE(r[0]->summary.find("does not run on 1 node (gpu-1): taint nvidia.com/gpu=true:"
                               "NoSchedule is not tolerated, so pods there get no network"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->fix.find("\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\""), std::string::npos)
      << r[0]->fix;
}

TEST(DaemonSetsTest, ToleratedOrExcludedOnPurposeOrAutomaticTaintsAreFine) {
  const std::string pods = ds_pod("kube-proxy-worker", "n1");
  // Tolerates everything.
  auto all = diagnose(*cluster_from_yaml(
      node("n1") + node("gpu-1", kGpuTaint) +
      daemonset("kube-proxy-worker", "      tolerations: [{operator: Exists}]\n") + pods));
  EXPECT_TRUE(with_rule(all, "daemonset-missing-on-nodes").empty());
  // A nodeSelector that leaves the node out is a choice, not a gap.
  auto selected = diagnose(*cluster_from_yaml(
      node("n1", "[]", "{pool: general}") + node("gpu-1", kGpuTaint, "{pool: gpu}") +
      daemonset("kube-proxy-worker", "      nodeSelector: {pool: general}\n") + pods));
  EXPECT_TRUE(with_rule(selected, "daemonset-missing-on-nodes").empty());
  // The DaemonSet controller tolerates the node condition taints itself.
  auto cordoned = diagnose(*cluster_from_yaml(
      node("n1") + node("n2", "[{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]") +
      daemonset("kube-proxy-worker") + pods));
  EXPECT_TRUE(with_rule(cordoned, "daemonset-missing-on-nodes").empty());
}

TEST(DaemonSetsTest, AnUnknownAddOnIsInfo) {
  auto f = diagnose(*cluster_from_yaml(node("n1") + node("gpu-1", kGpuTaint) +
                                       daemonset("node-exporter") + ds_pod("node-exporter", "n1")));
  auto r = with_rule(f, "daemonset-missing-on-nodes");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kInfo);
}

TEST(DaemonSetsTest, ControlPlaneTaintsAndAMissingTolerationList) {
  // Control-plane nodes are left out on purpose.
  auto cp = diagnose(*cluster_from_yaml(
      node("n1") +
      node("m1", "[{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]") +
      daemonset("csi-plugin") + ds_pod("csi-plugin", "n1")));
  EXPECT_TRUE(with_rule(cp, "daemonset-missing-on-nodes").empty());
  // Without a tolerations list the fix adds the list (a JSON-patch append needs one).
  auto f = diagnose(*cluster_from_yaml(node("n1") + node("gpu-1", kGpuTaint) +
                                       daemonset("csi-plugin") + ds_pod("csi-plugin", "n1")));
  auto r = with_rule(f, "daemonset-missing-on-nodes");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->fix.find("\"path\":\"/spec/template/spec/tolerations\",\"value\":[{"),
            std::string::npos)
      << r[0]->fix;
}

}  // namespace
}  // namespace ktriage
