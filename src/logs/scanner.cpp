#include "logs/scanner.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "logs/component.h"
#include "logs/line_reader.h"
#include "logs/utf8.h"

namespace ktriage::logs {
namespace {

// Lines read before the format is decided.
constexpr std::size_t kDetectLines = 20;
constexpr std::size_t kDetectBytes = 256u << 10;

// Scans the lines of one file; the source of lines is the caller's.
class FileScan {
 public:
  FileScan(std::span<const Signature> signatures, Matcher& matcher, const ScanOptions& options,
           LogScan& scan, std::uint32_t file, int year)
      : signatures_(signatures),
        matcher_(matcher),
        options_(options),
        scan_(scan),
        file_(file),
        year_(year),
        yields_to_(signatures.size()) {
    for (std::uint32_t i = 0; i < signatures.size(); ++i) {
      for (const std::string& other : signatures[i].yields_to) {
        for (std::uint32_t j = 0; j < signatures.size(); ++j) {
          if (signatures[j].id == other) yields_to_[i].push_back(j);
        }
      }
    }
  }

  FileStats& stats() { return scan_.files[file_]; }

  void start(const std::vector<std::string>& first_lines) {
    std::vector<std::string_view> views(first_lines.begin(), first_lines.end());
    stats().format = detect_format(views, year_);
    stats().component = options_.component.empty() ? guess_component(stats().path, stats().format)
                                                   : options_.component;
  }

  void line(std::string_view raw, std::uint64_t number, bool truncated) {
    FileStats& st = stats();
    ++st.lines;
    if (truncated) {
      ++st.truncated;
      // A cut may split the last character: drop an incomplete tail before the UTF-8 check.
      std::size_t keep = raw.size();
      while (keep > 0 && keep + 4 > raw.size() &&
             (static_cast<unsigned char>(raw[keep - 1]) & 0x80) != 0)
        --keep;
      raw = raw.substr(0, keep);
    }
    switch (classify_text(raw)) {
      case TextKind::kText:
        break;
      case TextKind::kBinary:
        ++st.binary_lines;
        return;
      case TextKind::kInvalidUtf8:
        ++st.invalid_utf8;
        return;
    }
    ParsedLine p;
    if (!parse_line(st.format, raw, year_, scratch_, p)) {
      if (st.format != LineFormat::kPlain) ++st.untimed;
      parse_line(LineFormat::kPlain, raw, year_, scratch_, p);
    }
    if (p.time) {
      last_time_ = p.time;
    } else {
      p.time = last_time_;  // continuation lines (stack traces) belong to the line before
    }
    if (p.partial) {
      if (pending_.empty()) {
        pending_line_ = number;
        pending_time_ = p.time;
        pending_identifier_ = std::string(p.identifier);
      }
      if (pending_.size() < kMaxLineBytes)
        pending_.append(p.message.substr(0, kMaxLineBytes - pending_.size()));
      return;
    }
    if (!pending_.empty()) {
      if (pending_.size() < kMaxLineBytes)
        pending_.append(p.message.substr(0, kMaxLineBytes - pending_.size()));
      joined_.swap(pending_);
      pending_.clear();
      match(joined_, pending_line_, pending_time_, pending_identifier_);
      return;
    }
    match(p.message, number, p.time, p.identifier);
  }

  void finish() {
    if (!pending_.empty()) {  // a file ending in partial lines: match what there is
      joined_.swap(pending_);
      pending_.clear();
      match(joined_, pending_line_, pending_time_, pending_identifier_);
    }
    flush();
  }

  /// Matches what is batched (finish() does too): before waiting for more data in follow mode.
  void flush() {
    if (batch_.empty()) return;
    matcher_.prefilter(batch_text_, batch_starts_, maybe_);
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      if (maybe_[i] == 0) continue;
      const std::size_t end =
          i + 1 < batch_.size() ? batch_starts_[i + 1] - 1 : batch_text_.size() - 1;
      const Batched& b = batch_[i];
      record(std::string_view(batch_text_).substr(batch_starts_[i], end - batch_starts_[i]),
             b.number, b.time, b.component);
    }
    batch_.clear();
    batch_starts_.clear();
    batch_text_.clear();
  }

