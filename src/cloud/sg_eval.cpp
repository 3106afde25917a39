#include "cloud/sg_eval.h"

#include <fmt/format.h>

#include <algorithm>

namespace ktriage::cloud {
namespace {

bool has(const std::vector<std::string>& list, std::string_view value) {
  return !value.empty() && std::find(list.begin(), list.end(), value) != list.end();
}

bool protocol_matches(const SecurityGroupRule& r, const Flow& f) {
  if (r.protocol == "ALL") return true;
  // ECS rules name only TCP, UDP, ICMP, ICMPv6, GRE and ALL: any other protocol (SCTP) is
  // matched by an ALL rule alone.
  if (!ecs_rule_protocol(f.protocol)) return false;
  if (r.protocol != f.protocol) return false;
  if (f.protocol == "TCP" || f.protocol == "UDP") return r.ports.contains(f.port);
  return true;  // ICMP, GRE: no ports
}

bool peer_matches(const SecurityGroupRule& r, const Flow& f) {
  const bool in = r.direction == Direction::kIngress;
  const std::string& group = in ? r.source_group : r.dest_group;
  const std::string& cidr = in ? r.source_cidr : r.dest_cidr;
  if (!group.empty()) return has(f.peer_groups, group);
  auto block = parse_cidr(cidr);
  if (!block) return false;  // IPv6 or prefix-list rules never match an IPv4 flow
  if (!f.peer) return block->bits == 0;
  return block->contains(*f.peer);
}

struct Match {
  const SecurityGroup* group;
  const SecurityGroupRule* rule;
};

// Smaller priority first; at equal priority Drop first.
bool before(const Match& a, const Match& b) {
  if (a.rule->priority != b.rule->priority) return a.rule->priority < b.rule->priority;
  return a.rule->policy == RulePolicy::kDrop && b.rule->policy == RulePolicy::kAccept;
}

}  // namespace

Verdict evaluate(std::span<const SecurityGroup* const> groups, const Flow& flow) {
  Verdict v;
  for (const SecurityGroup* g : groups) {
    if (!g->enterprise && g->inner_accept && has(flow.peer_groups, g->id)) {
      v.allowed = true;
      v.basis = Basis::kInnerAccept;
      v.group = g;
      return v;
    }
  }
  std::vector<Match> matches;
  for (const SecurityGroup* g : groups) {
    for (const SecurityGroupRule& r : g->rules) {
      if (r.direction == flow.direction && protocol_matches(r, flow) && peer_matches(r, flow)) {
        matches.push_back({g, &r});
      }
    }
  }
  if (!matches.empty()) {
    // Stable: among equals the first listed decides, so the evidence is deterministic.
    std::stable_sort(matches.begin(), matches.end(), before);
    v.basis = Basis::kRule;
    v.group = matches[0].group;
    v.rule = matches[0].rule;
    v.allowed = v.rule->policy == RulePolicy::kAccept;
    if (!v.allowed) {
      for (const Match& m : matches) {
        if (m.rule->policy == RulePolicy::kAccept) {
          v.shadowed_accept = m.rule;
          v.shadowed_group = m.group;
          break;
        }
      }
    }
    return v;
  }
  const bool enterprise =
      !groups.empty() && std::all_of(groups.begin(), groups.end(),
                                     [](const SecurityGroup* g) { return g->enterprise; });
  v.basis = Basis::kDefault;
  v.enterprise_default = enterprise;
  v.group = groups.empty() ? nullptr : groups[0];
  v.allowed = flow.direction == Direction::kEgress && !enterprise;
  return v;
}

bool ecs_rule_protocol(std::string_view protocol) noexcept {
  return protocol == "TCP" || protocol == "UDP" || protocol == "ICMP" || protocol == "ICMPV6" ||
         protocol == "GRE" || protocol == "ALL";
}

std::string describe(const Flow& flow) {
  if (flow.protocol == "TCP" || flow.protocol == "UDP" ||
      (flow.protocol == "SCTP" && flow.port >= 0)) {
    return fmt::format("{} {}", flow.protocol, flow.port);
  }
  return flow.protocol;
}

std::string Verdict::explain(std::span<const SecurityGroup* const> groups) const {
  switch (basis) {
    case Basis::kInnerAccept:
      return fmt::format(
          "allowed: both ends are in {}, a basic group whose members may talk "
          "(InnerAccessPolicy Accept)",
          group->id);
    case Basis::kRule:
      if (shadowed_accept != nullptr) {
        return fmt::format("denied by {} rule {}, which decides before {} rule {}", group->id,
                           rule->text(), shadowed_group->id, shadowed_accept->text());
      }
      return fmt::format("{} by {} rule {}", allowed ? "allowed" : "denied", group->id,
                         rule->text());
    case Basis::kDefault:
      break;
  }
  std::string ids;
  for (const SecurityGroup* g : groups) ids += (ids.empty() ? "" : ", ") + g->id;
  if (ids.empty()) ids = "(no security group)";
  if (allowed)
    return fmt::format("allowed: no rule of {} matches (basic groups allow outbound)", ids);
  return fmt::format("denied: no rule of {} matches ({}default deny)", ids,
                     enterprise_default ? "enterprise groups: " : "");
}

}  // namespace ktriage::cloud
