// The cloud side of one snapshot in one place: the typed answers (security groups, instances,
// vSwitches, cluster detail) indexed by id, and which ECS instance each Node is. Built once from
// a Cluster by the cloud analyzers and netcheck; owns copies, so it outlives nothing but itself.
// Never reads files; never judges anything (sg_eval.h does).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cloud/cs.h"
#include "cloud/ecs.h"
#include "cloud/vpc.h"
#include "model/cluster.h"

namespace ktriage::cloud {

/// A Node and the ECS instance behind it.
struct NodeInstance {
  const Object* node = nullptr;
  const Instance* instance = nullptr;  ///< nullptr when DescribeInstances does not list it
  std::string instance_id;             ///< from spec.providerID; "" when it names none
  std::string internal_ip;             ///< status.addresses InternalIP
};

class CloudView {
 public:
  /// Reads every cloud answer of `cluster` and maps its Nodes to instances (by spec.providerID,
  /// else by InternalIP among the instances' private addresses). O(answers + nodes).
  explicit CloudView(const Cluster& cluster);
  CloudView(const CloudView&) = delete;
  CloudView& operator=(const CloudView&) = delete;

  /// Whether the snapshot has any cloud answer at all. O(1).
  bool has_cloud_data() const { return has_data_; }
  /// The answers the snapshot holds but could not use (Cluster::unreadable_cloud_answers). O(1).
  std::span<const UnreadableCloudAnswer> unreadable() const { return unreadable_; }
  /// The unusable answer to one call: the one whose id is `id`, else (a file named without one)
  /// one with no id, which may have been it; with `id` empty, the first to the call. nullptr when
  /// none. O(unusable answers).
  const UnreadableCloudAnswer* unreadable(std::string_view product, std::string_view action,
                                          std::string_view id = {}) const;
  std::span<const SecurityGroup> groups() const { return groups_; }
  std::span<const Instance> instances() const { return instances_; }
  std::span<const VSwitch> vswitches() const { return vswitches_; }
  const std::optional<ClusterDetail>& detail() const { return detail_; }
  NetworkPlugin plugin() const { return plugin_; }
  /// The region of the cluster: DescribeClusterDetail, else an instance's, else a providerID's.
  const std::string& region() const { return region_; }

  /// One group / instance / vSwitch by id; nullptr when the snapshot lacks it. O(1) average.
  const SecurityGroup* group(std::string_view id) const;
  const Instance* instance(std::string_view id) const;
  const VSwitch* vswitch(std::string_view id) const;
  /// The instance with private address `ip`. O(1) average.
  const Instance* instance_by_ip(std::string_view ip) const;

  /// Terway's pod ENI security groups and pod vSwitches, from the `eni_conf` of ConfigMap
  /// kube-system/eni-config (`security_group(s)`, `vswitches`); empty without one. O(1).
  const std::vector<std::string>& terway_security_groups() const { return terway_groups_; }
  const std::vector<std::string>& terway_vswitches() const { return terway_vswitches_; }

  /// Every Node with its instance, in the Cluster's order. O(1).
  std::span<const NodeInstance> nodes() const { return nodes_; }
  /// The entry of a Node by name or by InternalIP / instance address; nullptr when none. O(1)
  /// average.
  const NodeInstance* node(std::string_view name_or_ip) const;

  /// The groups of `in` whose rules the snapshot holds, in the instance's order; the ids of
  /// the others go to `missing` when given. O(groups of the instance).
  std::vector<const SecurityGroup*> groups_of(const Instance& in,
                                              std::vector<std::string>* missing = nullptr) const;

 private:
  bool has_data_ = false;
  std::span<const UnreadableCloudAnswer> unreadable_;
  std::vector<SecurityGroup> groups_;
  std::vector<Instance> instances_;
  std::vector<VSwitch> vswitches_;
  std::optional<ClusterDetail> detail_;
  NetworkPlugin plugin_ = NetworkPlugin::kUnknown;
  std::string region_;
  std::vector<NodeInstance> nodes_;
  std::vector<std::string> terway_groups_, terway_vswitches_;
  std::unordered_map<std::string, std::size_t> group_by_id_, instance_by_id_, vswitch_by_id_,
      instance_by_ip_, node_by_key_;
};

/// The InternalIP of a Node's status.addresses, "" when it has none. O(addresses).
std::string_view internal_ip(const Object& node);

}  // namespace ktriage::cloud
