#include "cli/live_options.h"

namespace ktriage {

void add_live_connection_options(CLI::App& cmd, LiveFlags& l, const char* group) {
  cmd.add_option("--kubeconfig", l.kubeconfig,
                 "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)")
      ->group(group);
  cmd.add_option("--context", l.context, "kubeconfig context (default: current-context)")
      ->group(group);
  cmd.add_option("--cluster", l.cluster, "kubeconfig cluster to use instead of the context's")
      ->group(group);
  cmd.add_option("--user", l.user, "kubeconfig user to use instead of the context's")->group(group);
  cmd.add_option("--request-timeout", l.request_timeout,
                 "Time limit of one API request: 30s, 2m, 0 for none (default 60s)")
      ->group(group);
}

void add_live_options(CLI::App& cmd, LiveFlags& l, const char* group) {
  add_live_connection_options(cmd, l, group);
  cmd.add_option("--max-inflight", l.max_inflight, "API requests in flight at once (default 8)")
      ->check(CLI::Range(1, 64))
      ->group(group);
  cmd.add_option("--chunk-size", l.chunk_size,
                 "Objects per list request; lists are read in pages of this size (default 500)")
      ->check(CLI::Range(1, 100000))
      ->group(group);
  cmd.add_option("--max-logs", l.max_logs,
                 "Failing containers whose logs are read, at most (default 500)")
      ->check(CLI::Range(0, 100000))
      ->group(group);
}

}  // namespace ktriage
