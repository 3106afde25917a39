// Practice: long-running containers have a readiness and a liveness probe, and the two differ.
// Without readiness a Service sends traffic to a pod that is still starting; without liveness a
// hung process is never restarted. Liveness is only info: a wrong liveness probe restarts
// healthy pods, so some teams leave it out on purpose. Identical probes (kube-score's
// pod-probes-identical) restart a pod that is merely busy, instead of taking it out of the
// Service. Pods that run to completion (Jobs, CronJobs, restartPolicy Never/OnFailure) and init
// containers are left out: nothing routes to them.
//
// Unlike kube-score, readiness is asked for whether or not a Service in the set selects the pod:
// the Service often lives in another file or chart, or is added later.
#include <fmt/format.h>

#include <array>

#include "lint/checks.h"
#include "lint/practices.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/tasks/configure-pod-container/"
    "configure-liveness-readiness-startup-probes/";
constexpr std::array kRules{
    LintRule{"practice-readiness-probe-missing", "", Severity::kWarning,
             "A long-running pod none of whose containers has a readiness probe",
             "Add a readinessProbe that succeeds once the container can serve", kDoc},
    LintRule{"practice-liveness-probe-missing", "", Severity::kInfo,
             "A long-running container without a liveness probe",
             "Add a livenessProbe that fails only when the process must be restarted", kDoc},
    LintRule{"practice-probes-identical", "", Severity::kWarning,
             "A container whose liveness probe is its readiness probe",
             "Make the livenessProbe more lenient than the readinessProbe", kDoc},
};

// Two probes are the same when their handler (exec, httpGet, tcpSocket, grpc) is the same;
// timings differ harmlessly only if liveness is the more lenient, which is then the user's
// explicit choice, so kube-score and ktriage compare the handler alone.
bool same_handler(const Value& a, const Value& b) {
  for (std::string_view h : {"exec", "httpGet", "tcpSocket", "grpc"}) {
    if (a[h].is_null() != b[h].is_null()) return false;
    if (!a[h].is_null()) return same_value(a[h], b[h]);
  }
  return false;
}

// Readiness is judged per pod: a pod is ready when all its containers are, and a container
// without a readinessProbe counts as ready once started, so one probe (on the serving container)
// gates the whole pod and sidecars need none (kube-score's pod-probes-on-different-containers).
// Liveness is per container: each container restarts on its own.
void check_readiness(const PodTemplate& t, const std::vector<TemplateContainer>& app,
                     std::vector<Finding>& out) {
  if (app.empty()) return;
  for (const TemplateContainer& c : app) {
    if (!(*c.spec)["readinessProbe"].is_null()) return;
  }
  const TemplateContainer& c = app.front();
  add_practice_finding(
      out, kRules[0], t,
      fmt::format("{} {}: no container has a readinessProbe, so its pods receive Service "
                  "traffic as soon as they start",
                  t.owner->kind, t.owner->name),
      {}, c.path + ".readinessProbe", "(not set)",
      fmt::format("Add {}.readinessProbe (an httpGet on the health path, or a tcpSocket on the "
                  "serving port) to the container that serves",
                  c.path));
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    if (t.runs_to_completion) continue;
    std::vector<TemplateContainer> app;
    for (TemplateContainer& c : template_containers(t)) {
      if (!c.init) app.push_back(std::move(c));
    }
    check_readiness(t, app, out);
    for (const TemplateContainer& c : app) {
      const Value& ready = (*c.spec)["readinessProbe"];
      const Value& live = (*c.spec)["livenessProbe"];
      const std::string who =
          fmt::format("{} {} container `{}`", t.owner->kind, t.owner->name, c.name);
      if (live.is_null()) {
        add_practice_finding(out, kRules[1], t, who + " has no livenessProbe", c.name,
                             c.path + ".livenessProbe", "(not set)",
                             fmt::format("Add {}.livenessProbe that fails only when the process "
                                         "is stuck, with a failureThreshold above readiness's",
                                         c.path));
      }
      if (!ready.is_null() && !live.is_null() && same_handler(ready, live)) {
        add_practice_finding(
            out, kRules[2], t, who + " checks liveness with its readiness probe", c.name,
            c.path + ".livenessProbe", "same handler as readinessProbe",
            fmt::format("Point {}.livenessProbe at a cheaper check (or give it a higher "
                        "failureThreshold) so a busy pod leaves the Service instead of restarting",
                        c.path));
      }
    }
  }
}

}  // namespace

const LintCheck kPracticesProbesCheck{"practices-probes", kRules, run};

}  // namespace ktriage::lint
