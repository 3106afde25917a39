#include "network/evaluate.h"

#include <fmt/format.h>

#include <algorithm>

namespace ktriage::network {
namespace {
const Labels kNoLabels;  // for an endpoint built without labels
const Labels& or_none(const Labels* l) { return l != nullptr ? *l : kNoLabels; }
}  // namespace

PolicySet::PolicySet(std::vector<Policy> policies) : policies_(std::move(policies)) {
  std::sort(policies_.begin(), policies_.end(), [](const Policy& a, const Policy& b) {
    return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
  });
  for (std::size_t i = 0; i < policies_.size();) {
    std::size_t j = i;
    while (j < policies_.size() && policies_[j].ns == policies_[i].ns) ++j;
    by_ns_[policies_[i].ns] = {i, j};
    i = j;
  }
}

std::span<const Policy> PolicySet::in_namespace(std::string_view ns) const {
  auto it = by_ns_.find(ns);
  if (it == by_ns_.end()) return {};
  return std::span<const Policy>(policies_).subspan(it->second.first,
                                                    it->second.second - it->second.first);
}

bool peer_selects(const Peer& peer, const Policy& policy, const PodEndpoint& pod) {
  if (peer.ip_block) return false;
  if (peer.namespace_selector) {
    if (!peer.namespace_selector->matches(or_none(pod.ns_labels))) return false;
  } else if (pod.ns != policy.ns) {
    return false;  // a podSelector-only peer means the policy's own namespace
  }
  return !peer.pod_selector || peer.pod_selector->matches(or_none(pod.labels));
}

bool peer_selects(const Peer& peer, const Cidr& address) {
  return peer.ip_block && peer.ip_block->contains(address);
}

bool rule_selects(const Rule& rule, const Policy& policy, const Endpoint& other) {
  if (rule.peers.empty()) return true;
  for (const Peer& p : rule.peers) {
    if (other.pod != nullptr ? peer_selects(p, policy, *other.pod) : peer_selects(p, other.address))
      return true;
  }
  return false;
}

bool rule_admits_port(const Rule& rule, std::int32_t port, std::string_view protocol,
                      std::span<const ContainerPort> dst_ports) {
  if (rule.ports.empty()) return true;
  for (const PortRule& pr : rule.ports) {
    if (pr.protocol != protocol) continue;
    if (pr.port) {
      if (port >= *pr.port && port <= pr.end_port.value_or(*pr.port)) return true;
    } else if (!pr.name.empty()) {
      for (const ContainerPort& cp : dst_ports) {
        if (cp.name == pr.name && cp.protocol == protocol && cp.port == port) return true;
      }
    } else {
      return true;  // protocol only: every port
    }
  }
  return false;
}

bool namespace_selector_undecided(const Selector& selector, std::string_view ns) {
  const Labels name_only{{kNamespaceNameLabel, ns}};
  bool other = false;
  for (const auto& [k, v] : selector.match_labels) {
    if (k != kNamespaceNameLabel)
      other = true;
    else if (v != ns)
      return false;
  }
  for (const Requirement& r : selector.expressions) {
    if (r.key != kNamespaceNameLabel) {
      other = true;
      continue;
    }
    Selector one;
    one.expressions.push_back(r);
    if (!one.matches(name_only)) return false;
  }
  return other;
}

namespace {

// The peers of `p`'s rules (ports admitting the connection) that might select `other` though the
// snapshot cannot say (see Doubt). Only for a denied side, so its cost does not touch the
// allowed path. O(rules * peers * pod IPs).
void add_doubts(const Policy& p, bool ingress, const PodEndpoint& other, std::int32_t port,
                std::string_view protocol, std::span<const ContainerPort> dst_ports,
                SideVerdict& v) {
  const auto& rules = ingress ? p.ingress_rules : p.egress_rules;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rule_admits_port(rules[i], port, protocol, dst_ports)) continue;
    for (std::size_t j = 0; j < rules[i].peers.size(); ++j) {
      const Peer& peer = rules[i].peers[j];
      Doubt d{Doubt::Kind::kIpBlock, RuleRef{&p, static_cast<int>(i)}, static_cast<int>(j), {}};
      if (peer.ip_block) {
        for (const Cidr& ip : other.ips) {
          if (!peer.ip_block->contains(ip)) continue;
          d.ip = ip;
          v.doubts.push_back(d);
          break;
        }
      } else if (peer.namespace_selector && !other.ns_labels_known &&
                 (!peer.pod_selector || peer.pod_selector->matches(or_none(other.labels))) &&
                 namespace_selector_undecided(*peer.namespace_selector, other.ns)) {
        d.kind = Doubt::Kind::kNamespaceLabels;
        v.doubts.push_back(d);
      }
    }
  }
}

