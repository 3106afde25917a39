// Pod rendering: metadata, spec (render_spec.cpp) and a status consistent with the pod's fault.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "plan_internal.h"
#include "render.h"

namespace gen {
namespace {

// What the status of one pod says, worked out once and shared by its parts.
struct PodState {
  const Plan& plan;
  const Pod& pod;
  const Deployment& d;
  size_t index;
  Uid uid;
  Rng rng;
  int64_t unready_since = 0;   // when Ready went False (0 if the pod is Ready)
  int64_t crash_finished = 0;  // end of the last OOMKilled run
};

// "docker.io/envoyproxy/envoy:v1" for "envoyproxy/envoy:v1", as containerd reports images.
std::string normalized_image(const std::string& image) {
  const size_t slash = image.find('/');
  if (slash == std::string::npos) return "docker.io/library/" + image;
  const std::string host = image.substr(0, slash);
  if (host.find('.') == std::string::npos && host.find(':') == std::string::npos) {
    return "docker.io/" + image;
  }
  return image;
}

std::string image_id(const PodState& s, size_t ci) {
  std::string image = normalized_image(s.d.containers[ci].image);
  image.resize(image.rfind(':'));
  return image + "@" + image_digest(s.plan, s.d, ci);
}

std::string container_id(const PodState& s, size_t ci, int generation) {
  Rng rng(s.plan.opt.seed, kSaltContainer,
          (uint64_t{s.index} << 8) | (ci << 4) | static_cast<uint64_t>(generation & 0xf));
  std::string id = "containerd://";
  append_hex(id, rng, 4);
  return id;
}

// Go's time.Duration text of the kubelet's crash back-off: 10s doubling up to 5m0s.
std::string backoff_text(int32_t restarts) {
  int64_t s = 10;
  for (int32_t i = 1; i < restarts && s < 300; ++i) s *= 2;
  s = std::min<int64_t>(s, 300);
  return s < 60 ? fmt::format("{}s", s) : fmt::format("{}m{}s", s / 60, s % 60);
}

void render_condition(Json& w, int64_t when, std::string_view message, std::string_view reason,
                      bool ok, std::string_view type) {
  w.obj().knull("lastProbeTime").kstr("lastTransitionTime", Time(when).view());
  if (!message.empty()) w.kstr("message", message);
  if (!reason.empty()) w.kstr("reason", reason);
  w.kstr("status", ok ? "True" : "False").kstr("type", type).end();
}

void render_conditions(Json& w, const PodState& s) {
  const Pod& p = s.pod;
  const std::string unready =
      s.unready_since ? fmt::format("containers with unready status: [{}]", s.d.containers[0].name)
                      : std::string();
  const std::string_view reason = s.unready_since ? "ContainersNotReady" : "";
  const int64_t ready_at = s.unready_since ? s.unready_since : p.started + 8;
  w.karr("conditions");
  render_condition(w, p.created + 2, "", "", true, "PodReadyToStartContainers");
  render_condition(w, p.created + 1, "", "", true, "Initialized");
  render_condition(w, ready_at, unready, reason, !s.unready_since, "Ready");
  render_condition(w, ready_at, unready, reason, !s.unready_since, "ContainersReady");
  render_condition(w, p.created + 1, "", "", true, "PodScheduled");
  w.end();
}

void render_user_and_mounts(Json& w, const PodState& s, size_t ci) {
  // Hardened pods run as 10001 with fsGroup 10001; the others as the image's root user.
  const int uid = s.d.hardened ? 10001 : 0;
  w.kobj("user").kobj("linux").knum("gid", 0).karr("supplementalGroups").num(0);
  if (s.d.hardened) w.num(10001);
  w.end().knum("uid", uid).end().end();
  w.karr("volumeMounts");
  const std::string api = api_access_volume(s.plan, s.index);
  for (const Mount& m : container_mounts(s.d, s.d.containers[ci], api)) {
    w.obj().kstr("mountPath", m.path).kstr("name", m.name);
    if (m.read_only) w.kbool("readOnly", true).kstr("recursiveReadOnly", "Disabled");
    w.end();
  }
  w.end();
}

// One containerStatuses entry. The main container (ci == 0) carries the pod's fault.
void render_container_status(Json& w, PodState& s, size_t ci) {
  const Container& c = s.d.containers[ci];
  const Fault fault = ci == 0 ? s.d.fault : Fault::kNone;
  const bool created = fault != Fault::kImagePull && fault != Fault::kConfigKey;
  const bool running = created && fault != Fault::kCrashOom;
  const int32_t restarts = fault == Fault::kCrashOom ? s.pod.restarts : 0;
  w.obj();
  if (created) w.kstr("containerID", container_id(s, ci, restarts));
  w.kstr("image", fault == Fault::kImagePull ? c.image : normalized_image(c.image));
  w.kstr("imageID", created ? image_id(s, ci) : std::string());
  if (fault == Fault::kCrashOom) {
    w.kobj("lastState").kobj("terminated").kstr("containerID", container_id(s, ci, restarts));
    w.knum("exitCode", 137).kstr("finishedAt", Time(s.crash_finished).view());
    w.kstr("reason", "OOMKilled").kstr("startedAt", Time(s.pod.fault_since).view()).end().end();
  } else {
    w.kempty_obj("lastState");
  }
  w.kstr("name", c.name).kbool("ready", running && fault != Fault::kReadiness);
  // status.containerStatuses[].resources: in-place resize is beta and on since 1.33.
  if (created) render_container_resources(w, c);
  w.knum("restartCount", restarts).kbool("started", running);
  w.kobj("state");
  if (running) {
    w.kobj("running").kstr("startedAt", Time(s.pod.started + static_cast<int64_t>(ci)).view());
  } else {
    w.kobj("waiting");
    switch (fault) {
      case Fault::kCrashOom:
        w.kstr("message", fmt::format("back-off {} restarting failed container={} pod={}_{}({})",
                                      backoff_text(restarts), c.name, s.pod.name,
                                      s.plan.namespaces[s.d.ns], s.uid.view()));
        w.kstr("reason", "CrashLoopBackOff");
        break;
      case Fault::kImagePull:
        w.kstr("message", fmt::format("Back-off pulling image \"{}\": ErrImagePull: {}", c.image,
                                      image_pull_error(c.image)));
        w.kstr("reason", "ImagePullBackOff");
        break;
      default:
        w.kstr("message", config_key_error(s.plan, s.d))
            .kstr("reason", "CreateContainerConfigError");
        break;
    }
  }
  w.end().end();
  if (created) render_user_and_mounts(w, s, ci);
  w.end();
}

void render_pending_status(Json& w, const PodState& s) {
  w.karr("conditions");
  render_condition(w, s.pod.created + 1, s.d.pending_msg, "Unschedulable", false, "PodScheduled");
  w.end();
  w.kstr("phase", "Pending").kstr("qosClass", "Burstable");
}

void render_status(Json& w, PodState& s) {
  const Pod& p = s.pod;
  w.kobj("status");
  if (p.node < 0) {
    render_pending_status(w, s);
    w.end();
    return;
  }
  render_conditions(w, s);
  std::vector<size_t> order(s.d.containers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return s.d.containers[a].name < s.d.containers[b].name; });
  w.karr("containerStatuses");
  for (size_t ci : order) render_container_status(w, s, ci);
  w.end();
  const std::string host_ip = ip_string(s.plan.nodes[static_cast<size_t>(p.node)].ip);
  const std::string pod_ip = ip_string(p.ip);
  w.kstr("hostIP", host_ip).karr("hostIPs").obj().kstr("ip", host_ip).end().end();
  const bool pending = s.d.fault == Fault::kImagePull || s.d.fault == Fault::kConfigKey;
  w.kstr("phase", pending ? "Pending" : "Running");
  w.kstr("podIP", pod_ip).karr("podIPs").obj().kstr("ip", pod_ip).end().end();
  w.kstr("qosClass", "Burstable").kstr("startTime", Time(p.created + 1).view());
  w.end();
}

}  // namespace

