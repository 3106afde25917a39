#include "analyzers/analyzer.h"

namespace ktriage {

Finding& FindingSink::add(const Rule& rule, const ObjectRef& object, std::string summary,
                          std::string_view part) {
  std::string id = std::string(rule.id) + ":" + object.key();
  if (!part.empty()) id += "#" + std::string(part);
  if (!ids_.insert(id).second) {
    scratch_ = Finding{};  // a repeat: filled and thrown away
    return scratch_;
  }
  Finding f;
  f.id = std::move(id);
  f.rule = std::string(rule.id);
  f.catalog = std::string(rule.catalog);
  f.severity = rule.severity;
  f.object = object;
  f.summary = std::move(summary);
  f.fix = std::string(rule.fix);
  if (!rule.doc.empty()) f.links.emplace_back(rule.doc);
  out_.push_back(std::move(f));
  return out_.back();
}

const Rule* rule_for_catalog(std::span<const Rule> rules, std::string_view catalog) {
  for (const Rule& r : rules) {
    if (r.catalog == catalog) return &r;
  }
  return nullptr;
}

}  // namespace ktriage
