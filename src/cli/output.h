// The one table of report formats (`-o`): name -> writer in src/report/. Adding a format touches
// report/, this table and a test (STYLE.md practice 8). Never prints.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnosis.h"
#include "report/sarif.h"

namespace ktriage {

/// Which rule records describe a command's findings (SARIF's tool.driver.rules).
enum class RuleSet : std::uint8_t {
  kAnalyzers,  ///< diagnose, why: the analyzers' and the correlation rules
  kLint,       ///< lint, upgrade-check: the lint checks' and upgrade-check's rules
};

/// The names `-o` accepts, in help order: text, json, yaml, sarif, junit.
std::span<const std::string_view> output_formats();

/// The rule records of `set` as SARIF metadata, in registry order. O(rules).
std::vector<RuleMeta> rule_metadata(RuleSet set);

/// `d` rendered in `format` (one of output_formats(); anything else renders text). `color`
/// applies to text only.
std::string render_report(const Diagnosis& d, std::string_view format, bool color, RuleSet set);

}  // namespace ktriage
