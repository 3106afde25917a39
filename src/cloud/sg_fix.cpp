#include "cloud/sg_fix.h"

#include <fmt/format.h>

namespace ktriage::cloud {
namespace {

std::string region_or_placeholder(const std::string& region) {
  return region.empty() ? "<region>" : region;
}

// Descriptions are quoted for the shell; they never hold a single quote we did not write.
std::string described(const std::string& d) {
  return d.empty() ? "" : fmt::format(" --Description '{}'", d);
}

}  // namespace

std::string authorize_command(const std::string& region, const std::string& group,
                              const RuleToAdd& rule) {
  const bool in = rule.direction == Direction::kIngress;
  const std::string peer =
      !rule.peer_group.empty()
          ? fmt::format("--{}GroupId {}", in ? "Source" : "Dest", rule.peer_group)
          : fmt::format("--{}CidrIp {}", in ? "Source" : "Dest",
                        rule.peer_cidr.empty() ? "0.0.0.0/0" : rule.peer_cidr);
  return fmt::format(
      "aliyun ecs AuthorizeSecurityGroup{} --RegionId {} --SecurityGroupId {} --IpProtocol {} "
      "--PortRange {} {} --Policy accept --Priority {}{}",
      in ? "" : "Egress", region_or_placeholder(region), group, rule.protocol, rule.ports.text(),
      peer, rule.priority, described(rule.description));
}

std::string revoke_command(const std::string& region, const std::string& group,
                           const SecurityGroupRule& rule) {
  const bool in = rule.direction == Direction::kIngress;
  const std::string call =
      fmt::format("aliyun ecs RevokeSecurityGroup{} --RegionId {} --SecurityGroupId {}",
                  in ? "" : "Egress", region_or_placeholder(region), group);
  if (!rule.rule_id.empty())
    return fmt::format("{} --SecurityGroupRuleId.1 {}", call, rule.rule_id);
  const std::string& g = in ? rule.source_group : rule.dest_group;
  const std::string& c = in ? rule.source_cidr : rule.dest_cidr;
  const std::string peer = !g.empty() ? fmt::format("--{}GroupId {}", in ? "Source" : "Dest", g)
                                      : fmt::format("--{}CidrIp {}", in ? "Source" : "Dest", c);
  return fmt::format("{} --IpProtocol {} --PortRange {} {} --Policy {} --Priority {}", call,
                     rule.protocol, rule.ports.text(), peer,
                     rule.policy == RulePolicy::kDrop ? "drop" : "accept", rule.priority);
}

std::string fix_for(const std::string& region, const Verdict& verdict,
                    std::span<const SecurityGroup* const> groups, RuleToAdd wanted) {
  if (verdict.basis == Basis::kRule && verdict.rule != nullptr &&
      verdict.rule->policy == RulePolicy::kDrop) {
    const std::string revoke = revoke_command(region, verdict.group->id, *verdict.rule);
    if (verdict.shadowed_accept != nullptr || verdict.rule->priority <= 1) {
      return fmt::format(
          "remove or narrow the Drop rule {} of {} (at priority {} no Accept can decide before "
          "it{}): {}",
          verdict.rule->text(), verdict.group->id, verdict.rule->priority,
          verdict.shadowed_accept != nullptr
              ? fmt::format("; the Accept {} of {} is then used", verdict.shadowed_accept->text(),
                            verdict.shadowed_group->id)
              : "",
          revoke);
    }
    wanted.priority = verdict.rule->priority - 1;
    return fmt::format(
        "add an Accept that decides before the Drop rule {} of {} (a smaller priority number): "
        "{}; or remove the Drop: {}",
        verdict.rule->text(), verdict.group->id,
        authorize_command(region, groups.empty() ? verdict.group->id : groups[0]->id, wanted),
        revoke);
  }
  const std::string target = groups.empty() ? "<security-group>" : groups[0]->id;
  return fmt::format(
      "add the rule to {} (console: ECS > Security Groups > {} > Rules > {} > Add "
      "Rule): {}",
      target, target, wanted.direction == Direction::kIngress ? "Inbound" : "Outbound",
      authorize_command(region, target, wanted));
}

}  // namespace ktriage::cloud
