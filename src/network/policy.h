// One NetworkPolicy compiled for evaluation: defaulted policyTypes, selectors compiled, ipBlocks
// parsed, ports normalised. Holds views into the loaded object, which must outlive it. Never
// decides a verdict (evaluate.h does).
// Source: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and
// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/value.h"
#include "network/cidr.h"
#include "network/labels.h"

namespace ktriage::network {

/// ipBlock: a CIDR minus its except blocks.
struct IpBlock {
  Cidr cidr;
  std::vector<Cidr> except;
  /// Inside cidr and in no except block. O(excepts).
  bool contains(const Cidr& address) const;
};

/// One element of from/to. Exactly one of: selectors (podSelector and/or namespaceSelector) or
/// ipBlock. A podSelector alone selects pods of the policy's own namespace; a namespaceSelector
/// alone every pod of the matching namespaces; both in one element select pods matching both
/// (AND). Two elements are ORed by the rule.
struct Peer {
  std::optional<Selector> pod_selector;        ///< nullopt: absent (any pod of the namespaces)
  std::optional<Selector> namespace_selector;  ///< nullopt: absent (the policy's namespace)
  std::optional<IpBlock> ip_block;
};

/// One element of ports. Protocol defaults to TCP. No port: every port of the protocol. A named
/// port is resolved on the destination pod's container ports (name and protocol); endPort makes
/// [port, endPort] a range and is allowed only with a numbered port.
struct PortRule {
  std::string_view protocol = "TCP";
  std::optional<std::int32_t> port;  ///< numbered port
  std::string_view name;             ///< named port ("" when numbered or absent)
  std::optional<std::int32_t> end_port;
  /// "TCP 80", "TCP 8000-9000", "TCP http", "UDP (every port)".
  std::string to_string() const;
};

/// An ingress or egress rule: from/to peers (empty: every source/destination, also outside the
/// cluster) and ports (empty: every port and protocol).
struct Rule {
  std::vector<Peer> peers;
  std::vector<PortRule> ports;
};

/// A compiled NetworkPolicy. `ingress`/`egress` are the defaulted policyTypes: with no
/// policyTypes, Ingress always, Egress when spec.egress has at least one rule (the API server's
/// SetDefaults_NetworkPolicySpec, which tests len(egress) != 0).
struct Policy {
  std::string_view ns, name;
  Selector pod_selector;  ///< spec.podSelector; {} selects every pod of the namespace
  bool ingress = false, egress = false;
  std::vector<Rule> ingress_rules, egress_rules;
};

/// Compiles `spec` of NetworkPolicy ns/name. Errors name the field path and the value, as the API
/// server's validation would reject them: a bad selector operator, an unparsable CIDR, an except
/// outside its cidr, an ipBlock beside a selector in one peer, a peer with no field, endPort
/// below port or with a named port, a port outside 1-65535, an unknown protocol or policyType.
/// O(size of the spec).
Expected<Policy> compile_policy(const Value& spec, std::string_view ns, std::string_view name);

}  // namespace ktriage::network
