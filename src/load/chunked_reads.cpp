#include "load/chunked_reads.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "load/merge_inputs.h"

namespace ktriage {
namespace {

// Chunks per thread: more than one, so that a thread that drew a chunk of large files does not
// keep the others waiting at the end, few enough that joining stays cheap.
constexpr std::size_t kChunksPerThread = 8;

// Running totals over every thread, and the one caller of `progress` at a time.
class ProgressTotals {
 public:
  explicit ProgressTotals(const ChunkProgress& progress) : progress_(progress) {}
  void add(std::size_t files, std::size_t bytes) {
    const std::size_t f = files_.fetch_add(files) + files;
    const std::size_t b = bytes_.fetch_add(bytes) + bytes;
    if (!progress_) return;
    // Progress is a display: a thread that finds another one drawing it goes on reading.
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (lock.owns_lock()) progress_(f, b);
  }

 private:
  const ChunkProgress& progress_;
  std::atomic<std::size_t> files_{0};
  std::atomic<std::size_t> bytes_{0};
  std::mutex mutex_;
};

}  // namespace

Inputs read_in_chunks(std::size_t steps, unsigned threads, bool keep_sources,
                      const StepReader& read, const ChunkProgress& progress) {
  const std::size_t chunks = std::min<std::size_t>(steps, std::max(1u, threads) * kChunksPerThread);
  std::vector<Inputs> parts(chunks);
  std::atomic<std::size_t> next{0};
  ProgressTotals totals(progress);
  auto read_chunk = [&](std::size_t c) {
    Inputs& part = parts[c];
    part.keep_sources = keep_sources;
    std::size_t files_seen = 0;
    std::size_t bytes_seen = 0;
    auto tick = [&](const Inputs& p) {
      totals.add(p.files_read - files_seen, p.bytes_read - bytes_seen);
      files_seen = p.files_read;
      bytes_seen = p.bytes_read;
    };
    const std::size_t end = (c + 1) * steps / chunks;
    for (std::size_t s = c * steps / chunks; s < end; ++s) {
      read(s, part, tick);
      tick(part);
    }
  };
  // Readers do not throw for bad input; an allocation failure reaches the caller, as on one
  // thread, instead of terminating the process from a worker.
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) read_chunk(c);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next.store(chunks);  // the others stop after their current chunk
    }
  };
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < std::min<std::size_t>(threads, chunks); ++t) pool.emplace_back(work);
  work();
  pool.clear();  // joins
  if (failure) std::rethrow_exception(failure);
  Inputs out;
  out.keep_sources = keep_sources;
  for (Inputs& part : parts) append_inputs(out, std::move(part));
  return out;
}

}  // namespace ktriage
