// Ingress: backend Service and port references, class, ALB controller events, and the 503 of a
// backend Service without ready endpoints.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string ingress(std::string_view ns, std::string_view backend, std::string_view extra_spec = "",
                    std::string_view status = "{loadBalancer: {ingress: [{ip: 47.98.1.2}]}}") {
  return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: " +
         std::string(ns) + "}\nspec:\n" + std::string(extra_spec) +
         "  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
         "        pathType: Prefix\n        backend: " +
         std::string(backend) + "\nstatus: " + std::string(status) + "\n";
}

std::string service(std::string_view ns, std::string_view name,
                    std::string_view ports = "[{name: http, port: 80, targetPort: 8080}]") {
  return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) +
         "}\nspec: {type: ClusterIP, ports: " + std::string(ports) + "}\n";
}

// How many findings of `rule` a snapshot gets.
std::size_t count_rule(const std::string& yaml, std::string_view rule) {
  auto findings = diagnose(*cluster_from_yaml(yaml));
  return with_rule(findings, rule).size();
}

const std::string kV1Backend = "{service: {name: web, port: {number: 80}}}";

TEST(IngressTest, BackendServiceInAnotherNamespaceIsNamedWithTheControllerLog) {
  auto c = cluster_from(
      {{"ing.yaml", ingress("ingress-nginx", kV1Backend) + service("shop", "web")},
       {"logs/ingress-nginx/ingress-nginx-controller-1/controller.log",
        "I0619 07:49:51.166800 6 status.go:86] new leader elected\n"
        "W0619 07:51:29.429757 6 controller.go:822] Error obtaining Endpoints for Service "
        "\"ingress-nginx/web\": no object matching key \"ingress-nginx/web\" in local store\n"}});
  auto f = diagnose(*c);
  auto r = with_rule(f, "ingress-backend-service-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "INGRESS-BACKEND-SERVICE-NOT-FOUND");
  EXPECT_EQ(r[0]->object.key(), "Ingress/ingress-nginx/web");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_NE(r[0]->summary.find("(it exists in shop)"), std::string::npos) << r[0]->summary;
  bool log = false;
  for (const Evidence& e : r[0]->evidence) {
    log = log || (e.kind == Evidence::Kind::kLog && e.line == 2 &&
                  e.value.find("Error obtaining Endpoints") != std::string::npos);
  }
  EXPECT_TRUE(log);
  EXPECT_NE(r[0]->fix.find("set metadata.namespace: shop"), std::string::npos) << r[0]->fix;
}

TEST(IngressTest, BetaBackendToAMissingServiceAndNoVerdictWithoutServices) {
  const std::string beta =
      "---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old, namespace: shop}\n"
      "spec:\n  backend: {serviceName: legacy, servicePort: 8080}\n";
  // No Service at all in the snapshot: it may simply not have been collected.
  EXPECT_TRUE(count_rule(beta, "ingress-backend-service-not-found") == 0);
  auto f = diagnose(*cluster_from_yaml(beta + service("shop", "web")));
  auto r = with_rule(f, "ingress-backend-service-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("its default backend"), std::string::npos);
  EXPECT_NE(r[0]->fix.find("Create Service legacy in namespace shop"), std::string::npos);
}

TEST(IngressTest, ExistingServiceAndPortAreFine) {
  for (const std::string backend :
       {kV1Backend, std::string("{service: {name: web, port: {name: http}}}"),
        // ingress-nginx also accepts the targetPort
        std::string("{service: {name: web, port: {number: 8080}}}")}) {
    auto f = diagnose(*cluster_from_yaml(ingress("shop", backend) + service("shop", "web")));
    EXPECT_TRUE(with_rule(f, "ingress-backend-service-not-found").empty()) << backend;
    EXPECT_TRUE(with_rule(f, "ingress-backend-port-not-found").empty()) << backend;
  }
}

TEST(IngressTest, PortNameTheServiceDoesNotDefineIsReported) {
  auto f = diagnose(*cluster_from_yaml(
      ingress("shop", "{service: {name: web, port: {name: https}}}") + service("shop", "web")));
  auto r = with_rule(f, "ingress-backend-port-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "INGRESS-BACKEND-SERVICE-PORT-NOT-FOUND");
  EXPECT_NE(r[0]->fix.find("http (80)"), std::string::npos) << r[0]->fix;
}

TEST(IngressTest, ClassThatDoesNotExistLeavesTheIngressWithoutAddress) {
  const std::string cls =
      "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\n"
      "spec: {controller: k8s.io/ingress-nginx}\n";
  auto f =
      diagnose(*cluster_from_yaml(ingress("shop", kV1Backend, "  ingressClassName: ngnix\n", "{}") +
                                  service("shop", "web") + cls));
  auto r = with_rule(f, "ingress-class-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "INGRESS-NOT-PICKED-UP");
  EXPECT_NE(r[0]->fix.find("nginx (k8s.io/ingress-nginx)"), std::string::npos);
  // The right class, an address, or no IngressClass in the snapshot: nothing.
  EXPECT_TRUE(count_rule(ingress("shop", kV1Backend, "  ingressClassName: nginx\n", "{}") +
                             service("shop", "web") + cls,
                         "ingress-class-not-found") == 0);
  EXPECT_TRUE(count_rule(ingress("shop", kV1Backend, "  ingressClassName: ngnix\n") +
                             service("shop", "web") + cls,
                         "ingress-class-not-found") == 0);
  EXPECT_TRUE(count_rule(ingress("shop", kV1Backend, "  ingressClassName: ngnix\n", "{}") +
                             service("shop", "web"),
                         "ingress-class-not-found") == 0);
}

TEST(IngressTest, AlbBuildFailureEventIsReported) {
  const std::string event =
      "---\napiVersion: v1\nkind: Event\nmetadata: {name: e1, namespace: shop}\n"
      "involvedObject: {kind: Ingress, name: web, namespace: shop}\nreason: FailedBuildModel\n"
      "type: Warning\ncount: 4\nlastTimestamp: \"2026-11-29T10:00:00Z\"\n"
      "message: 'build model failed: invalid annotation "
      "alb.ingress.kubernetes.io/healthcheck-path'\n";
  auto f =
      diagnose(*cluster_from_yaml(ingress("shop", kV1Backend) + service("shop", "web") + event));
  auto r = with_rule(f, "ingress-alb-reconcile-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "INGRESS-ALB-RECONCILE-FAILED");
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  // A Normal SuccessfullyReconciled event is no fault.
  auto ok = diagnose(
      *cluster_from_yaml(ingress("shop", kV1Backend) + service("shop", "web") +
                         "---\napiVersion: v1\nkind: Event\nmetadata: {name: e2, namespace: shop}\n"
                         "involvedObject: {kind: Ingress, name: web, namespace: shop}\nreason: "
                         "SuccessfullyReconciled\n"
                         "type: Normal\nmessage: ok\n"));
  EXPECT_TRUE(with_rule(ok, "ingress-alb-reconcile-failed").empty());
}

TEST(IngressTest, BackendWithoutReadyEndpointsIsASymptomOfTheServiceFinding) {
  const std::string pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: shop, uid: u1, labels: "
      "{app: web}}\n"
      "spec: {nodeName: n1, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}\n"
      "status:\n  phase: Running\n  conditions: [{type: Ready, status: \"False\"}]\n"
      "  containerStatuses: [{name: app, ready: false, restartCount: 0, state: {running: {}}}]\n";
  const std::string svc =
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
      "spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n";
  auto c = cluster_from(
      {{"all.yaml", ingress("shop", kV1Backend) + svc + pod},
       {"logs/kube-system/nginx-ingress-controller-1/controller.log",
        "W1129 10:40:25.817729 7 controller.go:1214] Service \"shop/web\" does not have any active "
        "Endpoint.\n"}});
  auto f = diagnose(*c);
  auto r = with_rule(f, "ingress-backend-no-ready-endpoints");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "INGRESS-NGINX-NO-ACTIVE-ENDPOINT");
  auto svc_findings = with_rule(f, "svc-no-ready-endpoints");
  ASSERT_EQ(svc_findings.size(), 1u);
  ASSERT_EQ(r[0]->caused_by.size(), 1u);
  EXPECT_EQ(r[0]->caused_by[0], svc_findings[0]->id);
  bool log = false;
  for (const Evidence& e : r[0]->evidence) log = log || e.kind == Evidence::Kind::kLog;
  EXPECT_TRUE(log);
  // The same Ingress in front of a healthy Service: nothing.
  const std::string ready_pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: shop, uid: u1, labels: "
      "{app: web}}\n"
      "spec: {nodeName: n1, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}\n"
      "status:\n  phase: Running\n  conditions: [{type: Ready, status: \"True\"}]\n"
      "  containerStatuses: [{name: app, ready: true, restartCount: 0, state: {running: {}}}]\n";
  auto healthy = diagnose(*cluster_from_yaml(ingress("shop", kV1Backend) + svc + ready_pod));
  EXPECT_TRUE(with_rule(healthy, "ingress-backend-no-ready-endpoints").empty());
}

std::string secret(std::string_view name, std::string_view type, std::string_view data,
                   std::string_view ns = "shop", std::string_view annotations = "{}") {
  return "---\napiVersion: v1\nkind: Secret\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + ", annotations: " + std::string(annotations) +
         "}\ntype: " + std::string(type) + "\ndata: " + std::string(data) + "\n";
}

const std::string kTls = "  tls:\n  - hosts: [shop.example.com]\n    secretName: web-tls\n";

TEST(IngressTest, TlsSecretMissingOrWithoutCertificateIsReported) {
  const std::string base = ingress("shop", kV1Backend, kTls) + service("shop", "web");
  // Missing here, present in another namespace; cert-manager's Certificate has not issued it.
  auto missing = diagnose(*cluster_from_yaml(
      base + secret("web-tls", "kubernetes.io/tls", "{tls.crt: eA==, tls.key: eA==}", "prod") +
      secret("db-password", "Opaque", "{password: eA==}") +
      "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: "
      "shop}\nspec: {secretName: web-tls}\n"));
  auto r = with_rule(missing, "ingress-tls-secret-invalid");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("does not exist in namespace shop (it exists in prod)"),
            std::string::npos)
      << r[0]->summary;
  bool cert = false;
  for (const Evidence& e : r[0]->evidence) cert |= e.value.find("certificate/web") == 0;
  EXPECT_TRUE(cert);
  EXPECT_NE(r[0]->fix.find("kubectl -n shop create secret tls web-tls"), std::string::npos);
  // Present but of another type, without the keys.
  auto wrong = diagnose(*cluster_from_yaml(
      base + secret("web-tls", "kubernetes.io/dockerconfigjson", "{.dockerconfigjson: eA==}")));
  auto w = with_rule(wrong, "ingress-tls-secret-invalid");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0]->summary.find("type kubernetes.io/dockerconfigjson"), std::string::npos);
  // Fine: a TLS Secret; an Opaque one with both keys; a live snapshot's Opaque Secret whose
  // keys were not collected; no Secrets in the snapshot at all (nothing to judge).
  EXPECT_EQ(
      count_rule(base + secret("web-tls", "kubernetes.io/tls", "{tls.crt: eA==, tls.key: eA==}"),
                 "ingress-tls-secret-invalid"),
      0u);
  EXPECT_EQ(count_rule(base + secret("web-tls", "Opaque", "{tls.crt: eA==, tls.key: eA==}"),
                       "ingress-tls-secret-invalid"),
            0u);
  EXPECT_EQ(count_rule(base + secret("web-tls", "Opaque", "{}", "shop",
                                     "{ktriage.io/data: not-collected}"),
                       "ingress-tls-secret-invalid"),
            0u);
  EXPECT_EQ(count_rule(base, "ingress-tls-secret-invalid"), 0u);
  // Only another namespace's Secrets in the snapshot: shop's are unknown, nothing to judge.
  EXPECT_EQ(count_rule(base + secret("x", "Opaque", "{}", "prod"), "ingress-tls-secret-invalid"),
            0u);
}

std::string named_ingress(std::string_view name, std::string_view created, std::string_view path,
                          std::string_view service_name) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: " +
         std::string(name) + ", namespace: shop, creationTimestamp: '" + std::string(created) +
         "'}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    "
         "http:\n      paths:\n      - path: " +
         std::string(path) + "\n        pathType: Prefix\n        backend: {service: {name: " +
         std::string(service_name) + ", port: {number: 80}}}\n";
}

