// Plain C++ rather than OpenSSL's EVP codec, so the loader (Helm release Secrets) can decode
// without linking a crypto library into core.
#include "core/base64.h"

#include <array>
#include <cstdint>

namespace ktriage {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0-63 for the alphabet, 64 for '=', 0xFF for anything else.
constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  t['='] = 64;
  return t;
}
constexpr auto kTable = make_table();

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve(4 * ((data.size() + 2) / 3));
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t n = static_cast<unsigned char>(data[i]) << 16 |
                            static_cast<unsigned char>(data[i + 1]) << 8 |
                            static_cast<unsigned char>(data[i + 2]);
    out.push_back(kAlphabet[n >> 18 & 63]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(kAlphabet[n >> 6 & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    std::uint32_t n = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out.push_back(kAlphabet[n >> 18 & 63]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(rest == 2 ? kAlphabet[n >> 6 & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  std::size_t quad = 0;  // characters in the current group of four
  std::size_t pad = 0;   // '=' seen; only at the very end
  for (char c : text) {
    if (c == '\n' || c == '\r') continue;
    const std::uint8_t v = kTable[static_cast<unsigned char>(c)];
    if (v == 0xFF) return std::nullopt;
    if (v == 64) {
      if (quad < 2) return std::nullopt;  // "=" cannot start a group or be its second character
      ++pad;
      if (pad > 2) return std::nullopt;
    } else if (pad > 0) {
      return std::nullopt;  // data after padding
    }
    acc = acc << 6 | (v == 64 ? 0 : v);
    if (++quad == 4) {
      out.push_back(static_cast<char>(acc >> 16 & 0xFF));
      if (pad < 2) out.push_back(static_cast<char>(acc >> 8 & 0xFF));
      if (pad < 1) out.push_back(static_cast<char>(acc & 0xFF));
      acc = 0;
      quad = 0;
      if (pad > 0) pad = 3;  // the group with padding is the last one
    }
  }
  if (quad != 0) return std::nullopt;
  return out;
}

}  // namespace ktriage
