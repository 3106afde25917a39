// `ktriage collect --cloud`: runs the Alibaba Cloud CLI (`aliyun`, found on PATH and configured
// by the user) for the calls cloud/collect_plan.h lists and adds each JSON answer to the bundle
// as cloud/<product>-<Action>[-<id>].json (docs/cloud.md). Never reads or prints credentials:
// the CLI uses its own configuration, and its error text is masked before it is shown or kept.
#pragma once

#include <string>

#include "cloud/collect_plan.h"
#include "live/fetch.h"

namespace ktriage {

/// The collect flags of the cloud part.
struct CloudFlags {
  bool enabled = false;  ///< --cloud
  cloud::PlanOptions plan;
  std::string cli = "aliyun";  ///< the program looked up on PATH
  int timeout_ms = 60000;      ///< per call
};

/// What collect_cloud did, for the summary line.
struct CloudCollectResult {
  std::size_t files = 0;   ///< answers added under cloud/
  std::size_t failed = 0;  ///< calls that failed (each is a problem in the bundle)
  /// Why nothing was collected ("the aliyun CLI is not installed ..."), or "".
  std::string not_collected;
};

/// Adds the cloud answers to `snap.files` and what failed to `snap.problems`, printing one line
/// per answer on stderr. Reads the Kubernetes objects of `snap` (Nodes' providerIDs and labels,
/// eni-config) to plan the calls. Never fails the collection: without the CLI, or with the CLI
/// not configured, it says why in `not_collected` and in the problems, and adds nothing.
CloudCollectResult collect_cloud(LiveSnapshot& snap, const CloudFlags& flags);

}  // namespace ktriage
