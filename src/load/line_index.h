// Byte offset -> line and column, for messages. Moves forward incrementally, so positions of
// increasing offsets (List items) cost one pass over the text in total.
#pragma once

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/source_location.h"

namespace ktriage {

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
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      ++line_;
      line_start_ = static_cast<std::size_t>(p - base);
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
