#include "cli/netcheck.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <thread>

#include "cli/live_options.h"
#include "cli/netcheck_cloud.h"
#include "cli/netcheck_nodes.h"
#include "cli/pipeline.h"
#include "load/source.h"
#include "network/matrix.h"
#include "network/matrix_render.h"
#include "network/path.h"
#include "network/path_render.h"
#include "network/target.h"

namespace ktriage {
namespace {

constexpr int kReachable = 0;
constexpr int kBlocked = 1;
constexpr int kUsage = 2;
constexpr int kUndecided = 3;  // no hop blocks, but one that decides is unknown

constexpr const char* kFooter =
    "FROM and TO:\n"
    "  pod/NS/NAME  svc/NS/NAME  ingress/NS/NAME  node/NAME  10.0.0.5  203.0.113.0/24\n"
    "  TO may also be a Service's DNS name: web.shop.svc.cluster.local, web.shop\n"
    "  With -n NS, pod/NAME and svc/NAME are in NS (kubectl style).\n"
    "Examples:\n"
    "  ktriage netcheck pod/shop/web-1 svc/shop/db --port 5432 snapshot/\n"
    "  ktriage netcheck -n shop pod/web-1 db.shop.svc.cluster.local --port 5432/TCP snapshot/\n"
    "  ktriage netcheck 203.0.113.7 ingress/shop/web snapshot/      from outside, via the Ingress\n"
    "  ktriage netcheck pod/shop/web-1 10.0.0.0/24 --port 443 -o json snapshot/\n"
    "  ktriage netcheck node/n1 node/n2 --port icmp snapshot/   can they ping (security groups)\n"
    "  ktriage netcheck --matrix snapshot/                 which namespaces reach which\n"
    "  ktriage netcheck --matrix -n shop snapshot/         which workloads of shop reach which\n"
    "  ktriage netcheck pod/shop/web-1 svc/shop/db         the live cluster of the kubeconfig\n"
    "Exit codes: 0 reachable (hops may warn), 1 blocked, 2 usage or input error, 3 undecided\n"
    "(the worst hop is unknown: nothing blocks or warns, but the snapshot cannot tell, e.g. ping\n"
    "without cloud/; a warning beside an unknown hop reads as reachable with warnings).";

// Snapshot or live cluster; with `diagnose`, the analyzers run too (node health).
std::optional<RunResult> load(const std::vector<std::string>& paths, const LiveFlags& live,
                              bool diagnose) {
  // A verdict on part of what was asked for would read as the whole answer: a mistyped path
  // stops netcheck before anything is judged.
  if (const auto errors = path_errors(paths); !errors.empty()) {
    for (const std::string& e : errors) std::cerr << "ktriage netcheck: error: " << e << "\n";
    return std::nullopt;
  }
  RunOptions o;
  o.paths = paths;
  o.threads = std::max(1u, std::thread::hardware_concurrency());
  o.progress = isatty(STDERR_FILENO) != 0;
  std::optional<Inputs> inputs;
  if (paths.empty()) {
    inputs =
        read_live(live, "", o.progress, false, "ktriage netcheck FROM TO DIR|FILE|BUNDLE.tar.gz|-");
    if (!inputs) return std::nullopt;
  }
  RunResult r;
  if (diagnose) {
    r = inputs ? run_pipeline(o, std::move(*inputs)) : run_pipeline(o);
  } else {
    Inputs in = inputs ? std::move(*inputs) : load_sources(paths);
    r.nothing_read = in.objects.empty();
    r.cluster = Cluster::build(std::move(in));
  }
  // The input's problems, briefly: `diagnose` lists them all.
  const auto issues = r.cluster->issues();
  for (std::size_t i = 0; i < issues.size() && i < 3; ++i)
    std::cerr << fmt::format("ktriage netcheck: note: {}: {}\n", issues[i].where.to_string(),
                             issues[i].message);
  if (issues.size() > 3)
    std::cerr << fmt::format(
        "ktriage netcheck: note: and {} more input problems (see ktriage "
        "diagnose)\n",
        issues.size() - 3);
  if (r.nothing_read) {
    std::cerr << "ktriage netcheck: nothing could be read from the input\n";
    return std::nullopt;
  }
  return r;
}

int run_matrix(const NetcheckFlags& f, const std::vector<std::string>& paths,
               const LiveFlags& live) {
  // -n compares the workloads of one namespace (docs/netcheck.md): a grid of one namespace by
  // namespace would be a single cell, so --by namespace with -n asks for two things at once.
  if (!f.ns.empty() && f.by == "namespace") {
    std::cerr << fmt::format(
        "ktriage netcheck: --matrix -n {} compares the workloads of {}; --by namespace compares "
        "every namespace: drop -n or --by namespace\n",
        f.ns, f.ns);
    return kUsage;
  }
  auto r = load(paths, live, false);
  if (!r) return kUsage;
  const network::NetworkSnapshot net(*r->cluster);
  for (const network::PolicyError& e : net.errors())
    std::cerr << fmt::format("ktriage netcheck: NetworkPolicy {}/{} left out: {}\n", e.ns, e.name,
                             e.message);
  if (!f.ns.empty() && r->cluster->pods_in(f.ns).empty()) {
    std::cerr << fmt::format(
        "ktriage netcheck: --matrix -n {}: no pod of that namespace in the "
        "input\n",
        f.ns);
    return kUsage;
  }
  network::MatrixOptions o;
  o.by_workload = f.by == "workload" || !f.ns.empty();
  o.ns = f.ns;
  const network::Matrix m = network::compute_matrix(*r->cluster, net, o);
  std::cout << (f.output == "json" ? network::render_matrix_json(m)
                                   : network::render_matrix_text(m, f.color_enabled));
  return kReachable;
}

}  // namespace

CLI::App* add_netcheck_command(CLI::App& app, NetcheckFlags& f, LiveFlags& live) {
  auto* cmd = app.add_subcommand(
      "netcheck",
      "Can FROM reach TO? Walks the path hop by hop (DNS, Service, EndpointSlices, pods, "
      "NetworkPolicies, nodes, cloud security groups) with a verdict and evidence per hop; "
      "--matrix: who reaches whom");
  cmd->add_option("args", f.args,
                  "FROM TO, then snapshot files, folders or .tar.gz (none: the live cluster of "
                  "the kubeconfig); with --matrix only the snapshot");
  cmd->add_option("--port", f.port,
                  "Destination port: 80, 53/UDP, 5432/TCP, a Service port name (dns: whatever its "
                  "protocol; dns/UDP: that protocol only), or icmp (ping: security groups only) "
                  "(default: the Service's first port)");
  cmd->add_option("-n,--namespace", f.ns,
                  "Namespace for FROM/TO given without one; with --matrix: compare the "
                  "workloads of this namespace");
  cmd->add_flag("--matrix", f.matrix,
                "Which namespaces (or workloads, with -n or --by workload) can reach which");
  cmd->add_option("--by", f.by,
                  "--matrix groups: namespace (default) or workload (the default with -n; -n "
                  "with --by namespace is an error)")
      ->check(CLI::IsMember({"namespace", "workload"}));
  cmd->add_option("-o,--output", f.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", f.color, "Colour: auto (on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-color", f.no_color, "Same as --color=never");
  cmd->footer(kFooter);
  add_live_connection_options(*cmd, live, "Live cluster (when no snapshot is given)");
  return cmd;
}

int run_netcheck(const NetcheckFlags& f, const LiveFlags& live) {
  if (f.matrix) return run_matrix(f, f.args, live);
  if (f.args.size() < 2) {
    std::cerr << "ktriage netcheck: give FROM and TO (see ktriage netcheck --help)\n";
    return kUsage;
  }
  auto from = network::parse_target(f.args[0], f.ns, /*allow_dns=*/false);
  auto to = network::parse_target(f.args[1], f.ns, /*allow_dns=*/true);
  network::PortSpec port;
  if (!f.port.empty()) {
    auto p = network::parse_port(f.port);
    if (!p) {
      std::cerr << "ktriage netcheck: " << p.error() << "\n";
      return kUsage;
    }
    port = *p;
  }
  for (const auto* t : {&from, &to}) {
    if (!*t) {
      std::cerr << fmt::format("ktriage netcheck: {} {}\n", t == &from ? "FROM" : "TO", t->error());
      return kUsage;
    }
  }
  const std::vector<std::string> paths(f.args.begin() + 2, f.args.end());
  auto r = load(paths, live, true);
  if (!r) return kUsage;
  const network::NetworkSnapshot net(*r->cluster);
  network::PathHooks hooks;
  hooks.node_health = node_health_hook(*r->cluster, r->diagnosis);
  hooks.security_group = security_group_hook(*r->cluster);
  auto path = network::walk_path(*r->cluster, net, {*from, *to, port}, hooks);
  if (!path) {
    std::cerr << "ktriage netcheck: " << path.error() << "\n";
    return kUsage;
  }
  std::cout << (f.output == "json" ? network::render_path_json(*path)
                                   : network::render_path_text(*path, f.color_enabled));
  if (path->verdict == network::Verdict::kUnknown) return kUndecided;
  return path->reachable ? kReachable : kBlocked;
}

}  // namespace ktriage
