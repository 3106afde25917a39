// Alibaba Cloud CLI answers in a snapshot: which call a `cloud/` file answers (from its name,
// `<product>-<Action>[-<id>].json`, or from the fields only that call's answer has) and reading
// it into Inputs::cloud. Never reads the typed content: src/cloud does that.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/value.h"
#include "load/document.h"
#include "model/inputs.h"

namespace ktriage {

/// The call a cloud document answers.
struct CloudCall {
  std::string product;  ///< lower case: "ecs"
  std::string action;   ///< "DescribeSecurityGroupAttribute"
  std::string id;       ///< "" when the name or content gives none
};

/// Splits a file's base name `<product>-<Action>[-<id>].json` (".json" in any case; the product
/// is letters and digits and is lower-cased; the action starts with an upper-case letter and is
/// letters and digits; the id is the rest and may hold dashes: "sg-bp1x"). nullopt for any other
/// name. O(name).
std::optional<CloudCall> cloud_call_from_name(std::string_view base);

/// The call whose answer `root` is, from fields only that answer has (SecurityGroupId with
/// Permissions: ecs DescribeSecurityGroupAttribute; Instances.Instance: ecs DescribeInstances;
/// VSwitches.VSwitch: vpc DescribeVSwitches; cluster_id with cluster_type: cs
/// DescribeClusterDetail; Policies.Policy: ram ListPoliciesForUser; PolicyVersion.PolicyDocument:
/// ram GetPolicyVersion; `tasks`, `events`, `nodepools` of cs; ... — docs/cloud.md has the table).
/// A document that could be a Kubernetes object or List (`kind`, `apiVersion`, `metadata` or
/// `items` at its top) is never one. `id` is set where the content names it (the security
/// group's id). O(top-level members).
std::optional<CloudCall> cloud_call_from_content(const Value& root);

/// Whether `root` has what a Kubernetes object or List has at its top (`kind`, `apiVersion`,
/// `metadata`, `items`; an array with such items). O(top-level members).
bool could_be_kubernetes(const Value& root);

/// Whether `product` is one whose file names are recognised outside a `cloud/` folder too
/// (ecs, vpc, cs, ram, cr, slb, alb, nlb, ess, sts). O(1).
bool known_cloud_product(std::string_view product);

/// Whether `path` (as layout rules see it: below the folder given, or inside an archive) lies
/// in a folder named `cloud`. O(path).
bool in_cloud_folder(std::string_view path);

/// Reads one cloud file (`data` need not be padded) answering `call` into `out.cloud`, the
/// parsed root in a new arena of `out`. A syntax error is an InputIssue at its line and column
/// and the file is skipped; so is an API error answer ({"Code": ..., "Message": ...}) and a
/// document that is not a JSON object or array. An empty `call.id` takes the id the content
/// names. The shapes the typed views rely on are checked and each problem is an InputIssue at
/// its line and column naming the JSON path: an ecs DescribeSecurityGroupAttribute whose
/// Permissions.Permission is no array ("expected an array at .Permissions.Permission": the group
/// is then as if not in the snapshot), a rule with an unreadable Direction, Policy, Priority
/// (1..100) or PortRange (the rule is skipped), a DescribeInstances whose top is no object or
/// whose SecurityGroupIds is no {"SecurityGroupId": [...]}. Never throws.
void load_cloud_file(std::string_view path, std::string_view data, CloudCall call, Inputs& out);

/// Adds `root` (already parsed into one of `out`'s arenas) as the answer to `call`, after the
/// shape checks load_cloud_file makes (positions from `locator` when given, valid only inside
/// the DocumentSink call; else the issue names the file and the message the JSON path).
void add_cloud_document(std::string_view path, const Value& root, CloudCall call, Inputs& out,
                        const Locator* locator = nullptr);

}  // namespace ktriage
