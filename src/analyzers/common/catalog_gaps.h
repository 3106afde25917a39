// The fault-catalog entries no rule implements, each with the reason (issue 4: every catalog entry
// is implemented or listed with why). docs/rules.md prints this table; a test checks that the
// catalog ids are exactly the implemented ones plus these, so a new rule must take its id out.
#pragma once

#include <span>
#include <string_view>

namespace ktriage {

/// Why a catalog entry has no rule in `ktriage diagnose`.
enum class GapKind {
  kNotInClusterData,  ///< the fault leaves no trace in Kubernetes objects or events
  kNotYet,            ///< visible in cluster data, no rule yet
};

struct CatalogGap {
  std::string_view catalog;  ///< fault-catalog id
  GapKind kind;
  std::string_view reason;  ///< where the fault shows instead, and which command or issue covers it
};

/// Every unimplemented catalog entry, in catalog order.
std::span<const CatalogGap> catalog_gaps();

}  // namespace ktriage
