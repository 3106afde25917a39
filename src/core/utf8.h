// UTF-8 validation for writers whose formats require valid text (JSON, YAML, XML).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ktriage {

/// Length (1-4) of the well-formed UTF-8 sequence starting at `s[i]`, or 0 when the bytes there
/// are not one (a stray continuation byte, a truncated or overlong sequence, a surrogate, past
/// U+10FFFF). `i` must be < s.size(). Writes the code point to `*code_point` when given. O(1).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t* code_point = nullptr);

/// U+FFFD REPLACEMENT CHARACTER in UTF-8: what writers put in place of ill-formed bytes.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

}  // namespace ktriage
