// Which kube-system pods are the node's network data plane: the CNI daemon (Terway, Flannel,
// Calico, Cilium) and kube-proxy. Shared by the add-on analyzer (CNI outages) and netcheck (the
// health of the nodes on a path), so both recognise the same pods. Reads one pod; O(1).
#pragma once

#include "model/object.h"

namespace ktriage {

/// A CNI daemon pod: terway*, kube-flannel*, calico-node*, cilium-*, or their app labels.
bool is_cni_daemon(const Object& pod);
/// A Terway pod (Alibaba Cloud's CNI).
bool is_terway(const Object& pod);
/// A kube-proxy pod: kube-proxy* (ACK: kube-proxy-worker*, kube-proxy-master*) or
/// k8s-app=kube-proxy.
bool is_kube_proxy(const Object& pod);

}  // namespace ktriage
