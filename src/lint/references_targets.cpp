// Objects that name another object as their target: an Ingress's backend Services (and their
// ports) and a HorizontalPodAutoscaler's scaleTargetRef. A target missing from the set may live
// in the cluster (a warning); a Service in the set without the port named is certain (critical).
#include <fmt/format.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lint/checks.h"
#include "lint/references.h"
#include "model/pod_template.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kIngressDoc =
    "https://kubernetes.io/docs/concepts/services-networking/ingress/";

constexpr LintRule kBackendMissing{
    "lint-ingress-backend-missing",
    "INGRESS-BACKEND-SERVICE-NOT-FOUND",
    Severity::kWarning,
    "An Ingress routes to a Service the manifests do not define in its namespace",
    "Add the Service to the Ingress's namespace, or correct the backend's service name",
    kIngressDoc};
constexpr LintRule kBackendPortMissing{
    "lint-ingress-backend-port-missing",
    "INGRESS-BACKEND-SERVICE-PORT-NOT-FOUND",
    Severity::kCritical,
    "An Ingress routes to a port its backend Service does not have",
    "Reference one of the Service's port names or numbers",
    kIngressDoc};
constexpr LintRule kHpaTargetMissing{
    "lint-hpa-target-missing",
    "",
    Severity::kWarning,
    "A HorizontalPodAutoscaler scales a workload the manifests do not define",
    "Point scaleTargetRef at the workload's kind and name",
    "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"};

// One backend of an Ingress, in networking.k8s.io/v1 (service.name, service.port.number|name)
// or the beta form (serviceName, servicePort).
struct Backend {
  std::string_view service;
  std::string name_path;
  const Value* port = &Value::null_value();
  std::string port_path;
  std::string route;  // "host/path" or "its default backend"
};

std::optional<Backend> backend_of(const Value& b, const std::string& path, std::string route) {
  if (b["service"].is_object()) {
    const Value& port = b["service"]["port"];
    const bool by_name = !port["name"].str().empty();
    return Backend{b["service"]["name"].str(), path + ".service.name",
                   by_name ? &port["name"] : &port["number"],
                   path + (by_name ? ".service.port.name" : ".service.port.number"),
                   std::move(route)};
  }
  if (!b["serviceName"].str().empty()) {
    return Backend{b["serviceName"].str(), path + ".serviceName", &b["servicePort"],
                   path + ".servicePort", std::move(route)};
  }
  return std::nullopt;  // a resource backend, or none
}

std::vector<Backend> backends(const Object& ing) {
  std::vector<Backend> out;
  for (std::string_view field : {"defaultBackend", "backend"}) {
    if (auto b =
            backend_of(ing.spec()[field], ".spec." + std::string(field), "its default backend"))
      out.push_back(std::move(*b));
  }
  int r = 0;
  for (const Value& rule : ing.spec()["rules"].items()) {
    const int ri = r++;
    int p = 0;
    for (const Value& path : rule["http"]["paths"].items()) {
      const std::string at = fmt::format(".spec.rules[{}].http.paths[{}].backend", ri, p++);
      const std::string route =
          fmt::format("{}{}", rule["host"].str().empty() ? "*" : rule["host"].str(),
                      path["path"].str().empty() ? "/" : path["path"].str());
      if (auto b = backend_of(path["backend"], at, route)) out.push_back(std::move(*b));
    }
  }
  return out;
}

std::string port_text(const Value& port) {
  return port.is_string() ? std::string(port.str()) : std::to_string(port.as_int());
}

// ingress-nginx resolves a backend port by the Service port's `port`, `name` or `targetPort`
// (controller.go serviceEndpoints); accepting all three keeps lint from calling a working
// Ingress broken.
bool service_has_port(const Object& svc, const Value& port) {
  for (const Value& p : svc.spec()["ports"].items()) {
    const Value& target = p["targetPort"];
    if (port.is_string() && port.as_int(-1) < 0) {
      if (p["name"].str() == port.str() || target.str() == port.str()) return true;
    } else if (p["port"].as_int(-1) == port.as_int(-2) || target.as_int(-1) == port.as_int(-2)) {
      return true;
    }
  }
  return false;
}

std::string service_ports_text(const Object& svc) {
  std::string out;
  for (const Value& p : svc.spec()["ports"].items()) {
    out += fmt::format("{}{}", out.empty() ? "" : ", ",
                       p["name"].str().empty()
                           ? std::to_string(p["port"].as_int())
                           : fmt::format("{} ({})", p["name"].str(), p["port"].as_int()));
  }
  return out.empty() ? "none" : out;
}

