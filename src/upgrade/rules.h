// The rule records of `ktriage upgrade-check`'s own checks (versions, nodes, budgets, add-ons,
// Helm releases), for `ktriage rules` and docs/rules.md. The API checks it shares with lint are
// lint's records (src/lint/apis.cpp).
#pragma once

#include <span>
#include <string_view>

#include "core/finding.h"

namespace ktriage::upgrade {

/// One rule of upgrade-check: what `ktriage rules` lists. A finding's severity is the rule's.
struct UpgradeRule {
  std::string_view id;       ///< kebab-case, stable: "upgrade-skips-minor"
  std::string_view catalog;  ///< fault-catalog id
  Severity severity;         ///< critical = blocker (NO-GO), warning = fix soon
  std::string_view title;    ///< one line
  std::string_view fix;      ///< the generic fix
};

/// Every rule check() reports besides upgrade-removed-api and upgrade-deprecated-api.
std::span<const UpgradeRule> upgrade_rules();

/// The record of rule `id`; the program is wrong when there is none (checked by a test).
const UpgradeRule& upgrade_rule(std::string_view id);

}  // namespace ktriage::upgrade
