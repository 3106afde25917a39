// Reads what diagnosis needs from a live API server into an in-memory snapshot in ktriage's own
// layout, so that live diagnosis, `collect` bundles and offline runs read the very same bytes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "live/api_client.h"
#include "model/inputs.h"

namespace ktriage {

/// Progress of a fetch, for the progress bar. Counts only grow.
struct FetchProgress {
  std::size_t lists_done = 0, lists_total = 0;
  std::size_t pages = 0;
  std::size_t logs_done = 0, logs_total = 0;
  std::size_t bytes = 0;
};

struct FetchOptions {
  std::string ns;               ///< "" = every namespace; else it, kube-system, and cluster scope
  std::size_t page_size = 500;  ///< `limit` of each list request
  bool logs = true;             ///< fetch logs of failing containers
  /// When not empty, list only these resources ("roles", ...): `can-i` reads the RBAC objects
  /// without the rest of the cluster.
  std::vector<std::string_view> only_resources;
  std::size_t max_logs = 500;  ///< --max-logs: containers whose logs are fetched, at most
  int log_tail_lines = 1000;   ///< `tailLines` of each log request
  /// `limitBytes` of each log request: the kubelet counts it from the start of the tail window,
  /// so it is a safety cap far above kLogTailBytes (the loader keeps the last 256 KiB).
  std::size_t log_limit_bytes = 16 * kLogTailBytes;
  int workers = 8;  ///< lists and logs fetched at once (the client bounds requests)
  /// Called after each page and log, from one thread at a time; may be empty.
  std::function<void(const FetchProgress&)> progress;
};

/// One file of the snapshot: `path` relative to the snapshot's root ("objects/pods.json",
/// "logs/shop/web-1/app.log", "version.json", "ktriage-collect.json").
struct SnapshotFile {
  std::string path;
  std::string data;
};

struct LiveSnapshot {
  std::vector<SnapshotFile> files;
  std::vector<std::string> problems;  ///< also inside ktriage-collect.json
};

/// Lists every kind the analyzers read (paginated at `page_size`, restarting a list whose
/// continue token expired, 410), reads /version, and the current and previous logs of failing
/// containers. A kind the server refuses (403) or does not serve (404) becomes a problem or is
/// skipped; only an unreachable server, rejected credentials or failed discovery are errors.
/// Every text is masked as page.h describes before it is kept.
Expected<LiveSnapshot, std::string> fetch_snapshot(ApiClient& client, const FetchOptions& options);

/// Every resource fetch_snapshot lists, as RBAC names them: {group ("" = core), resource}, plus
/// {"", "pods/log"}. docs/rbac.md's ClusterRole grants exactly these (a test keeps them equal).
std::vector<std::pair<std::string, std::string>> fetched_resources();

/// `ktriage-collect.json`: where and when the snapshot was taken and what could not be read.
/// load_buffer turns its problems into input problems, so a bundle reports what the live run did.
std::string collect_info_json(const RestConfig& config, std::string_view collected_at,
                              const std::vector<std::string>& problems);

}  // namespace ktriage
