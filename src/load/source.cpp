#include "load/source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "core/ascii.h"
#include "load/chunked_reads.h"
#include "load/cloud_files.h"
#include "load/document.h"
#include "load/kind_hint.h"
#include "load/line_index.h"
#include "load/list_reads.h"
#include "load/list_split.h"
#include "load/log_layout.h"
#include "load/merge_inputs.h"
#include "load/objects.h"
#include "load/source_plan.h"

namespace ktriage {
// `fd`: when `mapped`, the open file `data` maps (large Lists are read from it), else -1.
void load_buffer_impl(std::string_view path, std::string_view data, Inputs& out, bool padded,
                      bool mapped, std::size_t parallel_list_bytes = kParallelListBytes,
                      int fd = -1);

namespace {

namespace fs = std::filesystem;

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

void add_issue(Inputs& out, std::string_view file, SourcePos pos, std::string message,
               bool skipped) {
  InputIssue issue;
  issue.where.file = std::string(file);
  issue.where.pos = pos;
  issue.message = std::move(message);
  issue.skipped_file = skipped;
  out.issues.push_back(std::move(issue));
}

// Archive entries are "bundle.tgz:inner/path"; layout rules look at the inner path.
std::string_view inner_path(std::string_view path) {
  std::string_view inner = path;
  if (auto colon = path.find(".tgz:"); colon != std::string_view::npos)
    inner = path.substr(colon + 5);
  if (auto colon = path.find(".tar.gz:"); colon != std::string_view::npos)
    inner = path.substr(colon + 8);
  if (auto colon = path.find(".tar:"); colon != std::string_view::npos)
    inner = path.substr(colon + 5);
  return inner;
}

// The call a file answers by its name, for `inner` (an archive-inner path):
// <product>-<Action>[-<id>].json in a cloud/ folder, or of a known product anywhere
// (docs/cloud.md). nullopt for any other file.
std::optional<CloudCall> cloud_call_by_name(std::string_view inner) {
  auto call = cloud_call_from_name(inner.substr(inner.find_last_of('/') + 1));
  if (call && (in_cloud_folder(inner) || known_cloud_product(call->product))) return call;
  return std::nullopt;
}

void skip(Inputs& out, std::string_view path, std::string reason) {
  // A cloud answer that could not be read at all (empty, unreadable) is not absent: verdicts
  // that need it name this file and reason (cloud/view.h).
  if (auto call = cloud_call_by_name(inner_path(path))) {
    out.unreadable_cloud.push_back(UnreadableCloudAnswer{std::string(path),
                                                         std::move(call->product),
                                                         std::move(call->action),
                                                         std::move(call->id),
                                                         {},
                                                         reason,
                                                         {}});
  }
  add_issue(out, path, {}, std::move(reason), true);
}

// skip() for a file that could not be read at all, not one passed over by choice.
void skip_unreadable(Inputs& out, std::string_view path, std::string reason) {
  skip(out, path, std::move(reason));
  out.issues.back().unreadable = true;
}

// A buffer with simdjson's padding after the data, as read_json requires.
class PaddedBuffer {
 public:
  explicit PaddedBuffer(std::size_t size)
      : data_(new char[size + simdjson::SIMDJSON_PADDING]), size_(size) {
    std::memset(data_.get() + size, 0, simdjson::SIMDJSON_PADDING);
  }
  char* data() { return data_.get(); }
  std::string_view view() const { return {data_.get(), size_}; }
  void shrink(std::size_t size) {
    size_ = std::min(size, size_);
    std::memset(data_.get() + size_, 0, simdjson::SIMDJSON_PADDING);
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

// A read-only file mapping followed by at least SIMDJSON_PADDING readable zero bytes: the file is
// mapped over an anonymous region one padding larger, so the bytes past its end read as zeros
// instead of faulting. Saves the copy a read() makes and lets the kernel drop pages under load.
class MappedFile {
 public:
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept : base_(o.base_), span_(o.span_), size_(o.size_) {
    o.base_ = nullptr;
  }
  ~MappedFile() {
    if (base_ != nullptr) ::munmap(base_, span_);
  }
  /// nullopt with errno set when the file cannot be mapped (then read it instead).
  static std::optional<MappedFile> open(const char* path, std::size_t size) {
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t span = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* region = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return std::nullopt;
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      ::munmap(region, span);
      return std::nullopt;
    }
    void* mapped = ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) {
      ::munmap(region, span);
      return std::nullopt;
    }
    ::madvise(region, size, MADV_SEQUENTIAL);
    return MappedFile(region, span, size);
  }
  std::string_view view() const { return {static_cast<const char*>(base_), size_}; }

