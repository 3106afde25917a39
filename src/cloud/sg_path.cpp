#include "cloud/sg_path.h"

#include <fmt/format.h>

#include <cctype>

#include "cloud/sg_fix.h"

namespace ktriage::cloud {

struct SecurityGroupPaths::Endpoint {
  std::string label;    ///< "10.0.1.10 (node-a)"
  std::string address;  ///< the IP packets carry
  const Instance* instance = nullptr;
  std::vector<const SecurityGroup*> groups;
  std::vector<std::string> group_ids;  ///< every group id, also those without rules
  std::vector<std::string> missing;
  /// The groups the address is a member of, as the other side's group rules see it: an
  /// instance's, a Terway pod's ENI groups; none for a Flannel pod address.
  std::vector<std::string> member_of;
  std::string rule_cidr;  ///< the block a rule admitting this endpoint names
};

namespace {

HopSide make_side(const Verdict& v, const Instance& in,
                  std::span<const SecurityGroup* const> groups,
                  const std::vector<std::string>& missing) {
  HopSide s;
  s.allowed = v.allowed;
  s.basis = v.basis;
  s.instance = in.id;
  for (const SecurityGroup* g : groups) s.groups.push_back(g->id);
  s.missing_groups = missing;
  if (v.group != nullptr && v.basis != Basis::kDefault) {
    s.group = v.group->id;
    s.file = v.group->file;
  }
  if (v.rule != nullptr) {
    s.rule = v.rule->text();
    s.path = fmt::format(".Permissions.Permission[{}]", v.rule->index);
  }
  if (v.shadowed_accept != nullptr) s.shadowed_rule = v.shadowed_accept->text();
  s.explain = v.explain(groups);
  if (!missing.empty()) {
    std::string ids;
    for (const std::string& m : missing) ids += (ids.empty() ? "" : ", ") + m;
    s.explain += fmt::format(" (the rules of {} are not in the snapshot)", ids);
  }
  return s;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

SecurityGroupPaths::SecurityGroupPaths(const Cluster& cluster) : view_(cluster) {
  for (const Object* pod : cluster.of_kind("Pod")) {
    if (pod->spec()["hostNetwork"].as_bool()) continue;  // its IP is the node's
    for (const Value& ip : pod->status()["podIPs"].items()) {
      if (!ip["ip"].str().empty()) pods_by_ip_.emplace(std::string(ip["ip"].str()), pod);
    }
    if (!pod->status()["podIP"].str().empty()) {
      pods_by_ip_.emplace(std::string(pod->status()["podIP"].str()), pod);
    }
  }
}

std::optional<SecurityGroupPaths::Endpoint> SecurityGroupPaths::resolve(
    std::string_view key, SecurityGroupHop& unknown) const {
  std::string* why = &unknown.unknown_reason;
  Endpoint e;
  const NodeInstance* node = view_.node(key);
  bool terway_pod = false;
  bool pod = false;
  const bool terway = view_.plugin() == NetworkPlugin::kTerway;
  if (node != nullptr) {
    e.address = key == node->node->name ? node->internal_ip : std::string(key);
    e.label = fmt::format("{} ({})", e.address, node->node->name);
  } else if (auto it = pods_by_ip_.find(std::string(key)); it != pods_by_ip_.end()) {
    const Object& p = *it->second;
    node = view_.node(p.spec()["nodeName"].str());
    e.address = std::string(key);
    e.label = fmt::format("{} (pod {}/{})", key, p.ns, p.name);
    pod = true;
    terway_pod = terway && !view_.terway_security_groups().empty();
    if (node == nullptr) {
      *why = fmt::format("pod {}/{} ({}) is on no Node of the snapshot", p.ns, p.name, key);
      return std::nullopt;
    }
  } else if (const Instance* in = view_.instance_by_ip(key)) {
    e.address = std::string(key);
    e.label = fmt::format("{} ({})", key, in->id);
    e.instance = in;
  } else {
    *why = fmt::format(
        "{} is no Node, Node address, Pod IP or ECS instance address of the snapshot", key);
    return std::nullopt;
  }
  if (e.instance == nullptr) e.instance = node->instance;
  if (e.instance == nullptr) {
    unknown.cloud_data_missing = true;
    const std::string named = node->instance_id.empty()
                                  ? " (and no providerID naming one)"
                                  : " (providerID names " + node->instance_id + ")";
    // An answer that is there but could not be read is the reason, not a missing instance.
    if (const UnreadableCloudAnswer* u = view_.unreadable("ecs", "DescribeInstances")) {
      *why = fmt::format(
          "node {}'s ECS instance{} is unknown: the ecs DescribeInstances answer {} was "
          "skipped as unreadable",
          node->node->name, node->instance_id.empty() ? "" : " " + node->instance_id, u->text());
      unknown.unreadable_file = u->file;
      unknown.unreadable_repair = u->repair();
      return std::nullopt;
    }
    *why =
        fmt::format("node {} has no ECS instance in the snapshot's ecs DescribeInstances answer{}",
                    node->node->name, named);
    return std::nullopt;
  }
  e.group_ids = terway_pod ? view_.terway_security_groups() : e.instance->security_group_ids;
  e.rule_cidr = e.address + "/32";
  if (!pod || terway) {
    e.member_of = e.group_ids;
  } else if (view_.detail() && !view_.detail()->pod_cidr.empty()) {
    e.rule_cidr = view_.detail()->pod_cidr;  // Flannel: pod addresses need the pod CIDR rule
  } else if (node != nullptr && !node->node->spec()["podCIDR"].str().empty()) {
    e.rule_cidr = std::string(node->node->spec()["podCIDR"].str());
  }
  for (const std::string& id : e.group_ids) {
    if (const SecurityGroup* g = view_.group(id)) {
      e.groups.push_back(g);
    } else {
      e.missing.push_back(id);
    }
  }
  if (e.groups.empty()) {
    unknown.cloud_data_missing = true;
    std::string ids, skipped;
    for (const std::string& m : e.missing) {
      ids += (ids.empty() ? "" : ", ") + m;
      // A group whose answer is there but unreadable: name the file and its error.
      if (const UnreadableCloudAnswer* u =
              view_.unreadable("ecs", "DescribeSecurityGroupAttribute", m)) {
        skipped += fmt::format("{}{} in {}", skipped.empty() ? "" : "; ", m, u->text());
        if (unknown.unreadable_file.empty()) {
          unknown.unreadable_file = u->file;
          unknown.unreadable_repair = u->repair();
        }
      }
    }
    if (!skipped.empty()) {
      *why = fmt::format(
          "the rules of {}'s security groups ({}) are unknown: their "
          "ecs DescribeSecurityGroupAttribute answer was skipped as unreadable: {}",
          e.label, ids, skipped);
      return std::nullopt;
    }
    *why = fmt::format(
        "the rules of {}'s security groups ({}) are not in the snapshot: add "
        "cloud/ecs-DescribeSecurityGroupAttribute-<id>.json",
        e.label, ids.empty() ? "none listed" : ids);
    return std::nullopt;
  }
  return e;
}

SecurityGroupHop SecurityGroupPaths::hop(std::string_view from, std::string_view to,
                                         std::string_view protocol, int port) const {
  SecurityGroupHop h;
  Flow flow;
  flow.protocol = upper(protocol);
  flow.port = port;
  h.flow = fmt::format("{} from {} to {}", describe(flow), from, to);
  if (!view_.has_cloud_data()) {
    h.cloud_data_missing = true;
    if (!view_.unreadable().empty()) {
      const UnreadableCloudAnswer& u = view_.unreadable().front();
      h.unknown_reason = fmt::format(
          "no cloud/ answer of the snapshot could be read: {}{}", u.text(),
          view_.unreadable().size() > 1 ? fmt::format(" and {} more", view_.unreadable().size() - 1)
                                        : std::string());
      h.unreadable_file = u.file;
      h.unreadable_repair = u.repair();
      return h;
    }
    h.unknown_reason =
        "the snapshot has no cloud/ answers (ktriage collect --cloud, docs/cloud.md)";
    return h;
  }
  auto src = resolve(from, h);
  auto dst = src ? resolve(to, h) : std::nullopt;
  if (!src || !dst) return h;
  h.flow = fmt::format("{} from {} to {}", describe(flow), src->label, dst->label);
  // The rules read here are the IPv4 ones (SourceCidrIp / DestCidrIp): an IPv6 flow is judged by
  // Ipv6SourceCidrIp / Ipv6DestCidrIp rules, which are not evaluated. Never let an IPv4 rule
  // such as 0.0.0.0/0 decide it.
  if (src->address.find(':') != std::string::npos || dst->address.find(':') != std::string::npos) {
    h.unknown_reason = fmt::format(
        "{} is an IPv6 flow: IPv6 rules (Ipv6SourceCidrIp / Ipv6DestCidrIp) are not evaluated",
        describe(flow));
    return h;
  }
  if (src->instance == dst->instance && src->group_ids == dst->group_ids) {
    h.status = HopStatus::kAllowed;
    h.summary = "both ends are on instance " + src->instance->id +
                ": security groups do not filter traffic inside one instance";
    return h;
  }
  Flow out = flow;
  out.direction = Direction::kEgress;
  out.peer = parse_cidr(dst->address);
  out.peer_groups = dst->member_of;
  const Verdict ve = evaluate(src->groups, out);
  h.egress = make_side(ve, *src->instance, src->groups, src->missing);
  Flow in = flow;
  in.direction = Direction::kIngress;
  in.peer = parse_cidr(src->address);
  in.peer_groups = src->member_of;
  const Verdict vi = evaluate(dst->groups, in);
  h.ingress = make_side(vi, *dst->instance, dst->groups, dst->missing);
  const std::string& region = view_.region();
  RuleToAdd wanted;
  wanted.protocol = flow.protocol;
  wanted.ports =
      flow.protocol == "TCP" || flow.protocol == "UDP" ? PortRange{port, port} : PortRange{};
  // ECS rules cannot name SCTP (IpProtocol takes TCP, UDP, ICMP, ICMPv6, GRE, ALL): only an ALL
  // rule, which has no ports, admits it.
  const bool all_only = !ecs_rule_protocol(flow.protocol);
  if (all_only) {
    wanted.protocol = "ALL";
    wanted.ports = PortRange{};
  }
  auto why_all = [&](std::string fix) {
    if (!all_only) return fix;
    return fix + fmt::format(
                     " — ECS security-group rules cannot name {} (IpProtocol takes TCP, UDP, "
                     "ICMP, ICMPv6, GRE or ALL), so only an ALL rule with --PortRange -1/-1 "
                     "admits {}: it opens every protocol and port to that peer, keep the peer "
                     "narrow",
                     flow.protocol, describe(flow));
  };
  if (!ve.allowed) {
    h.status = HopStatus::kDenied;
    h.summary = "leaving " + src->label + ": " + h.egress->explain;
    wanted.direction = Direction::kEgress;
    wanted.peer_group = dst->member_of.empty() ? "" : dst->member_of[0];
    wanted.peer_cidr = dst->rule_cidr;
    h.fix = why_all(fix_for(region, ve, src->groups, wanted));
  } else if (!vi.allowed) {
    h.status = HopStatus::kDenied;
    h.summary = "entering " + dst->label + ": " + h.ingress->explain;
    wanted.direction = Direction::kIngress;
    wanted.peer_group = src->member_of.empty() ? "" : src->member_of[0];
    wanted.peer_cidr = src->rule_cidr;
    h.fix = why_all(fix_for(region, vi, dst->groups, wanted));
  } else {
    h.status = HopStatus::kAllowed;
    h.summary = "entering " + dst->label + ": " + h.ingress->explain;
  }
  return h;
}

SecurityGroupHop security_group_hop(const Cluster& cluster, std::string_view from,
                                    std::string_view to, std::string_view protocol, int port) {
  return SecurityGroupPaths(cluster).hop(from, to, protocol, port);
}

}  // namespace ktriage::cloud
