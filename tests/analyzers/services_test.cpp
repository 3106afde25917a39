// Services: selector, readiness of selected pods, targetPort, selector-less Services.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string pod(std::string_view name, std::string_view labels, bool ready,
                std::string_view ports = "[{containerPort: 8080, name: http}]") {
  return std::string("---\napiVersion: v1\nkind: Pod\nmetadata: {name: ") + std::string(name) +
         ", namespace: shop, uid: u-" + std::string(name) + ", labels: " + std::string(labels) +
         "}\nspec: {nodeName: n1, containers: [{name: app, image: x, ports: " + std::string(ports) +
         "}]}\nstatus:\n  phase: Running\n  conditions: [{type: Ready, status: \"" +
         (ready ? "True" : "False") + "\", reason: " + (ready ? "PodReady" : "ContainersNotReady") +
         "}]\n";
}

std::string service(std::string_view name, std::string_view selector,
                    std::string_view target = "8080") {
  return std::string("---\napiVersion: v1\nkind: Service\nmetadata: {name: ") + std::string(name) +
         ", namespace: shop}\nspec:\n  selector: " + std::string(selector) +
         "\n  ports: [{port: 80, targetPort: " + std::string(target) + "}]\n";
}

TEST(ServicesTest, SelectorMatchingNothingShowsTheNearestLabels) {
  auto c = cluster_from_yaml(service("cart", "{app: cart-svc}") +
                             pod("cart-1", "{app: cart, tier: web}", true));
  auto f = diagnose(*c);
  auto r = with_rule(f, "svc-selector-matches-nothing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "SVC-SELECTOR-MATCHES-NOTHING");
  EXPECT_EQ(r[0]->object.key(), "Service/shop/cart");
  bool diff = false;
  for (const Evidence& e : r[0]->evidence)
    diff = diff || e.value.find("app=cart-svc differs: the pod has app=cart") != std::string::npos;
  EXPECT_TRUE(diff);
  EXPECT_NE(r[0]->fix.find("kubectl -n shop edit service cart"), std::string::npos);
}

TEST(ServicesTest, NearestLabelsAreShownBestFirstOncePerLabelSetAndSkipFinishedPods) {
  std::string done = pod("done-1", "{app: cart, tier: web}", false);
  done.replace(done.find("phase: Running"), 14, "phase: Succeeded");
  auto c = cluster_from_yaml(
      service("cart", "{app: cart-svc, tier: web}") + done +
      pod("api-1", "{app: cart, tier: api}", true) + pod("web-1", "{app: cart, tier: web}", true) +
      pod("web-2", "{app: cart, tier: web}", true) + pod("api-2", "{app: cart, tier: api}", true));
  auto f = diagnose(*c);
  auto r = with_rule(f, "svc-selector-matches-nothing");
  ASSERT_EQ(r.size(), 1u);
  std::vector<std::string> shown;
  for (const Evidence& e : r[0]->evidence) {
    if (e.path == ".metadata.labels") shown.push_back(e.object + " " + e.value);
  }
  // tier=web matches, so web-1 is nearer than api-1; web-2 and api-2 repeat a label set shown;
  // done-1 has Succeeded and no longer counts.
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0], "pod/web-1 app=cart,tier=web  — app=cart-svc differs: the pod has app=cart");
  EXPECT_EQ(shown[1],
            "pod/api-1 app=cart,tier=api  — app=cart-svc differs: the pod has app=cart; tier=web "
            "differs: the pod has tier=api");
  EXPECT_NE(r[0]->fix.find("app=cart-svc differs"), std::string::npos);
}

