// NetworkPolicy verdicts for one connection, exactly as Kubernetes defines them: a pod is isolated
// for a direction only when some policy of its namespace selects it with that policyType; an
// isolated pod accepts (ingress) or opens (egress) only what the union of those policies' rules
// allows; a connection needs the source's egress and the destination's ingress. Never reads the
// Cluster: callers describe pods as PodEndpoints (see path.h, matrix.h, the peer test).
// Source: https://kubernetes.io/docs/concepts/services-networking/network-policies/
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "network/cidr.h"
#include "network/labels.h"
#include "network/policy.h"

namespace ktriage::network {

/// The label the API server sets on every namespace (v1.21+): known even without the object.
inline constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

/// A container port as named-port resolution reads it (spec.containers[*].ports[*]).
struct ContainerPort {
  std::string_view name;
  std::int32_t port = 0;
  std::string_view protocol = "TCP";
};

/// A pod as policies see it: namespace, labels, its namespace's labels, container ports, IPs.
/// Views; the caller keeps the referenced data alive.
struct PodEndpoint {
  std::string_view ns;
  const Labels* labels = nullptr;
  const Labels* ns_labels = nullptr;
  std::span<const ContainerPort> ports;
  /// false: the snapshot has no Namespace object, so of `ns_labels` only
  /// kubernetes.io/metadata.name is known; a namespaceSelector testing other keys is undecided.
  bool ns_labels_known = true;
  /// status.podIPs: never matched by ipBlock, but an ipBlock containing one makes a denial
  /// undecided (whether ipBlock matches pod IPs is up to the network plugin).
  std::span<const Cidr> ips;
};

/// One end of a connection: a pod, or an address outside the cluster (`pod` null). ipBlock peers
/// match only such addresses: the documentation says ipBlock is meant for cluster-external IPs
/// and that whether pod IPs match is implementation-defined (traffic may be NATed first).
struct Endpoint {
  const PodEndpoint* pod = nullptr;
  Cidr address;
};

/// Every policy of a snapshot, grouped by namespace. Owns the compiled policies.
class PolicySet {
 public:
  /// Sorts `policies` by namespace and name (so verdicts name the same policy on every run).
  explicit PolicySet(std::vector<Policy> policies);
  /// The policies of namespace `ns`, by name. O(1) average.
  std::span<const Policy> in_namespace(std::string_view ns) const;
  /// Every policy, by namespace and name. O(1).
  std::span<const Policy> all() const { return policies_; }

 private:
  std::vector<Policy> policies_;
  std::unordered_map<std::string_view, std::pair<std::size_t, std::size_t>> by_ns_;
};

/// Which rule of which policy: `rule` indexes ingress_rules or egress_rules.
struct RuleRef {
  const Policy* policy = nullptr;
  int rule = 0;
};

/// A peer of a rule (ports admitting the connection) that might select the far end after all,
/// though the snapshot cannot say: its namespaceSelector tests labels of a namespace the
/// snapshot has no object for, or its ipBlock contains the far pod's IP (Calico matches pod IPs
/// with ipBlock, other plugins may not).
struct Doubt {
  enum class Kind { kNamespaceLabels, kIpBlock };
  Kind kind = Kind::kNamespaceLabels;
  RuleRef rule;
  int peer = 0;  ///< index in the rule's peers
  Cidr ip;       ///< kIpBlock: the pod IP the block contains
};

/// The verdict of one side (the destination's ingress or the source's egress).
struct SideVerdict {
  bool checked = false;   ///< false: this end is outside the cluster, nothing to check
  bool isolated = false;  ///< some policy selecting the pod has this policyType
  bool allowed = true;
  std::vector<const Policy*> isolating;  ///< those policies, by namespace and name
  std::optional<RuleRef> allowed_by;     ///< the first rule (policy order, rule order) allowing
  std::vector<Doubt> doubts;             ///< denied only: peers that might allow it after all
  /// Denied by what the snapshot knows, but a peer might allow it: neither allowed nor blocked.
  bool undecided() const { return !allowed && !doubts.empty(); }
};

/// Both sides. Allowed only when both are.
struct ConnectionVerdict {
  SideVerdict egress;   ///< of the source
  SideVerdict ingress;  ///< of the destination
  bool allowed() const { return egress.allowed && ingress.allowed; }
  /// Not allowed, and every denying side is undecided: unknown rather than blocked.
  bool undecided() const {
    return !allowed() && (egress.allowed || egress.undecided()) &&
           (ingress.allowed || ingress.undecided());
  }
};

/// Whether `peer` of a rule of `policy` selects `pod` (never by ipBlock, see Endpoint). O(terms).
bool peer_selects(const Peer& peer, const Policy& policy, const PodEndpoint& pod);
/// Whether `peer` selects the external `address` (ipBlock only). O(excepts).
bool peer_selects(const Peer& peer, const Cidr& address);
/// Whether `rule`'s peers select `other` (no peers: everything). O(peers * terms).
bool rule_selects(const Rule& rule, const Policy& policy, const Endpoint& other);
/// Whether `selector`, which did not match, might match namespace `ns` if its labels were known:
/// it tests a key other than kubernetes.io/metadata.name, and its terms on that label (the one
/// label every namespace has) hold for `ns`. O(terms).
bool namespace_selector_undecided(const Selector& selector, std::string_view ns);

/// Whether `rule`'s ports admit `port`/`protocol` on the destination whose container ports are
/// `dst_ports` (named ports resolve there by name and protocol; an external destination has
/// none, so a named port never matches it). O(ports * dst_ports).
bool rule_admits_port(const Rule& rule, std::int32_t port, std::string_view protocol,
                      std::span<const ContainerPort> dst_ports);

/// The destination pod's ingress for a connection from `src`. O(policies of dst's namespace).
SideVerdict evaluate_ingress(const PolicySet& set, const PodEndpoint& dst, const Endpoint& src,
                             std::int32_t port, std::string_view protocol);
/// The source pod's egress for a connection to `dst`.
SideVerdict evaluate_egress(const PolicySet& set, const PodEndpoint& src, const Endpoint& dst,
                            std::int32_t port, std::string_view protocol);
/// Both sides; a side whose end is external is not checked (allowed, checked=false).
ConnectionVerdict evaluate(const PolicySet& set, const Endpoint& src, const Endpoint& dst,
                           std::int32_t port, std::string_view protocol);

/// "from podSelector app=web in namespaces env=prod, ipBlock 10.0.0.0/8 except 10.1.0.0/16;
/// ports TCP 8080": one rule as text, for evidence. `direction` is "ingress" (from) or "egress".
std::string describe_rule(const Rule& rule, std::string_view direction);

/// "allowed by shop/allow-web ingress rule 0" / "denied: isolated by shop/default-deny, shop/x;
/// no rule allows" / "not isolated (no policy selects it for ingress)": for text output.
std::string describe(const SideVerdict& v, std::string_view direction);

}  // namespace ktriage::network
