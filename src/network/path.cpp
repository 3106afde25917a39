#include "network/path.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/ascii.h"
#include "model/pod.h"
#include "model/ports.h"
#include "network/path_detail.h"

namespace ktriage::network {
namespace {

using detail::Backend;
using detail::subject;

// One end once resolved: pods (with the port they are reached on), or an address outside the
// pod network (an external host, a node's IP).
struct End {
  std::vector<Backend> pods;
  std::optional<Cidr> address;
  std::string node;      ///< the node the end runs on ("" unknown / outside)
  int service_port = 0;  ///< TO through a Service: the Service port FROM connects to
  bool stop = false;
};

std::optional<Cidr> node_ip(const Object& node) {
  for (const Value& a : node.status()["addresses"].items()) {
    if (a["type"].str() == "InternalIP") {
      if (auto c = parse_cidr(a["address"].str())) return *c;
    }
  }
  return std::nullopt;
}

bool host_network(const Object& pod) { return pod.spec()["hostNetwork"].as_bool(); }

// The pod whose status.podIP/podIPs is `ip`, or the Service whose clusterIP is. O(pods +
// services). A hostNetwork pod's IP is its node's: it never owns one (the Node does).
const Object* owner_of_ip(const Cluster& cluster, const Cidr& ip, std::string_view kind) {
  for (const Object* o : cluster.of_kind(kind)) {
    if (kind == "Pod") {
      if (PodView(*o).terminated() || host_network(*o)) continue;
      for (const Value& i : o->status()["podIPs"].items()) {
        if (auto c = parse_cidr(i["ip"].str()); c && *c == ip) return o;
      }
      if (auto c = parse_cidr(o->status()["podIP"].str()); c && *c == ip) return o;
    } else if (auto c = parse_cidr(o->spec()["clusterIP"].str()); c && *c == ip) {
      return o;
    }
  }
  return nullptr;
}

// The Node one of whose status.addresses is `ip`. O(nodes).
const Object* node_of_ip(const Cluster& cluster, const Cidr& ip) {
  for (const Object* n : cluster.of_kind("Node")) {
    for (const Value& a : n->status()["addresses"].items()) {
      if (auto c = parse_cidr(a["address"].str()); c && *c == ip) return n;
    }
  }
  return nullptr;
}

// A FROM or TO block wider than one address stands for hosts outside the pod network: ipBlock
// rules judge it, and NetworkPolicy leaves pod IPs in an ipBlock to the network plugin
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/, ipBlock). A block
// that holds pods or nodes of the snapshot would be judged as something it is not (reachable
// while the pod inside it is denied), so it is refused, naming what it holds: the user picks one.
// Empty when the block is a single address or holds none. O(pods + nodes).
std::string wide_block_holding_cluster(const Cluster& cluster, const Target& t,
                                       std::string_view end) {
  if (t.kind != Target::Kind::kAddress || t.address.prefix == (t.address.v6 ? 128 : 32)) return {};
  // 0.0.0.0/0 (::/0) is how one asks "can it reach the internet?": judged as outside addresses,
  // as a NetworkPolicy's ipBlock of it is, not refused for holding the cluster too.
  if (t.address.prefix == 0) return {};
  std::vector<std::string> pods, nodes;
  for (const Object* pod : cluster.of_kind("Pod")) {
    // A hostNetwork pod's IP is its node's (counted as the node).
    if (PodView(*pod).terminated() || host_network(*pod)) continue;
    std::vector<std::string_view> ips{pod->status()["podIP"].str()};
    for (const Value& i : pod->status()["podIPs"].items()) ips.push_back(i["ip"].str());
    for (std::string_view ip : ips) {
      if (auto c = parse_cidr(ip); c && t.address.contains(*c)) {
        pods.push_back(fmt::format("pod/{}/{} at {}", pod->ns, pod->name, c->to_string()));
        break;
      }
    }
  }
  for (const Object* n : cluster.of_kind("Node")) {
    for (const Value& a : n->status()["addresses"].items()) {
      if (auto c = parse_cidr(a["address"].str()); c && t.address.contains(*c)) {
        nodes.push_back(fmt::format("node/{} at {}", n->name, c->to_string()));
        break;
      }
    }
  }
  if (pods.empty() && nodes.empty()) return {};
  auto count = [](const std::vector<std::string>& v, std::string_view what) {
    return fmt::format("{} {}{}", v.size(), what, v.size() == 1 ? "" : "s");
  };
  std::string held = !pods.empty() && !nodes.empty()
                         ? count(pods, "pod") + " and " + count(nodes, "node")
                         : (pods.empty() ? count(nodes, "node") : count(pods, "pod"));
  std::string some;
  std::size_t shown = 0;
  for (const auto* v : {&pods, &nodes}) {
    for (std::size_t i = 0; i < v->size() && i < 2; ++i, ++shown)
      some += (some.empty() ? "" : ", ") + (*v)[i];
  }
  return fmt::format(
      "{} {} holds {} of the input ({}{}): a block is judged as addresses outside the pod "
      "network, which these are not; give one of them as pod/NS/NAME (node/NAME) or by its IP",
      end, t.text, held, some, pods.size() + nodes.size() > shown ? ", ..." : "");
}

Hop pod_hop(std::string step, const Object& pod) {
  const PodView v(pod);
  Hop h;
  h.step = std::move(step);
  h.subject = subject(pod);
  const bool running = v.phase() == "Running";
  h.verdict = running && v.ready() ? Verdict::kOk : running ? Verdict::kWarning : Verdict::kBlocked;
  h.summary = fmt::format(
      "phase {}, {}, node {}, IP {}", v.phase().empty() ? "(unknown)" : v.phase(),
      v.ready() ? "Ready" : "not Ready", v.node_name().empty() ? "(none)" : v.node_name(),
      pod.status()["podIP"].str().empty() ? "(none)" : pod.status()["podIP"].str());
  h.evidence.push_back({h.subject, ".status.phase", std::string(v.phase())});
  h.evidence.push_back(
      {h.subject, ".status.conditions[Ready]", std::string(v.condition("Ready")["status"].str())});
  return h;
}

// Ingress controllers known by their pods' labels (ingress-nginx, the older nginx-ingress, Traefik,
// Kong). ACK's ALB Ingress runs outside the cluster: no pod.
bool is_ingress_controller(const Object& pod) {
  const std::string_view a = pod.label("app.kubernetes.io/name");
  const std::string_view b = pod.label("app");
  const bool nginx_controller = pod.label("app.kubernetes.io/component") == "controller" &&
                                pod.name.find("ingress") != std::string_view::npos;
  return a == "ingress-nginx" || b == "ingress-nginx" || b == "nginx-ingress" || a == "traefik" ||
         a == "kong" || nginx_controller;
}

std::vector<const Object*> ingress_controllers(const Cluster& cluster) {
  std::vector<const Object*> out;
  for (const Object* pod : cluster.of_kind("Pod")) {
    if (is_ingress_controller(*pod) && !PodView(*pod).terminated()) out.push_back(pod);
  }
  return out;
}

// The Services an Ingress sends to: rules[*].http.paths[*].backend and defaultBackend (v1), or
// serviceName/servicePort (v1beta1). Returns {name, port (number or name)}.
std::vector<std::pair<std::string, PortSpec>> ingress_backends(const Object& ing, Hop& hop) {
  std::vector<std::pair<std::string, PortSpec>> out;
  auto add = [&](const Value& b, const std::string& path) {
    const Value& s = b["service"];
    std::string name(s.is_null() ? b["serviceName"].str() : s["name"].str());
    const Value& port = s.is_null() ? b["servicePort"] : s["port"];
    PortSpec p;
    p.protocol_given = true;  // an Ingress forwards HTTP: the backend's port is a TCP port
    if (port["number"].as_int() > 0) {
      p.port = static_cast<int>(port["number"].as_int());
    } else if (!port["name"].str().empty()) {
      p.name = std::string(port["name"].str());
    } else if (port.is_number() || is_port_name(port)) {
      if (port.is_number())
        p.port = static_cast<int>(port.as_int());
      else
        p.name = std::string(port.str());
    }
    if (name.empty()) return;
    for (const auto& [n, q] : out) {
      if (n == name && q.port == p.port && q.name == p.name) return;
    }
    hop.evidence.push_back(
        {subject(ing), path,
         fmt::format("service {} port {}", name, p.port != 0 ? std::to_string(p.port) : p.name)});
    out.emplace_back(std::move(name), p);
  };
  const Value& spec = ing.spec();
  if (!spec["defaultBackend"].is_null()) add(spec["defaultBackend"], ".spec.defaultBackend");
  if (!spec["backend"].is_null()) add(spec["backend"], ".spec.backend");
  int i = 0;
  for (const Value& rule : spec["rules"].items()) {
    int j = 0;
    for (const Value& p : rule["http"]["paths"].items())
      add(p["backend"], fmt::format(".spec.rules[{}].http.paths[{}].backend", i, j++));
    ++i;
  }
  return out;
}

// `pod` as the sender: itself, or for a hostNetwork pod its node's network namespace (no
// NetworkPolicy selects it, and the destination sees the node). Notes that on `hop`.
// FROM or TO an address that no pod, Service or node of the snapshot holds.
End outside_address(std::string step, const Target& t, std::vector<Hop>& hops) {
  hops.push_back({std::move(step),
                  t.text,
                  Verdict::kOk,
                  "an address outside the pod network (ipBlock rules apply)",
                  {}});
  End e;
  e.address = t.address;
  return e;
}

void send_from(const Cluster& cluster, const Object& pod, End& e, Hop& hop) {
  e.node = std::string(PodView(pod).node_name());
  e.pods.clear();
  e.address.reset();
  if (host_network(pod)) {
    hop.summary += "; hostNetwork: it sends as its node";
    if (const Object* node = cluster.find("Node", "", e.node)) e.address = node_ip(*node);
    return;
  }
  e.pods.push_back({&pod, 0, PodView(pod).ready()});
}

// FROM node/NAME (or an address of the node).
End node_source(const Object& node, std::vector<Hop>& hops) {
  End e;
  Hop& h = hops.emplace_back();
  h.step = "source";
  h.subject = subject(node);
  e.address = node_ip(node);
  e.node = std::string(node.name);
  h.verdict = Verdict::kOk;
  h.summary = fmt::format("the node's own network namespace (InternalIP {})",
                          e.address ? e.address->to_string() : "unknown");
  return e;
}

Expected<End> resolve_source(const Cluster& cluster, const Target& t, std::vector<Hop>& hops) {
  End e;
  switch (t.kind) {
    case Target::Kind::kPod: {
      const Object* pod = cluster.find("Pod", t.ns, t.name);
      if (pod == nullptr)
        return Unexpected(fmt::format("pod {}/{} not found in the input", t.ns, t.name));
      hops.push_back(pod_hop("source", *pod));
      send_from(cluster, *pod, e, hops.back());
      return e;
    }
    case Target::Kind::kService: {
      const Object* svc = cluster.find("Service", t.ns, t.name);
      if (svc == nullptr)
        return Unexpected(fmt::format("service {}/{} not found in the input", t.ns, t.name));
      // A Service as a source means its pods: the first ready one speaks for them.
      std::vector<Hop> scratch;
      auto w = detail::walk_service(cluster, *svc, PortSpec{}, scratch);
      for (const Backend& b : w.backends) {
        if (b.ready) {
          hops.push_back(pod_hop("source", *b.pod));
          hops.back().summary += fmt::format(" (a pod of {})", subject(*svc));
          send_from(cluster, *b.pod, e, hops.back());
          return e;
        }
      }
      return Unexpected(fmt::format("service {}/{} has no ready pod to send from", t.ns, t.name));
    }
    case Target::Kind::kIngress: {
      const auto controllers = ingress_controllers(cluster);
      if (controllers.empty())
        return Unexpected(fmt::format(
            "FROM {}: no ingress controller pod (ingress-nginx, Traefik, Kong) in the input; give "
            "the controller's pod as FROM",
            t.text));
      hops.push_back(pod_hop("source", *controllers.front()));
      hops.back().summary += " (the ingress controller)";
      send_from(cluster, *controllers.front(), e, hops.back());
      return e;
    }
    case Target::Kind::kNode: {
      const Object* node = cluster.find("Node", "", t.name);
      if (node == nullptr) return Unexpected(fmt::format("node {} not found in the input", t.name));
      return node_source(*node, hops);
    }
    case Target::Kind::kAddress: {
      if (const Object* pod = owner_of_ip(cluster, t.address, "Pod")) {
        hops.push_back(pod_hop("source", *pod));
        send_from(cluster, *pod, e, hops.back());
        return e;
      }
      if (const Object* node = node_of_ip(cluster, t.address)) return node_source(*node, hops);
      return outside_address("source", t, hops);
    }
    case Target::Kind::kDnsName:
      break;
  }
  return Unexpected(fmt::format("FROM \"{}\": a DNS name is accepted for TO only", t.text));
}

// From an address outside the cluster, a Service is reachable only on what it exposes outside:
// its ClusterIP is routed inside the cluster (pods and nodes) only.
// `by_cluster_ip`: TO was the Service's clusterIP itself, which no Service type makes routable
// from outside (NodePort and LoadBalancer open other addresses).
void block_cluster_ip_from_outside(const Object& svc, Hop& service_hop,
                                   bool by_cluster_ip = false) {
  const std::string_view type = svc.spec()["type"].str();
  if (!by_cluster_ip && !type.empty() && type != "ClusterIP") return;
  service_hop.verdict = Verdict::kBlocked;
  service_hop.summary =
      "from outside the cluster: a ClusterIP is routed only inside the cluster (pods "
      "and nodes); expose it with a NodePort or LoadBalancer Service, or an Ingress";
}

void add_service_dest(const Cluster& cluster, const Object& svc, const PortSpec& port,
                      std::vector<Hop>& hops, End& e, std::string* proto,
                      bool from_outside = false) {
  const std::size_t service_hop = hops.size();  // walk_service's first hop
  auto w = detail::walk_service(cluster, svc, port, hops);
  if (from_outside && service_hop < hops.size())
    block_cluster_ip_from_outside(svc, hops[service_hop]);
  e.pods = std::move(w.backends);
  e.stop = w.stop;
  e.service_port = w.service_port;
  *proto = w.protocol;
  if (!w.external_name.empty()) e.stop = true;
}

// TO ingress/NS/NAME: the Ingress hop, then its first backend Service.
Expected<End> dest_ingress(const Cluster& cluster, const Target& t, std::vector<Hop>& hops,
                           std::string* proto) {
  End e;
  const Object* ing = cluster.find("Ingress", t.ns, t.name);
  if (ing == nullptr)
    return Unexpected(fmt::format("ingress {}/{} not found in the input", t.ns, t.name));
  Hop& h = hops.emplace_back();
  h.step = "ingress";
  h.subject = subject(*ing);
  auto backends = ingress_backends(*ing, h);
  if (backends.empty()) {
    h.verdict = Verdict::kBlocked;
    h.summary = "the Ingress names no backend Service";
    e.stop = true;
    return e;
  }
  const Object* svc = cluster.find("Service", t.ns, backends.front().first);
  h.verdict = svc != nullptr ? Verdict::kOk : Verdict::kBlocked;
  h.summary = fmt::format("routes to Service {}{}", backends.front().first,
                          svc != nullptr ? "" : ", which does not exist: 503");
  if (backends.size() > 1)
    h.summary += fmt::format(" (first of {} backends; check others with svc/{}/NAME)",
                             backends.size(), t.ns);
  if (svc == nullptr) {
    e.stop = true;
    return e;
  }
  add_service_dest(cluster, *svc, backends.front().second, hops, e, proto);
  return e;
}

// TO pod/NS/NAME: the pod, on --port or its first declared port.
Expected<End> dest_pod(const Cluster& cluster, const Target& t, const PortSpec& port,
                       std::vector<Hop>& hops, std::string* proto) {
  End e;
  const Object* pod = cluster.find("Pod", t.ns, t.name);
  if (pod == nullptr)
    return Unexpected(fmt::format("pod {}/{} not found in the input", t.ns, t.name));
  hops.push_back(pod_hop("destination", *pod));
  if (host_network(*pod))
    hops.back().summary += "; hostNetwork: it is its node's network namespace";
  int number = port.port;
  if (number == 0 && port.name.empty() && port.protocol != "ICMP") {
    // No --port: the pod's first declared port (what a client would most likely use).
    for (const Value& c : pod->spec()["containers"].items()) {
      for (const Value& p : c["ports"].items()) {
        if (number == 0) {
          number = static_cast<int>(p["containerPort"].as_int());
          *proto = std::string(protocol_of(p));
        }
      }
    }
  }
  if (!port.name.empty() && !port.protocol_given) {
    // A name alone names one container port whatever its protocol (names are unique in a pod:
    // https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/, ports.name),
    // and the path goes on with that port's protocol.
    for (const Value& c : pod->spec()["containers"].items()) {
      for (const Value& p : c["ports"].items()) {
        if (p["name"].str() == port.name) *proto = std::string(protocol_of(p));
      }
    }
  }
  if (!port.name.empty()) {
    number = detail::resolve_on_pod(*pod, Value::string(port.name), *proto);
    if (number == 0) {
      hops.back().verdict = Verdict::kBlocked;
      hops.back().summary += fmt::format("; no container port named {}", port.name);
      e.stop = true;
    }
  }
  e.pods.push_back({pod, number, PodView(*pod).ready()});
  e.node = std::string(PodView(*pod).node_name());
  return e;
}

// TO node/NAME: the node's InternalIP, outside the pod network.
Expected<End> dest_node(const Cluster& cluster, const Target& t, std::vector<Hop>& hops) {
  End e;
  const Object* node = cluster.find("Node", "", t.name);
  if (node == nullptr) return Unexpected(fmt::format("node {} not found in the input", t.name));
  Hop& h = hops.emplace_back();
  h.step = "destination";
  h.subject = subject(*node);
  e.address = node_ip(*node);
  e.node = t.name;
  const bool ready = node->condition("Ready")["status"].str() == "True";
  h.verdict = ready ? Verdict::kOk : Verdict::kWarning;
  h.summary =
      fmt::format("node {} (InternalIP {}), {}", t.name,
                  e.address ? e.address->to_string() : "unknown", ready ? "Ready" : "not Ready");
  return e;
}

// The end a path starts from, as the destination's hops need it: a DNS name is looked up from
// it, and a ClusterIP is out of reach when it is outside the cluster.
struct Origin {
  const NetworkSnapshot& net;
  const End& src;
  bool outside() const { return src.pods.empty() && src.node.empty(); }
};

void check_lookup(const Cluster& cluster, const NetworkSnapshot& net, const End& src, Hop& dns);

Expected<End> resolve_dest(const Cluster& cluster, const Origin& origin, const Target& t,
                           const PortSpec& port, std::vector<Hop>& hops, std::string* proto) {
  End e;
  switch (t.kind) {
    case Target::Kind::kDnsName: {
      const std::size_t dns_hop = hops.size();
      Hop& h = hops.emplace_back();
      h.step = "dns";
      h.subject = t.text;
      const Object* svc = cluster.find("Service", t.ns, t.name);
      if (svc == nullptr) {
        h.verdict = Verdict::kBlocked;
        h.summary = fmt::format("NXDOMAIN: no Service {} in namespace {}", t.name, t.ns);
        e.stop = true;
        return e;
      }
      h.verdict = Verdict::kOk;
      h.summary = fmt::format("cluster DNS answers for {}", subject(*svc));
      h.evidence.push_back({subject(*svc), ".metadata.name", t.name});
      add_service_dest(cluster, *svc, port, hops, e, proto, origin.outside());
      check_lookup(cluster, origin.net, origin.src, hops[dns_hop]);
      return e;
    }
    case Target::Kind::kService: {
      const Object* svc = cluster.find("Service", t.ns, t.name);
      if (svc == nullptr)
        return Unexpected(fmt::format("service {}/{} not found in the input", t.ns, t.name));
      add_service_dest(cluster, *svc, port, hops, e, proto, origin.outside());
      return e;
    }
    case Target::Kind::kIngress:
      return dest_ingress(cluster, t, hops, proto);
    case Target::Kind::kPod:
      return dest_pod(cluster, t, port, hops, proto);
    case Target::Kind::kNode:
      return dest_node(cluster, t, hops);
    case Target::Kind::kAddress: {
      if (const Object* pod = owner_of_ip(cluster, t.address, "Pod")) {
        Target as_pod{Target::Kind::kPod, std::string(pod->ns), std::string(pod->name), t.text, {}};
        return resolve_dest(cluster, origin, as_pod, port, hops, proto);
      }
      if (const Object* svc = owner_of_ip(cluster, t.address, "Service")) {
        const std::size_t service_hop = hops.size();
        add_service_dest(cluster, *svc, port, hops, e, proto);
        if (origin.outside() && service_hop < hops.size())
          block_cluster_ip_from_outside(*svc, hops[service_hop], /*by_cluster_ip=*/true);
        return e;
      }
      if (const Object* node = node_of_ip(cluster, t.address)) {
        // A node's IP, which its hostNetwork pods share: the node, not one of them.
        Target as_node{Target::Kind::kNode, "", std::string(node->name), t.text, {}};
        return dest_node(cluster, as_node, hops);
      }
      return outside_address("destination", t, hops);
    }
  }
  return e;
}

// Why a denial is undecided (see Doubt): the peer's field, and what the snapshot cannot say.
HopEvidence doubt_evidence(const Doubt& d, bool egress, const std::string& far,
                           const Object* far_pod) {
  const Policy& p = *d.rule.policy;
  const Rule& rule =
      (egress ? p.egress_rules : p.ingress_rules)[static_cast<std::size_t>(d.rule.rule)];
  const Peer& peer = rule.peers[static_cast<std::size_t>(d.peer)];
  HopEvidence e;
  e.object = fmt::format("networkpolicy/{}/{}", p.ns, p.name);
  const bool ip = d.kind == Doubt::Kind::kIpBlock;
  e.path = fmt::format(".spec.{}[{}].{}[{}].{}", egress ? "egress" : "ingress", d.rule.rule,
                       egress ? "to" : "from", d.peer, ip ? "ipBlock" : "namespaceSelector");
  if (ip) {
    e.value = fmt::format(
        "{} contains {}'s IP {}: depends on the network plugin: Calico matches pod IPs with "
        "ipBlock, others may not",
        peer.ip_block->cidr.to_string(), far, d.ip.to_string());
  } else {
    const std::string_view ns = far_pod != nullptr ? far_pod->ns : std::string_view();
    e.value = fmt::format(
        "{}: the snapshot has no Namespace {}, so its labels other than {} are unknown and this "
        "selector may select {} (collect kubectl get namespace {} -o yaml)",
        peer.namespace_selector->to_string(), ns, kNamespaceNameLabel, far, ns);
  }
  return e;
}

// Evidence for one destination's verdict: each checked side, and for a denied side the rules of
// the isolating policies, so the reader sees which selector misses. `said` drops repeats.
void verdict_evidence(const End& src, const Backend* b, const ConnectionVerdict& v,
                      std::set<std::string>& said, Hop& h) {
  const std::string who = b != nullptr ? subject(*b->pod) : "";
  for (const auto& [side, sv] :
       {std::pair{"egress", &v.egress}, std::pair{"ingress", &v.ingress}}) {
    if (!sv->checked) continue;
    const std::string owner =
        std::string_view(side) == "egress"
            ? (src.pods.empty() ? std::string() : subject(*src.pods.front().pod))
            : who;
    std::string text = describe(*sv, side);
    if (sv->allowed_by) {
      const RuleRef& r = *sv->allowed_by;
      const auto& rules =
          std::string_view(side) == "egress" ? r.policy->egress_rules : r.policy->ingress_rules;
      std::string ports;
      for (const PortRule& p : rules[static_cast<std::size_t>(r.rule)].ports)
        ports += (ports.empty() ? "" : ", ") + p.to_string();
      if (!ports.empty()) text += fmt::format(" (ports {})", ports);
    }
    if (!said.insert(owner + text).second || said.size() > 8) continue;
    h.evidence.push_back({owner, "", text});
    if (sv->allowed) continue;
    // Denied: the rules that were weighed, so the reader sees which selector misses.
    int shown = 0;
    for (const Policy* p : sv->isolating) {
      const auto& rules = std::string_view(side) == "egress" ? p->egress_rules : p->ingress_rules;
      if (rules.empty())
        h.evidence.push_back({fmt::format("networkpolicy/{}/{}", p->ns, p->name), "",
                              fmt::format("no {} rule: allows nothing", side)});
      for (std::size_t i = 0; i < rules.size() && shown < 6; ++i, ++shown)
        h.evidence.push_back({fmt::format("networkpolicy/{}/{}", p->ns, p->name),
                              fmt::format(".spec.{}[{}]", side, i), describe_rule(rules[i], side)});
    }
    const bool egress = std::string_view(side) == "egress";
    const std::string far =
        egress ? who : (src.pods.empty() ? std::string() : subject(*src.pods.front().pod));
    const Object* far_pod = egress ? (b != nullptr ? b->pod : nullptr)
                                   : (src.pods.empty() ? nullptr : src.pods.front().pod);
    for (std::size_t k = 0; k < sv->doubts.size() && k < 4; ++k)
      h.evidence.push_back(doubt_evidence(sv->doubts[k], egress, far, far_pod));
  }
}

// A label value or namespace name as a YAML scalar that reads back as that string: quoted when
// YAML would read it as something else (empty = null, true/yes/on, 1.0, 0x1f), since matchLabels
// values must be strings. Label values are [A-Za-z0-9._-] (empty allowed), so double quotes need
// no escapes:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
std::string yaml_string(std::string_view s) {
  const std::string lower = ascii_lower(s);
  static constexpr std::string_view kWords[] = {"true", "false", "yes", "no", "on",
                                                "off",  "null",  "y",   "n",  "~"};
  const bool word = std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
  const bool numeric = !s.empty() && (std::isdigit(static_cast<unsigned char>(s.front())) != 0 ||
                                      s.front() == '-' || s.front() == '.' || s.front() == '+');
  return s.empty() || word || numeric ? fmt::format("\"{}\"", s) : std::string(s);
}

// The NetworkPolicy hop: the source's egress and each destination pod's ingress.
// A peer that selects `pod` as another namespace's policy would write it: its `app` label (or
// its first label that is not a per-pod hash), and its namespace when it is not `policy_ns`.
std::string peer_for(const Object& pod, std::string_view policy_ns) {
  std::string labels;
  for (const Member& m : pod.labels().members()) {
    if (m.key == "app" || m.key == "app.kubernetes.io/name") {
      labels = fmt::format("{}: {}", m.key, yaml_string(m.value.str()));
      break;
    }
    if (labels.empty() && m.key != "pod-template-hash" && m.key != "controller-revision-hash" &&
        !m.key.starts_with("statefulset.kubernetes.io/"))
      labels = fmt::format("{}: {}", m.key, yaml_string(m.value.str()));
  }
  std::string peer = fmt::format("podSelector: {{matchLabels: {{{}}}}}", labels);
  if (pod.ns != policy_ns)
    peer =
        fmt::format("namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {}}}}}, {}",
                    yaml_string(pod.ns), peer);
  return "{" + peer + "}";
}

// An ipBlock's cidr with its prefix length, a host as /32 (/128): the API server rejects a cidr
// without one ("192.168.1.0/24" or "2001:db8::/64": ipBlock.cidr in
// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/).
std::string ip_block_cidr(const Cidr& c) {
  std::string text = c.to_string();
  if (text.find('/') == std::string::npos) text += c.v6 ? "/128" : "/32";
  return text;
}

// The rule to add so that the denied side allows the connection, on one of the policies that
// isolate that end. Each rule is one YAML flow mapping after "- " ("- {from: [...], ports:
// [...]}"), so it pastes as an item of .spec.ingress or .spec.egress as it is. Empty when
// neither end is a pod the snapshot describes.
std::string policy_fix(const End& src, const Backend* dst, const ConnectionVerdict& v, int port,
                       std::string_view proto) {
  const std::string ports =
      port != 0 ? fmt::format(", ports: [{{protocol: {}, port: {}}}]", proto, port) : "";
  std::string fix;
  if (!v.ingress.allowed && !v.ingress.isolating.empty()) {
    const Policy& p = *v.ingress.isolating.front();
    std::string from;
    if (!src.pods.empty()) {
      from = peer_for(*src.pods.front().pod, p.ns);
    } else if (src.address) {
      from = fmt::format("{{ipBlock: {{cidr: {}}}}}", ip_block_cidr(*src.address));
    }
    if (!from.empty())
      fix = fmt::format("allow it in NetworkPolicy {}/{}: add to .spec.ingress: - {{from: [{}]{}}}",
                        p.ns, p.name, from, ports);
  }
  if (!v.egress.allowed && !v.egress.isolating.empty()) {
    const Policy& p = *v.egress.isolating.front();
    std::string to;
    if (dst != nullptr && !host_network(*dst->pod)) to = peer_for(*dst->pod, p.ns);
    if (!to.empty())
      fix += fmt::format("{}allow it in NetworkPolicy {}/{}: add to .spec.egress: - {{to: [{}]{}}}",
                         fix.empty() ? "" : "; and ", p.ns, p.name, to, ports);
  }
  return fix.empty() ? fix : "fix: " + fix;
}

Hop policy_hop(const NetworkSnapshot& net, const End& src, const End& dst, int port,
               std::string_view proto) {
  Hop h;
  h.step = "network-policy";
  std::vector<PodFacts> facts;  // keeps the PodEndpoints' labels alive
  facts.reserve(src.pods.size() + dst.pods.size());
  auto endpoint_of = [&](const Backend& b) {
    facts.push_back(pod_facts(*b.pod));
    return net.endpoint(facts.back());
  };
  PodEndpoint src_pod;
  Endpoint from;
  if (!src.pods.empty()) {
    src_pod = endpoint_of(src.pods.front());
    from.pod = &src_pod;
  } else if (src.address) {
    from.address = *src.address;
  }
  std::vector<PodEndpoint> dst_pods;
  dst_pods.reserve(dst.pods.size());
  std::vector<std::pair<const Backend*, ConnectionVerdict>> verdicts;
  if (dst.pods.empty()) {
    Endpoint to;
    if (dst.address) to.address = *dst.address;
    verdicts.emplace_back(nullptr, evaluate(net.policies(), from, to, port, proto));
  }
  int own_node = 0;
  for (const Backend& b : dst.pods) {
    if (src.pods.empty() && !src.node.empty() && PodView(*b.pod).node_name() == src.node) {
      // The documentation ("What you can't do with network policies"): a pod cannot block
      // access from its resident node.
      ++own_node;
      h.evidence.push_back({subject(*b.pod), "",
                            fmt::format("runs on node {}: traffic from its own node is never "
                                        "blocked by NetworkPolicy",
                                        src.node)});
      continue;
    }
    Endpoint to;
    if (host_network(*b.pod)) {
      // In its node's network namespace: NetworkPolicy does not isolate it (ingress is not
      // checked), and the source's egress sees the node's address (ipBlock rules apply).
      const std::string_view ip = b.pod->status()["podIP"].str();
      if (auto c = parse_cidr(ip.empty() ? b.pod->status()["hostIP"].str() : ip)) to.address = *c;
      h.evidence.push_back(
          {subject(*b.pod), ".spec.hostNetwork",
           fmt::format("true: it is node {}'s network namespace, which NetworkPolicy does not "
                       "isolate; the source's egress is checked against the node's IP {}",
                       PodView(*b.pod).node_name(), to.address.to_string())});
      verdicts.emplace_back(&b,
                            evaluate(net.policies(), from, to, b.port != 0 ? b.port : port, proto));
      continue;
    }
    dst_pods.push_back(endpoint_of(b));
    to.pod = &dst_pods.back();
    verdicts.emplace_back(&b,
                          evaluate(net.policies(), from, to, b.port != 0 ? b.port : port, proto));
  }
  int allowed = own_node, undecided = 0;
  std::string reason;  // of the first undecided destination
  std::set<std::string> said;
  for (const auto& [b, v] : verdicts) {
    if (v.allowed()) ++allowed;
    if (v.undecided()) {
      ++undecided;
      const auto& doubts = v.ingress.undecided() ? v.ingress.doubts : v.egress.doubts;
      if (reason.empty())
        reason = doubts.front().kind == Doubt::Kind::kIpBlock
                     ? "depends on the network plugin: Calico matches pod IPs with ipBlock, "
                       "others may not"
                     : "a namespaceSelector tests labels of a namespace the snapshot has no "
                       "Namespace object for";
    }
    verdict_evidence(src, b, v, said, h);
  }
  const int total = static_cast<int>(verdicts.size()) + own_node;
  if (port == 0)
    h.evidence.push_back(
        {"", "", "no port given: only rules without ports can match; give --port"});
  if (src.pods.empty() && !src.node.empty() && own_node < total)
    h.evidence.push_back({"", "",
                          "from a node to a pod elsewhere: the node's IP is matched as an "
                          "address outside the cluster (ipBlock); CNIs differ here"});
  h.subject = fmt::format("{} port {}/{}", dst.pods.empty() ? "destination" : "destination pods",
                          port, proto);
  const int denied = total - allowed - undecided;
  if (allowed == total) {
    h.verdict = Verdict::kOk;
    h.summary = total == 1 ? "allowed" : fmt::format("allowed to all {} destination pods", total);
  } else if (denied == 0) {
    // Denied only by what the snapshot cannot decide: a namespace's unknown labels, or an
    // ipBlock holding a pod IP (up to the network plugin). Not a confident "blocked".
    h.verdict = Verdict::kUnknown;
    h.summary = total == 1
                    ? fmt::format("undecided: {}", reason)
                    : fmt::format("allowed to {} of {} destination pods; undecided for {}: {}",
                                  allowed, total, undecided, reason);
  } else if (allowed > 0 || undecided > 0) {
    h.verdict = Verdict::kWarning;
    h.summary = undecided == 0 ? fmt::format("allowed to {} of {} destination pods", allowed, total)
                               : fmt::format(
                                     "allowed to {} of {} destination pods, denied to {}, "
                                     "undecided for {}",
                                     allowed, total, denied, undecided);
  } else {
    h.verdict = Verdict::kBlocked;
    const ConnectionVerdict& v = verdicts.front().second;
    h.summary = fmt::format("denied by NetworkPolicy ({})",
                            !v.egress.allowed && !v.ingress.allowed ? "both ends"
                            : !v.egress.allowed                     ? "the source's egress"
                                                                    : "the destination's ingress");
    if (std::string fix = policy_fix(src, verdicts.front().first, v, port, proto); !fix.empty())
      h.evidence.push_back({"", "", fix});
  }
  return h;
}

// The NetworkPolicy hop for ping. Rules name TCP, UDP and SCTP only, so whether a pod that a
// policy isolates answers ping is up to the network plugin: unknown. A pod that no policy
// isolates in the direction concerned (the source for egress, each destination for ingress)
// is not filtered at all, ping included: ok
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/, "The two sorts of
// pod isolation"). As in policy_hop, a pod is never isolated from its own node.
Hop icmp_policy_hop(const NetworkSnapshot& net, const End& src, const End& dst) {
  Hop h{"network-policy", "ICMP", Verdict::kOk, "", {}};
  std::vector<PodFacts> facts;  // keeps the PodEndpoints' labels alive
  facts.reserve(src.pods.size() + dst.pods.size());
  std::vector<PodEndpoint> endpoints;
  endpoints.reserve(src.pods.size() + dst.pods.size());
  auto endpoint_of = [&](const Object& pod) -> const PodEndpoint& {
    facts.push_back(pod_facts(pod));
    return endpoints.emplace_back(net.endpoint(facts.back()));
  };
  int isolated = 0, pods = 0;
  auto note = [&](const SideVerdict& v, const Object& pod, std::string_view side) {
    ++pods;
    if (!v.isolated) return;
    ++isolated;
    std::string names;
    for (const Policy* p : v.isolating)
      names += fmt::format("{}{}/{}", names.empty() ? "" : ", ", p->ns, p->name);
    h.evidence.push_back(
        {subject(pod), "", fmt::format("isolated for {} by NetworkPolicy {}", side, names)});
  };
  Endpoint from;
  if (!src.pods.empty()) {
    from.pod = &endpoint_of(*src.pods.front().pod);
    note(evaluate_egress(net.policies(), *from.pod, Endpoint{}, 0, "ICMP"), *src.pods.front().pod,
         "egress");
  } else if (src.address) {
    from.address = *src.address;
  }
  for (const Backend& b : dst.pods) {
    const bool own_node =
        src.pods.empty() && !src.node.empty() && PodView(*b.pod).node_name() == src.node;
    if (host_network(*b.pod) || own_node) continue;  // never isolated from these sources
    note(evaluate_ingress(net.policies(), endpoint_of(*b.pod), from, 0, "ICMP"), *b.pod, "ingress");
  }
  if (isolated == 0) {
    h.summary = pods > 1    ? "no NetworkPolicy isolates either pod"
                : pods == 1 ? "no NetworkPolicy isolates the pod"
                            : "no pod end that NetworkPolicy can isolate";
    return h;
  }
  h.verdict = Verdict::kUnknown;
  h.summary =
      "NetworkPolicy rules name TCP, UDP and SCTP only: whether a pod that a policy isolates "
      "answers ping depends on the network plugin";
  h.evidence.push_back(
      {"", "", "https://kubernetes.io/docs/concepts/services-networking/network-policies/"});
  return h;
}

// TO ingress: the backends see the ingress controller's pod, not the client, so policies are
// checked from there (the client reaches the controller through its own Service or load
// balancer). Replaces `src` with the controller when the snapshot has one.
Hop controller_as_source(const Cluster& cluster, End& src) {
  const auto controllers = ingress_controllers(cluster);
  Hop h;
  h.step = "ingress";
  if (controllers.empty()) {
    h.subject = "controller";
    h.verdict = Verdict::kUnknown;
    h.summary =
        "no ingress controller pod in the snapshot (a cloud load balancer such as ACK ALB, or "
        "not collected): the backends are checked against FROM itself";
    return h;
  }
  const Object& c = *controllers.front();
  h.subject = subject(c);
  h.verdict = PodView(c).ready() ? Verdict::kOk : Verdict::kWarning;
  h.summary = fmt::format(
      "the controller forwards to the backends; NetworkPolicies are checked from this pod{}",
      PodView(c).ready() ? "" : " (not Ready)");
  const std::string node = src.node;
  send_from(cluster, c, src, h);
  if (!host_network(c)) src.node = node;  // as before: the path's nodes start at FROM's
  return h;
}

// A pod looks the name up first: its egress must let it reach CoreDNS (kube-system pods labelled
// k8s-app=kube-dns, as kubeadm and ACK deploy it) on UDP 53. An egress default-deny without a DNS
// rule breaks every name lookup: the catalog's DNS-RESOLUTION-FAILURE and the documentation's
// "allow DNS egress" example.
// The CoreDNS pods (kube-system, k8s-app=kube-dns) that still run, as the lookup's destination.
End coredns_pods(const Cluster& cluster) {
  End coredns;
  for (const Object* p : cluster.pods_with_label("kube-system", "k8s-app", "kube-dns")) {
    if (p->label("k8s-app") == "kube-dns" && !PodView(*p).terminated())
      coredns.pods.push_back(Backend{p, 53, PodView(*p).ready()});
  }
  return coredns;
}

void check_lookup(const Cluster& cluster, const NetworkSnapshot& net, const End& src, Hop& dns) {
  if (src.pods.empty()) return;
  const End coredns = coredns_pods(cluster);
  if (coredns.pods.empty()) {
    dns.evidence.push_back({"", "",
                            "no CoreDNS pod (kube-system, k8s-app=kube-dns) in the snapshot: "
                            "the lookup's own path is not checked"});
    return;
  }
  const Hop lookup = policy_hop(net, src, coredns, 53, "UDP");
  if (lookup.verdict == Verdict::kOk) {
    dns.evidence.push_back(
        {"", "",
         fmt::format("the lookup's NetworkPolicy check: UDP 53 to CoreDNS {}", lookup.summary)});
    return;
  }
  dns.verdict = lookup.verdict;
  dns.summary = fmt::format("the lookup itself: UDP 53 to CoreDNS: {}", lookup.summary);
  for (const HopEvidence& e : lookup.evidence) {  // its generic fix gives way to DNS's own
    if (!e.value.starts_with("fix: ")) dns.evidence.push_back(e);
  }
  if (lookup.verdict == Verdict::kBlocked)
    dns.evidence.push_back(
        {"", "",
         "fix: allow it in the source's NetworkPolicy that isolates it for egress: add to "
         ".spec.egress: - {to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
         "kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: "
         "UDP, port: 53}, {protocol: TCP, port: 53}]}"});
}

// An end as the security groups see it: a pod's own IP (with Flannel, the pod CIDR rule is what
// admits it, not the node's group membership), else its node (no pod, hostNetwork, no IP yet).
std::string sg_endpoint(const Backend* b, const std::string& node) {
  if (b == nullptr || host_network(*b->pod)) return node;
  const std::string_view ip = b->pod->status()["podIP"].str();
  return ip.empty() ? node : std::string(ip);
}

// The lookup through the security groups: UDP 53 from the source to the CoreDNS replicas on
// other nodes (a replica on the source's node is never seen by them). The resolver tries the
// ClusterIP, which kube-proxy spreads over the replicas: blocked to some, some lookups time out
// (a warning); blocked to all, every lookup does.
void check_lookup_security_groups(const Cluster& cluster, const End& src, const PathHooks& hooks,
                                  Hop& dns) {
  if (!hooks.security_group || src.node.empty() || dns.verdict == Verdict::kBlocked) return;
  const std::string from = sg_endpoint(src.pods.empty() ? nullptr : &src.pods.front(), src.node);
  // Only Ready replicas with a node: the kube-dns Service sends lookups to no other.
  std::size_t blocked = 0, unknown = 0, replicas = 0;
  std::optional<Hop> first_blocked, first_unknown;
  for (const Backend& b : coredns_pods(cluster).pods) {
    const std::string node(PodView(*b.pod).node_name());
    if (!b.ready || node.empty()) continue;
    ++replicas;
    if (node == src.node) continue;
    auto h = hooks.security_group(from, sg_endpoint(&b, node), 53, "UDP");
    if (!h || h->verdict == Verdict::kOk || h->verdict == Verdict::kWarning) continue;
    const bool is_blocked = h->verdict == Verdict::kBlocked;
    (is_blocked ? blocked : unknown) += 1;
    std::optional<Hop>& first = is_blocked ? first_blocked : first_unknown;
    if (!first) first = std::move(*h);
  }
  if (blocked == 0 && unknown == 0) return;
  const Hop& shown = blocked > 0 ? *first_blocked : *first_unknown;
  const std::string what =
      blocked > 0 ? fmt::format(
                        "UDP 53 to {} of {} Ready CoreDNS replica(s) is blocked by a "
                        "security group{}",
                        blocked, replicas, blocked == replicas ? "" : ", so some lookups time out")
                  : fmt::format(
                        "UDP 53 to {} of {} Ready CoreDNS replica(s) through the security "
                        "groups is not known: {}",
                        unknown, replicas, shown.summary);
  const Verdict verdict = blocked == replicas ? Verdict::kBlocked
                          : blocked > 0       ? Verdict::kWarning
                                              : Verdict::kUnknown;
  // A NetworkPolicy verdict on the lookup stays in the summary; the groups' is added to it.
  dns.summary =
      dns.verdict == Verdict::kOk ? "the lookup itself: " + what : dns.summary + "; and " + what;
  dns.verdict = std::max(dns.verdict, verdict);
  if (blocked > 0) dns.evidence.push_back({"", "", shown.summary});
  for (const HopEvidence& e : shown.evidence) dns.evidence.push_back(e);
}

// The nodes on the path (the source's, then each distinct destination node, at most four) through
// the node-health hook, and each (source node, destination node) pair through the
// security-group hook.
void node_hops(const End& src, const End& dst, bool via_service, const PathHooks& hooks,
               PathResult& r) {
  std::vector<std::string> nodes;
  if (!src.node.empty()) nodes.push_back(src.node);
  for (const Backend& b : dst.pods) {
    const std::string n(PodView(*b.pod).node_name());
    if (!n.empty() && std::find(nodes.begin(), nodes.end(), n) == nodes.end() && nodes.size() < 4)
      nodes.push_back(n);
  }
  if (!dst.node.empty() && std::find(nodes.begin(), nodes.end(), dst.node) == nodes.end())
    nodes.push_back(dst.node);
  for (std::size_t i = 0; i < nodes.size() && hooks.node_health; ++i) {
    // kube-proxy translates a Service's virtual IP on the sending node only.
    if (auto h = hooks.node_health(nodes[i], via_service && i == 0 && !src.node.empty()))
      r.hops.push_back(std::move(*h));
  }
  if (src.node.empty()) return;
  if (!hooks.security_group) {
    // Only security groups (and host firewalls) decide ping between instances: saying nothing
    // would read as "reachable".
    if (r.protocol == "ICMP" && nodes.size() > 1)
      r.hops.push_back({"security-group",
                        fmt::format("node/{} -> node/{}", nodes[0], nodes[1]),
                        Verdict::kUnknown,
                        "not checked: the snapshot has no cloud/ answers (docs/cloud.md; "
                        "`ktriage collect --cloud`), and only security groups decide ping",
                        {}});
    return;
  }
  if (r.port == 0 && r.protocol != "ICMP") {
    if (nodes.size() > 1)
      r.hops.push_back({"security-group",
                        fmt::format("node/{} -> node/{}", nodes[0], nodes[1]),
                        Verdict::kUnknown,
                        "not checked: no port (give --port PORT/PROTOCOL, or --port icmp for ping)",
                        {}});
    return;
  }
  const Backend* src_pod = src.pods.empty() ? nullptr : &src.pods.front();
  const std::size_t first_sg = r.hops.size();
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    if (nodes[i] == src.node) continue;
    const Backend* dst_pod = nullptr;
    for (const Backend& b : dst.pods) {
      if (PodView(*b.pod).node_name() == nodes[i]) {
        dst_pod = &b;
        break;
      }
    }
    if (auto h = hooks.security_group(sg_endpoint(src_pod, src.node),
                                      sg_endpoint(dst_pod, nodes[i]), r.port, r.protocol))
      r.hops.push_back(std::move(*h));
  }
  // Through a Service, connections spread over the endpoints' nodes: when the groups block some
  // nodes and let others through, some connections fail (a warning), not all of them.
  if (!via_service) return;
  std::size_t blocked = 0, passed = 0;
  for (const Backend& b : dst.pods) {  // an endpoint on the source's node: groups never see it
    if (PodView(*b.pod).node_name() == src.node) {
      passed = 1;
      break;
    }
  }
  for (std::size_t i = first_sg; i < r.hops.size(); ++i) {
    blocked += r.hops[i].verdict == Verdict::kBlocked ? 1 : 0;
    passed += r.hops[i].verdict == Verdict::kOk ? 1 : 0;
  }
  if (blocked == 0 || passed == 0) return;
  for (std::size_t i = first_sg; i < r.hops.size(); ++i) {
    if (r.hops[i].verdict != Verdict::kBlocked) continue;
    r.hops[i].verdict = Verdict::kWarning;
    r.hops[i].summary =
        fmt::format("{} of {} endpoint node(s) blocked, so some connections fail: {}", blocked,
                    blocked + passed, r.hops[i].summary);
  }
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kUnknown:
      return "unknown";
    case Verdict::kWarning:
      return "warning";
    case Verdict::kBlocked:
      return "blocked";
  }
  return "unknown";
}

