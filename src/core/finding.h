// Findings: what an analyzer concluded, with typed evidence and a fix. No prose about objects is
// stored here beyond the summary; reports render the rest (STYLE.md practice 7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object_ref.h"
#include "core/source_location.h"
#include "core/time.h"

namespace ktriage {

/// Ordered: a higher value is worse. `--fail-on` compares with >=.
enum class Severity : std::uint8_t { kInfo = 0, kWarning = 1, kCritical = 2 };

std::string_view to_string(Severity s) noexcept;
/// Parses "info", "warning", "critical" (case-sensitive, as the flag documents).
std::optional<Severity> parse_severity(std::string_view s) noexcept;

/// One observed fact backing a finding.
struct Evidence {
  enum class Kind : std::uint8_t {
    kField,  ///< `path` = JSON path in `object`, `value` = its value
    kEvent,  ///< `reason`, `message` (in `value`), `count`, `last_seen`, `source`
    kLog,    ///< `file`, `line`, the log line in `value`
    kNote,   ///< a derived fact in `value` ("node n1 allocatable cpu 2, requested 1900m")
  };
  Kind kind = Kind::kNote;
  std::string object;  ///< "pod/web-1" when the fact is about another object than the finding's
  std::string path;    ///< kField: ".status.containerStatuses[0].state.waiting.reason"
  std::string value;
  std::string reason;      ///< kEvent
  std::string source;      ///< kEvent: reporting component ("kubelet", "default-scheduler")
  std::int64_t count = 0;  ///< kEvent: aggregated count
  std::optional<UnixSeconds> last_seen;  ///< kEvent
  std::string file;                      ///< kLog (and kField when known): input file
  std::uint32_t line = 0;                ///< kLog: 1-based line in `file`
  std::uint32_t column = 0;              ///< 1-based column in `file` when known (lint), else 0
  bool at_key = false;  ///< kField: the fault is the key itself (an unknown field), not its value

  static Evidence field(std::string object, std::string path, std::string value);
  static Evidence note(std::string text);
};

/// One conclusion about one object. `id` is unique within a report; `rule` is the stable rule id
/// (kebab-case); `catalog` the fault-catalog id it implements.
struct Finding {
  std::string id;
  std::string rule;
  std::string catalog;
  Severity severity = Severity::kWarning;
  ObjectRef object;
  std::string summary;
  std::vector<Evidence> evidence;
  std::string fix;
  std::vector<std::string> links;
  std::vector<std::string> caused_by;   ///< ids of findings that explain this one; empty = root
  std::vector<ObjectRef> also_affects;  ///< same fault on sibling objects (pods of one owner)
  /// lint: where `object` starts (index into the Cluster's files, and position), so two objects
  /// with one kind, namespace and name in different files (overlays) stay apart. line 0: unset.
  std::uint32_t origin_file = 0;
  SourcePos origin;

  /// Adds `id` to caused_by unless it is there already. O(causes).
  void add_cause(const std::string& id) {
    for (const std::string& c : caused_by) {
      if (c == id) return;
    }
    caused_by.push_back(id);
  }
};

}  // namespace ktriage
