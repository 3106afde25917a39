// Typed view of the Container Service (ACK) answer in a snapshot's cloud/ folder: the cluster
// (DescribeClusterDetail) with its network ranges, plugin and security group. Never reads files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/cluster.h"

namespace ktriage::cloud {

/// The network plugin a cluster runs.
enum class NetworkPlugin { kUnknown, kFlannel, kTerway };

/// What DescribeClusterDetail says about one cluster.
struct ClusterDetail {
  std::string id, name, type, region, state, version;
  std::string vpc_id, security_group_id;
  std::vector<std::string> vswitch_ids;
  std::string pod_cidr;      ///< container_cidr, subnet_cidr or parameters.ContainerCIDR
  std::string service_cidr;  ///< service_cidr or parameters.ServiceCIDR
  NetworkPlugin plugin = NetworkPlugin::kUnknown;
  std::string file;
};

/// The first DescribeClusterDetail answer, nullopt when there is none. O(fields).
std::optional<ClusterDetail> cluster_detail(const Cluster& cluster);

/// The network plugin from the Kubernetes objects when the cloud answer does not say: a
/// kube-flannel or terway DaemonSet in kube-system. O(DaemonSets).
NetworkPlugin network_plugin(const Cluster& cluster, const std::optional<ClusterDetail>& detail);

std::string_view to_string(NetworkPlugin p);

}  // namespace ktriage::cloud
