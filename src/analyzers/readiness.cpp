// Pods that run but do not work: containers kept out of service by a failing readiness or startup
// probe, probes aimed at a port the container does not have, and manifests whose misspelt fields
// the API server dropped (so the object runs without the setting). Catalog: fault-catalog.md
// sections 9 (POD-PROBE-*) and 10 (POD-RUNNING-MANIFEST-FIELD-TYPO).
//
// Where the texts come from:
//   kubelet (pkg/kubelet/prober/prober.go, v1.16-v1.35): Unhealthy "Readiness probe failed: <out>",
//     "Startup probe failed: <out>", "<Kind> probe errored: <err>"; a probe port name missing from
//     the container's ports errors as 'strconv.Atoi: parsing "<name>": invalid syntax'.
//   kubelet (pkg/kubelet/kuberuntime/kuberuntime_manager.go, v1.18+): Killing "Container <c>
//     failed startup probe, will be restarted".
//   kubelet status manager (v1.0+): Ready condition False, reason ContainersNotReady, message
//     "containers with unready status: [<c>]".
//   kubectl apply (all versions): annotation kubectl.kubernetes.io/last-applied-configuration.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/applied_diff.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"
#include "analyzers/common/probes.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr std::string_view kProbeDoc =
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-"
    "probes/";

constexpr Severity kCrit = Severity::kCritical;
constexpr Severity kWarn = Severity::kWarning;

// clang-format off
constexpr Rule kReadiness{"probe-readiness-failed", "POD-PROBE-READINESS-FAILED", kCrit,
    "Readiness probe fails: the pod is not Ready and gets no Service traffic",
    "Correct the probe (path, port, timeout) or fix what the health endpoint checks.", kProbeDoc};
constexpr Rule kStartup{"probe-startup-failed", "POD-PROBE-STARTUP-FAILED", kCrit,
    "Startup probe fails: the kubelet restarts the container before it has started",
    "Give the app time to start (raise failureThreshold), or fix the endpoint.", kProbeDoc};
constexpr Rule kNamedPort{"probe-named-port-missing", "POD-PROBE-NAMED-PORT-MISSING", kCrit,
    "Probe port is a name no port of the container carries: the probe always errors",
    "Name the container port, correct the spelling, or give the probe the port number.", kProbeDoc};
constexpr Rule kUndeclaredPort{"probe-port-not-declared", "POD-PROBE-NAMED-PORT-MISSING", kWarn,
    "Failing probe targets a port number the container does not declare",
    "Point the probe at the port the app listens on (one of the declared ports).", kProbeDoc};
constexpr Rule kTypo{"manifest-field-typo", "POD-RUNNING-MANIFEST-FIELD-TYPO", kWarn,
    "Applied field is not a field: the API server dropped it and the object runs without it",
    "Correct the field's name or indentation and re-apply with kubectl apply --validate=strict.",
    "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation"};
// clang-format on
constexpr Rule kRules[] = {kReadiness, kStartup, kNamedPort, kUndeclaredPort, kTypo};

constexpr ProbeKind kProbeKinds[] = {ProbeKind::kLiveness, ProbeKind::kReadiness,
                                     ProbeKind::kStartup};

// Kinds whose last-applied configuration is compared: the built-in workloads and Services, whose
// field names the suggestion list knows. Custom resources prune unknown fields too, but their
// schemas are not in the list.
constexpr std::string_view kTypoKinds[] = {
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
    "Job", "CronJob",    "Service",
};

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

std::string port_value_text(const Value& port) {
  return port.is_string() ? std::string(port.str()) : std::to_string(port.as_int());
}

std::string probe_port_path(const ContainerView& c, ProbeKind kind, const Value& probe) {
  for (std::string_view handler : {"httpGet", "tcpSocket", "grpc"}) {
    if (probe[handler].is_object()) {
      return fmt::format("{}.{}.{}.port", c.spec_path(), probe_field(kind), handler);
    }
  }
  return c.spec_path() + "." + std::string(probe_field(kind));
}

