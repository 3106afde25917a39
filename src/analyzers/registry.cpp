#include "analyzers/registry.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace ktriage {

// Each analyzer file defines one of these. Adding an analyzer = its file + one line here + one
// line in the table below + its test file (tests/analyzers/<name>_test.cpp).
const AnalyzerDef& scheduling_analyzer();
const AnalyzerDef& images_analyzer();
const AnalyzerDef& container_config_analyzer();
const AnalyzerDef& crashes_analyzer();
const AnalyzerDef& readiness_analyzer();
const AnalyzerDef& services_analyzer();
const AnalyzerDef& nodes_analyzer();
const AnalyzerDef& versions_analyzer();
const AnalyzerDef& ingress_analyzer();
const AnalyzerDef& loadbalancers_analyzer();
const AnalyzerDef& workloads_analyzer();
const AnalyzerDef& addons_analyzer();
const AnalyzerDef& daemonsets_analyzer();
const AnalyzerDef& capacity_analyzer();
const AnalyzerDef& namespaces_analyzer();
const AnalyzerDef& storage_analyzer();
const AnalyzerDef& volumes_analyzer();
const AnalyzerDef& access_analyzer();
const AnalyzerDef& cloud_security_groups_analyzer();
const AnalyzerDef& cloud_vswitches_analyzer();
const AnalyzerDef& cloud_operations_analyzer();
const AnalyzerDef& ram_analyzer();
const AnalyzerDef& acr_analyzer();
const AnalyzerDef& events_analyzer();
const AnalyzerDef& network_policies_analyzer();
const AnalyzerDef& connect_timeouts_analyzer();

std::span<const AnalyzerDef> all_analyzers() {
  // One per line, in run order (run_after analyzers see the findings of those before them:
  // workloads after addons, so the pods' sandbox findings explain their workloads; events last).
  // clang-format off
  static const AnalyzerDef kAll[] = {
      scheduling_analyzer(),
      images_analyzer(),
      container_config_analyzer(),
      crashes_analyzer(),
      readiness_analyzer(),
      nodes_analyzer(),
      versions_analyzer(),
      storage_analyzer(),
      volumes_analyzer(),
      services_analyzer(),
      ingress_analyzer(),
      loadbalancers_analyzer(),
      network_policies_analyzer(),
      addons_analyzer(),
      daemonsets_analyzer(),
      namespaces_analyzer(),
      workloads_analyzer(),
      capacity_analyzer(),
      access_analyzer(),
      cloud_security_groups_analyzer(),
      cloud_vswitches_analyzer(),
      cloud_operations_analyzer(),
      ram_analyzer(),
      acr_analyzer(),
      connect_timeouts_analyzer(),  // after the cloud and network findings it ties timeouts to
      events_analyzer(),
  };
  // clang-format on
  return kAll;
}

std::vector<RuleEntry> all_rules() {
  std::vector<RuleEntry> out;
  for (const AnalyzerDef& a : all_analyzers()) {
    for (const Rule& r : a.rules) out.push_back(RuleEntry{&r, a.name});
  }
  return out;
}

namespace {

// Of the analyzers without a pod pass, the slowest first, as `make bench` measured them at
// 150,000 pods (--timings: services 0.45 s); the rest take under 0.05 s each.
constexpr std::string_view kSlowestFirst[] = {"services"};

// Pod passes that get a sweep of their own on more than one thread: at 150,000 pods scheduling
// took as long as all the other passes together (0.5 s: every pod's requests, then 93 pending
// templates fitted against 5,000 nodes), so its sweep and theirs run side by side.
constexpr std::string_view kOwnSweep[] = {"scheduling"};

}  // namespace

std::vector<std::size_t> dispatch_order(std::span<const AnalyzerDef> analyzers) {
  std::vector<std::size_t> order;
  std::vector<bool> placed(analyzers.size(), false);
  for (std::string_view name : kSlowestFirst) {
    for (std::size_t i = 0; i < analyzers.size(); ++i) {
      if (!placed[i] && analyzers[i].name == name) {
        order.push_back(i);
        placed[i] = true;
      }
    }
  }
  for (std::size_t i = 0; i < analyzers.size(); ++i) {
    if (!placed[i]) order.push_back(i);
  }
  return order;
}

