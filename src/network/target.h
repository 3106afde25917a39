// netcheck's FROM and TO arguments: `pod/ns/name`, `svc/ns/name`, `ingress/ns/name`,
// `node/name`, an IP or CIDR, or (TO only) a DNS name such as web.shop.svc.cluster.local.
// Parsing only: never looks at a Cluster (path.h resolves targets).
#pragma once

#include <string>
#include <string_view>

#include "core/expected.h"
#include "network/cidr.h"

namespace ktriage::network {

/// One parsed end of a path.
struct Target {
  enum class Kind { kPod, kService, kIngress, kNode, kAddress, kDnsName };
  Kind kind = Kind::kPod;
  std::string ns;    ///< pod, service, ingress; for kDnsName the namespace the name names
  std::string name;  ///< object name; for kDnsName the Service name
  std::string text;  ///< as given, for messages
  Cidr address;      ///< kAddress
};

/// Parses `text`. `default_ns` (-n) fills a missing namespace: `pod/web` is `pod/NS/web`
/// (kubectl style); without it `pod/web` is an error. Kinds take kubectl's spellings (po, svc,
/// service, ing, no). A DNS name is `svc.ns.svc.<domain>`, `svc.ns.svc`, `svc.ns` or, with
/// `default_ns`, `svc`; only when `allow_dns`. Errors say what was expected. O(length).
Expected<Target> parse_target(std::string_view text, std::string_view default_ns, bool allow_dns);

/// "80/TCP", "53/udp", "8080" (TCP), "http" (a Service or container port name) -> port and
/// protocol in upper case; `name` is set for a name. A name without "/PROTOCOL" matches the port
/// of that name whatever its protocol (names are unique among a Service's ports and a pod's
/// container ports), and the path goes on with that port's protocol; `protocol_given` says the
/// user wrote one, so "dns/TCP" must match the name and the protocol. "icmp" (ping) -> protocol
/// ICMP, port 0: only security groups have ICMP rules. Errors for an all-digit port outside 1-65535
/// (never read as a name), a name that is not an IANA_SVC_NAME (a letter, at most 15 characters) or
/// an unknown protocol.
struct PortSpec {
  int port = 0;  ///< 0 with `name` set, for ICMP, or when no --port was given
  std::string name;
  std::string protocol = "TCP";
  bool protocol_given = false;  ///< "/PROTOCOL" was written (else TCP is only the default)
};
Expected<PortSpec> parse_port(std::string_view text);

}  // namespace ktriage::network
