// What a cluster add-on's outage breaks, for the symptom of an add-on workload whose pods fail:
// "Deployment kube-system/metrics-server 0/1 available: 1 pod failing; HPAs cannot read metrics".
#pragma once

#include <string_view>

#include "model/object.h"

namespace ktriage {

/// The consequence of `workload` (a kube-system Deployment, DaemonSet or StatefulSet of a known
/// add-on, by name) being down, as a clause; "" for other workloads. For a DaemonSet it reads
/// for the nodes where its pod fails. O(1).
std::string_view addon_impact(const Object& workload);

}  // namespace ktriage
