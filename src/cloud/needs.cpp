#include "cloud/needs.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/ports.h"
#include "model/scheduling.h"

namespace ktriage::cloud {
namespace {

// Alibaba Cloud's service range (ACR VPC endpoints, OSS, STS, metadata, DNS, SLB health checks).
constexpr std::string_view kServiceRange = "100.64.0.0/10";
constexpr std::string_view kCloudDns = "100.100.2.136";
constexpr std::size_t kMaxPorts = 6;

// One Node whose groups can be judged.
struct NodeSide {
  const NodeInstance* n = nullptr;
  std::vector<const SecurityGroup*> groups;
  std::vector<std::string> missing;
  std::string label, address, pod_cidr;
  const std::vector<std::string>& group_ids() const { return n->instance->security_group_ids; }
};

// Nodes with the same security groups: judged once per source.
struct GroupSet {
  std::vector<const NodeSide*> nodes;
  std::shared_ptr<const std::vector<const Object*>> objects;  ///< the nodes' Node objects
  const NodeSide& first() const { return *nodes.front(); }
  void seal() {
    auto o = std::make_shared<std::vector<const Object*>>();
    for (const NodeSide* s : nodes) o->push_back(s->n->node);
    objects = std::move(o);
  }
};

struct PodPort {
  int port;
  std::string why;
};

class Builder {
 public:
  Builder(const Cluster& cluster, const CloudView& view) : cluster_(cluster), view_(view) {
    const std::string pod_cidr = view.detail() ? view.detail()->pod_cidr : "";
    for (const NodeInstance& n : view.nodes()) {
      if (n.instance == nullptr) continue;
      NodeSide s;
      s.n = &n;
      s.groups = view.groups_of(*n.instance, &s.missing);
      if (s.groups.empty()) continue;
      s.address = !n.internal_ip.empty()             ? n.internal_ip
                  : !n.instance->private_ips.empty() ? n.instance->private_ips[0]
                                                     : "";
      s.label = fmt::format("node {} ({})", n.node->name, s.address);
      s.pod_cidr = std::string(n.node->spec()["podCIDR"].str());
      if (s.pod_cidr.empty()) s.pod_cidr = pod_cidr;
      sides_.push_back(std::move(s));
    }
    std::map<std::vector<std::string>, std::size_t> by_key;
    for (const NodeSide& s : sides_) {
      std::vector<std::string> key = s.group_ids();
      std::sort(key.begin(), key.end());
      auto [it, fresh] = by_key.emplace(key, sets_.size());
      if (fresh) sets_.emplace_back();
      sets_[it->second].nodes.push_back(&s);
    }
    for (GroupSet& t : sets_) t.seal();
    api_ = api_server_address(cluster);
    if (view.detail()) cluster_group_ = view.detail()->security_group_id;
    terway_pods_ = view.plugin() == NetworkPlugin::kTerway;
    flannel_ = view.plugin() == NetworkPlugin::kFlannel;
  }

  std::vector<Need> build() {
    for (const GroupSet& t : sets_) {
      const std::vector<PodPort> ports = pod_ports(t);
      for (const NodeSide* a : all_sides()) intra(t, *a, ports);
    }
    terway();
    for (const GroupSet& t : sets_) {
      for (const NodeSide* a : all_sides()) icmp(t, *a);
    }
    for (const GroupSet& t : sets_) kubelet(t);
    webhooks();
    for (const GroupSet& t : sets_) outbound(t);
    health_checks();
    return std::move(out_);
  }

 private:
  std::vector<const NodeSide*> all_sides() const {
    std::vector<const NodeSide*> v;
    for (const NodeSide& s : sides_) v.push_back(&s);
    return v;
  }

  // The destination of a flow from `a` into `t`: a node of `t` other than `a`.
  static const NodeSide* other_than(const GroupSet& t, const NodeSide& a) {
    for (const NodeSide* b : t.nodes) {
      if (b != &a) return b;
    }
    return nullptr;
  }

  Need& add(NeedKind kind, const GroupSet& t, Flow flow, std::string from, std::string to,
            std::string why, RuleToAdd wanted) {
    Need n;
    n.kind = kind;
    n.flow = std::move(flow);
    n.groups = t.first().groups;
    n.missing_groups = t.first().missing;
    n.from = std::move(from);
    n.to = std::move(to);
    n.why = std::move(why);
    n.nodes = t.objects;
    n.wanted = std::move(wanted);
    out_.push_back(std::move(n));
    return out_.back();
  }

