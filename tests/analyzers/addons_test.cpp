// Add-ons and control plane: webhooks, APIServices, CoreDNS, control-plane pods, the CNI daemon
// and the sandbox failures it causes on its node.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string pod(std::string_view ns, std::string_view name, std::string_view labels, bool ready,
                std::string_view node = "n1", std::string_view extra_status = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + ", uid: u-" + std::string(name) +
         ", labels: " + std::string(labels) + "}\nspec: {nodeName: " + std::string(node) +
         ", containers: [{name: c, image: x}]}\nstatus:\n  phase: " +
         (ready ? "Running" : "Pending") + "\n  conditions: [{type: Ready, status: \"" +
         (ready ? "True" : "False") + "\"}]\n" + std::string(extra_status);
}

std::string service(std::string_view ns, std::string_view name, std::string_view selector) {
  return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + "}\nspec: {selector: " + std::string(selector) +
         ", ports: [{port: 443, targetPort: 8443}]}\n";
}

const std::string kWebhookConfig = R"(---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: gatekeeper-validating}
webhooks:
- name: validation.gatekeeper.sh
  clientConfig:
    service: {namespace: gatekeeper-system, name: gatekeeper-webhook, port: 443}
  rules: [{operations: [CREATE], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"]}]
)";

const std::string kFailedCreate = R"(---
apiVersion: v1
kind: ReplicaSet
metadata: {name: web-6d4f, namespace: shop, uid: rs1}
spec: {replicas: 2}
status: {replicas: 0}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: ReplicaSet, name: web-6d4f, namespace: shop, uid: rs1}
reason: FailedCreate
type: Warning
count: 12
lastTimestamp: "2026-11-29T10:00:00Z"
source: {component: replicaset-controller}
message: 'Error creating: Internal error occurred: failed calling webhook "validation.gatekeeper.sh": failed to call webhook: Post "https://gatekeeper-webhook.gatekeeper-system.svc:443/v1/admit?timeout=3s": no endpoints available for service "gatekeeper-webhook"'
)";

TEST(AddonsTest, WebhookWithoutEndpointsIsTheRootOfFailedCreatesEverywhere) {
  auto c = cluster_from_yaml(kWebhookConfig +
                             service("gatekeeper-system", "gatekeeper-webhook", "{app: gk}") +
                             pod("gatekeeper-system", "gk-1", "{app: gk}", false) + kFailedCreate);
  auto f = diagnose(*c);
  auto r = with_rule(f, "webhook-backend-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "CP-ADMISSION-WEBHOOK-CALL-FAILED");
  EXPECT_NE(r[0]->summary.find("(1 objects' events show it)"), std::string::npos) << r[0]->summary;
  EXPECT_NE(r[0]->fix.find("kubectl delete validatingwebhookconfiguration gatekeeper-validating"),
            std::string::npos);
  // The ReplicaSet's FailedCreate (whatever rule reports it) hangs under the webhook.
  bool linked = false;
  for (const Finding& x : f) {
    if (x.object.kind != "ReplicaSet") continue;
    for (const std::string& id : x.caused_by) linked = linked || id == r[0]->id;
  }
  EXPECT_TRUE(linked);
}

TEST(AddonsTest, WebhookWithReadyBackendOrIgnorePolicyIsFine) {
  auto healthy = diagnose(*cluster_from_yaml(
      kWebhookConfig + service("gatekeeper-system", "gatekeeper-webhook", "{app: gk}") +
      pod("gatekeeper-system", "gk-1", "{app: gk}", true)));
  EXPECT_TRUE(with_rule(healthy, "webhook-backend-unavailable").empty());
  std::string ignore = kWebhookConfig;
  ignore.replace(ignore.find("  rules:"), 0, "  failurePolicy: Ignore\n");
  auto ignored = diagnose(
      *cluster_from_yaml(ignore + service("gatekeeper-system", "gatekeeper-webhook", "{app: gk}") +
                         pod("gatekeeper-system", "gk-1", "{app: gk}", false)));
  EXPECT_TRUE(with_rule(ignored, "webhook-backend-unavailable").empty());
}

const std::string kApiService = R"(---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec: {group: metrics.k8s.io, version: v1beta1, service: {namespace: kube-system, name: metrics-server}}
status:
  conditions:
  - type: Available
    status: "__STATUS__"
    reason: MissingEndpoints
    message: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"
---
apiVersion: v1
kind: Namespace
metadata: {name: old-team}
status:
  phase: Terminating
  conditions:
  - type: NamespaceDeletionDiscoveryFailure
    status: "True"
    reason: DiscoveryFailed
    message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request'
)";

