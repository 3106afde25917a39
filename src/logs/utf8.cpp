#include "logs/utf8.h"

#include <cstdint>
#include <cstring>

namespace ktriage::logs {

bool valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, 32 bytes at a time: log text is nearly all ASCII.
    while (i + 32 <= n) {
      std::uint64_t w[4];
      std::memcpy(w, p + i, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull) != 0) break;
      i += 32;
    }
    if (i == n) break;  // the 32-byte steps ended exactly at the end: no byte left to read
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;

// Whether the 8 bytes of `w` are ASCII and not NUL. A byte is zero when it borrows in w - kOnes
// and its own high bit is clear (exact as a test for "some byte is zero").
constexpr std::uint64_t unclean(std::uint64_t w) { return (w | ((w - kOnes) & ~w)) & kHigh; }

bool clean32(const unsigned char* p) {
  std::uint64_t w[4];
  std::memcpy(w, p, 32);
  return (unclean(w[0]) | unclean(w[1]) | unclean(w[2]) | unclean(w[3])) == 0;
}

bool clean8(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return unclean(w) == 0;
}

}  // namespace

TextKind classify_text(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;  // bytes before i are ASCII without NUL (so end on a character boundary)
  bool clean = true;
  // Whole steps, then one more step ending at the line's end (overlapping the last whole one):
  // no byte-by-byte tail for lines of 8 bytes or more.
  if (n >= 32) {
    for (; i + 32 <= n && (clean = clean32(p + i)); i += 32) {
    }
    if (clean && i < n) clean = clean32(p + n - 32);
  } else if (n >= 8) {
    for (; i + 8 <= n && (clean = clean8(p + i)); i += 8) {
    }
    if (clean && i < n) clean = clean8(p + n - 8);
  } else {
    for (std::size_t k = 0; k < n && clean; ++k) clean = p[k] != 0 && p[k] < 0x80;
  }
  if (clean) return TextKind::kText;
  std::string_view rest = s.substr(i);
  if (std::memchr(rest.data(), 0, rest.size()) != nullptr) return TextKind::kBinary;
  return valid_utf8(rest) ? TextKind::kText : TextKind::kInvalidUtf8;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max) noexcept {
  if (s.size() <= max) return s;
  std::size_t end = max;
  // Back off continuation bytes (at most 3), then drop the lead byte they belong to.
  std::size_t back = 0;
  while (end > 0 && back < 4 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  return s.substr(0, end);
}

std::string_view utf8_suffix(std::string_view s, std::size_t max) noexcept {
  if (s.size() <= max) return s;
  std::size_t from = s.size() - max;
  // Continuation bytes are 10xxxxxx: start at the next character's first byte.
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
  return s.substr(from);
}

std::string utf8_shorten(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  constexpr std::string_view kJoin = " ... ";
  const std::size_t tail = max * 2 / 5;
  const std::size_t head = max > tail + kJoin.size() ? max - tail - kJoin.size() : 0;
  std::string out(utf8_prefix(s, head));
  out += kJoin;
  out += utf8_suffix(s, tail);
  return out;
}

}  // namespace ktriage::logs
