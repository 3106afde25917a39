// Facts about StorageClasses and PersistentVolumes that the storage and volumes analyzers share.
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"
#include "model/cluster.h"
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

/// The class a fix names for a disk that must be created for the pod's node (its zone, a category
/// the instance family attaches): a StorageClass of the snapshot with volumeBindingMode
/// WaitForFirstConsumer and provisioner `provisioner` (any provisioner when empty), one whose
/// parameters.type lists several categories first: "StorageClass alicloud-disk-topology
/// (WaitForFirstConsumer)". Without one, a class to create, naming ACK's
/// alicloud-disk-topology-alltype as the model and saying whether the snapshot lacks it (it has
/// StorageClasses but not that one) or cannot tell (no StorageClass read). O(StorageClasses).
/// `failing`: the class the claim already uses (never the answer), or "".
std::string wait_for_consumer_class(const Cluster& cluster, std::string_view provisioner,
                                    std::string_view failing);

}  // namespace ktriage
