#include "rbac/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>

#include "model/scheduling.h"
#include "rbac/rule_match.h"

namespace ktriage::rbac {

namespace {

// A rule as one string, equal for two rules exactly when the controller's deep equality holds:
// typed, length-prefixed scalars, arrays in order, object members sorted by key.
void canonical(const Value& v, std::string& out) {
  switch (v.type()) {
    case Value::Type::kNull:
      out += 'n';
      return;
    case Value::Type::kBool:
      out += v.as_bool() ? 't' : 'f';
      return;
    case Value::Type::kInt:
      out += fmt::format("i{};", v.as_int());
      return;
    case Value::Type::kDouble:
      out += fmt::format("d{};", v.as_double());
      return;
    case Value::Type::kString:
      out += fmt::format("s{}:", v.str().size());
      out += v.str();
      return;
    case Value::Type::kArray:
      out += fmt::format("a{}[", v.size());
      for (const Value& item : v.items()) canonical(item, out);
      out += ']';
      return;
    case Value::Type::kObject: {
      std::vector<const Member*> members;
      for (const Member& m : v.members()) members.push_back(&m);
      std::stable_sort(members.begin(), members.end(),
                       [](const Member* a, const Member* b) { return a->key < b->key; });
      out += fmt::format("o{}{{", v.size());
      for (const Member* m : members) {
        out += fmt::format("{}:", m->key.size());
        out += m->key;
        canonical(m->value, out);
      }
      out += '}';
      return;
    }
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
  aggregate();
}

// The aggregation controller's fixed point, in three linear passes:
// 1. the selector graph: an edge A -> B when a clusterRoleSelector of A matches B's labels
//    (B != A, as the controller skips the role itself); a matchLabels selector only tests the
//    roles carrying its rarest label, through an index, so a chain of N roles is O(N) tests;
// 2. its strongly connected components by Tarjan's algorithm, iteratively (a deep chain must not
//    overflow the stack); they come out sinks first, so each component's successors are done;
// 3. each component's union into aggregated_: the unions of the components it matches (one that
//    ends aggregated_ is extended in place, not copied: a chain shares one run of storage), then
//    its members' own rules; each rule once, by canonical text.
// Order within a union: the extended successor's, the other successors' in name order, then
// the members' own rules in name order.
void Policy::aggregate() {
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<RoleEntry*> nodes;  // name order
  for (auto& [name, entry] : cluster_roles_) {
    entry.aggregated = false;
    nodes.push_back(&entry);
  }
  auto selectors_of = [&](std::uint32_t v) -> const Value& {
    const Object& o = *nodes[v]->object;
    if (o.root == nullptr) return Value::null_value();
    return o["aggregationRule"]["clusterRoleSelectors"];
  };
  const auto n = static_cast<std::uint32_t>(nodes.size());
  bool any = false;
  for (std::uint32_t v = 0; v < n && !any; ++v) any = selectors_of(v).size() > 0;
  if (!any) return;

  // 1. Edges.
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_label;  // "key\0value"
  auto label_key = [](std::string_view k, std::string_view v) {
    std::string out(k);
    out += '\0';
    out += v;
    return out;
  };
  for (std::uint32_t v = 0; v < n; ++v) {
    if (nodes[v]->object->root == nullptr) continue;
    for (const Member& m : nodes[v]->object->labels().members())
      by_label[label_key(m.key, m.value.str())].push_back(v);
  }
  std::vector<std::vector<std::uint32_t>> out(n);
  std::vector<std::uint32_t> seen(n, kNone);
  std::size_t checks = 0;
  bool over_checks = false;
  std::uint32_t stopped_at = 0;
  std::vector<std::uint32_t> all;  // every node, for selectors without matchLabels
  const std::vector<std::uint32_t> none;
  for (std::uint32_t a = 0; a < n && !over_checks; ++a) {
    for (const Value& s : selectors_of(a).items()) {
      const std::vector<std::uint32_t>* candidates = nullptr;
      for (const Member& m : s["matchLabels"].members()) {
        auto it = by_label.find(label_key(m.key, m.value.str()));
        const std::vector<std::uint32_t>& list = it == by_label.end() ? none : it->second;
        if (candidates == nullptr || list.size() < candidates->size()) candidates = &list;
      }
      if (candidates == nullptr) {
        if (all.empty()) {
          for (std::uint32_t v = 0; v < n; ++v) all.push_back(v);
        }
        candidates = &all;
      }
      for (std::uint32_t b : *candidates) {
        if (b == a || seen[b] == a || nodes[b]->object->root == nullptr) continue;
        if (++checks > kMaxSelectorChecks) {
          over_checks = true;
          stopped_at = a;
          break;
        }
        if (label_selector_matches(s, nodes[b]->object->labels())) {
          seen[b] = a;
          out[a].push_back(b);
        }
      }
      if (over_checks) break;
    }
    std::sort(out[a].begin(), out[a].end());
  }
  if (over_checks)
    problems_.push_back(fmt::format(
        "ClusterRole aggregation stopped after {} selector tests (ClusterRole {} and those after "
        "it in name order aggregate only what was matched by then): the snapshot's "
        "clusterRoleSelectors match too many roles to evaluate",
        kMaxSelectorChecks, nodes[stopped_at]->object->name));

  // 2. Components, sinks first.
  std::vector<std::uint32_t> index(n, kNone), low(n, 0), comp(n, kNone);
  std::vector<std::uint32_t> stack;
  std::vector<char> on_stack(n, 0);
  std::vector<std::vector<std::uint32_t>> comps;
  struct Frame {
    std::uint32_t v, next;
  };
  std::vector<Frame> calls;
  std::uint32_t counter = 0;
  auto enter = [&](std::uint32_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    calls.push_back({v, 0});
  };
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kNone || out[root].empty()) continue;
    enter(root);
    while (!calls.empty()) {
      const std::uint32_t v = calls.back().v;
      if (calls.back().next < out[v].size()) {
        const std::uint32_t w = out[v][calls.back().next++];
        if (index[w] == kNone) {
          enter(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().v] = std::min(low[calls.back().v], low[v]);
      if (low[v] != index[v]) continue;
      std::vector<std::uint32_t> members;
      std::uint32_t w = kNone;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = 0;
        comp[w] = static_cast<std::uint32_t>(comps.size());
        members.push_back(w);
      } while (w != v);
      std::sort(members.begin(), members.end());
      comps.push_back(std::move(members));
    }
  }

  // 3. Unions. Rule ids by canonical text; last_pos[id] is the last place of that rule in
  // aggregated_, so "already in the union being built from `start`" is last_pos[id] >= start.
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::vector<std::uint32_t>> own_ids(n);
  std::vector<std::uint32_t> agg_ids;  // parallel to aggregated_
  std::vector<std::size_t> last_pos;
  constexpr std::size_t kNowhere = std::numeric_limits<std::size_t>::max();
  auto ids_of = [&](std::uint32_t v) -> const std::vector<std::uint32_t>& {
    std::vector<std::uint32_t>& out_ids = own_ids[v];
    if (out_ids.size() == nodes[v]->own.size()) return out_ids;
    std::string text;
    for (const GrantedRule& g : nodes[v]->own) {
      text.clear();
      canonical(*g.rule, text);
      auto [it, fresh] = ids.try_emplace(text, static_cast<std::uint32_t>(ids.size()));
      if (fresh) last_pos.push_back(kNowhere);
      out_ids.push_back(it->second);
    }
    return out_ids;
  };
  bool over_rules = false;
  auto add = [&](const GrantedRule& g, std::uint32_t id, std::size_t start) {
    if (last_pos[id] != kNowhere && last_pos[id] >= start) return;
    if (aggregated_.size() >= kMaxAggregatedRules) {
      over_rules = true;
      return;
    }
    last_pos[id] = aggregated_.size();
    aggregated_.push_back(g);
    agg_ids.push_back(id);
  };
  std::vector<std::uint32_t> comp_seen(comps.size(), kNone);
  for (std::uint32_t c = 0; c < comps.size() && !over_rules; ++c) {
    const std::vector<std::uint32_t>& members = comps[c];
    if (members.size() == 1 && out[members[0]].empty()) continue;  // no edges: its own rules
    std::vector<std::uint32_t> next;  // successor components, by their first member's name
    for (std::uint32_t m : members) {
      for (std::uint32_t w : out[m]) {
        if (comp[w] == c || comp_seen[comp[w]] == c) continue;
        comp_seen[comp[w]] = c;
        next.push_back(comp[w]);
      }
    }
    std::sort(next.begin(), next.end(),
              [&](std::uint32_t x, std::uint32_t y) { return comps[x][0] < comps[y][0]; });
    std::size_t start = aggregated_.size();
    std::uint32_t extended = kNone;
    for (std::uint32_t x : next) {
      const RoleEntry& e = *nodes[comps[x][0]];
      if (e.aggregated && e.size > 0 && e.begin + e.size == aggregated_.size()) {
        start = e.begin;
        extended = x;
        break;
      }
    }
    for (std::uint32_t x : next) {
      if (x == extended) continue;
      const std::uint32_t first = comps[x][0];
      const RoleEntry& e = *nodes[first];
      if (e.aggregated) {
        for (std::size_t i = e.begin; i < e.begin + e.size; ++i)
          add(aggregated_[i], agg_ids[i], start);
      } else {
        const std::vector<std::uint32_t>& rule_ids = ids_of(first);
        for (std::size_t i = 0; i < e.own.size(); ++i) add(e.own[i], rule_ids[i], start);
      }
    }
    for (std::uint32_t m : members) {
      const std::vector<std::uint32_t>& rule_ids = ids_of(m);
      for (std::size_t i = 0; i < nodes[m]->own.size(); ++i)
        add(nodes[m]->own[i], rule_ids[i], start);
    }
    for (std::uint32_t m : members) {
      nodes[m]->aggregated = true;
      nodes[m]->begin = start;
      nodes[m]->size = aggregated_.size() - start;
    }
    if (over_rules)
      problems_.push_back(fmt::format(
          "ClusterRole aggregation stopped at {} aggregated rules, at ClusterRole {}: it and the "
          "ClusterRoles aggregating it are evaluated with part of their rules",
          kMaxAggregatedRules, nodes[members[0]]->object->name));
  }
}

std::span<const GrantedRule> Policy::rules(const RoleEntry& e) const {
  if (!e.aggregated) return e.own;
  return std::span<const GrantedRule>(aggregated_).subspan(e.begin, e.size);
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
    if (it != roles_.end()) return it->second.own;
  }
  return {};
}

std::span<const GrantedRule> Policy::cluster_role_rules(std::string_view name) const {
  auto it = cluster_roles_.find(name);
  if (it == cluster_roles_.end()) return {};
  return rules(it->second);
}

std::vector<const Object*> Policy::roles_allowing(std::string_view ns,
                                                  const AccessRequest& request) const {
  std::vector<const Object*> out;
  auto own_allows = [&](const RoleEntry& e) {
    for (const GrantedRule& g : e.own) {
      if (rule_allows(*g.rule, request)) return true;
    }
    return false;
  };
  // Aggregated unions overlap in aggregated_: test each stored rule once, then a union allows
  // when an allowing rule lies in its range. O(roles + stored rules), not O(sum of unions).
  std::vector<std::size_t> next_allowing(aggregated_.size() + 1, aggregated_.size());
  for (std::size_t i = aggregated_.size(); i-- > 0;)
    next_allowing[i] = rule_allows(*aggregated_[i].rule, request) ? i : next_allowing[i + 1];
  auto allows = [&](const RoleEntry& e) {
    if (!e.aggregated) return own_allows(e);
    return next_allowing[e.begin] < e.begin + e.size;
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
