// RAM policy documents: parsing the JSON policy language and deciding whether a set of attached
// policies lets an identity call one action on one resource. Owns only the typed document; never
// reads files and never sees the Cluster (the analyzers hand it the PolicyDocument strings).
//
// Language facts (https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax
// and .../policy-elements): Version "1"; Statement is a list of {Effect: Allow|Deny, Action or
// NotAction, Resource or NotResource, optional Condition}; Action and Resource are a string or a
// list of strings with `*` wildcards; action names are case-insensitive; an explicit Deny
// overrides any Allow and an action no statement allows is denied (implicit deny).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace ktriage::cloud {

/// One statement of a policy, as written.
struct PolicyStatement {
  bool allow = false;                  ///< Effect: Allow (true) or Deny (false)
  bool not_action = false;             ///< the patterns came from NotAction
  std::vector<std::string> actions;    ///< Action or NotAction patterns ("cs:*", "ecs:Describe*")
  bool not_resource = false;           ///< the patterns came from NotResource
  std::vector<std::string> resources;  ///< Resource or NotResource patterns; empty = any resource
  std::string condition;               ///< the Condition block as compact JSON, "" when none
};

/// A parsed policy document.
struct PolicyDocument {
  std::string version;  ///< "1" for every document RAM accepts today
  std::vector<PolicyStatement> statements;
};

/// Why a document could not be read: `where` is a JSON path in the document ("Statement[1].Effect",
/// "" for a syntax error) and `message` says what is wrong, in words fit for a report.
struct PolicyError {
  std::string where;
  std::string message;
};

/// Parses a policy document (the PolicyDocument string of GetPolicy / GetPolicyVersion, itself
/// JSON). Errors: malformed JSON (simdjson's words), a root that is not an object, no Statement,
/// an Effect other than Allow/Deny (case as RAM writes it, compared case-insensitively), Action
/// and NotAction both or neither present, an Action that is not a string or list of strings.
/// O(size of the document).
[[nodiscard]] Expected<PolicyDocument, PolicyError> parse_policy_document(std::string_view json);

/// `*` wildcard match of `pattern` against `text` (`*` spans any run of characters, `?` none:
/// RAM documents only `*`). `text` may itself hold `*`: it then stands for itself, so a required
/// pattern "ram:List*" is covered by "ram:*" and by "ram:List*" but not by "ram:ListUsers".
/// O(|pattern| * |text|) worst case.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) noexcept;

/// An attached policy with its document, as the evaluation needs it. `document` may be null when
/// the snapshot has no GetPolicy / GetPolicyVersion answer for it (the policy is then unknown).
struct AttachedPolicy {
  std::string name;  ///< PolicyName
  std::string type;  ///< PolicyType: "System" or "Custom"
  const PolicyDocument* document = nullptr;
};

/// Where a statement sits: the policy's name and the statement's index.
struct StatementRef {
  std::string policy;
  std::size_t statement = 0;
};

/// The outcome for one action on one resource.
enum class Decision {
  kAllowed,  ///< an Allow statement without Condition covers it and no Deny does
  /// as kAllowed by the known documents, but some attached documents are missing and may hold
  /// an explicit Deny (Evaluation::missing_documents names them)
  kAllowedUnlessDenied,
  kExplicitDeny,  ///< a Deny statement without Condition covers it (overrides every Allow)
  kImplicitDeny,  ///< no statement of the known documents allows it
  kConditional,   ///< only statements with a Condition decide: depends on the request context
  kUnknown,       ///< not allowed by the known documents, but some attached documents are missing
};

/// What decided, for evidence. `scoped` lists Allow statements whose Action covers the action but
/// whose Resource does not cover the resource asked about (allowed elsewhere only).
struct Evaluation {
  Decision decision = Decision::kImplicitDeny;
  std::vector<StatementRef> allows;
  std::vector<StatementRef> denies;
  std::vector<StatementRef> conditional;  ///< matching statements that carry a Condition
  std::vector<StatementRef> scoped;
  std::vector<std::string> missing_documents;  ///< attached policies without a document
};

/// Evaluates `action` ("cs:CreateCluster", or a pattern such as "ram:List*" that an Allow must
/// cover whole and a Deny need only overlap: denying one action inside it denies the pattern) on
/// `resource` ("*" = every resource, or an ARN "acs:cs:*:*:cluster/c123") against all
/// `policies`. Never fails; O(total patterns * pattern length).
Evaluation evaluate(std::span<const AttachedPolicy> policies, std::string_view action,
                    std::string_view resource);

/// "allowed", "allowed unless a policy whose document is missing denies it", "explicitly
/// denied", "not allowed (implicit deny)", "unknown — depends on the request context
/// (Condition)", "unknown — ... documents missing".
std::string_view to_string(Decision d) noexcept;

}  // namespace ktriage::cloud
