// Container ports as references resolve against them: a probe's port, a Service's targetPort.
// Shared by the analyzers (probe events, Service endpoints) and lint (manifests only). Reads one
// container spec at a time; never looks at other objects.
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"

namespace ktriage {

/// A container or Service port's protocol, "TCP" when unset (the API server's default).
std::string_view protocol_of(const Value& port);

/// The port a probe targets (httpGet/tcpSocket/grpc .port), a number or a name; null for exec.
const Value& probe_port(const Value& probe);

/// Whether an IntOrString port is a name: a string that is not a number ("http", not "8080";
/// the kubelet reads "8080" as a number once the name lookup fails). O(1).
bool is_port_name(const Value& port);

/// How a probe's port resolves against the ports its container declares. A name resolves only
/// against the same container's ports[*].name (kubelet prober.go findPortByName); a number is
/// probed whether declared or not (containerPort is informational).
enum class PortMatch {
  kNoPort,                 ///< exec probe: no port
  kDeclared,               ///< the name or number is declared
  kNamedMissing,           ///< a name no port of the container carries: the probe always errors
  kNumberUndeclared,       ///< a number that is not declared while other ports are
  kNumberNothingDeclared,  ///< a number, and the container declares no port at all
};
/// O(ports of the container).
PortMatch match_probe_port(const Value& probe, const Value& container_spec);

/// Whether the container declares `port` (a name: ports[*].name; a number: containerPort) with
/// `protocol` ("TCP" when a port entry omits it), as the endpoints controller resolves a
/// Service's targetPort (pkg/api/v1/pod FindPort). O(ports of the container).
bool declares_port(const Value& container_spec, const Value& port, std::string_view protocol);

/// "8080/TCP (http), 9090/TCP": the ports a container declares, or "(none)".
std::string declared_ports_text(const Value& container_spec);

}  // namespace ktriage
