#include "lint/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "upgrade/check.h"

namespace ktriage::lint {
namespace {

// Why a duplicate is a fault: kubectl apply (and the API server without
// --validate=strict / fieldValidation=Strict, the default before 1.27) decodes YAML into a map
// and keeps the last value, so the earlier one never reaches the object.
Finding duplicate_finding(const Cluster& cluster, const DuplicateKey& d) {
  Finding f;
  f.rule = "lint-duplicate-key";
  f.catalog = "POD-RUNNING-MANIFEST-DUPLICATE-KEY";
  f.severity = Severity::kCritical;
  f.object = d.object.kind.empty()
                 ? ObjectRef{"File", "", std::string(cluster.file_name(d.file)), ""}
                 : d.object;
  f.id = fmt::format("{}:{}#{}:{}", f.rule, f.object.key(), d.key, d.again.line);
  const std::string what = d.object.kind.empty()
                               ? std::string("the document")
                               : fmt::format("{} {}", d.object.kind, d.object.name);
  f.summary = fmt::format(
      "{} writes the key `{}` twice (lines {} and {}): the second value replaces the first, so "
      "the first never reaches the cluster",
      what, d.key, d.first.line, d.again.line);
  std::string kind_lower = d.object.kind;
  for (char& c : kind_lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const SourcePos& p : {d.first, d.again}) {
    Evidence e = Evidence::field(
        d.object.kind.empty() ? std::string() : fmt::format("{}/{}", kind_lower, d.object.name),
        d.key, p.line == d.first.line ? "written here first (lost)" : "written again (kept)");
    e.file = std::string(cluster.file_name(d.file));
    e.line = p.line;
    f.evidence.push_back(std::move(e));
  }
  f.fix = fmt::format(
      "Write `{0}` once and merge both values into it (for a list such as envFrom or env, one "
      "list with the items of both); `kubectl apply --validate=strict` rejects such files.",
      d.key);
  f.links.emplace_back(
      "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation");
  return f;
}

}  // namespace

Diagnosis lint(const Cluster& cluster, std::span<const upgrade::RemovedApi> apis, int target) {
  Diagnosis d;
  for (const DuplicateKey& dup : cluster.duplicate_keys())
    d.findings.push_back(duplicate_finding(cluster, dup));
  upgrade::check_api_versions(cluster, apis, target, d.findings);
  std::stable_sort(d.findings.begin(), d.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  d.input.scope =
      fmt::format("{} objects checked against Kubernetes 1.{}", cluster.objects().size(), target);
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
    if (!duplicate) d.input.issues.push_back(i);
  }
  return d;
}

}  // namespace ktriage::lint
