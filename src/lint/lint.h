// `ktriage lint`: what is wrong in manifests before they reach a cluster. This first part checks
// what loses data silently or stops being served: YAML keys written twice (the API server keeps
// the last one) and apiVersions the target release removed or deprecated. Schema, reference and
// practice checks (issue 6) come next. Reads the Cluster built from the files; never prints.
#pragma once

#include <span>

#include "core/diagnosis.h"
#include "model/cluster.h"
#include "upgrade/deprecated_apis.h"

namespace ktriage::lint {

/// Findings for the manifests in `cluster` against Kubernetes 1.`target`:
/// - `lint-duplicate-key` (critical, catalog POD-RUNNING-MANIFEST-DUPLICATE-KEY): a mapping key
///   written twice in one object, with both lines;
/// - `upgrade-removed-api` (critical) / `upgrade-deprecated-api` (warning) from upgrade-check.
/// `input.scope` names the target. O(objects + duplicates).
Diagnosis lint(const Cluster& cluster, std::span<const upgrade::RemovedApi> apis, int target);

}  // namespace ktriage::lint
