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

/// Reads every path ("-" is standard input) into one Inputs. Never throws for bad input: each
/// problem becomes an InputIssue naming file, line and column, and reading goes on.
/// `keep_sources` keeps object files' text in Inputs::sources (for lint's positions).
Inputs load_sources(std::span<const std::string> paths, const LoadProgress& progress = {},
                    bool keep_sources = false);

/// kubectl-laid-out JSON Lists at least this large (and padded) are parsed item by item on all
/// cores (see list_split.h); smaller ones as one document.
constexpr std::size_t kParallelListBytes = 64u << 20;

/// Reads one in-memory file as if it were found at `path` (layout rules apply to `path`).
/// Used for archive entries, standard input and tests. `padded` promises that kJsonPadding
/// readable bytes follow `data` (saves a copy of large JSON files); otherwise JSON is copied.
/// `parallel_list_bytes` lets tests take the parallel List path with small inputs.
void load_buffer(std::string_view path, std::string_view data, Inputs& out, bool padded = false,
                 std::size_t parallel_list_bytes = kParallelListBytes);

}  // namespace ktriage