 private:
  MappedFile(void* base, std::size_t span, std::size_t size)
      : base_(base), span_(span), size_(size) {}
  void* base_;
  std::size_t span_;
  std::size_t size_;
};

bool looks_binary(std::string_view data) {
  const std::size_t n = std::min<std::size_t>(data.size(), 8192);
  return std::memchr(data.data(), '\0', n) != nullptr;
}

// Finds the server version in `kubectl version -o json` output, a support bundle's
// cluster_version.json ({"info": {...}}) or a bare version.Info.
// Parses JSON from `data`, copying it into a padded buffer unless the caller promised padding.
std::vector<ParseError> read_json_any(std::string_view data, bool padded, Arena& arena,
                                      const DocumentSink& sink) {
  if (padded) return read_json(data, arena, sink);
  PaddedBuffer copy(data.size());
  if (!data.empty()) std::memcpy(copy.data(), data.data(), data.size());
  return read_json(copy.view(), arena, sink);
}

bool read_version(std::string_view data, bool padded, Inputs& out) {
  Arena scratch;
  bool found = false;
  auto errors =
      read_json_any(data, padded, scratch, [&](const ParsedDocument& doc, const Locator&) {
        const Value& root = doc.root;
        for (const Value* v : {&root["serverVersion"], &root["info"], &root}) {
          std::string_view git = (*v)["gitVersion"].str();
          if (!git.empty()) {
            out.server_version = std::string(git);
            found = true;
            return;
          }
        }
      });
  return found && errors.empty();
}

// ktriage-collect.json, written by `ktriage collect` and live runs: what the collection could
// not read (403s, failed lists) becomes input problems named after the server.
bool read_collect_info(std::string_view data, bool padded, Inputs& out) {
  Arena scratch;
  bool found = false;
  auto errors =
      read_json_any(data, padded, scratch, [&](const ParsedDocument& doc, const Locator&) {
        const Value& root = doc.root;
        if (root["collector"].str() != "ktriage") return;
        found = true;
        for (const Value& p : root["problems"].items()) {
          if (p.is_string()) add_issue(out, root["server"].str(), {}, std::string(p.str()), false);
        }
      });
  return found && errors.empty();
}

// Positions inside one List item, shifted to the file: line 1 of the item is `base.line`.
class ShiftedLocator final : public Locator {
 public:
  ShiftedLocator(const Locator& inner, SourcePos base) : inner_(inner), base_(base) {}
  SourcePos locate(std::span<const PathStep> path) const override {
    return shift(inner_.locate(path), base_);
  }
  static SourcePos shift(SourcePos p, SourcePos base) {
    if (p.line == 0) return base;
    return p.line == 1 ? SourcePos{base.line, base.column + p.column - 1}
                       : SourcePos{base.line + p.line - 1, p.column};
  }

