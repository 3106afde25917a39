// What the reference checks (references_*.cpp) share: finding the object a manifest names in
// the namespace `kubectl apply` would put both in. Never reads files; views into the Cluster.
#pragma once

#include <string_view>

#include "model/cluster.h"

namespace ktriage::lint {

/// The object of `kind` named `name` in the namespace of `from` (cluster-scoped when
/// `cluster_scoped`). A manifest without a namespace and one in "default" are taken as the same
/// namespace, since `kubectl apply` puts the first into the default one. nullptr when the set has
/// no such object. O(1) average.
const Object* find_referenced(const Cluster& cluster, std::string_view kind, const Object& from,
                              std::string_view name, bool cluster_scoped = false);

}  // namespace ktriage::lint
