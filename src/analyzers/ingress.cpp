// Ingress: the runbook's "the Ingress answers 503, 404 or has no address" steps. Each backend
// reference (networking.k8s.io/v1 `service.name` / `service.port`, and the beta APIs'
// `serviceName` / `servicePort`) is checked against the Services of the snapshot, the class
// against the IngressClasses, controller events against the catalog; after the other analyzers,
// a backend Service without ready endpoints (ingress-nginx's 503) is linked to that Service's
// finding. https://kubernetes.io/docs/concepts/services-networking/ingress/
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"

namespace ktriage {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/concepts/services-networking/ingress/";

constexpr Rule kServiceNotFound{
    "ingress-backend-service-not-found",
    "INGRESS-BACKEND-SERVICE-NOT-FOUND",
    Severity::kCritical,
    "Ingress backend names a Service that does not exist in the Ingress's namespace",
    "Create the Ingress in the Service's namespace, or correct the backend's Service name.",
    kDoc};
constexpr Rule kPortNotFound{
    "ingress-backend-port-not-found",
    "INGRESS-BACKEND-SERVICE-PORT-NOT-FOUND",
    Severity::kCritical,
    "Ingress backend names a port its Service does not define",
    "Reference one of the Service's port names or numbers, or rename the Service port.",
    kDoc};
constexpr Rule kNoReadyEndpoints{
    "ingress-backend-no-ready-endpoints",
    "INGRESS-NGINX-NO-ACTIVE-ENDPOINT",
    Severity::kWarning,
    "Ingress routes to a Service with no ready endpoints: the controller answers 503",
    "Fix the backend Service's endpoints (see the finding under it).",
    kDoc};
constexpr Rule kClassNotFound{
    "ingress-class-not-found",
    "INGRESS-NOT-PICKED-UP",
    Severity::kWarning,
    "Ingress has no address: its class names no IngressClass, or it has no class and no default",
    "Set spec.ingressClassName to an installed IngressClass, or mark one as the default.",
    kDoc};
constexpr Rule kAlbReconcile{
    "ingress-alb-reconcile-failed",
    "INGRESS-ALB-RECONCILE-FAILED",
    Severity::kCritical,
    "The ALB Ingress controller failed to build or apply the Ingress",
    "Correct the annotations or rules the event names, or the AlbConfig listeners and quotas.",
    "https://www.alibabacloud.com/help/en/ack/serverless-kubernetes/user-guide/"
    "troubleshooting-alb-ingress-exceptions"};
constexpr Rule kTlsSecret{
    "ingress-tls-secret-invalid",
    "",
    Severity::kWarning,
    "Ingress TLS names a Secret that is missing or holds no certificate: the controller serves "
    "its default self-signed certificate for those hosts",
    "Create the kubernetes.io/tls Secret (tls.crt, tls.key) in the Ingress's namespace, or fix "
    "secretName; with cert-manager, fix the Certificate that should issue it.",
    "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"};
constexpr Rule kConflict{
    "ingress-host-path-conflict",
    "",
    Severity::kWarning,
    "Two Ingresses of one class route the same host and path to different backends: only the "
    "oldest one's rule is served",
    "Keep one rule per host and path: delete or change the newer Ingress's path or host.",
    "https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/"};
constexpr Rule kControllerDown{
    "ingress-controller-unavailable",
    "INGRESS-NOT-PICKED-UP",
    Severity::kCritical,
    "No pod of the Ingress controller is Ready: every Ingress of its class is unserved",
    "Fix the controller's pods (see the findings under this one), or install the controller.",
    kDoc};
constexpr Rule kRules[] = {kServiceNotFound, kPortNotFound, kNoReadyEndpoints, kClassNotFound,
                           kAlbReconcile,    kTlsSecret,    kConflict,         kControllerDown};

// One backend reference of an Ingress: where it is (".spec.rules[0].http.paths[1].backend"), the
// Service name, and its port as a name or a number (one of them set).
struct Backend {
  std::string path;
  std::string_view route;  // the HTTP path it serves, "" for the default backend
  std::string_view service;
  std::string_view port_name;
  std::int64_t port_number = 0;
  std::string service_field;  // path of the name field, for evidence
  std::string port_field;
};

Backend read_backend(const Value& b, std::string path, std::string_view route) {
  Backend out;
  out.path = std::move(path);
  out.route = route;
  if (b["service"].is_object()) {  // networking.k8s.io/v1
    out.service = b["service"]["name"].str();
    out.port_name = b["service"]["port"]["name"].str();
    out.port_number = b["service"]["port"]["number"].as_int(0);
    out.service_field = out.path + ".service.name";
    out.port_field =
        out.path + (out.port_name.empty() ? ".service.port.number" : ".service.port.name");
  } else {  // extensions/v1beta1, networking.k8s.io/v1beta1: servicePort is int-or-string
    out.service = b["serviceName"].str();
    const Value& port = b["servicePort"];
    out.port_number = port.as_int(0);
    if (out.port_number == 0) out.port_name = port.str();
    out.service_field = out.path + ".serviceName";
    out.port_field = out.path + ".servicePort";
  }
  return out;
}

std::vector<Backend> backends_of(const Object& ing) {
  std::vector<Backend> out;
  const Value& spec = ing.spec();
  for (const char* key : {"defaultBackend", "backend"}) {  // v1, beta
    if (spec[key].is_object())
      out.push_back(read_backend(spec[key], fmt::format(".spec.{}", key), ""));
  }
  const auto rules = spec["rules"].items();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto paths = rules[i]["http"]["paths"].items();
    for (std::size_t j = 0; j < paths.size(); ++j) {
      out.push_back(read_backend(paths[j]["backend"],
                                 fmt::format(".spec.rules[{}].http.paths[{}].backend", i, j),
                                 paths[j]["path"].str()));
    }
  }
  // Resource backends (backend.resource) name no Service.
  std::erase_if(out, [](const Backend& b) { return b.service.empty(); });
  return out;
}

