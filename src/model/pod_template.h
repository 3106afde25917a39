// The pod template of a workload, whatever its kind: where the pod spec lives in the object and
// how many pods it asks for. Lint's practice checks read every pod template through this one
// reader. Never sees the Cluster; holds views into the object's tree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/object.h"

namespace ktriage {

/// A Pod, or the template of a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob.
struct PodTemplate {
  const Object* owner = nullptr;
  /// Path of the template's pod spec in `owner`: ".spec", ".spec.template.spec" or
  /// ".spec.jobTemplate.spec.template.spec".
  std::string spec_path;
  const Value* labels = &Value::null_value();  ///< the pods' labels (template metadata)
  const Value* spec = &Value::null_value();    ///< the pod spec
  /// spec.replicas with the API's default of 1 (Deployment, ReplicaSet, StatefulSet); 0 for
  /// kinds whose pod count the user does not set this way (DaemonSet, Job, CronJob, Pod).
  std::int64_t replicas = 0;
  /// Pods meant to finish (Job, CronJob, a Pod whose restartPolicy is not Always): probes and
  /// disruption budgets do not apply to them.
  bool runs_to_completion = false;
};

/// The pod template of `obj`, or nothing when its kind has none. O(1).
std::optional<PodTemplate> pod_template(const Object& obj);

/// Path of the pods' labels in `t.owner`: ".metadata.labels" for a Pod, else the template's
/// ".spec.template.metadata.labels" (beside `spec_path`). O(length).
std::string labels_path(const PodTemplate& t);

/// The object's namespace as the API server sees it: "default" when the manifest names none.
std::string_view effective_namespace(const Object& obj);

}  // namespace ktriage