 private:
  const Locator& inner_;
  SourcePos base_;
};

// Drops this process's mapping of the whole pages inside [from, to) of a mapped file; the page
// cache stays, so touching them again is a cheap fault. Without it a 3 GB List would be wholly
// resident while it is scanned and parsed.
void release_pages(std::string_view data, std::size_t from, std::size_t to) {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  // Whole pages by address: the view may start past its mapping's first byte (a UTF-8 BOM).
  const auto base = reinterpret_cast<std::uintptr_t>(data.data());
  const std::uintptr_t first = (base + from + page - 1) / page * page;
  const std::uintptr_t last = (base + to) / page * page;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

// How far ahead of a List walker its file's pages are mapped in, in one call each time.
constexpr std::size_t kPrefaultBytes = 32u << 20;

// Maps the pages of [from, min(from + kPrefaultBytes, limit)) of a mapped file in one system
// call (Linux 5.14+; advice, ignored where unknown). One fault per 64 KiB of a 3 GB List cost
// about a second of system time on a VM; pages already mapped cost only a page-table walk.
void prefault_pages(std::string_view data, std::size_t from, std::size_t limit) {
#ifdef MADV_POPULATE_READ
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  limit = std::min(limit, data.size());
  if (from >= limit) return;
  const auto base = reinterpret_cast<std::uintptr_t>(data.data());
  const std::uintptr_t first = (base + from) / page * page;
  const std::uintptr_t last = base + std::min(limit, from + kPrefaultBytes);
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_READ);
#else
  (void)data;
  (void)from;
  (void)limit;
#endif
}

// Adds `lines` to every position in `part` (one region of one List file): its items are
// numbered from the region's start until the regions are chained.
void shift_lines(Inputs& part, std::size_t lines) {
  auto shift = [lines](SourcePos& p) {
    if (p.line != 0) p.line += static_cast<std::uint32_t>(lines);
  };
  for (RawObject& o : part.objects) shift(o.pos);
  for (InputIssue& i : part.issues) shift(i.where.pos);
  for (HelmRelease& h : part.helm_releases) shift(h.pos);
  for (DuplicateKey& d : part.duplicate_keys) {
    shift(d.first);
    shift(d.again);
  }
}

// Regions of a large List per worker thread, when it is read by pread: enough that the workers
// finish within a region's time of each other (a 2.9 GB pods.json on two workers: sixteen
// regions of about 180 MB), few enough that the regions' parts cost nothing to merge.
constexpr unsigned kListRegionsPerWorker = 8;

// Parses the items of a kubectl-laid-out List on several threads, each walking its own region of
// the file with its own simdjson parser and arena: an item is found, counted and parsed while
// it is in cache, so the file is read once. Results are merged in item order, so output does
// not depend on threads. `release_consumed` drops the pages of parsed items from memory (only
// for mapped files). false when the regions do not join up (the layout was not kubectl's after
// all): nothing is added and the caller parses the file whole.
bool load_list_items(std::string_view path, std::string_view data, const ListLayout& layout,
                     std::uint32_t file, unsigned threads, bool release_consumed, int fd,
                     Inputs& out) {
  // The kind of items without one, as add_objects() gives it when the List is read whole: its
  // typed List's ("PodList"), or, when the List says no kind at all, the file name's (pods.json).
  std::string_view hint;
  if (layout.kind.size() > 4 && layout.kind.ends_with("List")) {
    hint = layout.kind.substr(0, layout.kind.size() - 4);
  } else if (layout.kind.empty()) {
    hint = kind_hint(path);
  }
  // A worker's parser and arena serve every region it takes; a region's objects are kept apart,
  // so that they are merged in item order, whatever worker parsed them.
  struct Worker {
    std::unique_ptr<Arena> arena = std::make_unique<Arena>();
    JsonReader reader;  // one parser's buffers for all of this worker's items
  };
  const bool by_reads = fd >= 0;
  const unsigned workers = std::clamp(threads, 1u, 64u);
  // Reading by pread, workers take regions as they finish (list_reads.h); through the mapping,
  // one region each, as each region's pages are mapped ahead for its own walker.
  const unsigned regions = by_reads && workers > 1
                               ? std::min(workers * kListRegionsPerWorker, kMaxListRegions)
                               : workers;
  std::vector<Worker> worker_state(workers);
  std::vector<Inputs> region_inputs(regions);
  std::function<void(std::size_t, std::size_t)> release;
  if (release_consumed && !by_reads) {
    // Ahead of every release (and at each walk's start), up to the region's end: its walker
    // finds the pages mapped, and a region's last release does not map in the next one's.
    std::vector<std::size_t> region_ends;
    for (std::size_t t = 1; t <= regions; ++t) {
      region_ends.push_back(layout.first_open + (data.size() - layout.first_open) * t / regions);
    }
    release = [data, region_ends](std::size_t from, std::size_t to) {
      release_pages(data, from, to);
      const auto end = std::upper_bound(region_ends.begin(), region_ends.end(), from);
      prefault_pages(data, to, end == region_ends.end() ? data.size() : *end);
    };
  }
  // `bytes`: the item's, followed by at least kJsonPadding readable bytes.
  auto parse_item = [&](std::size_t worker, std::size_t region, const ListItem& item,
                        std::string_view bytes) {
    Worker& w = worker_state[worker];
    Inputs& partial = region_inputs[region];
    if (item.cut_off) {
      const bool inside = !bytes.empty() && bytes.front() == '{';
      partial.issues.push_back(InputIssue{
          {std::string(path), SourcePos{item.line, inside ? 9u : 10u}},
          inside ? "the file ends inside this List item, before the List's closing ]: it was "
                   "cut off, so this item was skipped (the items before it were read)"
                 : "the file ends after this List item, before the List's closing ]: it was "
                   "cut off (the items up to here were read)",
          false});
      return;
    }
    const SourcePos pos{item.line, 9};
    auto errors =
        w.reader.read(bytes, *w.arena, [&](const ParsedDocument& doc, const Locator& locator) {
          ParsedDocument shifted = doc;
          shifted.root_pos = pos;
          ShiftedLocator loc(locator, pos);
          add_objects(shifted, loc, file, path, hint, *w.arena, partial);
        });
    for (const ParseError& e : errors) {
      partial.issues.push_back(InputIssue{{std::string(path), ShiftedLocator::shift(e.pos, pos)},
                                          e.message + " (this List item was skipped)",
                                          false});
    }
  };
  // A file open as `fd` is read into small buffers, not touched through its mapping (see
  // list_reads.h); otherwise the rest of the data (and its padding) follows each item.
  const auto base =
      by_reads ? walk_kubectl_list_by_reads(fd, data, layout, regions, workers, parse_item)
               : walk_kubectl_list(
                     data, layout, regions,
                     [&](std::size_t region, const ListItem& item) {
                       parse_item(region, region, item, data.substr(item.offset, item.length));
                     },
                     release);
  if (!base) return false;
  for (std::size_t r = 0; r < regions; ++r) {
    shift_lines(region_inputs[r], (*base)[r]);
    append_inputs_of_same_files(out, std::move(region_inputs[r]));
  }
  for (Worker& w : worker_state) out.arenas.push_back(std::move(w.arena));
  return true;
}

// Threads for one large List: each walks and parses its own region.
unsigned list_threads() {
  return static_cast<unsigned>(std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8));
}

// `in_cloud`: the file is in a cloud/ folder, so "not an object" means an unknown cloud answer.
// `fd`: the open file `data` maps, or -1 (see load_list_items).
void load_objects(std::string_view path, std::string_view data, bool padded, Inputs& out,
                  bool release_consumed, std::size_t parallel_list_bytes, bool in_cloud = false,
                  int fd = -1) {
  std::string l = ascii_lower(path);
  const bool json =
      ends_with(l, ".json") || (!ends_with(l, ".yaml") && !ends_with(l, ".yml") &&
                                data.find_first_not_of(" \t\r\n") != std::string_view::npos &&
                                (data[data.find_first_not_of(" \t\r\n")] == '{' ||
                                 data[data.find_first_not_of(" \t\r\n")] == '['));
  auto arena = std::make_unique<Arena>();
  const std::uint32_t file = out.add_file(std::string(path));
  if (out.keep_sources) {
    out.sources.resize(out.files.size());
    out.sources[file] = std::string(data);
  }
  std::size_t objects = 0;
  bool object_like = false;
  bool cloud = false;
  auto sink = [&](const ParsedDocument& doc, const Locator& locator) {
    // A renamed Alibaba Cloud CLI answer (never a document that could be a Kubernetes object).
    if (json) {
      if (auto call = cloud_call_from_content(doc.root)) {
        add_cloud_document(path, doc.root, std::move(*call), out, &locator);
        cloud = true;
        return;
      }
    }
    // Anything else in cloud/ that is no Kubernetes object is an unknown cloud answer.
    if (in_cloud && !could_be_kubernetes(doc.root)) return;
    DocumentYield y = add_objects(doc, locator, file, path, kind_hint(path), *arena, out);
    objects += y.objects;
    object_like = object_like || y.looked_like_objects;
  };
  std::vector<ParseError> errors;
  const std::size_t objects_before = out.objects.size();
  if (json && padded) {
    if (auto layout = find_kubectl_list(data, parallel_list_bytes)) {
      // A large List cut off is read in this one walk, not walked, parsed whole and walked again.
      layout->cut_off_allowed = true;
      if (load_list_items(path, data, *layout, file, list_threads(), release_consumed, fd, out)) {
        if (out.objects.size() > objects_before) ++out.files_read;
        return;
      }
    }
  }
  if (json) {
    errors = read_json_any(data, padded, *arena, sink);
    // One JSON document that does not parse yields nothing. When it is laid out as kubectl
    // writes a List, its items are read one by one instead: a syntax error, or a file cut off
    // mid-List, then costs one item, not the whole List.
    // A List of parallel_list_bytes or more was walked above with the same layout already.
    if (!errors.empty() && objects == 0 && padded && data.size() < parallel_list_bytes) {
      if (auto layout = find_kubectl_list(data, 0)) {
        layout->cut_off_allowed = true;
        const std::size_t issues_before = out.issues.size();
        if (load_list_items(path, data, *layout, file, 1, release_consumed, fd, out)) {
          if (out.objects.size() > objects_before) ++out.files_read;
          // Every item parsed: the damage is outside them (the List's header or its end), and
          // only the whole-file parse saw it.
          if (out.issues.size() == issues_before) {
            for (const ParseError& e : errors) {
              out.issues.push_back(InputIssue{
                  {std::string(path), e.pos}, e.message + " (the List's items were read)", false});
            }
          }
          return;
        }
      }
    }
  } else {
    errors = read_yaml(path, data, *arena, sink);
  }
  for (const ParseError& e : errors) {
    out.issues.push_back(
        InputIssue{{std::string(path), e.pos},
                   objects > 0 ? e.message + " (objects before it were read)" : e.message,
                   false});
  }
  if (errors.empty() && objects == 0 && !object_like && !cloud) {
    // Read and understood, just not anything ktriage uses: not an unreadable cloud answer.
    add_issue(out, path, {},
              in_cloud ? "not an Alibaba Cloud CLI answer ktriage knows: name it "
                         "<product>-<Action>[-<id>].json (docs/cloud.md)"
                       : "no Kubernetes objects in it",
              true);
  }
  if (objects > 0) ++out.files_read;
  out.arenas.push_back(std::move(arena));
}

// `data` is standard input, read on the calling thread before any worker starts (a second "-"
// finds it at its end, as in a sequential read).
void load_stdin(std::string_view data, Inputs& out) {
  out.bytes_read += data.size();
  if (data.find_first_not_of(" \t\r\n") == std::string::npos) {
    add_issue(out, "<stdin>", {}, "standard input is empty", true);
    return;
  }
  // Padded as files are (read_stdin), so a large List on stdin is read item by item too.
  load_objects("<stdin>", data, /*padded=*/true, out, false, kParallelListBytes);
}

// Reads a .tar.gz / .tgz / .tar with libarchive, from the file `path`, or from `bytes` when
// given (standard input); entries are loaded as "path:entry".
void load_archive(const std::string& path, Inputs& out, const LoadProgress& progress,
                  const std::string_view* bytes = nullptr) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  const int opened = bytes != nullptr
                         ? archive_read_open_memory(a.get(), bytes->data(), bytes->size())
                         : archive_read_open_filename(a.get(), path.c_str(), 1 << 16);
  if (opened != ARCHIVE_OK) {
    skip_unreadable(out, path,
                    fmt::format("cannot open archive: {}", archive_error_string(a.get())));
    return;
  }
  archive_entry* entry = nullptr;
  std::size_t entries = 0;
  while (true) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      out.issues.push_back(InputIssue{
          {path, {}},
          fmt::format("archive damaged after {} entries: {}; the entries before were read", entries,
                      archive_error_string(a.get())),
          entries == 0,
          /*unreadable=*/entries == 0});
      break;
    }
    ++entries;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;  // folders, links (all-logs/)
    const la_int64_t size = archive_entry_size(entry);
    std::string name =
        archive_entry_pathname(entry) != nullptr ? archive_entry_pathname(entry) : "";
    std::string display = path + ":" + name;
    if (size < 0 || size > (la_int64_t{8} << 30)) {
      skip_unreadable(out, display, "entry too large or of unknown size");
      continue;
    }
    PaddedBuffer buf(static_cast<std::size_t>(size));
    la_ssize_t got = 0;
    std::size_t total = 0;
    while (total < static_cast<std::size_t>(size) &&
           (got = archive_read_data(a.get(), buf.data() + total,
                                    static_cast<std::size_t>(size) - total)) > 0) {
      total += static_cast<std::size_t>(got);
    }
    if (got < 0) {
      out.issues.push_back(
          InputIssue{{path, {}},
                     fmt::format("archive damaged in entry {}: {}; the {} entries before were read",
                                 name, archive_error_string(a.get()), entries - 1),
                     false});
      break;
    }
    buf.shrink(total);
    out.bytes_read += total;
    load_buffer(display, buf.view(), out, /*padded=*/true);
    if (progress) progress(out.files_read, out.bytes_read);
  }
}

