// Turns a log scan into findings of the same shape `diagnose` reports (one per signature and
// file, catalog set, the object being the node, pod or file the log belongs to), so the JSON
// report and its consumers serve both commands. Never reads files or prints.
#pragma once

#include <span>

#include "core/diagnosis.h"
#include "logs/scan.h"
#include "logs/signature.h"

namespace ktriage::logs {

/// Findings sorted by severity (worst first), object, signature id (ids log-1, log-2, ...);
/// evidence holds a note (count, first and last time) and the sample lines (file, line, text). The
/// input summary lists files read and, as issues, read errors and skipped lines. O(hits).
Diagnosis to_diagnosis(const LogScan& scan, std::span<const Signature> signatures);

/// The first sentence of a signature's meaning, without its full stop: for one-line summaries.
std::string_view first_sentence(std::string_view meaning);

/// When a hit's lines were written: "first T1, last T2", "T" (one time) or "time unknown".
std::string hit_times(const Hit& hit);

/// A sample line as log evidence (file, line, text).
Evidence sample_evidence(const Sample& sample);

/// The object a log file is about: Node for node logs (nodes/<node>/kubelet.log), Pod for
/// container logs in the layouts ktriage reads, else File with the path as name.
ObjectRef object_of_log(std::string_view path);

}  // namespace ktriage::logs
