#include "correlate/storage_links.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace ktriage {
namespace {

// Pod findings that a claim's own fault explains: the scheduler's verdicts about claims and
// volumes, and the kubelet's mount timeout.
bool waits_for_volumes(const Finding& f) {
  return f.catalog == "POD-PENDING-UNBOUND-PVC" || f.catalog == "POD-PENDING-NO-PV-TO-BIND" ||
         f.catalog == "POD-WAITING-MOUNT-TIMEOUT";
}

}  // namespace

void link_pods_to_claims(const Cluster& cluster, std::vector<Finding>& findings) {
  std::unordered_map<std::string, std::vector<std::string>> by_claim;  // PVC key -> finding ids
  for (const Finding& f : findings) {
    if (f.object.kind == "PersistentVolumeClaim" && f.severity >= Severity::kWarning)
      by_claim[f.object.key()].push_back(f.id);
  }
  if (by_claim.empty()) return;
  for (Finding& f : findings) {
    if (f.object.kind != "Pod" || !waits_for_volumes(f)) continue;
    std::vector<ObjectRef> pods{f.object};
    pods.insert(pods.end(), f.also_affects.begin(), f.also_affects.end());
    for (const ObjectRef& ref : pods) {
      const Object* pod = cluster.find("Pod", ref.ns, ref.name);
      if (pod == nullptr) continue;
      for (const Value& v : pod->spec()["volumes"].items()) {
        std::string_view claim = v["persistentVolumeClaim"]["claimName"].str();
        if (claim.empty()) continue;
        ObjectRef pvc{"PersistentVolumeClaim", std::string(pod->ns), std::string(claim), ""};
        auto it = by_claim.find(pvc.key());
        if (it == by_claim.end()) continue;
        for (const std::string& id : it->second) {
          f.add_cause(id);
        }
      }
    }
  }
}

}  // namespace ktriage