// Ports: a named probe port that no container port carries (always a fault), or a number that is
// not declared while other ports are (a hint, when the probe is failing).
// Returns the probes reported, so the probe-failure checks below do not repeat them.
std::vector<ProbeKind> check_ports(const AnalysisContext& ctx, const Object& pod,
                                   const ContainerView& c, FindingSink& sink) {
  std::vector<ProbeKind> reported;
  for (ProbeKind kind : kProbeKinds) {
    const Value& probe = (*c.spec)[probe_field(kind)];
    if (!probe.is_object()) continue;
    const PortMatch match = match_probe_port(probe, *c.spec);
    // The events and the workload are read only for a port that is wrong: almost every probe
    // is fine, and reading them for each one was most of this analyzer's time.
    if (match != PortMatch::kNamedMissing && match != PortMatch::kNumberUndeclared) continue;
    const ProbeEvents ev = probe_events(ctx.cluster, pod, c, kind);
    const bool failing = ev.any() || !c.ready();
    if (match == PortMatch::kNumberUndeclared && !failing) continue;
    const std::string workload = workload_name(ctx.cluster, pod);
    const std::string port = port_value_text(probe_port(probe));
    const std::string part = fmt::format("{}/{}", c.name, probe_field(kind));
    Finding& f =
        match == PortMatch::kNamedMissing
            ? sink.add(kNamedPort, pod,
                       fmt::format("{} probe of container {} targets port \"{}\", which no port of "
                                   "the container is named: the probe errors every time",
                                   probe_word(kind), c.name, port),
                       part)
            : sink.add(kUndeclaredPort, pod,
                       fmt::format("{} probe of container {} targets port {}, which the container "
                                   "does not declare (it declares {})",
                                   probe_word(kind), c.name, port, declared_ports_text(*c.spec)),
                       part);
    f.evidence.push_back(field_evidence(pod, probe_port_path(c, kind, probe), port));
    f.evidence.push_back(
        field_evidence(pod, c.spec_path() + ".ports", declared_ports_text(*c.spec)));
    if (ev.unhealthy != nullptr) f.evidence.push_back(event_evidence(ctx.cluster, *ev.unhealthy));
    if (ev.killing != nullptr) f.evidence.push_back(event_evidence(ctx.cluster, *ev.killing));
    f.fix = match == PortMatch::kNamedMissing
                ? probe_fix(kind, c, "", workload)
                : fmt::format(
                      "Set the port of {} of container {} to the port the app listens on "
                      "(declared: {}) in {}, or declare {} if the app really serves it.",
                      probe_field(kind), c.name, declared_ports_text(*c.spec), workload, port);
    f.fix += recreate_note(pod, f.fix);
    reported.push_back(kind);
  }
  return reported;
}

// A failing readiness or startup probe of a container that is not ready, in a pod that is not
// Ready. Severity: critical when the Ready condition is False; warning when the pod reports no
// Ready condition (the snapshot cannot tell whether it serves).
void report_probe_failure(const AnalysisContext& ctx, const PodView& pv, const ContainerView& c,
                          ProbeKind kind, const ProbeEvents& ev, FindingSink& sink) {
  const Object& pod = pv.object();
  const Value& probe = (*c.spec)[probe_field(kind)];
  const std::string_view failure = ev.unhealthy != nullptr ? probe_failure_text(*ev.unhealthy) : "";
  const std::string because = failure.empty() ? "" : fmt::format(" ({})", shorten(failure, 120));
  const bool startup = kind == ProbeKind::kStartup;
  Finding& f = sink.add(
      startup ? kStartup : kReadiness, pod,
      startup ? fmt::format("Startup probe of container {} fails{}: the kubelet restarts it before "
                            "it has started ({} restarts)",
                            c.name, because, c.restarts())
              : fmt::format("Readiness probe of container {} fails{}: the pod is not Ready and "
                            "gets no Service traffic",
                            c.name, because),
      c.name);
  const Value& ready = pv.condition("Ready");
  if (ready["status"].str() != "False") f.severity = Severity::kWarning;
  if (ev.unhealthy != nullptr) f.evidence.push_back(event_evidence(ctx.cluster, *ev.unhealthy));
  if (ev.killing != nullptr) f.evidence.push_back(event_evidence(ctx.cluster, *ev.killing));
  if (probe.is_object()) {
    f.evidence.push_back(field_evidence(pod, c.spec_path() + "." + std::string(probe_field(kind)),
                                        probe_text(probe)));
  }
  if (!c.status_path().empty()) {
    f.evidence.push_back(field_evidence(pod, c.status_path() + ".ready", "false"));
    if (startup) {
      f.evidence.push_back(
          field_evidence(pod, c.status_path() + ".restartCount", std::to_string(c.restarts())));
    }
  }
  if (!ready.is_null()) {
    f.evidence.push_back(field_evidence(pod, ".status.conditions[Ready]", condition_text(ready)));
  }
  f.fix = probe_fix(kind, c, failure, workload_name(ctx.cluster, pod));
  f.fix += recreate_note(pod, f.fix);
}

