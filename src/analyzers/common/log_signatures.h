// Known last log lines of crashing programs, as data: each row is a rule record (id, catalog,
// severity, title, generic fix, doc), an RE2 pattern whose comment names the program that prints
// it, the meaning for the summary and a fix template. LogMatcher compiles the patterns once per
// run and finds the first row, in priority order, with a line in a log tail. The crashes analyzer
// registers these rules. Pure: no I/O, no global mutable state.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"

namespace re2 {
class RE2;
}

namespace ktriage {

/// One known log line.
struct LogSignature {
  Rule rule;
  std::string_view pattern;   ///< RE2; its non-empty captures, joined with ":", are {detail}
  std::string_view fallback;  ///< {detail} when the matching line has no capture
  std::string_view meaning;   ///< summary tail, with {detail}
  std::string_view fix;       ///< concrete fix, with {detail}, {container} and {workload}
};

/// The table in priority order: a specific cause comes before a generic one that the same log
/// may also show (a refused connection before the Go panic it led to). O(1).
std::span<const LogSignature> log_signatures();
/// The rules of the table, contiguous, in table order. O(1).
std::span<const Rule> log_signature_rules();
/// The row whose rule id is `rule_id`, or nullptr. O(rows).
const LogSignature* find_log_signature(std::string_view rule_id);

/// One row's hit in a log tail.
struct LogMatch {
  const LogSignature* signature = nullptr;
  std::vector<NumberedLine> lines;  ///< matching lines, oldest first (views into the log)
  std::string detail;               ///< from the newest matching line, else the row's fallback
};

/// The table's patterns, compiled. Build one per analyzer run; const methods are thread-safe.
class LogMatcher {
 public:
  LogMatcher();
  ~LogMatcher();
  LogMatcher(const LogMatcher&) = delete;
  LogMatcher& operator=(const LogMatcher&) = delete;

  /// The first row with a line among `lines` (scanned newest first), with up to `max_lines` of
  /// its lines; nullopt when no row matches. O(rows x lines).
  std::optional<LogMatch> find(std::span<const NumberedLine> lines, std::size_t max_lines) const;

 private:
  std::vector<std::unique_ptr<re2::RE2>> compiled_;  // parallel to log_signatures()
};

/// Non-empty captures of `re` in `text` joined with ":" ("" when it has none); nullopt when `re`
/// does not match or did not compile.
std::optional<std::string> match_captures(const re2::RE2& re, std::string_view text);

/// `text` with each {key} replaced by its value; unknown keys stay as written. Never throws.
std::string fill_template(
    std::string_view text,
    std::initializer_list<std::pair<std::string_view, std::string_view>> vars);

}  // namespace ktriage
