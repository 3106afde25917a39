// Steps shared by analyzers (STYLE.md practice 5): event lookup, evidence construction, log
// tails. An analyzer that needs one of these calls it here instead of writing its own loop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "model/cluster.h"
#include "model/pod.h"

namespace ktriage {

/// The most recent aggregated event about `obj` with `reason` (and, when given, whose message
/// contains `contains`); nullptr when none. O(events of obj).
const Event* latest_event(const Cluster& cluster, const Object& obj, std::string_view reason,
                          std::string_view contains = {});

/// Evidence for an event: reason, message, count, last time, component, file:line of the Event.
Evidence event_evidence(const Cluster& cluster, const Event& e);

/// Field evidence for a pod container: path relative to the object, value as text.
Evidence field_evidence(const Object& obj, std::string path, std::string_view value);

/// "kubectl -n shop " or "" for cluster-scoped objects: the prefix of suggested commands.
std::string kubectl_ns(const Object& obj);

/// The last `n` non-empty lines of `text`, each with its 1-based line number (`first_line` is
/// the number of text's first line).
struct NumberedLine {
  std::uint32_t line;
  std::string_view text;
};
std::vector<NumberedLine> last_lines(std::string_view text, std::size_t n,
                                     std::uint32_t first_line = 1);

/// The workload a pod belongs to (top of its owner chain), for fix texts: "deployment/web".
std::string workload_name(const Cluster& cluster, const Object& pod);

/// The sentence that ends a fix changing a pod's spec when the pod has no owner at all (a bare
/// Pod): its containers, volumes and most of its spec cannot be changed in place
/// (https://kubernetes.io/docs/concepts/workloads/pods/#pod-update-and-replacement), so the
/// change goes into its manifest and the pod is created again; there is no rollout to undo.
/// " pod/web has no controller ..." (leading space) when `fix` names pod/NAME as the place to
/// change; "" for a pod with an owner, and for a fix that does not change the pod.
std::string recreate_note(const Object& pod, std::string_view fix);

/// Like workload_name, but when the snapshot lacks the pod's owner, the owner its controller
/// ownerReference declares: "statefulset/db"; a ReplicaSet named <deployment>-<pod-template-hash>
/// reads as "deployment/<deployment>". "pod/<name>" for a pod without owner. O(owner refs).
std::string declared_workload(const Cluster& cluster, const Object& pod);

/// Whether the pod is run by a Job (directly or through a CronJob): its Failed/Succeeded
/// phases are the Job's business, not a fault of the pod.
bool owned_by_job(const Cluster& cluster, const Object& pod);

/// The first of `alternatives` ('|'-separated substrings, tried in order) that `text` contains,
/// as a view into `alternatives`; "" when none does. For matching messages against short lists of
/// known wordings. O(len(text) * alternatives).
std::string_view find_any(std::string_view text, std::string_view alternatives);

/// The text between the first `"` after the first `after` in `text` and the next `"`: the
/// quoted name in messages such as `for volume "data" : ...` or `serviceaccount "sa" not found`.
/// "" when `after` or either quote is missing. O(len(text)).
std::string_view quoted_after(std::string_view text, std::string_view after);

/// Whether `s` contains `part` (messages are matched by substring, as the catalog advises).
inline bool has(std::string_view s, std::string_view part) { return s.find(part) != s.npos; }

/// "Init container" or "Container", to start a summary.
inline std::string_view noun(const ContainerView& c) {
  return c.init ? "Init container" : "Container";
}

/// Trims a long message to `max` characters with an ellipsis, for summaries.
std::string shorten(std::string_view s, std::size_t max = 160);

}  // namespace ktriage