void check_ingress(const Cluster& cluster, const Object& ing, std::vector<Finding>& out) {
  std::map<std::string_view, std::vector<const Backend*>> missing;  // by Service name
  const std::vector<Backend> all = backends(ing);
  for (const Backend& b : all) {
    const Object* svc = find_referenced(cluster, "Service", ing, b.service);
    if (svc == nullptr) {
      missing[b.service].push_back(&b);
      continue;
    }
    if (b.port->is_null() || service_has_port(*svc, *b.port)) continue;
    const std::string port = port_text(*b.port);
    Finding& f = add_finding(
        out, kBackendPortMissing, ing,
        fmt::format("Ingress {} routes {} to port {} of Service {}, which has no such port (it "
                    "has: {}): those requests get 503",
                    ing.name, b.route, port, svc->name, service_ports_text(*svc)),
        fmt::format("{}:{}:{}", b.service, port, b.port_path));
    f.evidence.push_back(Evidence::field("", b.port_path, port));
    f.evidence.push_back(
        Evidence::field(kubectl_name(*svc), ".spec.ports", service_ports_text(*svc)));
    f.fix = fmt::format(
        "Set {} to one of Service {}'s ports ({}), or add the port to the Service "
        "(`ports: [{{name: <name>, port: {}, targetPort: <container port>}}]`)",
        b.port_path.substr(1), svc->name, service_ports_text(*svc), port);
  }
  for (const auto& [name, group] : missing) {
    Finding& f = add_finding(
        out, kBackendMissing, ing,
        fmt::format("Ingress {} routes {} to Service {}, which the manifests do not define in "
                    "namespace {}: unless it exists there already, those requests get 503",
                    ing.name, group.front()->route, name, effective_namespace(ing)),
        name);
    for (const Backend* b : group)
      f.evidence.push_back(Evidence::field("", b->name_path, std::string(name)));
    f.fix = fmt::format(
        "An Ingress reaches only Services of its own namespace: add Service {} to namespace {} "
        "(metadata.namespace: {}), create the Ingress in the Service's namespace, or correct "
        "{}.",
        name, effective_namespace(ing), effective_namespace(ing),
        group.front()->name_path.substr(1));
  }
}

void check_hpa(const Cluster& cluster, const Object& hpa, std::vector<Finding>& out) {
  const Value& ref = hpa.spec()["scaleTargetRef"];
  const std::string_view kind = ref["kind"].str();
  const std::string_view name = ref["name"].str();
  if (kind.empty() || name.empty() || find_referenced(cluster, kind, hpa, name) != nullptr) return;
  // The same name under another scalable kind: most likely the kind is wrong.
  const Object* other = nullptr;
  for (std::string_view k : {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}) {
    if (k != kind && other == nullptr) other = find_referenced(cluster, k, hpa, name);
  }
  Finding& f = add_finding(
      out, kHpaTargetMissing, hpa,
      fmt::format("HorizontalPodAutoscaler {} scales {} {}, which the manifests do not define{}: "
                  "unless it exists in the cluster, the autoscaler cannot scale anything",
                  hpa.name, kind, name,
                  other != nullptr ? fmt::format(" (they define {} {})", other->kind, name) : ""));
  f.evidence.push_back(Evidence::field(
      "", other != nullptr ? ".spec.scaleTargetRef.kind" : ".spec.scaleTargetRef.name",
      std::string(other != nullptr ? kind : name)));
  if (other != nullptr)
    f.evidence.push_back(Evidence::field(kubectl_name(*other), ".kind", std::string(other->kind)));
  f.fix = other != nullptr
              ? fmt::format(
                    "Set the target's kind: `spec: {{scaleTargetRef: {{apiVersion: {}, kind: {}, "
                    "name: {}}}}}`",
                    other->api_version, other->kind, name)
              : fmt::format(
                    "Point spec.scaleTargetRef (apiVersion, kind, name) at the workload "
                    "to scale, or add {} {} to the manifests.",
                    kind, name);
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const Object* ing : ctx.cluster.of_kind("Ingress")) check_ingress(ctx.cluster, *ing, out);
  for (const Object* hpa : ctx.cluster.of_kind("HorizontalPodAutoscaler"))
    check_hpa(ctx.cluster, *hpa, out);
}

constexpr std::array kRules{kBackendMissing, kBackendPortMissing, kHpaTargetMissing};

}  // namespace

const LintCheck kTargetReferencesCheck{"references-targets", kRules, run};

}  // namespace ktriage::lint
