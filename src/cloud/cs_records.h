// The text records of failed Container Service (cs) operations in a snapshot's cloud/ answers:
// failed tasks (DescribeTaskInfo, DescribeTasks), cluster logs (DescribeClusterLogs) and cluster
// events (DescribeEvents), each with where it was read and when it was written. Never reads files;
// the analyzers match the text against the known causes (task_causes.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/time.h"
#include "model/cluster.h"

namespace ktriage::cloud {

/// One message worth matching. `text` points into the snapshot (valid as long as the Cluster).
struct CsRecord {
  const CloudDocument* doc = nullptr;
  std::string path;  ///< JSON path in the document: ".error.message", "[3].cluster_log"
  std::string_view text;
  std::optional<UnixSeconds> time;     ///< the record's own time, else its task's `updated`
  std::string cluster_id;              ///< "" when the record does not say
  std::string task_id, task_type;      ///< set for task records ("T-5faa...", "cluster_scaleout")
  std::string target_type, target_id;  ///< the task's `target` ("nodepool", "np-...")
};

/// Every record, in document order, from cs-DescribeTaskInfo-<task>.json, cs-DescribeClusterTasks
/// (or DescribeTasks).json, cs-DescribeClusterLogs.json and cs-DescribeClusterEvents (or
/// DescribeEvents).json. Tasks: only those whose `state` starts with "fail" (the API
/// writes "fail"), their `error.message` (with `error.code` in front when given),
/// `stages[].message` and `events[].message`. Cluster logs: each `cluster_log` with `created`.
/// Events: each `data.message` (with `data.reason` in front) and `time`. Documents of other shapes
/// yield nothing. Field names: https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/
/// developer-reference/api-cs-2015-12-15-describetaskinfo, .../api-describeclusterlogs,
/// .../api-cs-2015-12-15-describeevents. O(records).
std::vector<CsRecord> cs_records(const Cluster& cluster);

/// The record as evidence: its file, field path and text, the time in front of the text (the
/// text report shows no separate time for a field) and in `last_seen`.
Evidence record_evidence(const CsRecord& r);

/// RFC 3339 times, and the "2022-12-15 23:00:00" form task stages use (read as UTC: the API does
/// not say its zone). nullopt otherwise.
std::optional<UnixSeconds> parse_cs_time(std::string_view text);

}  // namespace ktriage::cloud
