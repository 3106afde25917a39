// What the practice checks (practices_*.cpp) share: the pod templates of the input set and their
// containers, each with the path a finding points at. Never reads files; holds views into the
// Cluster's objects, valid as long as the Cluster lives.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/check.h"
#include "model/pod_template.h"

namespace ktriage::lint {

/// Every pod template of the set (Pods and workloads), in reading order. Objects with
/// ownerReferences are left out: a controller wrote them, the user's manifest is the owner's.
/// O(objects of the workload kinds).
std::vector<PodTemplate> pod_templates(const Cluster& cluster);

/// One container of a pod template: init containers first, then app containers.
struct TemplateContainer {
  std::string_view name;
  const Value* spec = &Value::null_value();
  std::string path;  ///< ".spec.template.spec.containers[0]"
  bool init = false;
};

/// The containers of `t`. O(containers).
std::vector<TemplateContainer> template_containers(const PodTemplate& t);

/// Deep equality of two trees (members compared in any order). O(size of the trees).
bool same_value(const Value& a, const Value& b);

/// Starts a finding of `rule` on `t`'s object with `fix` and one field evidence at `path`
/// (relative to the object; an absent node is placed at its nearest existing ancestor).
Finding& add_practice_finding(std::vector<Finding>& out, const LintRule& rule, const PodTemplate& t,
                              std::string summary, std::string_view part, std::string path,
                              std::string value, std::string fix);

}  // namespace ktriage::lint
