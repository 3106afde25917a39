// Plans the core/v1 Events: the warning trail of every faulty pod first, then the Normal events
// of recent rollouts (Scheduled, Pulling/Pulled, Created, Started, ScalingReplicaSet,
// SuccessfulCreate), capped at 2 x pods as a cluster with a one-hour event TTL would hold.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "plan_internal.h"

namespace gen {
namespace {

constexpr int64_t kUs = 1000000;

class EventPlanner {
 public:
  explicit EventPlanner(Plan& plan) : plan_(plan), budget_(2 * plan.opt.pods) {}

  bool full() const { return plan_.events.size() >= budget_; }

  // Adds an event about `object_name` (a pod, or the Deployment/ReplicaSet for the two
  // controller reasons). The name is <object>.<hex unix nanos> as client-go makes it; the low
  // digits carry the reason and container so names never collide within one object.
  void add(const std::string& object_name, uint32_t ns, uint32_t obj, Ev what, uint8_t container,
           int64_t count, int64_t first_us, int64_t last_us) {
    if (full()) return;
    EventRec e;
    const auto tag = static_cast<int64_t>(what) * 16 + container;
    e.name = fmt::format("{}.{:x}", object_name, first_us * 1000 + tag);
    e.ns = ns;
    e.obj = obj;
    e.what = what;
    e.container = container;
    e.count = static_cast<int32_t>(std::clamp<int64_t>(count, 1, 1000000));
    e.first_us = first_us;
    e.last_us = std::max(first_us, last_us);
    plan_.events.push_back(std::move(e));
  }

  void pod(uint32_t pi, Ev what, uint8_t container, int64_t count, int64_t first_us,
           int64_t last_us) {
    const Pod& p = plan_.pods[pi];
    add(p.name, plan_.deps[p.dep].ns, pi, what, container, count, first_us, last_us);
  }

  void fault_trail(uint32_t pi);
  void normal_trail(uint32_t pi);
  void rollout(uint32_t di);

