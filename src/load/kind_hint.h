// The kind that support bundles (cluster-resources/<name>[/<ns>].json) and `kubectl cluster-info
// dump` (<ns>/<name>.json) imply by a file's or folder's name. A table lookup on the path only:
// never reads the file.
#pragma once

#include <string_view>

namespace ktriage {

/// The kind named by `path`'s file stem or parent folder ("pods.json", "nodes/x.json" ->
/// "Pod", "Node"); "" when neither is known. Used only for items that carry no kind.
/// Cost: a scan of a 29-entry table.
std::string_view kind_hint(std::string_view path);

}  // namespace ktriage
