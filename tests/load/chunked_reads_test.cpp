// read_in_chunks: any number of threads gives the one-thread result, and progress adds up.
#include "load/chunked_reads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>

namespace ktriage {
namespace {

// Step i adds file "f<i>" with i issues, so order and file indices are visible.
void read_step(std::size_t i, Inputs& part, const std::function<void(const Inputs&)>& tick) {
  part.add_file("f" + std::to_string(i));
  for (std::size_t k = 0; k < i % 3; ++k) {
    part.issues.push_back(InputIssue{{"f" + std::to_string(i), {}}, std::to_string(k), false});
  }
  ++part.files_read;
  part.bytes_read += i;
  tick(part);
}

TEST(ChunkedReadsTest, ThreadsDoNotChangeTheResult) {
  const Inputs one = read_in_chunks(100, 1, false, read_step);
  for (unsigned threads : {2u, 3u, 8u, 200u}) {
    const Inputs many = read_in_chunks(100, threads, false, read_step);
    EXPECT_EQ(many.files, one.files) << threads;
    ASSERT_EQ(many.issues.size(), one.issues.size());
    for (std::size_t i = 0; i < one.issues.size(); ++i) {
      EXPECT_EQ(many.issues[i].where.file + many.issues[i].message,
                one.issues[i].where.file + one.issues[i].message);
    }
    EXPECT_EQ(many.files_read, 100u);
    EXPECT_EQ(many.bytes_read, 4950u);
  }
  EXPECT_EQ(one.files.front(), "f0");
  EXPECT_EQ(one.files.back(), "f99");
}

TEST(ChunkedReadsTest, ProgressReachesTheTotalsAndNoStepsIsEmpty) {
  std::atomic<std::size_t> last_files{0};
  std::atomic<int> calls{0};
  read_in_chunks(50, 4, false, read_step, [&](std::size_t files, std::size_t) {
    ++calls;
    last_files = std::max<std::size_t>(last_files, files);
  });
  EXPECT_GT(calls.load(), 0);
  EXPECT_LE(last_files.load(), 50u);
  EXPECT_TRUE(read_in_chunks(0, 4, false, read_step).files.empty());
}

TEST(ChunkedReadsTest, AFailureInAWorkerReachesTheCaller) {
  auto failing = [](std::size_t i, Inputs& part, const std::function<void(const Inputs&)>&) {
    if (i == 37) throw std::bad_alloc();
    part.add_file("f");
  };
  EXPECT_THROW(read_in_chunks(64, 4, false, failing), std::bad_alloc);
}

}  // namespace
}  // namespace ktriage
