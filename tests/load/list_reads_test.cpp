// Walking a List file through read buffers (src/load/list_reads.cpp) finds exactly what walking
// it through memory finds (walk_kubectl_list): same items, bytes, lines, cuts and line bases,
// with buffers small enough to cut items at every place.
#include "load/list_reads.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "load/document.h"

namespace ktriage {
namespace {

// A kubectl List (4-space indent) whose items have `sizes[i]` filler lines, one of them an
// eight-space "{" line inside an item, as the printer never writes but JSON allows.
std::string list_of(const std::vector<int>& sizes) {
  std::string s = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    s += "        {\n            \"kind\": \"Pod\",\n            \"metadata\": {\n";
    s += "                \"name\": \"p" + std::to_string(i) + "\"\n            },\n";
    s += "            \"spec\": [\n";
    for (int l = 0; l < sizes[i]; ++l)
      s +=
          "                \"line " + std::to_string(l) + " of item " + std::to_string(i) + "\",\n";
    s += "                \"end\"\n            ]\n        }";
    s += i + 1 < sizes.size() ? ",\n" : "\n";
  }
  s += "    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n  "
       "  }\n}\n";
  return s;
}

using Visit = std::tuple<std::size_t, std::size_t, std::size_t, std::uint32_t, bool, std::string>;

struct Walked {
  std::optional<std::vector<std::size_t>> base;
  std::vector<Visit> visits;  // sorted: regions visit on their own threads
};

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("ktriage-list-reads-" + std::to_string(::getpid()) + ".json"))
                .string();
    std::ofstream(path_, std::ios::binary) << text;
    fd_ = ::open(path_.c_str(), O_RDONLY);
  }
  ~TempFile() {
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  int fd() const { return fd_; }

 private:
  std::string path_;
  int fd_ = -1;
};

Walked by_memory(const std::string& text, const ListLayout& layout, unsigned threads) {
  const std::string padded = text + std::string(kJsonPadding, '\0');
  const std::string_view data(padded.data(), text.size());
  Walked w;
  std::mutex m;
  w.base = walk_kubectl_list(data, layout, threads, [&](std::size_t r, const ListItem& i) {
    std::lock_guard lock(m);
    w.visits.emplace_back(r, i.offset, i.length, i.line, i.cut_off,
                          std::string(data.substr(i.offset, i.length)));
  });
  std::sort(w.visits.begin(), w.visits.end());
  return w;
}

// `regions` as walk_kubectl_list()'s threads; `workers` threads take them.
Walked by_reads(const std::string& text, const ListLayout& layout, unsigned regions,
                ListReadSizes sizes, unsigned workers = 0) {
  TempFile file(text);
  Walked w;
  std::mutex m;
  std::map<std::size_t, std::size_t> region_worker;
  w.base = walk_kubectl_list_by_reads(
      file.fd(), text, layout, regions, workers == 0 ? regions : workers,
      [&](std::size_t worker, std::size_t r, const ListItem& i, std::string_view bytes) {
        // simdjson may read kJsonPadding bytes past the item: they must be readable.
        volatile char last = bytes.data()[bytes.size() + kJsonPadding - 1];
        (void)last;
        std::lock_guard lock(m);
        // A region is walked whole by one worker, in item order: its parts need no lock.
        EXPECT_LT(worker, std::max(1u, workers == 0 ? regions : workers));
        const auto [at, first] = region_worker.try_emplace(r, worker);
        EXPECT_EQ(at->second, worker) << "region " << r << " was split between workers";
        w.visits.emplace_back(r, i.offset, i.length, i.line, i.cut_off, std::string(bytes));
      },
      sizes);
  std::sort(w.visits.begin(), w.visits.end());
  return w;
}

