#include "rbac/rule_match.h"

#include <fmt/format.h>

namespace ktriage::rbac {

namespace {

bool contains_or_all(const Value& list, std::string_view want) {
  for (const Value& v : list.items()) {
    if (v.str() == "*" || v.str() == want) return true;
  }
  return false;
}

std::string joined(const Value& list) {
  std::string out;
  for (const Value& v : list.items()) {
    if (!out.empty()) out += ",";
    out += v.is_string() && v.str().empty() ? std::string("\"\"") : std::string(v.str());
  }
  return out.empty() ? std::string("(none)") : out;
}

}  // namespace

bool verb_matches(const Value& rule, std::string_view verb) {
  return contains_or_all(rule["verbs"], verb);
}

bool group_matches(const Value& rule, std::string_view group) {
  return contains_or_all(rule["apiGroups"], group);
}

bool resource_matches(const Value& rule, std::string_view resource, std::string_view subresource) {
  for (const Value& v : rule["resources"].items()) {
    const std::string_view r = v.str();
    if (r == "*") return true;
    if (subresource.empty()) {
      if (r == resource) return true;
      continue;
    }
    // "pods/log" exactly, or "*/log" (any resource's log subresource).
    if (r.size() == resource.size() + 1 + subresource.size() && r.starts_with(resource) &&
        r[resource.size()] == '/' && r.ends_with(subresource))
      return true;
    if (r.size() == subresource.size() + 2 && r.starts_with("*/") && r.ends_with(subresource))
      return true;
  }
  return false;
}

bool resource_name_matches(const Value& rule, std::string_view name) {
  const Value& names = rule["resourceNames"];
  if (names.size() == 0) return true;
  for (const Value& v : names.items()) {
    if (v.str() == name) return true;
  }
  return false;
}

bool non_resource_matches(const Value& rule, std::string_view path) {
  for (const Value& v : rule["nonResourceURLs"].items()) {
    const std::string_view u = v.str();
    if (u == "*" || u == path) return true;
    // NonResourceURLMatches: every trailing '*' goes (strings.TrimRight), the rest is a prefix.
    if (u.ends_with('*') && path.starts_with(u.substr(0, u.find_last_not_of('*') + 1))) return true;
  }
  return false;
}

bool rule_allows(const Value& rule, const AccessRequest& request) {
  if (!verb_matches(rule, request.verb)) return false;
  if (!request.is_resource()) return non_resource_matches(rule, request.path);
  return group_matches(rule, request.group) &&
         resource_matches(rule, request.resource, request.subresource) &&
         resource_name_matches(rule, request.name);
}

std::vector<std::string> rule_misses(const Value& rule, const AccessRequest& request) {
  std::vector<std::string> out;
  if (!verb_matches(rule, request.verb))
    out.push_back(fmt::format("verb {} (the rule has {})", request.verb, joined(rule["verbs"])));
  if (!request.is_resource()) {
    if (!non_resource_matches(rule, request.path))
      out.push_back(
          fmt::format("path {} (the rule has {})", request.path, joined(rule["nonResourceURLs"])));
    return out;
  }
  if (!group_matches(rule, request.group))
    out.push_back(fmt::format("API group \"{}\" (the rule has {})", request.group,
                              joined(rule["apiGroups"])));
  if (!resource_matches(rule, request.resource, request.subresource)) {
    const std::string r = request.subresource.empty()
                              ? request.resource
                              : request.resource + "/" + request.subresource;
    out.push_back(fmt::format("resource {} (the rule has {})", r, joined(rule["resources"])));
  }
  if (!resource_name_matches(rule, request.name)) {
    const bool list = request.verb == "list" || request.verb == "watch";
    out.push_back(request.name.empty()
                      ? fmt::format("resourceNames {} limit the rule to named objects, and {} "
                                    "names none{}",
                                    joined(rule["resourceNames"]), request.verb,
                                    list ? " (a list or watch of one object, with the field "
                                           "selector metadata.name=NAME, carries its name: ask "
                                           "with NAME)"
                                         : "")
                      : fmt::format("name \"{}\" (the rule has resourceNames {})", request.name,
                                    joined(rule["resourceNames"])));
  }
  return out;
}

std::string rule_text(const Value& rule) {
  if (rule["nonResourceURLs"].size() > 0)
    return fmt::format("{} {}", joined(rule["verbs"]), joined(rule["nonResourceURLs"]));
  std::string out = fmt::format("{} {}", joined(rule["verbs"]), joined(rule["resources"]));
  const Value& groups = rule["apiGroups"];
  if (!(groups.size() == 1 && groups[std::size_t{0}].str().empty()))
    out += fmt::format(" in API groups {}", joined(groups));
  if (rule["resourceNames"].size() > 0)
    out += fmt::format(" named {}", joined(rule["resourceNames"]));
  return out;
}

}  // namespace ktriage::rbac
