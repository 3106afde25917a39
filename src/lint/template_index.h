// The pod templates of a manifest set, indexed once per run by namespace and by label, so that
// a Service or PodDisruptionBudget finds the workloads its selector matches without scanning
// every object (STYLE.md practice 6). Lint-internal; reads the Cluster, never changes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/cluster.h"
#include "model/pod_template.h"

namespace ktriage::lint {

/// Every pod template of the set (lint/practices.h pod_templates: Pods and workloads, not what
/// controllers wrote), by namespace and by (namespace, label key, label value). Namespaces are
/// effective ones: a manifest without one is in "default", as `kubectl apply` puts it there.
/// Built in O(objects + labels); holds views into the Cluster, which must outlive it.
class TemplateIndex {
 public:
  explicit TemplateIndex(const Cluster& cluster);

  /// Whether namespace `ns` (an effective namespace) has any pod template in the set.
  /// O(1) average.
  bool has_templates(std::string_view ns) const;

  /// The templates of `ns` a Service-style selector (map of key: value) matches; none for an
  /// empty selector. O(templates carrying the selector's first pair).
  std::vector<const PodTemplate*> matching_map(std::string_view ns, const Value& selector) const;

  /// The templates of `ns` a metav1.LabelSelector matches (an empty selector matches all).
  /// O(templates carrying the first matchLabels pair), or O(templates of `ns`) for a selector
  /// with matchExpressions only.
  std::vector<const PodTemplate*> matching_label_selector(std::string_view ns,
                                                          const Value& selector) const;

  /// The template of `ns` whose labels are nearest `pairs` (a map): the most pairs carried, then
  /// the most keys carried with another value; nullptr when none carries any of the keys. For
  /// fix texts: the workload a selector most likely meant. O(templates carrying any key).
  const PodTemplate* nearest(std::string_view ns, const Value& pairs) const;

 private:
  static std::string label_key(std::string_view ns, std::string_view key, std::string_view value);
  const std::vector<std::uint32_t>& with_label(std::string_view ns, std::string_view key,
                                               std::string_view value) const;

  std::vector<PodTemplate> templates_;  // in reading order
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_ns_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_label_;  // label_key -> templates
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_key_;    // (ns, key, "") -> ...
};

}  // namespace ktriage::lint
