// Typed reading of Pods: containers with their statuses, conditions, effective requests.
// Field meanings: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/quantity.h"
#include "model/object.h"

namespace ktriage {

/// One container of a Pod: its spec and, when reported, its status entry.
struct ContainerView {
  std::string_view name;
  bool init = false;
  int index = 0;  ///< position in spec.containers / spec.initContainers
  const Value* spec = &Value::null_value();
  const Value* status = &Value::null_value();  ///< entry of (init)ContainerStatuses, or null
  int status_index = -1;  ///< position of `status` in its list; -1 without status

  /// ".spec.containers[0]" or ".spec.initContainers[1]"
  std::string spec_path() const;
  /// ".status.containerStatuses[i]" (index of the status entry) or "" without status. Formatted
  /// when asked, not by the join: analyzers join every pod's containers and use few paths.
  std::string status_path() const;

  const Value& state() const { return (*status)["state"]; }
  const Value& last_state() const { return (*status)["lastState"]; }
  std::string_view waiting_reason() const { return state()["waiting"]["reason"].str(); }
  std::string_view waiting_message() const { return state()["waiting"]["message"].str(); }
  std::int64_t restarts() const { return (*status)["restartCount"].as_int(0); }
  bool ready() const { return (*status)["ready"].as_bool(); }
};

/// A resource amount as requests, limits, allocatable, capacity and quotas hold it: a quantity
/// string ("250m", "1Gi"), or a plain number of units as hand-written YAML may give (`cpu: 2`,
/// `cpu: 0.5` is 500m, as the API server reads it); nullopt when it is neither, not finite or
/// overflows milli-units.
std::optional<MilliQuantity> request_quantity(const Value& v);

/// Read-only helpers over one Pod object. Cheap to construct; holds a reference.
class PodView {
 public:
  explicit PodView(const Object& pod) : pod_(pod) {}

  const Object& object() const { return pod_; }
  std::string_view phase() const { return pod_.status()["phase"].str(); }
  std::string_view node_name() const { return pod_.spec()["nodeName"].str(); }
  /// Succeeded or Failed: the kubelet will not restart anything; never a "current" fault
  /// for Always-restart workloads, and normal for Jobs.
  bool terminated() const { return phase() == "Succeeded" || phase() == "Failed"; }
  bool being_deleted() const { return !pod_.metadata()["deletionTimestamp"].is_null(); }
  std::string_view restart_policy() const {
    std::string_view p = pod_.spec()["restartPolicy"].str();
    return p.empty() ? "Always" : p;
  }
  /// The condition of `type` ("Ready", "PodScheduled", ...), or a null Value.
  const Value& condition(std::string_view type) const;
  bool ready() const { return condition("Ready")["status"].str() == "True"; }

  /// Init containers first, then app containers, each joined with its status by name.
  std::vector<ContainerView> containers() const;
  /// App containers only.
  std::vector<ContainerView> app_containers() const;

  /// Effective requests the scheduler uses: max(sum of app containers, largest init container)
  /// plus spec.overhead, per resource ("cpu", "memory", "nvidia.com/gpu", ...), milli-units.
  /// Source:
  /// https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
  std::map<std::string, MilliQuantity, std::less<>> requests() const;

 private:
  const Object& pod_;
};

}  // namespace ktriage
