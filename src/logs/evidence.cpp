#include "logs/evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "core/time.h"
#include "logs/findings.h"
#include "logs/scanner.h"

namespace ktriage::logs {
namespace {

// The file is not named: the log lines after the note carry it (and a live snapshot names it
// differently from the same bundle on disk).
Evidence hit_note(const Hit& hit, const Signature& sig) {
  return Evidence::note(fmt::format("{} log: {} ({} line{}, {}; log signature {}). {}",
                                    sig.component, first_sentence(sig.meaning), hit.count,
                                    hit.count == 1 ? "" : "s", hit_times(hit), sig.id, sig.fix));
}

// The text between `open` and the next `close` after it, or "".
std::string_view between(std::string_view text, std::string_view open, char close) {
  const std::size_t at = text.find(open);
  if (at == std::string_view::npos) return {};
  text.remove_prefix(at + open.size());
  const std::size_t end = text.find(close);
  return end == std::string_view::npos ? std::string_view{} : text.substr(0, end);
}

// The pod a node-log line is about, as the kubelet and containerd name it; nullopt when none.
//   kubelet (klog structured, 1.20+):  pod="shop/web-1"
//   kubelet (older, pod_workers.go):   "web-1_shop(3c9a0e52-...)" or pod=web-1_shop(3c9a0e52-...)
//   containerd (CRI RunPodSandbox):    &PodSandboxMetadata{Name:web-1,Uid:...,Namespace:shop,...}
std::optional<ObjectRef> pod_in_line(std::string_view line) {
  if (std::string_view ref = between(line, "pod=\"", '"'); !ref.empty()) {
    const std::size_t slash = ref.find('/');
    if (slash != std::string_view::npos && slash > 0 && slash + 1 < ref.size())
      return ObjectRef{"Pod", std::string(ref.substr(0, slash)), std::string(ref.substr(slash + 1)),
                       ""};
  }
  if (std::string_view meta = between(line, "PodSandboxMetadata{", '}'); !meta.empty()) {
    std::string_view name = between(meta, "Name:", ',');
    std::string_view ns = between(meta, "Namespace:", ',');
    if (!name.empty() && !ns.empty())
      return ObjectRef{"Pod", std::string(ns), std::string(name), ""};
  }
  // "<name>_<namespace>(<uid>)": names are DNS labels/subdomains, so '_' only separates.
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  };
  for (std::size_t open = line.find('('); open != std::string_view::npos;
       open = line.find('(', open + 1)) {
    std::size_t start = open;
    while (start > 0 && name_char(line[start - 1])) --start;
    if (start == 0 || (line[start - 1] != '"' && line[start - 1] != '=')) continue;
    if (open + 1 >= line.size() || !std::isxdigit(static_cast<unsigned char>(line[open + 1])))
      continue;  // a pod UID follows, not an argument list
    const std::string_view token = line.substr(start, open - start);
    const std::size_t us = token.rfind('_');
    if (us == std::string_view::npos || us == 0 || us + 1 == token.size()) continue;
    return ObjectRef{"Pod", std::string(token.substr(us + 1)), std::string(token.substr(0, us)),
                     ""};
  }
  // pkg/volume/util/operationexecutor's detailed errors: pod "<name>" (UID: "<uid>"); the
  // namespace is left empty and matches any (pod names rarely repeat on one node).
  if (std::string_view name = between(line, "pod \"", '"'); !name.empty()) {
    const std::size_t after = line.find("pod \"") + 5 + name.size() + 1;
    if (line.substr(after).starts_with(" (UID: "))
      return ObjectRef{"Pod", "", std::string(name), ""};
  }
  return std::nullopt;
}

bool quotes(const Finding& f, const Sample& s) {
  return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& e) {
    return e.kind == Evidence::Kind::kLog && e.line == s.line && e.file == s.file;
  });
}

// A Pod without namespace (named so in a node log) is any pod of that name.
bool same_object(const ObjectRef& a, const ObjectRef& o) {
  if (o.kind == "Pod" && o.ns.empty()) return a.kind == "Pod" && a.name == o.name;
  return a == o;
}

bool is_about(const Finding& f, const ObjectRef& o) {
  if (same_object(f.object, o)) return true;
  return std::any_of(f.also_affects.begin(), f.also_affects.end(),
                     [&](const ObjectRef& a) { return same_object(a, o); });
}

// The finding a hit explains best: same catalog entry, else the worst about the object.
Finding* target_of(std::span<Finding> findings, const ObjectRef& o, const Signature& sig) {
  Finding* worst = nullptr;
  for (Finding& f : findings) {
    if (!is_about(f, o)) continue;
    if (!sig.catalog.empty() && f.catalog == sig.catalog) return &f;
    if (worst == nullptr || f.severity > worst->severity) worst = &f;
  }
  return worst;
}

// A hit's samples by the object they are about: a node-log line naming a pod is about that pod
// (the kubelet logs every pod's sandbox and mount failures); other lines about the log's object.
// Samples are cut to kSampleChars, and the pod is often named at the end of a long line.
std::string_view whole_line(const SnapshotLogs& logs, std::uint32_t file, const Sample& s) {
  std::string_view text = logs.texts[file];
  for (std::uint64_t n = logs.first_lines[file]; n < s.line; ++n) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return s.text;
    text.remove_prefix(nl + 1);
  }
  return text.substr(0, text.find('\n'));
}