void render_pod(Json& w, const Plan& plan, size_t i) {
  const Pod& p = plan.pods[i];
  const Deployment& d = plan.deps[p.dep];
  PodState s{
      plan, p, d, i, Uid(plan.opt.seed, kSaltPod, i), Rng(plan.opt.seed, kSaltPod ^ 0x2000, i)};
  switch (d.fault) {
    case Fault::kCrashOom:
      s.crash_finished = p.fault_since + s.rng.range(5, 40);
      s.unready_since = s.crash_finished;
      break;
    case Fault::kImagePull:
    case Fault::kConfigKey:
      s.unready_since = p.created + 1;
      break;
    case Fault::kReadiness:
      s.unready_since = p.fault_since;
      break;
    default:
      break;
  }
  w.obj().kstr("apiVersion", "v1").kstr("kind", "Pod").kobj("metadata");
  render_pod_annotations(w, d);
  w.kstr("creationTimestamp", Time(p.created).view()).kstr("generateName", d.rs_name + "-");
  render_pod_labels(w, plan, d, true);
  w.kstr("name", p.name).kstr("namespace", plan.namespaces[d.ns]);
  render_owner(w, "apps/v1", "ReplicaSet", d.rs_name,
               Uid(plan.opt.seed, kSaltReplicaSet, d.id).view());
  w.kstr("resourceVersion", resource_version(s.rng)).kstr("uid", s.uid.view()).end();
  render_pod_spec(w, plan, d, &p, i);
  render_status(w, s);
  w.end();
}

}  // namespace gen
