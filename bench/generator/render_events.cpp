// core/v1 Events as `kubectl get events -A -o json` shows them. Kubelet and controller events
// are legacy events (count, firstTimestamp, lastTimestamp, source); the scheduler's are written
// through events.k8s.io/v1, so they show eventTime, action, reportingController and, when
// repeated, series instead (unless --legacy-scheduler-events).
#include <string>

#include <fmt/format.h>

#include "plan_internal.h"
#include "render.h"

namespace gen {
namespace {

struct EventText {
  std::string_view reason;
  bool warning;
  std::string message;
};

EventText describe(const Plan& plan, const EventRec& e) {
  const bool pod_event = e.what != Ev::kScalingReplicaSet;
  const Pod* p = pod_event ? &plan.pods[e.obj] : nullptr;
  const Deployment& d = plan.deps[p ? p->dep : e.obj];
  const Container& c = d.containers[e.what == Ev::kSuccessfulCreate ? 0 : e.container];
  const std::string& ns = plan.namespaces[d.ns];
  switch (e.what) {
    case Ev::kScheduled:
      return {"Scheduled", false,
              fmt::format("Successfully assigned {}/{} to {}", ns, p->name,
                          plan.nodes[static_cast<size_t>(p->node)].name)};
    case Ev::kFailedScheduling:
      return {"FailedScheduling", true, d.pending_msg};
    case Ev::kPulling:
      return {"Pulling", false, fmt::format("Pulling image \"{}\"", c.image)};
    case Ev::kPulledPresent:
      return {"Pulled", false,
              fmt::format("Container image \"{}\" already present on machine", c.image)};
    case Ev::kPulledFresh: {
      const double secs = static_cast<double>(e.first_us % 9000000) / 1e6 + 0.4;
      return {"Pulled", false,
              fmt::format("Successfully pulled image \"{}\" in {:.3f}s ({:.3f}s including "
                          "waiting). Image size: {} bytes.",
                          c.image, secs, secs + 0.021, 20000000 + e.first_us % 180000000)};
    }
    case Ev::kCreated:
      return {"Created", false, "Created container: " + c.name};
    case Ev::kStarted:
      return {"Started", false, "Started container " + c.name};
    case Ev::kBackOffRestart:
      return {"BackOff", true,
              fmt::format("Back-off restarting failed container {} in pod {}_{}({})", c.name,
                          p->name, ns, Uid(plan.opt.seed, kSaltPod, e.obj).view())};
    case Ev::kPullFailed:
      return {"Failed", true,
              fmt::format("Failed to pull image \"{}\": {}", c.image, image_pull_error(c.image))};
    case Ev::kErrImagePull:
      return {"Failed", true, "Error: ErrImagePull"};
    case Ev::kBackOffPull:
      return {"BackOff", false, fmt::format("Back-off pulling image \"{}\"", c.image)};
    case Ev::kErrImagePullBackOff:
      return {"Failed", true, "Error: ImagePullBackOff"};
    case Ev::kConfigError:
      return {"Failed", true, "Error: " + config_key_error(plan, d)};
    case Ev::kUnhealthy:
      return {"Unhealthy", true, "Readiness probe failed: HTTP probe failed with statuscode: 503"};
    case Ev::kScalingReplicaSet:
      return {"ScalingReplicaSet", false,
              fmt::format("Scaled up replica set {} from 0 to {}", d.rs_name, d.replicas)};
    case Ev::kSuccessfulCreate:
      return {"SuccessfulCreate", false, "Created pod: " + p->name};
  }
  return {"Unknown", false, ""};
}

// involvedObject of the event: the pod (with the container's fieldPath), the ReplicaSet or the
// Deployment.
void render_involved(Json& w, const Plan& plan, const EventRec& e, Rng& rng) {
  w.kobj("involvedObject");
  const std::string& ns = plan.namespaces[e.ns];
  if (e.what == Ev::kScalingReplicaSet || e.what == Ev::kSuccessfulCreate) {
    const Deployment& d =
        plan.deps[e.what == Ev::kScalingReplicaSet ? e.obj : plan.pods[e.obj].dep];
    const bool rs = e.what == Ev::kSuccessfulCreate;
    w.kstr("apiVersion", "apps/v1").kstr("kind", rs ? "ReplicaSet" : "Deployment");
    w.kstr("name", rs ? d.rs_name : d.name).kstr("namespace", ns);
    w.kstr("resourceVersion", resource_version(rng));
    w.kstr("uid", Uid(plan.opt.seed, rs ? kSaltReplicaSet : kSaltDeploy, d.id).view()).end();
    return;
  }
  const Pod& p = plan.pods[e.obj];
  w.kstr("apiVersion", "v1");
  if (e.what != Ev::kScheduled && e.what != Ev::kFailedScheduling) {
    w.kstr("fieldPath", "spec.containers{" + plan.deps[p.dep].containers[e.container].name + "}");
  }
  w.kstr("kind", "Pod").kstr("name", p.name).kstr("namespace", ns);
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltPod, e.obj).view()).end();
}

std::string_view component_of(Ev what) {
  switch (what) {
    case Ev::kScheduled:
    case Ev::kFailedScheduling:
      return "default-scheduler";
    case Ev::kScalingReplicaSet:
      return "deployment-controller";
    case Ev::kSuccessfulCreate:
      return "replicaset-controller";
    default:
      return "kubelet";
  }
}

}  // namespace

void render_event(Json& w, const Plan& plan, size_t i) {
  const EventRec& e = plan.events[i];
  Rng rng(plan.opt.seed, kSaltEvent ^ 0x1000, i);
  const EventText text = describe(plan, e);
  const std::string_view component = component_of(e.what);
  const bool kubelet = component == "kubelet";
  const bool series_style = !plan.opt.legacy_scheduler_events && component == "default-scheduler";
  const std::string node =
      kubelet ? plan.nodes[static_cast<size_t>(plan.pods[e.obj].node)].name : std::string();
  w.obj();
  if (series_style) w.kstr("action", e.what == Ev::kScheduled ? "Binding" : "Scheduling");
  w.kstr("apiVersion", "v1");
  if (series_style) {
    w.kstr("eventTime", MicroTime(e.first_us).view()).knull("firstTimestamp");
  } else {
    w.knum("count", e.count).knull("eventTime");
    w.kstr("firstTimestamp", Time(e.first_us / 1000000).view());
  }
  render_involved(w, plan, e, rng);
  w.kstr("kind", "Event");
  if (series_style) {
    w.knull("lastTimestamp");
  } else {
    w.kstr("lastTimestamp", Time(e.last_us / 1000000).view());
  }
  w.kstr("message", text.message).kobj("metadata");
  w.kstr("creationTimestamp", Time(e.first_us / 1000000).view()).kstr("name", e.name);
  w.kstr("namespace", plan.namespaces[e.ns]).kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltEvent, i).view()).end();
  w.kstr("reason", text.reason).kstr("reportingComponent", component);
  w.kstr("reportingInstance", series_style ? "default-scheduler-cn-hangzhou.10.0.0.4" : node);
  if (series_style && e.count > 1) {
    w.kobj("series").knum("count", e.count);
    w.kstr("lastObservedTime", MicroTime(e.last_us).view()).end();
  }
  w.kobj("source");
  if (!series_style) {
    w.kstr("component", component);
    if (kubelet) w.kstr("host", node);
  }
  w.end().kstr("type", text.warning ? "Warning" : "Normal").end();
}

}  // namespace gen