void check_pod(const AnalysisContext& ctx, const Object& pod, FindingSink& sink) {
  const PodView pv(pod);
  if (pv.phase() != "Running" || pv.being_deleted()) return;
  const std::vector<ContainerView> containers = pv.app_containers();
  std::vector<std::vector<ProbeKind>> port_reported;
  for (const ContainerView& c : containers) port_reported.push_back(check_ports(ctx, pod, c, sink));
  if (pv.ready()) return;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const ContainerView& c = containers[i];
    if (c.ready()) continue;
    auto already = [&](ProbeKind k) {
      return std::find(port_reported[i].begin(), port_reported[i].end(), k) !=
             port_reported[i].end();
    };
    // Startup first: until it passes, readiness is not probed. A container restarted by its
    // startup probe is reported here (the crashes analyzer leaves it); one that exits by itself
    // is the crashes analyzer's.
    const bool running = c.status->is_null() || !c.state()["running"].is_null();
    const ProbeEvents startup = probe_events(ctx.cluster, pod, c, ProbeKind::kStartup);
    if (startup.any() && !(*c.status)["started"].as_bool() &&
        (running || probe_explains_restart(startup, c))) {
      if (!already(ProbeKind::kStartup)) {
        report_probe_failure(ctx, pv, c, ProbeKind::kStartup, startup, sink);
      }
      continue;
    }
    // A container that is not running is the crashes analyzer's; readiness is only its symptom.
    // Without a status entry (a trimmed snapshot) the events alone speak.
    if (!running) continue;
    const ProbeEvents ev = probe_events(ctx.cluster, pod, c, ProbeKind::kReadiness);
    if (ev.unhealthy != nullptr && !already(ProbeKind::kReadiness)) {
      report_probe_failure(ctx, pv, c, ProbeKind::kReadiness, ev, sink);
    }
  }
}

// "\"Always\"" for a string, "8080" for a number, "{limits, requests}" for an object (its keys),
// "[2 items]" for an array.
std::string value_text(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString:
      return fmt::format("\"{}\"", shorten(v.str(), 80));
    case Value::Type::kInt:
    case Value::Type::kDouble:
      return std::to_string(v.as_int());
    case Value::Type::kBool:
      return v.as_bool() ? "true" : "false";
    case Value::Type::kArray:
      return fmt::format("[{} items]", v.size());
    case Value::Type::kObject: {
      std::string keys;
      for (const Member& m : v.members()) keys += (keys.empty() ? "" : ", ") + std::string(m.key);
      return "{" + shorten(keys, 80) + "}";
    }
    case Value::Type::kNull:
      break;
  }
  return "null";
}

void check_applied_fields(const Object& obj, FindingSink& sink) {
  const Value& applied = *obj.last_applied;  // the annotation, parsed by the loader
  if (applied.is_null()) return;
  const std::string name = kubectl_name(obj);
  for (const DroppedField& d : dropped_fields(applied, *obj.root)) {
    const std::string where = d.parent.empty() ? "the object's top level" : d.parent;
    std::string summary =
        fmt::format("{} is not a field{}: the API server dropped it", d.path,
                    is_known_field_name(d.key) ? fmt::format(" of {}", where) : "");
    if (!d.suggestion.empty()) summary += fmt::format("; did you mean {}?", d.suggestion);
    Finding& f = sink.add(kTypo, obj, std::move(summary), d.path);
    // Values under env, data or stringData may be credentials: name the field, not its value.
    const bool may_be_secret = d.path.find(".env[") != std::string::npos ||
                               d.path.find("data.") != std::string::npos ||
                               d.path.find("Data.") != std::string::npos;
    const auto shown = [&](const Value& v) {
      return may_be_secret && v.is_string() ? std::string("(value hidden)") : value_text(v);
    };
    f.evidence.push_back(field_evidence(obj, fmt::format(".metadata.annotations[{}]", kLastApplied),
                                        fmt::format("{}: {}", d.path, shown(*d.applied))));
    if (!d.suggestion.empty() && !d.live_suggestion->is_null()) {
      f.evidence.push_back(field_evidence(
          obj, fmt::format(".{}{}{}", d.parent, d.parent.empty() ? "" : ".", d.suggestion),
          fmt::format("{} (live value; the applied {} never reached it)", shown(*d.live_suggestion),
                      shown(*d.applied))));
    } else {
      f.evidence.push_back(field_evidence(obj, "." + d.path, "(absent from the live object)"));
    }
    f.fix = d.suggestion.empty()
                ? fmt::format(
                      "Move {} to where it is a field (or remove it) in the manifest of "
                      "{}, then re-apply with validation so unknown fields fail: kubectl "
                      "apply --validate=strict -f FILE",
                      d.key, name)
                : fmt::format(
                      "Rename {} to {} at {} in the manifest of {} and re-apply with "
                      "validation so unknown fields fail: kubectl apply --validate=strict "
                      "-f FILE",
                      d.key, d.suggestion, where, name);
  }
}

// Each Pod, then the applied fields of the kinds kTypoKinds names.
class Pass final : public PodPass {
 public:
  explicit Pass(const AnalysisContext& ctx) : ctx_(ctx) {}
  void pod(const Object& pod, FindingSink& sink) override { check_pod(ctx_, pod, sink); }
  void finish(FindingSink& sink) override {
    for (std::string_view kind : kTypoKinds) {
      for (const Object* obj : ctx_.cluster.of_kind(kind)) check_applied_fields(*obj, sink);
    }
  }

 private:
  const AnalysisContext& ctx_;
};

}  // namespace

const AnalyzerDef& readiness_analyzer() {
  static const AnalyzerDef kDef{"readiness", kRules, nullptr, nullptr, start_pod_pass<Pass>};
  return kDef;
}

}  // namespace ktriage
