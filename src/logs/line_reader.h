// Reads a log file, a .gz file or standard input as lines, streaming through a fixed buffer so a
// multi-GB log is never held at once. Owns the file handle and the buffer; never interprets a
// line. Lines longer than kMaxLineBytes are cut there and the rest of the line is skipped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace ktriage::logs {

/// The longest line kept; longer lines are truncated to this many bytes.
inline constexpr std::size_t kMaxLineBytes = 1u << 20;

class LineReader {
 public:
  /// Opens `path` ("-" is standard input). gzip data (by its magic bytes, any name) is
  /// decompressed as it is read; other data passes through. Error: "cannot open PATH: why".
  static Expected<LineReader> open(const std::string& path);

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  ~LineReader();

  /// The next line without its "\n" (and without a "\r" before it). `line` is valid until the
  /// next call. `truncated` is set when the line was longer than kMaxLineBytes. Returns false
  /// at the end of the data or after a read error (see error()).
  bool next(std::string_view& line, bool& truncated);

  /// Follow mode (-f): at the end of the data a last line without "\n" is held back (it may
  /// still be growing) instead of being returned.
  void set_follow(bool follow) noexcept { follow_ = follow; }
  /// After next() returned false at the end of the data: look again for data appended since.
  /// In follow mode a rotated file is followed like `tail -F`: when the path names a new file
  /// (rename and create) or the file was cut shorter (copytruncate), reading goes on from the
  /// start of what the path names now, with line numbers from 1.
  void resume();

  /// 1-based number of the line last returned.
  std::uint64_t line_number() const noexcept { return line_number_; }
  /// Bytes read so far (decompressed).
  std::uint64_t bytes() const noexcept { return bytes_; }
  /// After next() returned false: why reading stopped early ("gzip data is truncated ...").
  const std::string& error() const noexcept { return error_; }

 private:
  struct Impl;
  explicit LineReader(std::unique_ptr<Impl> impl);
  bool fill();
  bool reopen_if_rotated();

  std::unique_ptr<Impl> impl_;
  std::uint64_t line_number_ = 0;
  std::uint64_t bytes_ = 0;
  std::string error_;
  bool follow_ = false;
};

}  // namespace ktriage::logs