std::string port_text(const Backend& b) {
  return b.port_name.empty() ? std::to_string(b.port_number) : std::string(b.port_name);
}

// Controller log lines about `ns/service`: ingress-nginx's internal/ingress/controller/
// controller.go logs `Error obtaining Endpoints for Service "ns/name": no object matching key ...`
// when the Service is missing and `Service "ns/name" does not have any active Endpoint.` when it
// has no ready endpoint (v1.x; older releases: `service ns/name does not have any active
// endpoints`). Up to `max` lines, with the total count.
struct LogHits {
  std::vector<Evidence> samples;
  std::size_t count = 0;
};

LogHits controller_log_lines(const Cluster& cluster, std::string_view ns, std::string_view service,
                             std::string_view wording, std::size_t max = 2) {
  LogHits hits;
  const std::string quoted = fmt::format("Service \"{}/{}\"", ns, service);
  const std::string legacy = fmt::format("service {}/{} ", ns, service);
  for (const ContainerLog& log : cluster.container_logs()) {
    std::string_view text = log.text;
    std::uint32_t line = log.first_line;
    for (std::size_t start = 0; start < text.size(); ++line) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view l = text.substr(start, end - start);
      start = end + 1;
      if (!has(l, wording) || !(has(l, quoted) || has(l, legacy))) continue;
      ++hits.count;
      if (hits.samples.size() < max) {
        Evidence ev;
        ev.kind = Evidence::Kind::kLog;
        ev.file = log.file;
        ev.line = line;
        ev.value = shorten(l, 240);
        hits.samples.push_back(std::move(ev));
      }
    }
  }
  return hits;
}

void add_log_hits(Finding& f, LogHits hits) {
  if (hits.count > hits.samples.size()) {
    f.evidence.push_back(
        Evidence::note(fmt::format("the controller logged this {} times", hits.count)));
  }
  for (Evidence& e : hits.samples) f.evidence.push_back(std::move(e));
}

