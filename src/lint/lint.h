// `ktriage lint`: what is wrong in manifests before they reach a cluster. Runs every registered
// check (check.h, registry.cpp) on the Cluster built from the files and points each finding's
// fields at file:line:col. Never prints.
#pragma once

#include "core/diagnosis.h"
#include "lint/suppress.h"
#include "model/cluster.h"

namespace ktriage::lint {

class SchemaStore;

/// Findings for the manifests in `cluster` against Kubernetes 1.`target`, worst first. Positions
/// need the files' text: load with keep_sources (load_sources' flag, Inputs::keep_sources).
/// `input.scope` names the target; the loader's issues for duplicate keys are left out (they
/// are findings here). Findings that `config` or a `ktriage.io/ignore` annotation suppress are
/// left out and counted in `input.suppressed` (suppress.h). `schemas` (may be null: schema
/// validation is then skipped, with a note saying how to enable it) also receives the input's
/// CRDs; its issues (corrupt documents) become input issues.
/// O(objects + findings + bytes of files with findings).
Diagnosis lint(const Cluster& cluster, int target, SchemaStore* schemas = nullptr,
               const SuppressConfig& config = {});

}  // namespace ktriage::lint
