// IPv4 addresses and CIDR blocks as security-group rules and vSwitches write them. Pure values;
// IPv6 is not read (rules with Ipv6SourceCidrIp only never match an IPv4 flow).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ktriage::cloud {

/// An IPv4 block: `base` with the host bits cleared, `bits` 0..32.
struct Cidr {
  std::uint32_t base = 0;
  int bits = 0;
  /// Whether `other` lies wholly inside this block. O(1).
  bool contains(const Cidr& other) const;
  /// Whether the two blocks share an address. O(1).
  bool overlaps(const Cidr& other) const;
  /// Number of addresses (2^(32-bits)). O(1).
  std::uint64_t size() const { return std::uint64_t{1} << (32 - bits); }
  std::string text() const;  ///< "10.0.0.0/8"
};

/// Parses "10.0.0.0/8", or a bare address "10.0.1.5" as a /32; nullopt for anything else
/// (IPv6, junk, a prefix over 32). O(text).
std::optional<Cidr> parse_cidr(std::string_view text);

}  // namespace ktriage::cloud
