// Reading Node status and the node-related fields of Pods: conditions, addresses, the taints the
// node lifecycle controller adds, kubelet versions, eviction messages. Pure functions over one
// object; they never look anything up in the Cluster.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/finding.h"
#include "model/object.h"

namespace ktriage {

/// A status condition of any object as evidence shows it: "Unknown NodeStatusUnknown: Kubelet
/// stopped posting node status." (status, reason, ": message"), each part only when set, so a
/// condition without a reason reads "False", not "False "; "(no status)" when all three are unset.
std::string condition_text(const Value& condition);

/// The node's InternalIP, else its name: what to ssh to in a fix.
std::string node_address(const Object& node);

/// The node.kubernetes.io/* taints (set by the node lifecycle controller, the kubelet or a
/// cordon) as one field evidence: "node.kubernetes.io/unreachable:NoExecute (since 2026-12-01
/// 08:26 UTC), ..."; nullopt when the node has none.
std::optional<Evidence> lifecycle_taints(const Object& node);

/// {1, 30} from "v1.30.4" or "v1.30.4-aliyun.1"; nullopt for anything else.
std::optional<std::pair<int, int>> kubelet_minor_version(std::string_view version);

/// A pod's NoExecute tolerationSeconds for taint `key`; nullopt when it does not tolerate the
/// taint with a limit (no toleration, or tolerated forever).
std::optional<std::int64_t> toleration_seconds(const Object& pod, std::string_view key);

/// "memory" from the kubelet eviction manager's "The node was low on resource: memory.
/// Threshold quantity: ..." (pkg/kubelet/eviction/helpers.go, v1.8+); "" for other messages.
std::string eviction_resource(std::string_view message);

}  // namespace ktriage
