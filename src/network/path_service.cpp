// Service -> EndpointSlices (else Endpoints, else the selector) -> Pods, for netcheck's path.
// Sources: https://kubernetes.io/docs/concepts/services-networking/service/ and
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "model/pod.h"
#include "model/ports.h"
#include "model/scheduling.h"
#include "network/path_detail.h"

namespace ktriage::network::detail {
namespace {

// The spec.ports entry the request names: by number (port or nodePort), by name, or the first.
// A name without a protocol matches whatever the port's protocol: the API server keeps port names
// unique within a Service, so the name alone picks one (kube-dns's "dns" is UDP 53, "dns-tcp"
// TCP 53; https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/,
// ServiceSpec.ports.name).
int find_service_port(const Object& svc, const PortSpec& want) {
  int i = 0;
  for (const Value& p : svc.spec()["ports"].items()) {
    const bool proto = protocol_of(p) == want.protocol;
    if (want.port == 0 && want.name.empty()) return i;
    if (proto && want.port != 0 &&
        (p["port"].as_int() == want.port || p["nodePort"].as_int() == want.port))
      return i;
    if ((proto || !want.protocol_given) && !want.name.empty() && p["name"].str() == want.name)
      return i;
    ++i;
  }
  return -1;
}

std::string ports_text(const Object& svc) {
  std::string out;
  for (const Value& p : svc.spec()["ports"].items()) {
    out += fmt::format("{}{}/{}", out.empty() ? "" : ", ", p["port"].as_int(), protocol_of(p));
    if (!p["name"].str().empty()) out += fmt::format(" ({})", p["name"].str());
  }
  return out.empty() ? "(none)" : out;
}

struct Address {
  std::string_view pod;  // targetRef name ("" when not a pod)
  bool ready = true;
};

// Endpoints of the Service from its EndpointSlices, else its Endpoints object. `found` is false
// when the snapshot has neither. The number is the endpoint port whose name is the Service
// port's name (how kube-proxy pairs them).
std::vector<Address> read_endpoints(const Cluster& cluster, const Object& svc,
                                    std::string_view port_name, int* number, bool* found,
                                    Hop& hop) {
  std::vector<Address> out;
  *found = false;
  for (const Object* s : cluster.of_kind("EndpointSlice")) {
    if (s->ns != svc.ns || s->label("kubernetes.io/service-name") != svc.name) continue;
    *found = true;
    hop.evidence.push_back(
        {subject(*s), ".endpoints", fmt::format("{} endpoint(s)", (*s->root)["endpoints"].size())});
    for (const Value& p : (*s->root)["ports"].items()) {
      if (p["name"].str() == port_name) *number = static_cast<int>(p["port"].as_int());
    }
    for (const Value& e : (*s->root)["endpoints"].items()) {
      const Value& r = e["conditions"]["ready"];  // nil means ready (discovery.k8s.io/v1)
      out.push_back({e["targetRef"]["kind"].str() == "Pod" ? e["targetRef"]["name"].str() : "",
                     r.is_null() || r.as_bool()});
    }
  }
  if (*found) return out;
  const Object* ep = cluster.find("Endpoints", svc.ns, svc.name);
  if (ep == nullptr) return out;
  *found = true;
  int i = 0;
  for (const Value& subset : (*ep->root)["subsets"].items()) {
    for (const Value& p : subset["ports"].items()) {
      if (p["name"].str() == port_name) *number = static_cast<int>(p["port"].as_int());
    }
    for (const Value& a : subset["addresses"].items())
      out.push_back({a["targetRef"]["name"].str(), true});
    for (const Value& a : subset["notReadyAddresses"].items())
      out.push_back({a["targetRef"]["name"].str(), false});
    hop.evidence.push_back({subject(*ep), fmt::format(".subsets[{}]", i++),
                            fmt::format("{} ready, {} not ready", subset["addresses"].size(),
                                        subset["notReadyAddresses"].size())});
  }
  return out;
}

// The pods the selector picks (when the snapshot has no endpoints objects).
std::vector<const Object*> selected_pods(const Cluster& cluster, const Object& svc) {
  std::vector<const Object*> out;
  const Value& sel = svc.spec()["selector"];
  if (sel.size() == 0) return out;
  const Member& first = sel.members()[0];
  for (const Object* pod : cluster.pods_with_label(svc.ns, first.key, first.value.str())) {
    if (map_selector_matches(sel, pod->labels()) && !PodView(*pod).terminated()) out.push_back(pod);
  }
  return out;
}

}  // namespace

std::string subject(const Object& obj) {
  std::string kind = ascii_lower(obj.kind);
  if (kind == "service") kind = "svc";
  return obj.ns.empty() ? fmt::format("{}/{}", kind, obj.name)
                        : fmt::format("{}/{}/{}", kind, obj.ns, obj.name);
}

int resolve_on_pod(const Object& pod, const Value& port, std::string_view protocol) {
  if (!is_port_name(port)) return static_cast<int>(port.as_int());
  for (const Value& c : pod.spec()["containers"].items()) {
    for (const Value& p : c["ports"].items()) {
      if (p["name"].str() == port.str() && protocol_of(p) == protocol)
        return static_cast<int>(p["containerPort"].as_int());
    }
  }
  return 0;
}

namespace {

std::string selector_text(const Value& selector) {
  std::string s;
  for (const Member& m : selector.members())
    s += fmt::format("{}{}={}", s.empty() ? "" : ",", m.key, m.value.str());
  return s;
}

// The service hop: type, IPs, the port the request names. Returns that spec.ports entry, or
// nullptr when the path ends here (ExternalName, no such port; `w` says which).
const Value* service_hop(const Object& svc, const PortSpec& port, Hop& sh, ServiceWalk& w) {
  const std::string_view type =
      svc.spec()["type"].str().empty() ? "ClusterIP" : svc.spec()["type"].str();
  const std::string_view cluster_ip = svc.spec()["clusterIP"].str();
  sh.evidence.push_back({sh.subject, ".spec.type", std::string(type)});
  if (type == "ExternalName") {
    w.external_name = std::string(svc.spec()["externalName"].str());
    sh.verdict = Verdict::kWarning;
    sh.summary = fmt::format(
        "ExternalName: cluster DNS answers a CNAME to {}; the path leaves the cluster there",
        w.external_name);
    sh.evidence.push_back({sh.subject, ".spec.externalName", w.external_name});
    return nullptr;
  }
  sh.evidence.push_back({sh.subject, ".spec.clusterIP", std::string(cluster_ip)});
  const int index = find_service_port(svc, port);
  if (index < 0) {
    sh.verdict = Verdict::kBlocked;
    sh.summary =
        port.port == 0 && !port.protocol_given
            ? fmt::format("the Service has no port named {}", port.name)
            : fmt::format("the Service has no port {}/{}",
                          port.port != 0 ? std::to_string(port.port) : port.name, port.protocol);
    sh.evidence.push_back({sh.subject, ".spec.ports", ports_text(svc)});
    w.stop = true;
    return nullptr;
  }
  const Value& sp = svc.spec()["ports"][static_cast<std::size_t>(index)];
  w.service_port = static_cast<int>(sp["port"].as_int());
  w.protocol = std::string(protocol_of(sp));
  const Value& target = sp["targetPort"].is_null() ? sp["port"] : sp["targetPort"];
  sh.evidence.push_back({sh.subject, fmt::format(".spec.ports[{}]", index),
                         fmt::format("port {}/{} -> targetPort {}", w.service_port, w.protocol,
                                     target.is_string() ? std::string(target.str())
                                                        : std::to_string(target.as_int()))});
  if (type == "NodePort" || type == "LoadBalancer")
    sh.evidence.push_back({sh.subject, fmt::format(".spec.ports[{}].nodePort", index),
                           std::to_string(sp["nodePort"].as_int())});
  if (type == "LoadBalancer") {
    std::string ips;
    for (const Value& i : svc.status()["loadBalancer"]["ingress"].items())
      ips += fmt::format("{}{}", ips.empty() ? "" : ", ",
                         i["ip"].str().empty() ? i["hostname"].str() : i["ip"].str());
    sh.evidence.push_back(
        {sh.subject, ".status.loadBalancer.ingress", ips.empty() ? "(none yet)" : ips});
  }
  sh.verdict = Verdict::kOk;
  sh.summary = cluster_ip == "None"
                   ? fmt::format("headless {}: DNS answers the ready pods' IPs", type)
                   : fmt::format("{} {} port {}/{}", type, cluster_ip, w.service_port, w.protocol);
  const Value& selector = svc.spec()["selector"];
  sh.evidence.push_back({sh.subject, ".spec.selector",
                         selector.size() == 0
                             ? "(none): the endpoints are managed by hand or by a controller"
                             : selector_text(selector)});
  return &sp;
}

// The endpoints hop: the Service's pods with their readiness, from EndpointSlices, Endpoints or
// the selector. `endpoint_port` gets the port the endpoints name (0: none).
std::vector<std::pair<const Object*, bool>> endpoints_hop(const Cluster& cluster, const Object& svc,
                                                          const Value& sp, Hop& eh,
                                                          int* endpoint_port) {
  bool found = false;
  auto addresses = read_endpoints(cluster, svc, sp["name"].str(), endpoint_port, &found, eh);
  std::vector<std::pair<const Object*, bool>> pods;  // pod, ready per the endpoints
  if (found) {
    for (const Address& a : addresses) {
      if (const Object* pod = a.pod.empty() ? nullptr : cluster.find("Pod", svc.ns, a.pod))
        pods.emplace_back(pod, a.ready);
    }
    const auto ready =
        std::count_if(addresses.begin(), addresses.end(), [](const Address& a) { return a.ready; });
    eh.verdict = ready > 0 ? Verdict::kOk : Verdict::kBlocked;
    eh.summary = fmt::format("{} ready of {} endpoint(s){}", ready, addresses.size(),
                             ready > 0 ? "" : ": nothing receives the traffic");
    return pods;
  }
  for (const Object* pod : selected_pods(cluster, svc))
    pods.emplace_back(pod, PodView(*pod).ready());
  const auto ready = std::count_if(pods.begin(), pods.end(), [](auto& p) { return p.second; });
  eh.verdict = svc.spec()["selector"].size() == 0 ? Verdict::kUnknown
                                                  : (ready > 0 ? Verdict::kOk : Verdict::kBlocked);
  eh.summary = fmt::format(
      "no EndpointSlice or Endpoints in the snapshot; the selector picks {} pod(s), {} ready",
      pods.size(), ready);
  return pods;
}

// The pods hop: readiness and the targetPort resolved on each pod's containers.
void pods_hop(const std::vector<std::pair<const Object*, bool>>& pods, const Value& target,
              int endpoint_port, Hop& ph, ServiceWalk& w) {
  const std::string target_text =
      target.is_string() ? std::string(target.str()) : std::to_string(target.as_int());
  int good = 0, shown = 0;
  for (const auto& [pod, ready] : pods) {
    int number = endpoint_port != 0 ? endpoint_port : resolve_on_pod(*pod, target, w.protocol);
    w.backends.push_back({pod, number, ready});
    if (ready && number != 0) ++good;
    if (shown++ < 5) {
      ph.evidence.push_back(
          {subject(*pod), ".status.conditions[Ready]",
           fmt::format("{}; node {}; targetPort {} -> {}", ready ? "Ready" : "not Ready",
                       PodView(*pod).node_name().empty() ? "(none)" : PodView(*pod).node_name(),
                       target_text, number != 0 ? std::to_string(number) : "not declared")});
    }
  }
  if (pods.size() > 5)
    ph.evidence.push_back({"", "", fmt::format("and {} more pod(s)", pods.size() - 5)});
  ph.verdict = good > 0 ? Verdict::kOk : (pods.empty() ? Verdict::kUnknown : Verdict::kBlocked);
  ph.summary = pods.empty() ? "no pod behind the Service in the snapshot"
                            : fmt::format("{} of {} pod(s) ready with targetPort {} resolved", good,
                                          pods.size(), target_text);
}

}  // namespace

ServiceWalk walk_service(const Cluster& cluster, const Object& svc, const PortSpec& port,
                         std::vector<Hop>& hops) {
  ServiceWalk w;
  // Each hop is appended before the next is built: no reference into `hops` outlives an append.
  const std::string svc_subject = subject(svc);
  hops.push_back({"service", svc_subject, Verdict::kUnknown, "", {}});
  const Value* sp = service_hop(svc, port, hops.back(), w);
  if (sp == nullptr) return w;
  hops.push_back({"endpoints", svc_subject, Verdict::kUnknown, "", {}});
  int endpoint_port = 0;
  const auto pods = endpoints_hop(cluster, svc, *sp, hops.back(), &endpoint_port);
  if (hops.back().verdict == Verdict::kBlocked) w.stop = true;
  hops.push_back({"pods", svc_subject, Verdict::kUnknown, "", {}});
  const Value& target = (*sp)["targetPort"].is_null() ? (*sp)["port"] : (*sp)["targetPort"];
  pods_hop(pods, target, endpoint_port, hops.back(), w);
  if (hops.back().verdict == Verdict::kBlocked) w.stop = true;
  return w;
}

}  // namespace ktriage::network::detail
