#include "load/list_reads.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include "load/document.h"

namespace ktriage {
namespace {

// Read before a segment's start: walk_list_region() checks the "\n        }," before an item.
constexpr std::size_t kLookBehindBytes = 64;
// An item is only visited with this much of what follows it in the buffer (",\n        {\n" or
// "\n    ]"), so that the walk never mistakes the buffer's end for the file's.
constexpr std::size_t kTailBytes = 16;
// kOpen is "\n        {\n": an item's '{' is this far after the '\n' that opens its line.
constexpr std::size_t kBraceAfterOpen = 9;

// One thread's read buffer, grown only for an item larger than a segment.
class ReadBuffer {
 public:
  // Reads [from, to) of the file, followed by kJsonPadding zero bytes; false on a read error.
  bool read(int fd, std::size_t from, std::size_t to) {
    const std::size_t n = to - from;
    if (n + kJsonPadding > capacity_) {
      capacity_ = n + kJsonPadding;
      bytes_ = std::make_unique_for_overwrite<char[]>(capacity_);
    }
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd, bytes_.get() + got, n - got, static_cast<off_t>(from + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;  // an error, or the file shrank under us
      got += static_cast<std::size_t>(r);
    }
    std::memset(bytes_.get() + n, 0, kJsonPadding);
    size_ = n;
    return true;
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

// walk_list_region() over [from, to) of the file, one segment read at a time. The result has
// file offsets; item lines count from the region's start, as walk_list_region() counts them.
// A walk of a segment stops visiting at the first item that does not fit in the buffer with its
// tail (or that the buffer's end cuts): the next segment is read from that item's opening line,
// with the newlines before it counted from that item's line. An item at a segment's start that
// does not fit makes the same segment be read again with a margin four times larger.
// Segments: larger ones leave the cache before their items are parsed, smaller ones cost more
// system calls and cut more items at a buffer's end (such an item is read again from its start).
ListRegionWalk walk_region_by_reads(
    int fd, std::size_t file_size, const ListLayout& layout, ListReadSizes sizes, std::size_t from,
    std::size_t to, ReadBuffer& buffer,
    const std::function<void(const ListItem&, std::string_view)>& visit, bool& read_failed) {
  ListRegionWalk total;
  std::size_t lines_before = 0;  // newlines from total.begin to the segment's begin
  std::size_t seg_from = from;
  std::size_t margin = sizes.margin;
  while (seg_from < to) {
    const std::size_t seg_to = std::min(seg_from + sizes.segment, to);
    const std::size_t lo = seg_from > kLookBehindBytes ? seg_from - kLookBehindBytes : 0;
    // kTailBytes at least past the segment: an item's opening line that starts in it is read
    // whole, or the walk would not see it and the next segment starts after it.
    const std::size_t hi = std::min(file_size, seg_to + kTailBytes + margin);
    if (!buffer.read(fd, lo, hi)) {
      read_failed = true;
      return total;
    }
    const std::string_view bytes = buffer.view();
    const bool whole_rest = hi == file_size;  // the buffer's end is the file's end
    ListLayout relative = layout;
    relative.first_open = layout.first_open >= lo ? layout.first_open - lo : 0;
    relative.cut_off_allowed = layout.cut_off_allowed || !whole_rest;
    bool stopped = false;
    std::size_t resume = 0;           // file offset of the '\n' opening the item not visited
    std::size_t resume_newlines = 0;  // newlines from the walk's begin to `resume`
    const ListRegionWalk walk =
        walk_list_region(bytes, relative, seg_from - lo, seg_to - lo, [&](const ListItem& item) {
          if (stopped) return;
          const bool fits = whole_rest || (!item.cut_off &&
                                           item.offset + item.length + kTailBytes <= bytes.size());
          if (!fits) {
            // Both kinds of cut the walk reports at the buffer's end, inside an item (offset at
            // its '{') or after one (offset past its '}'), are found before: an item that ends
            // within kTailBytes of the buffer's end already stops here.
            stopped = true;
            resume = lo + item.offset - kBraceAfterOpen;
            resume_newlines = item.line - 2;  // the item's line counts the '\n' before its '{'
            return;
          }
          ListItem in_file = item;
          in_file.offset += lo;
          in_file.line += static_cast<std::uint32_t>(lines_before);
          visit(in_file, bytes.substr(item.offset, item.length));
        });
    if (!stopped && !walk.layout_ok) {
      total.layout_ok = false;
      return total;
    }
    if (walk.begin == ListRegionWalk::npos) {
      if (stopped) {  // cannot be: a visit implies a begin
        total.layout_ok = false;
        return total;
      }
      seg_from = seg_to;  // no item opens in this segment: look in the next one
      continue;
    }
    if (total.begin == ListRegionWalk::npos) total.begin = lo + walk.begin;
    if (stopped) {
      if (resume <= lo + walk.begin) {  // its first item is larger than the buffer
        margin = std::max<std::size_t>(margin, 1) * 4;
        continue;
      }
      total.newlines += resume_newlines;
      lines_before += resume_newlines;
      seg_from = resume;
      margin = sizes.margin;
      continue;
    }
    total.newlines += walk.newlines;
    lines_before += walk.newlines;
    if (walk.reached_end) {
      total.reached_end = true;
      total.end = file_size;
      return total;
    }
    seg_from = lo + walk.end;  // where the next item opens, at or past seg_to
    margin = sizes.margin;
  }
  if (total.begin != ListRegionWalk::npos) total.end = seg_from;
  return total;
}

}  // namespace

std::optional<std::vector<std::size_t>> walk_kubectl_list_by_reads(
    int fd, std::string_view mapping, const ListLayout& layout, unsigned regions, unsigned workers,
    const ItemVisit& visit, ListReadSizes sizes) {
  regions = std::clamp(regions, 1u, kMaxListRegions);
  workers = std::clamp(workers, 1u, regions);
  const std::size_t size = mapping.size();
  const std::size_t span = size - layout.first_open;
  std::vector<ListRegionWalk> walks(regions);
  std::atomic<unsigned> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](unsigned worker) {
    ReadBuffer buffer;
    for (unsigned r = next.fetch_add(1); r < regions && !failed; r = next.fetch_add(1)) {
      bool read_failed = false;
      walks[r] = walk_region_by_reads(
          fd, size, layout, sizes, layout.first_open + span * r / regions,
          layout.first_open + span * (r + 1) / regions, buffer,
          [&](const ListItem& item, std::string_view bytes) { visit(worker, r, item, bytes); },
          read_failed);
      if (read_failed) failed = true;
    }
  };
  {
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& th : pool) th.join();
  }
  if (failed) return std::nullopt;
  return chain_list_regions(mapping, layout, walks);
}

}  // namespace ktriage