void cannot_read(Inputs& out, const std::string& display, int error) {
  // Not strerror: it may return a buffer shared by all threads.
  skip_unreadable(out, display,
                  "cannot read: " + std::error_code(error, std::generic_category()).message());
}

// Reads from `fd` into `into` until `size` bytes, the end, or an error (retrying EINTR): the
// bytes read; `error` gets errno when a read failed.
std::size_t read_up_to(int fd, char* into, std::size_t size, int& error) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, into + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

void load_file(const fs::path& p, const std::string& display, Inputs& out) {
  // open + fstat + read: no path lookup for a separate stat, and no stdio buffer to allocate
  // (both showed in profiles of linting 10,000 small files).
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    cannot_read(out, display, errno);
    if (fd >= 0) ::close(fd);
    return;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  // Large files are mapped (no copy); small ones are read, which is cheaper than a mapping.
  if (size >= (1u << 20)) {
    if (auto mapped = MappedFile::open(p.c_str(), size)) {
      out.bytes_read += size;
      load_buffer_impl(display, mapped->view(), out, /*padded=*/true, /*mapped=*/true,
                       kParallelListBytes, fd);
      ::close(fd);
      return;
    }
  }
  PaddedBuffer buf(size);
  int error = 0;
  const std::size_t got = read_up_to(fd, buf.data(), size, error);
  ::close(fd);
  if (error != 0) {
    cannot_read(out, display, error);
    return;
  }
  buf.shrink(got);
  out.bytes_read += got;
  load_buffer(display, buf.view(), out, /*padded=*/true);
}

