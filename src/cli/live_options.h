// The live-cluster options that commands share, so each spells and documents them as kubectl does
// and as the others do.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/live.h"

namespace ktriage {

/// How to reach the API server: --kubeconfig, --context, --cluster, --user and
/// --request-timeout into `l`, listed under `group` in --help.
void add_live_connection_options(CLI::App& cmd, LiveFlags& l, const char* group);

/// The connection options plus how much to read: --max-inflight, --chunk-size (objects per list
/// page) and --max-logs, for commands that read the whole cluster.
void add_live_options(CLI::App& cmd, LiveFlags& l,
                      const char* group = "Live cluster (when no path is given)");

}  // namespace ktriage
