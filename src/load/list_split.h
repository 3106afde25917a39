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
#include <vector>

namespace ktriage {

/// One item of the List: its bytes (from `{` to the matching `}`) and where it starts.
struct ListItem {
  std::size_t offset;  ///< byte offset of `{` in the file
  std::size_t length;
  std::uint32_t line;  ///< 1-based line of the `{`; its column is always 9
};

/// The items and the List's own kind ("PodList", "List", ... or "" when absent).
struct SplitList {
  std::vector<ListItem> items;
  std::string_view kind;
};

/// Splits `data` when it is laid out as kubectl and client-go's json printer write a List:
/// 4-space indentation, top-level `"items": [` with each item opening on a line of exactly eight
/// spaces and `{`, and closing on a line of eight spaces and `}`. A raw newline cannot occur inside
/// a JSON string, so such lines are structural. Returns nullopt for any other layout (compact
/// JSON, 2-space indentation, a single object), and for Lists smaller than `min_bytes`.
/// Scans on `threads` threads. `consumed(from, to)`, when given, is called (from any of them)
/// for byte ranges of `data` the scan has finished with, every 16 MiB or so: a mapped file's
/// owner releases those pages, so a scan of a 3 GB file does not hold all of it at once.
std::optional<SplitList> split_kubectl_list(
    std::string_view data, std::size_t min_bytes, unsigned threads = 1,
    const std::function<void(std::size_t, std::size_t)>& consumed = {});

}  // namespace ktriage
