// references_services: Service and PodDisruptionBudget selectors against the set's pod
// templates, and Service targetPorts against the selected containers' ports.
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

const std::string kDeployment =
    "apiVersion: apps/v1\n"                              // 1
    "kind: Deployment\n"                                 // 2
    "metadata: {name: web, namespace: shop}\n"           // 3
    "spec:\n"                                            // 4
    "  selector: {matchLabels: {app: web}}\n"            // 5
    "  template:\n"                                      // 6
    "    metadata: {labels: {app: web, tier: front}}\n"  // 7
    "    spec:\n"                                        // 8
    "      containers:\n"                                // 9
    "      - name: web\n"                                // 10
    "        image: nginx:1.25\n"                        // 11
    "        ports:\n"                                   // 12
    "        - {name: http, containerPort: 8080}\n"      // 13
    "---\n";                                             // 14

std::string service(std::string_view selector, std::string_view target,
                    std::string_view ns = "shop") {
  return kDeployment + "apiVersion: v1\n" +                               // 15
         "kind: Service\n" +                                              // 16
         "metadata: {name: web, namespace: " + std::string(ns) + "}\n" +  // 17
         "spec:\n" +                                                      // 18
         "  selector: " + std::string(selector) + "\n" +                  // 19
         "  ports:\n" +                                                   // 20
         "  - {port: 80, targetPort: " + std::string(target) + "}\n" +    // 21
         "  - {port: 8080}\n";                                            // 22
}

TEST(ServiceSelectorTest, MatchingSelectorAndDeclaredPortsAreClean) {
  auto cluster = cluster_from({{"k8s/app.yaml", service("{app: web}", "http")}});
  const Diagnosis d = lint(*cluster, 33);
  EXPECT_EQ(count(d.findings, "lint-service-selects-nothing"), 0);
  EXPECT_EQ(count(d.findings, "lint-target-port-missing"), 0);
  EXPECT_EQ(count(d.findings, "lint-target-port-undeclared"), 0);
}

TEST(ServiceSelectorTest, SelectorMatchingNoTemplateIsAWarningAtTheFirstWrongLabel) {
  auto cluster = cluster_from({{"k8s/app.yaml", service("{app: web, tier: back}", "http")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-service-selects-nothing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_EQ(f->catalog, "SVC-SELECTOR-MATCHES-NOTHING");
  EXPECT_NE(f->summary.find("nearest: deployment/web"), std::string::npos) << f->summary;
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.selector.tier");
  expect_at(f->evidence[0], "k8s/app.yaml", 19, 30);
  EXPECT_EQ(f->evidence[1].object, "deployment/web");
  expect_at(f->evidence[1], "k8s/app.yaml", 7, 25);
  EXPECT_NE(f->fix.find("`spec: {selector: {app: web, tier: front}}`"), std::string::npos)
      << f->fix;
}

TEST(ServiceSelectorTest, NamespaceWithoutWorkloadsAndSelectorlessServicesAreSkipped) {
  // The workloads of namespace `edge` may be applied from elsewhere.
  auto other = cluster_from({{"k8s/app.yaml", service("{app: nope}", "http", "edge")}});
  EXPECT_EQ(count(lint(*other, 33).findings, "lint-service-selects-nothing"), 0);
  auto manual = cluster_from({{"k8s/app.yaml", service("{}", "http")}});
  EXPECT_EQ(count(lint(*manual, 33).findings, "lint-service-selects-nothing"), 0);
}

TEST(ServiceTargetPortTest, ANameNoSelectedContainerDeclaresIsCritical) {
  auto cluster = cluster_from({{"k8s/app.yaml", service("{app: web}", "web-http")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-target-port-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_EQ(f->catalog, "SVC-TARGETPORT-MISMATCH");
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.ports[0].targetPort");
  expect_at(f->evidence[0], "k8s/app.yaml", 21, 28);
  EXPECT_EQ(f->evidence[1].path, ".spec.template.spec.containers[0].ports");
  expect_at(f->evidence[1], "k8s/app.yaml", 13, 12);
  EXPECT_NE(f->fix.find("name: web-http"), std::string::npos) << f->fix;
  EXPECT_EQ(count(d.findings, "lint-target-port-undeclared"), 0) << "port 8080 is declared";
}

TEST(ServiceTargetPortTest, AnUndeclaredNumberIsAWarning) {
  auto cluster = cluster_from({{"k8s/app.yaml", service("{app: web}", "9090")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-target-port-undeclared");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  expect_at(f->evidence[0], "k8s/app.yaml", 21, 28);
  EXPECT_EQ(count(d.findings, "lint-target-port-missing"), 0);
}

TEST(ServiceTargetPortTest, NumbersAreNotJudgedWhenNoContainerDeclaresPorts) {
  std::string yaml = service("{app: web}", "9090");
  yaml.replace(yaml.find("        ports:\n"), std::string("        ports:\n").size(), "");
  yaml.replace(yaml.find("        - {name: http, containerPort: 8080}\n"),
               std::string("        - {name: http, containerPort: 8080}\n").size(), "");
  auto cluster = cluster_from({{"k8s/app.yaml", yaml}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-target-port-undeclared"), 0);
}

std::string pdb(std::string_view app) {
  return kDeployment + "apiVersion: policy/v1\n" +              // 15
         "kind: PodDisruptionBudget\n" +                        // 16
         "metadata: {name: web, namespace: shop}\n" +           // 17
         "spec:\n" +                                            // 18
         "  minAvailable: 1\n" +                                // 19
         "  selector:\n" +                                      // 20
         "    matchLabels: {app: " + std::string(app) + "}\n";  // 21
}

TEST(PdbSelectorTest, SelectorMatchingNoTemplateIsAWarning) {
  auto cluster = cluster_from({{"k8s/app.yaml", pdb("api")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-pdb-selects-nothing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.selector.matchLabels.app");
  expect_at(f->evidence[0], "k8s/app.yaml", 21, 24);
  expect_at(f->evidence[1], "k8s/app.yaml", 7, 25);
  EXPECT_NE(f->fix.find("matchLabels: {app: web}"), std::string::npos) << f->fix;
}

TEST(PdbSelectorTest, SelectorMatchingATemplateIsClean) {
  auto cluster = cluster_from({{"k8s/app.yaml", pdb("web")}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-pdb-selects-nothing"), 0);
}

}  // namespace
}  // namespace ktriage::lint
