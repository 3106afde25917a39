#include "network/policy.h"

#include <fmt/format.h>

namespace ktriage::network {
namespace {

Expected<IpBlock> compile_ip_block(const Value& v, const std::string& where) {
  IpBlock b;
  auto cidr = parse_cidr(v["cidr"].str());
  if (!cidr) return Unexpected(fmt::format("{}.cidr: {}", where, cidr.error()));
  b.cidr = *cidr;
  int i = 0;
  for (const Value& e : v["except"].items()) {
    auto ex = parse_cidr(e.str());
    if (!ex) return Unexpected(fmt::format("{}.except[{}]: {}", where, i, ex.error()));
    if (!b.cidr.contains(*ex))
      return Unexpected(fmt::format("{}.except[{}]: {} is not inside cidr {}", where, i, e.str(),
                                    v["cidr"].str()));
    b.except.push_back(*ex);
    ++i;
  }
  return b;
}

Expected<Peer> compile_peer(const Value& v, const std::string& where) {
  Peer p;
  const bool has_pod = v.contains("podSelector") && !v["podSelector"].is_null();
  const bool has_ns = v.contains("namespaceSelector") && !v["namespaceSelector"].is_null();
  const bool has_ip = v.contains("ipBlock") && !v["ipBlock"].is_null();
  if (has_ip && (has_pod || has_ns))
    return Unexpected(
        fmt::format("{}: ipBlock cannot be combined with podSelector or namespaceSelector", where));
  if (!has_ip && !has_pod && !has_ns)
    return Unexpected(fmt::format(
        "{}: a peer needs podSelector, namespaceSelector or ipBlock (the API server rejects an "
        "empty one)",
        where));
  if (has_ip) {
    auto b = compile_ip_block(v["ipBlock"], where + ".ipBlock");
    if (!b) return Unexpected(b.error());
    p.ip_block = std::move(*b);
  }
  if (has_pod) {
    auto s = compile_selector(v["podSelector"], where + ".podSelector");
    if (!s) return Unexpected(s.error());
    p.pod_selector = std::move(*s);
  }
  if (has_ns) {
    auto s = compile_selector(v["namespaceSelector"], where + ".namespaceSelector");
    if (!s) return Unexpected(s.error());
    p.namespace_selector = std::move(*s);
  }
  return p;
}

Expected<PortRule> compile_port(const Value& v, const std::string& where) {
  PortRule r;
  if (const std::string_view proto = v["protocol"].str(); !proto.empty()) {
    if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
      return Unexpected(fmt::format("{}.protocol: \"{}\" is not TCP, UDP or SCTP", where, proto));
    r.protocol = proto;
  }
  const Value& port = v["port"];
  if (port.is_number() || (port.is_string() && !port.str().empty() &&
                           port.str().find_first_not_of("0123456789") == std::string_view::npos)) {
    const std::int64_t n = port.as_int(-1);
    if (n < 1 || n > 65535)
      return Unexpected(fmt::format("{}.port: {} is outside 1-65535", where, n));
    r.port = static_cast<std::int32_t>(n);
  } else if (port.is_string()) {
    r.name = port.str();
  } else if (!port.is_null()) {
    return Unexpected(fmt::format("{}.port: not a number or a port name", where));
  }
  if (v.contains("endPort") && !v["endPort"].is_null()) {
    const std::int64_t e = v["endPort"].as_int(-1);
    if (!r.port) return Unexpected(fmt::format("{}.endPort: needs a numbered port", where));
    if (e < *r.port || e > 65535)
      return Unexpected(
          fmt::format("{}.endPort: {} must be between port {} and 65535", where, e, *r.port));
    r.end_port = static_cast<std::int32_t>(e);
  }
  return r;
}

Expected<std::vector<Rule>> compile_rules(const Value& rules, std::string_view peers_key,
                                          std::string_view where) {
  std::vector<Rule> out;
  int i = 0;
  for (const Value& rv : rules.items()) {
    Rule rule;
    const std::string at = fmt::format(".spec.{}[{}]", where, i++);
    int j = 0;
    for (const Value& pv : rv[peers_key].items()) {
      auto p = compile_peer(pv, fmt::format("{}.{}[{}]", at, peers_key, j++));
      if (!p) return Unexpected(p.error());
      rule.peers.push_back(std::move(*p));
    }
    j = 0;
    for (const Value& pv : rv["ports"].items()) {
      auto p = compile_port(pv, fmt::format("{}.ports[{}]", at, j++));
      if (!p) return Unexpected(p.error());
      rule.ports.push_back(*p);
    }
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

bool IpBlock::contains(const Cidr& address) const {
  if (!cidr.contains(address)) return false;
  for (const Cidr& e : except) {
    if (e.contains(address)) return false;
  }
  return true;
}

std::string PortRule::to_string() const {
  if (port && end_port) return fmt::format("{} {}-{}", protocol, *port, *end_port);
  if (port) return fmt::format("{} {}", protocol, *port);
  if (!name.empty()) return fmt::format("{} {}", protocol, name);
  return fmt::format("{} (every port)", protocol);
}

Expected<Policy> compile_policy(const Value& spec, std::string_view ns, std::string_view name) {
  Policy p;
  p.ns = ns;
  p.name = name;
  auto sel = compile_selector(spec["podSelector"], ".spec.podSelector");
  if (!sel) return Unexpected(sel.error());
  p.pod_selector = std::move(*sel);
  const Value& types = spec["policyTypes"];
  if (types.size() == 0) {
    p.ingress = true;
    p.egress = spec["egress"].size() != 0;
  }
  int i = 0;
  for (const Value& t : types.items()) {
    if (t.str() == "Ingress") {
      p.ingress = true;
    } else if (t.str() == "Egress") {
      p.egress = true;
    } else {
      return Unexpected(
          fmt::format(".spec.policyTypes[{}]: \"{}\" is not Ingress or Egress", i, t.str()));
    }
    ++i;
  }
  auto in = compile_rules(spec["ingress"], "from", "ingress");
  if (!in) return Unexpected(in.error());
  auto out = compile_rules(spec["egress"], "to", "egress");
  if (!out) return Unexpected(out.error());
  p.ingress_rules = std::move(*in);
  p.egress_rules = std::move(*out);
  return p;
}

}  // namespace ktriage::network
