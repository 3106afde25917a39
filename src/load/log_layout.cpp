#include "load/log_layout.h"

#include "load/line_index.h"

#include <algorithm>
#include <vector>

namespace ktriage {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool strip_suffix(std::string_view& s, std::string_view suffix) {
  if (!s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Keeps the last kLogTailBytes of `text`, cut at a line start; returns the 1-based line number
// of the first kept line.
std::uint32_t tail(std::string_view text, std::string& out) {
  std::size_t start = 0;
  if (text.size() > kLogTailBytes) {
    start = text.size() - kLogTailBytes;
    std::size_t nl = text.find('\n', start);
    start = nl == std::string_view::npos ? start : nl + 1;
  }
  out.assign(text.substr(start));
  return static_cast<std::uint32_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(start), '\n') + 1);
}

// "2026-11-29T10:41:58.123456789Z stdout F message" -> "message"
std::string strip_cri(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::size_t s1 = line.find(' ');
    std::size_t s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    std::size_t s3 = s2 == std::string_view::npos ? s2 : line.find(' ', s2 + 1);
    if (s3 != std::string_view::npos && (line.substr(s1 + 1, s2 - s1 - 1) == "stdout" ||
                                         line.substr(s1 + 1, s2 - s1 - 1) == "stderr")) {
      out.append(line.substr(s3 + 1));
      // A "P" (partial) tag means the line continues in the next record.
      if (line.substr(s2 + 1, s3 - s2 - 1) != "P") out.push_back('\n');
    } else {
      out.append(line);
      out.push_back('\n');
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

void push_container_log(std::string ns, std::string pod, std::string container, bool previous,
                        std::string_view file, std::string_view text, std::uint32_t line_offset,
                        Inputs& out) {
  ContainerLog log;
  log.ns = std::move(ns);
  log.pod = std::move(pod);
  log.container = std::move(container);
  log.previous = previous;
  log.file = std::string(file);
  log.first_line = tail(text, log.text) + line_offset;
  out.logs.push_back(std::move(log));
}

void split_cluster_info_dump(const LogPath& where, std::string_view file, std::string_view data,
                             Inputs& out) {
  constexpr std::string_view kStart = "==== START logs for container ";
  constexpr std::string_view kEnd = "==== END logs for container ";
  std::size_t pos = 0;
  std::uint32_t line = 1;
  bool any = false;
  while (true) {
    std::size_t start = data.find(kStart, pos);
    if (start == std::string_view::npos) break;
    line += static_cast<std::uint32_t>(std::count(data.begin() + static_cast<std::ptrdiff_t>(pos),
                                                  data.begin() + static_cast<std::ptrdiff_t>(start),
                                                  '\n'));
    std::size_t name_start = start + kStart.size();
    std::size_t name_end = data.find(' ', name_start);
    std::size_t header_end = data.find('\n', start);
    if (name_end == std::string_view::npos || header_end == std::string_view::npos) break;
    std::string container(data.substr(name_start, name_end - name_start));
    std::size_t body = header_end + 1;
    std::size_t end = data.find(kEnd, body);
    std::size_t body_end = end == std::string_view::npos ? data.size() : end;
    push_container_log(where.ns, where.pod, container, false, file,
                       data.substr(body, body_end - body), line, out);
    any = true;
    line += static_cast<std::uint32_t>(
        std::count(data.begin() + static_cast<std::ptrdiff_t>(start),
                   data.begin() + static_cast<std::ptrdiff_t>(body_end), '\n'));
    pos = body_end;
  }
  if (!any) push_container_log(where.ns, where.pod, "", false, file, data, 0, out);
}

}  // namespace

std::optional<LogPath> classify_log_path(std::string_view path) {
  std::vector<std::string_view> p = split_path(path);
  const std::size_t n = p.size();
  if (n == 0) return std::nullopt;
  std::string_view last = p[n - 1];

  // logs/<ns>/<pod>/<container>.log (ktriage) and support bundles' <container>-previous.log
  if (n >= 4 && p[n - 4] == "logs" && last.ends_with(".log")) {
    LogPath lp;
    std::string_view c = last;
    if (strip_suffix(c, ".previous.log") || strip_suffix(c, "-previous.log")) {
      lp.previous = true;
    } else {
      strip_suffix(c, ".log");
    }
    lp.ns = p[n - 3];
    lp.pod = p[n - 2];
    lp.container = c;
    return lp;
  }
  // kubelet: pods/<ns>_<pod>_<uid>/<container>/<n>.log
  if (n >= 4 && p[n - 4] == "pods" && last.ends_with(".log")) {
    std::string_view dir = p[n - 3];
    std::size_t a = dir.find('_');
    std::size_t b = dir.rfind('_');
    std::string_view num = last.substr(0, last.size() - 4);
    if (a != std::string_view::npos && b != a && is_digits(num)) {
      LogPath lp;
      lp.format = LogPath::Format::kCri;
      lp.ns = dir.substr(0, a);
      lp.pod = dir.substr(a + 1, b - a - 1);
      lp.container = p[n - 2];
      return lp;
    }
  }
  // kubelet: containers/<pod>_<ns>_<container>-<64 hex id>.log
  if (n >= 2 && p[n - 2] == "containers" && last.ends_with(".log")) {
    std::string_view s = last.substr(0, last.size() - 4);
    std::size_t a = s.find('_');
    std::size_t b = a == std::string_view::npos ? a : s.find('_', a + 1);
    std::size_t dash = s.rfind('-');
    if (b != std::string_view::npos && dash != std::string_view::npos && dash > b) {
      LogPath lp;
      lp.format = LogPath::Format::kCri;
      lp.pod = s.substr(0, a);
      lp.ns = s.substr(a + 1, b - a - 1);
      lp.container = s.substr(b + 1, dash - b - 1);
      return lp;
    }
  }
  // kubectl cluster-info dump: <ns>/<pod>/logs.txt
  if (n >= 3 && last == "logs.txt") {
    LogPath lp;
    lp.format = LogPath::Format::kClusterInfoDump;
    lp.ns = p[n - 3];
    lp.pod = p[n - 2];
    return lp;
  }
  // nodes/<node>/<component>.log
  if (n >= 3 && p[n - 3] == "nodes" && (last.ends_with(".log") || last.ends_with(".txt"))) {
    LogPath lp;
    lp.kind = LogPath::Kind::kNode;
    lp.node = p[n - 2];
    lp.component = last.substr(0, last.find('.'));
    return lp;
  }
  return std::nullopt;
}

void add_log(const LogPath& where, std::string_view display_path, std::string_view data,
             Inputs& out) {
  ++out.files_read;
  if (where.kind == LogPath::Kind::kNode) {
    NodeLog log;
    log.node = where.node;
    log.component = where.component;
    log.file = std::string(display_path);
    const std::size_t from = data.size() > 4 * kLogTailBytes ? data.size() - 4 * kLogTailBytes : 0;
    log.first_line =
        1 + static_cast<std::uint32_t>(count_newlines(data.data(), data.data() + from));
    log.text.assign(data.substr(from));
    out.node_logs.push_back(std::move(log));
    return;
  }
  switch (where.format) {
    case LogPath::Format::kPlain:
      push_container_log(where.ns, where.pod, where.container, where.previous, display_path, data,
                         0, out);
      break;
    case LogPath::Format::kCri: {
      std::string plain = strip_cri(data);
      push_container_log(where.ns, where.pod, where.container, where.previous, display_path, plain,
                         0, out);
      break;
    }
    case LogPath::Format::kClusterInfoDump:
      split_cluster_info_dump(where, display_path, data, out);
      break;
  }
}

}  // namespace ktriage
