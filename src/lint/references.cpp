#include "lint/references.h"

namespace ktriage::lint {

const Object* find_referenced(const Cluster& cluster, std::string_view kind, const Object& from,
                              std::string_view name, bool cluster_scoped) {
  if (cluster_scoped) return cluster.find(kind, {}, name);
  if (const Object* o = cluster.find(kind, from.ns, name)) return o;
  if (from.ns.empty()) return cluster.find(kind, "default", name);
  if (from.ns == "default") return cluster.find(kind, {}, name);
  return nullptr;
}

}  // namespace ktriage::lint
