// Fixes for a refused request that reuse the RBAC objects a cluster already has, before the
// smallest new Role and binding (grant.h): `can-i` and the access analyzer give the same advice.
#pragma once

#include <string>
#include <vector>

#include "rbac/evaluate.h"

namespace ktriage::rbac {

/// Fixes that reuse what exists, best first, as one line each with the kubectl commands: a
/// binding among `d.closest` that names a missing role while another role of its scope grants
/// `request` ("... recreate the binding with it (roleRef cannot be changed): kubectl ... delete
/// ... && kubectl ... create ..."); then, starting with "Or ", a ClusterRole that grants it but
/// is bound by a RoleBinding while the request is at the cluster scope. Empty when none applies.
/// O(closest * roles of the scope).
std::vector<std::string> reuse_fixes(const Policy& policy, const AccessRequest& request,
                                     const Decision& d);

}  // namespace ktriage::rbac
