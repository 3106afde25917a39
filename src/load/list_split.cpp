#include "load/list_split.h"

#include <algorithm>
#include <cstring>
#include <thread>

#include "load/line_index.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ktriage {

namespace {

constexpr std::string_view kItems = "\n    \"items\": [\n";
constexpr std::string_view kOpen = "\n        {\n";
constexpr std::string_view kClose = "\n        }";
// Scanners hand back the pages behind them in steps of this size.
constexpr std::size_t kReleaseBytes = 16u << 20;

// The first "\n        }" starting in [from, limit) (it may end past limit), or npos. Compares
// the pattern's first and last bytes at 16 positions at once (SSE2 is part of x86-64):
// string_view::find stops at every '\n' and memchr at every '}', one per ~40 bytes of indented
// JSON, and either cost 8-10% of a large load in call overhead.
std::size_t find_item_close(std::string_view data, std::size_t from, std::size_t limit) {
  const char* base = data.data();
  std::size_t at = from;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(kClose.front());
  const __m128i last = _mm_set1_epi8(kClose.back());
  while (at < limit && at + kClose.size() - 1 + 16 <= data.size()) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + at));
    const __m128i b =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + at + kClose.size() - 1));
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      const std::size_t candidate = at + static_cast<std::size_t>(__builtin_ctz(mask));
      if (candidate >= limit) return std::string_view::npos;
      if (std::memcmp(base + candidate, kClose.data(), kClose.size()) == 0) return candidate;
      mask &= mask - 1;
    }
    at += 16;
  }
#endif
  if (at >= limit) return std::string_view::npos;
  const std::size_t found = data.find(kClose, at);
  return found < limit ? found : std::string_view::npos;
}

// What one scanner found in its slice of the file: the offset of each item-closing line's '\n'
// and the number of '\n' in the slice before it, plus the slice's total.
struct SliceScan {
  std::vector<std::size_t> closes;
  std::vector<std::size_t> newlines_before;
  std::size_t newlines = 0;
  std::size_t last_close = std::string_view::npos;  // "\n    ]" follows it: the array's end
  bool layout_ok = true;
};

void scan_slice(std::string_view data, std::size_t from, std::size_t to,
                const std::function<void(std::size_t, std::size_t)>& consumed, SliceScan& out) {
  std::size_t counted_to = from;
  std::size_t released = from;
  for (std::size_t at = from;;) {
    const std::size_t close = find_item_close(data, at, to);
    if (close == std::string_view::npos) break;
    // The bytes between two closes (one item, ~20 KB) are still in cache from the search.
    out.newlines += count_newlines(data.data() + counted_to, data.data() + close);
    counted_to = close;
    out.closes.push_back(close);
    out.newlines_before.push_back(out.newlines);
    // Check what follows here, while it is in cache and before its pages are released: the
    // next item (",\n        {\n") or the end of the array ("\n    ]").
    const std::size_t end = close + kClose.size();  // one past the '}'
    if (end < data.size() && data[end] == ',' && data.compare(end + 1, kOpen.size(), kOpen) == 0) {
      // another item follows
    } else if (data.compare(end, 6, "\n    ]") == 0 && out.last_close == std::string_view::npos) {
      out.last_close = close;
    } else {
      out.layout_ok = false;
      break;
    }
    at = close + 1;
    if (consumed && close - released >= kReleaseBytes) {
      consumed(released, close);
      released = close;
    }
  }
  out.newlines += count_newlines(data.data() + counted_to, data.data() + to);
  if (consumed && to > released) consumed(released, to);
}

}  // namespace

std::optional<SplitList> split_kubectl_list(
    std::string_view data, std::size_t min_bytes, unsigned threads,
    const std::function<void(std::size_t, std::size_t)>& consumed) {
  if (data.size() < min_bytes || data.empty() || data.front() != '{') return std::nullopt;
  const std::size_t items_at = data.find(kItems);
  if (items_at == std::string_view::npos) return std::nullopt;

  SplitList out;
  // The List's kind is a top-level key at four spaces (after "items" in kubectl's key order).
  constexpr std::string_view kKind = "\n    \"kind\": \"";
  if (const std::size_t k = data.rfind(kKind); k != std::string_view::npos) {
    const std::size_t start = k + kKind.size();
    const std::size_t end = data.find('"', start);
    if (end == std::string_view::npos) return std::nullopt;
    out.kind = data.substr(start, end - start);
  }

  const std::size_t first_open = items_at + kItems.size() - 1;  // the '\n' before the first item
  if (data.compare(first_open, kOpen.size(), kOpen) != 0) return std::nullopt;

  // Every "\n        }" line closes an item (nested objects are indented further, and a raw
  // newline cannot occur in a string), so slices of the file can be scanned independently.
  threads = std::clamp(threads, 1u, 64u);
  const std::size_t span = data.size() - first_open;
  std::vector<SliceScan> slices(threads);
  std::vector<std::size_t> bounds(threads + 1);
  for (unsigned t = 0; t <= threads; ++t) bounds[t] = first_open + span * t / threads;
  {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
      pool.emplace_back(scan_slice, data, bounds[t], bounds[t + 1], std::cref(consumed),
                        std::ref(slices[t]));
    }
    scan_slice(data, bounds[0], bounds[1], consumed, slices[0]);
    for (auto& th : pool) th.join();
  }

  // Items in order: the first opens at first_open, each later one right after the previous
  // close (checked by the scanners), and only the last close ends the array.
  std::size_t newlines_before_slice = count_newlines(data.data(), data.data() + first_open);
  std::size_t begin = first_open + kOpen.size() - 2;  // the first '{'
  std::uint32_t open_line = static_cast<std::uint32_t>(newlines_before_slice + 2);
  bool closed = false;
  for (unsigned t = 0; t < threads; ++t) {
    const SliceScan& slice = slices[t];
    if (!slice.layout_ok) return std::nullopt;
    for (std::size_t i = 0; i < slice.closes.size(); ++i) {
      const std::size_t close = slice.closes[i];
      if (closed || close < begin) return std::nullopt;
      const std::size_t end = close + kClose.size();  // one past the '}'
      out.items.push_back(ListItem{begin, end - begin, open_line});
      if (close == slice.last_close) {
        closed = true;
        continue;
      }
      begin = end + kOpen.size() - 1;  // after ",\n        {"
      open_line = static_cast<std::uint32_t>(newlines_before_slice + slice.newlines_before[i] + 3);
    }
    newlines_before_slice += slice.newlines;
  }
  if (!closed) return std::nullopt;
  return out;
}

}  // namespace ktriage
