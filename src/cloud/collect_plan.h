// Which Alibaba Cloud CLI calls `ktriage collect --cloud` makes, and under which cloud/ file name
// each answer goes (docs/cloud.md has the table). Pure: reads a Cluster built from the collected
// Kubernetes objects (and, for the second round, the first round's answers); never runs
// anything (src/cli/cloud_collect.cpp does).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster.h"

namespace ktriage::cloud {

/// One call: `aliyun <args...>`, its answer saved as cloud/<file>.
struct CliCall {
  std::string file;               ///< "ecs-DescribeSecurityGroupAttribute-sg-bp1x.json"
  std::vector<std::string> args;  ///< {"ecs", "DescribeSecurityGroupAttribute", "--RegionId", ...}
};

/// What the user told `collect` (flags); empty fields are found in the cluster.
struct PlanOptions {
  std::string cluster_id;  ///< --cluster-id; else the Nodes' ack.aliyun.com label
  std::string region;      ///< --region; else the providerIDs' or topology.kubernetes.io/region
  std::string ram_user;    ///< --ram-user; else the user of sts GetCallerIdentity's Arn
};

/// The calls of one round and what could not be planned (said to the user, kept in
/// ktriage-collect.json).
struct CloudPlan {
  std::vector<CliCall> calls;
  std::vector<std::string> notes;
};

/// The first call: `aliyun sts GetCallerIdentity`, which also shows whether the CLI is
/// configured.
CliCall identity_call();

/// Round one, from the Kubernetes objects: cs DescribeClusterDetail, DescribeClusterNodePools,
/// DescribeClusterTasks, DescribeClusterLogs and DescribeClusterEvents (with a cluster id), and
/// ecs DescribeInstances for the Nodes' spec.providerID instance ids, 100 per call. O(nodes).
CloudPlan first_round(const Cluster& cluster, const PlanOptions& options);

/// Round two, from round one's answers: ecs DescribeSecurityGroups and one
/// DescribeSecurityGroupAttribute per group of the instances, the cluster and eni-config; vpc
/// DescribeVSwitches of the cluster's VPC; ram ListPoliciesForUser of the caller (a RAM user).
/// O(instances + groups).
CloudPlan second_round(const Cluster& cluster, const PlanOptions& options);

/// The region the calls go to (see PlanOptions::region); "" when nothing names one. O(nodes).
std::string plan_region(const Cluster& cluster, const PlanOptions& options);

/// Whether `id` may go into a call and a file name: ^(i|sg|vpc|vsw)-[a-z0-9]+$. Ids come from
/// Node spec.providerID and the kube-system/eni-config ConfigMap, which cluster users can edit;
/// the planners drop any other with a note. O(id).
bool valid_resource_id(std::string_view id);

/// Whether a region or cluster id is lower-case letters, digits and dashes (1-64). O(id).
bool valid_region_or_cluster_id(std::string_view id);

/// `text` cut to 80 characters with control characters, quotes and backslashes as '?': an
/// untrusted id fit to quote in a note. O(text).
std::string printable(std::string_view text);

/// The call for the next page of a paged answer (TotalCount, PageNumber, PageSize at its top,
/// as vpc DescribeVSwitches answers): `call` with --PageNumber N+1, saved as
/// "<product>-<Action>-page<N+1>.json"; nullopt on the last page, when the answer has no paging
/// fields, or after 100 pages. O(args).
std::optional<CliCall> next_page(const CliCall& call, const Value& answer);

}  // namespace ktriage::cloud