Expected<PathResult> walk_path(const Cluster& cluster, const NetworkSnapshot& net,
                               const PathRequest& request, const PathHooks& hooks) {
  PathResult r;
  r.from = request.from.text;
  r.to = request.to.text;
  r.protocol = request.port.protocol;
  if (request.port.protocol == "ICMP" &&
      (request.to.kind == Target::Kind::kService || request.to.kind == Target::Kind::kDnsName ||
       request.to.kind == Target::Kind::kIngress))
    return Unexpected(std::string(
        "--port icmp (ping) checks pods, nodes and addresses: a Service's virtual IP does not "
        "answer ping in kube-proxy's iptables mode; give a pod/ or node/ as TO"));
  for (const auto& [t, end] : {std::pair{&request.from, "FROM"}, std::pair{&request.to, "TO"}}) {
    if (std::string e = wide_block_holding_cluster(cluster, *t, end); !e.empty())
      return Unexpected(std::move(e));
  }
  auto src = resolve_source(cluster, request.from, r.hops);
  if (!src) return Unexpected(src.error());
  std::string proto = request.port.protocol;
  auto dst = resolve_dest(cluster, Origin{net, *src}, request.to, request.port, r.hops, &proto);
  if (!dst) return Unexpected(dst.error());
  r.protocol = proto;
  r.service_port = dst->service_port;
  const bool via_service = request.to.kind == Target::Kind::kService ||
                           request.to.kind == Target::Kind::kDnsName ||
                           request.to.kind == Target::Kind::kIngress;
  if (request.to.kind == Target::Kind::kIngress && !dst->pods.empty())
    r.hops.push_back(controller_as_source(cluster, *src));
  if (!dst->pods.empty() || dst->address) {  // also past a blocked hop: both faults show
    int port = request.port.port;
    for (const Backend& b : dst->pods) {
      if (b.port != 0) {
        port = b.port;
        break;
      }
    }
    r.port = port;
    for (const PolicyError& e : net.errors()) {
      if (e.ns != request.from.ns && e.ns != request.to.ns) continue;
      r.hops.push_back({"network-policy",
                        fmt::format("networkpolicy/{}/{}", e.ns, e.name),
                        Verdict::kWarning,
                        "invalid: left out of the verdict (the API server would reject it)",
                        {{"", "", e.message}}});
    }
    if (proto != "ICMP") {
      r.hops.push_back(policy_hop(net, *src, *dst, port, proto));
    } else if (!src->pods.empty() || !dst->pods.empty()) {
      r.hops.push_back(icmp_policy_hop(net, *src, *dst));
    }
  }
  node_hops(*src, *dst, via_service, hooks, r);
  if (request.to.kind == Target::Kind::kDnsName) {
    for (Hop& h : r.hops) {
      if (h.step == "dns") check_lookup_security_groups(cluster, *src, hooks, h);
    }
  }
  r.verdict = Verdict::kOk;
  for (const Hop& h : r.hops) r.verdict = std::max(r.verdict, h.verdict);
  // A path whose worst hop is unknown was not decided either way: neither reachable nor blocked.
  r.reachable = r.verdict == Verdict::kOk || r.verdict == Verdict::kWarning;
  return r;
}

}  // namespace ktriage::network
