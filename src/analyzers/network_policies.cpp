// NetworkPolicies that cut a Service off from everything: its pods are isolated for ingress and no
// rule of the policies selecting them admits, on the Service's target port, any pod that exists
// or any address. Judged only where the snapshot can know it: a rule with an ipBlock, with no
// peers, or with a namespaceSelector (which may select namespaces the snapshot did not collect)
// counts as reachable; a podSelector-only peer selects pods of the policy's own namespace, the
// Service's, which the snapshot holds. Evaluation is src/network's (the engine of netcheck).
// https://kubernetes.io/docs/concepts/services-networking/network-policies/
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "model/pod.h"
#include "model/ports.h"
#include "model/scheduling.h"
#include "network/snapshot.h"

namespace ktriage {
namespace {

constexpr Rule kIsolated{
    "service-isolated-by-networkpolicy",
    "NET-NETWORKPOLICY-DENY",
    Severity::kWarning,
    "NetworkPolicies isolate a Service's pods for ingress and admit no existing pod or address on "
    "its target port: every connection to it times out",
    "Make a rule of the policies select the clients (fix its podSelector or the clients' labels), "
    "then check the path with ktriage netcheck pod/NS/CLIENT svc/NS/NAME.",
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/"};
constexpr Rule kRules[] = {kIsolated};

// Whether some existing, running pod of namespace `ns` matches `selector`. O(pods of ns).
bool any_pod(const Cluster& cluster, std::string_view ns, const network::Selector& selector) {
  for (const Object* pod : cluster.pods_in(ns)) {
    if (PodView(*pod).terminated()) continue;
    if (selector.matches(network::labels_of(pod->labels()))) return true;
  }
  return false;
}

// Whether `rule` (of a policy of the Service's namespace) may admit something: an address, a pod
// elsewhere, or an existing pod here.
bool may_admit(const Cluster& cluster, const network::Rule& rule, std::string_view ns) {
  if (rule.peers.empty()) return true;
  for (const network::Peer& p : rule.peers) {
    if (p.ip_block || p.namespace_selector) return true;
    if (!p.pod_selector || any_pod(cluster, ns, *p.pod_selector)) return true;
  }
  return false;
}

// The ports the Service sends to on `pod`: targetPort resolved on its containers.
std::vector<std::pair<int, std::string_view>> target_ports(const Object& svc, const Object& pod) {
  std::vector<std::pair<int, std::string_view>> out;
  for (const Value& sp : svc.spec()["ports"].items()) {
    const Value& target = sp["targetPort"].is_null() ? sp["port"] : sp["targetPort"];
    const std::string_view proto = protocol_of(sp);
    int number = is_port_name(target) ? 0 : static_cast<int>(target.as_int());
    for (const Value& c : pod.spec()["containers"].items()) {
      for (const Value& p : c["ports"].items()) {
        if (number == 0 && p["name"].str() == target.str() && protocol_of(p) == proto)
          number = static_cast<int>(p["containerPort"].as_int());
      }
    }
    if (number != 0) out.emplace_back(number, proto);
  }
  return out;
}

void check_service(const Cluster& cluster, const network::NetworkSnapshot& net, const Object& svc,
                   FindingSink& sink) {
  const Value& selector = svc.spec()["selector"];
  if (selector.size() == 0 || svc.spec()["type"].str() == "ExternalName") return;
  const Member& first = selector.members()[0];
  std::vector<const network::Policy*> isolating;
  std::size_t pods = 0;
  for (const Object* pod : cluster.pods_with_label(svc.ns, first.key, first.value.str())) {
    if (!map_selector_matches(selector, pod->labels()) || PodView(*pod).terminated()) continue;
    ++pods;
    const network::PodFacts facts = network::pod_facts(*pod);
    const auto ports = target_ports(svc, *pod);
    if (ports.empty()) return;  // an unresolved targetPort is the services analyzer's finding
    std::vector<const network::Policy*> here;
    for (const network::Policy& p : net.policies().in_namespace(svc.ns)) {
      if (p.ingress && p.pod_selector.matches(facts.labels)) here.push_back(&p);
    }
    if (here.empty()) return;  // not isolated: reachable
    for (const network::Policy* p : here) {
      for (const network::Rule& r : p->ingress_rules) {
        for (const auto& [port, proto] : ports) {
          if (network::rule_admits_port(r, port, proto, facts.ports) &&
              may_admit(cluster, r, svc.ns))
            return;
        }
      }
      if (std::find(isolating.begin(), isolating.end(), p) == isolating.end())
        isolating.push_back(p);
    }
  }
  if (pods == 0 || isolating.empty()) return;
  std::string names;
  for (const network::Policy* p : isolating)
    names += (names.empty() ? "" : ", ") + std::string(p->name);
  Finding& f = sink.add(
      kIsolated, svc,
      fmt::format("Service {} cannot be reached: NetworkPolicies {} isolate its {} pod(s) for "
                  "ingress and no rule admits any existing pod or address on its target port",
                  svc.name, names, pods));
  for (const network::Policy* p : isolating) {
    const std::string who = fmt::format("networkpolicy/{}", p->name);
    if (p->ingress_rules.empty())
      f.evidence.push_back(Evidence::field(who, ".spec.ingress", "(none): allows nothing"));
    for (std::size_t i = 0; i < p->ingress_rules.size(); ++i)
      f.evidence.push_back(Evidence::field(who, fmt::format(".spec.ingress[{}]", i),
                                           network::describe_rule(p->ingress_rules[i], "ingress") +
                                               " (selects no pod that exists)"));
  }
  std::string with_rules;  // the policies whose rules were meant to let clients in
  for (const network::Policy* p : isolating) {
    if (!p->ingress_rules.empty())
      with_rules += (with_rules.empty() ? "" : ", ") + std::string(p->name);
  }
  f.fix = with_rules.empty()
              ? fmt::format(
                    "Add a NetworkPolicy selecting these pods whose ingress rule admits "
                    "the clients, then check: ktriage netcheck pod/{}/CLIENT svc/{}/{}",
                    svc.ns, svc.ns, svc.name)
              : fmt::format(
                    "Make a rule select the clients: fix the podSelector in {} (or label "
                    "the client pods to match it), then check: ktriage netcheck "
                    "pod/{}/CLIENT svc/{}/{}",
                    with_rules, svc.ns, svc.ns, svc.name);
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  if (ctx.cluster.of_kind("NetworkPolicy").empty()) return;
  const network::NetworkSnapshot net(ctx.cluster);
  for (const Object* svc : ctx.cluster.of_kind("Service")) {
    if (net.policies().in_namespace(svc->ns).empty()) continue;
    check_service(ctx.cluster, net, *svc, sink);
  }
}

}  // namespace

const AnalyzerDef& network_policies_analyzer() {
  static const AnalyzerDef kDef{"network_policies", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