void expect_same(const std::string& text, bool cut_off_allowed, const std::string& what) {
  auto layout = find_kubectl_list(text, 0);
  ASSERT_TRUE(layout.has_value()) << what;
  layout->cut_off_allowed = cut_off_allowed;
  for (unsigned threads : {1u, 2u, 3u}) {
    const Walked expected = by_memory(text, *layout, threads);
    for (const ListReadSizes sizes :
         {ListReadSizes{}, ListReadSizes{4096, 0}, ListReadSizes{1000, 100}, ListReadSizes{333, 17},
          ListReadSizes{64, 1}}) {
      const Walked got = by_reads(text, *layout, threads, sizes);
      EXPECT_EQ(got.base, expected.base) << what << ", " << threads << " threads, segment "
                                         << sizes.segment << " margin " << sizes.margin;
      EXPECT_EQ(got.visits, expected.visits) << what << ", " << threads << " threads, segment "
                                             << sizes.segment << " margin " << sizes.margin;
    }
  }
}

TEST(ListReadsTest, SameItemsLinesAndBasesAsWalkingMemory) {
  expect_same(list_of({0}), false, "one item");
  expect_same(list_of({3, 0, 40, 1, 2, 300, 0, 0, 5}), false, "items of many sizes");
  std::vector<int> many(60);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<int>((i * 7) % 23);
  expect_same(list_of(many), false, "sixty items");
}

// Random Lists against random buffer sizes (fixed seeds, so a failure repeats).
TEST(ListReadsTest, RandomListsAndBufferSizes) {
  std::mt19937 random(20261206);
  for (int round = 0; round < 40; ++round) {
    std::vector<int> sizes(1 + random() % 40);
    for (int& n : sizes) n = static_cast<int>(random() % 60);
    const std::string text = list_of(sizes);
    auto layout = find_kubectl_list(text, 0);
    ASSERT_TRUE(layout.has_value());
    layout->cut_off_allowed = round % 2 == 0;
    const unsigned regions = 1 + random() % 12;
    const unsigned workers = 1 + random() % 4;  // fewer or more than the regions
    const ListReadSizes buffer{16 + random() % 3000, random() % 400};
    const Walked expected = by_memory(text, *layout, regions);
    const Walked got = by_reads(text, *layout, regions, buffer, workers);
    EXPECT_EQ(got.base, expected.base) << "round " << round;
    EXPECT_EQ(got.visits, expected.visits)
        << "round " << round << ": " << regions << " regions, " << workers << " workers, segment "
        << buffer.segment << ", margin " << buffer.margin;
  }
}

// Items larger than the buffer grow it; a region made of one item's middle has no item.
TEST(ListReadsTest, ItemsLargerThanTheBuffer) {
  expect_same(list_of({2000, 1, 3000}), false, "huge items");
}

// A file cut inside an item, or after one, is walked to its end when cuts are allowed and
// refused otherwise, as in memory.
TEST(ListReadsTest, CutOffFilesAsInMemory) {
  const std::string whole = list_of({5, 9, 2, 30, 4});
  const std::size_t tail = whole.find("    ],");
  for (std::size_t cut : {tail - 40, tail - 11, tail - 1, tail + 1}) {
    for (bool allowed : {true, false}) {
      const std::string text = whole.substr(0, cut);
      auto layout = find_kubectl_list(text, 0);
      if (!layout) continue;
      layout->cut_off_allowed = allowed;
      for (unsigned threads : {1u, 2u}) {
        const Walked expected = by_memory(text, *layout, threads);
        const Walked got = by_reads(text, *layout, threads, ListReadSizes{200, 10});
        EXPECT_EQ(got.base, expected.base) << "cut at " << cut << (allowed ? " allowed" : "");
        EXPECT_EQ(got.visits, expected.visits) << "cut at " << cut;
      }
    }
  }
}

// A layout that is not kubectl's is refused by both.
TEST(ListReadsTest, OtherLayoutsAreRefusedAsInMemory) {
  std::string text = list_of({3, 3, 3});
  const std::size_t second = text.find("        },\n        {\n") + 10;
  text.insert(second, "  ");  // the second item opens at ten spaces
  auto layout = find_kubectl_list(text, 0);
  ASSERT_TRUE(layout.has_value());
  for (unsigned threads : {1u, 2u}) {
    EXPECT_EQ(by_reads(text, *layout, threads, ListReadSizes{128, 8}).base,
              by_memory(text, *layout, threads).base);
  }
}

}  // namespace
}  // namespace ktriage