void check_service_missing(const Cluster& cluster, const Object& ing, const Backend& b,
                           FindingSink& sink) {
  std::vector<std::string_view> elsewhere;
  for (const Object* svc : cluster.of_kind("Service")) {
    if (svc->name == b.service && svc->ns != ing.ns) elsewhere.push_back(svc->ns);
  }
  Finding& f = sink.add(
      kServiceNotFound, ing,
      fmt::format(
          "Ingress {} routes {} to Service {}, which does not exist in "
          "namespace {}{}",
          ing.name, b.route.empty() ? "its default backend" : b.route, b.service, ing.ns,
          elsewhere.empty() ? "" : fmt::format(" (it exists in {})", fmt::join(elsewhere, ", "))),
      b.service);
  f.evidence.push_back(field_evidence(ing, b.service_field, b.service));
  if (!elsewhere.empty()) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "service/{} exists in namespace {}; an Ingress backend can only name a Service in the "
        "Ingress's own namespace ({})",
        b.service, fmt::join(elsewhere, ", "), ing.ns)));
  }
  add_log_hits(f, controller_log_lines(cluster, ing.ns, b.service, "Error obtaining Endpoints"));
  if (elsewhere.size() == 1) {
    f.fix = fmt::format(
        "Create Ingress {0} in namespace {1}, where Service {2} is: set metadata.namespace: {1} in "
        "its manifest, apply it, and delete the copy in {3} (kubectl -n {3} delete ingress {0}). "
        "To route across namespaces instead, add an ExternalName Service {2} in {3}.",
        ing.name, elsewhere.front(), b.service, ing.ns);
  } else {
    f.fix = fmt::format(
        "Create Service {} in namespace {}, or correct {} of Ingress {}: kubectl -n {} edit "
        "ingress {}",
        b.service, ing.ns, b.service_field, ing.name, ing.ns, ing.name);
  }
}

// ingress-nginx resolves a backend port by the Service port's `port`, `name` or `targetPort`
// (controller.go serviceEndpoints); other controllers by `port` or `name` only.
void check_port(const Object& ing, const Object& svc, const Backend& b, FindingSink& sink) {
  std::vector<std::string> offered;
  for (const Value& p : svc.spec()["ports"].items()) {
    const std::string_view name = p["name"].str();
    const std::int64_t number = p["port"].as_int(0);
    const Value& target = p["targetPort"];
    if (!b.port_name.empty() && (name == b.port_name || target.str() == b.port_name)) return;
    if (b.port_number != 0 && (number == b.port_number || target.as_int(-1) == b.port_number))
      return;
    offered.push_back(name.empty() ? std::to_string(number) : fmt::format("{} ({})", name, number));
  }
  if (b.port_name.empty() && b.port_number == 0) return;  // no port given: nothing to check
  Finding& f = sink.add(kPortNotFound, ing,
                        fmt::format("Ingress {} routes {} to port {} of Service {}, which has no "
                                    "such port",
                                    ing.name, b.route.empty() ? "its default backend" : b.route,
                                    port_text(b), b.service),
                        fmt::format("{}:{}", b.service, port_text(b)));
  f.evidence.push_back(field_evidence(ing, b.port_field, port_text(b)));
  f.evidence.push_back(
      Evidence::field(kubectl_name(svc), ".spec.ports",
                      offered.empty() ? "none" : fmt::format("{}", fmt::join(offered, ", "))));
  f.fix = fmt::format(
      "Set {} of Ingress {} to one of Service {}'s ports ({}), or rename the Service port; feed "
      "both from one value in the chart: kubectl -n {} edit ingress {}",
      b.port_field, ing.name, b.service,
      offered.empty() ? "it has none" : fmt::format("{}", fmt::join(offered, ", ")), ing.ns,
      ing.name);
}

bool is_default_class(const Object& cls) {
  return cls.metadata()["annotations"]["ingressclass.kubernetes.io/is-default-class"].str() ==
         "true";
}