// All of standard input, padded for simdjson. Read with read(2) in large blocks (an
// istreambuf_iterator goes a character at a time, 30 MB/s, and `kubectl get pods -A -o json |
// ktriage diagnose -` pipes gigabytes), straight into place when it is a file (`< pods.json`),
// else in blocks copied together once: fresh memory costs a page fault per page, so no
// doubling string that is copied again on each growth. A read error ends it: what was read is
// used.
PaddedBuffer read_stdin() {
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
    const off_t at = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
    const auto size = static_cast<std::size_t>(st.st_size - std::clamp<off_t>(at, 0, st.st_size));
    PaddedBuffer buf(size);
    int error = 0;
    buf.shrink(read_up_to(STDIN_FILENO, buf.data(), size, error));
    return buf;
  }
  constexpr std::size_t kBlock = 4u << 20;
  std::vector<std::pair<std::unique_ptr<char[]>, std::size_t>> blocks;
  std::size_t total = 0;
  for (bool more = true; more;) {
    auto block = std::make_unique_for_overwrite<char[]>(kBlock);
    int error = 0;
    const std::size_t got = read_up_to(STDIN_FILENO, block.get(), kBlock, error);
    more = got == kBlock;  // a short block is the end (or an error: what was read is used)
    total += got;
    blocks.emplace_back(std::move(block), got);
  }
  PaddedBuffer buf(total);
  std::size_t at = 0;
  for (auto& [block, size] : blocks) {
    std::memcpy(buf.data() + at, block.get(), size);
    at += size;
    block.reset();  // freed as copied: the peak is the input once, not twice
  }
  return buf;
}

