// references_targets: Ingress backends (Service and port) and HPA scaleTargetRef.
#include <gtest/gtest.h>

#include <string>

#include "lint/lint.h"
#include "lint_expect.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using ::ktriage::testing::cluster_from;
using testing::count;
using testing::expect_at;
using testing::only;

std::string ingress(std::string_view default_service, std::string_view port) {
  return std::string("apiVersion: v1\n") +                                                    // 1
         "kind: Service\n" +                                                                  // 2
         "metadata: {name: web, namespace: shop}\n" +                                         // 3
         "spec:\n" +                                                                          // 4
         "  selector: {app: web}\n" +                                                         // 5
         "  ports: [{name: http, port: 80, targetPort: 8080}]\n" +                            // 6
         "---\n" +                                                                            // 7
         "apiVersion: networking.k8s.io/v1\n" +                                               // 8
         "kind: Ingress\n" +                                                                  // 9
         "metadata: {name: web, namespace: shop}\n" +                                         // 10
         "spec:\n" +                                                                          // 11
         "  defaultBackend:\n" +                                                              // 12
         "    service: {name: " + std::string(default_service) + ", port: {number: 80}}\n" +  // 13
         "  rules:\n" +                                                                       // 14
         "  - host: shop.example.com\n" +                                                     // 15
         "    http:\n" +                                                                      // 16
         "      paths:\n" +                                                                   // 17
         "      - path: /\n" +                                                                // 18
         "        pathType: Prefix\n" +                                                       // 19
         "        backend:\n" +                                                               // 20
         "          service: {name: web, port: {name: " + std::string(port) + "}}\n";         // 21
}

TEST(IngressBackendTest, ExistingServicesAndPortsAreClean) {
  auto cluster = cluster_from({{"k8s/ing.yaml", ingress("web", "http")}});
  const Diagnosis d = lint(*cluster, 33);
  EXPECT_EQ(count(d.findings, "lint-ingress-backend-missing"), 0);
  EXPECT_EQ(count(d.findings, "lint-ingress-backend-port-missing"), 0);
}

TEST(IngressBackendTest, AServiceMissingFromTheNamespaceIsAWarning) {
  auto cluster = cluster_from({{"k8s/ing.yaml", ingress("webb", "http")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-ingress-backend-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_EQ(f->catalog, "INGRESS-BACKEND-SERVICE-NOT-FOUND");
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].path, ".spec.defaultBackend.service.name");
  expect_at(f->evidence[0], "k8s/ing.yaml", 13, 21);
}

TEST(IngressBackendTest, APortTheServiceLacksIsCritical) {
  auto cluster = cluster_from({{"k8s/ing.yaml", ingress("web", "https")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-ingress-backend-port-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_EQ(f->catalog, "INGRESS-BACKEND-SERVICE-PORT-NOT-FOUND");
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.rules[0].http.paths[0].backend.service.port.name");
  expect_at(f->evidence[0], "k8s/ing.yaml", 21, 45);
  EXPECT_EQ(f->evidence[1].object, "service/web");
  expect_at(f->evidence[1], "k8s/ing.yaml", 6, 12);
  EXPECT_NE(f->summary.find("shop.example.com/"), std::string::npos) << f->summary;
}

std::string hpa(std::string_view kind, std::string_view name) {
  return std::string("apiVersion: apps/v1\n") +                          // 1
         "kind: Deployment\n" +                                          // 2
         "metadata: {name: web, namespace: shop}\n" +                    // 3
         "spec:\n" +                                                     // 4
         "  selector: {matchLabels: {app: web}}\n" +                     // 5
         "  template:\n" +                                               // 6
         "    metadata: {labels: {app: web}}\n" +                        // 7
         "    spec: {containers: [{name: web, image: nginx:1.25}]}\n" +  // 8
         "---\n" +                                                       // 9
         "apiVersion: autoscaling/v2\n" +                                // 10
         "kind: HorizontalPodAutoscaler\n" +                             // 11
         "metadata: {name: web, namespace: shop}\n" +                    // 12
         "spec:\n" +                                                     // 13
         "  minReplicas: 1\n" +                                          // 14
         "  maxReplicas: 3\n" +                                          // 15
         "  scaleTargetRef: {apiVersion: apps/v1, kind: " + std::string(kind) +
         ", name: " + std::string(name) + "}\n";  // 16
}

TEST(HpaTargetTest, AnExistingTargetIsClean) {
  auto cluster = cluster_from({{"k8s/hpa.yaml", hpa("Deployment", "web")}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-hpa-target-missing"), 0);
}

TEST(HpaTargetTest, AMissingTargetIsAWarningAtItsName) {
  auto cluster = cluster_from({{"k8s/hpa.yaml", hpa("Deployment", "api")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-hpa-target-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  ASSERT_EQ(f->evidence.size(), 1u);
  expect_at(f->evidence[0], "k8s/hpa.yaml", 16, 65);
}

TEST(HpaTargetTest, TheSameNameUnderAnotherKindPointsAtTheKind) {
  auto cluster = cluster_from({{"k8s/hpa.yaml", hpa("StatefulSet", "web")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-hpa-target-missing");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.scaleTargetRef.kind");
  expect_at(f->evidence[0], "k8s/hpa.yaml", 16, 47);
  expect_at(f->evidence[1], "k8s/hpa.yaml", 2, 7);
  EXPECT_NE(f->fix.find("kind: Deployment, name: web"), std::string::npos) << f->fix;
}

}  // namespace
}  // namespace ktriage::lint
