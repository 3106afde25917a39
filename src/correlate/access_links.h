// Links a finding whose log evidence quotes an RBAC refusal (a container that exits after "pods
// is forbidden: ...") to the access analyzer's finding about that refusal on the same workload,
// so the missing permission is the root cause and the crash its symptom.
#pragma once

#include <vector>

#include "core/finding.h"

namespace ktriage {

/// For each finding other than the access analyzer's whose log evidence quotes a forbidden
/// message (`forbidden: User "`), adds to `caused_by` the rbac-forbidden and
/// rbac-legacy-cs-admin-no-crd findings about the same object (their object or also_affects:
/// the workload and the pods whose logs showed the refusal). O(findings x evidence).
void link_refusals(std::vector<Finding>& findings);

}  // namespace ktriage
