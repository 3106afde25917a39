// Container probes as the kubelet runs them: the definition in words, the kubelet's probe events
// for one container and a concrete fix read from the probe's failure text (the probe's port
// against the container's ports is model/ports.h, which lint shares). Shared by the crashes
// (liveness kills) and readiness (readiness, startup, ports) analyzers. Reads only the Cluster it
// is given.
//
// Event texts (kubelet, pkg/kubelet/prober/prober.go, v1.16 to v1.35, reason "Unhealthy"):
//   "<Liveness|Readiness|Startup> probe failed: <output>", "<...> probe errored: <error>"
// Kill texts (kubelet, pkg/kubelet/kuberuntime/kuberuntime_manager.go, v1.16+, reason "Killing"):
//   "Container <name> failed <liveness|startup> probe, will be restarted"
#pragma once

#include <string>
#include <string_view>

#include "model/cluster.h"
#include "model/pod.h"
#include "model/ports.h"

namespace ktriage {

enum class ProbeKind { kLiveness, kReadiness, kStartup };

/// "Liveness", "Readiness", "Startup": the word the kubelet starts its Unhealthy events with.
std::string_view probe_word(ProbeKind kind);
/// "livenessProbe", "readinessProbe", "startupProbe": the container field.
std::string_view probe_field(ProbeKind kind);

/// Whether `e` is about container `name`: its field path is "spec.containers{name}" (or
/// initContainers), or it has no field path and the pod has a single container. O(1).
bool event_about_container(const Event& e, std::string_view name, bool single_container);

/// The latest event of `reason` about one container of `pod` whose message contains `contains`;
/// nullptr when none. O(events of the pod).
const Event* latest_container_event(const Cluster& cluster, const Object& pod,
                                    const ContainerView& c, std::string_view reason,
                                    std::string_view contains = {});

/// The kubelet's events about one probe of one container: the latest Unhealthy
/// "<Kind> probe failed|errored: ..." and the latest Killing "... failed <kind> probe ...".
struct ProbeEvents {
  const Event* unhealthy = nullptr;
  const Event* killing = nullptr;
  bool any() const { return unhealthy != nullptr || killing != nullptr; }
};
/// O(events of the pod).
ProbeEvents probe_events(const Cluster& cluster, const Object& pod, const ContainerView& c,
                         ProbeKind kind);

/// Whether the probe's events explain the container's last restart: the kubelet's Killing event
/// says so, or an Unhealthy event is there and the last exit looks like a kill (SIGTERM: 143, or
/// 0 when the app handles it; SIGKILL: 137; or no exit recorded). An app that exits 1 on its own
/// is not killed by an incidental probe failure. O(1).
bool probe_explains_restart(const ProbeEvents& ev, const ContainerView& c);

/// What the probe said, after "<Kind> probe failed: " or "... errored: "
/// ("HTTP probe failed with statuscode: 404"); the whole message when the prefix is absent.
/// A view into the event's message.
std::string_view probe_failure_text(const Event& unhealthy);

/// The probe definition for people, with kubelet defaults marked: "httpGet GET :5555/flower/;
/// initialDelaySeconds 0 (default), periodSeconds 10 (default), timeoutSeconds 1 (default),
/// failureThreshold 3 (default)".
std::string probe_text(const Value& probe);

/// A concrete fix for `kind` probe of container `c` failing with `failure` (see
/// probe_failure_text); `workload` is where to change it ("deployment/web").
std::string probe_fix(ProbeKind kind, const ContainerView& c, std::string_view failure,
                      std::string_view workload);

}  // namespace ktriage