std::vector<std::pair<ObjectRef, std::vector<const Sample*>>> by_subject(const SnapshotLogs& logs,
                                                                         const Hit& hit) {
  const ObjectRef& log = logs.objects[hit.file];
  std::vector<std::pair<ObjectRef, std::vector<const Sample*>>> out;
  for (const Sample& s : hit.samples) {
    ObjectRef subject = log;
    if (log.kind == "Node") {
      if (std::optional<ObjectRef> pod = pod_in_line(whole_line(logs, hit.file, s)))
        subject = std::move(*pod);
    }
    auto same = std::find_if(out.begin(), out.end(), [&](auto& g) { return g.first == subject; });
    if (same == out.end()) {
      out.emplace_back(std::move(subject), std::vector<const Sample*>{});
      same = out.end() - 1;
    }
    same->second.push_back(&s);
  }
  return out;
}

// The finding for a group of samples: about their subject, else (a pod named in a node log)
// about the node whose log it is.
Finding* target_of(std::span<Finding> findings, const ObjectRef& subject, const ObjectRef& log,
                   const Signature& sig) {
  Finding* f = target_of(findings, subject, sig);
  if (f == nullptr && !(subject == log)) f = target_of(findings, log, sig);
  return f;
}

}  // namespace

bool has_logs(const Cluster& cluster) noexcept {
  return !cluster.container_logs().empty() || !cluster.node_logs().empty();
}

SnapshotLogs scan_snapshot_logs(const Cluster& cluster, std::span<const Signature> signatures,
                                Matcher& matcher) {
  SnapshotLogs out;
  ScanOptions options;
  if (cluster.now() > 0) options.year = utc_year(cluster.now());
  auto scan_one = [&](const std::string& file, std::string_view text, std::uint32_t first_line,
                      ObjectRef object) {
    const std::size_t from = out.scan.files.size();
    const auto before = out.scan.hits.size();
    scan_text(file, text, signatures, matcher, options, out.scan);
    out.objects.push_back(std::move(object));
    out.texts.push_back(text);
    out.first_lines.push_back(first_line);
    if (first_line <= 1 || out.scan.hits.size() == before) return;
    for (auto& [key, hit] : out.scan.hits) {
      if (key.second != from) continue;
      for (Sample& s : hit.samples) s.line += first_line - 1;
    }
  };
  for (const ContainerLog& log : cluster.container_logs()) {
    scan_one(log.file, log.text, log.first_line, ObjectRef{"Pod", log.ns, log.pod, ""});
  }
  for (const NodeLog& log : cluster.node_logs()) {
    scan_one(log.file, log.text, log.first_line, ObjectRef{"Node", "", log.node, ""});
  }
  return out;
}

void add_log_findings(const SnapshotLogs& logs, std::span<const Signature> signatures,
                      std::vector<Finding>& findings) {
  const std::size_t analyzed = findings.size();
  for (const auto& [key, hit] : logs.scan.hits) {
    const Signature& sig = signatures[hit.signature];
    if (sig.severity != Severity::kCritical) continue;
    const ObjectRef& log = logs.objects[hit.file];
    const auto groups = by_subject(logs, hit);
    const bool explained = std::any_of(groups.begin(), groups.end(), [&](const auto& g) {
      return target_of(std::span(findings.data(), analyzed), g.first, log, sig) != nullptr;
    });
    if (explained) continue;
    const std::string id = fmt::format("{}:{}", sig.id, log.key());
    auto same = std::find_if(findings.begin() + static_cast<long>(analyzed), findings.end(),
                             [&](const Finding& f) { return f.id == id; });
    if (same == findings.end()) {
      Finding added;
      added.id = id;
      added.rule = sig.id;
      added.catalog = sig.catalog;
      added.severity = sig.severity;
      added.object = log;
      added.summary = fmt::format("{} log: {}", sig.component, first_sentence(sig.meaning));
      added.fix = sig.fix;
      findings.push_back(std::move(added));
      same = findings.end() - 1;
    }  // else the same signature in a second log of the object (current and previous run)
    same->evidence.push_back(hit_note(hit, sig));
    for (const Sample& s : hit.samples) same->evidence.push_back(sample_evidence(s));
  }
}

void attach_log_evidence(const SnapshotLogs& logs, std::span<const Signature> signatures,
                         std::vector<Finding>& findings) {
  // One hit per signature and finding: sibling pods' and previous runs' logs repeat the lines.
  std::set<std::pair<const Finding*, std::uint32_t>> attached;
  // Worst signatures first: when two quote the same line (a kubelet sandbox error that names
  // Terway's socket), the specific critical one explains it.
  std::vector<const Hit*> hits;
  for (const auto& [key, hit] : logs.scan.hits) hits.push_back(&hit);
  std::stable_sort(hits.begin(), hits.end(), [&](const Hit* a, const Hit* b) {
    return signatures[a->signature].severity > signatures[b->signature].severity;
  });
  for (const Hit* h : hits) {
    const Hit& hit = *h;
    const Signature& sig = signatures[hit.signature];
    const ObjectRef& log = logs.objects[hit.file];
    for (const auto& [subject, samples] : by_subject(logs, hit)) {
      Finding* f = target_of(findings, subject, log, sig);
      if (f == nullptr || f->rule == sig.id) continue;  // none, or the log's own finding
      if (attached.count({f, hit.signature}) > 0) continue;
      std::vector<const Sample*> fresh;
      for (const Sample* s : samples) {
        if (!quotes(*f, *s)) fresh.push_back(s);
      }
      if (fresh.empty()) continue;  // the analyzer quoted these lines already
      attached.insert({f, hit.signature});
      f->evidence.push_back(hit_note(hit, sig));
      for (const Sample* s : fresh) f->evidence.push_back(sample_evidence(*s));
    }
  }
}

}  // namespace ktriage::logs
