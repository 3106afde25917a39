#include "cli/pipeline.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <set>
#include <unordered_map>

#include "analyzers/registry.h"
#include "cli/huge_pages.h"
#include "core/ascii.h"
#include "core/time.h"
#include "correlate/correlate.h"
#include "load/source.h"
#include "logs/evidence.h"

namespace ktriage {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits at commas outside parentheses: "a in (x,y),b" -> "a in (x,y)", "b".
std::vector<std::string_view> split_terms(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      out.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return out;
}

}  // namespace

std::optional<std::vector<SelectorTerm>> parse_selector(std::string_view text, std::string* error) {
  std::vector<SelectorTerm> out;
  for (std::string_view part : split_terms(text)) {
    if (part.empty()) continue;
    SelectorTerm t;
    const std::size_t open = part.find('(');
    if (open != std::string_view::npos) {
      // key in (v1,v2) / key notin (v1,v2)
      const std::string_view head = trim(part.substr(0, open));
      const std::size_t space = head.rfind(' ');
      const std::string_view op = space == std::string_view::npos ? "" : head.substr(space + 1);
      if ((op != "in" && op != "notin") || part.back() != ')') {
        *error = fmt::format(
            "unsupported selector term \"{}\": use key=value, key!=value, key, !key, "
            "key in (a,b) or key notin (a,b)",
            part);
        return std::nullopt;
      }
      t.op = op == "in" ? SelectorTerm::Op::kIn : SelectorTerm::Op::kNotIn;
      t.key = std::string(trim(head.substr(0, space)));
      std::string_view list = part.substr(open + 1, part.size() - open - 2);
      for (std::size_t pos = 0; pos <= list.size();) {
        std::size_t comma = list.find(',', pos);
        if (comma == std::string_view::npos) comma = list.size();
        const std::string_view v = trim(list.substr(pos, comma - pos));
        if (!v.empty()) t.values.emplace_back(v);
        pos = comma + 1;
      }
    } else if (auto ne = part.find("!="); ne != std::string_view::npos) {
      t.op = SelectorTerm::Op::kNotEq;
      t.key = std::string(trim(part.substr(0, ne)));
      t.value = std::string(trim(part.substr(ne + 2)));
    } else if (auto eq = part.find('='); eq != std::string_view::npos) {
      t.key = std::string(trim(part.substr(0, eq)));
      t.value = std::string(trim(part.substr(part[eq + 1] == '=' ? eq + 2 : eq + 1)));
    } else if (part.front() == '!') {
      t.op = SelectorTerm::Op::kNotExists;
      t.key = std::string(trim(part.substr(1)));
    } else if (part.find_first_of(" )") != std::string_view::npos) {
      *error = fmt::format(
          "unsupported selector term \"{}\": use key=value, key!=value, key, !key, "
          "key in (a,b) or key notin (a,b)",
          part);
      return std::nullopt;
    } else {
      t.op = SelectorTerm::Op::kExists;
      t.key = std::string(part);
    }
    if (t.key.empty()) {
      *error = fmt::format("selector term \"{}\" has no key", part);
      return std::nullopt;
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool selector_matches(const std::vector<SelectorTerm>& terms, const Value& labels) {
  for (const SelectorTerm& t : terms) {
    const bool has = labels.contains(t.key);
    const std::string_view v = labels[t.key].str();
    switch (t.op) {
      case SelectorTerm::Op::kEq:
        if (!has || v != t.value) return false;
        break;
      case SelectorTerm::Op::kNotEq:
        if (has && v == t.value) return false;
        break;
      case SelectorTerm::Op::kExists:
        if (!has) return false;
        break;
      case SelectorTerm::Op::kNotExists:
        if (has) return false;
        break;
      case SelectorTerm::Op::kIn:
        if (!has || std::find(t.values.begin(), t.values.end(), v) == t.values.end()) return false;
        break;
      case SelectorTerm::Op::kNotIn:  // as in Kubernetes: a missing key matches notin
        if (has && std::find(t.values.begin(), t.values.end(), v) != t.values.end()) return false;
        break;
    }
  }
  return true;
}

std::vector<Finding> scope_findings(const Cluster& cluster, std::vector<Finding> findings,
                                    const RunOptions& options) {
  if (options.ns.empty() && options.kind.empty() && options.selector.empty()) return findings;
  std::string err;
  auto terms = parse_selector(options.selector, &err);
  std::unordered_map<std::string, const Finding*> by_id;
  for (const Finding& f : findings) by_id[f.id] = &f;
  auto kind_matches = [&](const std::string& kind) {
    return options.kind.empty() || equal_ignoring_case(kind, options.kind);
  };
  std::set<std::string> keep;
  std::vector<std::string> walk;
  for (const Finding& f : findings) {
    if (!options.ns.empty() && f.object.ns != options.ns) continue;
    if (!kind_matches(f.object.kind)) continue;
    if (!options.selector.empty()) {
      const Object* o = cluster.find(f.object.kind, f.object.ns, f.object.name);
      if (o == nullptr || !terms || !selector_matches(*terms, o->labels())) continue;
    }
    if (keep.insert(f.id).second) walk.push_back(f.id);
  }
  while (!walk.empty()) {  // keep the causes of what is in scope, so trees stay whole
    std::string id = walk.back();
    walk.pop_back();
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    for (const std::string& c : it->second->caused_by) {
      if (keep.insert(c).second) walk.push_back(c);
    }
  }
  std::vector<Finding> out;
  for (Finding& f : findings) {
    if (keep.count(f.id) > 0) out.push_back(std::move(f));
  }
  return out;
}

namespace {

// Wall time per phase, for --timings (like k8sgpt's --with-stat): where a slow run spends its time.
// CPU time beside it shows how well a phase uses the cores, and system time with page faults
// shows a phase that is paying for fresh memory rather than computing; peak RSS (so far) shows
// which phase grew the process.
class PhaseTimer {
 public:
  explicit PhaseTimer(bool on) : on_(on), start_(std::chrono::steady_clock::now()) {
    if (on_) ::getrusage(RUSAGE_SELF, &usage_);
  }
  void mark(const char* phase) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::fprintf(stderr,
                 "timing: %-10s %8.3f s  (cpu user %.3f s, system %.3f s, %ld page faults, "
                 "peak RSS %ld MB)\n",
                 phase, std::chrono::duration<double>(now - start_).count(),
                 seconds(usage.ru_utime) - seconds(usage_.ru_utime),
                 seconds(usage.ru_stime) - seconds(usage_.ru_stime),
                 usage.ru_minflt + usage.ru_majflt - usage_.ru_minflt - usage_.ru_majflt,
                 usage.ru_maxrss / 1024);
    start_ = now;
    usage_ = usage;
  }

 private:
  static double seconds(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  }
  bool on_;
  std::chrono::steady_clock::time_point start_;
  rusage usage_{};
};

// The built-in log signatures, compiled. nullopt only on a build defect (the tests compile the
// same text), in which case diagnose goes on without log evidence.
struct LogKnowledge {
  std::vector<logs::Signature> signatures;
  logs::Matcher matcher;
};
std::optional<LogKnowledge> compile_log_knowledge() {
  auto signatures = logs::builtin_signatures();
  if (!signatures) return std::nullopt;
  auto matcher = logs::Matcher::compile(*signatures);
  if (!matcher) return std::nullopt;
  return LogKnowledge{std::move(*signatures), std::move(*matcher)};
}

}  // namespace

RunResult run_pipeline(const RunOptions& options) {
  PhaseTimer timer(options.timings);
  if (options.timings && reexecuted_with_huge_pages()) {
    std::fprintf(stderr,
                 "timing: large input: malloc on transparent huge pages (re-executed with "
                 "glibc.malloc.hugetlb=1)\n");
  }
  LoadProgress progress;
  auto last = std::chrono::steady_clock::now();
  bool drew = false;
  if (options.progress) {
    progress = [&](std::size_t files, std::size_t bytes) {
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(200)) return;
      last = now;
      drew = true;
      std::fprintf(stderr, "\r\033[Kreading: %zu files, %.1f MB", files,
                   static_cast<double>(bytes) / 1e6);
    };
  }
  LoadOptions load;
  load.progress = progress;
  load.threads = options.load_threads;
  Inputs inputs = load_sources(options.paths, load);
  if (drew) std::fprintf(stderr, "\r\033[K");
  timer.mark("load");
  RunResult result = run_pipeline(options, std::move(inputs));
  result.path_errors = path_errors(options.paths);
  return result;
}

std::vector<std::string> path_errors(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") continue;
    std::error_code ec;
    const auto status = std::filesystem::status(p, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
      out.push_back(fmt::format("\"{}\" does not exist", p));
    } else if (ec) {
      out.push_back(fmt::format("\"{}\": {}", p, ec.message()));
    }
  }
  return out;
}