 private:
  Plan& plan_;
  size_t budget_;
};

int64_t at(int64_t seconds, Rng& rng) { return seconds * kUs + rng.range(0, kUs - 1); }

void EventPlanner::fault_trail(uint32_t pi) {
  const Pod& p = plan_.pods[pi];
  const Deployment& d = plan_.deps[p.dep];
  Rng rng(plan_.opt.seed, kSaltEvent, pi);
  const int64_t age = kSnapshot - p.created;
  if (p.node >= 0 && age < kHour) pod(pi, Ev::kScheduled, 0, 1, at(p.created, rng), 0);
  // Each random draw is its own statement: argument evaluation order is unspecified, and the
  // output must not depend on the compiler.
  if (p.node < 0) {
    const int64_t count = 1 + age / rng.range(60, 120);
    const int64_t first = at(p.created, rng);
    pod(pi, Ev::kFailedScheduling, 0, count, first, at(kSnapshot - rng.range(1, 60), rng));
    return;
  }
  const int64_t recent = at(kSnapshot - rng.range(1, 20), rng);
  switch (d.fault) {
    case Fault::kCrashOom: {
      const int64_t n = p.restarts + 1;
      for (auto [what, lead] :
           {std::pair{Ev::kPulledPresent, 2}, {Ev::kCreated, 1}, {Ev::kStarted, 0}}) {
        const int64_t first = at(p.started - lead, rng);
        pod(pi, what, 0, n, first, at(p.fault_since - lead, rng));
      }
      const int64_t backoffs = p.restarts * 3 + rng.range(0, 5);
      const int64_t first_backoff = at(p.started + rng.range(30, 90), rng);
      pod(pi, Ev::kBackOffRestart, 0, backoffs, first_backoff, recent);
      break;
    }
    case Fault::kImagePull: {
      const int64_t pulls = 1 + std::min<int64_t>(age / 300, 500);
      const int64_t backoffs = 1 + age / rng.range(12, 20);
      const int64_t last_pull = at(kSnapshot - rng.range(5, 290), rng);
      pod(pi, Ev::kPulling, 0, pulls, at(p.fault_since, rng), last_pull);
      pod(pi, Ev::kPullFailed, 0, pulls, at(p.fault_since + 1, rng), last_pull + 900000);
      pod(pi, Ev::kErrImagePull, 0, pulls, at(p.fault_since + 1, rng), last_pull + 900100);
      pod(pi, Ev::kBackOffPull, 0, backoffs, at(p.fault_since + 2, rng), recent);
      pod(pi, Ev::kErrImagePullBackOff, 0, backoffs, at(p.fault_since + 2, rng), recent);
      break;
    }
    case Fault::kConfigKey: {
      const int64_t n = 1 + age / rng.range(10, 15);
      pod(pi, Ev::kPulledPresent, 0, n, at(p.fault_since, rng), recent);
      pod(pi, Ev::kConfigError, 0, n, at(p.fault_since, rng), recent + 1000);
      break;
    }
    case Fault::kReadiness:
      pod(pi, Ev::kUnhealthy, 0, 1 + (kSnapshot - p.fault_since) / 10, at(p.fault_since, rng),
          recent);
      break;
    case Fault::kPendingCpu:
    case Fault::kNone:
      break;
  }
}

void EventPlanner::normal_trail(uint32_t pi) {
  const Pod& p = plan_.pods[pi];
  const Deployment& d = plan_.deps[p.dep];
  Rng rng(plan_.opt.seed, kSaltEvent, pi);
  pod(pi, Ev::kScheduled, 0, 1, at(p.created, rng), 0);
  for (size_t ci = 0; ci < d.containers.size(); ++ci) {
    const auto c = static_cast<uint8_t>(ci);
    const int64_t start = p.started + static_cast<int64_t>(ci);
    if (rng.chance(0.3)) {
      pod(pi, Ev::kPulling, c, 1, at(start - 8, rng), 0);
      pod(pi, Ev::kPulledFresh, c, 1, at(start - 3, rng), 0);
    } else {
      pod(pi, Ev::kPulledPresent, c, 1, at(start - 3, rng), 0);
    }
    pod(pi, Ev::kCreated, c, 1, at(start - 1, rng), 0);
    pod(pi, Ev::kStarted, c, 1, at(start, rng), 0);
  }
}

void EventPlanner::rollout(uint32_t di) {
  const Deployment& d = plan_.deps[di];
  Rng rng(plan_.opt.seed, kSaltEvent ^ 0x1000, d.id);
  add(d.name, d.ns, di, Ev::kScalingReplicaSet, 0, 1, at(d.rs_created, rng), 0);
  for (uint32_t k = 0; k < d.replicas; ++k) {
    const uint32_t pi = d.first_pod + k;
    add(d.rs_name, d.ns, pi, Ev::kSuccessfulCreate, static_cast<uint8_t>(k), 1,
        at(plan_.pods[pi].created, rng), 0);
  }
}

}  // namespace

void plan_events(Plan& plan) {
  EventPlanner planner(plan);
  for (uint32_t pi = 0; pi < plan.pods.size(); ++pi) {
    const Pod& p = plan.pods[pi];
    if (p.node < 0 || plan.deps[p.dep].fault != Fault::kNone) planner.fault_trail(pi);
  }
  for (uint32_t di = 0; di < plan.deps.size() && !planner.full(); ++di) {
    const Deployment& d = plan.deps[di];
    if (!d.recent) continue;
    planner.rollout(di);
    for (uint32_t k = 0; k < d.replicas; ++k) {
      if (plan.pods[d.first_pod + k].node >= 0) planner.normal_trail(d.first_pod + k);
    }
  }
  std::sort(plan.events.begin(), plan.events.end(), [](const EventRec& a, const EventRec& b) {
    return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
  });
}

}  // namespace gen
