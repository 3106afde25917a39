#include "correlate/nodes.h"

#include "correlate/fold.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ktriage {
namespace {

// Node findings that make a node unable to run or report its pods (analyzers/nodes.cpp).
bool is_node_down(const Finding& f) {
  return f.object.kind == "Node" &&
         (f.catalog.starts_with("NODE-NOT-READY-") || f.catalog == "POD-WAITING-NETWORK-NOT-READY");
}

// Pod findings whose cause is the pod's node when that node is down.
bool follows_node(const Finding& f) {
  return f.object.kind == "Pod" &&
         (f.catalog == "POD-UNKNOWN-NODE-UNREACHABLE" || f.catalog == "POD-STUCK-TERMINATING" ||
          f.catalog == "POD-WAITING-NETWORK-NOT-READY");
}

}  // namespace

void link_pods_to_nodes(const Cluster& cluster, std::vector<Finding>& findings) {
  std::unordered_map<std::string, std::vector<std::string>> down;  // node name -> finding ids
  for (const Finding& f : findings) {
    if (is_node_down(f)) down[f.object.name].push_back(f.id);
  }
  if (down.empty()) return;
  for (Finding& f : findings) {
    if (!follows_node(f)) continue;
    std::vector<const ObjectRef*> pods{&f.object};
    for (const ObjectRef& o : f.also_affects) pods.push_back(&o);
    for (const ObjectRef* ref : pods) {
      const Object* pod = cluster.find("Pod", ref->ns, ref->name);
      if (pod == nullptr) continue;
      auto it = down.find(std::string(pod->spec()["nodeName"].str()));
      if (it == down.end()) continue;
      for (const std::string& id : it->second) {
        f.add_cause(id);
      }
    }
  }
}

void fold_nodes(std::vector<Finding>& findings) {
  auto key = [](const Finding& f) -> std::optional<std::string> {
    if (f.object.kind != "Node") return std::nullopt;
    return f.rule + id_part(f);
  };
  std::unordered_map<std::string, std::string> renamed;
  fold_findings(findings, key, "node", /*merge_causes=*/true, renamed);
}

}  // namespace ktriage
