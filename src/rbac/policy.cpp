#include "rbac/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/scheduling.h"
#include "rbac/rule_match.h"

namespace ktriage::rbac {

namespace {

bool same_value(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kString:
      return a.str() == b.str();
    case Value::Type::kArray: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_value(a[i], b[i])) return false;
      }
      return true;
    }
    case Value::Type::kObject: {
      if (a.size() != b.size()) return false;
      for (const Member& m : a.members()) {
        if (!same_value(m.value, b[m.key])) return false;
      }
      return true;
    }
    case Value::Type::kNull:
      return true;
    default:
      return a.as_double() == b.as_double() && a.as_bool() == b.as_bool();
  }
}

std::vector<GrantedRule> own_rules(const Object& role) {
  std::vector<GrantedRule> out;
  const Value& rules = role["rules"];
  for (std::size_t i = 0; i < rules.size(); ++i) out.push_back({&rules[i], &role, i});
  return out;
}

Binding read_binding(const Object& o) {
  const Value& ref = o["roleRef"];
  return Binding{&o, ref["kind"].str(), ref["name"].str()};
}

}  // namespace

Policy::Policy(const Cluster& cluster) {
  for (const Object* r : cluster.of_kind("Role")) {
    roles_[{r->ns, r->name}] = RoleEntry{r, own_rules(*r)};
    empty_ = false;
  }
  for (const Object* r : cluster.of_kind("ClusterRole")) {
    cluster_roles_[r->name] = RoleEntry{r, own_rules(*r)};
    empty_ = false;
  }
  for (const Object* b : cluster.of_kind("ClusterRoleBinding")) {
    cluster_bindings_.push_back(read_binding(*b));
    empty_ = false;
  }
  for (const Object* b : cluster.of_kind("RoleBinding")) {
    if (b->ns.empty()) continue;  // a RoleBinding is namespaced; one without is bad input
    role_bindings_.push_back(read_binding(*b));
    empty_ = false;
  }
  std::stable_sort(role_bindings_.begin(), role_bindings_.end(),
                   [](const Binding& a, const Binding& b) { return a.object->ns < b.object->ns; });
  for (std::size_t i = 0; i < role_bindings_.size();) {
    std::size_t j = i;
    while (j < role_bindings_.size() &&
           role_bindings_[j].object->ns == role_bindings_[i].object->ns)
      ++j;
    by_ns_[role_bindings_[i].object->ns] = {i, j};
    i = j;
  }
  aggregate(cluster);
}

// The aggregation controller's union: for each aggregating ClusterRole, the rules of every other
// ClusterRole a selector matches, in name order, each rule once; then its own rules not yet
// present (after the controller ran they are the same rules). Aggregated roles that aggregate in
// turn contribute their full union: the controller reaches that fixed point over several passes.
void Policy::aggregate(const Cluster& cluster) {
  std::map<std::string_view, std::vector<GrantedRule>> done;
  std::set<std::string_view> in_progress;
  auto compute = [&](auto&& self, const Object& role) -> std::vector<GrantedRule> {
    const Value& selectors = role["aggregationRule"]["clusterRoleSelectors"];
    if (selectors.size() == 0) return own_rules(role);
    if (auto it = done.find(role.name); it != done.end()) return it->second;
    if (!in_progress.insert(role.name).second) return own_rules(role);  // a cycle: stop here
    std::vector<GrantedRule> out;
    auto add = [&](const GrantedRule& g) {
      for (const GrantedRule& have : out) {
        if (same_value(*have.rule, *g.rule)) return;
      }
      out.push_back(g);
    };
    for (const auto& [name, entry] : cluster_roles_) {  // name order, as the controller sorts
      if (name == role.name) continue;
      bool matched = false;
      for (const Value& s : selectors.items())
        matched = matched || label_selector_matches(s, entry.object->labels());
      if (!matched) continue;
      for (const GrantedRule& g : self(self, *entry.object)) add(g);
    }
    for (const GrantedRule& g : own_rules(role)) add(g);
    in_progress.erase(role.name);
    done[role.name] = out;
    return out;
  };
  (void)cluster;
  for (auto& [name, entry] : cluster_roles_) {
    if (entry.object->root != nullptr && (*entry.object)["aggregationRule"].is_object())
      entry.rules = compute(compute, *entry.object);
  }
}

std::span<const Binding> Policy::role_bindings(std::string_view ns) const {
  auto it = by_ns_.find(ns);
  if (it == by_ns_.end()) return {};
  return std::span<const Binding>(role_bindings_)
      .subspan(it->second.first, it->second.second - it->second.first);
}

const Object* Policy::role_of(const Binding& binding) const {
  if (binding.role_kind == "ClusterRole") {
    auto it = cluster_roles_.find(binding.role_name);
    return it == cluster_roles_.end() ? nullptr : it->second.object;
  }
  if (binding.role_kind == "Role" && !binding.cluster_wide()) {
    auto it = roles_.find({binding.object->ns, binding.role_name});
    return it == roles_.end() ? nullptr : it->second.object;
  }
  return nullptr;
}

std::span<const GrantedRule> Policy::rules_of(const Binding& binding) const {
  if (binding.role_kind == "ClusterRole") return cluster_role_rules(binding.role_name);
  if (binding.role_kind == "Role" && !binding.cluster_wide()) {
    auto it = roles_.find({binding.object->ns, binding.role_name});
    if (it != roles_.end()) return it->second.rules;
  }
  return {};
}

std::span<const GrantedRule> Policy::cluster_role_rules(std::string_view name) const {
  auto it = cluster_roles_.find(name);
  if (it == cluster_roles_.end()) return {};
  return it->second.rules;
}

std::vector<const Object*> Policy::roles_allowing(std::string_view ns,
                                                  const AccessRequest& request) const {
  std::vector<const Object*> out;
  auto allows = [&](const RoleEntry& e) {
    for (const GrantedRule& g : e.rules) {
      if (rule_allows(*g.rule, request)) return true;
    }
    return false;
  };
  if (!ns.empty()) {
    for (auto it = roles_.lower_bound({ns, std::string_view()});
         it != roles_.end() && it->first.first == ns; ++it) {
      if (allows(it->second)) out.push_back(it->second.object);
    }
  }
  for (const auto& [name, entry] : cluster_roles_) {
    if (allows(entry)) out.push_back(entry.object);
  }
  return out;
}

std::string binding_text(const Binding& binding) {
  if (binding.cluster_wide()) return fmt::format("ClusterRoleBinding {}", binding.object->name);
  return fmt::format("RoleBinding {}/{}", binding.object->ns, binding.object->name);
}

std::string role_text(const Binding& binding) {
  if (binding.role_kind == "Role")
    return fmt::format("Role {}/{}", binding.object->ns, binding.role_name);
  return fmt::format("{} {}", binding.role_kind, binding.role_name);
}

}  // namespace ktriage::rbac
