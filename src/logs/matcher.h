// Matches log messages against every signature at once: one Vectorscan block database of all
// patterns, which serves both one message and a block of many (prefilter), a second one compiled
// on first need for messages with line breaks in them, and RE2 for the few patterns Vectorscan
// rejects. Owns the compiled databases and scratch space; never reads files and never keeps a
// message.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "logs/signature.h"

namespace ktriage::logs {

class Matcher {
 public:
  /// Compiles the patterns of `signatures` (kept by index, so the caller keeps the vector).
  /// A pattern Vectorscan rejects is compiled with RE2 instead and a note says so; a pattern
  /// neither accepts, or one that matches the empty string, is an error "FILE:LINE: signature
  /// ID: pattern ...: why". Cost: the Vectorscan compile, ~1 ms per pattern.
  static Expected<Matcher> compile(std::span<const Signature> signatures);

  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  /// Indexes (into the compile-time signatures) of every signature matching `message`, in
  /// ascending order, into `out` (cleared first). Each index at most once. Not thread-safe
  /// (one scratch space); O(message) plus the RE2 fallbacks.
  void match(std::string_view message, std::vector<std::uint32_t>& out);

  /// Which of many messages may match: `block` holds them one after another, message i at
  /// [starts[i], starts[i + 1]) (the last one up to the end of `block`), each followed by one
  /// "\n" that is not part of it. Sets maybe[i] to 1 when match() could find a signature in
  /// message i, else 0 (`maybe` is resized to starts.size()). Never misses a message match()
  /// would match; may mark a few that it does not (a pattern reaching across the "\n"), so
  /// callers confirm with match(). With RE2 fallbacks every message is marked. One Vectorscan
  /// scan of `block` (so 1-4 GB/s, instead of a call per message); not thread-safe.
  void prefilter(std::string_view block, std::span<const std::uint32_t> starts,
                 std::vector<char>& maybe);

  /// "signature ID: Vectorscan: why; matched with RE2" for each fallback.
  const std::vector<std::string>& notes() const noexcept { return notes_; }
  /// How many patterns run on RE2.
  std::size_t fallback_count() const noexcept;

 private:
  struct Impl;
  explicit Matcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> notes_;
};

}  // namespace ktriage::logs
