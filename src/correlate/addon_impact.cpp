#include "correlate/addon_impact.h"

#include <span>
#include <utility>

namespace ktriage {

std::string_view addon_impact(const Object& workload) {
  if (workload.ns != "kube-system") return {};
  const bool per_node = workload.kind == "DaemonSet";
  // Name fragments of ACK's and upstream add-ons; the first match wins.
  static constexpr std::pair<std::string_view, std::string_view> kDeployments[] = {
      {"metrics-server", "HPAs cannot read CPU and memory metrics and kubectl top fails"},
      {"cloud-controller-manager",
       "LoadBalancer Services get no load balancer and new nodes keep the uninitialized taint"},
      {"csi-provisioner", "new PersistentVolumeClaims are not provisioned and stay Pending"},
      {"cluster-autoscaler", "node pools do not scale up for Pending pods"},
      {"coredns", "DNS lookups in the cluster fail"},
      {"ingress", "Ingress traffic it serves fails"},
  };
  static constexpr std::pair<std::string_view, std::string_view> kDaemonSets[] = {
      {"terway", "pods on the nodes where it is down get no network"},
      {"flannel", "pods on the nodes where it is down get no network"},
      {"calico", "pods on the nodes where it is down get no network"},
      {"cilium", "pods on the nodes where it is down get no network"},
      {"kube-proxy", "Services are not routed from the nodes where it is down"},
      {"csi-plugin", "volumes cannot be mounted on the nodes where it is down"},
      {"node-local-dns", "DNS lookups fail on the nodes where it is down"},
  };
  for (const auto& [name, impact] :
       per_node ? std::span<const std::pair<std::string_view, std::string_view>>(kDaemonSets)
                : std::span<const std::pair<std::string_view, std::string_view>>(kDeployments)) {
    if (workload.name.find(name) != std::string_view::npos) return impact;
  }
  return {};
}

}  // namespace ktriage
