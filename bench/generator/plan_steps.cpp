// Plan steps after the Deployments exist: faults, which rollouts are recent, timing, pod names,
// Service IPs and ConfigMaps.
#include <algorithm>
#include <cmath>
#include <set>

#include "plan_internal.h"

namespace gen {

const char* const kTeams[kTeamCount] = {"checkout", "core",   "data",     "growth",
                                        "infra",    "mobile", "platform", "trust"};
const char* const kTiers[kTierCount] = {"backend", "frontend", "middleware", "worker"};

int64_t pod_cpu_request_m(const Deployment& d) {
  int64_t sum = 0;
  for (const auto& c : d.containers) sum += c.cpu_req_m;
  return sum;
}

int64_t pod_mem_request_ki(const Deployment& d) {
  int64_t sum = 0;
  for (const auto& c : d.containers) sum += static_cast<int64_t>(c.mem_req_mi) * 1024;
  return sum;
}

// Error diffusion over the Deployments in creation order: a Deployment becomes faulty when that
// keeps the faulty pod count closest to fault_rate x pods seen so far; kinds take turns.
void assign_faults(Plan& plan) {
  const double rate = plan.opt.fault_rate;
  Rng rng(plan.opt.seed, kSaltPlan, 2);
  const uint64_t turn0 = rng.below(kPodFaultKinds);
  uint64_t seen = 0, faulty = 0, turns = 0;
  for (auto& d : plan.deps) {
    seen += d.replicas;
    if (static_cast<double>(faulty) + d.replicas * 0.5 > rate * static_cast<double>(seen)) continue;
    d.fault = static_cast<Fault>(1 + (turn0 + turns++) % kPodFaultKinds);
    faulty += d.replicas;
    Container& main = d.containers[0];
    if (d.fault == Fault::kPendingCpu) {
      main.cpu_req_m = main.cpu_lim_m = kPendingCpuRequestM;
    } else if (d.fault == Fault::kImagePull) {
      main.image += "-hotfix.1";  // a tag that was never pushed
    } else if (d.fault == Fault::kCrashOom) {
      main.mem_lim_mi = rng.chance(0.5) ? 128 : 256;
      main.mem_req_mi = std::min(main.mem_req_mi, main.mem_lim_mi);
    }
  }
  // Services whose selector matches nothing: about fault_rate of the Services, at least one.
  const size_t n = plan.deps.size();
  size_t want = rate > 0 ? std::max<size_t>(1, static_cast<size_t>(std::llround(rate * n))) : 0;
  const size_t stride = want ? std::max<size_t>(1, n / want) : 1;
  for (size_t i = rng.below(stride); want > 0 && i < n; i += stride) {
    for (size_t j = i; j < n; ++j) {  // the next healthy Deployment at or after i
      Deployment& d = plan.deps[j];
      if (d.fault != Fault::kNone || d.svc_fault != SvcFault::kNone) continue;
      d.svc_fault = want % 2 ? SvcFault::kSelectorValue : SvcFault::kSelectorKey;
      --want;
      break;
    }
  }
}

// Events expire an hour after their last update, so only recent rollouts keep their Normal
// events. Marks Deployments recent, in creation order, while the expected number of events stays
// within 2 x pods.
void choose_recent(Plan& plan) {
  const double budget = 2.0 * static_cast<double>(plan.opt.pods);
  double used = 0;
  for (const auto& d : plan.deps) {
    static constexpr double kPerPod[] = {0, 4, 5, 1, 2, 1};
    used += kPerPod[static_cast<int>(d.fault)] * d.replicas;
  }
  Rng rng(plan.opt.seed, kSaltPlan, 3);
  for (auto& d : plan.deps) {
    if (d.fault != Fault::kNone || !rng.chance(0.5)) continue;
    const double need = 1 + d.replicas * (2 + 3.4 * static_cast<double>(d.containers.size()));
    if (used + need > budget) continue;
    used += need;
    d.recent = true;
  }
}

void set_deployment_times(Plan& plan) {
  for (auto& d : plan.deps) {
    Rng rng(plan.opt.seed, kSaltDeploy ^ 0x1000, d.id);
    if (d.recent) {
      d.created = d.rs_created = kSnapshot - rng.range(5 * kMinute, 55 * kMinute);
      d.revision = 1;
    } else if (d.fault != Fault::kNone && d.fault != Fault::kReadiness) {
      d.created = kSnapshot - rng.range(10 * kDay, 400 * kDay);
      d.rs_created = kSnapshot - rng.range(20 * kMinute, 6 * kHour);
      d.revision = static_cast<int32_t>(rng.range(2, 40));
    } else {
      d.created = kSnapshot - rng.range(1 * kDay, 400 * kDay);
      const bool rolled = rng.chance(0.8);
      d.rs_created = rolled ? rng.range(d.created + kHour, kSnapshot - kHour) : d.created;
      d.revision = rolled ? static_cast<int32_t>(rng.range(2, 40)) : 1;
    }
  }
}

// Sorts Deployments the way kubectl lists their pods (namespace, then ReplicaSet name) and
// creates the pods with their random suffixes, sorted within each Deployment.
void make_pods(Plan& plan) {
  auto pod_key = [](const Deployment& d) { return d.rs_name + "-"; };
  std::sort(plan.deps.begin(), plan.deps.end(), [&](const Deployment& a, const Deployment& b) {
    return a.ns != b.ns ? a.ns < b.ns : pod_key(a) < pod_key(b);
  });
  plan.pods.reserve(plan.opt.pods);
  for (uint32_t di = 0; di < plan.deps.size(); ++di) {
    Deployment& d = plan.deps[di];
    Rng rng(plan.opt.seed, kSaltPod, d.id);
    std::set<std::string> suffixes;
    while (suffixes.size() < d.replicas) {
      std::string s;
      append_safe(s, rng.next(), 5);
      suffixes.insert(std::move(s));
    }
    d.first_pod = static_cast<uint32_t>(plan.pods.size());
    for (const auto& s : suffixes) {
      Pod p;
      p.name = d.rs_name + "-" + s;
      p.dep = di;
      plan.pods.push_back(std::move(p));
    }
  }
  const auto n = static_cast<uint32_t>(plan.deps.size());
  plan.dep_order.resize(n);
  plan.rs_order.resize(n);
  for (uint32_t i = 0; i < n; ++i) plan.dep_order[i] = plan.rs_order[i] = i;
  const auto& deps = plan.deps;
  std::sort(plan.dep_order.begin(), plan.dep_order.end(), [&](uint32_t a, uint32_t b) {
    return deps[a].ns != deps[b].ns ? deps[a].ns < deps[b].ns : deps[a].name < deps[b].name;
  });
  std::sort(plan.rs_order.begin(), plan.rs_order.end(), [&](uint32_t a, uint32_t b) {
    return deps[a].ns != deps[b].ns ? deps[a].ns < deps[b].ns : deps[a].rs_name < deps[b].rs_name;
  });
}

void set_pod_times(Plan& plan) {
  for (uint32_t i = 0; i < plan.pods.size(); ++i) {
    Pod& p = plan.pods[i];
    const Deployment& d = plan.deps[p.dep];
    Rng rng(plan.opt.seed, kSaltPod ^ 0x1000, i);
    p.created = d.rs_created + rng.range(0, 45);
    const bool healthy = d.fault == Fault::kNone || d.fault == Fault::kReadiness;
    if (healthy && !d.recent && rng.chance(0.15) && d.rs_created < kSnapshot - 2 * kHour) {
      p.created = rng.range(d.rs_created, kSnapshot - kHour);  // rescheduled since the rollout
    }
    p.started = p.created + rng.range(3, 20);
    switch (d.fault) {
      case Fault::kCrashOom:
        p.fault_since = kSnapshot - rng.range(60, 290);
        p.restarts = static_cast<int32_t>(
            std::max<int64_t>(1, (p.fault_since - p.started) / 330 + rng.range(0, 3)));
        break;
      case Fault::kImagePull:
      case Fault::kConfigKey:
      case Fault::kPendingCpu:
        p.fault_since = p.created + rng.range(1, 3);
        break;
      case Fault::kReadiness:
        p.fault_since = std::max(p.started + 60, kSnapshot - rng.range(10 * kMinute, 3 * kHour));
        break;
      case Fault::kNone:
        break;
    }
    if (p.node < 0 && d.fault != Fault::kPendingCpu) p.fault_since = p.created;
  }
}

void make_services_and_configmaps(Plan& plan) {
  constexpr uint32_t kServiceBase = 172u << 24 | 16u << 16;  // Service CIDR 172.16.0.0/12
  uint32_t next = 10;
  for (uint32_t di : plan.dep_order) plan.deps[di].svc_ip = kServiceBase + next++;
  // default/kubernetes sorts before the Deployments of "default" whose names are > "kubernetes".
  const auto default_ns = static_cast<uint32_t>(
      std::lower_bound(plan.namespaces.begin(), plan.namespaces.end(), "default") -
      plan.namespaces.begin());
  bool placed = false;
  for (uint32_t di : plan.dep_order) {
    const Deployment& d = plan.deps[di];
    if (!placed && (d.ns > default_ns || (d.ns == default_ns && d.name > "kubernetes"))) {
      plan.svc_order.push_back(-1);
      placed = true;
    }
    plan.svc_order.push_back(static_cast<int32_t>(di));
  }
  if (!placed) plan.svc_order.push_back(-1);
  for (uint32_t ns = 0; ns < plan.namespaces.size(); ++ns) {
    plan.configmaps.push_back({"kube-root-ca.crt", ns, -1});
  }
  for (uint32_t di = 0; di < plan.deps.size(); ++di) {
    const Deployment& d = plan.deps[di];
    plan.configmaps.push_back({d.name + "-config", d.ns, static_cast<int32_t>(di)});
  }
  std::sort(plan.configmaps.begin(), plan.configmaps.end(),
            [](const ConfigMapRef& a, const ConfigMapRef& b) {
              return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
            });
  for (const auto& d : plan.deps) {
    if (d.svc_fault != SvcFault::kNone) ++plan.faults.services_without_endpoints;
  }
}

}  // namespace gen
