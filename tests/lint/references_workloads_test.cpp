// references_workloads: a workload's selector against its own template labels (all four
// operators), and probes naming ports their container does not declare.
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

// `tier` is substituted into the template labels (line 12).
std::string deployment(std::string_view labels) {
  return "apiVersion: apps/v1\n"                                  // 1
         "kind: Deployment\n"                                     // 2
         "metadata: {name: web, namespace: shop}\n"               // 3
         "spec:\n"                                                // 4
         "  selector:\n"                                          // 5
         "    matchLabels:\n"                                     // 6
         "      app.kubernetes.io/name: web\n"                    // 7
         "    matchExpressions:\n"                                // 8
         "    - {key: tier, operator: In, values: [api, web]}\n"  // 9
         "    - {key: canary, operator: DoesNotExist}\n"          // 10
         "    - {key: env, operator: NotIn, values: [prod]}\n"    // 11
         "    - {key: team, operator: Exists}\n"                  // 12
         "  template:\n"                                          // 13
         "    metadata:\n"                                        // 14
         "      labels: " +
         std::string(labels) +
         "\n"  // 15
         "    spec:\n"
         "      containers:\n"
         "      - {name: web, image: nginx:1.25}\n";
}

TEST(SelectorMismatchTest, AllOperatorsSatisfiedIsClean) {
  auto cluster = cluster_from(
      {{"k8s/web.yaml",
        deployment("{app.kubernetes.io/name: web, tier: api, env: dev, team: shop}")}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-selector-mismatch"), 0);
}

TEST(SelectorMismatchTest, FailedTermsAreCriticalAtTheSelector) {
  // The dotted matchLabels key is missing, canary exists, env is prod: three failed terms.
  auto cluster = cluster_from(
      {{"k8s/web.yaml", deployment("{app: web, tier: api, env: prod, canary: 'yes', team: a}")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-selector-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_EQ(f->object.key(), "Deployment/shop/web");
  EXPECT_NE(f->summary.find("`selector` does not match template `labels`"), std::string::npos);
  // A flow mapping or sequence is placed at its first key (the locator's rule).
  ASSERT_EQ(f->evidence.size(), 4u);
  EXPECT_EQ(f->evidence[0].path, ".spec.selector.matchLabels[app.kubernetes.io/name]");
  expect_at(f->evidence[0], "k8s/web.yaml", 7, 31);
  EXPECT_EQ(f->evidence[1].path, ".spec.selector.matchExpressions[1]");
  expect_at(f->evidence[1], "k8s/web.yaml", 10, 8);
  expect_at(f->evidence[2], "k8s/web.yaml", 11, 8);
  EXPECT_EQ(f->evidence[3].path, ".spec.template.metadata.labels");
  expect_at(f->evidence[3], "k8s/web.yaml", 15, 16);
  EXPECT_NE(f->fix.find("labels: {app.kubernetes.io/name: web}"), std::string::npos) << f->fix;
}

TEST(SelectorMismatchTest, JobWithoutSelectorAndOtherKindsAreNotChecked) {
  auto cluster = cluster_from({{"job.yaml",
                                "apiVersion: batch/v1\n"
                                "kind: Job\n"
                                "metadata: {name: once}\n"
                                "spec:\n"
                                "  template:\n"
                                "    metadata: {labels: {app: once}}\n"
                                "    spec: {containers: [{name: a, image: busybox:1}]}\n"}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-selector-mismatch"), 0);
}

const std::string kPod =
    "apiVersion: v1\n"                           // 1
    "kind: Pod\n"                                // 2
    "metadata: {name: web, namespace: shop}\n"   // 3
    "spec:\n"                                    // 4
    "  containers:\n"                            // 5
    "  - name: web\n"                            // 6
    "    image: nginx:1.25\n"                    // 7
    "    ports:\n"                               // 8
    "    - {name: http, containerPort: 8080}\n"  // 9
    "    readinessProbe:\n"                      // 10
    "      httpGet: {path: /, port: http}\n"     // 11
    "    livenessProbe:\n"                       // 12
    "      tcpSocket: {port: PORT}\n"            // 13
    "    startupProbe:\n"                        // 14
    "      tcpSocket: {port: 8081}\n"            // 15
    "  - name: sidecar\n"                        // 16
    "    image: envoy:1\n"                       // 17
    "    ports:\n"                               // 18
    "    - {name: metrics, containerPort: 9090}\n";

std::string with_port(std::string_view port) {
  std::string s = kPod;
  s.replace(s.find("PORT"), 4, port);
  return s;
}

TEST(ProbePortTest, ANameOnlyAnotherContainerDeclaresIsCritical) {
  auto cluster = cluster_from({{"pod.yaml", with_port("metrics")}});
  const Diagnosis d = lint(*cluster, 33);
  const Finding* f = only(d.findings, "lint-probe-port-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_EQ(f->catalog, "POD-PROBE-NAMED-PORT-MISSING");
  EXPECT_NE(f->summary.find("livenessProbe of container web"), std::string::npos) << f->summary;
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].path, ".spec.containers[0].livenessProbe.tcpSocket.port");
  expect_at(f->evidence[0], "pod.yaml", 13, 25);
  EXPECT_EQ(f->evidence[1].path, ".spec.containers[0].ports");
  expect_at(f->evidence[1], "pod.yaml", 9, 8);
  EXPECT_NE(f->fix.find("one of its port names (http), or add `name: metrics`"), std::string::npos)
      << f->fix;
}

TEST(ProbePortTest, DeclaredNamesAndNumbersAreClean) {
  // A declared name, and numbers (declared or not: containerPort is informational).
  auto cluster = cluster_from({{"pod.yaml", with_port("8080")}});
  EXPECT_EQ(count(lint(*cluster, 33).findings, "lint-probe-port-missing"), 0);
}

}  // namespace
}  // namespace ktriage::lint
