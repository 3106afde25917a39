// StatefulSets stuck at an ordinal: with podManagementPolicy OrderedReady (the default) the
// controller creates pod N+1 only once pod N is Running and Ready, so one failing pod keeps every
// higher ordinal from existing (pkg/controller/statefulset/stateful_set_control.go). The pod's
// own finding says why it fails; this one says what else is missing because of it.
// https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees
#include <fmt/format.h>

#include <map>
#include <span>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr Rule kStuck{
    "statefulset-stuck-at-ordinal",
    "",
    Severity::kWarning,
    "StatefulSet stuck at an ordinal: a pod that is not Ready keeps the higher ordinals from "
    "being created (OrderedReady)",
    "Fix the pod at the stuck ordinal (its own finding); use podManagementPolicy Parallel when "
    "the pods need no start order.",
    "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"
    "#deployment-and-scaling-guarantees"};
constexpr Rule kRules[] = {kStuck};

bool ready(const Object& pod) {
  return pod.status()["phase"].str() == "Running" &&
         pod.condition("Ready")["status"].str() == "True";
}

void check(const Cluster& cluster, const Object& sts, std::span<const Finding> findings,
           FindingSink& sink) {
  if (sts.spec()["podManagementPolicy"].str() == "Parallel") return;
  const std::int64_t replicas = sts.spec()["replicas"].as_int(1);
  if (replicas < 2) return;
  std::map<std::int64_t, const Object*> by_ordinal;
  const std::string prefix = std::string(sts.name) + "-";
  for (const Object* pod : cluster.children(sts)) {
    if (!pod->name.starts_with(prefix)) continue;
    const std::string_view rest = std::string_view(pod->name).substr(prefix.size());
    std::int64_t n = 0;
    bool digits = !rest.empty();
    for (char c : rest) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (digits) by_ordinal[n] = pod;
  }
  // The lowest ordinal that exists but is not Ready, with higher ordinals missing.
  for (std::int64_t i = 0; i < replicas; ++i) {
    auto it = by_ordinal.find(i);
    if (it == by_ordinal.end()) return;  // a gap without a failing pod below: not this fault
    if (ready(*it->second)) continue;
    std::vector<std::string> missing;
    for (std::int64_t j = i + 1; j < replicas; ++j) {
      if (by_ordinal.count(j) == 0) missing.push_back(fmt::format("{}{}", prefix, j));
    }
    if (missing.empty()) return;
    const Object& stuck = *it->second;
    Finding& f = sink.add(
        kStuck, sts,
        fmt::format("StatefulSet {} is stuck at ordinal {}: {} is not Ready, so {} {} not created "
                    "(podManagementPolicy OrderedReady)",
                    sts.name, i, stuck.name, fmt::join(missing, ", "),
                    missing.size() == 1 ? "is" : "are"));
    f.evidence.push_back(field_evidence(sts, ".spec.replicas", std::to_string(replicas)));
    f.evidence.push_back(field_evidence(sts, ".spec.podManagementPolicy",
                                        sts.spec()["podManagementPolicy"].str().empty()
                                            ? "(unset: OrderedReady)"
                                            : sts.spec()["podManagementPolicy"].str()));
    f.evidence.push_back(
        Evidence::field(kubectl_name(stuck), ".status.phase",
                        fmt::format("{} (Ready {})", stuck.status()["phase"].str(),
                                    stuck.condition("Ready")["status"].str().empty()
                                        ? "unknown"
                                        : stuck.condition("Ready")["status"].str())));
    for (const Finding& pf : findings) {
      if (pf.object.kind == "Pod" && pf.object.ns == stuck.ns && pf.object.name == stuck.name)
        f.add_cause(pf.id);
    }
    f.fix = fmt::format(
        "Fix {} first (the finding under this one); the controller then creates {} in order. If "
        "the pods need no start order, recreate the StatefulSet with podManagementPolicy: "
        "Parallel (the field is immutable: kubectl -n {} delete statefulset {} --cascade=orphan, "
        "then apply it with the new policy).",
        stuck.name, fmt::join(missing, ", "), sts.ns, sts.name);
    return;
  }
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  for (const Object* sts : ctx.cluster.of_kind("StatefulSet"))
    check(ctx.cluster, *sts, findings, sink);
}

}  // namespace

const AnalyzerDef& statefulsets_analyzer() {
  static const AnalyzerDef kDef{"statefulsets", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
