// Who can reach whom, for a review: namespaces (or workloads of one namespace) against each
// other, pod to pod, on the destination pods' declared ports. Never evaluated per pod pair: pods
// are grouped into equivalence classes (namespace, group, labels, container ports), every policy
// is applied once to the classes it selects (labels no selector reads do not split classes), and
// the verdicts are bitsets over classes. Reads the Cluster; never prints (matrix_render.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/cluster.h"
#include "network/snapshot.h"

namespace ktriage::network {

/// How to group pods: by namespace, or by workload (top owner: Deployment, StatefulSet, ...;
/// a bare pod is its own workload), optionally only in namespace `ns`.
struct MatrixOptions {
  bool by_workload = false;
  std::string ns;  ///< "": every namespace
};

/// One ordered pair of groups with at least one allowed class pair.
struct MatrixPair {
  std::uint32_t from = 0, to = 0;
  bool all = false;  ///< every class of `from` reaches every class of `to` on some port
};

/// The result. Pairs absent from `pairs` are denied: no pod of `from` reaches any declared port
/// (any port, for pods declaring none) of a pod of `to`, both ends' policies considered.
struct Matrix {
  std::vector<std::string> groups;        ///< sorted names: "shop" or "shop/deployment/web"
  std::vector<std::uint32_t> group_pods;  ///< pods per group
  std::vector<MatrixPair> pairs;          ///< sorted by (to, from)
  std::size_t pods = 0, classes = 0, policies = 0;
  /// hostNetwork pods left out: each is its node's network namespace, which NetworkPolicy does
  /// not isolate and whose traffic peers see as the node's (netcheck's path treats them so too).
  std::size_t host_network_pods = 0;
  /// What the cells cannot decide: a namespaceSelector testing labels of a namespace the snapshot
  /// has no Namespace object for (its cells say `no` where the path would say `unknown`).
  std::vector<std::string> notes;
};

/// Computes the matrix. Cost: O(pods) to classify, O(policies * namespaces) for
/// namespaceSelectors, O(rules * classes / 64) word operations for the bitsets, and
/// O(classes * (classes / 64 + groups)) to fold classes into group pairs. Memory: two bitsets
/// of classes per (class, port).
Matrix compute_matrix(const Cluster& cluster, const NetworkSnapshot& net,
                      const MatrixOptions& options);

}  // namespace ktriage::network
