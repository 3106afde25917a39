// Suppression: findings a team chose not to see, by the `ktriage.io/ignore` annotation on the
// object or by the ignore list of a config file (.ktriage.yaml). Owns the parsed config; never
// reads files (the CLI passes the text) and never prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage::lint {

/// The annotation that drops findings about its object: "rule-a,rule-b", or "*" / "all".
inline constexpr std::string_view kIgnoreAnnotation = "ktriage.io/ignore";

/// One entry of the config's `ignore:` list: `rule` ("" or "*" = every rule) in the files that
/// match one of `paths` (empty = every file).
struct IgnoreEntry {
  std::string rule;
  std::vector<std::string> paths;
};

/// A parsed .ktriage.yaml (docs in the README's lint section).
struct SuppressConfig {
  std::vector<IgnoreEntry> ignore;
};

/// Parses a config file's text. `name` is used in errors, which read "NAME:LINE:COL: what" and
/// cover: YAML syntax, a top-level key other than `ignore`, an entry that is not a mapping, an
/// unknown key in an entry, `rule` not a string or not a lint rule id (lint_checks()), `paths`
/// not a list of strings, an entry with neither rule nor paths. O(text).
Expected<SuppressConfig> parse_suppress_config(std::string_view name, std::string_view text);

/// True when `path` matches `glob`: `*` and `?` within one path segment, `**` across any number
/// of segments; a glob that does not start with '/' also matches any tail of `path` that starts
/// after a '/' (`legacy/**` matches `k8s/legacy/a.yaml`). A leading "./" of either is ignored.
/// O(|glob| * |path|).
bool path_matches(std::string_view glob, std::string_view path);

/// Removes from `findings` those suppressed by their object's kIgnoreAnnotation or by `config`
/// (matched on the object's file, or the first evidence's file when the object is not in
/// `cluster`); returns how many it removed. Keeps the others' order.
/// O(findings * (ignore entries + annotation length)).
std::size_t suppress(const Cluster& cluster, const SuppressConfig& config,
                     std::vector<Finding>& findings);

}  // namespace ktriage::lint
