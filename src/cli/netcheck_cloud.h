// The security-group hop of netcheck: the cloud layer's verdict (cloud/sg_path.h) between the
// ends of a path, as a netcheck hop with the deciding rule, its file and JSON path, and the fix.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "model/cluster.h"
#include "network/path.h"

namespace ktriage {

/// A PathHooks::security_group for `cluster` (it must outlive the hook), or an empty function
/// when the snapshot has no cloud answers (no hop is added then). The hop is ok when both the
/// source's egress and the destination's ingress rules let the flow through, blocked with the
/// aliyun command that opens it when one drops it, and unknown (with what is missing) when an
/// instance or its groups are not in the snapshot.
std::function<std::optional<network::Hop>(std::string_view, std::string_view, int,
                                          std::string_view)>
security_group_hook(const Cluster& cluster);

}  // namespace ktriage
