// Practice: every pod is selected by a NetworkPolicy that restricts both its ingress and its
// egress. Without one, any pod of the cluster can reach it and it can reach anything.
//
// The choice made here, after kube-score's pod-networkpolicy: a pod template that no
// NetworkPolicy of the input set selects is reported even when the set has no NetworkPolicy at
// all. Policies often live in another repository, so that case is only info
// (practice-network-policy-missing); when its namespace does have policies in the set and none
// selects the pod, it is most likely a label mismatch: a warning
// (practice-network-policy-not-selected). A pod whose policies cover only one direction gets
// practice-network-policy-one-direction. A policy that lists a direction in policyTypes without
// rules denies all of it: that counts as covered.
//
// Service type LoadBalancer annotations for Alibaba Cloud (SLB/CLB/NLB) are not checked: the
// fault catalog names only the prefix service.beta.kubernetes.io/alibaba-cloud-loadbalancer-*
// (SVC-LOADBALANCER-SYNC-FAILED), no individual annotation or value to check against.
#include <fmt/format.h>

#include <array>
#include <string>
#include <unordered_map>

#include "lint/checks.h"
#include "lint/practices.h"
#include "model/scheduling.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/";
constexpr std::array kRules{
    LintRule{"practice-network-policy-missing", "", Severity::kInfo,
             "A pod in a namespace where the set has no NetworkPolicy",
             "Add a NetworkPolicy selecting the pods with ingress and egress rules", kDoc},
    LintRule{"practice-network-policy-not-selected", "", Severity::kWarning,
             "A pod that none of its namespace's NetworkPolicies selects",
             "Match a NetworkPolicy's podSelector to the pod labels", kDoc},
    LintRule{"practice-network-policy-one-direction", "", Severity::kInfo,
             "A pod whose NetworkPolicies restrict only ingress or only egress",
             "Add the missing direction to policyTypes, with its rules", kDoc},
};

// The directions a policy restricts: policyTypes, or (absent) Ingress plus Egress when it has
// egress rules, as the API server defaults it.
struct Directions {
  bool ingress = false;
  bool egress = false;
};
Directions directions(const Object& policy) {
  const Value& types = policy.spec()["policyTypes"];
  if (types.is_null()) return {true, !policy.spec()["egress"].is_null()};
  Directions d;
  for (const Value& t : types.items()) {
    d.ingress |= t.str() == "Ingress";
    d.egress |= t.str() == "Egress";
  }
  return d;
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  // Policies by namespace, read once: each pod template then looks only at its namespace's.
  std::unordered_map<std::string_view, std::vector<const Object*>> policies;
  for (const Object* p : ctx.cluster.of_kind("NetworkPolicy")) {
    policies[effective_namespace(*p)].push_back(p);
  }
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    const Object& w = *t.owner;
    const std::string_view ns = effective_namespace(w);
    const std::string labels_path =
        t.spec_path == ".spec" ? ".metadata.labels"
                               : t.spec_path.substr(0, t.spec_path.size() - 5) + ".metadata.labels";
    const auto it = policies.find(ns);
    if (it == policies.end()) {
      add_practice_finding(
          out, kRules[0], t,
          fmt::format("{} {}: the set has no NetworkPolicy in namespace {}, so nothing limits "
                      "who reaches its pods or what they reach (unless a policy lives elsewhere)",
                      w.kind, w.name, ns),
          {}, labels_path, "no NetworkPolicy in the namespace",
          fmt::format("Add a NetworkPolicy in namespace {} whose podSelector matches {} and "
                      "whose policyTypes are [Ingress, Egress], with the rules the pods need",
                      ns, labels_path));
      continue;
    }
    Directions covered;
    bool selected = false;
    for (const Object* p : it->second) {
      if (!label_selector_matches(p->spec()["podSelector"], *t.labels)) continue;
      selected = true;
      const Directions d = directions(*p);
      covered.ingress |= d.ingress;
      covered.egress |= d.egress;
    }
    if (!selected) {
      add_practice_finding(
          out, kRules[1], t,
          fmt::format("{} {}: none of the {} NetworkPolicies of namespace {} selects its pods",
                      w.kind, w.name, it->second.size(), ns),
          {}, labels_path, "selected by no NetworkPolicy",
          fmt::format("Make a NetworkPolicy's podSelector in namespace {} match {} (or add "
                      "one), with policyTypes [Ingress, Egress]",
                      ns, labels_path));
    } else if (!covered.ingress || !covered.egress) {
      const std::string_view missing = covered.ingress ? "Egress" : "Ingress";
      add_practice_finding(
          out, kRules[2], t,
          fmt::format("{} {}: its NetworkPolicies restrict only {}, {} is open", w.kind, w.name,
                      covered.ingress ? "ingress" : "egress",
                      covered.ingress ? "egress" : "ingress"),
          {}, labels_path, fmt::format("no {} policy", missing),
          fmt::format("Add {} to the policyTypes of a policy selecting {}, with the {} rules "
                      "the pods need (none denies all)",
                      missing, labels_path, missing == "Egress" ? "egress" : "ingress"));
    }
  }
}

}  // namespace

const LintCheck kPracticesNetworkCheck{"practices-network", kRules, run};

}  // namespace ktriage::lint
