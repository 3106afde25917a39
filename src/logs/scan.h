// What a scan of log files found: per signature and file, the count, first and last time and the
// first sample lines; per file, what was read and what was skipped. Plain data, filled by
// scanner.h and read by the report functions (findings.h, text.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "logs/line_format.h"

namespace ktriage::logs {

/// Sample lines kept per signature and file.
inline constexpr std::size_t kSamplesKept = 3;
/// Characters of a sample line kept (the rest is cut with "...").
inline constexpr std::size_t kSampleChars = 400;

/// One matching line.
struct Sample {
  std::string file;
  std::uint64_t line = 0;  ///< 1-based line in `file` (the first line of a joined partial line)
  std::optional<UnixSeconds> time;
  std::string text;  ///< the message as matched; longer than kSampleChars: start ... end
};

/// One signature's matches in one file.
struct Hit {
  std::uint32_t signature = 0;  ///< index into the scan's signatures
  std::uint32_t file = 0;       ///< index into LogScan::files
  std::uint64_t count = 0;
  std::optional<UnixSeconds> first, last;
  std::vector<Sample> samples;  ///< the first kSamplesKept matches
};

/// One input file and what reading it gave.
struct FileStats {
  std::string path;  ///< as given or found in a folder; "-" for standard input
  LineFormat format = LineFormat::kPlain;
  std::string component;           ///< "" when unknown
  std::uint64_t lines = 0;         ///< lines read
  std::uint64_t bytes = 0;         ///< bytes read (decompressed)
  std::uint64_t binary_lines = 0;  ///< lines with NUL bytes: skipped
  std::uint64_t invalid_utf8 = 0;  ///< lines that are not UTF-8: skipped
  std::uint64_t truncated = 0;     ///< lines cut at kMaxLineBytes
  std::uint64_t untimed = 0;       ///< lines not in the file's format (no own timestamp)
  std::uint64_t outside_time = 0;  ///< lines before --since or after --until: not matched
  std::string error;               ///< why reading stopped early or failed ("" = read to the end)
};

/// The whole result. Hits are keyed by (signature, file), so iteration order is stable.
struct LogScan {
  std::vector<FileStats> files;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Hit> hits;
};

}  // namespace ktriage::logs