// A compressed stream (gzip, bzip2, xz, zstd) or a tar archive, by its magic bytes: never JSON
// or YAML text, which is what standard input otherwise holds.
bool looks_like_archive(std::string_view data) {
  auto starts = [&](std::string_view magic) { return data.starts_with(magic); };
  using namespace std::string_view_literals;
  return starts("\x1f\x8b"sv) || starts("BZh"sv) ||
         starts(
             "\xfd"
             "7zXZ\0"sv) ||
         starts("\x28\xb5\x2f\xfd"sv) || (data.size() > 262 && data.substr(257, 5) == "ustar"sv);
}

// Carries out one step of the plan into `out`.
void read_step(const ReadStep& step, std::string_view stdin_text, Inputs& out,
               const LoadProgress& progress) {
  switch (step.kind) {
    case ReadStep::Kind::kIssue:
      out.issues.push_back(step.issue);
      return;
    case ReadStep::Kind::kStdin:
      // `cat bundle.tar.gz | ktriage diagnose -` works as the file would.
      if (looks_like_archive(stdin_text)) {
        load_archive("<stdin>", out, progress, &stdin_text);
        return;
      }
      load_stdin(stdin_text, out);
      return;
    case ReadStep::Kind::kArchive:
      load_archive(step.path.string(), out, progress);
      break;
    case ReadStep::Kind::kFile:
      load_file(step.path, step.display, out);
      break;
  }
  if (progress) progress(out.files_read, out.bytes_read);
}