TEST(IngressTest, SameHostAndPathInTwoIngressesServesOnlyTheOlder) {
  const std::string svcs =
      service("shop", "web", "[{port: 80}]") + service("shop", "web-v2", "[{port: 80}]");
  auto f = diagnose(
      *cluster_from_yaml(svcs + named_ingress("web-new", "2026-11-02T00:00:00Z", "/api", "web-v2") +
                         named_ingress("web", "2026-10-01T00:00:00Z", "/api", "web")));
  auto r = with_rule(f, "ingress-host-path-conflict");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Ingress/shop/web-new");
  EXPECT_NE(r[0]->summary.find("Ingress shop/web (older)"), std::string::npos) << r[0]->summary;
  // Different paths, the same backend twice, or different classes: no conflict.
  EXPECT_EQ(count_rule(svcs + named_ingress("a", "2026-11-02T00:00:00Z", "/api", "web-v2") +
                           named_ingress("b", "2026-10-01T00:00:00Z", "/", "web"),
                       "ingress-host-path-conflict"),
            0u);
  EXPECT_EQ(count_rule(svcs + named_ingress("a", "2026-11-02T00:00:00Z", "/api", "web") +
                           named_ingress("b", "2026-10-01T00:00:00Z", "/api", "web"),
                       "ingress-host-path-conflict"),
            0u);
  std::string other_class = named_ingress("a", "2026-11-02T00:00:00Z", "/api", "web-v2");
  other_class.replace(other_class.find("ingressClassName: nginx"), 23, "ingressClassName: alb");
  EXPECT_EQ(
      count_rule(svcs + other_class + named_ingress("b", "2026-10-01T00:00:00Z", "/api", "web"),
                 "ingress-host-path-conflict"),
      0u);
}

