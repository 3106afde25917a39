// Known causes recognised in the text of cloud records (task errors, cluster logs, events, build
// logs): a table of rows, each a fault-catalog id with its message pattern and fix, compiled once
// per run. Owns the compiled patterns; never reads files and never sees the Cluster.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace ktriage::cloud {

/// One known cause. `pattern` is an RE2 pattern built from the catalog entry's exact strings (the
/// catalog writes them for ECMAScript; the ones used here mean the same in RE2).
struct CauseRow {
  std::string_view catalog;  ///< fault-catalog id: "ACK-CREATE-QUOTA-EXCEEDED"
  std::string_view pattern;  ///< searched anywhere in the text
  std::string_view title;    ///< what it means, one line
  std::string_view fix;      ///< the catalog's fix
  std::string_view doc;      ///< the catalog entry's source URL
};

/// A hit: the row and the matched text (the error code or phrase, for evidence).
struct CauseHit {
  const CauseRow* row = nullptr;
  std::string matched;
};

/// Compiles a table once; `match` finds the first row (in table order, so specific rows go
/// before general ones) whose pattern occurs in a text. Not copyable; thread-safe to read.
class CauseMatcher {
 public:
  /// A row whose pattern does not compile is a programming error: the constructor keeps it out
  /// and lists it in bad_rows() (the table tests assert that list is empty).
  explicit CauseMatcher(std::span<const CauseRow> rows);
  ~CauseMatcher();
  CauseMatcher(const CauseMatcher&) = delete;
  CauseMatcher& operator=(const CauseMatcher&) = delete;

  /// The first row matching anywhere in `text`; nullopt when none. O(rows * |text|).
  std::optional<CauseHit> match(std::string_view text) const;
  /// Catalog ids of rows whose pattern RE2 rejected.
  const std::vector<std::string>& bad_rows() const { return bad_; }

 private:
  std::span<const CauseRow> rows_;
  std::vector<std::unique_ptr<re2::RE2>> compiled_;  ///< null for a rejected row
  std::vector<std::string> bad_;
};

}  // namespace ktriage::cloud