  static Flow flow(Direction d, std::string_view proto, int port, std::string_view peer,
                   std::vector<std::string> groups = {}) {
    Flow f;
    f.direction = d;
    f.protocol = std::string(proto);
    f.port = port;
    if (!peer.empty()) f.peer = parse_cidr(peer);
    f.peer_groups = std::move(groups);
    return f;
  }

  // TCP ports the pods on `t`'s nodes declare: the workloads' before kube-system's, then by
  // number; at most kMaxPorts.
  std::vector<PodPort> pod_ports(const GroupSet& t) const {
    std::map<std::pair<bool, int>, std::string> ports;
    std::set<int> seen;
    for (const NodeSide* s : t.nodes) {
      for (const Object* pod : cluster_.pods_on_node(s->n->node->name)) {
        const std::string_view phase = pod->status()["phase"].str();
        if (phase == "Succeeded" || phase == "Failed") continue;
        for (const Value& c : pod->spec()["containers"].items()) {
          for (const Value& p : c["ports"].items()) {
            const int port = static_cast<int>(p["containerPort"].as_int(0));
            if (port <= 0 || protocol_of(p) != "TCP") continue;
            ports.emplace(std::pair{pod->ns == "kube-system", port},
                          fmt::format("pod {}/{} on node {} listens on TCP {}", pod->ns, pod->name,
                                      s->n->node->name, port));
          }
        }
      }
    }
    std::vector<PodPort> out;
    for (auto& [key, why] : ports) {
      if (out.size() == kMaxPorts) break;
      if (seen.insert(key.second).second) out.push_back({key.second, std::move(why)});
    }
    if (out.empty())
      out.push_back({80, "pods may listen on any TCP port (TCP 80 stands for them)"});
    return out;
  }

  void intra(const GroupSet& t, const NodeSide& a, const std::vector<PodPort>& ports) {
    const NodeSide* b = other_than(t, a);
    if (b == nullptr) return;
    RuleToAdd from_nodes{Direction::kIngress,
                         "ALL",
                         {},
                         a.group_ids().front(),
                         "",
                         1,
                         "ktriage: all traffic between cluster nodes"};
    if (!cluster_group_.empty() && std::find(a.group_ids().begin(), a.group_ids().end(),
                                             cluster_group_) != a.group_ids().end()) {
      from_nodes.peer_group = cluster_group_;
    }
    // Pod to pod first (what applications see), then node to node.
    auto pods = [&](std::string_view proto, int port, const std::string& why) {
      if (flannel_ && !a.pod_cidr.empty()) {
        RuleToAdd from_pods{Direction::kIngress,        "ALL", {}, "", pod_cidr_or(a.pod_cidr), 1,
                            "ktriage: Flannel pod CIDR"};
        add(NeedKind::kIntraCluster, t, flow(Direction::kIngress, proto, port, a.pod_cidr),
            fmt::format("pods of node {} ({})", a.n->node->name, a.pod_cidr),
            fmt::format("pods on node {}", b->n->node->name), why + "; Flannel: pod addresses",
            from_pods);
      }
    };
    auto nodes = [&](std::string_view proto, int port, const std::string& why) {
      add(NeedKind::kIntraCluster, t,
          flow(Direction::kIngress, proto, port, a.address + "/32", a.group_ids()), a.label,
          b->label, why, from_nodes);
    };
    const std::string dns = "DNS: CoreDNS answers on UDP 53 and may run on any node";
    for (const PodPort& p : ports) pods("TCP", p.port, p.why);
    pods("UDP", 53, dns);
    for (const PodPort& p : ports) nodes("TCP", p.port, p.why);
    nodes("UDP", 53, dns);
  }

  std::string pod_cidr_or(const std::string& node_cidr) const {
    return view_.detail() && !view_.detail()->pod_cidr.empty() ? view_.detail()->pod_cidr
                                                               : node_cidr;
  }

  void icmp(const GroupSet& t, const NodeSide& a) {
    const NodeSide* b = other_than(t, a);
    if (b == nullptr) return;
    add(NeedKind::kIcmp, t, flow(Direction::kIngress, "ICMP", -1, a.address + "/32", a.group_ids()),
        a.label, b->label, "ping between nodes (ACK recommends inbound ICMP from 0.0.0.0/0)",
        RuleToAdd{Direction::kIngress, "ICMP", {}, "", "0.0.0.0/0", 1, "ktriage: ICMP"});
  }

