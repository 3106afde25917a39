#include "cloud/ecs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <unordered_map>

namespace ktriage::cloud {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return upper(a) == upper(b); }

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Strings of a CLI list: {"Key": ["a", "b"]} or a bare array.
std::vector<std::string> strings_of(const Value& v, std::string_view key) {
  std::vector<std::string> out;
  const Value& list = v.is_array() ? v : v[key];
  for (const Value& s : list.items()) {
    if (!s.str().empty()) out.emplace_back(s.str());
  }
  return out;
}

// A rule whose Direction, Policy, Priority or PortRange cannot be read is skipped (the loader
// reports it with its position: load/cloud_files.cpp checks the same shapes), never defaulted:
// an unreadable range read as "all ports" would make a Drop block everything.
std::optional<SecurityGroupRule> parse_rule(const Value& p, std::size_t index) {
  if (!p.is_object()) return std::nullopt;
  SecurityGroupRule r;
  r.index = index;
  const std::string_view direction = p["Direction"].str();
  if (iequals(direction, "egress")) {
    r.direction = Direction::kEgress;
  } else if (!iequals(direction, "ingress")) {
    return std::nullopt;
  }
  const Value& policy = p["Policy"];
  if (iequals(policy.str(), "drop")) {
    r.policy = RulePolicy::kDrop;
  } else if (!policy.is_null() && !policy.str().empty() && !iequals(policy.str(), "accept")) {
    return std::nullopt;  // absent: the API's default, accept
  }
  // The CLI writes Priority as a string ("1"); a number is accepted too; absent is 1.
  const Value& priority = p["Priority"];
  if (!priority.is_null()) {
    if (!priority.is_number() && !priority.is_string()) return std::nullopt;
    const std::int64_t v = priority.as_int(0);
    if (v < 1 || v > 100) return std::nullopt;
    r.priority = static_cast<int>(v);
  }
  r.protocol = upper(p["IpProtocol"].str());
  if (r.protocol.empty()) r.protocol = "ALL";
  const Value& range = p["PortRange"];
  if (!range.is_null() && !range.is_string()) return std::nullopt;
  auto ports = parse_port_range(range.str());
  if (!ports) return std::nullopt;
  r.ports = *ports;
  r.source_cidr = std::string(p["SourceCidrIp"].str());
  r.source_group = std::string(p["SourceGroupId"].str());
  r.dest_cidr = std::string(p["DestCidrIp"].str());
  r.dest_group = std::string(p["DestGroupId"].str());
  r.rule_id = std::string(p["SecurityGroupRuleId"].str());
  r.description = std::string(p["Description"].str());
  return r;
}

// nullopt when the answer's Permissions.Permission is no array: its rules are unknown, so the
// group is as if not in the snapshot (rather than a group with no rules, which denies all).
std::optional<SecurityGroup> parse_group(const CloudDocument& doc) {
  const Value& r = doc.root;
  if (!r.is_object() || !r["Permissions"]["Permission"].is_array()) return std::nullopt;
  SecurityGroup g;
  g.id = std::string(r["SecurityGroupId"].str());
  if (g.id.empty()) g.id = doc.id;
  g.name = std::string(r["SecurityGroupName"].str());
  g.vpc_id = std::string(r["VpcId"].str());
  g.region = std::string(r["RegionId"].str());
  g.description = std::string(r["Description"].str());
  g.inner_accept = !iequals(r["InnerAccessPolicy"].str(), "drop");
  if (std::string_view type = r["SecurityGroupType"].str(); !type.empty()) {
    g.type_known = true;
    g.enterprise = iequals(type, "enterprise");
  }
  g.file = doc.file;
  const auto perms = r["Permissions"]["Permission"].items();
  for (std::size_t i = 0; i < perms.size(); ++i) {
    if (auto rule = parse_rule(perms[i], i)) g.rules.push_back(std::move(*rule));
  }
  return g;
}

}  // namespace

std::string PortRange::text() const { return all() ? "-1/-1" : fmt::format("{}/{}", from, to); }

std::optional<PortRange> parse_port_range(std::string_view text) {
  if (text.empty() || text == "-1/-1") return PortRange{};
  const std::size_t slash = text.find('/');
  auto a = parse_int(text.substr(0, slash));
  auto b = slash == std::string_view::npos ? a : parse_int(text.substr(slash + 1));
  if (!a || !b) return std::nullopt;
  if (*a < 1 || *b > 65535 || *a > *b) return std::nullopt;  // "-1/80", "0/0", "90/80"
  return PortRange{*a, *b};
}

