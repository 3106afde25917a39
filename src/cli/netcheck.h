// `ktriage netcheck`: flags and wiring of the reachability check (the engine is src/network/).
// Loads the snapshot (or the live cluster), runs the diagnosis for node health, walks the path
// or computes the matrix, prints it.
#pragma once

#include <string>
#include <vector>

#include "cli/live.h"

namespace CLI {
class App;
}

namespace ktriage {

/// The flags of `ktriage netcheck`.
struct NetcheckFlags {
  std::vector<std::string> args;  ///< FROM TO SOURCE... (with --matrix: SOURCE...)
  std::string port;               ///< --port P[/PROTO]
  std::string ns;                 ///< -n: default namespace for FROM/TO; --matrix: workloads of NS
  bool matrix = false;
  std::string by;  ///< --by namespace|workload ("": not given: namespace, or workload with -n)
  std::string output = "text";  ///< -o text|json
  std::string color = "auto";
  bool no_color = false;
  bool color_enabled = false;  ///< set by main.cpp (reads NO_COLOR)
};

/// Adds the `netcheck` subcommand to `app`, filling `flags` (and `live` for the kubeconfig).
CLI::App* add_netcheck_command(CLI::App& app, NetcheckFlags& flags, LiveFlags& live);

/// Runs it: 0 reachable (no hop blocked, the worst a warning; --matrix: always 0), 1 blocked,
/// 2 usage or input error (bad FROM/TO, object not found, nothing could be read), 3 undecided
/// (no hop blocked or warned, but one is unknown).
int run_netcheck(const NetcheckFlags& flags, const LiveFlags& live);

}  // namespace ktriage
