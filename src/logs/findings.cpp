#include "logs/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "load/log_layout.h"

namespace ktriage::logs {
namespace {

void add_file_issues(const FileStats& f, std::vector<InputIssue>& issues) {
  auto issue = [&](std::string message, bool skipped) {
    issues.push_back(InputIssue{SourceLocation{f.path, {}}, std::move(message), skipped});
  };
  if (!f.error.empty()) issue(f.error, f.lines == 0);
  if (f.binary_lines > 0) issue(fmt::format("{} binary lines skipped", f.binary_lines), false);
  if (f.invalid_utf8 > 0)
    issue(fmt::format("{} lines that are not UTF-8 skipped", f.invalid_utf8), false);
  if (f.truncated > 0)
    issue(fmt::format("{} lines longer than 1 MiB cut to their first MiB", f.truncated), false);
}

}  // namespace

std::string_view first_sentence(std::string_view text) {
  std::size_t end = text.find(". ");
  if (end != std::string_view::npos) return text.substr(0, end);
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return text;
}

std::string hit_times(const Hit& h) {
  if (!h.first) return "time unknown";
  if (*h.first == *h.last) return format_rfc3339(*h.first);
  return fmt::format("first {}, last {}", format_rfc3339(*h.first), format_rfc3339(*h.last));
}

Evidence sample_evidence(const Sample& s) {
  Evidence e;
  e.kind = Evidence::Kind::kLog;
  e.file = s.file;
  e.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(s.line, UINT32_MAX));
  e.value = s.text;
  return e;
}

ObjectRef object_of_log(std::string_view path) {
  if (auto where = classify_log_path(path)) {
    if (where->kind == LogPath::Kind::kNode && !where->node.empty())
      return ObjectRef{"Node", "", where->node, ""};
    if (where->kind == LogPath::Kind::kContainer && !where->pod.empty())
      return ObjectRef{"Pod", where->ns, where->pod, ""};
  }
  return ObjectRef{"File", "", std::string(path), ""};
}

Diagnosis to_diagnosis(const LogScan& scan, std::span<const Signature> signatures) {
  Diagnosis d;
  d.input.scope = "logs";
  for (const FileStats& f : scan.files) {
    if (f.error.empty() || f.lines > 0) ++d.input.files_read;
    d.input.bytes += f.bytes;
    add_file_issues(f, d.input.issues);
  }
  for (const auto& [key, hit] : scan.hits) {
    const Signature& sig = signatures[hit.signature];
    const FileStats& file = scan.files[hit.file];
    Finding f;
    f.rule = sig.id;
    f.catalog = sig.catalog;
    f.severity = sig.severity;
    f.object = object_of_log(file.path);
    f.summary = fmt::format("{} ({} line{} in {})", first_sentence(sig.meaning), hit.count,
                            hit.count == 1 ? "" : "s", file.path);
    f.evidence.push_back(Evidence::note(fmt::format("{} matching line{} of {} ({}), {}", hit.count,
                                                    hit.count == 1 ? "" : "s", file.path,
                                                    sig.component, hit_times(hit))));
    for (const Sample& s : hit.samples) f.evidence.push_back(sample_evidence(s));
    f.fix = sig.fix;
    d.findings.push_back(std::move(f));
  }
  std::stable_sort(d.findings.begin(), d.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tuple(-static_cast<int>(a.severity), a.object, a.rule) <
           std::tuple(-static_cast<int>(b.severity), b.object, b.rule);
  });
  for (std::size_t i = 0; i < d.findings.size(); ++i)
    d.findings[i].id = fmt::format("log-{}", i + 1);
  return d;
}

}  // namespace ktriage::logs
