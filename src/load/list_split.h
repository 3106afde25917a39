// Finds the items of a `kubectl get -o json` List by its fixed layout, so a multi-gigabyte List can
// be parsed item by item on several threads, with bounded parser memory and no 4 GiB document
// limit. This is not a JSON parser: it only proposes ranges, and each range is then parsed by
// simdjson as a document of its own; anything unexpected makes the caller fall back to parsing
// the whole file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace ktriage {

/// One item of the List: its bytes (from `{` to the matching `}`) and where it starts.
struct ListItem {
  std::size_t offset;  ///< byte offset of `{` in the file
  std::size_t length;
  std::uint32_t line;  ///< 1-based line of the `{`; its column is always 9
  /// The file ends inside this item (only when ListLayout::cut_off_allowed): the bytes run to the
  /// end of the data and are not a whole item; nothing follows.
  bool cut_off = false;
};

/// The items and the List's own kind ("PodList", "List", ... or "" when absent).
struct SplitList {
  std::vector<ListItem> items;
  std::string_view kind;
};

/// Where a kubectl-laid-out List's items begin, and the List's kind ("PodList", "List", ... or ""
/// when absent).
struct ListLayout {
  std::size_t first_open = 0;  ///< offset of the '\n' ending the `"items": [` line
  std::string_view kind;
  /// Accept a List whose file ends before its `]` (a copy or download cut short, the usual damage
  /// to kubectl output): where the walk cannot go on and no line of four spaces and `]` follows,
  /// the rest of the file is visited as one ListItem with cut_off set and the walk ends there.
  /// Off by default: the loader sets it for Lists it reads item by item because they are large,
  /// and for any List after the whole file failed to parse.
  bool cut_off_allowed = false;
};

/// Checks that `data` starts as kubectl and client-go's json printer write a List: 4-space
/// indentation, top-level `"items": [` with each item opening on a line of exactly eight spaces
/// and `{`, and closing on a line of eight spaces and `}`. A raw newline cannot occur inside a
/// JSON string, so such lines are structural. nullopt for any other layout (compact JSON,
/// 2-space indentation, a single object, an empty List), and for data smaller than `min_bytes`.
std::optional<ListLayout> find_kubectl_list(std::string_view data, std::size_t min_bytes);

/// What walking one region of a List found. Regions of one file are walked independently (one
/// per thread) and then chained by chain_list_regions().
struct ListRegionWalk {
  static constexpr std::size_t npos = std::string_view::npos;
  std::size_t begin = npos;  ///< the '\n' opening the region's first item; npos: none opens in it
  std::size_t end = npos;    ///< where the next item opens, or data.size() after the last item
  std::size_t newlines = 0;  ///< '\n' in [begin, end)
  bool reached_end = false;  ///< its last item ends the array ("\n    ]" follows)
  bool layout_ok = true;
};

/// Visits, in order, the items of the List that open in [from, to) (an item may end past `to`).
/// Each ListItem's `line` is counted from the region's begin (its first item opens on line 2 of
/// the region); add chain_list_regions()'s base for the file's line. The bytes of each item are
/// searched, counted and visited together, so the visitor parses them while they are in cache
/// and a large file is read once. `consumed(from, to)`, when given, is called after the visitor
/// for ranges the walk has finished with, every 16 MiB or so, and at the end for the rest of
/// the region: a mapped file's owner releases those pages. It is first called with an empty
/// range at the walk's start, so the owner can map the pages ahead. A layout break stops the walk
/// with layout_ok false; items visited before it must then be discarded.
ListRegionWalk walk_list_region(std::string_view data, const ListLayout& layout, std::size_t from,
                                std::size_t to, const std::function<void(const ListItem&)>& visit,
                                const std::function<void(std::size_t, std::size_t)>& consumed = {});

/// Checks that regions walked over consecutive ranges from layout.first_open to the end of
/// `data` join up (each begins where the one before ended, the last ends the array) and returns
/// for each the number of '\n' in the file before its begin (0 for empty regions), or nullopt
/// when they do not join: then the file is not laid out as assumed and is parsed whole.
std::optional<std::vector<std::size_t>> chain_list_regions(
    std::string_view data, const ListLayout& layout, const std::vector<ListRegionWalk>& regions);

/// Walks the whole List on `threads` threads (clamped to 1..64), one region of equal bytes each:
/// `visit(region, item)` is called on that region's thread, items of a region in order, lines
/// counted from the region's start; `consumed` as for walk_list_region(). Returns the line base
/// of each region (chain_list_regions()), or nullopt when the regions do not join up: then
/// everything visited must be discarded.
std::optional<std::vector<std::size_t>> walk_kubectl_list(
    std::string_view data, const ListLayout& layout, unsigned threads,
    const std::function<void(std::size_t, const ListItem&)>& visit,
    const std::function<void(std::size_t, std::size_t)>& consumed = {});

/// The first item-closing line ("\n        }") starting at or after `from` (npos when none) and
/// the number of '\n' in [from, it) (to the end when none), by the one-pass AVX2 search when
/// `avx2` is true and the CPU has AVX2, else by the two-pass SSE2 one. The walk uses the first
/// it can; both are exposed so tests can check that they agree.
std::pair<std::size_t, std::size_t> find_item_close_with(std::string_view data, std::size_t from,
                                                         bool avx2);

/// Splits `data` when it is laid out as find_kubectl_list() accepts; the items with their file
/// lines. Walks on `threads` threads; `consumed` as for walk_list_region(). nullopt for another
/// layout and for Lists smaller than `min_bytes`.
std::optional<SplitList> split_kubectl_list(
    std::string_view data, std::size_t min_bytes, unsigned threads = 1,
    const std::function<void(std::size_t, std::size_t)>& consumed = {});

}  // namespace ktriage
