// The live side of the commands: flags that pick a cluster, and fetching from it with a progress
// bar. `diagnose`/`why` without a path, `collect` and `schema pull` use it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cloud_collect.h"
#include "live/api_client.h"
#include "live/fetch.h"
#include "live/rest_config.h"
#include "model/inputs.h"

namespace ktriage {

/// kubectl's flags for reaching a cluster, plus ktriage's limits.
struct LiveFlags {
  std::string kubeconfig, context, cluster, user;
  int max_inflight = 8;
  std::string request_timeout = "60s";  ///< "30s", "2m", or seconds; "0" = none
  std::size_t max_logs = 500;
  std::size_t chunk_size = 500;  ///< --chunk-size: items per list request (kubectl's flag)
};

/// A connected client and the config it came from; nullopt after printing why to stderr (and,
/// when `path_hint` is not empty, that a snapshot can be given instead: `path_hint` is the
/// command's usage with a path, "ktriage diagnose DIR|FILE|BUNDLE.tar.gz|-").
std::optional<std::unique_ptr<ApiClient>> connect(const LiveFlags& flags, const std::string& ns,
                                                  std::string_view path_hint = {});

/// Fetches the snapshot (namespace `ns`, or all when empty), drawing a progress bar on stderr
/// when it is a terminal. nullopt after printing the error to stderr.
std::optional<LiveSnapshot> fetch_live(ApiClient& client, const LiveFlags& flags,
                                       const std::string& ns, bool progress);

/// fetch_live, then the snapshot loaded as Inputs ("live/<path>" in evidence); with `timings`
/// the wall time of both steps goes to stderr. nullopt after printing the error.
std::optional<Inputs> read_live(const LiveFlags& flags, const std::string& ns, bool progress,
                                bool timings, std::string_view path_hint = {});

/// `ktriage collect`: fetch and write a bundle to `out` (default ktriage-<context>-<time>.tar.gz);
/// with `cloud.enabled`, the aliyun CLI's answers go into its cloud/ folder (cloud_collect.h).
int run_collect(const LiveFlags& flags, const std::string& ns, std::string out,
                const CloudFlags& cloud = {});

/// `ktriage schema pull`: save the server's OpenAPI v3 documents for `lint`.
int run_schema_pull(const LiveFlags& flags, const std::string& into);

}  // namespace ktriage
