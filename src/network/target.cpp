#include "network/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "core/ascii.h"

namespace ktriage::network {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// IANA_SVC_NAME (RFC 6335, Kubernetes' IsValidPortName): 1-15 characters of a-z, 0-9 and '-', at
// least one letter, no hyphen at either end or next to another.
bool is_iana_svc_name(std::string_view s) {
  if (!is_dns_label(s) || s.size() > 15 || s.find("--") != std::string_view::npos) return false;
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

constexpr const char* kForms =
    "pod/NS/NAME, svc/NS/NAME, ingress/NS/NAME, node/NAME, an IP or CIDR, or a DNS name "
    "(web.shop.svc.cluster.local)";

Expected<Target> parse_dns(std::string_view text, std::string_view default_ns) {
  Target t;
  t.kind = Target::Kind::kDnsName;
  t.text = std::string(text);
  std::string_view name = text;
  if (name.ends_with(".")) name.remove_suffix(1);  // a fully qualified name
  const auto parts = split(name, '.');
  for (std::string_view p : parts) {
    if (!is_dns_label(p)) return Unexpected(fmt::format("\"{}\" is not {}", text, kForms));
  }
  if (parts.size() == 1) {
    if (default_ns.empty())
      return Unexpected(fmt::format(
          "\"{}\": a bare Service name needs -n NAMESPACE (or write {}.NAMESPACE)", text, text));
    t.name = std::string(parts[0]);
    t.ns = std::string(default_ns);
    return t;
  }
  // svc.ns, svc.ns.svc, svc.ns.svc.<cluster domain>: the search path of a pod's resolv.conf.
  if (parts.size() == 2 || parts[2] == "svc") {
    t.name = std::string(parts[0]);
    t.ns = std::string(parts[1]);
    return t;
  }
  return Unexpected(fmt::format(
      "\"{}\" is not a Service's DNS name (SERVICE.NAMESPACE.svc.cluster.local); names outside "
      "the cluster cannot be resolved offline: give the IP address",
      text));
}

}  // namespace

Expected<Target> parse_target(std::string_view text, std::string_view default_ns, bool allow_dns) {
  Target t;
  t.text = std::string(text);
  if (text.empty()) return Unexpected(fmt::format("an empty target; expected {}", kForms));
  const auto slash = text.find('/');
  if (auto c = parse_cidr(text)) {
    t.kind = Target::Kind::kAddress;
    t.address = *c;
    return t;
  } else if (looks_like_ip(text) &&
             text.find_first_not_of("0123456789./") == std::string_view::npos) {
    return Unexpected(c.error());  // "10.0.0.300": an address, mistyped (not a DNS name)
  } else if (looks_like_ip(text) && text.find(':') != std::string_view::npos) {
    return Unexpected(c.error());
  }
  if (slash == std::string_view::npos) {
    if (allow_dns) return parse_dns(text, default_ns);
    return Unexpected(
        fmt::format("\"{}\" is not {} (a DNS name is accepted for TO only)", text, kForms));
  }
  const std::string kind = ascii_lower(text.substr(0, slash));
  const auto rest = split(text.substr(slash + 1), '/');
  if (kind == "node" || kind == "nodes" || kind == "no") {
    if (rest.size() != 1 || rest[0].empty())
      return Unexpected(fmt::format("\"{}\": a node is node/NAME", text));
    t.kind = Target::Kind::kNode;
    t.name = std::string(rest[0]);
    return t;
  }
  if (kind == "pod" || kind == "pods" || kind == "po") {
    t.kind = Target::Kind::kPod;
  } else if (kind == "svc" || kind == "service" || kind == "services") {
    t.kind = Target::Kind::kService;
  } else if (kind == "ingress" || kind == "ingresses" || kind == "ing") {
    t.kind = Target::Kind::kIngress;
  } else {
    return Unexpected(fmt::format("\"{}\": unknown kind \"{}\"; expected {}", text,
                                  text.substr(0, slash), kForms));
  }
  if (rest.size() == 2 && !rest[0].empty() && !rest[1].empty()) {
    t.ns = std::string(rest[0]);
    t.name = std::string(rest[1]);
  } else if (rest.size() == 1 && !rest[0].empty() && !default_ns.empty()) {
    t.ns = std::string(default_ns);
    t.name = std::string(rest[0]);
  } else if (rest.size() == 1 && !rest[0].empty()) {
    return Unexpected(fmt::format("\"{}\": say the namespace: {}/NAMESPACE/{} or -n NAMESPACE",
                                  text, text.substr(0, slash), rest[0]));
  } else {
    return Unexpected(fmt::format("\"{}\" is not {}", text, kForms));
  }
  return t;
}

Expected<PortSpec> parse_port(std::string_view text) {
  PortSpec p;
  if (ascii_lower(text) == "icmp") {  // ping: no port; security groups have ICMP rules
    p.protocol = "ICMP";
    return p;
  }
  std::string_view port = text;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    port = text.substr(0, slash);
    p.protocol_given = true;
    p.protocol = ascii_lower(text.substr(slash + 1));
    for (char& c : p.protocol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (p.protocol != "TCP" && p.protocol != "UDP" && p.protocol != "SCTP")
      return Unexpected(fmt::format("--port \"{}\": the protocol is TCP, UDP or SCTP", text));
  }
  if (port.empty()) return Unexpected(fmt::format("--port \"{}\": no port", text));
  // All digits is a number, however long (from_chars overflows on "99999999999": an error, not a
  // name); a name is an IANA_SVC_NAME, which needs a letter.
  if (std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535)
      return Unexpected(fmt::format("--port \"{}\": {} is outside 1-65535", text, port));
    p.port = n;
  } else if (is_iana_svc_name(port)) {
    p.name = std::string(port);
  } else {
    return Unexpected(fmt::format(
        "--port \"{}\" is not PORT[/PROTOCOL] (80/TCP, 53/UDP) or a port name (http: at most 15 "
        "lower-case letters, digits and single hyphens, with a letter)",
        text));
  }
  return p;
}

}  // namespace ktriage::network
