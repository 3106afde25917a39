#include "load/list_split.h"

#include <algorithm>
#include <cstring>
#include <thread>

#include "load/line_index.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace ktriage {

namespace {

constexpr std::string_view kItems = "\n    \"items\": [\n";
constexpr std::string_view kOpen = "\n        {\n";
constexpr std::string_view kClose = "\n        }";
// Walks hand back the pages behind them in steps of this size.
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

// Where an item's closing line starts and how many '\n' come before it.
struct ItemClose {
  std::size_t at = std::string_view::npos;  ///< the '\n' of "\n        }", or npos
  std::size_t newlines = 0;                 ///< in [from, at)
};

// find_item_close() and count_newlines() over the same bytes in one pass, 32 bytes at a time:
// the newline mask is both the close filter's first byte and the count (a popcount up to the
// close). The two-pass SSE2 path read every item twice; this one is chosen at run time, as
// simdjson chooses its kernels, since the build targets baseline x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define KTRIAGE_HAVE_AVX2_CLOSE 1
__attribute__((target("avx2,popcnt"))) ItemClose find_item_close_avx2(std::string_view data,
                                                                      std::size_t from) {
  const char* base = data.data();
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i brace = _mm256_set1_epi8(kClose.back());
  constexpr std::size_t kLast = kClose.size() - 1;
  ItemClose out;
  std::size_t at = from;
  while (at + kLast + 32 <= data.size()) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + at));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + at + kLast));
    const auto lines =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, newline)));
    auto mask =
        lines & static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, brace)));
    while (mask != 0) {
      const auto bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(base + at + bit, kClose.data(), kClose.size()) == 0) {
        out.at = at + bit;
        out.newlines += static_cast<std::size_t>(__builtin_popcount(lines & ((1u << bit) - 1)));
        return out;
      }
      mask &= mask - 1;
    }
    out.newlines += static_cast<std::size_t>(__builtin_popcount(lines));
    at += 32;
  }
  // The last few bytes: the plain search.
  const std::size_t found = data.find(kClose, at);
  out.at = found;
  out.newlines +=
      count_newlines(base + at, base + (found == std::string_view::npos ? data.size() : found));
  return out;
}
#endif

ItemClose find_item_close_counting(std::string_view data, std::size_t from, bool avx2) {
#if defined(KTRIAGE_HAVE_AVX2_CLOSE)
  if (avx2) return find_item_close_avx2(data, from);
#endif
  (void)avx2;
  ItemClose out;
  out.at = find_item_close(data, from, data.size());
  const std::size_t end = out.at == std::string_view::npos ? data.size() : out.at;
  out.newlines = count_newlines(data.data() + from, data.data() + end);
  return out;
}

bool has_avx2() {
#if defined(KTRIAGE_HAVE_AVX2_CLOSE)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

// The first kubectl item-opening line ("\n        {\n") starting in [from, limit), or npos.
std::size_t find_item_open(std::string_view data, std::size_t from, std::size_t limit) {
  // The same first/last-byte filter as find_item_close would stop at every nested "{" line's
  // newline; items are ~20 KB apart and this runs once per region, so a plain find is enough.
  const std::size_t found = data.find(kOpen, from);
  return found < limit ? found : std::string_view::npos;
}

// With cut-off Lists allowed, whether the List ends at `at` because the file does: no line of
// four spaces and `]` closes the items array after it. Otherwise the layout is not kubectl's.
bool cut_off_here(std::string_view data, const ListLayout& layout, std::size_t at) {
  return layout.cut_off_allowed && data.find("\n    ]", at) == std::string_view::npos;
}

// The same just after an item's closing `}`: what is left must be the start of what kubectl
// writes there (",\n        {\n" before another item, "\n    ]" after the last). Anything else
// is a layout break, reported by the parser, not a cut.
bool cut_off_between_items(std::string_view data, const ListLayout& layout, std::size_t at) {
  if (!cut_off_here(data, layout, at)) return false;
  const std::string_view rest = data.substr(at);
  return std::string_view(",\n        {\n").starts_with(rest) ||
         std::string_view("\n    ]").starts_with(rest);
}

}  // namespace

std::optional<ListLayout> find_kubectl_list(std::string_view data, std::size_t min_bytes) {
  if (data.size() < min_bytes || data.empty() || data.front() != '{') return std::nullopt;
  const std::size_t items_at = data.find(kItems);
  if (items_at == std::string_view::npos) return std::nullopt;
  ListLayout out;
  // The List's kind is a top-level key at four spaces (after "items" in kubectl's key order).
  constexpr std::string_view kKind = "\n    \"kind\": \"";
  if (const std::size_t k = data.rfind(kKind); k != std::string_view::npos) {
    const std::size_t start = k + kKind.size();
    // Unterminated: the file is cut off inside the List's own kind; read it as absent.
    const std::size_t end = data.find('"', start);
    if (end != std::string_view::npos) out.kind = data.substr(start, end - start);
  }
  out.first_open = items_at + kItems.size() - 1;  // the '\n' before the first item
  if (data.compare(out.first_open, kOpen.size(), kOpen) != 0) return std::nullopt;
  return out;
}

