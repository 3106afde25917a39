// One Kubernetes object as the analyzers see it: the parsed tree plus its identity, pre-read.
#pragma once

#include <string>
#include <string_view>

#include "core/ascii.h"
#include "core/object_ref.h"
#include "core/source_location.h"
#include "core/value.h"

namespace ktriage {

/// An API object of any kind. Identity fields are views into the loaded tree, valid as long as the
/// Cluster lives. Cluster-scoped objects have an empty `ns`.
struct Object {
  const Value* root = nullptr;
  std::string_view kind;
  std::string_view api_version;
  std::string_view ns;
  std::string_view name;
  std::string_view uid;
  std::uint32_t file = 0;  ///< index into Cluster::files()
  SourcePos pos;
  /// What `kubectl apply` last sent (the last-applied-configuration annotation, parsed), or null.
  const Value* last_applied = &Value::null_value();
  /// The distinct {apiVersion, manager, operation} entries of metadata.managedFields (see
  /// RawObject::managed_fields), or null.
  const Value* managed_fields = &Value::null_value();

  const Value& operator[](std::string_view key) const { return (*root)[key]; }
  const Value& metadata() const { return (*root)["metadata"]; }
  const Value& spec() const { return (*root)["spec"]; }
  const Value& status() const { return (*root)["status"]; }
  const Value& labels() const { return metadata()["labels"]; }
  const Value& annotations() const { return metadata()["annotations"]; }
  std::string_view label(std::string_view key) const { return labels()[key].str(); }
  /// The entry of .status.conditions whose type is `type` (Ready, Available, Complete, ...), or
  /// a null Value. O(conditions).
  const Value& condition(std::string_view type) const {
    for (const Value& c : status()["conditions"].items()) {
      if (c["type"].str() == type) return c;
    }
    return Value::null_value();
  }
  /// Owning copy of the identity, for findings.
  ObjectRef ref() const {
    return ObjectRef{std::string(kind), std::string(ns), std::string(name), std::string(uid)};
  }
};

/// "pod/web-1": the kubectl name of an object (kind in lower case), as evidence names another
/// object than its finding's. O(length).
inline std::string kubectl_name(const Object& obj) {
  return ascii_lower(obj.kind) + "/" + std::string(obj.name);
}

}  // namespace ktriage