  // The control plane as a source: the API server's VPC address and the cluster's group. ACK
  // lets the control plane in by the cluster security group (catalog ACK-SG-KUBELET-PORT-BLOCKED:
  // "allow TCP 10250 from the cluster security group / control plane"; a node in that basic group
  // admits it by the inner policy alone), and only DescribeClusterDetail names that group.
  // Without it the address alone would read every group-based admission as a drop, so the flow
  // is not judged.
  bool control_plane(Flow& f, std::string& label, RuleToAdd& wanted) const {
    if (cluster_group_.empty()) return false;
    if (!api_.empty()) f.peer = parse_cidr(api_);
    f.peer_groups = {cluster_group_};
    label = fmt::format("the control plane ({}cluster group {})",
                        api_.empty() ? "" : "API server " + api_ + ", ", cluster_group_);
    wanted.peer_group = cluster_group_;
    wanted.peer_cidr = api_.empty() ? "" : api_ + "/32";
    return true;
  }

  void kubelet(const GroupSet& t) {
    Flow f = flow(Direction::kIngress, "TCP", 10250, "");
    std::string label;
    RuleToAdd wanted{Direction::kIngress, "TCP", {10250, 10250}, "", "", 1, "ktriage: kubelet"};
    if (!control_plane(f, label, wanted)) return;
    add(NeedKind::kKubelet, t, f, label, t.first().label,
        "the API server calls the kubelet on TCP 10250 for kubectl logs, exec, attach and "
        "port-forward, metrics-server for kubectl top and HPA",
        wanted);
  }

  void webhooks();
  void terway();
  void outbound(const GroupSet& t);
  void health_checks();
  const GroupSet* set_of(std::string_view node) const {
    for (const GroupSet& t : sets_) {
      for (const NodeSide* s : t.nodes) {
        if (s->n->node->name == node) return &t;
      }
    }
    return nullptr;
  }

