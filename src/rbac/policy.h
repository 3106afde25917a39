// The snapshot's RBAC objects, indexed for evaluation: Roles, ClusterRoles (with aggregated
// rules), RoleBindings by namespace and ClusterRoleBindings. Built once from a Cluster, read-only
// afterwards; holds views into the Cluster, so it must not outlive it. Never reads input.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster.h"
#include "rbac/request.h"

namespace ktriage::rbac {

/// One rule a role grants, with where it is written: `source` is the role whose .rules[index]
/// holds it, which for an aggregated ClusterRole is one of the roles it aggregates.
struct GrantedRule {
  const Value* rule = nullptr;
  const Object* source = nullptr;
  std::size_t index = 0;
};

/// A RoleBinding or ClusterRoleBinding with its roleRef read. `role_kind` is "Role" or
/// "ClusterRole" (anything else is kept, and grants nothing, as the authorizer does).
struct Binding {
  const Object* object = nullptr;
  std::string_view role_kind;
  std::string_view role_name;
  bool cluster_wide() const { return object->kind == "ClusterRoleBinding"; }
};

/// The RBAC policy of one snapshot.
class Policy {
 public:
  /// Indexes every Role, ClusterRole, RoleBinding and ClusterRoleBinding of `cluster`.
  /// ClusterRoles with aggregationRule.clusterRoleSelectors get the union of their own rules and
  /// the rules of every ClusterRole their selectors match, repeated until nothing changes, as the
  /// clusterrole-aggregation controller does (kube-controller-manager
  /// pkg/controller/clusterroleaggregation, v1.30), so a snapshot taken before the controller
  /// filled .rules evaluates as the cluster will. That fixed point is reachability over the
  /// selector graph: every ClusterRole of one cycle (strongly connected component) gets the same
  /// union, whatever the names, and a role's union is its component's own rules plus the unions
  /// of the components it matches. Computed without recursion, each rule once per union (by a
  /// canonical text), a union that extends the one it aggregates sharing its storage: a chain of
  /// N aggregating roles costs O(N). Input is untrusted, so the work is capped (kMaxSelectorChecks
  /// selector tests, kMaxAggregatedRules stored rules); past a cap, problems() says what was left
  /// out. O(ClusterRoles + labels + rules) for matchLabels selectors.
  explicit Policy(const Cluster& cluster);
  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;

  /// Caps on the aggregation work for one snapshot (far above real clusters: ~100 ClusterRoles).
  static constexpr std::size_t kMaxSelectorChecks = 4'000'000;
  static constexpr std::size_t kMaxAggregatedRules = 1'000'000;

  /// Every ClusterRoleBinding, in reading order. O(1).
  std::span<const Binding> cluster_role_bindings() const { return cluster_bindings_; }
  /// RoleBindings of namespace `ns`. O(log namespaces).
  std::span<const Binding> role_bindings(std::string_view ns) const;
  /// Every RoleBinding of every namespace, by namespace. O(1).
  std::span<const Binding> all_role_bindings() const { return role_bindings_; }

  /// The role object a binding refers to (a Role in the binding's namespace, or a ClusterRole);
  /// nullptr when the snapshot has none, which the authorizer reports as "... not found".
  /// O(log roles).
  const Object* role_of(const Binding& binding) const;
  /// The rules that role grants (aggregated ones included); empty when the role is missing.
  std::span<const GrantedRule> rules_of(const Binding& binding) const;
  /// The rules of ClusterRole `name` (aggregated ones included); empty when missing.
  std::span<const GrantedRule> cluster_role_rules(std::string_view name) const;
  /// Roles of namespace `ns` (when not "") and then ClusterRoles whose rules allow `request`,
  /// each in name order: what an existing binding could point at instead of writing a new role.
  /// O(roles x rules).
  std::vector<const Object*> roles_allowing(std::string_view ns,
                                            const AccessRequest& request) const;
  /// Whether the snapshot has any RBAC object at all (else every answer is "no" for lack of data).
  bool empty() const { return empty_; }
  /// What the aggregation left out when a cap was reached (empty for any real cluster).
  std::span<const std::string> problems() const { return problems_; }

 private:
  struct RoleEntry {
    const Object* object = nullptr;
    std::vector<GrantedRule> own;  ///< .rules as written
    bool aggregated = false;       ///< rules are aggregated_[begin, begin + size) instead
    std::size_t begin = 0;
    std::size_t size = 0;
  };
  void aggregate();
  std::span<const GrantedRule> rules(const RoleEntry& e) const;

  std::map<std::pair<std::string_view, std::string_view>, RoleEntry> roles_;  // (ns, name)
  std::map<std::string_view, RoleEntry> cluster_roles_;
  std::vector<Binding> cluster_bindings_;
  std::vector<Binding> role_bindings_;  // sorted by namespace (stable)
  std::map<std::string_view, std::pair<std::size_t, std::size_t>> by_ns_;
  std::vector<GrantedRule> aggregated_;  ///< the unions of aggregated ClusterRoles, shared
  std::vector<std::string> problems_;
  bool empty_ = true;
};

/// "RoleBinding shop/web-reader" or "ClusterRoleBinding admins": a binding for messages.
std::string binding_text(const Binding& binding);
/// "ClusterRole view" / "Role shop/reader": the role a binding names.
std::string role_text(const Binding& binding);

}  // namespace ktriage::rbac
