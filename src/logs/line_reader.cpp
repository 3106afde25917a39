#include "logs/line_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace ktriage::logs {
namespace {

constexpr std::size_t kBufferBytes = 4u << 20;
// Bytes asked for per read: the buffer must hold the longest line, but lines are consumed right
// after they are read, so smaller reads leave them in the L2 cache for the checks, the parse and
// the copy into the matcher's batch that follow (a 4 MiB read left them in L3 or memory).
constexpr std::size_t kReadBytes = 128u << 10;

}  // namespace

struct LineReader::Impl {
  std::string path;  // "" for standard input
  gzFile gz = nullptr;
  dev_t dev = 0;  // identity of the open file, to notice rotation in follow mode
  ino_t ino = 0;
  bool rotated = false;  // the path names a new file: switch once the old one is drained
  std::vector<char> buf = std::vector<char>(kBufferBytes);
  std::size_t begin = 0;  // first unconsumed byte
  std::size_t end = 0;    // end of valid data
  bool eof = false;
  bool skipping = false;  // inside the rest of a truncated line
  ~Impl() {
    if (gz != nullptr) gzclose(gz);
  }
};

LineReader::LineReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

Expected<LineReader> LineReader::open(const std::string& path) {
  int fd = path == "-" ? dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unexpected{fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  auto impl = std::make_unique<Impl>();
  // zlib reads gzip members and passes any other data through unchanged ("transparent").
  impl->gz = gzdopen(fd, "rb");
  if (impl->gz == nullptr) {
    ::close(fd);
    return Unexpected{fmt::format("cannot open {}: out of memory", path)};
  }
  gzbuffer(impl->gz, 256u << 10);
  struct stat st {};
  if (path != "-" && ::fstat(fd, &st) == 0) {
    impl->path = path;
    impl->dev = st.st_dev;
    impl->ino = st.st_ino;
  }
  return LineReader(std::move(impl));
}

// Follow mode, at the end of the data: logrotate either renamed the file and a new one took the
// path (rename/create), or cut the file to zero (copytruncate). Like `tail -F`: a renamed file
// is read to its end first and then the new file from its start; a truncated one from its start.
// Line numbers restart with the file.
bool LineReader::reopen_if_rotated() {
  Impl& m = *impl_;
  if (m.path.empty()) return false;
  struct stat st {};
  if (::stat(m.path.c_str(), &st) != 0) return false;  // between rename and create: wait
  if (st.st_dev != m.dev || st.st_ino != m.ino) {
    const std::size_t held = m.end - m.begin;
    if (fill() && m.end - m.begin > held) return false;  // the old file had more: read it first
    if (!error_.empty()) return false;
    const int fd = ::open(m.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    gzFile gz = gzdopen(fd, "rb");
    if (gz == nullptr) {
      ::close(fd);
      return false;
    }
    gzclose(m.gz);
    m.gz = gz;
    gzbuffer(m.gz, 256u << 10);
    m.dev = st.st_dev;
    m.ino = st.st_ino;
  } else if (static_cast<std::uint64_t>(st.st_size) < static_cast<std::uint64_t>(gzoffset(m.gz))) {
    gzrewind(m.gz);
  } else {
    return false;
  }
  // A last line of the old file without "\n" is complete now.
  if (m.end > m.begin && m.end < m.buf.size()) m.buf[m.end++] = '\n';
  line_number_ = 0;
  m.eof = false;
  return true;
}

// Moves unconsumed bytes to the front and reads more. False when nothing more can come.
bool LineReader::fill() {
  Impl& m = *impl_;
  if (m.eof) return false;
  if (m.begin > 0) {
    std::memmove(m.buf.data(), m.buf.data() + m.begin, m.end - m.begin);
    m.end -= m.begin;
    m.begin = 0;
  }
  if (m.end == m.buf.size()) return true;  // full: the caller cuts a line
  int n = gzread(m.gz, m.buf.data() + m.end,
                 static_cast<unsigned>(std::min(m.buf.size() - m.end, kReadBytes)));
  if (n <= 0) {
    m.eof = true;
    int code = 0;
    const char* msg = gzerror(m.gz, &code);
    if (n < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      error_ =
          code == Z_BUF_ERROR
              ? fmt::format("gzip data is truncated after {} bytes (the rest is missing)", bytes_)
              : fmt::format("read error after {} bytes: {}", bytes_,
                            msg != nullptr ? msg : "unknown");
    }
    return false;
  }
  m.end += static_cast<std::size_t>(n);
  bytes_ += static_cast<std::uint64_t>(n);
  return true;
}

void LineReader::resume() {
  if (!error_.empty()) return;
  gzclearerr(impl_->gz);
  impl_->eof = false;
  if (follow_) reopen_if_rotated();
}

bool LineReader::next(std::string_view& line, bool& truncated) {
  Impl& m = *impl_;
  truncated = false;
  std::size_t scanned = 0;  // bytes after begin already known to hold no newline
  for (;;) {
    const char* start = m.buf.data() + m.begin;
    std::size_t avail = m.end - m.begin;
    const void* nl =
        avail > scanned ? std::memchr(start + scanned, '\n', avail - scanned) : nullptr;
    if (m.skipping) {
      if (nl == nullptr) {
        m.begin = m.end;
        scanned = 0;
        if (!fill()) return false;
        continue;
      }
      m.begin += static_cast<std::size_t>(static_cast<const char*>(nl) - start) + 1;
      m.skipping = false;
      scanned = 0;
      continue;
    }
    if (nl != nullptr) {
      std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      m.begin += len + 1;
      if (len > kMaxLineBytes) {
        len = kMaxLineBytes;
        truncated = true;
      }
      if (len > 0 && start[len - 1] == '\r' && !truncated) --len;
      line = std::string_view(start, len);
      ++line_number_;
      return true;
    }
    if (avail >= kMaxLineBytes) {
      // No newline within the limit: hand out the first part, skip the rest of the line.
      line = std::string_view(start, kMaxLineBytes);
      m.begin += kMaxLineBytes;
      m.skipping = true;
      truncated = true;
      ++line_number_;
      return true;
    }
    scanned = avail;
    if (!fill()) {
      avail = m.end - m.begin;
      if (avail == 0 || (follow_ && error_.empty())) return false;
      // The last line has no newline.
      line = std::string_view(m.buf.data() + m.begin, avail);
      m.begin = m.end;
      ++line_number_;
      return true;
    }
  }
}

}  // namespace ktriage::logs