namespace {

// Runs `body`, adding its wall seconds to `*seconds` when that is given (no clock read otherwise).
template <typename Body>
void timed_into(double* seconds, Body&& body) {
  if (seconds == nullptr) {
    body();
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  body();
  *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void sweep_pods(const Cluster& cluster, std::span<const std::unique_ptr<PodPass>> passes,
                std::span<const std::unique_ptr<FindingSink>> sinks, std::vector<double>* seconds) {
  auto seconds_of = [seconds](std::size_t k) {
    return seconds == nullptr ? nullptr : &(*seconds)[k];
  };
  for (const Object* pod : cluster.of_kind("Pod")) {
    for (std::size_t k = 0; k < passes.size(); ++k) {
      timed_into(seconds_of(k), [&] { passes[k]->pod(*pod, *sinks[k]); });
    }
  }
  for (std::size_t k = 0; k < passes.size(); ++k) {
    timed_into(seconds_of(k), [&] { passes[k]->finish(*sinks[k]); });
  }
}

std::vector<std::vector<std::size_t>> sweep_groups(std::span<const AnalyzerDef> analyzers,
                                                   unsigned threads) {
  std::vector<std::size_t> own, shared;
  for (std::size_t i = 0; i < analyzers.size(); ++i) {
    if (analyzers[i].pod_pass == nullptr) continue;
    const bool alone = threads > 1 && std::find(std::begin(kOwnSweep), std::end(kOwnSweep),
                                                analyzers[i].name) != std::end(kOwnSweep);
    (alone ? own : shared).push_back(i);
  }
  std::vector<std::vector<std::size_t>> groups;
  for (const std::size_t i : own) groups.push_back({i});
  if (!shared.empty()) groups.push_back(std::move(shared));
  return groups;
}

std::vector<Finding> run_analyzers(const AnalysisContext& ctx, unsigned threads,
                                   std::vector<AnalyzerTiming>* timings) {
  const auto analyzers = all_analyzers();
  std::vector<std::vector<Finding>> per(analyzers.size());
  std::vector<double> seconds(analyzers.size(), 0.0);
  auto timed = [&](std::size_t i, auto&& body) { timed_into(&seconds[i], body); };
  auto run_one = [&](std::size_t i) {
    if (analyzers[i].run == nullptr) return;
    FindingSink sink(per[i]);
    timed(i, [&] { analyzers[i].run(ctx, sink); });
  };
  // One sweep of the Pods for the analyzers `group` names (indices with a pod pass).
  auto sweep = [&](const std::vector<std::size_t>& group) {
    std::vector<std::unique_ptr<FindingSink>> sinks;
    std::vector<std::unique_ptr<PodPass>> passes;
    std::vector<double> pass_seconds(group.size(), 0.0);
    for (const std::size_t i : group) {
      sinks.push_back(std::make_unique<FindingSink>(per[i]));
      timed(i, [&] { passes.push_back(analyzers[i].pod_pass(ctx, *sinks.back())); });
    }
    sweep_pods(ctx.cluster, passes, sinks, timings != nullptr ? &pass_seconds : nullptr);
    for (std::size_t k = 0; k < group.size(); ++k) seconds[group[k]] += pass_seconds[k];
  };
  const std::vector<std::vector<std::size_t>> sweeps = sweep_groups(analyzers, threads);
  if (threads <= 1) {
    for (const auto& group : sweeps) sweep(group);
    for (std::size_t i = 0; i < analyzers.size(); ++i) run_one(i);
  } else {
    // The Cluster is read-only, so analyzers share it without locks. The sweeps of the Pods,
    // the longest tasks, start first, then the slowest of the others (longest-processing-time
    // order), so that the threads finish together.
    std::vector<std::size_t> order;
    for (const std::size_t i : dispatch_order(analyzers)) {
      if (analyzers[i].run != nullptr) order.push_back(i);
    }
    std::vector<std::thread> pool;
    std::atomic<std::size_t> next{0};
    // Task k < sweeps.size() is sweep k; the next ones are order's analyzers.
    auto work = [&] {
      for (std::size_t k = next++; k < sweeps.size() + order.size(); k = next++) {
        if (k < sweeps.size()) {
          sweep(sweeps[k]);
        } else {
          run_one(order[k - sweeps.size()]);
        }
      }
    };
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& th : pool) th.join();
  }
  std::vector<Finding> all;
  for (auto& v : per) {
    for (auto& f : v) all.push_back(std::move(f));
  }
  for (std::size_t i = 0; i < analyzers.size(); ++i) {
    if (analyzers[i].run_after == nullptr) continue;
    std::vector<Finding> extra;
    FindingSink sink(extra);
    timed(i, [&] { analyzers[i].run_after(ctx, all, sink); });
    for (auto& f : extra) all.push_back(std::move(f));
  }
  if (timings != nullptr) {
    timings->clear();
    for (std::size_t i = 0; i < analyzers.size(); ++i)
      timings->push_back({analyzers[i].name, seconds[i]});
  }
  return all;
}

}  // namespace ktriage
