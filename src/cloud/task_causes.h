// The known causes of failed Container Service (cs) operations, as their records word them:
// cluster creation, node-add / node-pool scale-out, and RAM refusals. One row per fault-catalog
// entry of sections 1, 2 and 5 that names exact codes or messages; entries without exact strings
// (ACK-NODE-ADD-RUNTIME-INCOMPATIBLE, ACK-NODE-ADD-DATA-DISK-HANDLING) have no row.
#pragma once

#include <span>

#include "cloud/cause_matcher.h"

namespace ktriage::cloud {

/// Rows in match order: specific codes before general ones (quota and vSwitch codes before
/// InvalidParameter). Refusals by RAM policy are not here but in ram_refusal_causes(). Text read:
/// DescribeTaskInfo `error.message`, `stages[].message`, `events[].message`; DescribeClusterLogs
/// `cluster_log`; DescribeEvents `data.message` (docs/cloud.md lists the fields).
std::span<const CauseRow> cs_record_causes();

/// Refusals by RAM policy, in match order (a refusal of cs:CreateCluster before any other
/// refusal): ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION, ACK-RAM-POLICY-FORBIDDEN (the matched
/// text ends with the refused action) and ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS.
std::span<const CauseRow> ram_refusal_causes();

}  // namespace ktriage::cloud