void check_class(const Cluster& cluster, const Object& ing, FindingSink& sink) {
  const auto classes = cluster.of_kind("IngressClass");
  if (classes.empty()) return;  // the snapshot does not say which classes exist
  if (ing.status()["loadBalancer"]["ingress"].size() > 0) return;  // a controller took it
  const std::string_view wanted = ing.spec()["ingressClassName"].str();
  const std::string_view legacy =
      ing.metadata()["annotations"]["kubernetes.io/ingress.class"].str();
  std::vector<std::string> names;
  bool found = false, has_default = false;
  for (const Object* cls : classes) {
    names.push_back(fmt::format("{} ({})", cls->name, cls->spec()["controller"].str()));
    found = found || cls->name == wanted;
    has_default = has_default || is_default_class(*cls);
  }
  if (!wanted.empty() && found) return;
  if (wanted.empty() && (!legacy.empty() || has_default)) return;
  const std::string listed = fmt::format("{}", fmt::join(names, ", "));
  Finding& f = sink.add(
      kClassNotFound, ing,
      wanted.empty()
          ? fmt::format("Ingress {} has no class and no IngressClass is the default: no controller "
                        "serves it and it has no address",
                        ing.name)
          : fmt::format("Ingress {} asks for IngressClass {}, which does not exist: no controller "
                        "serves it and it has no address",
                        ing.name, wanted));
  f.evidence.push_back(
      field_evidence(ing, ".spec.ingressClassName", wanted.empty() ? "(unset)" : wanted));
  f.evidence.push_back(field_evidence(ing, ".status.loadBalancer.ingress", "(empty)"));
  f.evidence.push_back(Evidence::note("IngressClasses in the snapshot: " + listed));
  f.fix = fmt::format(
      "Set spec.ingressClassName of Ingress {} to one of {} (kubectl -n {} edit ingress {}), or "
      "mark a class as the default with the annotation "
      "ingressclass.kubernetes.io/is-default-class=\"true\"",
      ing.name, listed, ing.ns, ing.name);
}

// Alibaba Cloud ALB Ingress controller events (cloud-provider-alibaba-cloud
// pkg/controller/ingress/alb_controller.go): FailedBuildModel when annotations or rules are
// invalid, FailedApplyModel when the ALB API refuses the change.
void check_alb_events(const Cluster& cluster, const Object& ing, FindingSink& sink) {
  for (std::string_view reason : {"FailedBuildModel", "FailedApplyModel"}) {
    const Event* e = latest_event(cluster, ing, reason);
    if (e == nullptr || e->type != "Warning") continue;
    Finding& f = sink.add(kAlbReconcile, ing,
                          fmt::format("The ALB Ingress controller cannot {} Ingress {}: {}",
                                      reason == "FailedBuildModel" ? "build" : "apply", ing.name,
                                      shorten(e->message, 120)),
                          reason);
    f.evidence.push_back(event_evidence(cluster, *e));
    f.fix = reason == "FailedBuildModel"
                ? fmt::format(
                      "Correct the annotation or rule the message names on Ingress {} "
                      "(kubectl -n {} edit ingress {}); a newer controller gives fuller "
                      "messages.",
                      ing.name, ing.ns, ing.name)
                : "Fix what the ALB API refused (IncorrectStatus.*: wait for the instance; quota: "
                  "raise the ALB rule/server-group quota; listener or certificate: correct the "
                  "AlbConfig), then re-apply the Ingress.";
  }
}

