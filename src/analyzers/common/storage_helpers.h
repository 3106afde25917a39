// Facts about StorageClasses and PersistentVolumes that the storage and volumes analyzers share.
#pragma once

#include <string>

#include "core/value.h"
#include "model/object.h"

namespace ktriage {

/// Whether `sc` is annotated as the cluster's default StorageClass. The beta spelling
/// storageclass.beta.kubernetes.io/is-default-class (before v1.13) is still honoured.
/// https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/
inline bool is_default_class(const Object& sc) {
  const Value& a = sc.annotations();
  return a["storageclass.kubernetes.io/is-default-class"].str() == "true" ||
         a["storageclass.beta.kubernetes.io/is-default-class"].str() == "true";
}

/// "ReadWriteOnce,ReadOnlyMany" from a list of access modes; "(none)" when empty.
inline std::string access_modes(const Value& modes) {
  std::string out;
  for (const Value& m : modes.items()) out += (out.empty() ? "" : ",") + std::string(m.str());
  return out.empty() ? "(none)" : out;
}

}  // namespace ktriage
