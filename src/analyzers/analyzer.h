// The analyzer interface: a pure function from a Cluster to findings (STYLE.md practice 2).
// An analyzer reads only its AnalysisContext; no files, network, clock, environment or output.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage {

/// One registration record per rule (STYLE.md practice 3). `fix` is the generic fix used in
/// docs; findings carry a concrete one.
struct Rule {
  std::string_view id;       ///< kebab-case, stable: "image-pull-not-found"
  std::string_view catalog;  ///< fault-catalog id: "POD-WAITING-IMAGE-NOT-FOUND"
  Severity severity;
  std::string_view title;  ///< one line, for docs and --list-rules
  std::string_view fix;    ///< the generic fix
  std::string_view doc;    ///< a documentation URL
};

/// The rule of `rules` that implements fault-catalog entry `catalog` (the first one); nullptr
/// when none does. For analyzers that match records against catalog-keyed tables. O(rules).
const Rule* rule_for_catalog(std::span<const Rule> rules, std::string_view catalog);

/// What every analyzer may read.
struct AnalysisContext {
  const Cluster& cluster;
  UnixSeconds now;  ///< the snapshot's time, never the wall clock
};

/// Collects findings; gives each a stable id from rule, object and an optional discriminator
/// (container name), and drops exact repeats.
class FindingSink {
 public:
  explicit FindingSink(std::vector<Finding>& out) : out_(out) {}
  /// Starts a finding for `rule` about `object`; fill evidence and fix on the returned reference
  /// (valid until the next add). `part` tells apart several findings of one rule on one object.
  Finding& add(const Rule& rule, const ObjectRef& object, std::string summary,
               std::string_view part = {});
  Finding& add(const Rule& rule, const Object& object, std::string summary,
               std::string_view part = {}) {
    return add(rule, object.ref(), std::move(summary), part);
  }

 private:
  std::vector<Finding>& out_;
  std::unordered_set<std::string> ids_;
  Finding scratch_;
};

/// One analyzer: a named area with its rules. `run` sees the cluster; `run_after`, when set,
/// runs once all `run`s are done and also sees their findings (the events analyzer reports
/// only what no other finding explains).
struct AnalyzerDef {
  std::string_view name;
  std::span<const Rule> rules;
  void (*run)(const AnalysisContext&, FindingSink&) = nullptr;
  void (*run_after)(const AnalysisContext&, std::span<const Finding>, FindingSink&) = nullptr;
};

}  // namespace ktriage
