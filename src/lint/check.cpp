#include "lint/check.h"

#include <fmt/format.h>

namespace ktriage::lint {

Finding& add_finding(std::vector<Finding>& out, const LintRule& rule, const Object& object,
                     std::string summary, std::string_view part) {
  Finding& f = out.emplace_back();
  f.rule = std::string(rule.id);
  f.catalog = std::string(rule.catalog);
  f.severity = rule.severity;
  f.object = object.ref();
  f.id = part.empty() ? fmt::format("{}:{}", rule.id, f.object.key())
                      : fmt::format("{}:{}#{}", rule.id, f.object.key(), part);
  f.summary = std::move(summary);
  if (!rule.doc.empty()) f.links.emplace_back(rule.doc);
  return f;
}

}  // namespace ktriage::lint
