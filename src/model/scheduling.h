// Label selectors, taints and tolerations, node resources: the scheduler's predicates, recomputed.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/quantity.h"
#include "model/object.h"

namespace ktriage {

/// A Service-style selector (map of key: value) against labels. An empty or absent selector
/// matches nothing here: for Services it means "no selector" (manual Endpoints).
bool map_selector_matches(const Value& selector, const Value& labels);

/// A metav1.LabelSelector (matchLabels + matchExpressions with In, NotIn, Exists,
/// DoesNotExist). An empty selector matches everything, as the API defines.
/// Source: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
bool label_selector_matches(const Value& selector, const Value& labels);

/// One matchExpressions entry of a label selector (In, NotIn, Exists, DoesNotExist, and the
/// node-only Gt, Lt) against labels; an unknown operator matches nothing. O(values).
bool label_expression_matches(const Value& expression, const Value& labels);

/// A node selector term (matchExpressions over labels with In, NotIn, Exists, DoesNotExist,
/// Gt, Lt; matchFields over metadata.name) against a Node.
bool node_selector_term_matches(const Value& term, const Object& node);

/// Whether `tolerations` (a Pod's spec.tolerations) tolerate `taint` (one of a Node's
/// spec.taints). Source:
/// https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
bool tolerates(const Value& tolerations, const Value& taint);

/// Whether the Pod's nodeSelector and required node affinity admit the Node.
bool node_affinity_admits(const Object& pod, const Object& node);
/// The same for a pod spec (a workload's spec.template.spec).
bool spec_admits(const Value& pod_spec, const Object& node);

/// A pod spec's nodeSelector and required node affinity terms, looked up once, for checking
/// one spec against every node. Holds views into the spec.
class NodePlacement {
 public:
  /// O(spec keys).
  explicit NodePlacement(const Value& pod_spec);
  /// The verdict of spec_admits(pod_spec, node). O(selector + terms).
  bool admits(const Object& node) const;

 private:
  const Value* node_selector_;
  const Value* terms_;  // nodeSelectorTerms, ORed
};

/// Node allocatable (falling back to capacity) per resource, milli-units.
std::map<std::string, MilliQuantity, std::less<>> node_allocatable(const Object& node);

/// "key=value:Effect" for messages.
std::string taint_string(const Value& taint);

}  // namespace ktriage
