// Places pods on nodes so that requests fit allocatable (cpu, memory, pod count), round-robin
// over the untainted nodes so each Deployment spreads out, and writes the scheduler's
// FailedScheduling text for pods that fit nowhere (injected kPendingCpu, or an over-full cluster).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plan_internal.h"

namespace gen {
namespace {

// The scheduler's FitError text for a pod with these requests against the final node state:
// sorted "<count> <reason>" items, then the preemption summary (all pods have priority 0, so
// resource misses find no victims and taint misses are not helped by preemption).
std::string unschedulable_message(const Plan& plan, int64_t cpu_m, int64_t mem_ki) {
  std::map<std::string, uint64_t> reasons, preemption;
  for (const Node& n : plan.nodes) {
    if (kNodePools[n.pool].tainted) {
      ++reasons["node(s) had untolerated taint {dedicated: ingress}"];
      ++preemption["Preemption is not helpful for scheduling"];
      continue;
    }
    bool miss = false;
    auto add = [&](const char* reason) {
      ++reasons[reason];
      miss = true;
    };
    if (n.cpu_used_m + cpu_m > n.cpu_alloc_m) add("Insufficient cpu");
    if (n.mem_used_ki + mem_ki > n.mem_alloc_ki) add("Insufficient memory");
    if (n.pods >= n.pods_alloc) add("Too many pods");
    if (miss) ++preemption["No preemption victims found for incoming pod"];
  }
  auto join = [](const std::map<std::string, uint64_t>& m) {
    std::vector<std::string> items;
    for (const auto& [reason, count] : m) items.push_back(fmt::format("{} {}", count, reason));
    std::sort(items.begin(), items.end());
    return fmt::format("{}", fmt::join(items, ", "));
  };
  const size_t n = plan.nodes.size();
  return fmt::format("0/{} nodes are available: {}. preemption: 0/{} nodes are available: {}.", n,
                     join(reasons), n, join(preemption));
}

bool fits(const Node& n, int64_t cpu_m, int64_t mem_ki) {
  return !kNodePools[n.pool].tainted && n.pods < n.pods_alloc &&
         n.cpu_used_m + cpu_m <= n.cpu_alloc_m && n.mem_used_ki + mem_ki <= n.mem_alloc_ki;
}

}  // namespace

void place_pods(Plan& plan) {
  const size_t n_nodes = plan.nodes.size();
  size_t cursor = 0;
  // Smallest request that already failed a full scan: anything at least as big fails too.
  int64_t failed_cpu = INT64_MAX, failed_mem = INT64_MAX;
  for (Pod& p : plan.pods) {
    Deployment& d = plan.deps[p.dep];
    if (d.fault == Fault::kPendingCpu) continue;
    const int64_t cpu = pod_cpu_request_m(d), mem = pod_mem_request_ki(d);
    size_t found = n_nodes;
    if (!(cpu >= failed_cpu && mem >= failed_mem)) {
      for (size_t k = 0; k < n_nodes; ++k) {
        const size_t at = (cursor + k) % n_nodes;
        if (fits(plan.nodes[at], cpu, mem)) {
          found = at;
          break;
        }
      }
    }
    if (found == n_nodes) {
      failed_cpu = std::min(failed_cpu, cpu);
      failed_mem = std::min(failed_mem, mem);
      ++plan.faults.unschedulable_over_capacity;
      continue;
    }
    Node& node = plan.nodes[found];
    p.node = static_cast<int32_t>(found);
    p.ip = pod_cidr_base(node.index) + 2 + static_cast<uint32_t>(node.pods);
    ++node.pods;
    node.cpu_used_m += cpu;
    node.mem_used_ki += mem;
    cursor = found + 1;
  }
  // Messages against the final state, once per Deployment that has unplaced pods.
  for (Pod& p : plan.pods) {
    Deployment& d = plan.deps[p.dep];
    if (p.node >= 0 || !d.pending_msg.empty()) continue;
    d.pending_msg = unschedulable_message(plan, pod_cpu_request_m(d), pod_mem_request_ki(d));
  }
}

}  // namespace gen
