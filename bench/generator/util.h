// Small deterministic helpers for the synthetic cluster generator: a counter-based RNG, UID and
// hex formatting, and RFC 3339 timestamps. Owns no state beyond what its callers pass in; never
// reads the clock or the environment, so the same seed always gives the same bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace gen {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The moment the synthetic snapshot is taken: 2026-11-29T10:42:00Z. Every timestamp is before it.
constexpr int64_t kSnapshot = days_from_civil(2026, 11, 29) * 86400 + 10 * 3600 + 42 * 60;
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// splitmix64 finaliser: a good 64-bit mix, used both as hash and as RNG step.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t hash3(uint64_t a, uint64_t b, uint64_t c) {
  return mix64(mix64(mix64(a) ^ b) ^ c);
}

// Salts that keep the random streams of different object kinds apart.
enum Salt : uint64_t {
  kSaltPlan = 1,
  kSaltNode,
  kSaltDeploy,
  kSaltPod,
  kSaltService,
  kSaltEvent,
  kSaltConfigMap,
  kSaltReplicaSet,
  kSaltEndpoints,
  kSaltContainer,
  kSaltImage,
  kSaltVolume,
};

// Counter-based generator: Rng(seed, salt, index) gives an independent stream per object, so an
// object renders identically whatever thread renders it and in whatever order.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t salt, uint64_t index) : state_(hash3(seed, salt, index)) {}
  uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <class T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

// Writes 36 characters of a version-4 UUID derived from two words.
inline void format_uid(uint64_t a, uint64_t b, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char raw[32];
  for (int i = 0; i < 16; ++i) raw[i] = kHex[(a >> (60 - 4 * i)) & 0xf];
  for (int i = 0; i < 16; ++i) raw[16 + i] = kHex[(b >> (60 - 4 * i)) & 0xf];
  raw[12] = '4';
  raw[16] = "89ab"[b >> 62];
  int o = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out[o++] = '-';
    out[o++] = raw[i];
  }
}

// A UID that is a pure function of (seed, salt, index): objects that reference each other
// (owner references, events, endpoints) recompute it instead of storing it.
struct Uid {
  char text[36];
  Uid(uint64_t seed, uint64_t salt, uint64_t index) {
    format_uid(hash3(seed, salt ^ 0x55u, index), hash3(seed, salt ^ 0xaau, index), text);
  }
  std::string_view view() const { return {text, sizeof text}; }
};

// Lower-case hex of `words` 64-bit words drawn from rng, appended to out.
inline void append_hex(std::string& out, Rng& rng, int words) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int w = 0; w < words; ++w) {
    uint64_t v = rng.next();
    for (int i = 0; i < 16; ++i) out.push_back(kHex[(v >> (60 - 4 * i)) & 0xf]);
  }
}

// Kubernetes' rand.SafeEncodeString alphabet (no vowels, no look-alikes), used in generated names.
inline void append_safe(std::string& out, uint64_t v, int n) {
  static constexpr char kSafe[] = "bcdfghjklmnpqrstvwxz2456789";
  for (int i = 0; i < n; ++i) {
    out.push_back(kSafe[v % 27]);
    v /= 27;
  }
}

// "2026-11-29T10:42:00Z" (20 characters).
struct Time {
  char text[20];
  explicit Time(int64_t epoch_seconds);
  std::string_view view() const { return {text, sizeof text}; }
};

// "2026-11-29T10:42:00.123456Z" (27 characters), as metav1.MicroTime prints.
struct MicroTime {
  char text[27];
  explicit MicroTime(int64_t epoch_micros);
  std::string_view view() const { return {text, sizeof text}; }
};

inline void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

inline Time::Time(int64_t t) {
  int64_t days = t / kDay;
  int64_t secs = t % kDay;
  if (secs < 0) {
    secs += kDay;
    --days;
  }
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<unsigned>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  put2(text, y / 100);
  put2(text + 2, y % 100);
  text[4] = '-';
  put2(text + 5, m);
  text[7] = '-';
  put2(text + 8, d);
  text[10] = 'T';
  const auto s = static_cast<unsigned>(secs);
  put2(text + 11, s / 3600);
  text[13] = ':';
  put2(text + 14, s / 60 % 60);
  text[16] = ':';
  put2(text + 17, s % 60);
  text[19] = 'Z';
}

inline MicroTime::MicroTime(int64_t us) {
  Time base(us / 1000000);
  std::memcpy(text, base.text, 19);
  text[19] = '.';
  auto frac = static_cast<unsigned>(us % 1000000);
  for (int i = 25; i >= 20; --i) {
    text[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  text[26] = 'Z';
}

// Dotted quad of an IPv4 address held in host order.
inline std::string ip_string(uint32_t ip) {
  std::string s;
  s.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += std::to_string((ip >> shift) & 0xff);
    if (shift) s.push_back('.');
  }
  return s;
}

}  // namespace gen