std::string controller_pod(std::string_view name, bool ready) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         ", namespace: ingress-nginx, uid: u-" + std::string(name) +
         "}\nspec: {nodeName: n1, containers: [{name: controller, image: "
         "'registry.k8s.io/ingress-nginx/controller:v1.11.2'}]}\nstatus:\n  phase: Running\n  "
         "conditions: [{type: Ready, status: '" +
         (ready ? "True" : "False") + "'}]\n  containerStatuses: [{name: controller, ready: " +
         (ready ? "true, restartCount: 0, state: {running: {}}}]\n"
                : "false, restartCount: 9, state: {waiting: {reason: CrashLoopBackOff}}, "
                  "lastState: {terminated: {exitCode: 1, reason: Error}}}]\n");
}

const std::string kNginxClass =
    "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: "
    "{controller: k8s.io/ingress-nginx}\n";

TEST(IngressTest, ControllerWithoutAReadyPodLeavesItsIngressesUnserved) {
  const std::string ing = ingress("shop", kV1Backend, "  ingressClassName: nginx\n");
  auto f =
      diagnose(*cluster_from_yaml(kNginxClass + ing + service("shop", "web") +
                                  controller_pod("ctl-1", false) + controller_pod("ctl-2", false)));
  auto r = with_rule(f, "ingress-controller-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "IngressClass/nginx");
  EXPECT_EQ(r[0]->also_affects.size(), 1u);
  EXPECT_FALSE(r[0]->caused_by.empty()) << "the controller pods' crash explains it";
  EXPECT_NE(r[0]->summary.find("No ingress-nginx controller pod is Ready (2 pods"),
            std::string::npos)
      << r[0]->summary;
  // One Ready replica serves everything.
  EXPECT_EQ(count_rule(kNginxClass + ing + service("shop", "web") + controller_pod("ctl-1", false) +
                           controller_pod("ctl-2", true),
                       "ingress-controller-unavailable"),
            0u);
  // No controller pod in the snapshot at all: nothing to judge here (it may run elsewhere).
  EXPECT_EQ(
      count_rule(kNginxClass + ing + service("shop", "web"), "ingress-controller-unavailable"), 0u);
}

TEST(IngressTest, ACanaryIngressSharingHostAndPathIsNoConflict) {
  const std::string svcs =
      service("shop", "web", "[{port: 80}]") + service("shop", "web-v2", "[{port: 80}]");
  std::string canary = named_ingress("web-canary", "2026-11-02T00:00:00Z", "/api", "web-v2");
  canary.replace(canary.find("creationTimestamp"), 17,
                 "annotations: {nginx.ingress.kubernetes.io/canary: 'true'}, creationTimestamp");
  EXPECT_EQ(count_rule(svcs + canary + named_ingress("web", "2026-10-01T00:00:00Z", "/api", "web"),
                       "ingress-host-path-conflict"),
            0u);
}

}  // namespace
}  // namespace ktriage