unsigned load_threads(unsigned asked, std::size_t files) {
  if (files < kMinFilesForThreads) return 1;
  if (asked > 0) return asked;
  return std::clamp(std::thread::hardware_concurrency(), 1u, kDefaultMaxLoadThreads);
}

}  // namespace

void load_buffer(std::string_view path, std::string_view data, Inputs& out, bool padded,
                 std::size_t parallel_list_bytes) {
  load_buffer_impl(path, data, out, padded, false, parallel_list_bytes);
}

void load_buffer_impl(std::string_view path, std::string_view data, Inputs& out, bool padded,
                      bool mapped, std::size_t parallel_list_bytes, int fd) {
  const std::string_view inner = inner_path(path);
  std::string l = ascii_lower(inner);
  std::string_view base = inner.substr(
      inner.find_last_of('/') == std::string_view::npos ? 0 : inner.find_last_of('/') + 1);

  if (auto log = classify_log_path(inner)) {
    add_log(*log, path, data, out);
    return;
  }
  // A UTF-8 byte order mark (files saved by Windows editors or PowerShell): JSON parsers reject
  // it, and it carries no meaning; the padding after `data` is unchanged.
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  if (data.empty()) {
    skip(out, path, "empty file");
    return;
  }
  if (base == "version.json" || base == "cluster_version.json") {
    if (read_version(data, padded, out)) {
      ++out.files_read;
    } else {
      skip(out, path, "not a `kubectl version -o json` document");
    }
    return;
  }
  if (base == "ktriage-collect.json") {
    if (read_collect_info(data, padded, out)) {
      ++out.files_read;
    } else {
      skip(out, path, "not a ktriage collection record");
    }
    return;
  }
  const bool in_cloud = in_cloud_folder(inner);
  // cloud/<product>-<Action>[-<id>].json: the Alibaba Cloud CLI's answers (docs/cloud.md).
  if (auto call = cloud_call_by_name(inner)) {
    load_cloud_file(path, data, std::move(*call), out);
    return;
  }
  if (ends_with(l, ".json") || ends_with(l, ".yaml") || ends_with(l, ".yml")) {
    if (base == "version.yaml" && data.find("kind: SupportBundle") != std::string_view::npos) {
      return;  // the support bundle's own version stamp, not the cluster's
    }
    load_objects(path, data, padded, out, mapped, parallel_list_bytes, in_cloud, fd);
    return;
  }
  if (looks_binary(data)) {
    skip(out, path, "binary file, not Kubernetes objects or logs");
  } else if (data.find("Name:") != std::string_view::npos &&
             data.find("Events:") != std::string_view::npos) {
    skip(out, path, "kubectl describe text (read the objects as -o yaml instead)");
  } else {
    skip(out, path, "not a Kubernetes object file (.yaml, .yml, .json) or a known log layout");
  }
}

