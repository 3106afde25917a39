// Label sets and compiled metav1.LabelSelectors for NetworkPolicy evaluation. Pods are grouped by
// label set (matrix.h), and a selector is matched thousands of times per policy, so both are
// flat sorted vectors of string views instead of the loaded Value tree. Never owns the strings:
// they point into the loaded snapshot, which must outlive them.
// Source:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.h"
#include "core/value.h"

namespace ktriage::network {

/// A label set sorted by key, keys unique. A value that is not a string (a hand-written YAML
/// `version: 1`; the API server stores only strings) reads as "".
using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

/// Reads a labels map (metadata.labels) into a sorted Labels. O(n log n).
Labels labels_of(const Value& map);
/// The value of `key`, or nullptr when absent. O(log n).
const std::string_view* label(const Labels& labels, std::string_view key);

/// One matchExpressions requirement.
struct Requirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  std::string_view key;
  Op op = Op::kExists;
  std::vector<std::string_view> values;
};

/// A compiled LabelSelector. Empty (no matchLabels, no matchExpressions) selects everything, as
/// the API defines; whether the selector was absent is the caller's business (a NetworkPolicy
/// peer treats an absent podSelector differently from `{}`).
struct Selector {
  std::vector<std::pair<std::string_view, std::string_view>> match_labels;
  std::vector<Requirement> expressions;

  bool empty() const { return match_labels.empty() && expressions.empty(); }
  /// O(terms * log labels).
  bool matches(const Labels& labels) const;
  /// "app=web,tier in (a,b)" or "{} (everything)": for evidence.
  std::string to_string() const;
};

/// Compiles a LabelSelector Value. Errors: an unknown operator, In/NotIn without values,
/// Exists/DoesNotExist with values (all rejected by the API server). `where` prefixes messages
/// (".spec.podSelector"). O(terms).
Expected<Selector> compile_selector(const Value& selector, std::string_view where);

}  // namespace ktriage::network
