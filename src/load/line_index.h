// Byte offset -> line and column, for messages. Moves forward incrementally, so positions of
// increasing offsets (List items) cost one pass over the text in total.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/source_location.h"

namespace ktriage {

/// Number of '\n' bytes in [p, end), 16 bytes at a time with SSE2 (part of x86-64, so no
/// runtime dispatch), else eight at a time in a register. Calling memchr once per line cost 17%
/// of a 150,000-pod load: lines are ~30 bytes, so the call overhead dominated.
inline std::size_t count_newlines(const char* p, const char* end) {
  std::size_t n = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    // Up to 255 rounds of 16 bytes add into per-byte counters, then one SAD folds them.
    const std::size_t rounds = std::min<std::size_t>(static_cast<std::size_t>(end - p) / 16, 255);
    __m128i counts = _mm_setzero_si128();
    for (std::size_t r = 0; r < rounds; ++r, p += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(bytes, newline));  // a match is -1
    }
    const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    n += static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#else
  constexpr std::uint64_t kNewlines = 0x0A0A0A0A0A0A0A0AULL;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    x ^= kNewlines;  // newline bytes become zero
    // Exact per-byte zero test (no borrow between bytes): high bit set where the byte was zero.
    const std::uint64_t t = ~(((x & kLow7) + kLow7) | x | kLow7);
    // Sum of the per-byte flags by one multiply (__builtin_popcountll is a libgcc call).
    n += static_cast<std::size_t>(((t >> 7) * 0x0101010101010101ULL) >> 56);
    p += 8;
  }
#endif
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
