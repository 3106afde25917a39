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
  f.origin_file = object.file;
  f.origin = object.pos;
  if (!rule.doc.empty()) f.links.emplace_back(rule.doc);
  return f;
}

const Object* finding_object(const Cluster& cluster, const Finding& f) {
  const Object* o = cluster.find(f.object.kind, f.object.ns, f.object.name);
  if (f.origin.line == 0 || o == nullptr) return o;
  auto at_origin = [&](const Object* c) {
    return c->file == f.origin_file && c->pos.line == f.origin.line &&
           c->pos.column == f.origin.column;
  };
  if (at_origin(o)) return o;
  for (const Object* c : cluster.of_kind(f.object.kind)) {
    if (at_origin(c)) return c;
  }
  return o;
}

}  // namespace ktriage::lint
