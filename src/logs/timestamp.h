// Timestamps as log writers print them (klog, syslog/journalctl, RFC 3339 with any fraction and
// offset), and --since/--until values. Pure functions on text; never reads the clock (the caller
// passes "now" and the year that year-less formats assume).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace ktriage::logs {

/// klog's "1129 10:41:02.123456" (MMDD, no year) in `year`, UTC. nullopt when malformed.
std::optional<UnixSeconds> parse_klog_time(std::string_view text, int year) noexcept;

/// syslog's "Nov 29 10:41:02" or "Nov  9 10:41:02.123456" at the start of `text`, in `year`,
/// read as UTC (journalctl prints local time; the zone is not in the line). On success sets
/// `length` to the characters used.
std::optional<UnixSeconds> parse_syslog_time(std::string_view text, int year,
                                             std::size_t& length) noexcept;

/// RFC 3339 with any fraction, "Z" or an offset with or without a colon ("+0000", journalctl's
/// short-iso). nullopt otherwise.
std::optional<UnixSeconds> parse_iso_time(std::string_view text) noexcept;

/// --since/--until: RFC 3339, or a duration before `now` ("90s", "15m", "1h", "2d", "1h30m").
std::optional<UnixSeconds> parse_time_bound(std::string_view text, UnixSeconds now) noexcept;

}  // namespace ktriage::logs
