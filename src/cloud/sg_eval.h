// The security-group evaluator: whether the security groups of one ECS network interface let
// one flow through, and which rule decides, with ECS's exact semantics. A pure function of its
// arguments; never reads the Cluster, files or anything else.
//
// ECS semantics, as the ECS rule reference and the API references of AuthorizeSecurityGroup and
// ModifySecurityGroupPolicy state them:
// - the rules of every group of the interface are pooled; a rule matches on direction,
//   protocol (ALL matches any), port range ("-1/-1" any; ports are not checked for ICMP, GRE,
//   ALL) and peer (SourceCidrIp / SourceGroupId on ingress, DestCidrIp / DestGroupId on egress);
// - the matching rule of the smallest Priority (1 is the highest) decides; at equal priority a
//   Drop beats an Accept;
// - a basic group whose InnerAccessPolicy is Accept lets its members reach each other whatever
//   its rules say (the inner policy takes precedence over user rules); with Drop, rules decide;
// - with no matching rule: ingress is denied; egress is allowed for basic groups and denied for
//   enterprise groups (which also never let members talk implicitly).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/cidr.h"
#include "cloud/ecs.h"

namespace ktriage::cloud {

/// One flow as the groups of one interface see it: ingress at the destination's groups, egress
/// at the source's.
struct Flow {
  Direction direction = Direction::kIngress;
  std::string protocol = "TCP";  ///< "TCP", "UDP", "ICMP", "GRE", "SCTP" (only ALL rules match)
  int port = -1;                 ///< destination port; ignored for ICMP and GRE
  /// The other end's addresses (source on ingress, destination on egress): one address as a /32
  /// or a whole range ("every pod of 172.20.0.0/16"). A CIDR rule matches only when its block
  /// holds all of it; unset means "unknown address", which only 0.0.0.0/0 rules match.
  std::optional<Cidr> peer;
  /// The other end's security groups (for SourceGroupId / DestGroupId rules and the inner
  /// policy); empty for addresses outside ECS (the SLB range, the control plane's).
  std::vector<std::string> peer_groups;
};

/// What decided a verdict.
enum class Basis {
  kRule,         ///< `rule` of `group` matched first
  kInnerAccept,  ///< both ends are members of `group`, a basic group with InnerAccessPolicy Accept
  kDefault,      ///< no rule matched: the group type's default (see above)
};

/// The outcome for one flow.
struct Verdict {
  bool allowed = false;
  Basis basis = Basis::kDefault;
  const SecurityGroup* group = nullptr;     ///< of the deciding rule or inner policy
  const SecurityGroupRule* rule = nullptr;  ///< kRule only
  /// When a Drop decided: the best Accept that also matched and lost to it (a conflict: the
  /// Accept was meant to let the flow in), and its group; else nullptr.
  const SecurityGroupRule* shadowed_accept = nullptr;
  const SecurityGroup* shadowed_group = nullptr;
  bool enterprise_default = false;  ///< kDefault in enterprise groups (default deny both ways)

  /// One line: "allowed by sg-x rule ingress Accept ALL -1/-1 from sg-x priority 1",
  /// "denied: no rule of sg-x, sg-y matches (default deny)", ...
  std::string explain(std::span<const SecurityGroup* const> groups) const;
};

/// Evaluates `flow` against `groups` (those of the interface the flow enters or leaves; the
/// pointers and the groups must outlive the Verdict, which points into them). With no group
/// the flow is judged as by an empty basic group. O(rules of the groups).
Verdict evaluate(std::span<const SecurityGroup* const> groups, const Flow& flow);

/// Whether an ECS rule can name `protocol` (upper case) as its IpProtocol: TCP, UDP, ICMP,
/// ICMPV6, GRE, ALL. Any other (SCTP) is matched only by ALL rules, and a fix must add an ALL
/// rule. O(1).
bool ecs_rule_protocol(std::string_view protocol) noexcept;

/// The flow's protocol and port as a rule would be written: "TCP 10250", "ICMP", "UDP 53",
/// "SCTP 9000".
std::string describe(const Flow& flow);

}  // namespace ktriage::cloud
