#include "cloud/cs_records.h"

#include <fmt/format.h>

namespace ktriage::cloud {

namespace {

bool failed(std::string_view state) {
  return state.size() >= 4 && (state.substr(0, 4) == "fail" || state.substr(0, 4) == "Fail" ||
                               state.substr(0, 4) == "FAIL");
}

// One task object (a DescribeTaskInfo answer, or an item of DescribeTasks' `tasks`).
void add_task(const CloudDocument& doc, const Value& task, const std::string& at,
              std::vector<CsRecord>& out) {
  if (!failed(task["state"].str())) return;
  CsRecord base;
  base.doc = &doc;
  base.cluster_id = std::string(task["cluster_id"].str());
  base.task_id = std::string(task["task_id"].str());
  base.task_type = std::string(task["task_type"].str());
  base.target_type = std::string(task["target"]["type"].str());
  base.target_id = std::string(task["target"]["id"].str());
  if (base.cluster_id.empty() && base.target_type == "cluster") base.cluster_id = base.target_id;
  const auto updated = parse_cs_time(task["updated"].str());
  auto add = [&](std::string path, std::string_view text, std::optional<UnixSeconds> time) {
    if (text.empty()) return;
    CsRecord r = base;
    r.path = at + path;
    r.text = text;
    r.time = time ? time : updated;
    out.push_back(std::move(r));
  };
  // The code alone often names the cause (QuotaExceeded.Eip) when the message is generic.
  add(".error.code", task["error"]["code"].str(), updated);
  add(".error.message", task["error"]["message"].str(), updated);
  const auto stages = task["stages"].items();
  for (std::size_t i = 0; i < stages.size(); ++i) {
    add(fmt::format(".stages[{}].message", i), stages[i]["message"].str(),
        parse_cs_time(stages[i]["end_time"].str()));
  }
  const auto events = task["events"].items();
  for (std::size_t i = 0; i < events.size(); ++i) {
    add(fmt::format(".events[{}].message", i), events[i]["message"].str(),
        parse_cs_time(events[i]["timestamp"].str()));
  }
}

void add_logs(const CloudDocument& doc, std::vector<CsRecord>& out) {
  const auto logs = doc.root.items();
  for (std::size_t i = 0; i < logs.size(); ++i) {
    const std::string_view text = logs[i]["cluster_log"].str();
    if (text.empty()) continue;
    CsRecord r;
    r.doc = &doc;
    r.path = fmt::format("[{}].cluster_log", i);
    r.text = text;
    r.time = parse_cs_time(logs[i]["created"].str());
    r.cluster_id = std::string(logs[i]["cluster_id"].str());
    if (r.cluster_id.empty()) r.cluster_id = doc.id;
    out.push_back(std::move(r));
  }
}

void add_events(const CloudDocument& doc, std::vector<CsRecord>& out) {
  const auto events = doc.root["events"].items();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Value& data = events[i]["data"];
    CsRecord r;
    r.doc = &doc;
    r.time = parse_cs_time(events[i]["time"].str());
    r.cluster_id = std::string(events[i]["cluster_id"].str());
    for (std::string_view key : {"reason", "message"}) {
      if (data[key].str().empty()) continue;
      r.path = fmt::format(".events[{}].data.{}", i, key);
      r.text = data[key].str();
      out.push_back(r);
    }
  }
}

}  // namespace

Evidence record_evidence(const CsRecord& r) {
  Evidence e = Evidence::field(
      r.task_id.empty() ? "" : "task " + r.task_id, r.path,
      r.time ? fmt::format("{}: {}", format_utc_minute(*r.time), r.text) : std::string(r.text));
  e.file = r.doc != nullptr ? r.doc->file : "";
  e.last_seen = r.time;
  return e;
}

std::optional<UnixSeconds> parse_cs_time(std::string_view text) {
  if (auto t = parse_rfc3339(text)) return t;
  if (text.size() == 19 && text[10] == ' ') {
    std::string iso(text);
    iso[10] = 'T';
    iso += 'Z';
    return parse_rfc3339(iso);
  }
  return std::nullopt;
}

std::vector<CsRecord> cs_records(const Cluster& cluster) {
  std::vector<CsRecord> out;
  for (const CloudDocument* doc : cluster.cloud_documents("cs", "DescribeTaskInfo")) {
    add_task(*doc, doc->root, "", out);
  }
  // The CLI's generic GET names the list calls after their paths: both spellings are read.
  for (std::string_view action : {"DescribeClusterTasks", "DescribeTasks"}) {
    for (const CloudDocument* doc : cluster.cloud_documents("cs", action)) {
      const auto tasks = doc->root["tasks"].items();
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        add_task(*doc, tasks[i], fmt::format(".tasks[{}]", i), out);
      }
    }
  }
  for (const CloudDocument* doc : cluster.cloud_documents("cs", "DescribeClusterLogs")) {
    add_logs(*doc, out);
  }
  for (std::string_view action : {"DescribeClusterEvents", "DescribeEvents"}) {
    for (const CloudDocument* doc : cluster.cloud_documents("cs", action)) add_events(*doc, out);
  }
  return out;
}

}  // namespace ktriage::cloud