// spec.tls[].secretName: the Secret must be in the Ingress's namespace and hold tls.crt and
// tls.key (ingress-nginx reads any Secret with those keys; type kubernetes.io/tls guarantees
// them). Without a certificate the controller serves its "Kubernetes Ingress Controller Fake
// Certificate" for those hosts, and clients fail TLS verification.
void check_tls(const Cluster& cluster, const Object& ing, FindingSink& sink) {
  const auto tls = ing.spec()["tls"].items();
  for (std::size_t i = 0; i < tls.size(); ++i) {
    const std::string_view name = tls[i]["secretName"].str();
    if (name.empty()) continue;  // the controller's default certificate, by design
    std::vector<std::string> hosts;
    for (const Value& h : tls[i]["hosts"].items()) hosts.emplace_back(h.str());
    const std::string host_text =
        hosts.empty() ? "its hosts" : fmt::format("{}", fmt::join(hosts, ", "));
    const std::string path = fmt::format(".spec.tls[{}].secretName", i);
    const Object* secret = cluster.find("Secret", ing.ns, name);
    std::string problem;
    std::vector<Evidence> facts;
    if (secret == nullptr) {
      std::vector<std::string_view> elsewhere;
      for (const Object* s : cluster.of_kind("Secret")) {
        if (s->name == name && s->ns != ing.ns) elsewhere.push_back(s->ns);
      }
      problem = fmt::format(
          "which does not exist in namespace {}{}", ing.ns,
          elsewhere.empty() ? "" : fmt::format(" (it exists in {})", fmt::join(elsewhere, ", ")));
      for (const Object* c : cluster.of_kind("Certificate")) {
        if (c->ns == ing.ns && c->spec()["secretName"].str() == name) {
          facts.push_back(Evidence::note(fmt::format(
              "certificate/{} (cert-manager) should write this Secret: it has not issued it yet",
              c->name)));
        }
      }
    } else {
      const std::string_view type = (*secret)["type"].str();
      const bool keys_known = secret->annotations()["ktriage.io/data"].str() != "not-collected";
      const Value& data = (*secret)["data"];
      const bool has_keys = data.contains("tls.crt") && data.contains("tls.key");
      if (type == "kubernetes.io/tls" || (keys_known && has_keys) ||
          (!keys_known && (type.empty() || type == "Opaque")))
        continue;
      problem =
          fmt::format("which holds no certificate (type {}{})", type.empty() ? "unknown" : type,
                      keys_known ? ", no tls.crt and tls.key keys" : "");
      facts.push_back(Evidence::field(kubectl_name(*secret), ".type",
                                      type.empty() ? "(unset)" : std::string(type)));
    }
    Finding& f = sink.add(kTlsSecret, ing,
                          fmt::format("Ingress {} serves {} over TLS with Secret {}, {}: clients "
                                      "get the controller's default self-signed certificate",
                                      ing.name, host_text, name, problem),
                          name);
    f.evidence.push_back(field_evidence(ing, path, name));
    for (Evidence& e : facts) f.evidence.push_back(std::move(e));
    f.fix = fmt::format(
        "Create Secret {0} in namespace {1} with the certificate of {2}: kubectl -n {1} create "
        "secret tls {0} --cert=tls.crt --key=tls.key (or fix the Certificate that should issue "
        "it, or {3} of Ingress {4}).",
        name, ing.ns, host_text, path, ing.name);
  }
}

std::string_view class_of(const Object& ing) {
  const std::string_view cls = ing.spec()["ingressClassName"].str();
  return cls.empty() ? ing.metadata()["annotations"]["kubernetes.io/ingress.class"].str() : cls;
}