Inputs load_sources(std::span<const std::string> paths, const LoadOptions& options) {
  const std::vector<ReadStep> steps = plan_reads(paths);
  const auto is_stdin = [](const ReadStep& s) { return s.kind == ReadStep::Kind::kStdin; };
  const auto first_stdin =
      static_cast<std::size_t>(std::find_if(steps.begin(), steps.end(), is_stdin) - steps.begin());
  // Read here, not by a worker: only the first "-" gets the text (a later one would find
  // standard input at its end), whichever thread reads that step.
  std::optional<PaddedBuffer> stdin_buffer;
  if (first_stdin < steps.size()) stdin_buffer = read_stdin();
  const std::string_view stdin_text = stdin_buffer ? stdin_buffer->view() : std::string_view();
  const std::string_view no_text;
  const auto files =
      static_cast<std::size_t>(std::count_if(steps.begin(), steps.end(), [](const ReadStep& s) {
        return s.kind != ReadStep::Kind::kIssue;
      }));
  const unsigned threads = load_threads(options.threads, files);
  if (threads <= 1) {
    Inputs out;
    out.keep_sources = options.keep_sources;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      read_step(steps[i], i == first_stdin ? stdin_text : no_text, out, options.progress);
    }
    return out;
  }
  return read_in_chunks(
      steps.size(), threads, options.keep_sources,
      [&](std::size_t i, Inputs& part, const std::function<void(const Inputs&)>& tick) {
        const LoadProgress entry_tick = [&](std::size_t, std::size_t) { tick(part); };
        read_step(steps[i], i == first_stdin ? stdin_text : no_text, part, entry_tick);
      },
      options.progress);
}

Inputs load_sources(std::span<const std::string> paths, const LoadProgress& progress,
                    bool keep_sources) {
  LoadOptions options;
  options.progress = progress;
  options.keep_sources = keep_sources;
  return load_sources(paths, options);
}

}  // namespace ktriage
