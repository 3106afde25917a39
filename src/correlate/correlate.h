// Turns flat findings into cause trees: sibling pods of one workload share one root finding,
// workloads and Services become symptoms of their pods' faults.
#pragma once

#include <optional>
#include <vector>

#include "core/diagnosis.h"
#include "model/cluster.h"

namespace ktriage {

/// Rules that correlation itself produces (symptoms), for docs and --list-rules.
struct CorrelationRule {
  std::string_view id, catalog, title;
};
std::span<const CorrelationRule> correlation_rules();

/// Groups, links and orders `findings` (see Diagnosis for the order).
/// - Pods of one owner with the same rule fold into one finding (others in also_affects).
/// - Each Deployment, StatefulSet, DaemonSet, Job or CronJob whose pods have findings gets a
///   `workload-unhealthy` finding caused by them, with its replica counts as evidence.
/// - Pod findings a down node explains are caused by that node's finding (correlate/nodes.h).
/// - `svc-no-ready-endpoints` is caused by the findings of the pods the Service selects.
/// - A finding whose evidence quotes `failed calling webhook "X"` is caused by webhook X's
///   `webhook-backend-unavailable` finding.
std::vector<Finding> correlate(const Cluster& cluster, std::vector<Finding> findings);

/// Once log lines are attached to the correlated findings (logs::attach_log_evidence): a
/// readiness or liveness probe finding whose quoted log lines show a connection to a Service
/// failing (its clusterIP:port or its DNS name, with "connection refused", "i/o timeout", "no
/// route to host", "no such host" or "timed out") is caused by that Service's findings, such
/// as a wrong targetPort; then cycles are broken and the findings ordered again.
void link_log_dependencies(const Cluster& cluster, std::vector<Finding>& findings);

/// The report's order: root causes first, then by the worst severity of a root and of what it
/// explains (a warning whose symptom is critical ranks with the critical roots), then by how many
/// findings a root explains through any depth of caused_by (a symptom: its direct symptoms),
/// then by its own severity, then by namespace, kind and name (numbers in names by value);
/// symptoms after the roots.
void order_findings(std::vector<Finding>& findings);

/// The findings about `target` (directly or through also_affects) and everything that explains
/// them, transitively; plus the symptoms they explain. Empty when `target` has no finding.
std::vector<Finding> select_tree(const std::vector<Finding>& findings, const ObjectRef& target);

/// The findings about other objects whose field evidence is read from `target` (a ConfigMap
/// whose keys a Pod's finding lists, a ServiceAccount's imagePullSecrets), with what explains
/// them, in report order: what `why` shows for an object no finding is about. Evidence names
/// objects as kubectl does ("configmap/web-config"), in the finding's namespace.
std::vector<Finding> select_mentions(const std::vector<Finding>& findings, const ObjectRef& target);

}  // namespace ktriage
