// Report writers: one function per output format. They read a Diagnosis and nothing else.
#pragma once

#include <cstddef>
#include <string>

#include "core/diagnosis.h"

namespace ktriage {

/// Options of the human text report.
struct TextOptions {
  bool color = false;     ///< ANSI colours (only when writing to a terminal)
  bool show_info = true;  ///< list info-level findings too
  /// Tag each finding with its rule id (what ktriage.io/ignore and .ktriage.yaml take) instead
  /// of its fault-catalog id (lint).
  bool rule_ids = false;
};

/// The input issues that mean part of the snapshot was not read: `errors`, problems within
/// files (a syntax error, a skipped List item), and `unreadable`, whole files that could not be
/// read (InputIssue::unreadable). Files skipped by choice (binary, describe text) count in
/// neither. The text headline and `why`'s "not found" both say so when there are any.
struct LostInput {
  std::size_t errors = 0;
  std::size_t unreadable = 0;
  std::size_t total() const { return errors + unreadable; }
};
LostInput lost_input(const InputSummary& input);

/// The human report: a header, one block per root cause with the symptoms it explains, evidence
/// and fix, then input problems and skipped files.
std::string render_text(const Diagnosis& d, const TextOptions& options);

/// The JSON report, schema version 1 (docs/output-schema.md). Deterministic: same input, same
/// bytes.
std::string render_json(const Diagnosis& d);

/// Version of the JSON schema render_json writes.
inline constexpr int kJsonSchemaVersion = 1;

}  // namespace ktriage
