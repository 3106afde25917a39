// Synthetic log lines for the `ktriage logs` benchmark: kubelet and kube-apiserver (klog),
// containerd (logrus key=value), journald (short-precise) and application container logs (CRI,
// with Java, Python and Go stack traces), plus planted known-failure lines. Appends to a string;
// never writes files and never reads the clock, so a seed always gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loggen {

// A small fast deterministic RNG (splitmix64).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t x = (state_ += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  /// Uniform in [0, n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

 private:
  std::uint64_t state_;
};

// The time lines carry: microseconds since the epoch, moving forward a few ms per line.
class Clock {
 public:
  explicit Clock(std::int64_t start_us) : us_(start_us) {}
  void tick(Rng& rng) { us_ += 1 + rng.below(4000); }
  /// "I1201 10:41:02.123456" without the level letter: "1201 10:41:02.123456".
  void klog(std::string& out);
  /// "2026-12-01T10:41:02.123456789Z" (CRI, logrus).
  void rfc3339_nano(std::string& out);
  /// "Dec 01 10:41:02.123456" (journalctl -o short-precise).
  void syslog_precise(std::string& out);

 private:
  void refresh();
  std::int64_t us_;
  std::int64_t cached_second_ = -1;
  int year_ = 0, month_ = 0, day_ = 0, hour_ = 0, minute_ = 0, second_ = 0;
};

/// Which kind of file a line is for.
enum class Kind { kKubelet, kApiserver, kContainerd, kJournal, kApp };

/// Appends one ordinary (non-failure) line, or for kApp sometimes a whole stack trace, each line
/// ending in "\n". Returns the number of lines appended.
int noise(Kind kind, Rng& rng, Clock& clock, std::string& out);

/// Appends `line` (a signature's positive line, written as the component prints it) as a line of
/// a `kind` file: as is for klog and logrus files when it already is such a line, otherwise
/// wrapped in the file's prefix (journal, CRI) or as a logrus msg.
void planted(Kind kind, std::string_view line, Rng& rng, Clock& clock, std::string& out);

}  // namespace loggen
