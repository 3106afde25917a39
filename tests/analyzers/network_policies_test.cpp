// service-isolated-by-networkpolicy (NET-NETWORKPOLICY-DENY): a Service whose pods no existing pod
// or address may reach, and the cases that must stay silent (a client exists, an ipBlock, a
// namespaceSelector the snapshot cannot judge, no isolation, another port).
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const std::string kPods = R"(
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: db, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
status: {phase: Running, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop, labels: {app: api}}
spec:
  containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]
status: {phase: Running, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {selector: {app: db}, ports: [{port: 5432, targetPort: pg}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
)";

std::string allow(std::string_view from, std::string_view ports = "[{port: pg}]") {
  return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: "
         "allow-db, namespace: shop}\nspec: {podSelector: {matchLabels: {app: db}}, ingress: "
         "[{from: " +
         std::string(from) + ", ports: " + std::string(ports) + "}]}\n";
}

TEST(NetworkPoliciesTest, ServiceWhosePodsNoExistingPodMayReach) {
  auto f =
      diagnose(*cluster_from_yaml(kPods + allow("[{podSelector: {matchLabels: {app: backend}}}]")));
  auto r = with_rule(f, "service-isolated-by-networkpolicy");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Service/shop/db");
  EXPECT_EQ(r[0]->catalog, "NET-NETWORKPOLICY-DENY");
  EXPECT_NE(r[0]->summary.find("allow-db, default-deny"), std::string::npos) << r[0]->summary;
  bool rule = false;
  for (const Evidence& e : r[0]->evidence) {
    rule = rule || (e.object == "networkpolicy/allow-db" && e.path == ".spec.ingress[0]" &&
                    e.value.find("podSelector app=backend") != std::string::npos);
  }
  EXPECT_TRUE(rule);
  EXPECT_NE(r[0]->fix.find("ktriage netcheck pod/shop/CLIENT svc/shop/db"), std::string::npos);
}

TEST(NetworkPoliciesTest, DefaultDenyAloneIsReported) {
  auto f = diagnose(*cluster_from_yaml(kPods));
  EXPECT_EQ(with_rule(f, "service-isolated-by-networkpolicy").size(), 1u);
}

TEST(NetworkPoliciesTest, SilentWhenSomethingMayReachIt) {
  const std::string cases[] = {
      allow("[{podSelector: {matchLabels: {app: api}}}]"),          // the client exists
      allow("[{ipBlock: {cidr: 10.0.0.0/8}}]"),                     // addresses outside
      allow("[{namespaceSelector: {matchLabels: {team: data}}}]"),  // namespaces unknown
      allow("[{podSelector: {}}]", "[]"),  // any pod of the namespace, any port
      allow("[]"),                         // every source
  };
  for (const std::string& extra : cases) {
    auto f = diagnose(*cluster_from_yaml(kPods + extra));
    EXPECT_TRUE(with_rule(f, "service-isolated-by-networkpolicy").empty()) << extra;
  }
  // The client exists but the rule opens another port: still cut off on the target port.
  auto other = diagnose(*cluster_from_yaml(
      kPods + allow("[{podSelector: {matchLabels: {app: api}}}]", "[{port: 80}]")));
  EXPECT_EQ(with_rule(other, "service-isolated-by-networkpolicy").size(), 1u);
  // Without the default deny the pods are not isolated.
  const std::string open = kPods.substr(0, kPods.find("---\napiVersion: networking.k8s.io/v1"));
  const auto open_findings = diagnose(*cluster_from_yaml(open));
  EXPECT_TRUE(with_rule(open_findings, "service-isolated-by-networkpolicy").empty());
}

}  // namespace
}  // namespace ktriage
