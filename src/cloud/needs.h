// What an ACK cluster needs its security groups to let through, flow by flow, from the fault
// catalog's section 4 (ACK's recommended rules): traffic between nodes (the pods' ports and DNS
// 53) and, with Flannel, from the other nodes' pod CIDRs; ICMP between nodes; the kubelet port
// 10250 and webhook ports from the control plane; outbound to Alibaba Cloud's service range
// 100.64.0.0/10, its DNS and the other nodes; the SLB health checks of LoadBalancer Services on
// their NodePorts. Pure: reads the Cluster and a CloudView, judges nothing (sg_eval.h does).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cloud/sg_eval.h"
#include "cloud/sg_fix.h"
#include "cloud/view.h"

namespace ktriage::cloud {

/// Which requirement a flow serves (each maps to one analyzer rule).
enum class NeedKind {
  kIntraCluster,  ///< node to node and pod to pod, TCP ports of the pods and DNS
  kIcmp,          ///< ICMP between nodes
  kKubelet,       ///< TCP 10250 from the control plane
  kWebhook,       ///< a webhook Service's target port from the control plane
  kOutbound,      ///< egress to 100.64.0.0/10, Alibaba Cloud DNS, the API server, other nodes
  kHealthCheck,   ///< a LoadBalancer Service's NodePort from the SLB range 100.64.0.0/10
};

/// One flow the cluster needs, with the groups that judge it.
struct Need {
  NeedKind kind = NeedKind::kIntraCluster;
  Flow flow;
  std::vector<const SecurityGroup*> groups;  ///< the judging side's groups with rules
  std::vector<std::string> missing_groups;   ///< its groups without rules in the snapshot
  std::string from, to;            ///< "node-a (10.0.1.10)", "pods of node-a (172.20.1.0/24)", ...
  std::string why;                 ///< "pod shop/api-7c9 on node-b listens on TCP 8080"
  const Object* object = nullptr;  ///< the webhook configuration or Service concerned
  /// The Nodes whose groups judge it; shared by the needs of one set of groups (a cluster of
  /// 5,000 nodes in one group has ~75,000 needs, all naming the same nodes).
  std::shared_ptr<const std::vector<const Object*>> nodes;
  RuleToAdd wanted;  ///< the recommended rule that lets it through
};

/// Every flow the cluster needs, grouped so that Nodes with the same security groups are
/// judged once per source (O(node group sets x nodes x probes)); sorted by kind, then in the
/// Cluster's Node order. Nodes without an instance or without any group's rules in the snapshot
/// are left out (nothing can be judged); so are the flows from and to the control plane (kubelet,
/// webhooks, the API server) when the cluster's security group is unknown (no usable
/// DescribeClusterDetail): the control plane is admitted as a member of that group. `pod_cidr` of
/// flows from pods is the source Node's spec.podCIDR, else the cluster's container CIDR.
std::vector<Need> cluster_needs(const Cluster& cluster, const CloudView& view);

/// The address of the API server inside the VPC (Endpoints default/kubernetes), "" when the
/// snapshot lacks it. O(1).
std::string api_server_address(const Cluster& cluster);

}  // namespace ktriage::cloud
