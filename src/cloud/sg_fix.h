// The fixes for a flow security groups deny, as `aliyun` CLI commands: the rule to add
// (AuthorizeSecurityGroup / AuthorizeSecurityGroupEgress) or the Drop rule to remove
// (RevokeSecurityGroup / RevokeSecurityGroupEgress). Text only; never runs anything.
#pragma once

#include <string>

#include "cloud/sg_eval.h"

namespace ktriage::cloud {

/// A rule to add to `group`.
struct RuleToAdd {
  Direction direction = Direction::kIngress;
  std::string protocol = "ALL";  ///< "TCP", "UDP", "ICMP", "ALL"
  PortRange ports;               ///< all ports by default
  std::string peer_group;        ///< SourceGroupId / DestGroupId, or
  std::string peer_cidr;         ///< SourceCidrIp / DestCidrIp
  int priority = 1;
  std::string description;  ///< "ktriage: kubelet from the control plane"
};

/// `aliyun ecs AuthorizeSecurityGroup --RegionId R --SecurityGroupId G --IpProtocol P
/// --PortRange a/b --SourceGroupId S --Policy accept --Priority 1 ...` (the Egress call and Dest*
/// for egress). `region` "" prints `<region>`. O(1).
std::string authorize_command(const std::string& region, const std::string& group,
                              const RuleToAdd& rule);

/// `aliyun ecs RevokeSecurityGroup ...` removing `rule` of `group` (by SecurityGroupRuleId.1
/// when the snapshot has it, else by its fields). O(1).
std::string revoke_command(const std::string& region, const std::string& group,
                           const SecurityGroupRule& rule);

/// What to do about a denied `verdict` for `flow` at `groups`: remove the deciding Drop (when an
/// Accept lost to it, or it sits at priority 1 where no Accept can outrank it) or add `wanted`
/// to the first group (`wanted.priority` is raised above a Drop that decided). One paragraph
/// with the command(s). O(1).
std::string fix_for(const std::string& region, const Verdict& verdict,
                    std::span<const SecurityGroup* const> groups, RuleToAdd wanted);

}  // namespace ktriage::cloud
