// Timestamps as Kubernetes writes them (RFC 3339, UTC "Z" or an offset, optional fraction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ktriage {

/// Seconds since the Unix epoch, UTC. Sub-second parts are dropped: Kubernetes event and
/// condition times have one-second resolution (metav1.Time), MicroTime is only used for ordering.
using UnixSeconds = std::int64_t;

/// Parses "2026-11-29T10:42:00Z", "2026-11-29T10:42:00.123456Z", "2026-11-29T12:42:00+02:00".
/// Returns nullopt for anything else (including "" and null).
std::optional<UnixSeconds> parse_rfc3339(std::string_view text) noexcept;
/// Seconds since the epoch of a UTC civil time (proleptic Gregorian); no range checks.
UnixSeconds unix_seconds(int year, unsigned month, unsigned day, int hour, int minute,
                         int second) noexcept;
/// The UTC calendar year of `t`.
int utc_year(UnixSeconds t) noexcept;

/// "2026-11-29 10:42 UTC"
std::string format_utc_minute(UnixSeconds t);
/// "2026-11-29T10:42:00Z"
std::string format_rfc3339(UnixSeconds t);
/// A short age as kubectl prints it: "45s", "12m", "3h", "5d".
std::string format_duration(std::int64_t seconds);

}  // namespace ktriage
