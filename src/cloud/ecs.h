// Typed views of the ECS answers in a snapshot's cloud/ folder: security groups with their rules
// (DescribeSecurityGroupAttribute, typed by DescribeSecurityGroups) and instances
// (DescribeInstances). Small structs copied out of the Cluster's cloud documents; never reads
// files, never judges a rule (sg_eval.h does).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster.h"

namespace ktriage::cloud {

enum class Direction { kIngress, kEgress };
enum class RulePolicy { kAccept, kDrop };

/// A PortRange "a/b" of a rule; "-1/-1" (and an absent range) means every port.
struct PortRange {
  int from = -1;
  int to = -1;
  bool all() const { return from < 0; }
  bool contains(int port) const { return all() || (port >= from && port <= to); }
  /// "-1/-1", "10250/10250"
  std::string text() const;
};

/// Parses "a/b" with 1 <= a <= b <= 65535 ("-1/-1" and "" all ports; "22" as 22/22); nullopt
/// for anything else ("80-90", "abc", "-1/80", "0/0"). O(text).
std::optional<PortRange> parse_port_range(std::string_view text);

/// One rule of a security group, as DescribeSecurityGroupAttribute lists it.
struct SecurityGroupRule {
  Direction direction = Direction::kIngress;
  RulePolicy policy = RulePolicy::kAccept;
  int priority = 1;      ///< 1 (highest) to 100
  std::string protocol;  ///< upper case: "TCP", "UDP", "ICMP", "GRE", "ALL"
  PortRange ports;
  std::string source_cidr, source_group;  ///< ingress: who may send
  std::string dest_cidr, dest_group;      ///< egress: where to
  std::string rule_id, description;
  std::size_t index = 0;  ///< position in Permissions.Permission, for evidence
  /// "ingress Accept TCP 10250/10250 from sg-x priority 1": the fields as evidence shows them.
  std::string text() const;
};

/// One security group with its rules.
struct SecurityGroup {
  std::string id, name, vpc_id, region, description;
  bool enterprise = false;  ///< SecurityGroupType "enterprise" (default deny both ways)
  bool type_known = false;  ///< whether a SecurityGroupType was in the snapshot
  /// InnerAccessPolicy: basic groups let members talk to each other when "Accept" (the default).
  bool inner_accept = true;
  std::vector<SecurityGroupRule> rules;
  std::string file;  ///< the DescribeSecurityGroupAttribute answer it came from
};

/// An ECS instance, as DescribeInstances lists it.
struct Instance {
  std::string id, name, hostname, status, instance_type, zone, region, vpc_id, vswitch_id;
  std::vector<std::string> security_group_ids;
  std::vector<std::string> private_ips;   ///< VpcAttributes.PrivateIpAddress and ENI primaries
  std::vector<std::string> lock_reasons;  ///< OperationLocks: "financial", "security", ...
  std::string file;
  std::size_t index = 0;  ///< position in Instances.Instance
};

/// Every security group with rules in the snapshot (one per id, the first answer read wins),
/// typed by the DescribeSecurityGroups answers when there are any. An answer whose
/// Permissions.Permission is no array gives no group (its rules are unknown); a rule whose
/// Direction, Policy, Priority (1..100) or PortRange cannot be read is skipped. The loader
/// reports both as input problems (load/cloud_files.h). O(rules).
std::vector<SecurityGroup> security_groups(const Cluster& cluster);

/// Every instance of the DescribeInstances answers, one per id. O(instances).
std::vector<Instance> instances(const Cluster& cluster);

/// The instance id in a Node's spec.providerID: "cn-hangzhou.i-bp1..." (ACK),
/// "alicloud://cn-hangzhou.i-bp1..."; "" for other providers. O(text).
std::string instance_id_from_provider_id(std::string_view provider_id);

/// The region in such a providerID ("cn-hangzhou"); "" when it names none. O(text).
std::string region_from_provider_id(std::string_view provider_id);

}  // namespace ktriage::cloud
