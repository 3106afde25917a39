// Cross-layer links for node faults: a pod whose node is down (analyzers/nodes.cpp reports the
// node) is a symptom of that node, so the node leads the report as the root cause.
// Owns nothing; reads the Cluster and the findings, only adds caused_by ids, never creates or
// removes findings.
#pragma once

#include <vector>

#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage {

/// Adds to each pod finding that a down node explains (the pod's status is stale, it is stuck
/// Terminating, or its network is not ready) the id of that node's NotReady finding, so the
/// node is the root cause. Looks at the pods of folded findings (also_affects) too.
/// O(findings + pods named in them).
void link_pods_to_nodes(const Cluster& cluster, std::vector<Finding>& findings);

}  // namespace ktriage
