#include "network/cidr.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

namespace ktriage::network {
namespace {

bool parse_v4(std::string_view s, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    const auto dot = s.find('.');
    const std::string_view part = i < 3 ? s.substr(0, dot) : s;
    if ((i < 3 && dot == std::string_view::npos) || part.empty() || part.size() > 3) return false;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || v > 255) return false;
    out[i] = static_cast<std::uint8_t>(v);
    if (i < 3) s.remove_prefix(dot + 1);
  }
  return true;
}

// Groups of hex digits separated by ':', at most one "::", optionally ending in dotted IPv4.
bool parse_v6(std::string_view s, std::uint8_t* out) {
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  std::uint8_t v4[4];
  bool has_v4 = false;
  if (s.starts_with("::")) {
    gap = true;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    const auto colon = s.find(':');
    const std::string_view part = s.substr(0, colon);
    auto& groups = gap ? tail : head;
    if (colon == std::string_view::npos && part.find('.') != std::string_view::npos) {
      if (!parse_v4(part, v4)) return false;
      has_v4 = true;
      s = {};
      break;
    }
    if (part.empty() || part.size() > 4) return false;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v, 16);
    if (ec != std::errc() || p != part.data() + part.size()) return false;
    groups.push_back(static_cast<std::uint16_t>(v));
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
    if (s.starts_with(":")) {
      if (gap) return false;  // a second "::"
      gap = true;
      s.remove_prefix(1);
    } else if (s.empty()) {
      return false;  // trailing single ':'
    }
  }
  const std::size_t groups = head.size() + tail.size() + (has_v4 ? 2 : 0);
  if (groups > 8 || (!gap && groups != 8) || (gap && groups == 8)) return false;
  std::size_t at = 0;
  for (std::uint16_t g : head) {
    out[at++] = static_cast<std::uint8_t>(g >> 8);
    out[at++] = static_cast<std::uint8_t>(g);
  }
  at = 16 - tail.size() * 2 - (has_v4 ? 4 : 0);
  for (std::uint16_t g : tail) {
    out[at++] = static_cast<std::uint8_t>(g >> 8);
    out[at++] = static_cast<std::uint8_t>(g);
  }
  if (has_v4) std::copy(v4, v4 + 4, out + 12);
  return true;
}

}  // namespace

bool Cidr::contains(const Cidr& inner) const {
  if (v6 != inner.v6 || inner.prefix < prefix) return false;
  const int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (bytes[i] != inner.bytes[i]) return false;
  }
  if (const int rest = prefix % 8; rest != 0) {
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    if ((bytes[full] & mask) != (inner.bytes[full] & mask)) return false;
  }
  return true;
}

std::string Cidr::to_string() const {
  std::string out;
  if (!v6) {
    out = fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
  } else {
    // RFC 5952: the longest run of two or more zero groups becomes "::".
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && bytes[2 * j] == 0 && bytes[2 * j + 1] == 0) ++j;
      if (j - i > best_len && j - i >= 2) {
        best = i;
        best_len = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        out += "::";
        i += best_len - 1;
        continue;
      }
      if (!out.empty() && out.back() != ':') out += ':';
      out += fmt::format("{:x}", (bytes[2 * i] << 8) | bytes[2 * i + 1]);
    }
  }
  if (prefix != (v6 ? 128 : 32)) out += fmt::format("/{}", prefix);
  return out;
}

Expected<Cidr> parse_cidr(std::string_view text) {
  Cidr c;
  std::string_view addr = text;
  std::optional<unsigned> prefix;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    const std::string_view p = text.substr(slash + 1);
    unsigned v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size())
      return Unexpected(fmt::format("\"{}\": the prefix length is not a number", text));
    prefix = v;
  }
  c.v6 = addr.find(':') != std::string_view::npos;
  const bool ok = c.v6 ? parse_v6(addr, c.bytes.data()) : parse_v4(addr, c.bytes.data());
  if (!ok) return Unexpected(fmt::format("\"{}\" is not an IPv4 or IPv6 address", text));
  const unsigned max = c.v6 ? 128 : 32;
  if (prefix && *prefix > max)
    return Unexpected(fmt::format("\"{}\": prefix length {} is over {}", text, *prefix, max));
  c.prefix = static_cast<std::uint8_t>(prefix.value_or(max));
  // Clear host bits so that contains() compares networks.
  for (unsigned bit = c.prefix; bit < max; ++bit)
    c.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  return c;
}

bool looks_like_ip(std::string_view text) {
  if (text.empty()) return false;
  bool digit = false;
  for (char ch : text) {
    const bool hex = (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    if (ch >= '0' && ch <= '9') {
      digit = true;
    } else if (!(ch == '.' || ch == ':' || ch == '/' || hex)) {
      return false;
    }
  }
  return digit || text.find(':') != std::string_view::npos;
}

}  // namespace ktriage::network
