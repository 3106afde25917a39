// Fields the user applied that the live object lacks: the keys the API server dropped because
// they are not fields where they were written (misspelt or mis-indented; unknown fields are
// dropped silently unless validation is strict). Compares the last-applied configuration with the
// live object, both as parsed Values; reads nothing else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace ktriage {

/// One applied key missing from the live object.
struct DroppedField {
  std::string path;      ///< "spec.template.spec.containers[0].imagePullPolice"
  std::string parent;    ///< "spec.template.spec.containers[0]"
  std::string_view key;  ///< "imagePullPolice"
  const Value* applied = &Value::null_value();  ///< the applied value
  std::string suggestion;  ///< the nearest valid field name ("imagePullPolicy"), or ""
  const Value* live_suggestion = &Value::null_value();  ///< that key's live value, or null
};

/// Keys present in `applied` and absent from `live`, walking objects recursively and arrays
/// element by element (matched by "name" when the elements have one, else by index). Ignored:
/// `status`, server-set metadata, free-form maps (labels, annotations, selectors, data, resource
/// lists), zero values (null, false, 0, "", [], {}: the API server omits them), and keys the API
/// server clears by design (Service fields that depend on the type). Returns nothing when the
/// two differ in apiVersion or kind (a conversion renames fields). O(size of `applied`).
std::vector<DroppedField> dropped_fields(const Value& applied, const Value& live);

/// The name nearest to `key` among the keys of `live_siblings`, then among the field names of
/// core/apps/batch workload types (Kubernetes 1.35 OpenAPI): edit distance 1 for keys of up to 4
/// characters, 2 otherwise; "" when none is that close. O(names x key length^2).
std::string nearest_field_name(std::string_view key, const Value& live_siblings);

/// Whether `name` is a field name of the core/apps/batch workload types (the list above). O(n).
bool is_known_field_name(std::string_view name);

}  // namespace ktriage
