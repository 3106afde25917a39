// The security-group hop between two cluster endpoints, for `ktriage netcheck` and the cloud
// analyzers: egress at the source's security groups, then ingress at the destination's, each
// with the rule that decides, its file and JSON path, and the fix when the flow is denied.
// Reads only the Cluster (its cloud answers and Nodes/Pods); never files or the network.
//
// Netcheck integration: build one SecurityGroupPaths per Cluster (O(answers + nodes + pods)),
// then call hop() for each pair it checks (O(rules of both ends)):
//
//   cloud::SecurityGroupPaths paths(cluster);
//   cloud::SecurityGroupHop h = paths.hop("node-a", "10.0.2.15", "TCP", 8080);
//   if (h.status == cloud::HopStatus::kDenied) { /* h.summary, h.ingress->file, h.fix */ }
//
// `from` and `to` are Node names, Node or ECS private addresses, or Pod IPs (a Pod is judged by
// its Node's groups, or with Terway by the eni-config groups, with the Pod IP as its address; a
// Flannel pod address is no group member, so only CIDR rules such as the pod CIDR admit it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cloud/sg_eval.h"
#include "cloud/view.h"

namespace ktriage::cloud {

enum class HopStatus {
  kAllowed,  ///< both sides let the flow through
  kDenied,   ///< one side (see egress/ingress) drops it
  kUnknown,  ///< the snapshot lacks what is needed: `unknown_reason` says what
};

/// One side of the hop, owning copies (valid after the SecurityGroupPaths is gone).
struct HopSide {
  bool allowed = false;
  Basis basis = Basis::kDefault;
  std::string instance;                     ///< the ECS instance whose groups judged it
  std::vector<std::string> groups;          ///< the groups evaluated (with rules in the snapshot)
  std::vector<std::string> missing_groups;  ///< groups of the instance without rules in it
  std::string group;                        ///< the deciding group ("" for a default verdict)
  std::string rule;           ///< the deciding rule's fields (SecurityGroupRule::text)
  std::string shadowed_rule;  ///< an Accept that lost to the deciding Drop, else ""
  std::string file;           ///< DescribeSecurityGroupAttribute answer of `group`
  std::string path;           ///< ".Permissions.Permission[3]" in `file`
  std::string explain;        ///< Verdict::explain
};

/// The verdict for one flow between two endpoints.
struct SecurityGroupHop {
  HopStatus status = HopStatus::kUnknown;
  std::string flow;                ///< "TCP 8080 from 10.0.1.10 (node-a) to 10.0.2.15 (node-b)"
  std::optional<HopSide> egress;   ///< at the source's groups
  std::optional<HopSide> ingress;  ///< at the destination's groups
  std::string summary;             ///< one line: the deciding side and rule
  std::string unknown_reason;      ///< kUnknown only
  /// kUnknown because cloud answers the hop needs are missing or unreadable (no cloud/ folder,
  /// no instance for a Node, no rules for its groups), not because of the endpoints (no such
  /// address, IPv6): collecting or fixing cloud/ would decide it.
  bool cloud_data_missing = false;
  /// The unreadable answer named in `unknown_reason` ("snap/cloud/ecs-...json"), else "".
  std::string unreadable_file;
  /// For unreadable_file: what to do, as the start of a fix (UnreadableCloudAnswer::repair()).
  std::string unreadable_repair;
  std::string fix;  ///< kDenied only: the aliyun command(s)
};

/// Security-group hops between endpoints of one Cluster.
class SecurityGroupPaths {
 public:
  /// Indexes `cluster`, which must outlive this (Node and Pod views point into it).
  /// O(answers + nodes + pods).
  explicit SecurityGroupPaths(const Cluster& cluster);

  /// The hop for `protocol` ("TCP", "UDP", "ICMP", "SCTP"; any case) to `port` (ignored for
  /// ICMP) from `from` to `to`. Never throws; kUnknown when the snapshot has no cloud answers, an
  /// endpoint is no known Node/Pod/instance, an instance or its groups' rules are missing, or an
  /// end is an IPv6 address (Ipv6SourceCidrIp / Ipv6DestCidrIp rules are not evaluated). When
  /// the answer that would have held the instance or the rules is in the snapshot but could not
  /// be read, the reason names that file and its error (file:line:col) instead. SCTP,
  /// which ECS rules cannot name, is admitted only by ALL rules and its fix adds one. Both ends
  /// on one instance: kAllowed (security groups do not see that traffic). A side with some of
  /// its groups missing still gets a verdict, and says which groups were not seen.
  /// O(rules of both ends).
  SecurityGroupHop hop(std::string_view from, std::string_view to, std::string_view protocol,
                       int port) const;

  const CloudView& view() const { return view_; }

 private:
  struct Endpoint;
  /// The endpoint `key`, or nullopt with `unknown` (its unknown_reason, cloud_data_missing,
  /// unreadable_file) saying why.
  std::optional<Endpoint> resolve(std::string_view key, SecurityGroupHop& unknown) const;

  CloudView view_;
  std::unordered_map<std::string, const Object*> pods_by_ip_;
};

/// One-off form of SecurityGroupPaths(cluster).hop(...). O(answers + nodes + pods).
SecurityGroupHop security_group_hop(const Cluster& cluster, std::string_view from,
                                    std::string_view to, std::string_view protocol, int port);

}  // namespace ktriage::cloud
