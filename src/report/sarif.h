// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format): the report code-scanning UIs
// read to show findings inline on the offending line. One run, the rules' metadata in
// tool.driver.rules, one result per finding. Reads a Diagnosis and rule records only; never sees
// the Cluster, never reads files.
#pragma once

#include <span>
#include <string>

#include "core/diagnosis.h"

namespace ktriage {

/// A rule's metadata as SARIF's reportingDescriptor carries it (the CLI copies the lint and
/// analyzer rule records into these, so report/ does not depend on them).
struct RuleMeta {
  std::string id;     ///< "lint-duplicate-key"
  std::string title;  ///< one line: shortDescription
  std::string fix;    ///< the generic fix: help
  std::string doc;    ///< helpUri; "" for none
  std::string catalog;
  Severity severity = Severity::kWarning;  ///< defaultConfiguration.level
};

/// The producing tool, for tool.driver.
struct SarifTool {
  std::string name = "ktriage";
  std::string version;
  std::string information_uri;
};

/// The SARIF 2.1.0 log for `d` as pretty-printed JSON. Secrets are scrubbed first
/// (scrub_for_output). Rules are `rules` in the given order, then, once each, the rule ids of
/// findings that `rules` lacks (with the finding's own fix as help). A result's location is the
/// first evidence with a file and a line: a relative path stays relative (uriBaseId %SRCROOT%),
/// an absolute one becomes a file:// URI; evidence in other places becomes relatedLocations.
/// Input problems become toolExecutionNotifications. Deterministic: same input, same bytes.
/// O(findings + rules).
std::string render_sarif(const Diagnosis& d, std::span<const RuleMeta> rules,
                         const SarifTool& tool);

/// `path` as a SARIF artifactLocation.uri: '\' becomes '/', bytes outside RFC 3986's unreserved
/// and sub-delim sets are percent-encoded, an absolute path gets "file://". O(path).
std::string path_to_uri(std::string_view path);

}  // namespace ktriage
