// Steps of build_plan() shared between plan.cpp, plan_steps.cpp, placement.cpp and
// events_plan.cpp, plus the small tables both the plan and the renderers read. Not used outside
// the generator.
#pragma once

#include <cstdint>
#include <string>

#include "plan.h"

namespace gen {

// Main containers carry between kMainEnvMin and kMainEnvMax env vars (the main lever on pod size).
constexpr int kMainEnvMin = 4;
constexpr int kMainEnvMax = 11;

constexpr int kTeamCount = 8;
constexpr int kTierCount = 4;
extern const char* const kTeams[kTeamCount];
extern const char* const kTiers[kTierCount];

// CPU request of injected kPendingCpu pods: more than any node has.
constexpr int32_t kPendingCpuRequestM = 48000;

// Memory capacity in KiB that a node with `gib` GiB of RAM reports (firmware keeps a little).
inline int64_t node_memory_capacity_ki(int gib) {
  return static_cast<int64_t>(gib) * 1048576 - static_cast<int64_t>(gib) * 11264;
}

// The IP of slot `slot` in a node's /24 pod CIDR (10.128.0.0/9 split by node creation index).
inline uint32_t pod_cidr_base(uint32_t node_index) {
  return (10u << 24 | 128u << 16) + (node_index << 8);
}

// Sum of the container requests of a Deployment's pod template.
int64_t pod_cpu_request_m(const Deployment& d);
int64_t pod_mem_request_ki(const Deployment& d);

void assign_faults(Plan& plan);
void choose_recent(Plan& plan);
void set_deployment_times(Plan& plan);
void make_pods(Plan& plan);
void place_pods(Plan& plan);
void set_pod_times(Plan& plan);
void make_services_and_configmaps(Plan& plan);
void plan_events(Plan& plan);

}  // namespace gen
