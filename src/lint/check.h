// The lint check interface: one check per area (schema, references, practices, ...) behind one
// record, as the analyzers are (STYLE.md practice 2 and 3). A check reads the manifests as a
// Cluster and writes findings; it never prints, reads files or the clock.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage::lint {

/// One registration record per lint rule; `ktriage rules`, docs/rules.md and SARIF's rule
/// metadata come from these. `fix` is the generic fix; findings carry a concrete one.
struct LintRule {
  std::string_view id;       ///< kebab-case, stable: "lint-unknown-field"
  std::string_view catalog;  ///< fault-catalog id, or "" when the catalog has none
  Severity severity;
  std::string_view title;  ///< one line
  std::string_view fix;
  std::string_view doc;  ///< a documentation URL
};

class SchemaStore;

/// What every check may read. `target` is the Kubernetes minor release (1.`target`); `schemas`
/// the OpenAPI documents (nullptr: schema validation is skipped, schema-free checks still run);
/// `notes` collects what a check could not do, once each, for the report's header.
struct LintContext {
  const Cluster& cluster;
  int target = 0;
  SchemaStore* schemas = nullptr;
  std::vector<std::string>* notes = nullptr;
};

/// One check: a named area with its rules. Findings point at nodes with kField evidence whose
/// `path` is relative to the object (".spec.template.spec.containers[0].image"); lint() turns
/// those into file:line:col (see locate.h), so a check never computes positions itself.
struct LintCheck {
  std::string_view name;
  std::span<const LintRule> rules;
  void (*run)(const LintContext&, std::vector<Finding>&) = nullptr;
};

/// Every registered check, in report order (registry.cpp).
std::span<const LintCheck* const> lint_checks();

/// Starts a finding of `rule` about `object`, with id "<rule>:<Kind/ns/name>#<part>".
Finding& add_finding(std::vector<Finding>& out, const LintRule& rule, const Object& object,
                     std::string summary, std::string_view part = {});

/// The object a finding is about: the one at its origin when add_finding set it (objects of one
/// name in two files), else by kind, namespace and name; nullptr when neither finds it.
/// O(1) average, O(objects of the kind) when names repeat.
const Object* finding_object(const Cluster& cluster, const Finding& f);

}  // namespace ktriage::lint
