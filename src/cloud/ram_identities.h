// The RAM users and roles a snapshot's cloud/ answers describe, with their attached policies and
// those policies' documents parsed. Owns the parsed documents; never reads files.
//
// Answers read (https://www.alibabacloud.com/help/en/ram/developer-reference/ api pages of
// ListPoliciesForUser, ListPoliciesForRole, GetPolicy, GetPolicyVersion):
//   ram-ListPoliciesForUser-<user>.json / -ForRole-<role>.json  Policies.Policy[].PolicyName,
//       PolicyType, AttachDate (the answer does not name the user: the file name's id does, else
//       ram-GetUser.json User.UserName, else sts-GetCallerIdentity.json Arn ...:user/<name>)
//   ram-GetPolicy-<name>.json         Policy.PolicyName, DefaultPolicyVersion.PolicyDocument
//                                     (or Policy.PolicyDocument)
//   ram-GetPolicyVersion-<name>.json  PolicyVersion.PolicyDocument, VersionId
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cloud/ram_operations.h"
#include "cloud/ram_policy.h"
#include "model/cluster.h"

namespace ktriage::cloud {

/// One policy attached to an identity, with its document when the snapshot has it.
struct IdentityPolicy {
  std::string name, type, attach_date;
  std::optional<PolicyDocument> document;
  std::string document_file;         ///< where the document came from ("" when none)
  std::string document_path;         ///< its field: ".PolicyVersion.PolicyDocument"
  std::optional<PolicyError> error;  ///< the document was there but could not be read
};

/// A RAM user or role and what is attached to it.
struct RamIdentity {
  IdentityKind kind = IdentityKind::kUser;
  std::string name;  ///< "" when neither the file name nor ram-GetUser names it
  std::string file;  ///< the ListPoliciesFor* answer
  std::vector<IdentityPolicy> policies;

  /// The attached policies as evaluate() takes them (views into this identity).
  std::vector<AttachedPolicy> attached() const;
  /// "RAM user dev-alice", "RAM role ops", "the RAM user (not named in the snapshot)".
  std::string describe() const;
};

/// Every identity with a ListPoliciesForUser / ListPoliciesForRole answer, in reading order.
/// A document that is not valid JSON or not a policy gets `error` and no `document`. O(answers).
std::vector<RamIdentity> ram_identities(const Cluster& cluster);

}  // namespace ktriage::cloud
