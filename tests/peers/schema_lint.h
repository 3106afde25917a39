// Lint with schema validation for the validator peer suites (kubectl-validate, kubeconform): one
// run over some manifest paths against ../shared/k8s-openapi/<version>, with CRDs given apart
// (as `--crd`), keeping alive what the findings and the store point into. Only the schema and
// manifest rules (`lint-*` of schema_check.cpp and manifest.cpp) are a validator's verdict; the
// practice, reference and removed-API checks are not. Header-only: only *_test.cpp files are
// compiled into the test binary.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lint/lint.h"
#include "lint/schema_store.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage::testing {

/// The rules that judge schema validity: what a validator would report.
inline bool is_schema_rule(std::string_view rule) {
  static const std::set<std::string, std::less<>> kRules = {
      "lint-unknown-field",     "lint-wrong-type",       "lint-missing-required",
      "lint-unsupported-value", "lint-invalid-quantity", "lint-invalid-name",
      "lint-invalid-label",     "lint-yaml11-scalar",    "lint-unknown-kind",
      "lint-duplicate-item",    "lint-duplicate-entry",  "lint-invalid-crd-schema",
      "lint-duplicate-key"};
  return kRules.count(rule) != 0;
}

/// One lint run. The members own what `diagnosis` and `cluster` point into; keep the run alive
/// while reading them.
struct SchemaLintRun {
  std::unique_ptr<Cluster> crds;  ///< the CRDs given apart; the store reads their schemas
  std::unique_ptr<lint::SchemaStore> store;
  std::unique_ptr<Cluster> cluster;  ///< the linted manifests, sources kept
  Diagnosis diagnosis;

  /// The schema findings (is_schema_rule), in report order.
  std::vector<const Finding*> schema_findings() const {
    std::vector<const Finding*> out;
    for (const Finding& f : diagnosis.findings) {
      if (is_schema_rule(f.rule)) out.push_back(&f);
    }
    return out;
  }
  /// Input problems that are not a skipped file (an object without kind, a YAML error).
  int input_errors() const {
    int n = 0;
    for (const InputIssue& i : diagnosis.input.issues) n += i.skipped_file ? 0 : 1;
    return n;
  }
};

/// Lints `paths` against the schemas of Kubernetes `version` ("1.33"), with the CRDs in
/// `crd_paths` (files or folders) registered first. A fresh store per run: lint() adds the
/// input's own CRDs to it, and those must not leak into the next run.
inline std::unique_ptr<SchemaLintRun> lint_with_schemas(const std::vector<std::string>& paths,
                                                        const std::string& version,
                                                        const std::vector<std::string>& crd_paths) {
  auto run = std::make_unique<SchemaLintRun>();
  std::string error;
  run->store = lint::SchemaStore::open(shared_dir() + "/k8s-openapi/" + version, error);
  EXPECT_NE(run->store, nullptr) << error;
  if (run->store == nullptr) return run;
  if (!crd_paths.empty()) {
    run->crds = Cluster::build(load_sources(crd_paths));
    for (const Object* crd : run->crds->of_kind("CustomResourceDefinition"))
      run->store->add_crd(*crd, run->crds->file_name(crd->file));
  }
  run->cluster = Cluster::build(load_sources(paths, {}, true));
  const int minor = std::stoi(version.substr(version.find('.') + 1));
  run->diagnosis = lint::lint(*run->cluster, minor, run->store.get());
  return run;
}

}  // namespace ktriage::testing
