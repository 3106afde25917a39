// Events from core/v1 and events.k8s.io/v1, normalised and aggregated.
// Field mapping (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/):
//   core/v1 involvedObject / message / count / firstTimestamp / lastTimestamp / source.component
//   events.k8s.io/v1 regarding / note / deprecatedCount or series.count / eventTime,
//   deprecatedFirstTimestamp, series.lastObservedTime / reportingController
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"
#include "model/object.h"

namespace ktriage {

/// One aggregated event: every Event object with the same involved object, reason and message
/// folds into one, with counts summed and the time span widened (as `kubectl describe` does).
struct Event {
  std::string_view kind, ns, name, uid;  ///< the involved object
  std::string_view field_path;           ///< "spec.containers{web}" when about a container
  std::string_view reason;
  std::string_view message;
  std::string_view type;       ///< "Normal" or "Warning"
  std::string_view component;  ///< reporting component: "kubelet", "default-scheduler", ...
  std::int64_t count = 1;
  std::optional<UnixSeconds> first_seen;
  std::optional<UnixSeconds> last_seen;
  const Object* object = nullptr;  ///< the (first) Event object, for its file and line

  bool is_warning() const { return type == "Warning"; }
};

}  // namespace ktriage