// One direction: `self` is the pod the policies select, `other` the far end, `dst_ports` the
// destination's container ports (for named ports).
SideVerdict evaluate_side(const PolicySet& set, const PodEndpoint& self, const Endpoint& other,
                          bool ingress, std::int32_t port, std::string_view protocol,
                          std::span<const ContainerPort> dst_ports) {
  SideVerdict v;
  v.checked = true;
  for (const Policy& p : set.in_namespace(self.ns)) {
    if (!(ingress ? p.ingress : p.egress)) continue;
    if (!p.pod_selector.matches(or_none(self.labels))) continue;
    v.isolating.push_back(&p);
    if (v.allowed_by) continue;
    const auto& rules = ingress ? p.ingress_rules : p.egress_rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rule_selects(rules[i], p, other) &&
          rule_admits_port(rules[i], port, protocol, dst_ports)) {
        v.allowed_by = RuleRef{&p, static_cast<int>(i)};
        break;
      }
    }
  }
  v.isolated = !v.isolating.empty();
  v.allowed = !v.isolated || v.allowed_by.has_value();
  if (!v.allowed && other.pod != nullptr) {
    for (const Policy* p : v.isolating)
      add_doubts(*p, ingress, *other.pod, port, protocol, dst_ports, v);
  }
  return v;
}

}  // namespace

SideVerdict evaluate_ingress(const PolicySet& set, const PodEndpoint& dst, const Endpoint& src,
                             std::int32_t port, std::string_view protocol) {
  return evaluate_side(set, dst, src, true, port, protocol, dst.ports);
}

SideVerdict evaluate_egress(const PolicySet& set, const PodEndpoint& src, const Endpoint& dst,
                            std::int32_t port, std::string_view protocol) {
  return evaluate_side(set, src, dst, false, port, protocol,
                       dst.pod != nullptr ? dst.pod->ports : std::span<const ContainerPort>());
}

ConnectionVerdict evaluate(const PolicySet& set, const Endpoint& src, const Endpoint& dst,
                           std::int32_t port, std::string_view protocol) {
  ConnectionVerdict c;
  if (src.pod != nullptr) c.egress = evaluate_egress(set, *src.pod, dst, port, protocol);
  if (dst.pod != nullptr) c.ingress = evaluate_ingress(set, *dst.pod, src, port, protocol);
  return c;
}

std::string describe_rule(const Rule& rule, std::string_view direction) {
  std::string out = direction == "ingress" ? "from " : "to ";
  if (rule.peers.empty()) out += "everywhere";
  for (std::size_t i = 0; i < rule.peers.size(); ++i) {
    const Peer& p = rule.peers[i];
    if (i > 0) out += " or ";
    if (p.ip_block) {
      out += "ipBlock " + p.ip_block->cidr.to_string();
      for (std::size_t j = 0; j < p.ip_block->except.size(); ++j)
        out += (j == 0 ? " except " : ", ") + p.ip_block->except[j].to_string();
      continue;
    }
    out += p.pod_selector ? "podSelector " + p.pod_selector->to_string() : "every pod";
    out += p.namespace_selector ? " in namespaces " + p.namespace_selector->to_string()
                                : " of the policy's namespace";
  }
  out += "; ports ";
  if (rule.ports.empty()) out += "all";
  for (std::size_t i = 0; i < rule.ports.size(); ++i)
    out += (i == 0 ? "" : ", ") + rule.ports[i].to_string();
  return out;
}

std::string describe(const SideVerdict& v, std::string_view direction) {
  if (!v.checked) return fmt::format("{}: not checked (outside the cluster)", direction);
  if (!v.isolated)
    return fmt::format("{}: not isolated (no NetworkPolicy selects the pod for {})", direction,
                       direction);
  std::string names;
  for (const Policy* p : v.isolating)
    names += fmt::format("{}{}/{}", names.empty() ? "" : ", ", p->ns, p->name);
  if (v.allowed_by)
    return fmt::format("{}: allowed by NetworkPolicy {}/{} .spec.{}[{}]", direction,
                       v.allowed_by->policy->ns, v.allowed_by->policy->name, direction,
                       v.allowed_by->rule);
  if (v.undecided())
    return fmt::format(
        "{}: undecided: isolated by NetworkPolicy {}; no rule of them allows it for certain, but "
        "a peer below might",
        direction, names);
  return fmt::format("{}: denied: isolated by NetworkPolicy {}; no rule of them allows it",
                     direction, names);
}

}  // namespace ktriage::network
