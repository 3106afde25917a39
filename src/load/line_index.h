// Byte offset -> line and column, for messages. Moves forward incrementally, so positions of
// increasing offsets (List items) cost one pass over the text in total.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/source_location.h"

namespace ktriage {

/// Number of '\n' bytes in [p, end), eight bytes at a time. Calling memchr once per line cost
/// 17% of a 150,000-pod load: lines are ~30 bytes, so the call overhead dominated.
inline std::size_t count_newlines(const char* p, const char* end) {
  std::size_t n = 0;
  constexpr std::uint64_t kNewlines = 0x0A0A0A0A0A0A0A0AULL;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    x ^= kNewlines;  // newline bytes become zero
    // Exact per-byte zero test (no borrow between bytes): high bit set where the byte was zero.
    const std::uint64_t t = ~(((x & kLow7) + kLow7) | x | kLow7);
    n += static_cast<std::size_t>(__builtin_popcountll(t));
    p += 8;
  }
  for (; p < end; ++p) n += *p == '\n' ? 1 : 0;
  return n;
}

class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}

  /// 1-based line and column (in bytes) of `offset`; offsets past the end clamp to the end.
  SourcePos position(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < cursor_) {
      cursor_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    const char* base = text_.data();
    const char* p = base + cursor_;
    const char* end = base + offset;
    const std::size_t lines = count_newlines(p, end);
    if (lines > 0) {
      line_ += lines;
      const void* last = ::memrchr(p, '\n', static_cast<std::size_t>(end - p));
      line_start_ = static_cast<std::size_t>(static_cast<const char*>(last) - base) + 1;
    }
    cursor_ = offset;
    return SourcePos{static_cast<std::uint32_t>(line_),
                     static_cast<std::uint32_t>(offset - line_start_ + 1)};
  }

 private:
  std::string_view text_;
  std::size_t cursor_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace ktriage
