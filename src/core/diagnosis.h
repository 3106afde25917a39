// The result of a run as the report layer sees it: findings (already correlated) and what was
// read. Holds no model types, so report/ depends on core/ only (STYLE.md practice 1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/source_location.h"
#include "core/time.h"

namespace ktriage {

/// What the input was: for the report's header and its "skipped" list.
struct InputSummary {
  std::optional<UnixSeconds> snapshot_time;  ///< the snapshot's "now"; nullopt when unknown
  bool time_from_flag = false;               ///< --now was given
  std::string server_version;                ///< "v1.30.4" or ""
  std::size_t files_read = 0;
  std::size_t objects = 0;
  std::size_t bytes = 0;
  std::vector<InputIssue> issues;  ///< errors and skipped files
  std::vector<std::string> notes;  ///< what the run did not check, and how to make it ("schema
                                   ///< validation skipped: ...")
  std::size_t suppressed = 0;      ///< findings left out by ignore annotations or config (lint)
  std::string scope;               ///< "namespace shop", "all namespaces", "pod/web in shop"
  /// `why`: the object asked about. The text report shows its own findings in full, with the
  /// chain of causes to their root, rather than as one line under that root. Not in JSON.
  std::optional<ObjectRef> subject;
};

/// Findings in report order: roots first (worst of each and what it explains, then most symptoms
/// explained), each symptom after all of its causes.
struct Diagnosis {
  InputSummary input;
  std::vector<Finding> findings;
};

/// Ids of the findings that `id` explains directly (those listing it in caused_by).
std::vector<const Finding*> symptoms_of(const Diagnosis& d, const std::string& id);
/// All findings explained by `id`, transitively, each once, in report order.
std::vector<const Finding*> all_symptoms_of(const Diagnosis& d, const std::string& id);
/// What explains `f`, nearest first, up to a root: each step follows the first of caused_by that
/// is in `d`. Stops at a cycle. Empty for a root. O(chain x findings).
std::vector<const Finding*> cause_chain(const Diagnosis& d, const Finding& f);

}  // namespace ktriage
