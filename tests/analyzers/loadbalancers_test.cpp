// Load balancers: the cloud controller's SyncLoadBalancerFailed on a LoadBalancer Service, and
// port errors in status.loadBalancer of Services and Ingresses.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

std::string lb_service(std::string_view status = "{}") {
  return "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, uid: s-1, "
         "annotations: {service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec: "
         "slb.s9.large}}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\n"
         "status: " +
         std::string(status) + "\n";
}

std::string event(std::string_view reason, std::string_view type, std::string_view message,
                  std::string_view at) {
  static int n = 0;
  return "---\napiVersion: v1\nkind: Event\nmetadata: {name: e" + std::to_string(++n) +
         ", namespace: shop}\ninvolvedObject: {kind: Service, name: web, namespace: shop, uid: "
         "s-1}\nreason: " +
         std::string(reason) + "\ntype: " + std::string(type) +
         "\nsource: {component: service-controller}\ncount: 4\nlastTimestamp: '" + std::string(at) +
         "'\nmessage: '" + std::string(message) + "'\n";
}

const std::string kFailed =
    "Error syncing load balancer: failed to ensure load balancer: [SDKError] StatusCode: 400 "
    "Code: InvalidParameter.LoadBalancerSpec Message: The specified LoadBalancerSpec is invalid.";

TEST(LoadBalancersTest, SyncFailureWithoutAnAddressIsCriticalAndQuotesTheCloudApi) {
  auto f = diagnose(*cluster_from_yaml(
      lb_service() + event("SyncLoadBalancerFailed", "Warning", kFailed, "2026-12-01T08:00:00Z")));
  auto r = with_rule(f, "svc-loadbalancer-sync-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_NE(r[0]->summary.find("EXTERNAL-IP stays <pending>): The specified LoadBalancerSpec is "
                               "invalid."),
            std::string::npos)
      << r[0]->summary;
  bool annotation = false;
  for (const Evidence& e : r[0]->evidence)
    annotation |= e.value.find("alibaba-cloud-loadbalancer-spec=slb.s9.large") != std::string::npos;
  EXPECT_TRUE(annotation);
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  // With an address from before: the new settings do not apply, a warning.
  auto addressed = diagnose(*cluster_from_yaml(
      lb_service("{loadBalancer: {ingress: [{ip: 47.1.2.3}]}}") +
      event("SyncLoadBalancerFailed", "Warning", kFailed, "2026-12-01T08:00:00Z")));
  ASSERT_EQ(with_rule(addressed, "svc-loadbalancer-sync-failed").size(), 1u);
  EXPECT_EQ(with_rule(addressed, "svc-loadbalancer-sync-failed")[0]->severity, Severity::kWarning);
}

TEST(LoadBalancersTest, RecoveredOrClusterIpServicesAreFine) {
  auto recovered = diagnose(*cluster_from_yaml(
      lb_service() + event("SyncLoadBalancerFailed", "Warning", kFailed, "2026-12-01T08:00:00Z") +
      event("EnsuredLoadBalancer", "Normal", "Ensured load balancer", "2026-12-01T08:05:00Z")));
  EXPECT_TRUE(with_rule(recovered, "svc-loadbalancer-sync-failed").empty());
  std::string cluster_ip = lb_service();
  cluster_ip.replace(cluster_ip.find("type: LoadBalancer"), 18, "type: ClusterIP");
  auto plain = diagnose(*cluster_from_yaml(
      cluster_ip + event("SyncLoadBalancerFailed", "Warning", kFailed, "2026-12-01T08:00:00Z")));
  EXPECT_TRUE(with_rule(plain, "svc-loadbalancer-sync-failed").empty());
}

TEST(LoadBalancersTest, PortErrorsOfServicesAndIngresses) {
  const std::string ing =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: "
      "shop}\nspec: {rules: []}\nstatus: {loadBalancer: {ingress: [{ip: 47.1.2.3, ports: [{port: "
      "443, protocol: TCP, error: CertificateNotFound}]}]}}\n";
  auto f = diagnose(*cluster_from_yaml(
      ing + lb_service("{loadBalancer: {ingress: [{ip: 47.1.2.4, ports: [{port: 80, protocol: "
                       "TCP}]}]}}")));
  auto r = with_rule(f, "loadbalancer-port-error");
  ASSERT_EQ(r.size(), 1u) << "the Service's port has no error";
  EXPECT_EQ(r[0]->object.key(), "Ingress/shop/web");
  EXPECT_NE(r[0]->summary.find("on port 443/TCP: CertificateNotFound"), std::string::npos)
      << r[0]->summary;
}

}  // namespace
}  // namespace ktriage
