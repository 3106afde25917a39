// Cross-layer links for node faults: a pod whose node is down (analyzers/nodes.cpp reports the
// node) is a symptom of that node, so the node leads the report as the root cause.
// Owns nothing; reads the Cluster and the findings. link_pods_to_nodes only adds caused_by ids;
// fold_nodes merges findings of one rule on several nodes into one.
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

/// Folds findings of one rule (and part) on several Nodes into one, carried by the first node
/// by name, the others in also_affects: a CNI never installed makes every node NotReady, which
/// is one root cause, not one per node. Links to a folded finding are redirected to the one that
/// carries it. O(findings).
void fold_nodes(std::vector<Finding>& findings);

}  // namespace ktriage
