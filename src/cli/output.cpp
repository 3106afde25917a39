#include "cli/output.h"

#include <array>

#include "analyzers/registry.h"
#include "correlate/correlate.h"
#include "lint/check.h"
#include "report/junit.h"
#include "report/report.h"
#include "report/yaml.h"
#include "upgrade/rules.h"

namespace ktriage {
namespace {

constexpr std::array<std::string_view, 5> kFormats = {"text", "json", "yaml", "sarif", "junit"};
constexpr std::string_view kHomepage = "https://github.com/ktriage/ktriage";

}  // namespace

std::span<const std::string_view> output_formats() { return kFormats; }

std::vector<RuleMeta> rule_metadata(RuleSet set) {
  std::vector<RuleMeta> out;
  auto add = [&](std::string_view id, std::string_view title, std::string_view fix,
                 std::string_view doc, std::string_view catalog, Severity severity) {
    out.push_back(RuleMeta{std::string(id), std::string(title), std::string(fix), std::string(doc),
                           std::string(catalog), severity});
  };
  if (set == RuleSet::kLint) {
    for (const lint::LintCheck* check : lint::lint_checks()) {
      for (const lint::LintRule& r : check->rules)
        add(r.id, r.title, r.fix, r.doc, r.catalog, r.severity);
    }
    // upgrade-check's own checks (skew, nodes, budgets, add-ons, Helm releases).
    for (const upgrade::UpgradeRule& r : upgrade::upgrade_rules())
      add(r.id, r.title, r.fix, "", r.catalog, r.severity);
    return out;
  }
  for (const RuleEntry& e : all_rules()) {
    const Rule& r = *e.rule;
    add(r.id, r.title, r.fix, r.doc, r.catalog, r.severity);
  }
  // Correlation findings take the severity of what they group; warning is their default.
  for (const CorrelationRule& c : correlation_rules())
    add(c.id, c.title, "", "", c.catalog, Severity::kWarning);
  return out;
}

std::string render_report(const Diagnosis& d, std::string_view format, bool color, RuleSet set) {
  if (format == "json") return render_json(d);
  if (format == "yaml") return render_yaml(d);
  if (format == "sarif") {
    const std::vector<RuleMeta> rules = rule_metadata(set);
    return render_sarif(d, rules, SarifTool{"ktriage", KTRIAGE_VERSION, std::string(kHomepage)});
  }
  if (format == "junit") return render_junit(d);
  return render_text(d, TextOptions{color, true, set == RuleSet::kLint});
}

}  // namespace ktriage
