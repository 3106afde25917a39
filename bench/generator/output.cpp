// Parallel chunked List writer: workers render chunks into a ring of buffers, the calling thread
// writes them to the file in chunk order.
#include "output.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gen {
namespace {

constexpr std::string_view kListHead = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [";
constexpr std::string_view kListTail =
    "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n"
    "    }\n}\n";
constexpr size_t kChunkBytes = 8u << 20;

class File {
 public:
  explicit File(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) die("cannot create");
  }
  ~File() {
    if (f_ && std::fclose(f_) != 0) die("cannot close");
  }
  void write(const char* data, size_t n) {
    if (n && std::fwrite(data, 1, n, f_) != n) die("cannot write");
    bytes_ += n;
  }
  void write(std::string_view s) { write(s.data(), s.size()); }
  uint64_t bytes() const { return bytes_; }

 private:
  [[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "ktriage-gen: %s %s: %s\n", what, path_.c_str(), std::strerror(errno));
    std::exit(1);
  }
  std::string path_;
  FILE* f_;
  uint64_t bytes_ = 0;
};

struct Slot {
  Buf buf;
  size_t chunk = SIZE_MAX;  // the chunk this slot holds once ready
  bool ready = false;
};

// Renders items [first, last) into buf, each preceded by its List separator.
void render_chunk(Buf& buf, size_t first, size_t last, const RenderItem& render) {
  buf.clear();
  Json w(buf, 2);
  for (size_t i = first; i < last; ++i) {
    buf.put(i == 0 ? std::string_view("\n        ") : std::string_view(",\n        "));
    render(w, i);
  }
}

}  // namespace

FileResult write_list(const std::string& path, size_t count, size_t approx_item_bytes,
                      unsigned jobs, const RenderItem& render) {
  File file(path);
  file.write(kListHead);
  if (count == 0) file.write("]");
  const size_t per_chunk =
      std::max<size_t>(1, kChunkBytes / std::max<size_t>(1, approx_item_bytes));
  const size_t chunks = (count + per_chunk - 1) / per_chunk;
  const unsigned workers = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(chunks)));
  const size_t ring = 2 * static_cast<size_t>(workers);
  std::vector<std::unique_ptr<Slot>> slots;
  for (size_t i = 0; i < ring; ++i) slots.push_back(std::make_unique<Slot>());

  std::mutex mu;
  std::condition_variable cv;
  size_t next = 0, written = 0;
  auto work = [&] {
    for (;;) {
      size_t c;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return next >= chunks || next < written + ring; });
        if (next >= chunks) return;
        c = next++;
      }
      Slot& s = *slots[c % ring];
      render_chunk(s.buf, c * per_chunk, std::min(count, (c + 1) * per_chunk), render);
      std::lock_guard lock(mu);
      s.chunk = c;
      s.ready = true;
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < (chunks ? workers : 0); ++t) threads.emplace_back(work);
  for (size_t c = 0; c < chunks; ++c) {
    Slot& s = *slots[c % ring];
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return s.ready && s.chunk == c; });
    }
    file.write(s.buf.data(), s.buf.size());
    std::lock_guard lock(mu);
    s.ready = false;
    ++written;
    cv.notify_all();
  }
  for (auto& t : threads) t.join();
  if (count > 0)
    file.write(kListTail);
  else
    file.write(kListTail.substr(6));  // "]" already written: ",\n    \"kind\"..."
  return {path, file.bytes(), count};
}

FileResult write_text(const std::string& path, const std::string& text) {
  File file(path);
  file.write(text);
  return {path, file.bytes(), 1};
}

}  // namespace gen
