#include "logs/timestamp.h"

#include <charconv>
#include <cstring>
#include <string>

namespace ktriage::logs {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// "hh:mm:ss" at pos, then an optional ".fraction"; returns the end position or 0.
std::size_t clock_at(std::string_view s, std::size_t pos, int& h, int& m, int& sec) {
  if (!digits(s, pos, 2, h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !digits(s, pos + 3, 2, m) || pos + 5 >= s.size() || s[pos + 5] != ':' ||
      !digits(s, pos + 6, 2, sec) || h > 23 || m > 59 || sec > 60) {
    return 0;
  }
  pos += 8;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  return pos;
}

bool valid_day(int month, int day) { return month >= 1 && month <= 12 && day >= 1 && day <= 31; }

}  // namespace

std::optional<UnixSeconds> parse_klog_time(std::string_view s, int year) noexcept {
  int mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 2, mo) || !digits(s, 2, 2, d) || s.size() < 5 || s[4] != ' ') return {};
  if (!valid_day(mo, d) || clock_at(s, 5, h, mi, sec) == 0) return {};
  return unix_seconds(year, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, sec);
}

std::optional<UnixSeconds> parse_syslog_time(std::string_view s, int year,
                                             std::size_t& length) noexcept {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (s.size() < 15 || s[3] != ' ') return {};
  std::size_t found = kMonths.find(s.substr(0, 3));
  if (found == std::string_view::npos || found % 3 != 0) return {};
  const int mo = static_cast<int>(found / 3) + 1;
  int d = 0;
  if (s[4] == ' ') {
    if (!digits(s, 5, 1, d)) return {};
  } else if (!digits(s, 4, 2, d)) {
    return {};
  }
  if (s[6] != ' ' || !valid_day(mo, d)) return {};
  int h = 0, mi = 0, sec = 0;
  std::size_t end = clock_at(s, 7, h, mi, sec);
  if (end == 0) return {};
  length = end;
  return unix_seconds(year, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, sec);
}

std::optional<UnixSeconds> parse_iso_time(std::string_view s) noexcept {
  if (s.size() < 20) return {};
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  // Whole seconds and the zone as core's parser reads them, in a stack buffer: this runs for
  // most log lines, and a std::string of 25 bytes would be an allocation each.
  std::string_view zone = s.substr(pos);
  char buf[64];
  if (zone.size() + 20 > sizeof buf) return {};  // no zone is that long
  std::size_t n = 19;
  std::memcpy(buf, s.data(), 19);
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    std::memcpy(buf + n, zone.data(), 3);
    buf[n + 3] = ':';
    std::memcpy(buf + n + 4, zone.data() + 3, 2);
    n += 6;
  } else {
    std::memcpy(buf + n, zone.data(), zone.size());
    n += zone.size();
  }
  return parse_rfc3339(std::string_view(buf, n));
}

std::optional<UnixSeconds> parse_time_bound(std::string_view text, UnixSeconds now) noexcept {
  if (auto t = parse_iso_time(text)) return t;
  if (text.empty()) return {};
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), n);
    if (ec != std::errc() || p == text.data() + text.size() || n < 0 || n > 100000000) return {};
    pos = static_cast<std::size_t>(p - text.data());
    switch (text[pos++]) {
      case 's':
        total += n;
        break;
      case 'm':
        total += n * 60;
        break;
      case 'h':
        total += n * 3600;
        break;
      case 'd':
        total += n * 86400;
        break;
      default:
        return {};
    }
  }
  return now - total;
}

}  // namespace ktriage::logs
