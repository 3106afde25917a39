#include "correlate/access_links.h"

#include <string>
#include <unordered_map>

namespace ktriage {

namespace {

// The forbidden message as the API server words it (every version), plain or JSON-escaped.
bool quotes_refusal(const Finding& f) {
  for (const Evidence& e : f.evidence) {
    if (e.kind != Evidence::Kind::kLog && e.kind != Evidence::Kind::kEvent) continue;
    if (e.value.find("forbidden: User \"") != std::string::npos ||
        e.value.find("forbidden: User \\\"") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

void link_refusals(std::vector<Finding>& findings) {
  std::unordered_map<std::string, std::vector<std::string>> refusals;  // object key -> ids
  for (const Finding& f : findings) {
    if (f.rule != "rbac-forbidden" && f.rule != "rbac-legacy-cs-admin-no-crd") continue;
    refusals[f.object.key()].push_back(f.id);
    for (const ObjectRef& o : f.also_affects) refusals[o.key()].push_back(f.id);
  }
  if (refusals.empty()) return;
  for (Finding& f : findings) {
    if (f.rule.starts_with("rbac-") || !quotes_refusal(f)) continue;
    auto link = [&](const ObjectRef& o) {
      if (auto it = refusals.find(o.key()); it != refusals.end()) {
        for (const std::string& id : it->second) f.add_cause(id);
      }
    };
    link(f.object);
    for (const ObjectRef& o : f.also_affects) link(o);
  }
}

}  // namespace ktriage
