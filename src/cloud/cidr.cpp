#include "cloud/cidr.h"

#include <fmt/format.h>

#include <charconv>

namespace ktriage::cloud {
namespace {

std::uint32_t mask(int bits) { return bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits); }

std::optional<std::uint32_t> parse_ip(std::string_view s) {
  std::uint32_t out = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), octet);
    if (ec != std::errc() || p == s.data() || octet > 255) return std::nullopt;
    out = (out << 8) | octet;
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
    if (i < 3) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

}  // namespace

bool Cidr::contains(const Cidr& other) const {
  return other.bits >= bits && (other.base & mask(bits)) == base;
}

bool Cidr::overlaps(const Cidr& other) const { return contains(other) || other.contains(*this); }

std::string Cidr::text() const {
  return fmt::format("{}.{}.{}.{}/{}", base >> 24, (base >> 16) & 255, (base >> 8) & 255,
                     base & 255, bits);
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  int bits = 32;
  if (slash != std::string_view::npos) {
    std::string_view b = text.substr(slash + 1);
    auto [p, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (ec != std::errc() || p != b.data() + b.size() || bits < 0 || bits > 32) {
      return std::nullopt;
    }
  }
  return Cidr{*ip & mask(bits), bits};
}

}  // namespace ktriage::cloud