// The same host and path in two Ingresses of one class: ingress-nginx serves the oldest
// Ingress's rule (its admission webhook rejects the newer one with `host "H" and path "P" is
// already defined in ingress NS/NAME`, internal/ingress/controller/controller.go); other
// controllers merge them in unspecified order. Only objects read from a cluster count (they have
// a creationTimestamp, which decides the winner); manifests are lint's business. Resource
// backends (backend.resource) take part as routes but are not named as Services.
void check_conflicts(const Cluster& cluster, FindingSink& sink) {
  struct Route {
    const Object* ing;
    std::string field;
    Backend backend;
  };
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::vector<Route>>
      routes;  // (class, host, path)
  for (const Object* ing : cluster.of_kind("Ingress")) {
    if (ing->metadata()["creationTimestamp"].str().empty()) continue;
    // ingress-nginx's canary Ingress shares host and path with the main one on purpose.
    if (ing->annotations()["nginx.ingress.kubernetes.io/canary"].str() == "true") continue;
    const auto rules = ing->spec()["rules"].items();
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const auto paths = rules[i]["http"]["paths"].items();
      for (std::size_t j = 0; j < paths.size(); ++j) {
        const std::string field = fmt::format(".spec.rules[{}].http.paths[{}]", i, j);
        routes[{class_of(*ing), rules[i]["host"].str(), paths[j]["path"].str()}].push_back(
            Route{ing, field, read_backend(paths[j]["backend"], field + ".backend", "")});
      }
    }
  }
  for (auto& [key, list] : routes) {
    if (list.size() < 2) continue;
    std::stable_sort(list.begin(), list.end(), [](const Route& a, const Route& b) {
      return a.ing->metadata()["creationTimestamp"].str() <
             b.ing->metadata()["creationTimestamp"].str();
    });
    const Route& served = list.front();
    for (std::size_t k = 1; k < list.size(); ++k) {
      const Route& r = list[k];
      if (r.ing == served.ing) continue;
      if (r.backend.service.empty() || served.backend.service.empty()) continue;  // resource
      if (r.backend.service == served.backend.service &&
          port_text(r.backend) == port_text(served.backend))
        continue;  // the same backend twice: redundant, not a fault
      const auto& [cls, host, route] = key;
      Finding& f = sink.add(
          kConflict, *r.ing,
          fmt::format("Ingress {} routes {}{} to Service {}, but Ingress {}/{} (older) routes the "
                      "same host and path to Service {}: only the older rule is served",
                      r.ing->name, host.empty() ? "any host" : host, route.empty() ? "/" : route,
                      r.backend.service, served.ing->ns, served.ing->name, served.backend.service),
          fmt::format("{}{}", host, route));
      f.evidence.push_back(field_evidence(*r.ing, r.field,
                                          fmt::format("host {} path {} -> {}:{}", host, route,
                                                      r.backend.service, port_text(r.backend))));
      f.evidence.push_back(
          Evidence::field(kubectl_name(*served.ing), served.field,
                          fmt::format("host {} path {} -> {}:{} (created {})", host, route,
                                      served.backend.service, port_text(served.backend),
                                      served.ing->metadata()["creationTimestamp"].str())));
      f.evidence.push_back(field_evidence(*r.ing, ".metadata.creationTimestamp",
                                          r.ing->metadata()["creationTimestamp"].str()));
      if (!cls.empty()) f.evidence.push_back(Evidence::note(fmt::format("IngressClass {}", cls)));
      f.fix = fmt::format(
          "Keep one rule for {}{}: delete it from Ingress {} (kubectl -n {} edit ingress {}) or "
          "from {}/{}, or give one a different path or host.",
          host.empty() ? "any host" : host, route.empty() ? "/" : route, r.ing->name, r.ing->ns,
          r.ing->name, served.ing->ns, served.ing->name);
    }
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  check_conflicts(cluster, sink);
  // Secrets are judged per namespace: a snapshot may hold one namespace's Secrets only.
  std::set<std::string_view> secret_namespaces;
  for (const Object* s : cluster.of_kind("Secret")) secret_namespaces.insert(s->ns);
  // Without any Service in the snapshot a missing backend proves nothing.
  const bool services_known = !cluster.of_kind("Service").empty();
  for (const Object* ing : cluster.of_kind("Ingress")) {
    for (const Backend& b : backends_of(*ing)) {
      const Object* svc = cluster.find("Service", ing->ns, b.service);
      if (svc == nullptr) {
        if (services_known) check_service_missing(cluster, *ing, b, sink);
        continue;
      }
      check_port(*ing, *svc, b, sink);
    }
    check_class(cluster, *ing, sink);
    check_alb_events(cluster, *ing, sink);
    if (secret_namespaces.count(ing->ns) > 0) check_tls(cluster, *ing, sink);
  }
}

// The in-cluster controllers ktriage knows by their IngressClass spec.controller and image:
// ingress-nginx (k8s.io/ingress-nginx; registry.k8s.io/ingress-nginx/controller, ACK's
// nginx-ingress-controller). ALB and MSE controllers run outside the cluster and are not judged.
bool nginx_controller_image(std::string_view image) {
  return has(image, "ingress-nginx/controller") || has(image, "nginx-ingress-controller");
}

