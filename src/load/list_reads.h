// Walks a large kubectl List file through small read buffers instead of its memory mapping. On a
// VM each page of a file mapping costs a fault (or a shadow page-table fill) the first time it is
// touched: scanning a 2.9 GB pods.json through its mapping ran at about 2 GB/s on the bench
// machine, reading it with pread(2) into one reused 4 MiB buffer at about 7 GB/s. The items found
// are the same as walk_kubectl_list()'s, with the same lines, so the two are interchangeable.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "load/list_split.h"

namespace ktriage {

/// A visit of one List item on worker thread `worker`: the item with its offset in the file and
/// its line counted from its region's start (as walk_kubectl_list() gives them), and its bytes,
/// which are followed by at least kJsonPadding readable bytes (simdjson's padding). The bytes
/// live until the visit returns.
using ItemVisit = std::function<void(std::size_t worker, std::size_t region, const ListItem& item,
                                     std::string_view bytes)>;

/// How much walk_kubectl_list_by_reads() reads at a time: `segment` bytes of the region, plus
/// `margin` bytes so that most items near a segment's end fit. Tests shrink them to cut many
/// items at buffer ends.
struct ListReadSizes {
  std::size_t segment = 4u << 20;
  std::size_t margin = 256u << 10;
};

/// The most regions walk_kubectl_list_by_reads() cuts a List into.
constexpr unsigned kMaxListRegions = 256;

/// walk_kubectl_list(mapping, layout, regions) over the file open as `fd`, read with pread(2)
/// into one buffer per worker (a few MiB, reused from item to item) instead of through
/// `mapping`, the file's mapping, of which it reads only the bytes before the first item (their
/// lines). Same regions, items, lines and result: the line base of each region, or nullopt when
/// they do not join up (the layout is not kubectl's; what was visited must be discarded). A read
/// error also gives nullopt. An item larger than the buffer grows it as far as the item needs.
/// `workers` threads (clamped to 1..regions) take the regions (clamped to 1..kMaxListRegions) in
/// order, the next free worker the next region, so that a worker slowed down (on the bench VM a
/// spawned thread parsed its half of pods.json 1.5x slower than the main thread its own) does not
/// keep the others waiting at the end: with a few regions per worker they finish close together.
std::optional<std::vector<std::size_t>> walk_kubectl_list_by_reads(
    int fd, std::string_view mapping, const ListLayout& layout, unsigned regions, unsigned workers,
    const ItemVisit& visit, ListReadSizes sizes = {});

}  // namespace ktriage
