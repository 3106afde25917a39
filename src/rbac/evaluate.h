// RBAC evaluation over a Policy: may this user do this, through which binding, role and rule; and
// when not, what comes closest. Mirrors the RBAC authorizer of kube-apiserver
// (plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go, v1.30;
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/). Pure; never reads input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rbac/policy.h"
#include "rbac/request.h"

namespace ktriage::rbac {

/// Where an allowed request's permission comes from.
struct Grant {
  Binding binding;
  std::size_t subject = 0;  ///< index into the binding's .subjects
  GrantedRule rule;
};

/// A binding that nearly grants the request, and what it lacks.
struct NearMiss {
  Binding binding;
  std::optional<GrantedRule> rule;  ///< the closest rule; none when the role is missing
  std::vector<std::string> misses;  ///< what does not match, one phrase each
};

/// The answer to one request.
struct Decision {
  bool allowed = false;
  std::optional<Grant> grant;  ///< the first grant in the authorizer's order when allowed
  /// Bindings that apply but name a role the snapshot lacks, as the authorizer's reason says
  /// them: `clusterrole.rbac.authorization.k8s.io "foo" not found`.
  std::vector<std::string> errors;
  /// When denied: the nearest grants, fewest misses first, at most 3; empty when no binding
  /// names the user, its groups, or (for a service account) an account of the same name.
  std::vector<NearMiss> closest;
};

/// Whether one entry of a binding's .subjects names `user`: User by name, Group by membership,
/// ServiceAccount by "system:serviceaccount:NS:NAME" with NS defaulting to the RoleBinding's
/// namespace (appliesToUser in rule.go). `binding_ns` is "" for ClusterRoleBindings.
bool subject_applies(const Value& subject, const UserInfo& user, std::string_view binding_ns);

/// Evaluates `request` for `user` as the authorizer does: ClusterRoleBindings, then (for a
/// namespaced request) the RoleBindings of its namespace; a RoleBinding to a ClusterRole grants
/// in its own namespace only. O(bindings x rules).
Decision evaluate(const Policy& policy, const UserInfo& user, const AccessRequest& request);

/// One subject that may do a request, and the binding that lets it.
struct Holder {
  std::string kind;  ///< User, Group, ServiceAccount
  std::string name;
  std::string ns;  ///< ServiceAccount only
  Binding binding;
  GrantedRule rule;
};
/// Every subject of every binding that grants `request` (kubectl auth who-can), in the
/// authorizer's binding order. O(bindings x rules).
std::vector<Holder> who_can(const Policy& policy, const AccessRequest& request);

/// "ServiceAccount shop/web", "User jane", "Group devs": one subject for messages.
std::string subject_text(const Value& subject, std::string_view binding_ns);

}  // namespace ktriage::rbac