  const Cluster& cluster_;
  const CloudView& view_;
  std::vector<NodeSide> sides_;
  std::vector<GroupSet> sets_;
  std::string api_, cluster_group_;
  bool terway_pods_ = false, flannel_ = false;
  std::vector<Need> out_;
};

// The pods a Service selects. O(pods with the selector's first label).
std::vector<const Object*> service_pods(const Cluster& cluster, const Object& svc) {
  const Value& selector = svc.spec()["selector"];
  if (selector.size() == 0) return {};
  const Member& first = selector.members()[0];
  std::vector<const Object*> out;
  for (const Object* pod : cluster.pods_with_label(svc.ns, first.key, first.value.str())) {
    if (map_selector_matches(selector, pod->labels())) out.push_back(pod);
  }
  return out;
}

// The container port a Service's targetPort names on `pod`; `fallback` when it is a number or
// the pod does not declare the name.
int target_port(const Object& pod, const Value& target, int fallback) {
  if (target.is_number() || (!target.is_string() && target.is_null())) {
    return static_cast<int>(target.as_int(fallback));
  }
  if (!is_port_name(target)) return static_cast<int>(target.as_int(fallback));
  for (const Value& c : pod.spec()["containers"].items()) {
    for (const Value& p : c["ports"].items()) {
      if (p["name"].str() == target.str()) return static_cast<int>(p["containerPort"].as_int(0));
    }
  }
  return fallback;
}

void Builder::webhooks() {
  for (std::string_view kind : {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}) {
    for (const Object* config : cluster_.of_kind(kind)) {
      std::set<std::pair<const GroupSet*, int>> done;
      for (const Value& hook : (*config)["webhooks"].items()) {
        const Value& ref = hook["clientConfig"]["service"];
        const Object* svc = cluster_.find("Service", ref["namespace"].str(), ref["name"].str());
        if (svc == nullptr) continue;
        const int port = static_cast<int>(ref["port"].as_int(443));
        Value target;
        for (const Value& p : svc->spec()["ports"].items()) {
          if (p["port"].as_int(0) == port) target = p["targetPort"];
        }
        for (const Object* pod : service_pods(cluster_, *svc)) {
          const GroupSet* t = set_of(pod->spec()["nodeName"].str());
          if (t == nullptr) continue;
          const int to = target_port(*pod, target, port);
          if (to <= 0 || !done.insert({t, to}).second) continue;
          Flow f = flow(Direction::kIngress, "TCP", to, "");
          std::string label;
          RuleToAdd wanted{Direction::kIngress,
                           "TCP",
                           {to, to},
                           "",
                           "",
                           1,
                           fmt::format("ktriage: webhook {}", config->name)};
          if (!control_plane(f, label, wanted)) return;
          Need& n =
              add(NeedKind::kWebhook, *t, f, label,
                  fmt::format("pod {}/{} on node {}", pod->ns, pod->name,
                              pod->spec()["nodeName"].str()),
                  fmt::format("{} {} calls Service {}/{} port {}, served by pod {}/{} on TCP {}",
                              kind, config->name, svc->ns, svc->name, port, pod->ns, pod->name, to),
                  wanted);
          n.object = config;
        }
      }
    }
  }
}

// Terway pods on ENIs of their own groups (eni-config security_group(s)): traffic from every
// node and from the pods of every node must enter those groups.
void Builder::terway() {
  const std::vector<std::string>& ids = view_.terway_security_groups();
  if (!terway_pods_ || ids.empty() || sides_.empty()) return;
  NodeSide eni;
  eni.n = sides_.front().n;
  for (const std::string& id : ids) {
    if (const SecurityGroup* g = view_.group(id)) {
      eni.groups.push_back(g);
    } else {
      eni.missing.push_back(id);
    }
  }
  if (eni.groups.empty()) return;
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  GroupSet pods;
  for (const NodeSide& s : sides_) pods.nodes.push_back(&s);
  pods.seal();
  std::vector<PodPort> ports;
  for (const GroupSet& t : sets_) {
    for (PodPort& p : pod_ports(t)) ports.push_back(std::move(p));
  }
  std::sort(ports.begin(), ports.end(),
            [](const PodPort& a, const PodPort& b) { return a.port < b.port; });
  ports.erase(std::unique(ports.begin(), ports.end(),
                          [](const PodPort& a, const PodPort& b) { return a.port == b.port; }),
              ports.end());
  if (ports.size() > kMaxPorts) ports.resize(kMaxPorts);
  ports.push_back({53, "DNS: CoreDNS pods answer on port 53"});
  const std::string to = fmt::format("pods on Terway ENIs (groups {})", fmt::join(ids, ", "));
  for (const NodeSide& a : sides_) {
    std::vector<std::string> node_sorted = a.group_ids();
    std::sort(node_sorted.begin(), node_sorted.end());
    for (const PodPort& p : ports) {
      const std::string_view proto = p.port == 53 ? "UDP" : "TCP";
      // Pod to pod: the sending ENI is in the Terway groups too.
      Need& n = add(
          NeedKind::kIntraCluster, pods,
          flow(Direction::kIngress, proto, p.port, a.address + "/32", ids),
          fmt::format("pods of node {}", a.n->node->name), to, p.why,
          RuleToAdd{Direction::kIngress, "ALL", {}, ids.front(), "", 1, "ktriage: Terway pods"});
      n.groups = eni.groups;
      n.missing_groups = eni.missing;
      if (node_sorted == sorted) continue;
      Need& m = add(NeedKind::kIntraCluster, pods,
                    flow(Direction::kIngress, proto, p.port, a.address + "/32", a.group_ids()),
                    a.label, to, p.why + " (from the node: kubelet probes, hostNetwork pods)",
                    RuleToAdd{Direction::kIngress,
                              "ALL",
                              {},
                              a.group_ids().front(),
                              "",
                              1,
                              "ktriage: nodes to Terway pods"});
      m.groups = eni.groups;
      m.missing_groups = eni.missing;
    }
  }
}

void Builder::outbound(const GroupSet& t) {
  const NodeSide& a = t.first();
  const std::string from =
      a.label + (t.nodes.size() > 1
                     ? fmt::format(" and {} more nodes with its groups", t.nodes.size() - 1)
                     : "");
  const RuleToAdd cloud{Direction::kEgress,
                        "ALL",
                        {},
                        "",
                        std::string(kServiceRange),
                        1,
                        "ktriage: Alibaba Cloud services"};
  add(NeedKind::kOutbound, t, flow(Direction::kEgress, "TCP", 443, kServiceRange), from,
      fmt::format("Alibaba Cloud services ({})", kServiceRange),
      "image pulls from ACR VPC endpoints, OSS, STS and the metadata service (Terway, CSI, CCM)",
      cloud);
  add(NeedKind::kOutbound, t, flow(Direction::kEgress, "UDP", 53, kCloudDns), from,
      fmt::format("Alibaba Cloud DNS ({})", kCloudDns), "CoreDNS forwards to the VPC's DNS", cloud);
  // As for the control plane's calls (control_plane): a DestGroupId rule of the cluster group
  // may be what lets the nodes reach the API server, so without the group it is not judged.
  if (!cluster_group_.empty()) {
    Flow f = flow(Direction::kEgress, "TCP", 6443, api_.empty() ? "" : api_ + "/32");
    f.peer_groups = {cluster_group_};
    add(NeedKind::kOutbound, t, f, from,
        fmt::format("the API server ({})", api_.empty() ? cluster_group_ : api_),
        "the kubelet and every pod reach the API server on TCP 6443",
        RuleToAdd{Direction::kEgress,
                  "TCP",
                  {6443, 6443},
                  cluster_group_,
                  api_.empty() ? "" : api_ + "/32",
                  1,
                  "ktriage: API server"});
  }
  // Other nodes: the first node with other groups, else another node with these.
  const NodeSide* b = nullptr;
  for (const NodeSide& s : sides_) {
    if (std::find(t.nodes.begin(), t.nodes.end(), &s) == t.nodes.end()) {
      b = &s;
      break;
    }
  }
  if (b == nullptr) b = other_than(t, a);
  if (b != nullptr) {
    const RuleToAdd nodes{Direction::kEgress,      "ALL", {}, b->group_ids().front(), "", 1,
                          "ktriage: cluster nodes"};
    add(NeedKind::kOutbound, t,
        flow(Direction::kEgress, "UDP", 53, b->address + "/32", b->group_ids()), from, b->label,
        "DNS queries to CoreDNS on other nodes", nodes);
    const int port = pod_ports(*set_of(b->n->node->name)).front().port;
    add(NeedKind::kOutbound, t,
        flow(Direction::kEgress, "TCP", port, b->address + "/32", b->group_ids()), from, b->label,
        fmt::format("pods reach pods on other nodes (TCP {})", port), nodes);
  }
}

void Builder::health_checks() {
  for (const Object* svc : cluster_.of_kind("Service")) {
    if (svc->spec()["type"].str() != "LoadBalancer") continue;
    // ENI backends (Terway) are health-checked on the pods, not on NodePorts.
    if (svc->annotations()["service.beta.kubernetes.io/backend-type"].str() == "eni") continue;
    std::vector<int> ports;
    for (const Value& p : svc->spec()["ports"].items()) {
      if (p["nodePort"].as_int(0) > 0 && protocol_of(p) == "TCP") {
        ports.push_back(static_cast<int>(p["nodePort"].as_int(0)));
      }
    }
    if (svc->spec()["healthCheckNodePort"].as_int(0) > 0) {
      ports.push_back(static_cast<int>(svc->spec()["healthCheckNodePort"].as_int(0)));
    }
    for (const GroupSet& t : sets_) {
      for (int port : ports) {
        Need& n =
            add(NeedKind::kHealthCheck, t, flow(Direction::kIngress, "TCP", port, kServiceRange),
                fmt::format("SLB health checks ({})", kServiceRange), t.first().label,
                fmt::format("Service {}/{} of type LoadBalancer: the SLB checks and "
                            "forwards to NodePort {}",
                            svc->ns, svc->name, port),
                RuleToAdd{Direction::kIngress,
                          "TCP",
                          {30000, 32767},
                          "",
                          std::string(kServiceRange),
                          1,
                          "ktriage: SLB to NodePorts"});
        n.object = svc;
      }
    }
  }
}

}  // namespace

std::string api_server_address(const Cluster& cluster) {
  if (const Object* ep = cluster.find("Endpoints", "default", "kubernetes")) {
    for (const Value& subset : (*ep)["subsets"].items()) {
      for (const Value& a : subset["addresses"].items()) {
        if (!a["ip"].str().empty()) return std::string(a["ip"].str());
      }
    }
  }
  for (const Object* slice : cluster.of_kind("EndpointSlice")) {
    if (slice->ns != "default" || slice->label("kubernetes.io/service-name") != "kubernetes") {
      continue;
    }
    for (const Value& e : (*slice)["endpoints"].items()) {
      for (const Value& a : e["addresses"].items()) {
        if (!a.str().empty()) return std::string(a.str());
      }
    }
  }
  return {};
}

std::vector<Need> cluster_needs(const Cluster& cluster, const CloudView& view) {
  return Builder(cluster, view).build();
}

}  // namespace ktriage::cloud
