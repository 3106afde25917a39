// The cluster plan: every decision about the synthetic cluster (namespaces, nodes, Deployments,
// Pods, placement, injected faults, events) made once, in memory, before any byte is written.
// Renderers read the plan and never change it, so files can be rendered by several threads.
// Owns all names and numbers that more than one object shows (a pod's IP is in the Pod and in
// its Endpoints); per-object detail that only one object shows is drawn from Rng at render time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "util.h"

namespace gen {

struct Options {
  uint32_t nodes = 0;
  uint64_t pods = 0;
  std::string out;
  uint64_t seed = 1;
  double fault_rate = 0.01;
  unsigned jobs = 0;                     // 0: hardware concurrency
  bool legacy_scheduler_events = false;  // scheduler events with count/firstTimestamp, not series
};

// A fault injected into every pod of one Deployment.
enum class Fault : uint8_t {
  kNone,
  kCrashOom,    // CrashLoopBackOff, last state OOMKilled exit 137
  kImagePull,   // ImagePullBackOff, containerd "not found"
  kPendingCpu,  // Pending, FailedScheduling "Insufficient cpu" on every node
  kConfigKey,   // CreateContainerConfigError, ConfigMap key missing
  kReadiness,   // Running but not ready, Unhealthy readiness probe events
};
constexpr int kPodFaultKinds = 5;
const char* fault_name(Fault f);

// A fault of a Service that selects no pod.
enum class SvcFault : uint8_t { kNone, kSelectorValue, kSelectorKey };

struct NodePool {
  const char* name;
  const char* id;
  const char* instance_type;
  int cpu_cores;
  int mem_gib;
  bool tainted;  // dedicated=ingress:NoSchedule; application pods do not tolerate it
};
extern const NodePool kNodePools[4];

struct Node {
  std::string name;
  uint32_t index = 0;  // creation order: uid, pod CIDR, instance id
  uint32_t ip = 0;
  uint8_t pool = 0;
  int64_t created = 0;
  int64_t cpu_alloc_m = 0;
  int64_t mem_alloc_ki = 0;
  int32_t pods_alloc = 110;
  int64_t cpu_used_m = 0;
  int64_t mem_used_ki = 0;
  int32_t pods = 0;
};

// Sidecar kinds; kMain is the application container itself.
enum class Role : uint8_t { kMain, kLogAgent, kEnvoy, kStatsd, kReloader };

struct Container {
  std::string name;
  std::string image;
  Role role = Role::kMain;
  uint8_t env_count = 0;
  int32_t cpu_req_m = 0;
  int32_t cpu_lim_m = 0;
  int32_t mem_req_mi = 0;
  int32_t mem_lim_mi = 0;
};

struct Deployment {
  uint32_t id = 0;  // creation order: the key of every Rng and Uid of this Deployment
  uint32_t ns = 0;
  std::string name;
  std::string hash;     // pod-template-hash
  std::string rs_name;  // name-hash
  uint32_t first_pod = 0;
  uint32_t replicas = 0;
  std::vector<Container> containers;  // [0] is the main container
  Fault fault = Fault::kNone;
  SvcFault svc_fault = SvcFault::kNone;
  bool recent = false;  // rolled out in the last hour: its Normal events are still kept
  int64_t created = 0;
  int64_t rs_created = 0;
  int32_t revision = 1;
  uint16_t http_port = 8080;
  bool hardened = false;       // container securityContext and seccomp profile
  bool anti_affinity = false;  // preferred pod anti-affinity on the hostname
  bool zone_spread = false;    // topology spread over zones
  uint32_t svc_ip = 0;
  uint8_t team = 0;
  uint8_t tier = 0;
  std::string version;      // app.kubernetes.io/version
  std::string pending_msg;  // FailedScheduling text when its pods did not fit (over capacity)
};

struct Pod {
  std::string name;
  uint32_t dep = 0;
  int32_t node = -1;  // index into Plan::nodes; -1 while Pending
  uint32_t ip = 0;
  int64_t created = 0;
  int64_t started = 0;      // when the containers first started
  int64_t fault_since = 0;  // start of the current trouble (last restart, first probe failure)
  int32_t restarts = 0;
};

enum class Ev : uint8_t {
  kScheduled,
  kFailedScheduling,
  kPulling,
  kPulledPresent,
  kPulledFresh,
  kCreated,
  kStarted,
  kBackOffRestart,
  kPullFailed,
  kErrImagePull,
  kBackOffPull,
  kErrImagePullBackOff,
  kConfigError,
  kUnhealthy,
  kScalingReplicaSet,
  kSuccessfulCreate,
};

struct EventRec {
  std::string name;  // <object>.<hex unix nanos>
  uint32_t ns = 0;
  uint32_t obj = 0;  // pod index, or deployment index for Deployment/ReplicaSet events
  Ev what = Ev::kScheduled;
  uint8_t container = 0;
  int32_t count = 1;
  int64_t first_us = 0;
  int64_t last_us = 0;
};

struct ConfigMapRef {
  std::string name;
  uint32_t ns = 0;
  int32_t dep = -1;  // -1: the namespace's kube-root-ca.crt
};

struct FaultCounts {
  std::array<uint64_t, kPodFaultKinds + 1> pods{};  // by Fault
  uint64_t services_without_endpoints = 0;
  uint64_t unschedulable_over_capacity = 0;
};

struct Plan {
  Options opt;
  std::vector<std::string> namespaces;  // sorted
  std::vector<Node> nodes;              // sorted by name
  std::vector<Deployment> deps;         // sorted by namespace, then ReplicaSet name
  std::vector<Pod> pods;                // sorted by namespace, then name
  std::vector<uint32_t> dep_order;      // Deployments (and Services) by namespace, name
  std::vector<uint32_t> rs_order;       // ReplicaSets by namespace, name
  std::vector<int32_t> svc_order;       // Services/Endpoints by namespace, name; -1: kubernetes
  std::vector<ConfigMapRef> configmaps;
  std::vector<EventRec> events;  // sorted by namespace, name
  FaultCounts faults;
};

// Builds the whole plan from the options; deterministic for a given seed.
Plan build_plan(const Options& opt);

}  // namespace gen