TEST(AddonsTest, UnavailableApiServiceNamesTheNamespacesItHolds) {
  std::string yaml = kApiService;
  yaml.replace(yaml.find("__STATUS__"), 10, "False");
  auto f = diagnose(*cluster_from_yaml(yaml));
  auto r = with_rule(f, "apiservice-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "CP-APISERVICE-UNAVAILABLE");
  bool ns = false;
  for (const Evidence& e : r[0]->evidence) ns = ns || e.object == "namespace/old-team";
  EXPECT_TRUE(ns);
  EXPECT_NE(r[0]->fix.find("kubectl delete apiservice v1beta1.metrics.k8s.io"), std::string::npos);
  std::string ok = kApiService;
  ok.replace(ok.find("__STATUS__"), 10, "True");
  auto fine = diagnose(*cluster_from_yaml(ok));
  EXPECT_TRUE(with_rule(fine, "apiservice-unavailable").empty());
}

TEST(AddonsTest, CoreDnsWithNoReadyPodIsClusterWideAndUnderThePodCause) {
  const std::string waiting =
      "  containerStatuses: [{name: c, ready: false, restartCount: 0, state: {waiting: {reason: "
      "ImagePullBackOff, message: 'Back-off pulling image "
      "\"registry.example.com/coredns:v9\"'}}}]\n";
  auto f = diagnose(*cluster_from_yaml(
      pod("kube-system", "coredns-1", "{k8s-app: kube-dns}", false, "n1", waiting) +
      pod("kube-system", "coredns-2", "{k8s-app: kube-dns}", false, "n2", waiting)));
  auto r = with_rule(f, "coredns-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "DNS-COREDNS-UNAVAILABLE");
  EXPECT_FALSE(r[0]->caused_by.empty()) << "should hang under the CoreDNS pods' image finding";
  // One Ready replica keeps DNS up.
  auto up =
      diagnose(*cluster_from_yaml(pod("kube-system", "coredns-1", "{k8s-app: kube-dns}", true) +
                                  pod("kube-system", "coredns-2", "{k8s-app: kube-dns}", false)));
  EXPECT_TRUE(with_rule(up, "coredns-unavailable").empty());
}

TEST(AddonsTest, ControlPlanePodNotReadyAndUnhealthyComponentStatus) {
  auto f = diagnose(*cluster_from_yaml(
      pod("kube-system", "kube-scheduler-m1", "{component: kube-scheduler, tier: control-plane}",
          false, "m1") +
      "---\napiVersion: v1\nkind: ComponentStatus\nmetadata: {name: etcd-0}\nconditions:\n- type: "
      "Healthy\n  status: \"False\"\n  error: 'Get \"https://127.0.0.1:2379/health\": dial tcp "
      "127.0.0.1:2379: connect: connection refused'\n"));
  auto r = with_rule(f, "control-plane-component-unhealthy");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]->catalog, "CP-COMPONENT-UNHEALTHY");
  auto fine = diagnose(*cluster_from_yaml(
      pod("kube-system", "kube-scheduler-m1", "{component: kube-scheduler}", true, "m1") +
      "---\napiVersion: v1\nkind: ComponentStatus\nmetadata: {name: etcd-0}\nconditions:\n- type: "
      "Healthy\n  status: \"True\"\n"));
  EXPECT_TRUE(with_rule(fine, "control-plane-component-unhealthy").empty());
}

std::string sandbox_event(std::string_view pod_name) {
  return "---\napiVersion: v1\nkind: Event\nmetadata: {name: ev-" + std::string(pod_name) +
         ", namespace: shop}\ninvolvedObject: {kind: Pod, name: " + std::string(pod_name) +
         ", namespace: shop, uid: u-" + std::string(pod_name) +
         "}\nreason: FailedCreatePodSandBox\ntype: Warning\ncount: 9\nlastTimestamp: "
         "\"2026-11-29T10:00:00Z\"\nsource: {component: kubelet}\nmessage: 'Failed to create pod "
         "sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "
         "\"3f2a\": plugin type=\"terway\" failed (add): dial unix "
         "/var/run/eni/eni.socket: connect: no such file or directory'\n";
}

TEST(AddonsTest, TerwayDownOnANodeExplainsEverySandboxFailureThere) {
  const std::string crash =
      "  containerStatuses: [{name: c, ready: false, restartCount: 7, state: {waiting: {reason: "
      "CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, reason: Error}}}]\n";
  auto f = diagnose(*cluster_from_yaml(
      pod("kube-system", "terway-eniip-x7k2p", "{app: terway-eniip}", false, "n1", crash) +
      pod("shop", "web-1", "{app: web}", false, "n1") + sandbox_event("web-1") +
      pod("shop", "api-1", "{app: api}", false, "n1") + sandbox_event("api-1") +
      pod("shop", "db-1", "{app: db}", false, "n2") + sandbox_event("db-1")));
  auto terway = with_rule(f, "cni-terway-unavailable");
  ASSERT_EQ(terway.size(), 1u);
  EXPECT_EQ(terway[0]->catalog, "NET-TERWAY-DAEMON-UNAVAILABLE");
  auto sandbox = with_rule(f, "sandbox-cni-failed");
  ASSERT_EQ(sandbox.size(), 3u);
  for (const Finding* s : sandbox) {
    EXPECT_EQ(s->catalog, "POD-WAITING-SANDBOX-CNI-FAILED");
    const bool on_n1 = s->object.name != "db-1";
    const bool linked =
        std::find(s->caused_by.begin(), s->caused_by.end(), terway[0]->id) != s->caused_by.end();
    EXPECT_EQ(linked, on_n1) << s->object.name;
  }
  // A Ready Terway: no Terway finding, and the sandbox failures stand as their own roots.
  auto ready = diagnose(*cluster_from_yaml(
      pod("kube-system", "terway-eniip-x7k2p", "{app: terway-eniip}", true, "n1") +
      pod("shop", "web-1", "{app: web}", false, "n1") + sandbox_event("web-1")));
  EXPECT_TRUE(with_rule(ready, "cni-terway-unavailable").empty());
  auto alone = with_rule(ready, "sandbox-cni-failed");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_TRUE(alone[0]->caused_by.empty());
}

}  // namespace
}  // namespace ktriage