std::string SecurityGroupRule::text() const {
  const bool in = direction == Direction::kIngress;
  std::string peer = in ? (!source_group.empty() ? source_group : source_cidr)
                        : (!dest_group.empty() ? dest_group : dest_cidr);
  if (peer.empty()) peer = "(any)";
  return fmt::format("{} {} {} {} {} {} priority {}", in ? "ingress" : "egress",
                     policy == RulePolicy::kAccept ? "Accept" : "Drop", protocol, ports.text(),
                     in ? "from" : "to", peer, priority);
}

std::vector<SecurityGroup> security_groups(const Cluster& cluster) {
  // SecurityGroupType from the DescribeSecurityGroups answers, by id.
  std::unordered_map<std::string, std::string> types;
  for (const CloudDocument* d : cluster.cloud_documents("ecs", "DescribeSecurityGroups")) {
    for (const Value& g : d->root["SecurityGroups"]["SecurityGroup"].items()) {
      std::string_view type = g["SecurityGroupType"].str();
      if (!type.empty()) types.emplace(std::string(g["SecurityGroupId"].str()), std::string(type));
    }
  }
  std::vector<SecurityGroup> out;
  std::set<std::string> seen;
  for (const CloudDocument* d : cluster.cloud_documents("ecs", "DescribeSecurityGroupAttribute")) {
    std::optional<SecurityGroup> parsed = parse_group(*d);
    if (!parsed) continue;
    SecurityGroup& g = *parsed;
    if (g.id.empty() || !seen.insert(g.id).second) continue;
    if (auto it = types.find(g.id); it != types.end() && !g.type_known) {
      g.type_known = true;
      g.enterprise = iequals(it->second, "enterprise");
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<Instance> instances(const Cluster& cluster) {
  std::vector<Instance> out;
  std::set<std::string> seen;
  for (const CloudDocument* d : cluster.cloud_documents("ecs", "DescribeInstances")) {
    const auto list = d->root["Instances"]["Instance"].items();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Value& v = list[i];
      Instance in;
      in.id = std::string(v["InstanceId"].str());
      if (in.id.empty() || !seen.insert(in.id).second) continue;
      in.name = std::string(v["InstanceName"].str());
      in.hostname = std::string(v["HostName"].str());
      in.status = std::string(v["Status"].str());
      in.instance_type = std::string(v["InstanceType"].str());
      in.zone = std::string(v["ZoneId"].str());
      in.region = std::string(v["RegionId"].str());
      in.vpc_id = std::string(v["VpcAttributes"]["VpcId"].str());
      in.vswitch_id = std::string(v["VpcAttributes"]["VSwitchId"].str());
      // A SecurityGroupIds that is no {"SecurityGroupId": [...]} (or bare list) leaves the
      // groups unknown (the loader reports it); never a guess.
      in.security_group_ids = strings_of(v["SecurityGroupIds"], "SecurityGroupId");
      in.private_ips = strings_of(v["VpcAttributes"]["PrivateIpAddress"], "IpAddress");
      for (const Value& eni : v["NetworkInterfaces"]["NetworkInterface"].items()) {
        std::string ip(eni["PrimaryIpAddress"].str());
        if (!ip.empty() &&
            std::find(in.private_ips.begin(), in.private_ips.end(), ip) == in.private_ips.end()) {
          in.private_ips.push_back(std::move(ip));
        }
      }
      for (const Value& lock : v["OperationLocks"]["LockReason"].items()) {
        if (!lock["LockReason"].str().empty())
          in.lock_reasons.emplace_back(lock["LockReason"].str());
      }
      in.file = d->file;
      in.index = i;
      out.push_back(std::move(in));
    }
  }
  return out;
}

std::string instance_id_from_provider_id(std::string_view provider_id) {
  if (auto scheme = provider_id.find("://"); scheme != std::string_view::npos) {
    provider_id.remove_prefix(scheme + 3);
  }
  const std::size_t dot = provider_id.rfind('.');
  std::string_view id = dot == std::string_view::npos ? provider_id : provider_id.substr(dot + 1);
  return id.starts_with("i-") ? std::string(id) : std::string();
}

std::string region_from_provider_id(std::string_view provider_id) {
  if (auto scheme = provider_id.find("://"); scheme != std::string_view::npos) {
    provider_id.remove_prefix(scheme + 3);
  }
  const std::size_t dot = provider_id.rfind('.');
  if (dot == std::string_view::npos || instance_id_from_provider_id(provider_id).empty()) return {};
  return std::string(provider_id.substr(0, dot));
}

}  // namespace ktriage::cloud
