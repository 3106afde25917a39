// Offline sources: files, folders, .tar.gz bundles and standard input, in any of the layouts the
// README documents (ktriage's own, `kubectl cluster-info dump`, Replicated support bundles,
// kubelet's on-node log folders).
#pragma once

#include <functional>
#include <span>
#include <string>

#include "model/inputs.h"

namespace ktriage {

/// Called after each file with (files done, bytes done); may be empty.
using LoadProgress = std::function<void(std::size_t files, std::size_t bytes)>;

/// Threads that read files when LoadOptions::threads is 0: the cores, but no more than this
/// (beyond it small files wait on the file system and the join, not on parsing).
constexpr unsigned kDefaultMaxLoadThreads = 8;

/// Fewer file steps than this are read on the calling thread: starting threads would cost more
/// than it saves.
constexpr std::size_t kMinFilesForThreads = 16;

/// How load_sources reads.
struct LoadOptions {
  /// Running totals; with several threads, calls are serialised but may come from any of them.
  LoadProgress progress;
  /// Keep object files' text in Inputs::sources (for lint's positions).
  bool keep_sources = false;
  /// Threads reading files: 0 = the cores, at most kDefaultMaxLoadThreads; 1 = one after another
  /// on the calling thread. The result is the same whatever the number.
  unsigned threads = 0;
};

/// Reads every path ("-" is standard input) into one Inputs: folders in sorted path order,
/// archives entry by entry. Files are read on several threads (see LoadOptions::threads), each
/// into its own Inputs, joined in file order: objects, issues, logs and file indices are those
/// of a sequential read. Never throws for bad input: each problem becomes an InputIssue naming
/// file, line and column, and reading goes on.
Inputs load_sources(std::span<const std::string> paths, const LoadOptions& options);

/// The same with the default number of threads.
Inputs load_sources(std::span<const std::string> paths, const LoadProgress& progress = {},
                    bool keep_sources = false);

/// kubectl-laid-out JSON Lists at least this large (and padded) are parsed item by item on all
/// cores (see list_split.h); smaller ones as one document. At 64 MiB, the 150k-pod bench's
/// services, nodes and configmaps (22-50 MB each) were parsed on one core while the other
/// waited: 0.4 s of a 3.5 s load. Below a few MiB a file parses faster than threads start.
constexpr std::size_t kParallelListBytes = 8u << 20;

/// Reads one in-memory file as if it were found at `path` (layout rules apply to `path`).
/// Used for archive entries, standard input and tests. `padded` promises that kJsonPadding
/// readable bytes follow `data` (saves a copy of large JSON files); otherwise JSON is copied.
/// `parallel_list_bytes` lets tests take the parallel List path with small inputs.
void load_buffer(std::string_view path, std::string_view data, Inputs& out, bool padded = false,
                 std::size_t parallel_list_bytes = kParallelListBytes);

}  // namespace ktriage
