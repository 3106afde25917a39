// The cross-layer chain of a lost node: node NotReady -> its pods stale -> the Deployment
// unavailable, the Service without ready endpoints and the Ingress's 503 in front of it, as one
// tree rooted at the node.
#include "correlate/nodes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-12-01T08:30:00Z");

std::string node(std::string_view name, std::string_view ready) {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) + ", uid: n-" +
         std::string(name) + "}\nstatus:\n  conditions:\n  - " + std::string(ready) + "\n";
}

const std::string kLost =
    "{type: Ready, status: Unknown, reason: NodeStatusUnknown, message: 'Kubelet stopped posting "
    "node status.', lastHeartbeatTime: '2026-12-01T08:25:30Z', lastTransitionTime: "
    "'2026-12-01T08:26:10Z'}";
const std::string kReady =
    "{type: Ready, status: 'True', reason: KubeletReady, message: 'kubelet is posting ready "
    "status', lastHeartbeatTime: '2026-12-01T08:29:00Z'}";

std::string pod(std::string_view name, std::string_view node_name, std::string_view extra = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + std::string(name) +
         "\n  namespace: shop\n  uid: p-" + std::string(name) +
         "\n  labels: {app: catalog}\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, "
         "name: catalog-5d8, uid: rs-catalog, controller: true}]\n" +
         std::string(extra) + "spec:\n  nodeName: " + std::string(node_name) +
         "\n  containers: [{name: app, image: shop/catalog:1, ports: [{containerPort: 8080}]}]\n"
         "status:\n  phase: Running\n  conditions: [{type: Ready, status: 'False'}]\n"
         "  containerStatuses: [{name: app, ready: true, restartCount: 0, state: {running: "
         "{startedAt: '2026-12-01T07:00:00Z'}}}]\n";
}

const std::string kWorkload =
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: catalog, namespace: shop, uid: "
    "d-catalog}\nspec: {replicas: 2, selector: {matchLabels: {app: catalog}}}\nstatus: "
    "{replicas: 2, unavailableReplicas: 2}\n"
    "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: catalog-5d8\n  namespace: "
    "shop\n  uid: rs-catalog\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: "
    "catalog, uid: d-catalog, controller: true}]\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: catalog, namespace: shop, uid: "
    "s-catalog}\nspec:\n  selector: {app: catalog}\n  ports: [{port: 80, targetPort: 8080}]\n";

const std::string kIngress =
    "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: "
    "shop, uid: i-shop}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /catalog\n"
    "        pathType: Prefix\n        backend: {service: {name: catalog, port: {number: 80}}}\n"
    "status: {loadBalancer: {ingress: [{ip: 47.98.1.2}]}}\n";

TEST(NodeCorrelationTest, LostNodeIsTheRootOfPodsDeploymentServiceAndIngress) {
  auto findings =
      diagnose(*cluster_from_yaml(node("n2", kLost) + kWorkload + kIngress +
                                      pod("catalog-5d8-a", "n2") + pod("catalog-5d8-b", "n2"),
                                  kNow));
  auto nodef = with_rule(findings, "node-kubelet-stopped-posting");
  auto pods = with_rule(findings, "pod-node-unreachable");
  auto svc = with_rule(findings, "svc-no-ready-endpoints");
  auto deploy = with_rule(findings, "workload-unhealthy");
  ASSERT_EQ(nodef.size(), 1u);
  ASSERT_EQ(pods.size(), 1u);  // both pods of the ReplicaSet fold into one finding
  EXPECT_EQ(pods[0]->also_affects.size(), 1u);
  EXPECT_EQ(pods[0]->caused_by, std::vector<std::string>{nodef[0]->id});
  ASSERT_EQ(svc.size(), 1u);
  EXPECT_EQ(svc[0]->caused_by, std::vector<std::string>{pods[0]->id});
  ASSERT_EQ(deploy.size(), 1u);
  EXPECT_EQ(deploy[0]->caused_by, std::vector<std::string>{pods[0]->id});
  // The Ingress answers 503 for /catalog: a symptom of the Service, so of the node.
  auto ingress = with_rule(findings, "ingress-backend-no-ready-endpoints");
  ASSERT_EQ(ingress.size(), 1u);
  EXPECT_EQ(ingress[0]->caused_by, std::vector<std::string>{svc[0]->id});
  // The node is the only root and comes first.
  std::size_t roots = 0;
  for (const Finding& f : findings) roots += f.caused_by.empty() ? 1 : 0;
  EXPECT_EQ(roots, 1u);
  EXPECT_EQ(findings.front().id, nodef[0]->id);
}

TEST(NodeCorrelationTest, OneFaultOnSeveralNodesIsOneRootAndTheirPodsFollowIt) {
  auto findings =
      diagnose(*cluster_from_yaml(node("n1", kLost) + node("n2", kLost) + kWorkload +
                                      pod("catalog-5d8-a", "n1") + pod("catalog-5d8-b", "n2"),
                                  kNow));
  auto nodef = with_rule(findings, "node-kubelet-stopped-posting");
  ASSERT_EQ(nodef.size(), 1u);
  EXPECT_EQ(nodef[0]->object.name, "n1");
  ASSERT_EQ(nodef[0]->also_affects.size(), 1u);
  EXPECT_EQ(nodef[0]->also_affects[0].name, "n2");
  EXPECT_NE(nodef[0]->summary.find("(and 1 more node)"), std::string::npos) << nodef[0]->summary;
  for (const Finding* p : with_rule(findings, "pod-node-unreachable"))
    EXPECT_EQ(p->caused_by, std::vector<std::string>{nodef[0]->id});
  std::size_t roots = 0;
  for (const Finding& f : findings) roots += f.caused_by.empty() ? 1 : 0;
  EXPECT_EQ(roots, 1u);
}

TEST(NodeCorrelationTest, StuckPodOnHealthyNodeIsNotLinkedAndDoesNotFailItsWorkload) {
  const std::string deleting =
      "  deletionTimestamp: '2026-12-01T07:00:00Z'\n  finalizers: [example.com/cleanup]\n";
  auto findings = diagnose(*cluster_from_yaml(
      node("n1", kReady) + kWorkload + pod("catalog-5d8-a", "n1", deleting), kNow));
  auto stuck = with_rule(findings, "pod-stuck-terminating");
  ASSERT_EQ(stuck.size(), 1u);
  EXPECT_TRUE(stuck[0]->caused_by.empty());
  // A pod being deleted is not counted by its ReplicaSet: no workload symptom from it.
  EXPECT_TRUE(with_rule(findings, "workload-unhealthy").empty());
}

TEST(NodeCorrelationTest, LinksOnlyPodsOfTheDownNode) {
  std::vector<Finding> findings(2);
  findings[0].id = "node:n2";
  findings[0].catalog = "NODE-NOT-READY-PLEG";
  findings[0].object = ObjectRef{"Node", "", "n2", ""};
  findings[1].id = "pod:a";
  findings[1].catalog = "POD-STUCK-TERMINATING";
  findings[1].object = ObjectRef{"Pod", "shop", "catalog-5d8-a", ""};
  auto on_n1 = cluster_from_yaml(pod("catalog-5d8-a", "n1"), kNow);
  link_pods_to_nodes(*on_n1, findings);
  EXPECT_TRUE(findings[1].caused_by.empty());
  auto on_n2 = cluster_from_yaml(pod("catalog-5d8-a", "n2"), kNow);
  link_pods_to_nodes(*on_n2, findings);
  EXPECT_EQ(findings[1].caused_by, std::vector<std::string>{"node:n2"});
}

}  // namespace
}  // namespace ktriage
