// Load balancers the cloud controller cannot build: a Service of type LoadBalancer whose
// controller reports SyncLoadBalancerFailed (Alibaba Cloud CCM and the upstream service
// controller), and ports whose load balancer reports an error in status.loadBalancer (Services
// and Ingresses, `ingress[].ports[].error`, Kubernetes 1.24+). Catalog
// SVC-LOADBALANCER-SYNC-FAILED; event reasons from cloud-provider-alibaba-cloud
// pkg/controller/helper/event.go (v2.14) and k8s.io/cloud-provider
// controllers/service/controller.go.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"

namespace ktriage {
namespace {

constexpr std::string_view kDoc =
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "considerations-for-configuring-a-loadbalancer-type-service-1";

constexpr Rule kSyncFailed{
    "svc-loadbalancer-sync-failed",
    "SVC-LOADBALANCER-SYNC-FAILED",
    Severity::kCritical,
    "The cloud controller cannot create or update the Service's load balancer",
    "Correct the load balancer annotations or free the reused instance the event names, raise "
    "the quota, or fix the controller's permissions.",
    kDoc};
constexpr Rule kPortError{
    "loadbalancer-port-error",
    "SVC-LOADBALANCER-SYNC-FAILED",
    Severity::kWarning,
    "The load balancer reports an error on a port of a Service or Ingress",
    "Read the error and the controller's events; fix the listener the port needs.",
    kDoc};
constexpr Rule kRules[] = {kSyncFailed, kPortError};

// The cloud API's own words: CCM puts them after "Message:" in its event messages.
std::string_view api_message(std::string_view message) {
  const std::size_t at = message.find("Message:");
  if (at == std::string_view::npos) return message;
  std::string_view rest = message.substr(at + 8);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

void check_sync(const Cluster& cluster, const Object& svc, FindingSink& sink) {
  if (svc.spec()["type"].str() != "LoadBalancer") return;
  const Event* failed = nullptr;
  for (std::string_view reason :
       {"SyncLoadBalancerFailed", "CleanLoadBalancerFailed", "FeatureNotSupported"}) {
    const Event* e = latest_event(cluster, svc, reason);
    if (e != nullptr && e->type == "Warning" &&
        (failed == nullptr || e->last_seen.value_or(0) > failed->last_seen.value_or(0)))
      failed = e;
  }
  if (failed == nullptr) return;
  // A success after the failure means it recovered.
  if (const Event* ok = latest_event(cluster, svc, "EnsuredLoadBalancer");
      ok != nullptr && ok->last_seen.value_or(0) > failed->last_seen.value_or(0))
    return;
  const bool has_address = svc.status()["loadBalancer"]["ingress"].size() > 0;
  Finding& f = sink.add(kSyncFailed, svc,
                        fmt::format("Service {}'s load balancer {}: {}", svc.name,
                                    has_address ? "does not take the latest changes"
                                                : "is not created (EXTERNAL-IP stays <pending>)",
                                    shorten(api_message(failed->message), 160)));
  if (has_address) f.severity = Severity::kWarning;
  f.evidence.push_back(event_evidence(cluster, *failed));
  f.evidence.push_back(field_evidence(svc, ".status.loadBalancer.ingress",
                                      has_address ? "set (an earlier load balancer)" : "(empty)"));
  std::vector<std::string> annotations;
  for (const Member& m : svc.annotations().members()) {
    if (m.key.find("loadbalancer") != std::string_view::npos ||
        m.key.find("load-balancer") != std::string_view::npos)
      annotations.push_back(fmt::format("{}={}", m.key, m.value.str()));
  }
  if (!annotations.empty()) {
    f.evidence.push_back(field_evidence(svc, ".metadata.annotations",
                                        fmt::format("{}", fmt::join(annotations, ", "))));
  }
  f.fix = fmt::format(
      "Fix what the cloud API refused ({}): a wrong or contradicting "
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-* annotation, a reused load balancer "
      "that is in use or in another VPC, the CLB/NLB or listener quota, a vSwitch without free "
      "IPs for an internal one, or the controller's RAM permissions; then {}edit service {} and "
      "watch {}describe service {} for EnsuredLoadBalancer.",
      shorten(api_message(failed->message), 100), kubectl_ns(svc), svc.name, kubectl_ns(svc),
      svc.name);
}

void check_port_errors(const Object& obj, FindingSink& sink) {
  const auto ingress = obj.status()["loadBalancer"]["ingress"].items();
  for (std::size_t i = 0; i < ingress.size(); ++i) {
    const auto ports = ingress[i]["ports"].items();
    for (std::size_t j = 0; j < ports.size(); ++j) {
      const std::string_view error = ports[j]["error"].str();
      if (error.empty()) continue;
      const std::string port =
          fmt::format("{}/{}", ports[j]["port"].as_int(0),
                      ports[j]["protocol"].str().empty() ? "TCP" : ports[j]["protocol"].str());
      Finding& f = sink.add(kPortError, obj,
                            fmt::format("The load balancer of {} {} reports an error on port {}: "
                                        "{}",
                                        obj.kind, obj.name, port, shorten(error, 120)),
                            port);
      f.evidence.push_back(field_evidence(
          obj, fmt::format(".status.loadBalancer.ingress[{}].ports[{}].error", i, j), error));
      f.fix = fmt::format(
          "{}describe {} {} for the controller's events about port {}, and fix the listener or "
          "certificate it needs.",
          kubectl_ns(obj), obj.kind == "Service" ? "service" : "ingress", obj.name, port);
    }
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  for (const Object* svc : ctx.cluster.of_kind("Service")) {
    check_sync(ctx.cluster, *svc, sink);
    check_port_errors(*svc, sink);
  }
  for (const Object* ing : ctx.cluster.of_kind("Ingress")) check_port_errors(*ing, sink);
}

}  // namespace

const AnalyzerDef& loadbalancers_analyzer() {
  static const AnalyzerDef kDef{"loadbalancers", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
