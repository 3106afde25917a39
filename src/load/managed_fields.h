// metadata.managedFields reduced to what upgrade-check reads: the distinct {apiVersion, manager,
// operation} of its entries. Shared by the JSON and YAML readers; never keeps fieldsV1 (the bulk
// of the bytes) or timestamps.
#pragma once

#include <string_view>
#include <vector>

#include "core/value.h"

namespace ktriage {

/// The three fields of one managedFields entry, as views into the parser's buffers.
struct ManagedEntry {
  std::string_view api_version;
  std::string_view manager;
  std::string_view operation;
};

/// An array Value of objects {apiVersion, manager, operation} (members absent when empty), one
/// per distinct entry of `entries`, in first-seen order; strings interned into `arena`. A null
/// Value when `entries` is empty. O(entries^2), for the handful of managers an object has.
Value compact_managed_fields(const std::vector<ManagedEntry>& entries, Arena& arena);

}  // namespace ktriage
