// A fetched snapshot as a `.tar.gz` bundle on disk, or as Inputs for the pipeline. Both go
// through the same bytes and the same loader, so `collect` then `diagnose` equals live `diagnose`.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.h"
#include "live/fetch.h"
#include "model/inputs.h"

namespace ktriage {

/// Writes `snap`'s files under the folder `root` inside a gzip-compressed tar at `path`
/// (fast compression: a 150,000-pod cluster's lists are gigabytes). Error text names the path.
Expected<std::size_t, std::string> write_bundle(const LiveSnapshot& snap, std::string_view root,
                                                const std::string& path);

/// Loads `snap`'s files as the offline loader would read them from a folder; paths appear in
/// evidence as "<origin><path>" ("live/objects/pods.json").
Inputs load_snapshot(const LiveSnapshot& snap, std::string_view origin);

}  // namespace ktriage
