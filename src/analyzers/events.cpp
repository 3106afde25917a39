// Warning events that no other finding explains, grouped by namespace and reason. Runs after the
// other analyzers (run_after): an event about an object that already has a finding is evidence
// there, not a new problem.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"

namespace ktriage {
namespace {

constexpr Rule kUnexplained{
    "unexplained-warning-events",
    "",
    Severity::kWarning,
    "Warning events that no other finding explains",
    "Read the events' messages; kubectl describe on the object shows them in context.",
    "https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/"};
constexpr Rule kRules[] = {kUnexplained};

// Events ktriage does not treat as faults: the normal noise of a working cluster.
bool is_noise(const Event& e) {
  // Scheduler retries that later succeeded leave FailedScheduling on pods that are now running;
  // those pods have no finding and are fine.
  return e.reason == "FailedScheduling" || e.reason == "DNSConfigForming" ||
         e.reason == "FailedToUpdateEndpointSlices";
}

// Catalog entries for common reasons, so grouped events still point at the runbook.
std::string_view catalog_for(const Event& e) {
  const std::string_view r = e.reason;
  if (r == "BackOff" && e.message.find("pulling image") != std::string_view::npos)
    return "POD-WAITING-IMAGE-PULL-BACKOFF";
  if (r == "BackOff") return "POD-CRASHLOOPBACKOFF";
  if (r == "FailedMount" || r == "FailedAttachVolume") return "POD-WAITING-MOUNT-TIMEOUT";
  if (r == "Evicted") return "POD-EVICTED-NODE-PRESSURE";
  if (r == "Preempted") return "POD-PREEMPTED";
  if (r == "NodeNotReady") return "NODE-NOT-READY-KUBELET-STOPPED-POSTING";
  if (r == "ProgressDeadlineExceeded") return "DEPLOY-PROGRESS-DEADLINE-EXCEEDED";
  if (r == "BackoffLimitExceeded") return "JOB-BACKOFF-LIMIT-EXCEEDED";
  if (r == "DeadlineExceeded") return "JOB-DEADLINE-EXCEEDED";
  if (r == "FailedCreatePodSandBox") return "POD-WAITING-SANDBOX-CNI-FAILED";
  if (r == "FailedGetResourceMetric" || r == "FailedComputeMetricsReplicas")
    return "HPA-METRICS-UNAVAILABLE";
  if (r == "ProvisioningFailed") return "PVC-PENDING-PROVISIONING-FAILED";
  return "";
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  std::set<std::tuple<std::string, std::string, std::string>> explained;
  for (const Finding& f : findings) {
    explained.emplace(f.object.kind, f.object.ns, f.object.name);
    for (const ObjectRef& o : f.also_affects) explained.emplace(o.kind, o.ns, o.name);
  }
  // The kernel's OOM kills on a node are the node-side view of containers already reported as
  // OOMKilled there (node-problem-detector's kernel-monitor emits OOMKilling).
  std::set<std::string_view> nodes_with_oom;
  for (const Finding& f : findings) {
    if (f.catalog != "POD-CRASH-OOMKILLED") continue;
    auto note_node = [&](const ObjectRef& r) {
      if (const Object* pod = ctx.cluster.find("Pod", r.ns, r.name)) {
        nodes_with_oom.insert(pod->spec()["nodeName"].str());
      }
    };
    note_node(f.object);
    for (const ObjectRef& o : f.also_affects) note_node(o);
  }
  // (namespace, reason) -> events, in order.
  std::map<std::pair<std::string_view, std::string_view>, std::vector<const Event*>> groups;
  for (const Event& e : ctx.cluster.events()) {
    if (!e.is_warning() || is_noise(e)) continue;
    if (explained.count({std::string(e.kind), std::string(e.ns), std::string(e.name)}) > 0)
      continue;
    if (e.kind == "Node" && e.reason == "OOMKilling" && nodes_with_oom.count(e.name) > 0) continue;
    // A pod that is Running and Ready now has recovered from what its old events say.
    if (e.kind == "Pod") {
      if (const Object* pod = ctx.cluster.find("Pod", e.ns, e.name)) {
        std::string_view phase = pod->status()["phase"].str();
        if (phase == "Succeeded") continue;
        bool ready = false;
        for (const Value& c : pod->status()["conditions"].items()) {
          if (c["type"].str() == "Ready" && c["status"].str() == "True") ready = true;
        }
        if (ready) continue;
      } else if (!ctx.cluster.of_kind("Pod").empty()) {
        continue;  // the pod is gone: its events are history
      }
    }
    groups[{e.ns, e.reason}].push_back(&e);
  }
  for (const auto& [key, events] : groups) {
    const Event* last = events.front();
    std::int64_t total = 0;
    std::set<std::string> objects;
    for (const Event* e : events) {
      total += e->count;
      objects.insert(fmt::format("{}/{}", e->kind, e->name));
      if (e->last_seen.value_or(0) > last->last_seen.value_or(0)) last = e;
    }
    ObjectRef ref{std::string(last->kind), std::string(last->ns), std::string(last->name),
                  std::string(last->uid)};
    Finding& f = sink.add(
        kUnexplained, ref,
        fmt::format("{} Warning event{} \"{}\" on {} object{}{}", total, total == 1 ? "" : "s",
                    key.second, objects.size(), objects.size() == 1 ? "" : "s",
                    last->last_seen ? ", last at " + format_utc_minute(*last->last_seen) : ""),
        key.second);
    f.catalog = std::string(catalog_for(*last));
    std::size_t shown = 0;
    std::set<std::string> listed{ref.key()};
    for (const Event* e : events) {
      ObjectRef other{std::string(e->kind), std::string(e->ns), std::string(e->name),
                      std::string(e->uid)};
      if (listed.insert(other.key()).second) f.also_affects.push_back(std::move(other));
      if (shown++ >= 5) continue;
      Evidence ev = event_evidence(ctx.cluster, *e);
      ev.object = fmt::format("{}/{}", e->kind, e->name);
      f.evidence.push_back(std::move(ev));
    }
    f.fix = fmt::format(
        "{}describe {} {} — the events above come from {}; no rule of "
        "ktriage explains them yet.",
        last->ns.empty() ? "kubectl " : fmt::format("kubectl -n {} ", last->ns), last->kind,
        last->name, last->component.empty() ? "an unnamed component" : last->component);
  }
}

}  // namespace

const AnalyzerDef& events_analyzer() {
  static const AnalyzerDef kDef{"events", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
