// `ktriage collect --cloud`: runs the Alibaba Cloud CLI (`aliyun`, found on PATH and configured
// by the user) for the calls cloud/collect_plan.h lists and adds each JSON answer to the bundle
// as cloud/<product>-<Action>[-<id>].json (docs/cloud.md). Never reads or prints credentials:
// the CLI uses its own configuration, and its error text is masked before it is shown or kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

/// The CLI's error text with credentials masked: redact_credentials, AccessKey ids (LTAI...,
/// and STS temporary ones, STS.<id>: prefix kept, rest ***) and the values after
/// AccessKeySecret / SecurityToken / sts_token. O(text).
std::string mask_cli_text(std::string_view text);

/// `json` (an answer) with the string values of secret keys replaced by "***": login_password
/// and user_data of DescribeClusterNodePools' scaling_group, and any key ending in password,
/// secret, private_key or token (not the NextToken cursor), kubeconfig, client_key. The keys
/// masked are added to `masked_keys` once each. Text-level: strings inside JSON strings (an
/// escaped document) are not looked into. O(json).
std::string mask_answer_secrets(std::string_view json, std::vector<std::string>* masked_keys);

}  // namespace ktriage
