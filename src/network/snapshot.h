// The network facts of a snapshot: compiled NetworkPolicies (with the ones that fail to compile),
// namespace labels, and pods described as PodEndpoints. Built once from a Cluster, read-only
// afterwards. Never renders or prints.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster.h"
#include "network/evaluate.h"

namespace ktriage::network {

/// A NetworkPolicy that could not be compiled: it is left out of every verdict (as the API server
/// would have refused it), and the reason is shown.
struct PolicyError {
  std::string_view ns, name;
  std::string message;
};

/// A pod's labels, container ports and IPs, owned, for building its PodEndpoint.
struct PodFacts {
  std::string_view ns;
  Labels labels;
  std::vector<ContainerPort> ports;
  std::vector<Cidr> ips;  ///< status.podIPs (or podIP)
};

/// Labels, container ports (spec.containers, and init containers with restartPolicy Always:
/// sidecars serve too) and IPs of `pod`. O(labels + ports).
PodFacts pod_facts(const Object& pod);

/// Policies and namespace labels of one Cluster, which must outlive it.
class NetworkSnapshot {
 public:
  /// Compiles every NetworkPolicy (O(policies)) and reads every Namespace's labels. A namespace
  /// that has pods but no Namespace object, or a Namespace without it, gets the
  /// kubernetes.io/metadata.name label the API server sets on every namespace (v1.21+).
  explicit NetworkSnapshot(const Cluster& cluster);

  /// The policies that compiled. O(1).
  const PolicySet& policies() const { return policies_; }
  /// The policies that did not, in reading order, with the reason. O(1).
  const std::vector<PolicyError>& errors() const { return errors_; }
  /// The labels of namespace `ns`; the synthesized {kubernetes.io/metadata.name: ns} for a
  /// namespace the snapshot has no object for. O(log namespaces).
  const Labels& namespace_labels(std::string_view ns) const;
  /// Whether the snapshot has namespace `ns`'s object, so its labels are known; otherwise only
  /// kubernetes.io/metadata.name is. O(log namespaces).
  bool namespace_labels_known(std::string_view ns) const;
  /// Every namespace known (Namespace objects and namespaces of pods), sorted.
  const std::map<std::string, Labels, std::less<>>& namespaces() const { return ns_labels_; }
  /// A PodEndpoint viewing `facts` (which must outlive it) and its namespace's labels.
  PodEndpoint endpoint(const PodFacts& facts) const;

 private:
  std::vector<PolicyError> errors_;  // before policies_: its initialiser fills errors_
  PolicySet policies_;
  std::map<std::string, Labels, std::less<>> ns_labels_;
  std::map<std::string, bool, std::less<>> ns_known_;  // namespace -> has a Namespace object
};

}  // namespace ktriage::network
