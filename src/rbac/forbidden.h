// The API server's "forbidden" messages, parsed back into the request that was refused. Pure
// text parsing; never reads input and never throws: anything it does not recognise is nullopt.
//
// Wordings (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage,
// wrapped by k8s.io/apimachinery pkg/api/errors NewForbidden):
//   v1.11-v1.35  <resource>[.<group>][ "<name>"] is forbidden: User "<user>" cannot <verb>
//                resource "<resource>[/<subresource>]" in API group "<group>"
//                (in the namespace "<ns>" | at the cluster scope)[: <reason>]
//                forbidden: User "<user>" cannot <verb> path "<url>"[: <reason>]
//   v1.6-v1.10   User "<user>" cannot <verb> <resource>[.<group>][/<subresource>]
//                (in the namespace "<ns>" | at the cluster scope)
// The RBAC authorizer's reason (plugin/pkg/auth/authorizer/rbac/rbac.go) is "RBAC: " plus the
// errors met while resolving roles, e.g. `clusterrole.rbac.authorization.k8s.io "foo" not found`.
// Log lines often carry the message JSON-escaped (\"); those quotes are read as plain ones.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbac/request.h"

namespace ktriage::rbac {

/// One parsed forbidden message: who was refused what.
struct Forbidden {
  std::string user;
  AccessRequest request;  ///< verb, group, resource, subresource, name, ns or path
  std::string reason;     ///< the authorizer's reason after the scope, "" when none
  /// Roles the reason says do not exist: "ClusterRole foo", "Role bar".
  std::vector<std::string> missing_roles;
};

/// Parses the first forbidden message in `text` (a log line or an event message). nullopt when
/// `text` holds none or it is cut short. O(len(text)).
std::optional<Forbidden> parse_forbidden(std::string_view text);

/// Cheap pre-filter: whether `text` may hold a forbidden message (it contains `User "` or
/// `User \"` followed later by " cannot "). O(len(text)).
bool may_be_forbidden(std::string_view text);

}  // namespace ktriage::rbac
