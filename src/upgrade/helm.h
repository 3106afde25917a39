// upgrade-check on Helm v3 release records: the manifest stored with a release's deployed
// revision, against the API versions a target release removes or deprecates. Reads the decoded
// records of the Cluster (model/helm_release.h) only; never sees a Secret's values, never prints.
#pragma once

#include <span>
#include <vector>

#include "core/finding.h"
#include "model/cluster.h"
#include "upgrade/deprecated_apis.h"

namespace ktriage::upgrade {

/// For each release (namespace + name), its latest revision with status "deployed" (superseded,
/// failed and pending revisions are what Helm does not diff against): one finding listing every
/// manifest document at an API version that 1.`target` removed (`upgrade-helm-release-removed-api`,
/// critical: `helm upgrade` of the release fails once the cluster is upgraded) or, failing that,
/// deprecated (`upgrade-helm-release-deprecated-api`, warning). Catalog
/// UPGRADE-HELM-RELEASE-REMOVED-API. Appended to `out`. O(revisions + documents x records).
void check_helm_releases(const Cluster& cluster, std::span<const RemovedApi> apis, int target,
                         std::vector<Finding>& out);

}  // namespace ktriage::upgrade
