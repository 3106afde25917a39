// `ktriage can-i`: kubectl auth can-i over a snapshot's RBAC objects. Flags and wiring only; the
// evaluation is src/rbac/. Reads a snapshot, or the live cluster's RBAC objects (GET only) when
// no SOURCE is given. Prints the answer to stdout and problems to stderr.
#pragma once

#include <string>
#include <vector>

#include "cli/live.h"

namespace CLI {
class App;
}

namespace ktriage {

/// The flags of `ktriage can-i`.
struct CanIFlags {
  std::vector<std::string> args;       ///< VERB RESOURCE [NAME] [SOURCE...]
  std::string ns;                      ///< -n
  bool all_namespaces = false;         ///< -A: the cluster scope
  std::string as;                      ///< --as USER
  std::vector<std::string> as_groups;  ///< --as-group (repeatable)
  std::string sa;                      ///< --sa NS/NAME
  std::string subresource;             ///< --subresource
  bool who = false;                    ///< --who: list the subjects instead
  std::string output = "text";         ///< -o text|json
  /// --color / --no-color: accepted as every command takes them; the answer has no colour.
  std::string color = "auto";
  bool no_color = false;
  LiveFlags live;  ///< the kubeconfig to read RBAC objects from when no SOURCE is given
};

/// Adds the `can-i` subcommand to `app`, filling `flags` when parsed.
CLI::App* add_can_i_command(CLI::App& app, CanIFlags& flags);

/// Runs it: 0 allowed (with --who: someone may), 1 denied (nobody may), 2 usage or input error.
int run_can_i(const CanIFlags& flags);

}  // namespace ktriage