// The same read from JSON, where replicas' equal label arrays are stored once (Arena::share)
// and so form one label group: the group shows its first live pod, not a finished one before it
// or a later replica.
TEST(ServicesTest, NearestLabelsFromSharedLabelArraysShowTheFirstLivePodOfEachSet) {
  auto pod_json = [](std::string_view name, std::string_view labels, std::string_view phase) {
    return fmt::format(
        R"({{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "{}", "namespace": "shop",
        "uid": "u-{}", "labels": {}}}, "spec": {{"nodeName": "n1", "containers": [{{"name": "app",
        "image": "x"}}]}}, "status": {{"phase": "{}", "conditions": [{{"type": "Ready",
        "status": "True"}}]}}}})",
        name, name, labels, phase);
  };
  const std::string web = R"({"app": "cart", "tier": "web"})";
  const std::string api = R"({"app": "cart", "tier": "api"})";
  const std::string pods =
      "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" +
      pod_json("done-1", web, "Succeeded") + "," + pod_json("api-1", api, "Running") + "," +
      pod_json("web-1", web, "Running") + "," + pod_json("web-2", web, "Running") + "," +
      pod_json("api-2", api, "Running") + "]}";
  auto c = testing::cluster_from(
      {{"pods.json", pods}, {"svc.yaml", service("cart", "{app: cart-svc, tier: web}")}});
  ASSERT_EQ(c->pods_in("shop").size(), 5u);
  auto f = diagnose(*c);
  auto r = with_rule(f, "svc-selector-matches-nothing");
  ASSERT_EQ(r.size(), 1u);
  std::vector<std::string> shown;
  for (const Evidence& e : r[0]->evidence) {
    if (e.path == ".metadata.labels") shown.push_back(e.object);
  }
  EXPECT_EQ(shown, (std::vector<std::string>{"pod/web-1", "pod/api-1"}));
}

TEST(ServicesTest, KeyMismatchWithSameValueIsExplained) {
  auto c = cluster_from_yaml(service("ing", "{name: nginx-ingress}") +
                             pod("ing-1", "{app: nginx-ingress}", true));
  auto r_findings = diagnose(*c);
  auto r = with_rule(r_findings, "svc-selector-matches-nothing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->fix.find("same value, other key"), std::string::npos);
}

TEST(ServicesTest, NoReadyPodsIsASymptomOfThePodFindings) {
  auto c =
      cluster_from_yaml(service("web", "{app: web}") + pod("web-1", "{app: web}", false) + R"(---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: u-web-1}
reason: Unhealthy
type: Warning
message: "Readiness probe failed: HTTP probe failed with statuscode: 503"
count: 30
lastTimestamp: "2026-11-29T10:41:00Z"
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "svc-no-ready-endpoints");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "SVC-ENDPOINTS-NOT-READY");
  // Linked to whatever finding explains the pod (readiness analyzer or the events fallback).
  EXPECT_FALSE(r[0]->caused_by.empty());
}

TEST(ServicesTest, TargetPortNotExposed) {
  auto c =
      cluster_from_yaml(service("inv", "{app: inv}", "8081") + pod("inv-1", "{app: inv}", true));
  auto r_findings = diagnose(*c);
  auto r = with_rule(r_findings, "svc-targetport-not-exposed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_NE(r[0]->fix.find("http (8080/TCP)"), std::string::npos);
  auto named =
      cluster_from_yaml(service("inv", "{app: inv}", "metrics") + pod("inv-1", "{app: inv}", true));
  auto n_findings = diagnose(*named);
  auto n = with_rule(n_findings, "svc-targetport-not-exposed");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0]->severity, Severity::kCritical);
}

TEST(ServicesTest, SelectorlessServiceWithoutEndpoints) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Service
metadata: {name: external-db, namespace: shop}
spec: {ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: other, namespace: shop}
subsets: [{addresses: [{ip: 10.0.0.1}]}]
)");
  auto found = diagnose(*c);
  EXPECT_EQ(with_rule(found, "svc-no-selector-no-endpoints").size(), 1u);
}

TEST(ServicesTest, NegativeHealthyServicesYieldNothing) {
  auto c =
      cluster_from_yaml(service("web", "{app: web}", "http") + pod("web-1", "{app: web}", true) +
                        pod("web-2", "{app: web}", false) + R"(---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: shop}
spec: {ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual, namespace: shop}
subsets: [{addresses: [{ip: 10.0.0.1}]}]
---
apiVersion: v1
kind: Service
metadata: {name: undeclared, namespace: shop}
spec: {selector: {app: raw}, ports: [{port: 80, targetPort: 9000}]}
)" + pod("raw-1", "{app: raw}", true, "[]"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "svc-selector-matches-nothing").empty());
  EXPECT_TRUE(with_rule(f, "svc-no-ready-endpoints").empty());
  EXPECT_TRUE(with_rule(f, "svc-targetport-not-exposed").empty());
  EXPECT_TRUE(with_rule(f, "svc-no-selector-no-endpoints").empty());
}

}  // namespace
}  // namespace ktriage