 private:
  // A message waiting in the batch: where it came from. Its text is in batch_text_.
  struct Batched {
    std::uint64_t number;
    std::optional<UnixSeconds> time;
    std::string_view component;  // from the journal identifier (static text), or "" = the file's
  };
  // Messages are matched in batches of about this many bytes: one Vectorscan scan over the batch
  // finds the few messages that may match, instead of one scan call per line. Small enough to
  // stay in the L2 cache between the copy and the scan.
  static constexpr std::size_t kBatchBytes = 256u << 10;

  void match(std::string_view message, std::uint64_t number, std::optional<UnixSeconds> time,
             std::string_view identifier) {
    FileStats& st = stats();
    if (time && ((options_.since && *time < *options_.since) ||
                 (options_.until && *time > *options_.until))) {
      ++st.outside_time;
      return;
    }
    if (message.empty()) return;
    std::string_view component;
    if (options_.component.empty() && !identifier.empty()) {
      // A journal names the same few units over and over: look each name up once in a row.
      if (identifier != last_identifier_) {
        last_identifier_.assign(identifier);
        last_component_ = component_of_identifier(identifier);
      }
      component = last_component_;
    }
    batch_starts_.push_back(static_cast<std::uint32_t>(batch_text_.size()));
    batch_text_.append(message);
    batch_text_.push_back('\n');
    batch_.push_back(Batched{number, time, component});
    if (batch_text_.size() >= kBatchBytes) flush();
  }

  // Confirms one message the prefilter marked and adds its hits.
  void record(std::string_view message, std::uint64_t number, std::optional<UnixSeconds> time,
              std::string_view identified) {
    matcher_.match(message, ids_);
    if (ids_.empty()) return;
    FileStats& st = stats();
    std::string_view component = identified.empty() ? std::string_view(st.component) : identified;
    for (std::uint32_t id : ids_) {
      const Signature& sig = signatures_[id];
      if (!applies(sig.component, component) || yields(id, component)) continue;
      Hit& hit = scan_.hits[{id, file_}];
      if (hit.count++ == 0) {
        hit.signature = id;
        hit.file = file_;
      }
      if (time) {
        if (!hit.first || *time < *hit.first) hit.first = time;
        if (!hit.last || *time > *hit.last) hit.last = time;
      }
      // A noisy signature matches on many lines: a sample only while one is kept or watched.
      if (hit.samples.size() >= kSamplesKept && !options_.on_match) continue;
      Sample sample{st.path, number, time, utf8_shorten(message, kSampleChars)};
      if (options_.on_match) options_.on_match(sig, sample);
      if (hit.samples.size() < kSamplesKept) hit.samples.push_back(std::move(sample));
    }
  }

  // Whether signature `id` leaves the message just matched to a more specific one that also
  // matched it (Signature::yields_to).
  bool yields(std::uint32_t id, std::string_view component) const {
    for (std::uint32_t other : yields_to_[id]) {
      if (std::find(ids_.begin(), ids_.end(), other) != ids_.end() &&
          applies(signatures_[other].component, component))
        return true;
    }
    return false;
  }

  std::span<const Signature> signatures_;
  Matcher& matcher_;
  const ScanOptions& options_;
  LogScan& scan_;
  std::uint32_t file_;
  int year_;
  std::string scratch_;
  std::vector<std::uint32_t> ids_;
  std::string batch_text_;
  std::vector<std::uint32_t> batch_starts_;
  std::vector<Batched> batch_;
  std::vector<char> maybe_;
  std::string last_identifier_;
  std::string_view last_component_;  // component_of_identifier(last_identifier_): static text
  std::optional<UnixSeconds> last_time_;
  std::string pending_, joined_, pending_identifier_;
  std::vector<std::vector<std::uint32_t>> yields_to_;  // per signature: indexes it yields to
  std::uint64_t pending_line_ = 0;
  std::optional<UnixSeconds> pending_time_;
};

// Feeds lines from `next` through detection and scanning.
template <typename Next>
void run(FileScan& fs, Next&& next) {
  std::vector<std::string> first;
  std::vector<std::pair<std::uint64_t, bool>> first_meta;
  std::size_t bytes = 0;
  std::string_view line;
  bool truncated = false;
  std::uint64_t number = 0;
  // Detection uses the lines there are now: when following, it does not wait for more.
  while (first.size() < kDetectLines && bytes < kDetectBytes &&
         next(line, truncated, number, false)) {
    first.emplace_back(line);
    first_meta.emplace_back(number, truncated);
    bytes += line.size();
  }
  fs.start(first);
  for (std::size_t i = 0; i < first.size(); ++i)
    fs.line(first[i], first_meta[i].first, first_meta[i].second);
  // A followed file may grow after detection stopped: read on, waiting where allowed.
  while (next(line, truncated, number, true)) fs.line(line, number, truncated);
  fs.finish();
}

int year_of_file(const std::string& path, int fallback) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0) return fallback;
  return utc_year(static_cast<UnixSeconds>(st.st_mtime));
}

}  // namespace

