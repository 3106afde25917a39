// The smallest RBAC objects that grant one request to one subject, as YAML for
// `kubectl apply -f -`. Pure text generation; never reads input.
#pragma once

#include <string>
#include <string_view>

#include "rbac/request.h"

namespace ktriage::rbac {

/// A Role and RoleBinding in the request's namespace, or a ClusterRole and ClusterRoleBinding for
/// a cluster-scope or non-resource request, granting `request` to `user` (a service account's
/// user name becomes a ServiceAccount subject, any other name a User). The rule names the object
/// when the request does (resourceNames); list and watch are granted together, since a client
/// that lists (an informer) watches next. Names are DNS-1123 labels derived from the subject and
/// resource. Example: grant_yaml({verb "list", resource "pods", ns "shop"},
/// "system:serviceaccount:shop:web") is a Role "web-pods" with rule {apiGroups [""], resources
/// [pods], verbs [list, watch]} and its RoleBinding to ServiceAccount shop/web.
std::string grant_yaml(const AccessRequest& request, std::string_view user);

/// The name grant_yaml gives both objects ("web-pods", "agent-nodes").
std::string grant_name(const AccessRequest& request, std::string_view user);

}  // namespace ktriage::rbac
