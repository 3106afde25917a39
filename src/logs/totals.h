// A scan's hits added up per signature across files, in report order (worst first, then the
// earliest), and the timeline of first occurrences. Read by the text and JSON reports.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "logs/scan.h"
#include "logs/signature.h"

namespace ktriage::logs {

/// One signature over every file.
struct SignatureTotal {
  std::uint32_t signature = 0;
  std::uint64_t count = 0;
  std::optional<UnixSeconds> first, last;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> files;  ///< (file index, count), in order
  std::vector<Sample> samples;                                 ///< the first kSamplesKept
  Sample earliest;  ///< the earliest first match of any file (the timeline's entry)
};

/// Per-signature totals sorted by severity (worst first), first time (unknown last), id.
/// O(hits log hits).
std::vector<SignatureTotal> totals(const LogScan& scan, std::span<const Signature> signatures);

/// The earliest match of each total, sorted by time (unknown last), then signature id.
std::vector<std::pair<const SignatureTotal*, const Sample*>> timeline(
    std::span<const SignatureTotal> totals, std::span<const Signature> signatures);

/// True when any total's signature is at or above `threshold`.
bool any_at_or_above(std::span<const SignatureTotal> totals, std::span<const Signature> signatures,
                     Severity threshold);

}  // namespace ktriage::logs
