// ktriage-gen: writes a synthetic cluster snapshot, each file as `kubectl get X -A -o json`
// prints it, for benchmarking ktriage on clusters of any size (5,000 nodes and 150,000 pods
// make a pods.json of about 2.9 GB, 4.1 GB in all). Deterministic for a given --seed, whatever
// --jobs is.
//
//   ktriage-gen --nodes N --pods M --out DIR [--seed S] [--fault-rate F] [--jobs J]
//               [--legacy-scheduler-events]
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "output.h"
#include "plan.h"
#include "render.h"

namespace {

constexpr std::string_view kUsage =
    "usage: ktriage-gen --nodes N --pods M --out DIR [--seed S] [--fault-rate F] [--jobs J]\n"
    "                   [--legacy-scheduler-events]\n"
    "\n"
    "Writes DIR/{nodes,pods,events,deployments,replicasets,services,endpoints,configmaps}.json\n"
    "(each a kind: List as `kubectl get X -A -o json` prints it) and DIR/version.json.\n"
    "  --seed S          random seed (default 1); the output is a function of the flags only\n"
    "  --fault-rate F    fraction of pods given a fault (default 0.01), in whole Deployments:\n"
    "                    CrashLoopBackOff/OOMKilled, ImagePullBackOff, Pending (cpu),\n"
    "                    CreateContainerConfigError, failing readiness; plus about F of the\n"
    "                    Services select no pod\n"
    "  --jobs J          rendering threads (default: all cores)\n"
    "  --legacy-scheduler-events  scheduler events with count/firstTimestamp/lastTimestamp\n"
    "                    instead of eventTime/series (events.k8s.io) as real clusters show\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "ktriage-gen: %s\n%.*s", message.c_str(), static_cast<int>(kUsage.size()),
               kUsage.data());
  std::exit(2);
}

uint64_t parse_u64(std::string_view flag, const char* text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno || !end || *end || text[0] == '-' || text[0] == '\0') {
    usage_error(fmt::format("{} needs a non-negative integer, got \"{}\"", flag, text));
  }
  return v;
}

gen::Options parse_args(int argc, char** argv) {
  gen::Options opt;
  bool have_nodes = false, have_pods = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
      std::exit(0);
    }
    if (a == "--legacy-scheduler-events") {
      opt.legacy_scheduler_events = true;
      continue;
    }
    if (i + 1 >= argc) usage_error(fmt::format("unknown flag or missing value: {}", a));
    const char* v = argv[++i];
    if (a == "--nodes") {
      opt.nodes = static_cast<uint32_t>(parse_u64(a, v));
      have_nodes = true;
    } else if (a == "--pods") {
      opt.pods = parse_u64(a, v);
      have_pods = true;
    } else if (a == "--out") {
      opt.out = v;
    } else if (a == "--seed") {
      opt.seed = parse_u64(a, v);
    } else if (a == "--jobs") {
      opt.jobs = static_cast<unsigned>(parse_u64(a, v));
    } else if (a == "--fault-rate") {
      char* end = nullptr;
      opt.fault_rate = std::strtod(v, &end);
      if (!end || *end || !(opt.fault_rate >= 0 && opt.fault_rate <= 1)) {
        usage_error(fmt::format("--fault-rate needs a number in [0, 1], got \"{}\"", v));
      }
    } else {
      usage_error(fmt::format("unknown flag: {}", a));
    }
  }
  if (!have_nodes || !have_pods || opt.out.empty())
    usage_error("--nodes, --pods and --out are required");
  if (opt.nodes == 0 || opt.nodes > 32000) usage_error("--nodes must be between 1 and 32000");
  if (opt.pods > 50000000) usage_error("--pods must be at most 50000000");
  if (opt.jobs == 0) opt.jobs = std::max(1u, std::thread::hardware_concurrency());
  return opt;
}

}  // namespace

int main(int argc, char** argv) {
  const gen::Options opt = parse_args(argc, argv);
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  if (ec) usage_error(fmt::format("cannot create {}: {}", opt.out, ec.message()));

  const gen::Plan plan = gen::build_plan(opt);
  const auto t_plan = std::chrono::steady_clock::now();

  using gen::Json;
  struct ListSpec {
    const char* file;
    size_t count;
    size_t approx_bytes;
    void (*render)(Json&, const gen::Plan&, size_t);
  };
  const ListSpec lists[] = {
      {"nodes.json", plan.nodes.size(), 9000, gen::render_node},
      {"pods.json", plan.pods.size(), 19000, gen::render_pod},
      {"events.json", plan.events.size(), 1400, gen::render_event},
      {"deployments.json", plan.dep_order.size(), 12000, gen::render_deployment},
      {"replicasets.json", plan.rs_order.size(), 12000, gen::render_replicaset},
      {"services.json", plan.svc_order.size(), 1800, gen::render_service},
      {"endpoints.json", plan.svc_order.size(), 3000, gen::render_endpoints},
      {"configmaps.json", plan.configmaps.size(), 1500, gen::render_configmap},
  };
  std::vector<gen::FileResult> results;
  for (const ListSpec& l : lists) {
    const std::string path = (std::filesystem::path(opt.out) / l.file).string();
    auto render = l.render;
    results.push_back(gen::write_list(path, l.count, l.approx_bytes, opt.jobs,
                                      [&](Json& w, size_t i) { render(w, plan, i); }));
  }
  results.push_back(gen::write_text((std::filesystem::path(opt.out) / "version.json").string(),
                                    gen::render_version_json()));
  const auto t_end = std::chrono::steady_clock::now();

  uint64_t bytes = 0;
  for (const auto& r : results) bytes += r.bytes;
  const auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::string faults;
  for (int f = 1; f <= gen::kPodFaultKinds; ++f) {
    faults +=
        fmt::format(" {}={}", gen::fault_name(static_cast<gen::Fault>(f)), plan.faults.pods[f]);
  }
  const uint64_t pods_bytes = results[1].bytes;
  fmt::print(
      "ktriage-gen: {} files, {} bytes ({:.2f} GB), {} nodes, {} pods ({} bytes, {:.0f} B/pod), "
      "{} deployments, {} events; faulty pods:{} services-without-endpoints={} "
      "unschedulable-over-capacity={}; plan {:.1f}s, total {:.1f}s, {:.0f} MB/s\n",
      results.size(), bytes, static_cast<double>(bytes) / 1e9, plan.nodes.size(), plan.pods.size(),
      pods_bytes, plan.pods.empty() ? 0.0 : static_cast<double>(pods_bytes) / plan.pods.size(),
      plan.deps.size(), plan.events.size(), faults, plan.faults.services_without_endpoints,
      plan.faults.unschedulable_over_capacity, secs(t0, t_plan), secs(t0, t_end),
      static_cast<double>(bytes) / 1e6 / secs(t0, t_end));
  return 0;
}