// An IngressClass whose controller has pods in the snapshot, none of them Ready. The pods' own
// findings say why; the Ingresses of the class are the symptoms.
void check_controller(const Cluster& cluster, std::span<const Finding> findings,
                      FindingSink& sink) {
  // Only an ingress-nginx class with Ingresses makes the controller's pods worth looking for.
  const auto classes = cluster.of_kind("IngressClass");
  if (std::none_of(classes.begin(), classes.end(),
                   [](const Object* c) {
                     return c->spec()["controller"].str() == "k8s.io/ingress-nginx";
                   }) ||
      cluster.of_kind("Ingress").empty())
    return;
  std::vector<const Object*> controllers;
  for (const Object* pod : cluster.of_kind("Pod")) {
    for (const Value& c : pod->spec()["containers"].items()) {
      if (nginx_controller_image(c["image"].str())) {
        controllers.push_back(pod);
        break;
      }
    }
  }
  if (controllers.empty()) return;
  if (std::any_of(controllers.begin(), controllers.end(), [](const Object* p) {
        return PodView(*p).phase() == "Running" && PodView(*p).ready();
      }))
    return;
  for (const Object* cls : cluster.of_kind("IngressClass")) {
    if (cls->spec()["controller"].str() != "k8s.io/ingress-nginx") continue;
    std::vector<const Object*> served;
    for (const Object* ing : cluster.of_kind("Ingress")) {
      const std::string_view want = class_of(*ing);
      if (want == cls->name || (want.empty() && is_default_class(*cls))) served.push_back(ing);
    }
    if (served.empty()) continue;
    Finding& f = sink.add(
        kControllerDown, *cls,
        fmt::format("No ingress-nginx controller pod is Ready ({} pod{}, e.g. {}/{}): the {} "
                    "Ingress{} of class {} get no traffic",
                    controllers.size(), controllers.size() == 1 ? "" : "s", controllers.front()->ns,
                    controllers.front()->name, served.size(), served.size() == 1 ? "" : "es",
                    cls->name));
    f.evidence.push_back(field_evidence(*cls, ".spec.controller", "k8s.io/ingress-nginx"));
    for (std::size_t i = 0; i < controllers.size() && i < 3; ++i) {
      f.evidence.push_back(
          Evidence::field(kubectl_name(*controllers[i]), ".status.conditions[Ready]",
                          fmt::format("{} (phase {})",
                                      controllers[i]->condition("Ready")["status"].str().empty()
                                          ? "unknown"
                                          : controllers[i]->condition("Ready")["status"].str(),
                                      controllers[i]->status()["phase"].str())));
    }
    for (const Object* ing : served) f.also_affects.push_back(ing->ref());
    for (const Finding& pf : findings) {
      for (const Object* p : controllers) {
        if (pf.object.kind == "Pod" && pf.object.ns == p->ns && pf.object.name == p->name)
          f.add_cause(pf.id);
      }
    }
    f.fix = fmt::format(
        "Fix the controller's pods (the findings under this one): kubectl -n {0} get pods -o wide "
        "{1}; kubectl -n {0} logs {1} --previous. The Ingresses recover as soon as one "
        "controller pod is Ready.",
        controllers.front()->ns, controllers.front()->name);
  }
}

// After the services analyzer: a backend whose Service has no ready endpoint is a symptom of
// that Service's finding.
void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  check_controller(cluster, findings, sink);
  for (const Object* ing : cluster.of_kind("Ingress")) {
    for (const Backend& b : backends_of(*ing)) {
      std::vector<const Finding*> causes;
      for (const Finding& f : findings) {
        if (f.object.kind == "Service" && f.object.ns == ing->ns && f.object.name == b.service &&
            (f.rule == "svc-no-ready-endpoints" || f.rule == "svc-selector-matches-nothing" ||
             f.rule == "svc-no-selector-no-endpoints")) {
          causes.push_back(&f);
        }
      }
      if (causes.empty()) continue;
      Finding& f = sink.add(
          kNoReadyEndpoints, *ing,
          fmt::format("Ingress {} routes {} to Service {}, which has no ready "
                      "endpoints: requests there get 503",
                      ing->name, b.route.empty() ? "its default backend" : b.route, b.service),
          b.service);
      f.evidence.push_back(field_evidence(*ing, b.service_field, b.service));
      add_log_hits(f,
                   controller_log_lines(cluster, ing->ns, b.service, "does not have any active"));
      for (const Finding* c : causes) f.caused_by.push_back(c->id);
      f.fix = fmt::format(
          "Nothing to change on the Ingress: fix Service {} (the finding under it); the "
          "controller sends traffic again as soon as an endpoint is ready.",
          b.service);
    }
  }
}

}  // namespace

const AnalyzerDef& ingress_analyzer() {
  static const AnalyzerDef kDef{"ingress", kRules, run, run_after};
  return kDef;
}

}  // namespace ktriage
