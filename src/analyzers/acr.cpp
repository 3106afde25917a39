// Container Registry (ACR) image builds and code-source bindings, from a snapshot's cloud/ answers:
// each failed build record (cr ListRepoBuildRecord: BuildRecords[].Status FAILED) with its log
// (cr ListRepoBuildRecordLog-<BuildRecordId>: BuildRecordLogs[].Message) is matched against the
// catalog's build causes (cloud/acr_causes.h); any cr answer carrying the binding failure text is
// matched against the binding causes. Field names: https://www.alibabacloud.com/help/en/acr/
// developer-reference/api-cr-2018-12-01-listrepobuildrecord and -listrepobuildrecordlog.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "cloud/acr_causes.h"
#include "core/time.h"

namespace ktriage {
namespace {

constexpr std::string_view kBuildRules = "https://www.alibabacloud.com/help/doc-detail/202197.htm";
constexpr std::string_view kImageBuildFaq =
    "https://help.aliyun.com/en/yunxiao/user-guide/issues-in-image-building";

constexpr Rule kRules[] = {
    {"acr-build-dockerfile-path", "ACR-BUILD-CONTEXT-OR-DOCKERFILE-PATH", Severity::kWarning,
     "An ACR image build failed: wrong Dockerfile path or a COPY source outside the context",
     "Correct the build rule's Dockerfile directory and name; keep copied files in the context.",
     kBuildRules},
    {"acr-build-run-step-failed", "ACR-BUILD-RUN-STEP-FAILED", Severity::kWarning,
     "An ACR image build failed: a RUN instruction exited non-zero",
     "Fix the command; use package mirrors in the build's region.", kImageBuildFaq},
    {"acr-build-base-image-pull-failed", "ACR-BUILD-BASE-IMAGE-PULL-FAILED", Severity::kWarning,
     "An ACR image build failed: the base image could not be pulled",
     "Mirror the base image into ACR in the same region, or build on overseas machines.",
     kImageBuildFaq},
    {"acr-bind-gitlab-unreachable", "ACR-BIND-GITLAB-UNREACHABLE", Severity::kWarning,
     "ACR cannot reach the self-managed GitLab to bind it as a code source",
     "Make GitLab reachable (public or over the EE VPC link) and allow ACR's outbound IPs.",
     "https://help.aliyun.com/en/acr/support/faq-about-source-code-repositories"},
};
bool failed(std::string_view status) {
  return status == "FAILED" || status == "Failed" || status == "failed";
}

// The best cause in a build log: the earliest row of the table on any line (the table's order is
// the priority), and the line that shows it.
struct LogHit {
  cloud::CauseHit hit;
  std::size_t line = 0;  ///< index into BuildRecordLogs
};
std::optional<LogHit> best_cause(const cloud::CauseMatcher& m, std::span<const Value> lines) {
  std::optional<LogHit> best;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto hit = m.match(lines[i]["Message"].str());
    if (hit && (!best || hit->row < best->hit.row)) best = LogHit{std::move(*hit), i};
  }
  return best;
}

void report_build(const AnalysisContext& ctx, const cloud::CauseMatcher& m,
                  const CloudDocument& list, const Value& build, std::size_t index,
                  FindingSink& sink) {
  const std::string_view id = build["BuildRecordId"].str();
  const CloudDocument* log = ctx.cluster.cloud_document("cr", "ListRepoBuildRecordLog", id);
  if (id.empty() || log == nullptr) return;
  const auto lines = log->root["BuildRecordLogs"].items();
  auto best = best_cause(m, lines);
  if (!best) return;
  const Rule* rule = rule_for_catalog(kRules, best->hit.row->catalog);
  if (rule == nullptr) return;
  const Value& image = build["Image"];
  ObjectRef repo{"ACRRepository", std::string(image["RepoNamespaceName"].str()),
                 std::string(image["RepoName"].str()), ""};
  if (repo.name.empty()) repo.name = "(repository not named)";
  // StartTime and EndTime are milliseconds since the epoch.
  const std::int64_t end_ms = build["EndTime"].as_int(build["StartTime"].as_int(0));
  const std::optional<UnixSeconds> when =
      end_ms > 0 ? std::optional<UnixSeconds>(end_ms / 1000) : std::nullopt;
  std::string image_name = repo.ns.empty() ? repo.name : fmt::format("{}/{}", repo.ns, repo.name);
  if (!image["Tag"].str().empty())
    image_name = fmt::format("{}:{}", image_name, image["Tag"].str());
  const std::string at = when ? fmt::format(" at {}", format_utc_minute(*when)) : std::string();
  Finding& f = sink.add(*rule, repo,
                        fmt::format("Image build {} of {} failed{}: {} ({})", id, image_name, at,
                                    best->hit.row->title, best->hit.matched),
                        id);
  if (f.id.empty()) return;
  Evidence status = Evidence::field("", fmt::format(".BuildRecords[{}].Status", index),
                                    std::string(build["Status"].str()));
  status.file = list.file;
  status.last_seen = when;
  f.evidence.push_back(std::move(status));
  // The failing line and the two before it: the step that ran and what it printed.
  const std::size_t from = best->line >= 2 ? best->line - 2 : 0;
  for (std::size_t i = from; i <= best->line; ++i) {
    Evidence e;
    e.kind = Evidence::Kind::kLog;
    e.file = log->file;
    e.line =
        static_cast<std::uint32_t>(lines[i]["LineNumber"].as_int(static_cast<std::int64_t>(i) + 1));
    e.value = std::string(lines[i]["Message"].str());
    f.evidence.push_back(std::move(e));
  }
  f.fix = fmt::format("{}.", best->hit.row->fix);
}

// Every string in a document, with its path, for answers whose shape is not fixed.
void strings(const Value& v, const std::string& path,
             std::vector<std::pair<std::string, std::string_view>>& out) {
  if (v.is_string()) out.emplace_back(path, v.str());
  for (const Member& m : v.members()) strings(m.value, path + "." + std::string(m.key), out);
  const auto items = v.items();
  for (std::size_t i = 0; i < items.size(); ++i)
    strings(items[i], fmt::format("{}[{}]", path, i), out);
}

void report_bindings(const AnalysisContext& ctx, FindingSink& sink) {
  const cloud::CauseMatcher m(cloud::acr_binding_causes());
  for (const CloudDocument& doc : ctx.cluster.cloud_documents()) {
    if (doc.product != "cr") continue;
    std::vector<std::pair<std::string, std::string_view>> texts;
    strings(doc.root, "", texts);
    for (const auto& [path, text] : texts) {
      auto hit = m.match(text);
      const Rule* rule = hit ? rule_for_catalog(kRules, hit->row->catalog) : nullptr;
      if (rule == nullptr) continue;
      Finding& f = sink.add(
          *rule, ObjectRef{"File", "", doc.file, ""},
          fmt::format("Binding a code source failed ({} answer): {}", doc.action, hit->row->title),
          path);
      if (f.id.empty()) continue;
      Evidence e = Evidence::field("", path, std::string(text));
      e.file = doc.file;
      f.evidence.push_back(std::move(e));
      f.fix = fmt::format("{}.", hit->row->fix);
    }
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const cloud::CauseMatcher builds(cloud::acr_build_causes());
  for (const CloudDocument* list : ctx.cluster.cloud_documents("cr", "ListRepoBuildRecord")) {
    const auto records = list->root["BuildRecords"].items();
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (failed(records[i]["Status"].str())) {
        report_build(ctx, builds, *list, records[i], i, sink);
      }
    }
  }
  report_bindings(ctx, sink);
}

}  // namespace

const AnalyzerDef& acr_analyzer() {
  static const AnalyzerDef def{"acr", kRules, &run};
  return def;
}

}  // namespace ktriage
