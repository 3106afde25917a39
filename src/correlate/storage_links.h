// Links a pod's finding to the findings of the PersistentVolumeClaims it mounts, so a claim that
// cannot bind is the root cause of the Pending pod (and, through it, of its workload).
#pragma once

#include <vector>

#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage {

/// For each warning-or-worse finding about a pod (or the pods it folds) whose catalog id says the
/// pod waits for its volumes, adds to `caused_by` the warning-or-worse findings about the claims
/// in the pod's spec.volumes. O(findings + volumes of those pods).
void link_pods_to_claims(const Cluster& cluster, std::vector<Finding>& findings);

}  // namespace ktriage
