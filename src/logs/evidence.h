// Log evidence for `diagnose`: the snapshot's container logs and node logs
// (nodes/<node>/kubelet.log and friends) scanned with the same signatures and engine as
// `ktriage logs`, and what matches attached to the findings about the pod or node each log belongs
// to: a CrashLoopBackOff gets its Java OutOfMemoryError line, a NotReady node its PLEG lines.
// Never reads files (the loader kept the logs' tails) and never prints.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/time.h"
#include "logs/matcher.h"
#include "logs/scan.h"
#include "logs/signature.h"
#include "model/cluster.h"

namespace ktriage::logs {

/// The snapshot's logs, scanned: `scan.files[i]` is the log of `objects[i]` (a Pod or a Node).
/// Sample line numbers are those of the log's file, although only its tail was kept.
struct SnapshotLogs {
  LogScan scan;
  std::vector<ObjectRef> objects;
  std::vector<std::string_view> texts;     ///< the kept text of each log (views into the cluster)
  std::vector<std::uint32_t> first_lines;  ///< the file's line number of each text's first line
  UnixSeconds now = 0;                     ///< the snapshot's time (0: unknown)
};

/// Whether `cluster` has any container or node log worth compiling the signatures for. O(1).
bool has_logs(const Cluster& cluster) noexcept;

/// Scans every container log (component guessed from its path as `ktriage logs` does: "app"
/// unless it names a control-plane or add-on container) and every node log once.
/// Year-less timestamps take the year of the snapshot's time. O(bytes of the kept log tails).
SnapshotLogs scan_snapshot_logs(const Cluster& cluster, std::span<const Signature> signatures,
                                Matcher& matcher);

/// Findings for critical signatures seen in the last hour before the snapshot in the log of a pod
/// or node that no finding in `findings` is about (a kubelet whose certificate expired on a node
/// still Ready): rule = the signature id, id "<signature>:<object key>". Node-log lines that name
/// a pod never make a finding on the node.
/// Call before correlation, so they are ordered with the rest. O(hits + findings).
void add_log_findings(const SnapshotLogs& logs, std::span<const Signature> signatures,
                      std::vector<Finding>& findings);

/// Attaches each hit to one finding about its object (the pod directly or through also_affects,
/// the node): the one with the signature's catalog id, else the worst (first in report order).
/// A node-log line that names a pod (pod="ns/name", "name_ns(uid)", PodSandboxMetadata, or
/// pod "name" (UID: ...), found by UID) is about that pod only, else about the node. Hits whose
/// last line is more than 6 hours older than the snapshot are left out.
/// Evidence added: a note (signature id, what it means, count, first and last time, its fix) and
/// up to three log lines with file and line; lines the finding already quotes are not repeated,
/// a hit whose lines it all quotes adds nothing, and a finding gets one hit per signature (the
/// first log: sibling pods and previous runs repeat the same lines). O(hits * findings about the
/// object).
void attach_log_evidence(const SnapshotLogs& logs, std::span<const Signature> signatures,
                         std::vector<Finding>& findings);

}  // namespace ktriage::logs
