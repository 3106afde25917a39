// The offline pipeline shared by `diagnose` and `why`: load -> model -> analyze -> correlate.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnosis.h"
#include "model/cluster.h"
#include "model/inputs.h"

namespace ktriage {

/// What to read and how to scope the result; filled from flags.
struct RunOptions {
  std::vector<std::string> paths;
  std::string ns;        ///< "" = all namespaces
  std::string selector;  ///< -l: "app=web,tier!=db" (equality-based)
  std::string kind;      ///< --kind: only findings about this kind
  std::optional<UnixSeconds> now;
  unsigned threads = 2;       ///< analyzer threads
  unsigned load_threads = 0;  ///< threads reading files; 0 = load_sources' default
  bool progress = false;      ///< a progress line on stderr while loading
  bool timings = false;       ///< print each phase's wall time and peak memory to stderr
};

/// A finished run: the cluster (for `why`) and the correlated diagnosis.
struct RunResult {
  std::unique_ptr<Cluster> cluster;
  Diagnosis diagnosis;
  bool nothing_read = false;  ///< no object and no log could be read: exit code 2
  /// Path arguments that do not exist or cannot be looked at, as messages ("\"x\" does not
  /// exist"); a typo must not pass as "no problems": exit code 2.
  std::vector<std::string> path_errors;
};

/// For each path argument (file, folder, archive; not "-") that does not exist or cannot be
/// looked at (permission), a message naming it and why, in order.
std::vector<std::string> path_errors(const std::vector<std::string>& paths);

/// Runs the whole offline pipeline. Never throws for bad input.
RunResult run_pipeline(const RunOptions& options);

/// The same from already-loaded inputs (a live snapshot): model -> analyze -> correlate.
RunResult run_pipeline(const RunOptions& options, Inputs inputs);

/// Parses a label selector as kubectl takes it: equality ("a=b,c!=d"), existence ("e", "!f") and
/// set-based terms ("tier in (web,api)", "env notin (dev)"); nullopt with a message when malformed.
struct SelectorTerm {
  std::string key, value;
  std::vector<std::string> values;  ///< kIn / kNotIn
  enum class Op { kEq, kNotEq, kExists, kNotExists, kIn, kNotIn } op = Op::kEq;
};
std::optional<std::vector<SelectorTerm>> parse_selector(std::string_view text, std::string* error);
bool selector_matches(const std::vector<SelectorTerm>& terms, const Value& labels);

/// Keeps findings in scope (namespace, kind, selector) plus everything in their cause trees.
std::vector<Finding> scope_findings(const Cluster& cluster, std::vector<Finding> findings,
                                    const RunOptions& options);

}  // namespace ktriage