std::vector<std::string> expand_paths(std::span<const std::string> paths,
                                      std::vector<FileStats>& missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || fs::is_regular_file(p, ec)) {
      out.push_back(p);
      continue;
    }
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator
               it(p, fs::directory_options::skip_permission_denied, ec),
           end;
           !ec && it != end; it.increment(ec)) {
        std::error_code ec2;
        // Kubernetes objects (kubectl get -o yaml|json) in a snapshot folder are not logs.
        const std::string ext = it->path().extension().string();
        if (ext == ".yaml" || ext == ".yml" || ext == ".json") continue;
        if (it->is_regular_file(ec2)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
      continue;
    }
    FileStats st;
    st.path = p;
    st.error = fs::exists(p, ec) ? "not a regular file or folder" : "no such file or folder";
    missing.push_back(std::move(st));
  }
  return out;
}

void scan_file(const std::string& path, std::span<const Signature> signatures, Matcher& matcher,
               const ScanOptions& options, LogScan& scan) {
  follow_file(path, signatures, matcher, options, scan, {});
}

void follow_file(const std::string& path, std::span<const Signature> signatures, Matcher& matcher,
                 const ScanOptions& options, LogScan& scan, const std::function<bool()>& wait) {
  auto file = static_cast<std::uint32_t>(scan.files.size());
  scan.files.push_back(FileStats{});
  scan.files.back().path = path;
  auto reader = LineReader::open(path);
  if (!reader) {
    scan.files.back().error = reader.error();
    return;
  }
  reader->set_follow(static_cast<bool>(wait));
  FileScan fs(signatures, matcher, options, scan, file, year_of_file(path, options.year));
  run(fs, [&](std::string_view& line, bool& truncated, std::uint64_t& number, bool may_wait) {
    while (!reader->next(line, truncated)) {
      if (!may_wait || !wait || !reader->error().empty()) return false;
      fs.flush();  // what was read is reported before waiting for more
      if (!wait()) return false;
      reader->resume();
    }
    number = reader->line_number();
    return true;
  });
  scan.files[file].bytes = reader->bytes();
  scan.files[file].error = reader->error();
}

void scan_text(const std::string& name, std::string_view text,
               std::span<const Signature> signatures, Matcher& matcher, const ScanOptions& options,
               LogScan& scan) {
  auto file = static_cast<std::uint32_t>(scan.files.size());
  scan.files.push_back(FileStats{});
  scan.files.back().path = name;
  scan.files.back().bytes = text.size();
  FileScan fs(signatures, matcher, options, scan, file, options.year);
  std::size_t pos = 0;
  std::uint64_t n = 0;
  run(fs, [&](std::string_view& line, bool& truncated, std::uint64_t& number, bool) {
    if (pos >= text.size()) return false;
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    line = text.substr(pos, end - pos);
    pos = end + 1;
    truncated = line.size() > kMaxLineBytes;
    if (truncated) line = line.substr(0, kMaxLineBytes);
    if (!truncated && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    number = ++n;
    return true;
  });
}

LogScan scan_paths(std::span<const std::string> paths, std::span<const Signature> signatures,
                   Matcher& matcher, const ScanOptions& options) {
  LogScan scan;
  std::vector<FileStats> missing;
  std::vector<std::string> files = expand_paths(paths, missing);
  for (const std::string& f : files) scan_file(f, signatures, matcher, options, scan);
  for (FileStats& m : missing) scan.files.push_back(std::move(m));
  return scan;
}

}  // namespace ktriage::logs
