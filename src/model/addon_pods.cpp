#include "model/addon_pods.h"

namespace ktriage {

bool is_cni_daemon(const Object& pod) {
  const std::string_view n = pod.name;
  return n.starts_with("terway") || n.starts_with("kube-flannel") || n.starts_with("calico-node") ||
         n.starts_with("cilium-") || pod.labels()["app"].str() == "terway-eniip" ||
         pod.labels()["app"].str() == "flannel" || pod.labels()["k8s-app"].str() == "calico-node";
}

bool is_terway(const Object& pod) {
  return pod.name.starts_with("terway") || pod.labels()["app"].str() == "terway-eniip";
}

bool is_kube_proxy(const Object& pod) {
  return pod.name.starts_with("kube-proxy") || pod.labels()["k8s-app"].str() == "kube-proxy";
}

}  // namespace ktriage