RunResult run_pipeline(const RunOptions& options, Inputs inputs) {
  RunResult result;
  PhaseTimer timer(options.timings);
  result.nothing_read = inputs.objects.empty() && inputs.logs.empty() && inputs.node_logs.empty();
  InputSummary summary;
  summary.files_read = inputs.files_read;
  summary.objects = inputs.objects.size();
  summary.bytes = inputs.bytes_read;
  summary.issues = inputs.issues;
  if (inputs.server_version) summary.server_version = *inputs.server_version;
  result.cluster = Cluster::build(std::move(inputs), options.now);
  timer.mark("index");
  const Cluster& cluster = *result.cluster;
  if (cluster.now() > 0) summary.snapshot_time = cluster.now();
  summary.time_from_flag = cluster.now_from_flag();
  summary.scope = options.ns.empty() ? "all namespaces" : "namespace " + options.ns;
  if (!options.kind.empty()) summary.scope += ", kind " + options.kind;
  if (!options.selector.empty()) summary.scope += ", labels " + options.selector;
  // A --now far from the data changes what counts as current (restarts, events and probe
  // failures older than a few minutes before "now" are history): said, so a cause that
  // disappears is not a surprise.
  constexpr UnixSeconds kDay = 24 * 3600;
  if (cluster.now_from_flag() && cluster.newest_timestamp() > 0) {
    const UnixSeconds newest = cluster.newest_timestamp();
    if (cluster.now() > newest + kDay) {
      summary.notes.push_back(fmt::format(
          "--now is {} after the newest time in the input ({}): faults that were current then "
          "are judged as history",
          format_duration(cluster.now() - newest), format_rfc3339(newest)));
    } else if (cluster.now() + kDay < newest) {
      summary.notes.push_back(fmt::format(
          "--now is {} before the newest time in the input ({}): what happened after it is "
          "judged as if it had not happened yet",
          format_duration(newest - cluster.now()), format_rfc3339(newest)));
    }
  }
  if (const std::size_t repeated = cluster.repeated_objects(); repeated > 0) {
    // stdin and a folder, or a folder and its own bundle: said, so counts are not a surprise.
    summary.notes.push_back(fmt::format(
        "{} object{} read twice (same kind, namespace and name, e.g. a folder given twice or "
        "with its own bundle): the first copy read is used",
        repeated, repeated == 1 ? " was" : "s were"));
  }

  // Compiling the log signatures takes ~0.2 s: only for snapshots with logs, beside the analyzers.
  std::future<std::optional<LogKnowledge>> knowledge;
  if (logs::has_logs(cluster)) knowledge = std::async(std::launch::async, compile_log_knowledge);
  AnalysisContext ctx{cluster, cluster.now()};
  std::vector<AnalyzerTiming> per_analyzer;
  std::vector<Finding> findings =
      run_analyzers(ctx, options.threads, options.timings ? &per_analyzer : nullptr);
  timer.mark("analyze");
  int name_width = 0;  // the longest analyzer name, so the seconds line up
  for (const AnalyzerTiming& t : per_analyzer)
    name_width = std::max(name_width, static_cast<int>(t.analyzer.size()));
  for (const AnalyzerTiming& t : per_analyzer) {
    std::fprintf(stderr, "timing:   %-*s %8.3f s\n", name_width, std::string(t.analyzer).c_str(),
                 t.seconds);
  }
  std::optional<LogKnowledge> log_knowledge;
  if (knowledge.valid()) log_knowledge = knowledge.get();
  logs::SnapshotLogs snapshot_logs;
  if (log_knowledge) {
    snapshot_logs =
        logs::scan_snapshot_logs(cluster, log_knowledge->signatures, log_knowledge->matcher);
    logs::add_log_findings(snapshot_logs, log_knowledge->signatures, findings);
    timer.mark("logs");
  }
  findings = correlate(cluster, std::move(findings));
  if (log_knowledge) {
    logs::attach_log_evidence(snapshot_logs, log_knowledge->signatures, findings);
    link_log_dependencies(cluster, findings);
  }
  timer.mark("correlate");
  findings = scope_findings(cluster, std::move(findings), options);
  result.diagnosis.input = std::move(summary);
  result.diagnosis.findings = std::move(findings);
  return result;
}

}  // namespace ktriage
