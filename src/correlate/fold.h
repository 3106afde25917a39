// Folding of findings that are one fault seen on several objects (pods of one owner, nodes with
// one cause): the first object by name carries the finding, the others go to its also_affects,
// and links to a folded finding are redirected to its carrier.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/finding.h"

namespace ktriage {

/// The part of a finding id after '#' ("#web" for a container), or "".
std::string id_part(const Finding& f);

/// Folds the findings for which `group_key` gives the same key. The carrier's summary gets
/// " (and N more <noun>s)"; with `merge_causes` the folded findings' causes join the carrier's.
/// Every caused_by in `findings` is redirected through the renaming, deduplicated, never to the
/// finding itself; `renamed` receives folded id -> carrier id. Findings that already carry a
/// group (non-empty also_affects) are left alone. O(n log n).
void fold_findings(std::vector<Finding>& findings,
                   const std::function<std::optional<std::string>(const Finding&)>& group_key,
                   std::string_view noun, bool merge_causes,
                   std::unordered_map<std::string, std::string>& renamed);

}  // namespace ktriage
