// Scans log files, folders (recursively), .gz files and standard input line by line: detects each
// file's format, splits lines, matches them against the signatures and adds up the hits. Streams
// every file (never holds one whole); never prints (a callback sees each match as it comes).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "logs/matcher.h"
#include "logs/scan.h"
#include "logs/signature.h"

namespace ktriage::logs {

/// How to scan.
struct ScanOptions {
  std::string component;  ///< --component: what every file is; "" = guess per file
  std::optional<UnixSeconds> since, until;  ///< lines outside are not matched (untimed lines are)
  int year = 1970;  ///< year of year-less timestamps (klog, journal short) read from stdin;
                    ///< files use the year of their modification time
  /// Called for every matching line, in input order (for -f and progress); may be empty.
  std::function<void(const Signature&, const Sample&)> on_match;
};

/// The files `paths` name: files as given, folders walked recursively (sorted, regular files
/// only, without .yaml, .yml and .json files: those are objects of a snapshot), "-" as is.
/// A path that does not exist gets a FileStats with its error. O(entries).
std::vector<std::string> expand_paths(std::span<const std::string> paths,
                                      std::vector<FileStats>& missing);

/// Scans one file (or "-") into `scan`: appends its FileStats and adds its hits. Never throws
/// for bad input: an unreadable file or truncated gzip sets FileStats::error, binary and
/// non-UTF-8 lines are counted and skipped. O(file) time, O(kMaxLineBytes) memory.
void scan_file(const std::string& path, std::span<const Signature> signatures, Matcher& matcher,
               const ScanOptions& options, LogScan& scan);

/// Scans in-memory text as if it were the file `name` (tests, fuzzing).
void scan_text(const std::string& name, std::string_view text,
               std::span<const Signature> signatures, Matcher& matcher, const ScanOptions& options,
               LogScan& scan);

/// Scans `path` like scan_file, then keeps reading what is appended to it (-f): each time the
/// end is reached `wait` is called (it sleeps) and reading goes on while it returns true. Matches
/// reach options.on_match as they come. A last line without "\n" waits for its end.
void follow_file(const std::string& path, std::span<const Signature> signatures, Matcher& matcher,
                 const ScanOptions& options, LogScan& scan, const std::function<bool()>& wait);

/// expand_paths then scan_file on each.
LogScan scan_paths(std::span<const std::string> paths, std::span<const Signature> signatures,
                   Matcher& matcher, const ScanOptions& options);

}  // namespace ktriage::logs
