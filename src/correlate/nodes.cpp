#include "correlate/nodes.h"

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
        if (std::find(f.caused_by.begin(), f.caused_by.end(), id) == f.caused_by.end()) {
          f.caused_by.push_back(id);
        }
      }
    }
  }
}

void fold_nodes(std::vector<Finding>& findings) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].object.kind == "Node" && findings[i].also_affects.empty()) order.push_back(i);
  }
  if (order.size() < 2) return;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return findings[a].object.name < findings[b].object.name;
  });
  std::unordered_map<std::string, std::size_t> first;  // rule#part -> carrier
  std::unordered_map<std::string, std::string> renamed;
  std::vector<bool> drop(findings.size(), false);
  std::unordered_map<std::size_t, std::size_t> folded;
  for (std::size_t i : order) {
    Finding& f = findings[i];
    const std::size_t hash = f.id.find('#');
    const std::string key = f.rule + (hash == std::string::npos ? "" : f.id.substr(hash));
    auto [it, inserted] = first.emplace(key, i);
    if (inserted) continue;
    Finding& carrier = findings[it->second];
    carrier.also_affects.push_back(f.object);
    for (const std::string& c : f.caused_by) {
      if (std::find(carrier.caused_by.begin(), carrier.caused_by.end(), c) ==
          carrier.caused_by.end())
        carrier.caused_by.push_back(c);
    }
    renamed[f.id] = carrier.id;
    drop[i] = true;
    ++folded[it->second];
  }
  if (renamed.empty()) return;
  for (const auto& [index, count] : folded) {
    findings[index].summary +=
        count == 1 ? " (and 1 more node)" : " (and " + std::to_string(count) + " more nodes)";
  }
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(findings[i]));
  }
  for (Finding& f : kept) {
    std::vector<std::string> causes;
    for (const std::string& c : f.caused_by) {
      auto r = renamed.find(c);
      const std::string& id = r == renamed.end() ? c : r->second;
      if (id != f.id && std::find(causes.begin(), causes.end(), id) == causes.end())
        causes.push_back(id);
    }
    f.caused_by = std::move(causes);
  }
  findings = std::move(kept);
}

}  // namespace ktriage