ListRegionWalk walk_list_region(std::string_view data, const ListLayout& layout, std::size_t from,
                                std::size_t to, const std::function<void(const ListItem&)>& visit,
                                const std::function<void(std::size_t, std::size_t)>& consumed) {
  ListRegionWalk walk;
  std::size_t open = layout.first_open;
  if (from > layout.first_open) {
    // Every later item follows the one before it on its closing line: "\n        },". A line
    // of eight spaces and `{` without it is inside an item (not kubectl's printer, but valid
    // JSON): look further, as a walk from the start would pass it. chain_list_regions() still
    // refuses a start that is not where the region before ended.
    for (open = find_item_open(data, from, to);; open = find_item_open(data, open + 1, to)) {
      if (open == std::string_view::npos) return walk;
      if (open >= kClose.size() + 1 && data[open - 1] == ',' &&
          data.compare(open - 1 - kClose.size(), kClose.size(), kClose) == 0) {
        break;
      }
    }
  } else if (open >= to) {
    return walk;
  }
  walk.begin = open;
  if (consumed) consumed(open, open);
  std::size_t counted = open;
  std::size_t released = open;
  const bool avx2 = has_avx2();
  for (;;) {
    const std::size_t brace = open + kOpen.size() - 2;
    walk.newlines += count_newlines(data.data() + counted, data.data() + brace);
    counted = brace;
    // Every "\n        }" line closes an item: nested objects are indented further. Its
    // newlines are counted in the same pass, before the visit, while the item is in cache.
    const ItemClose found = find_item_close_counting(data, brace, avx2);
    const std::size_t close = found.at;
    if (close == std::string_view::npos) {
      if (!cut_off_here(data, layout, brace)) {
        walk.layout_ok = false;
        return walk;
      }
      visit(ListItem{brace, data.size() - brace, static_cast<std::uint32_t>(walk.newlines + 1),
                     /*cut_off=*/true});
      walk.reached_end = true;
      walk.end = data.size();
      break;
    }
    const std::size_t item_end = close + kClose.size();  // one past the '}'
    const std::size_t item_newlines = found.newlines;
    visit(ListItem{brace, item_end - brace, static_cast<std::uint32_t>(walk.newlines + 1)});
    walk.newlines += item_newlines;
    counted = close;
    if (item_end < data.size() && data[item_end] == ',' &&
        data.compare(item_end + 1, kOpen.size(), kOpen) == 0) {
      open = item_end + 1;  // another item follows
      if (open >= to) {
        walk.end = open;
        break;
      }
    } else if (data.compare(item_end, 6, "\n    ]") == 0) {
      walk.reached_end = true;
      walk.end = data.size();
      break;
    } else if (cut_off_between_items(data, layout, item_end)) {
      // Cut off between items: what is left (",", part of the next item's first line) is
      // visited so the loader can say where the file ends.
      // walk.newlines now ends before the "\n" of the item's closing line.
      visit(ListItem{item_end, data.size() - item_end,
                     static_cast<std::uint32_t>(walk.newlines + 2), /*cut_off=*/true});
      walk.reached_end = true;
      walk.end = data.size();
      break;
    } else {
      walk.layout_ok = false;
      return walk;
    }
    if (consumed && item_end - released >= kReleaseBytes) {
      consumed(released, item_end);
      released = item_end;
    }
  }
  walk.newlines += count_newlines(data.data() + counted, data.data() + walk.end);
  if (consumed && walk.end > released) consumed(released, walk.end);
  return walk;
}

std::optional<std::vector<std::size_t>> chain_list_regions(
    std::string_view data, const ListLayout& layout, const std::vector<ListRegionWalk>& regions) {
  std::vector<std::size_t> base(regions.size(), 0);
  std::size_t expect = layout.first_open;
  std::size_t lines = count_newlines(data.data(), data.data() + layout.first_open);
  bool ended = false;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const ListRegionWalk& region = regions[i];
    if (!region.layout_ok) return std::nullopt;
    if (region.begin == ListRegionWalk::npos) continue;
    if (ended || region.begin != expect) return std::nullopt;
    base[i] = lines;
    lines += region.newlines;
    expect = region.end;
    ended = region.reached_end;
  }
  if (!ended) return std::nullopt;
  return base;
}

std::optional<std::vector<std::size_t>> walk_kubectl_list(
    std::string_view data, const ListLayout& layout, unsigned threads,
    const std::function<void(std::size_t, const ListItem&)>& visit,
    const std::function<void(std::size_t, std::size_t)>& consumed) {
  threads = std::clamp(threads, 1u, 64u);
  const std::size_t span = data.size() - layout.first_open;
  std::vector<ListRegionWalk> regions(threads);
  auto walk = [&](unsigned t) {
    regions[t] = walk_list_region(
        data, layout, layout.first_open + span * t / threads,
        layout.first_open + span * (t + 1) / threads, [&](const ListItem& item) { visit(t, item); },
        consumed);
  };
  {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(walk, t);
    walk(0);
    for (auto& th : pool) th.join();
  }
  return chain_list_regions(data, layout, regions);
}

std::pair<std::size_t, std::size_t> find_item_close_with(std::string_view data, std::size_t from,
                                                         bool avx2) {
  const ItemClose found = find_item_close_counting(data, from, avx2 && has_avx2());
  return {found.at, found.newlines};
}

std::optional<SplitList> split_kubectl_list(
    std::string_view data, std::size_t min_bytes, unsigned threads,
    const std::function<void(std::size_t, std::size_t)>& consumed) {
  const auto layout = find_kubectl_list(data, min_bytes);
  if (!layout) return std::nullopt;
  std::vector<std::vector<ListItem>> items(std::clamp(threads, 1u, 64u));
  const auto base = walk_kubectl_list(
      data, *layout, threads,
      [&](std::size_t region, const ListItem& item) { items[region].push_back(item); }, consumed);
  if (!base) return std::nullopt;
  SplitList out;
  out.kind = layout->kind;
  for (std::size_t t = 0; t < items.size(); ++t) {
    for (ListItem item : items[t]) {
      item.line += static_cast<std::uint32_t>((*base)[t]);
      out.items.push_back(item);
    }
  }
  return out;
}

}  // namespace ktriage
