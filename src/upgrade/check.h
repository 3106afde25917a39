// `ktriage upgrade-check --to X.Y`: what stops working, or blocks the upgrade, when a cluster (or
// a set of manifests) moves to Kubernetes 1.<target>. Reads the Cluster only; never prints.
#pragma once

#include <span>
#include <vector>

#include "core/diagnosis.h"
#include "model/cluster.h"
#include "upgrade/deprecated_apis.h"

namespace ktriage::upgrade {

/// Findings for an upgrade to 1.`target` (critical = blocker, warning = fix soon):
/// - `upgrade-removed-api` (critical): an object written at an apiVersion the target no longer
///   serves, read from the object itself or from its last-applied-configuration (what `kubectl
///   apply` sends again) or from a metadata.managedFields entry (a client, named by its manager,
///   that still writes it at that version), with the replacement and what else must change;
/// - `upgrade-deprecated-api` (warning): deprecated by the target, still served;
/// - `upgrade-kubelet-too-old` (critical): kubelets older than the skew policy allows for the
///   target (https://kubernetes.io/releases/version-skew-policy/);
/// - `upgrade-skips-minor` (critical): the control plane moves one minor version at a time;
/// - `upgrade-docker-runtime` (critical): Docker nodes for targets at or past 1.24;
/// - `upgrade-pdb-blocks-drain` (warning): PodDisruptionBudgets with no disruption allowed;
/// - `upgrade-helm-release-removed-api` / `-deprecated-api`: the manifest stored with a Helm
///   release's deployed revision (helm.h).
/// Catalog ids ACK-UPGRADE-PRECHECK-DEPRECATED-API, ACK-UPGRADE-VERSION-SKEW,
/// UPGRADE-HELM-RELEASE-REMOVED-API and PDB-BLOCKS-EVICTION. `input.scope` carries the verdict
/// ("upgrade to 1.22: NO-GO, 1 blocker"). O(objects * removed APIs of their kind).
Diagnosis check(const Cluster& cluster, std::span<const RemovedApi> apis, int target);

/// Only the API part of `check`: `upgrade-removed-api` and `upgrade-deprecated-api` findings for
/// the objects of `cluster` (own apiVersion, last-applied, managedFields; lint runs it on
/// manifests), appended to `out`. A managedFields entry at a version already reported for the
/// object adds its manager to that finding's evidence instead of a finding of its own.
void check_api_versions(const Cluster& cluster, std::span<const RemovedApi> apis, int target,
                        std::vector<Finding>& out);

/// The newest release the table knows (the default target of lint). O(records).
int newest_release(std::span<const RemovedApi> apis);

}  // namespace ktriage::upgrade
