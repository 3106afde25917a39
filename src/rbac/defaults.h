// The API server's default RBAC (its bootstrap policy) as far as a snapshot that leaves it out
// needs it: whether the input holds the built-in ClusterRoles at all, and which default
// ClusterRoleBindings grant the non-resource URLs every user may read. Pure data and text;
// never reads input beyond the Cluster given.
//
// Source: kube-apiserver plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (v1.14 and
// later);
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster.h"
#include "rbac/request.h"

namespace ktriage::rbac {

/// A default ClusterRoleBinding (named as its ClusterRole) that grants `get` on non-resource
/// URLs to groups.
struct DefaultUrlGrant {
  std::string_view role;                     ///< "system:public-info-viewer"
  std::span<const std::string_view> urls;    ///< as in the role's rule; "/api/*" is a prefix
  std::span<const std::string_view> groups;  ///< the binding's Group subjects
};

/// Whether `cluster` holds any of the API server's bootstrap ClusterRoles (the API server names
/// them all "system:..."). `kubectl get clusterroles` lists them; a snapshot of one
/// application's RBAC usually leaves them out. O(ClusterRoles).
bool has_bootstrap_roles(const Cluster& cluster);

/// The default bindings that grant `request` on a cluster whose bootstrap policy is as the API
/// server writes it: system:public-info-viewer (get /healthz, /livez, /readyz, /version,
/// /version/ for system:authenticated and system:unauthenticated) and system:discovery (those and
/// /api, /api/*, /apis, /apis/*, /openapi, /openapi/* for system:authenticated). Empty for
/// resource requests and any verb but get. O(1).
std::vector<const DefaultUrlGrant*> default_url_grants(const AccessRequest& request);

/// What can-i says when `cluster` lacks the bootstrap ClusterRoles: that the answer ignores
/// them, and for each default binding that grants `request`, that a default cluster does, to
/// whom, and whether `user` (when not null; --who has none) is among them. Empty when the input
/// holds the bootstrap roles.
std::vector<std::string> bootstrap_notes(const Cluster& cluster, const AccessRequest& request,
                                         const UserInfo* user);

}  // namespace ktriage::rbac
