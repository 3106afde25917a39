// The node hop of netcheck: a node's Ready condition, its kube-proxy and CNI pods, and the
// findings the analyzers (nodes, add-ons, DaemonSets) reported about them. Reuses the diagnosis
// instead of judging the add-ons again.
#pragma once

#include <optional>
#include <string_view>

#include "core/diagnosis.h"
#include "model/cluster.h"
#include "network/path.h"

namespace ktriage {

/// A PathHooks::node_health for `cluster` and its `diagnosis` (both must outlive it). The hop is
/// ok when the node is Ready and its CNI (and, when `kube_proxy`, kube-proxy) pods are Ready with
/// no finding at warning or above; warning with the findings' summaries otherwise; unknown when
/// the snapshot has no such pod (kube-proxy replaced by the CNI, or not collected).
std::function<std::optional<network::Hop>(std::string_view, bool)> node_health_hook(
    const Cluster& cluster, const Diagnosis& diagnosis);

}  // namespace ktriage
