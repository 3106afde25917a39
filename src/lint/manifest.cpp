// What the YAML itself loses: mapping keys written twice.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/shell_quote.h"
#include "lint/checks.h"
#include "load/objects.h"

namespace ktriage::lint {
namespace {

constexpr LintRule kDuplicateKey{
    "lint-duplicate-key",
    "POD-RUNNING-MANIFEST-DUPLICATE-KEY",
    Severity::kCritical,
    "A mapping key written twice in one object: the first value never reaches the cluster",
    "Write the key once and merge both values into it",
    "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation"};

// Why a duplicate is a fault: kubectl apply (and the API server without
// --validate=strict / fieldValidation=Strict, the default before 1.27) decodes YAML into a map
// and keeps the last value, so the earlier one never reaches the object.
// `joined_at`: the line where the document holding `d` begins when it was joined to the one
// before without `---` (0: an ordinary duplicate).
Finding duplicate_finding(const Cluster& cluster, const DuplicateKey& d, std::uint32_t joined_at) {
  const bool joined = joined_at > 0;
  Finding f;
  f.rule = std::string(kDuplicateKey.id);
  f.catalog = std::string(kDuplicateKey.catalog);
  f.severity = kDuplicateKey.severity;
  f.object = d.object.kind.empty()
                 ? ObjectRef{"File", "", std::string(cluster.file_name(d.file)), ""}
                 : d.object;
  f.id = fmt::format("{}:{}#{}:{}", f.rule, f.object.key(), d.key, d.again.line);
  const std::string what = d.object.kind.empty()
                               ? std::string("the document")
                               : fmt::format("{} {}", d.object.kind, d.object.name);
  f.summary =
      joined ? fmt::format(
                   "{} has a second top-level `{}` (lines {} and {}): two documents run together "
                   "without `---`, so the first one's content is lost",
                   cluster.file_name(d.file), d.key, d.first.line, d.again.line)
             : fmt::format(
                   "{} writes the key `{}` twice (lines {} and {}): the second value replaces the "
                   "first, so the first never reaches the cluster",
                   what, d.key, d.first.line, d.again.line);
  for (const SourcePos& p : {d.first, d.again}) {
    Evidence e = Evidence::field(
        d.object.kind.empty() ? std::string() : d.object.kubectl_name(), d.key,
        p.line == d.first.line ? "written here first (lost)" : "written again (kept)");
    e.file = std::string(cluster.file_name(d.file));
    e.line = p.line;
    e.column = p.column;
    f.evidence.push_back(std::move(e));
  }
  f.fix = joined ? fmt::format("Start a new document with a `---` line before line {}.", joined_at)
                 : fmt::format(
                       "Write `{0}` once and merge both values into it (for a list such as "
                       "envFrom or env, one list with the items of both); `kubectl apply "
                       "--validate=strict` rejects such files.",
                       d.key);
  f.links.emplace_back(kDuplicateKey.doc);
  return f;
}

constexpr LintRule kSyntaxError{
    "lint-syntax-error",
    "",
    Severity::kCritical,
    "A file that does not parse as YAML or JSON: kubectl apply fails on it, and the objects from "
    "the error on are not checked",
    "Fix the syntax at the position given (often indentation)",
    "https://yaml.org/spec/1.2.2/"};

void run(const LintContext& ctx, std::vector<Finding>& out) {
  // A second apiVersion or kind at column 1 means documents joined without `---` (the loader
  // says so too); every top-level key written twice in that file is part of it. Each joined
  // document starts at its second apiVersion (or, without one, its second kind).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> starts;  // (file, line)
  auto has_start = [&](std::uint32_t file) {
    return std::any_of(starts.begin(), starts.end(),
                       [&](const auto& st) { return st.first == file; });
  };
  for (const DuplicateKey& dup : ctx.cluster.duplicate_keys()) {
    if (dup.key == "apiVersion" && marks_joined_documents(dup.key, dup.first, dup.again))
      starts.emplace_back(dup.file, dup.again.line);
  }
  for (const DuplicateKey& dup : ctx.cluster.duplicate_keys()) {
    if (dup.key == "kind" && marks_joined_documents(dup.key, dup.first, dup.again) &&
        !has_start(dup.file))
      starts.emplace_back(dup.file, dup.again.line);
  }
  for (const DuplicateKey& dup : ctx.cluster.duplicate_keys()) {
    std::uint32_t start = 0;
    if (dup.first.column == 1 && dup.again.column == 1) {
      for (const auto& [file, line] : starts) {
        if (file == dup.file && (start == 0 || (line <= dup.again.line && line > start)))
          start = line;
      }
    }
    out.push_back(duplicate_finding(ctx.cluster, dup, start));
  }
  for (const InputIssue& i : ctx.cluster.issues()) {
    if (!is_syntax_error(i)) continue;
    Finding& f = out.emplace_back();
    f.rule = std::string(kSyntaxError.id);
    f.severity = kSyntaxError.severity;
    f.object = ObjectRef{"File", "", i.where.file, ""};
    f.id = fmt::format("{}:{}:{}", f.rule, i.where.file, i.where.pos.line);
    f.summary = fmt::format("{} does not parse: {}", i.where.file, i.message);
    Evidence e = Evidence::note(i.message);
    e.file = i.where.file;
    e.line = i.where.pos.line;
    e.column = i.where.pos.column;
    f.evidence.push_back(std::move(e));
    const bool json = i.message.find("JSON") != std::string::npos;
    f.fix =
        json ? fmt::format(
                   "Fix the syntax there (a missing comma, quote or bracket is the usual "
                   "cause; {} shows the same place) and lint again: the objects after it "
                   "were not checked.",
                   i.where.file == "<stdin>" ? std::string("`jq .` on the same input")
                                             : fmt::format("`jq . {}`", shell_word(i.where.file)))
             : "Fix the syntax there (a mis-indented line is the usual cause; `yamllint` shows "
               "the same place) and lint again: the objects after it were not checked.";
    f.links.emplace_back(json ? "https://www.rfc-editor.org/rfc/rfc8259" : kSyntaxError.doc);
  }
}

constexpr std::array kRules{kDuplicateKey, kSyntaxError};

}  // namespace

const LintCheck kManifestCheck{"manifest", kRules, run};

bool is_syntax_error(const InputIssue& issue) {
  return !issue.skipped_file && issue.where.pos.line > 0 &&
         (issue.message.starts_with("YAML") || issue.message.find("JSON") != std::string::npos ||
          issue.message.starts_with("unterminated string"));
}

}  // namespace ktriage::lint
