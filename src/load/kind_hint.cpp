#include "load/kind_hint.h"

#include <utility>

namespace ktriage {

std::string_view kind_hint(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"custom-resource-definitions", "CustomResourceDefinition"},
      {"pods", "Pod"},
      {"nodes", "Node"},
      {"events", "Event"},
      {"services", "Service"},
      {"deployments", "Deployment"},
      {"replicasets", "ReplicaSet"},
      {"statefulsets", "StatefulSet"},
      {"daemonsets", "DaemonSet"},
      {"jobs", "Job"},
      {"cronjobs", "CronJob"},
      {"pvcs", "PersistentVolumeClaim"},
      {"pvs", "PersistentVolume"},
      {"ingress", "Ingress"},
      {"configmaps", "ConfigMap"},
      {"secrets", "Secret"},
      {"namespaces", "Namespace"},
      {"storage-classes", "StorageClass"},
      {"endpoints", "Endpoints"},
      {"limitranges", "LimitRange"},
      {"resource-quotas", "ResourceQuota"},
      {"network-policy", "NetworkPolicy"},
      {"pod-disruption-budgets", "PodDisruptionBudget"},
      {"roles", "Role"},
      {"rolebindings", "RoleBinding"},
      {"clusterroles", "ClusterRole"},
      {"clusterRoleBindings", "ClusterRoleBinding"},
      {"serviceaccounts", "ServiceAccount"},
      {"replication-controllers", "ReplicationController"},
  };
  std::string_view p = path;
  std::size_t slash = p.find_last_of('/');
  std::string_view file = slash == std::string_view::npos ? p : p.substr(slash + 1);
  std::string_view stem = file.substr(0, file.find('.'));
  std::string_view parent;
  if (slash != std::string_view::npos) {
    std::string_view dir = p.substr(0, slash);
    std::size_t s2 = dir.find_last_of('/');
    parent = s2 == std::string_view::npos ? dir : dir.substr(s2 + 1);
  }
  for (const auto& [name, kind] : kNames) {
    if (stem == name || parent == name) return kind;
  }
  return {};
}

}  // namespace ktriage
