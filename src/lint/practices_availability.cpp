// Practice: a workload that runs several replicas survives a node drain and a node loss. A
// PodDisruptionBudget in the set must select its pods (or a drain may evict all at once), and a
// pod anti-affinity term or a topologySpreadConstraint must select its own pods (or the
// scheduler may put every replica on one node).
//
// Only Deployments, ReplicaSets and StatefulSets with spec.replicas above 1 are checked. An
// absent spec.replicas is 1 (the API's default), unlike kube-score, which checks it as
// "unknown": a PDB on a single pod (minAvailable: 1) blocks every drain of its node
// (PDB-BLOCKS-EVICTION), so asking for one there would be wrong advice.
#include <fmt/format.h>

#include <array>
#include <string>
#include <unordered_map>

#include "lint/checks.h"
#include "lint/practices.h"
#include "model/scheduling.h"

namespace ktriage::lint {
namespace {

constexpr std::array kRules{
    LintRule{"practice-pdb-missing", "", Severity::kWarning,
             "A multi-replica workload that no PodDisruptionBudget covers",
             "Add a PodDisruptionBudget selecting its pods (maxUnavailable: 1)",
             "https://kubernetes.io/docs/tasks/run-application/configure-pdb/"},
    LintRule{"practice-spread-missing", "", Severity::kWarning,
             "A multi-replica workload whose replicas may all land on one node",
             "Add a topologySpreadConstraint (or pod anti-affinity) on kubernetes.io/hostname "
             "selecting its own pods",
             "https://kubernetes.io/docs/concepts/scheduling-eviction/"
             "topology-spread-constraints/"},
};

// Whether a term's labelSelector (anti-affinity term, spread constraint) selects the pods.
bool selects_own(const Value& selector, const Value& labels) {
  return !selector.is_null() && label_selector_matches(selector, labels);
}

bool spread(const PodTemplate& t) {
  const Value& anti = (*t.spec)["affinity"]["podAntiAffinity"];
  for (const Value& term : anti["requiredDuringSchedulingIgnoredDuringExecution"].items()) {
    if (selects_own(term["labelSelector"], *t.labels)) return true;
  }
  for (const Value& w : anti["preferredDuringSchedulingIgnoredDuringExecution"].items()) {
    if (selects_own(w["podAffinityTerm"]["labelSelector"], *t.labels)) return true;
  }
  for (const Value& c : (*t.spec)["topologySpreadConstraints"].items()) {
    if (selects_own(c["labelSelector"], *t.labels)) return true;
  }
  return false;
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  // PDBs by namespace, read once: each workload then looks only at its own namespace's.
  std::unordered_map<std::string_view, std::vector<const Object*>> pdbs;
  for (const Object* p : ctx.cluster.of_kind("PodDisruptionBudget")) {
    pdbs[effective_namespace(*p)].push_back(p);
  }
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    if (t.replicas <= 1) continue;
    const Object& w = *t.owner;
    const std::string tmpl = t.spec_path.substr(0, t.spec_path.size() - 5);  // drop ".spec"
    bool covered = false;
    if (auto it = pdbs.find(effective_namespace(w)); it != pdbs.end()) {
      for (const Object* p : it->second) {
        // A PDB without a selector selects nothing (policy/v1).
        const Value& sel = p->spec()["selector"];
        if (!sel.is_null() && label_selector_matches(sel, *t.labels)) covered = true;
      }
    }
    if (!covered) {
      add_practice_finding(
          out, kRules[0], t,
          fmt::format("{} {} runs {} replicas and no PodDisruptionBudget in the set selects "
                      "its pods: a node drain may evict them all at once",
                      w.kind, w.name, t.replicas),
          {}, tmpl + ".metadata.labels", "no PodDisruptionBudget selects these labels",
          fmt::format("Add a PodDisruptionBudget in namespace {} with maxUnavailable: 1 and a "
                      "selector matching {}.metadata.labels",
                      effective_namespace(w), tmpl));
    }
    if (!spread(t)) {
      add_practice_finding(
          out, kRules[1], t,
          fmt::format("{} {} runs {} replicas with no pod anti-affinity or topology spread "
                      "selecting its own pods: one node failure may take them all",
                      w.kind, w.name, t.replicas),
          {}, t.spec_path + ".topologySpreadConstraints", "(not set)",
          fmt::format("Add to {} topologySpreadConstraints: [{{maxSkew: 1, topologyKey: "
                      "kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, "
                      "labelSelector: {{matchLabels: <the pod labels>}}}}]",
                      t.spec_path));
    }
  }
}

}  // namespace

const LintCheck kPracticesAvailabilityCheck{"practices-availability", kRules, run};

}  // namespace ktriage::lint
