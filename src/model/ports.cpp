#include "model/ports.h"

#include <fmt/format.h>

namespace ktriage {
std::string_view protocol_of(const Value& port) {
  return port["protocol"].str().empty() ? std::string_view("TCP") : port["protocol"].str();
}

const Value& probe_port(const Value& probe) {
  for (std::string_view handler : {"httpGet", "tcpSocket", "grpc"}) {
    if (probe[handler].is_object()) return probe[handler]["port"];
  }
  return Value::null_value();
}

bool is_port_name(const Value& port) { return port.is_string() && port.as_int(-1) < 0; }

PortMatch match_probe_port(const Value& probe, const Value& container_spec) {
  const Value& port = probe_port(probe);
  if (port.is_null()) return PortMatch::kNoPort;
  const Value& ports = container_spec["ports"];
  const bool named = is_port_name(port);
  for (const Value& p : ports.items()) {
    if (named ? p["name"].str() == port.str() : p["containerPort"].as_int(-1) == port.as_int()) {
      return PortMatch::kDeclared;
    }
  }
  if (named) return PortMatch::kNamedMissing;
  return ports.size() == 0 ? PortMatch::kNumberNothingDeclared : PortMatch::kNumberUndeclared;
}

bool declares_port(const Value& container_spec, const Value& port, std::string_view protocol) {
  const bool named = is_port_name(port);
  for (const Value& p : container_spec["ports"].items()) {
    if (protocol_of(p) != protocol) continue;
    if (named ? p["name"].str() == port.str() : p["containerPort"].as_int(-1) == port.as_int(-2))
      return true;
  }
  return false;
}

std::string declared_ports_text(const Value& container_spec) {
  std::string out;
  for (const Value& p : container_spec["ports"].items()) {
    out += fmt::format("{}{}/{}{}", out.empty() ? "" : ", ", p["containerPort"].as_int(),
                       protocol_of(p),
                       p["name"].str().empty() ? "" : fmt::format(" ({})", p["name"].str()));
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace ktriage
