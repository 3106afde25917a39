#include "lint/lint.h"

#include <fmt/format.h>

#include <algorithm>

#include "lint/check.h"
#include "lint/checks.h"
#include "lint/locate.h"
#include "lint/schema_store.h"

namespace ktriage::lint {

Diagnosis lint(const Cluster& cluster, int target, SchemaStore* schemas,
               const SuppressConfig& config) {
  Diagnosis d;
  const LintContext ctx{cluster, target, schemas, &d.input.notes};
  for (const LintCheck* check : lint_checks()) check->run(ctx, d.findings);
  d.input.suppressed = suppress(cluster, config, d.findings);
  locate_fields(cluster, d.findings);
  std::stable_sort(d.findings.begin(), d.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  d.input.scope =
      fmt::format("{} object{} checked against Kubernetes 1.{}{}", cluster.objects().size(),
                  cluster.objects().size() == 1 ? "" : "s", target,
                  schemas == nullptr || schemas->dir().empty()
                      ? std::string()
                      : fmt::format(" (schemas from {})", schemas->dir()));
  d.input.files_read = cluster.files_read();
  d.input.objects = cluster.objects().size();
  d.input.bytes = cluster.bytes_read();
  // Duplicate keys are findings here, not input problems: leave out the loader's issue for each
  // (the one at the duplicate's file and position).
  for (const InputIssue& i : cluster.issues()) {
    const bool duplicate = std::any_of(
        cluster.duplicate_keys().begin(), cluster.duplicate_keys().end(),
        [&](const DuplicateKey& dup) {
          return dup.again.line == i.where.pos.line && dup.again.column == i.where.pos.column &&
                 cluster.file_name(dup.file) == i.where.file;
        });
    // Helm's and kustomize's own files sit beside manifests: not Kubernetes objects, not a fault.
    const std::string_view base =
        std::string_view(i.where.file).substr(i.where.file.find_last_of('/') + 1);
    const bool side_file = base == "Chart.yaml" || base.starts_with("values") ||
                           base == ".ktriage.yaml" || base.starts_with("kustomization.");
    if (!duplicate && !is_syntax_error(i) && !side_file) d.input.issues.push_back(i);
  }
  if (schemas != nullptr) {
    for (const InputIssue& i : schemas->issues()) d.input.issues.push_back(i);
  }
  return d;
}

}  // namespace ktriage::lint
