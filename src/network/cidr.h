// IPv4 and IPv6 addresses and CIDR blocks, as NetworkPolicy ipBlock (cidr, except) and netcheck's
// FROM/TO arguments write them. Pure value code: never looks at a Cluster.
// Source: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
// (ipBlock.cidr "192.168.1.0/24" or "2001:db8::/64"; except entries inside cidr).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace ktriage::network {

/// An address with a prefix length: a host is a block of /32 (IPv4) or /128 (IPv6). IPv4 is kept
/// in the first 4 bytes of `bytes`; an IPv4 block never contains an IPv6 address or the reverse
/// (Kubernetes compares them as separate families).
struct Cidr {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t prefix = 0;  ///< 0..32 (IPv4) or 0..128 (IPv6)
  bool v6 = false;

  /// Whether every address of `inner` lies in this block (same family only). O(1).
  bool contains(const Cidr& inner) const;
  /// "10.0.0.0/24", "2001:db8::/64"; a host prints without "/32" or "/128".
  std::string to_string() const;
  friend bool operator==(const Cidr&, const Cidr&) = default;
};

/// Parses "10.0.0.5", "10.0.0.0/24", "2001:db8::1", "2001:db8::/64", "::ffff:1.2.3.4".
/// Host bits set under the prefix are cleared ("10.0.0.5/24" reads as 10.0.0.0/24, as the
/// API server's validation of ipBlock.cidr accepts it). Errors: the text and what is wrong
/// ("not an IP address", "prefix length 33 is over 32"). O(length).
Expected<Cidr> parse_cidr(std::string_view text);

/// Whether `text` looks like an address or block at all (digits, dots, colons, one slash):
/// lets the CLI tell "10.0.0.5" from a DNS name before parsing. O(length).
bool looks_like_ip(std::string_view text);

}  // namespace ktriage::network
