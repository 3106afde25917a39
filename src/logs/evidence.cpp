#include "logs/evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
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
  // pkg/volume/util/operationexecutor's detailed errors: pod "<name>" (UID: "<uid>"); no
  // namespace, so the pod is found by its UID (names repeat across namespaces: db-0).
  if (std::string_view name = between(line, "pod \"", '"'); !name.empty()) {
    const std::size_t after = line.find("pod \"") + 5 + name.size() + 1;
    const std::string_view rest = line.substr(after);
    if (rest.starts_with(" (UID: \"")) {
      const std::string_view uid = between(rest, "(UID: \"", '"');
      if (!uid.empty()) return ObjectRef{"Pod", "", std::string(name), std::string(uid)};
    }
  }
  return std::nullopt;
}

bool quotes(const Finding& f, const Sample& s) {
  return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& e) {
    return e.kind == Evidence::Kind::kLog && e.line == s.line && e.file == s.file;
  });
}

// Findings by the objects they are about (their object and also_affects), by key and by UID:
// a lookup per hit instead of a scan of every finding (150,000 pods, one log each).
class FindingIndex {
 public:
  explicit FindingIndex(std::span<const Finding> findings) {
    for (std::size_t i = 0; i < findings.size(); ++i) add(findings[i].object, i);
    for (std::size_t i = 0; i < findings.size(); ++i) {
      for (const ObjectRef& o : findings[i].also_affects) add(o, i);
    }
  }
  // A Pod named without namespace (node logs give its UID instead) is found by UID.
  const std::vector<std::size_t>* about(const ObjectRef& o) const {
    const bool by_uid = o.ns.empty() && !o.uid.empty();
    const auto& map = by_uid ? by_uid_ : by_key_;
    const auto it = map.find(by_uid ? o.uid : o.key());
    return it == map.end() ? nullptr : &it->second;
  }

 private:
  void add(const ObjectRef& o, std::size_t i) {
    by_key_[o.key()].push_back(i);
    if (!o.uid.empty()) by_uid_[o.uid].push_back(i);
  }
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_, by_uid_;
};

// The finding a hit explains best: same catalog entry, else the worst about the object.
Finding* target_of(std::span<Finding> findings, const FindingIndex& index, const ObjectRef& o,
                   const Signature& sig) {
  const std::vector<std::size_t>* about = index.about(o);
  if (about == nullptr) return nullptr;
  Finding* worst = nullptr;
  for (std::size_t i : *about) {
    Finding& f = findings[i];
    if (!sig.catalog.empty() && f.catalog == sig.catalog) return &f;
    if (worst == nullptr || f.severity > worst->severity) worst = &f;
  }
  return worst;
}

// Whether a hit's lines are recent enough to explain the snapshot's state: journals keep weeks
// of lines, and a PLEG hiccup a month ago says nothing about today. Untimed hits count.
bool recent(const Hit& hit, UnixSeconds now, UnixSeconds window) {
  return now <= 0 || !hit.last || now - *hit.last <= window;
}

// Findings of their own only for lines of the last hour; evidence for lines of the last 6 hours.
constexpr UnixSeconds kFindingWindow = 3600;
constexpr UnixSeconds kEvidenceWindow = 6 * 3600;

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
    scan_text(file, text, signatures, matcher, options, out.scan);
    out.objects.push_back(std::move(object));
    out.texts.push_back(text);
    out.first_lines.push_back(first_line);
  };
  for (const ContainerLog& log : cluster.container_logs()) {
    scan_one(log.file, log.text, log.first_line, ObjectRef{"Pod", log.ns, log.pod, ""});
  }
  for (const NodeLog& log : cluster.node_logs()) {
    scan_one(log.file, log.text, log.first_line, ObjectRef{"Node", "", log.node, ""});
  }
  for (auto& [key, hit] : out.scan.hits) {  // only the tail was kept: the file's own numbers
    for (Sample& s : hit.samples) s.line += out.first_lines[hit.file] - 1;
  }
  out.now = cluster.now();
  return out;
}

void add_log_findings(const SnapshotLogs& logs, std::span<const Signature> signatures,
                      std::vector<Finding>& findings) {
  const std::size_t analyzed = findings.size();
  const FindingIndex index(std::span<const Finding>(findings.data(), analyzed));
  std::unordered_map<std::string, std::size_t> added;  // id -> index in findings
  for (const auto& [key, hit] : logs.scan.hits) {
    const Signature& sig = signatures[hit.signature];
    if (sig.severity != Severity::kCritical || !recent(hit, logs.now, kFindingWindow)) continue;
    const ObjectRef& log = logs.objects[hit.file];
    // Only lines about the log's own object: a node-log line naming a pod is the pod's business,
    // and a pod without a finding (or gone) is not the node's fault.
    bool about_log = false, explained = false;
    for (const auto& [subject, samples] : by_subject(logs, hit)) {
      if (!(subject == log)) continue;
      about_log = true;
      explained = target_of(std::span(findings.data(), analyzed), index, subject, sig) != nullptr;
    }
    if (!about_log || explained) continue;
    const std::string id = fmt::format("{}:{}", sig.id, log.key());
    auto [it, fresh] = added.emplace(id, findings.size());
    if (fresh) {
      Finding f;
      f.id = id;
      f.rule = sig.id;
      f.catalog = sig.catalog;
      f.severity = sig.severity;
      f.object = log;
      f.summary = fmt::format("{} log: {}", sig.component, first_sentence(sig.meaning));
      f.fix = sig.fix;
      f.evidence.push_back(
          Evidence::note(fmt::format("{} line{}, {}; log signature {}", hit.count,
                                     hit.count == 1 ? "" : "s", hit_times(hit), sig.id)));
      findings.push_back(std::move(f));
    }  // else the same signature in a second log of the object (current and previous run)
    for (const Sample& s : hit.samples) findings[it->second].evidence.push_back(sample_evidence(s));
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
  const FindingIndex index(findings);
  // The log files each finding's analyzer quoted (before any signature added lines): a signature
  // of the same catalog entry on such a file would repeat what the analyzer parsed from it (the
  // RBAC analyzer quotes the refusals it read; the signature has other sample lines of them).
  // Copies: the evidence vectors grow below, which moves their strings.
  std::set<std::pair<const Finding*, std::string>> quoted_files;
  for (const Finding& f : findings) {
    for (const Evidence& e : f.evidence) {
      if (e.kind == Evidence::Kind::kLog) quoted_files.emplace(&f, e.file);
    }
  }
  auto read_by_analyzer = [&](const Finding& f, const Signature& sig,
                              const std::vector<const Sample*>& samples) {
    return !sig.catalog.empty() && f.catalog == sig.catalog &&
           std::any_of(samples.begin(), samples.end(), [&](const Sample* s) {
             return quoted_files.count({&f, s->file}) > 0;
           });
  };
  for (const Hit* h : hits) {
    const Hit& hit = *h;
    const Signature& sig = signatures[hit.signature];
    if (!recent(hit, logs.now, kEvidenceWindow)) continue;
    for (const auto& [subject, samples] : by_subject(logs, hit)) {
      Finding* f = target_of(findings, index, subject, sig);
      if (f == nullptr || f->rule == sig.id) continue;  // none, or the log's own finding
      if (attached.count({f, hit.signature}) > 0 || read_by_analyzer(*f, sig, samples)) continue;
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
