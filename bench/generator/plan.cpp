// Builds the cluster plan: namespaces, nodes, Deployments and their pods, faults, and timing.
// Placement and events live in placement.cpp and events_plan.cpp.
#include "plan.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

#include "plan_internal.h"

namespace gen {

const NodePool kNodePools[4] = {
    {"general", "np2f8c1b7d0e3a4c55b1b7e3d5c6a9f0e1", "ecs.g7.4xlarge", 16, 64, false},
    {"large", "np7a0d3e9c2b1f4e8a9c6d5b4a3f2e1d0c", "ecs.g7.8xlarge", 32, 128, false},
    {"compute", "np4c9e2a7b1d0f3e6a8b5c4d3e2f1a0b9c", "ecs.c7.4xlarge", 16, 32, false},
    {"ingress", "np9b1e4d7a2c0f5e3b8a6d4c2e0f1b3a5d", "ecs.g7.2xlarge", 8, 32, true},
};

const char* fault_name(Fault f) {
  switch (f) {
    case Fault::kNone:
      return "none";
    case Fault::kCrashOom:
      return "crashloop-oomkilled";
    case Fault::kImagePull:
      return "imagepull-notfound";
    case Fault::kPendingCpu:
      return "pending-insufficient-cpu";
    case Fault::kConfigKey:
      return "configmap-key-missing";
    case Fault::kReadiness:
      return "readiness-failing";
  }
  return "?";
}

namespace {

constexpr std::string_view kNamespaces[] = {"default",
                                            "shop",
                                            "payments",
                                            "checkout",
                                            "search",
                                            "catalog",
                                            "identity",
                                            "billing",
                                            "logistics",
                                            "marketing",
                                            "data-platform",
                                            "ml-serving",
                                            "media",
                                            "messaging",
                                            "risk-control",
                                            "customer-service",
                                            "analytics",
                                            "ops-tools",
                                            "observability",
                                            "ingress-nginx",
                                            "partner-api",
                                            "mobile-bff",
                                            "web-frontend",
                                            "inventory",
                                            "pricing",
                                            "promotions",
                                            "reviews",
                                            "recommendation",
                                            "notifications",
                                            "finance",
                                            "reporting",
                                            "crm",
                                            "erp-bridge",
                                            "iot-gateway",
                                            "maps",
                                            "loyalty",
                                            "wallet",
                                            "content",
                                            "cms",
                                            "live-streaming",
                                            "chat",
                                            "ads",
                                            "fraud",
                                            "settlement",
                                            "audit",
                                            "sandbox",
                                            "staging-shop",
                                            "staging-payments",
                                            "qa",
                                            "platform-tools"};

constexpr std::string_view kAppPrefixes[] = {
    "order",    "cart",      "checkout", "payment", "user",   "account", "auth",   "search",
    "catalog",  "inventory", "pricing",  "promo",   "coupon", "review",  "rating", "shipping",
    "delivery", "notify",    "email",    "sms",     "push",   "media",   "image",  "video",
    "upload",   "report",    "billing",  "invoice", "ledger", "risk",    "fraud",  "recommend",
    "feed",     "profile",   "session",  "gateway", "edge",   "admin",   "audit",  "geo",
    "store",    "menu",      "loyalty",  "wallet",  "refund", "settle",  "ticket", "chat",
    "content",  "tag"};

constexpr std::string_view kAppSuffixes[] = {
    "api",      "service", "worker",       "web",   "consumer",   "scheduler", "sync", "processor",
    "frontend", "backend", "cache-warmer", "proxy", "job-runner", "exporter",  "grpc"};

struct SidecarSpec {
  Role role;
  const char* name;
  const char* image;
  int32_t cpu_req_m, cpu_lim_m, mem_req_mi, mem_lim_mi;
  uint8_t env_min, env_max;
};
constexpr SidecarSpec kSidecars[] = {
    {Role::kLogAgent, "log-agent",
     "registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/logtail:v2.1.9.0-aliyun", 50, 500, 64, 512, 4,
     8},
    {Role::kEnvoy, "envoy", "envoyproxy/envoy:v1.31.5", 100, 1000, 128, 512, 3, 6},
    {Role::kStatsd, "statsd-exporter", "prom/statsd-exporter:v0.27.2", 20, 200, 32, 128, 2, 4},
    {Role::kReloader, "config-reloader", "ghcr.io/jimmidyson/configmap-reload:v0.14.0", 10, 100, 16,
     64, 2, 3},
};

// Namespace sizes follow a long tail: a few big teams, many small ones.
uint32_t pick_namespace(Rng& rng, const std::vector<double>& cumulative) {
  double x = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return static_cast<uint32_t>(std::min<size_t>(it - cumulative.begin(), cumulative.size() - 1));
}

void make_namespaces(Plan& plan) {
  for (auto ns : kNamespaces) plan.namespaces.emplace_back(ns);
  std::sort(plan.namespaces.begin(), plan.namespaces.end());
}

void make_nodes(Plan& plan) {
  const uint32_t n = plan.opt.nodes;
  const uint32_t tainted = n >= 10 ? std::max<uint32_t>(1, n / 50) : 0;
  for (uint32_t i = 0; i < n; ++i) {
    Rng rng(plan.opt.seed, kSaltNode, i);
    Node node;
    node.index = i;
    uint64_t roll = rng.below(10);
    node.pool = i < tainted ? 3 : roll < 5 ? 0 : roll < 8 ? 1 : 2;
    const uint32_t zone = i % 4;
    const uint32_t host = i / 4;
    node.ip = (10u << 24) | (zone << 16) | ((host / 250) << 8) | (host % 250 + 2);
    node.name = "cn-hangzhou." + ip_string(node.ip);
    node.created = kSnapshot - rng.range(2 * kDay, 400 * kDay);
    const NodePool& pool = kNodePools[node.pool];
    node.cpu_alloc_m = pool.cpu_cores * 1000 - (100 + 15 * pool.cpu_cores);
    const int64_t cap_ki = node_memory_capacity_ki(pool.mem_gib);
    node.mem_alloc_ki = cap_ki - cap_ki * 7 / 100 - 102400;
    plan.nodes.push_back(std::move(node));
  }
  std::sort(plan.nodes.begin(), plan.nodes.end(),
            [](const Node& a, const Node& b) { return a.name < b.name; });
}

Container main_container(const std::string& base, const std::string& ns, const std::string& version,
                         Rng& rng) {
  static constexpr int32_t kCpu[] = {100, 200, 250, 250, 500};
  static constexpr int32_t kMem[] = {256, 384, 512, 512, 1024};
  Container c;
  c.name = base;
  c.role = Role::kMain;
  c.image = "registry-vpc.cn-hangzhou.aliyuncs.com/" + ns + "/" + base + ":" + version;
  c.env_count = static_cast<uint8_t>(rng.range(kMainEnvMin, kMainEnvMax));
  c.cpu_req_m = rng.pick(kCpu);
  c.cpu_lim_m = c.cpu_req_m * static_cast<int32_t>(rng.range(2, 4));
  c.mem_req_mi = rng.pick(kMem);
  c.mem_lim_mi = rng.chance(0.1) ? c.mem_req_mi : c.mem_req_mi * 2;
  return c;
}

void add_sidecars(Deployment& d, Rng& rng) {
  uint64_t roll = rng.below(100);
  int count = roll < 55 ? 0 : roll < 90 ? 1 : 2;
  uint64_t first = rng.below(std::size(kSidecars));
  for (int k = 0; k < count; ++k) {
    const SidecarSpec& s = kSidecars[(first + static_cast<uint64_t>(k)) % std::size(kSidecars)];
    Container c;
    c.name = s.name;
    c.image = s.image;
    c.role = s.role;
    c.env_count = static_cast<uint8_t>(rng.range(s.env_min, s.env_max));
    c.cpu_req_m = s.cpu_req_m;
    c.cpu_lim_m = s.cpu_lim_m;
    c.mem_req_mi = s.mem_req_mi;
    c.mem_lim_mi = s.mem_lim_mi;
    d.containers.push_back(std::move(c));
  }
}

// A name unique in its namespace, e.g. "order-api" or "order-api-3"; *base gets "order-api".
std::string unique_name(std::set<std::string>& used, Rng& rng, std::string* base) {
  // One draw per statement: the order of evaluation of operands is unspecified in C++.
  const std::string_view prefix = rng.pick(kAppPrefixes);
  const std::string_view suffix = rng.pick(kAppSuffixes);
  *base = std::string(prefix) + "-" + std::string(suffix);
  std::string name = *base;
  for (int k = 2; !used.insert(name).second; ++k) name = *base + "-" + std::to_string(k);
  return name;
}

void make_deployments(Plan& plan) {
  std::vector<double> cumulative;
  double total = 0;
  for (size_t i = 0; i < plan.namespaces.size(); ++i) {
    total += 1.0 / std::pow(static_cast<double>(i) + 1.5, 0.7);
    cumulative.push_back(total);
  }
  std::vector<std::set<std::string>> used(plan.namespaces.size());
  Rng order(plan.opt.seed, kSaltPlan, 1);  // shuffles namespace weights once
  std::vector<uint32_t> ns_perm(plan.namespaces.size());
  for (uint32_t i = 0; i < ns_perm.size(); ++i) ns_perm[i] = i;
  for (size_t i = ns_perm.size(); i > 1; --i) std::swap(ns_perm[i - 1], ns_perm[order.below(i)]);

  uint64_t remaining = plan.opt.pods;
  for (uint32_t id = 0; remaining > 0; ++id) {
    Rng rng(plan.opt.seed, kSaltDeploy, id);
    Deployment d;
    d.id = id;
    d.ns = ns_perm[pick_namespace(rng, cumulative)];
    d.replicas = static_cast<uint32_t>(std::min<uint64_t>(remaining, rng.range(3, 10)));
    remaining -= d.replicas;
    std::string base;
    d.name = unique_name(used[d.ns], rng, &base);
    d.hash.clear();
    const uint64_t hash_bits = rng.next();
    append_safe(d.hash, hash_bits, rng.chance(0.8) ? 10 : 9);
    d.rs_name = d.name + "-" + d.hash;
    const int64_t minor = rng.range(0, 40);
    d.version = "v1." + std::to_string(minor) + "." + std::to_string(rng.range(0, 20));
    d.team = static_cast<uint8_t>(rng.below(kTeamCount));
    d.tier = static_cast<uint8_t>(rng.below(kTierCount));
    d.http_port = rng.chance(0.7) ? 8080 : rng.chance(0.5) ? 8000 : 3000;
    d.hardened = rng.chance(0.4);
    d.anti_affinity = rng.chance(0.5);
    d.zone_spread = rng.chance(0.3);
    d.containers.push_back(main_container(base, plan.namespaces[d.ns], d.version, rng));
    add_sidecars(d, rng);
    plan.deps.push_back(std::move(d));
  }
}

}  // namespace

Plan build_plan(const Options& opt) {
  Plan plan;
  plan.opt = opt;
  make_namespaces(plan);
  make_nodes(plan);
  make_deployments(plan);
  assign_faults(plan);
  choose_recent(plan);
  set_deployment_times(plan);
  make_pods(plan);
  place_pods(plan);
  set_pod_times(plan);
  make_services_and_configmaps(plan);
  plan_events(plan);
  for (const Pod& p : plan.pods) {
    const Fault f = plan.deps[p.dep].fault;
    // A pod that fit on no node is Pending whatever its template would have done.
    if (p.node >= 0 || f == Fault::kPendingCpu) ++plan.faults.pods[static_cast<size_t>(f)];
  }
  return plan;
}

}  // namespace gen
