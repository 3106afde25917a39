// The human report of `ktriage logs`: per signature found its meaning, severity, count, first and
// last time, up to three sample lines with file:line, the fix and the catalog id; then the
// timeline of first occurrences and what could not be read. Builds a string; never prints.
#pragma once

#include <span>
#include <string>

#include "logs/scan.h"
#include "logs/signature.h"

namespace ktriage::logs {

/// The whole report. Deterministic: same scan, same bytes.
std::string render_text(const LogScan& scan, std::span<const Signature> signatures);

/// One line for a match as it comes (-f): "TIME  SEVERITY  ID  FILE:LINE: TEXT".
std::string render_match_line(const Signature& sig, const Sample& sample);

}  // namespace ktriage::logs
