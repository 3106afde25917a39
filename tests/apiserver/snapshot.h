// The snapshot as the test API server serves it: every object serialized once at start, grouped
// by resource type and sorted by namespace then name, so a list page is a slice and a namespace a
// contiguous range; container logs by namespace/pod/container. Namespaces that objects use but
// the snapshot has no Namespace object for are added (a real cluster always has them).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "apiserver/resources.h"
#include "core/expected.h"
#include "model/inputs.h"

namespace ktriage::testing {

/// One object, serialized.
struct StoredObject {
  std::string ns, name;
  /// The object as a list item: without kind/apiVersion for built-in types (as kube-apiserver
  /// writes typed list items), with them for other kinds.
  std::string json;
  std::uint32_t metadata_offset = 0, metadata_length = 0;  ///< `.metadata` inside `json`
  Value root;  ///< the parsed object (points into Snapshot::inputs' arenas)

  std::string_view metadata_json() const {
    return std::string_view(json).substr(metadata_offset, metadata_length);
  }
};

/// The objects of one resource type.
struct StoredResource {
  ResourceType type;
  std::vector<StoredObject> objects;  ///< sorted by (ns, name)

  /// Index range of the objects in namespace `ns` (all when `ns` is empty).
  std::pair<std::size_t, std::size_t> range(std::string_view ns) const;
  const StoredObject* find(std::string_view ns, std::string_view name) const;
};

struct Snapshot {
  Inputs inputs;
  std::vector<ResourceType> types;  ///< built-ins, then kinds found only in the snapshot
  std::vector<StoredResource> resources;
  std::string git_version;       ///< "v1.30.4"
  std::string resource_version;  ///< one for every list: the snapshot's highest + 1
  /// (ns, pod, container, previous) -> log text.
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::string> logs;

  /// The resource served at group/version/plural, or null.
  const StoredResource* find(std::string_view group, std::string_view version,
                             std::string_view plural) const;
  /// The type for group/version/plural (also subresources and reviews), or null.
  const ResourceType* find_type(std::string_view group, std::string_view version,
                                std::string_view plural) const;
};

/// Loads `folder` with ktriage's loader. `default_version` when it holds no version.json.
Expected<std::unique_ptr<Snapshot>> load_snapshot(const std::string& folder,
                                                  const std::string& default_version);

}  // namespace ktriage::testing
