// UTF-8 checks for log lines: whether a line is valid text, and where to cut one without
// splitting a character. Pure functions on bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ktriage::logs {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points over
/// U+10FFFF). ASCII runs are checked 8 bytes at a time. O(s).
bool valid_utf8(std::string_view s) noexcept;

/// What a log line is as bytes: text, binary (a NUL byte anywhere, which wins) or not UTF-8.
enum class TextKind { kText, kBinary, kInvalidUtf8 };

/// The NUL check and valid_utf8 in one pass over ASCII text, 32 bytes at a time (the scanner
/// runs both on every line); the bytes after the first non-ASCII one are checked as before. O(s).
TextKind classify_text(std::string_view s) noexcept;

/// The longest prefix of `s` of at most `max` bytes that does not end inside a multi-byte
/// character. O(1).
std::string_view utf8_prefix(std::string_view s, std::size_t max) noexcept;

/// The longest suffix of `s` of at most `max` bytes that does not start inside a multi-byte
/// character. O(1).
std::string_view utf8_suffix(std::string_view s, std::size_t max) noexcept;

/// `s` cut to about `max` bytes for display: its start and its end joined by " ... " (the end of a
/// long log line often holds the error or the object it names), never splitting a character.
/// O(max).
std::string utf8_shorten(std::string_view s, std::size_t max);

}  // namespace ktriage::logs
