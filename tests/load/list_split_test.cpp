#include "load/list_split.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "load/source.h"

namespace ktriage {
namespace {

// A List as `kubectl get pods -A -o json` prints it (Go's MarshalIndent, 4-space indent).
std::string kubectl_list(int items) {
  std::string s = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
  for (int i = 0; i < items; ++i) {
    s += "        {\n            \"kind\": \"Pod\",\n            \"metadata\": {\n";
    s += "                \"name\": \"p" + std::to_string(i) + "\"\n            }\n        }";
    s += i + 1 < items ? ",\n" : "\n";
  }
  s += "    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n  "
       "  }\n}\n";
  return s;
}

// A List as kubectl_list() prints it around `items` (each "        {...        }" with its
// ",\n" or final "\n"), for tests that build their own items.
std::string kubectl_list_around(const std::string& items) {
  const std::string empty = kubectl_list(0);
  const std::size_t end = empty.find("    ],");
  return empty.substr(0, end) + items + empty.substr(end);
}

// The line after an item: a comma unless it is the last of `n`.
std::string item_end(int i, int n) { return i + 1 < n ? "        },\n" : "        }\n"; }

std::pair<std::uint32_t, std::uint32_t> line_col(const std::string& s, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (s[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

TEST(ListSplitTest, FindsEveryItemWithItsLineOnAnyNumberOfThreads) {
  const std::string text = kubectl_list(7);
  for (unsigned threads : {1u, 2u, 3u, 8u, 64u}) {
    auto list = split_kubectl_list(text, 0, threads);
    ASSERT_TRUE(list.has_value()) << threads;
    EXPECT_EQ(list->kind, "List");
    ASSERT_EQ(list->items.size(), 7u) << threads;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const ListItem& item = list->items[i];
      const std::string body = text.substr(item.offset, item.length);
      EXPECT_EQ(body.front(), '{');
      EXPECT_EQ(body.back(), '}');
      EXPECT_NE(body.find("\"p" + std::to_string(i) + "\""), std::string::npos) << body;
      auto [line, col] = line_col(text, item.offset);
      EXPECT_EQ(item.line, line) << "item " << i << " on " << threads << " threads";
      EXPECT_EQ(col, 9u);
    }
  }
}

TEST(ListSplitTest, ReleasesEveryScannedByteExactlyOnce) {
  const std::string text = kubectl_list(50);
  std::mutex mu;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  auto list = split_kubectl_list(text, 0, 3, [&](std::size_t from, std::size_t to) {
    std::lock_guard lock(mu);
    ranges.emplace_back(from, to);
  });
  ASSERT_TRUE(list.has_value());
  std::sort(ranges.begin(), ranges.end());
  ASSERT_FALSE(ranges.empty());
  EXPECT_EQ(ranges.back().second, text.size());
  for (std::size_t i = 1; i < ranges.size(); ++i) EXPECT_EQ(ranges[i - 1].second, ranges[i].first);
}

TEST(ListSplitTest, RefusesOtherLayouts) {
  const std::string good = kubectl_list(3);
  EXPECT_TRUE(split_kubectl_list(good, 0, 2).has_value());
  // Too small for the threshold: the caller parses it whole.
  EXPECT_FALSE(split_kubectl_list(good, good.size() + 1, 2).has_value());
  // Compact JSON, a single object, an empty List.
  EXPECT_FALSE(split_kubectl_list(R"({"items":[{"kind":"Pod"}],"kind":"List"})", 0, 2).has_value());
  EXPECT_FALSE(split_kubectl_list("{\n    \"kind\": \"Pod\"\n}\n", 0, 2).has_value());
  EXPECT_FALSE(
      split_kubectl_list("{\n    \"items\": [],\n    \"kind\": \"List\"\n}\n", 0, 2).has_value());
  // Two-space indentation (as yq or jq would write it).
  EXPECT_FALSE(
      split_kubectl_list("{\n  \"items\": [\n    {\n      \"kind\": \"Pod\"\n    }\n  ]\n}\n", 0, 2)
          .has_value());
  // Truncated after an item, and garbage between items.
  EXPECT_FALSE(split_kubectl_list(good.substr(0, good.find("        },") + 10), 0, 2).has_value());
  std::string bad = good;
  bad.replace(bad.find("        },\n") + 9, 1, ";");
  EXPECT_FALSE(split_kubectl_list(bad, 0, 2).has_value());
}

TEST(ListSplitTest, RegionsThatDoNotJoinUpAreRefused) {
  const std::string text = kubectl_list(6);
  const auto layout = find_kubectl_list(text, 0);
  ASSERT_TRUE(layout.has_value());
  auto walk = [&](std::size_t from, std::size_t to) {
    return walk_list_region(text, *layout, from, to, [](const ListItem&) {});
  };
  const std::size_t middle = text.size() / 2;
  const ListRegionWalk first = walk(layout->first_open, middle);
  const ListRegionWalk second = walk(middle, text.size());
  ASSERT_TRUE(first.layout_ok && second.layout_ok);
  EXPECT_FALSE(first.reached_end);
  EXPECT_TRUE(second.reached_end);
  EXPECT_EQ(first.end, second.begin);
  auto base = chain_list_regions(text, *layout, {first, second});
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ((*base)[1], static_cast<std::size_t>(std::count(
                            text.begin(), text.begin() + static_cast<long>(second.begin), '\n')));
  // A region missing in between, the regions out of order, or no region reaching the end.
  EXPECT_FALSE(chain_list_regions(text, *layout, {first}).has_value());
  EXPECT_FALSE(chain_list_regions(text, *layout, {second, first}).has_value());
  ListRegionWalk shifted = second;
  shifted.begin += 1;
  EXPECT_FALSE(chain_list_regions(text, *layout, {first, shifted}).has_value());
  ListRegionWalk broken = second;
  broken.layout_ok = false;
  EXPECT_FALSE(chain_list_regions(text, *layout, {first, broken}).has_value());
  // An empty region in between (no item opens in it) is passed over.
  EXPECT_TRUE(chain_list_regions(text, *layout, {first, ListRegionWalk{}, second}).has_value());
}

TEST(ListSplitTest, ALineOfEightSpacesAndBraceInsideAnItemSplitsTheSameOnAnyThreads) {
  // Valid JSON, not kubectl's printer: an item holds a line "        {" whose object closes on
  // a deeper line. A region starting just before it must not take it for an item's start.
  std::string body;
  for (int i = 0; i < 40; ++i) {
    body += "        {\n            \"kind\": \"ConfigMap\",\n";
    body +=
        i % 7 == 3 ? "            \"binaryData\": [\n        {\n            \"x\": 1 }],\n" : "";
    body += "            \"metadata\": {\"name\": \"c" + std::to_string(i) + "\"}\n";
    body += item_end(i, 40);
  }
  const std::string text = kubectl_list_around(body);
  const auto one = split_kubectl_list(text, 0, 1);
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->items.size(), 40u);
  for (unsigned threads = 2; threads <= 24; ++threads) {
    const auto many = split_kubectl_list(text, 0, threads);
    ASSERT_TRUE(many.has_value()) << threads;
    ASSERT_EQ(many->items.size(), 40u) << threads;
    for (std::size_t i = 0; i < 40; ++i) {
      EXPECT_EQ(many->items[i].offset, one->items[i].offset) << threads;
      EXPECT_EQ(many->items[i].line, one->items[i].line) << threads;
    }
  }
}

TEST(ListSplitTest, LayoutBreakInALargeListFallsBackToParsingItWhole) {
  // Valid JSON whose item holds a line of eight spaces and `{` (not kubectl's printer): the
  // item-by-item walk stops there, and the loader must parse the whole file instead, keeping
  // every object and no error.
  std::string body;
  const std::string filler(200, 'x');
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    body += "        {\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {\n";
    body += "                \"name\": \"c" + std::to_string(i) + "\"\n            },\n";
    body += i == n * 3 / 4
                ? "            \"binaryData\": [\n        {\n            \"a\": 1\n        }\n"
                  "            ],\n"
                : "";
    body += "            \"data\": {\"a\": \"" + filler + "\"}\n";
    body += item_end(i, n);
  }
  const std::string text = kubectl_list_around(body);
  ASSERT_GT(text.size(), 512u << 10);
  EXPECT_FALSE(split_kubectl_list(text, 0, 2).has_value());
  Inputs in;
  const std::string padded = text + std::string(64, ' ');
  load_buffer("odd.json", std::string_view(padded.data(), text.size()), in, /*padded=*/true,
              /*parallel_list_bytes=*/512u << 10);
  EXPECT_EQ(in.objects.size(), static_cast<std::size_t>(n));
  EXPECT_TRUE(in.issues.empty()) << in.issues.front().message;
  EXPECT_EQ(in.objects.back().root["metadata"]["name"].str(), "c" + std::to_string(n - 1));
  EXPECT_EQ(in.objects.front().pos.line, 4u);
}

TEST(ListSplitTest, LargeListIsReadItemByItemWithExactErrorPositions) {
  // Over the (lowered) threshold, so the loader takes the parallel path; one item is broken.
  std::string body;
  const std::string filler(200, 'x');
  const int n = 3000;
  std::size_t broken_offset = 0;
  for (int i = 0; i < n; ++i) {
    if (i == n / 2) broken_offset = kubectl_list_around("").find("    ],") + body.size();
    body += "        {\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {\n";
    body += "                \"name\": \"c" + std::to_string(i) + "\",\n";
    body += "                \"namespace\": \"default\"\n            },\n";
    body += i == n / 2 ? "            \"data\": {\"a\": tru}\n"
                       : "            \"data\": {\"a\": \"" + filler + "\"}\n";
    body += item_end(i, n);
  }
  const std::string text = kubectl_list_around(body);
  ASSERT_GT(text.size(), 512u << 10);
  Inputs in;
  // Padded as a mapped file is: the parallel path parses items in place.
  const std::string padded = text + std::string(64, ' ');
  load_buffer("big.json", std::string_view(padded.data(), text.size()), in, /*padded=*/true,
              /*parallel_list_bytes=*/512u << 10);
  EXPECT_EQ(in.objects.size(), static_cast<std::size_t>(n - 1));
  ASSERT_EQ(in.issues.size(), 1u);
  auto [line, col] = line_col(text, broken_offset);
  EXPECT_EQ(in.issues[0].where.file, "big.json");
  // The error is on the item's "data" line, six below the line where the item opens.
  EXPECT_EQ(in.issues[0].where.pos.line, line + 6);
  EXPECT_NE(in.issues[0].message.find("skipped"), std::string::npos) << in.issues[0].message;
  // Items keep their order and their positions.
  EXPECT_EQ(in.objects.front().root["metadata"]["name"].str(), "c0");
  EXPECT_EQ(in.objects.back().root["metadata"]["name"].str(), "c" + std::to_string(n - 1));
  EXPECT_EQ(in.objects.front().pos.line, 4u);
  EXPECT_EQ(in.objects.front().pos.column, 9u);
  // Every object's line, whichever thread's region it was in: each item is 8 lines, the broken
  // one too, and the first opens on line 4.
  for (std::size_t i = 0; i < in.objects.size(); ++i) {
    const std::size_t item = i < static_cast<std::size_t>(n / 2) ? i : i + 1;
    ASSERT_EQ(in.objects[i].pos.line, 4u + 8u * item) << i;
  }
}

// A List that says no kind, with items that say none either: read whole, its items take the
// kind of the file's name (pods.json); item by item they must too.
TEST(ListSplitTest, KindlessListItemsTakeTheFileNamesKindOnEitherPath) {
  std::string body;
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    body += "        {\n            \"metadata\": {\n";
    body += "                \"name\": \"p" + std::to_string(i) + "\"\n            }\n";
    body += item_end(i, n);
  }
  std::string text = kubectl_list_around(body);
  const std::size_t kind_line = text.find("    \"kind\": \"List\",\n");
  ASSERT_NE(kind_line, std::string::npos);
  text.erase(kind_line, std::string("    \"kind\": \"List\",\n").size());
  const std::string padded = text + std::string(64, ' ');
  for (const std::size_t threshold : {std::size_t{1}, kParallelListBytes}) {
    Inputs in;
    load_buffer("snapshot/pods.json", std::string_view(padded.data(), text.size()), in,
                /*padded=*/true, threshold);
    EXPECT_TRUE(in.issues.empty()) << in.issues.front().message;
    ASSERT_EQ(in.objects.size(), static_cast<std::size_t>(n)) << "threshold " << threshold;
    EXPECT_EQ(in.objects.front().kind, "Pod") << "threshold " << threshold;
    EXPECT_EQ(in.objects.back().head.name, "p" + std::to_string(n - 1));
  }
}

// A large List read from a file goes through pread in many regions, taken by whichever worker
// is free (list_reads.h): objects, their lines, and broken items' issues are those of the
// in-memory walk, item for item.
TEST(ListSplitTest, LargeListFileReadInRegionsMatchesTheInMemoryWalk) {
  std::string body;
  const std::string filler(180, 'x');
  const int n = 36000;  // about 9.7 MB: over kParallelListBytes, so the file is read by pread
  for (int i = 0; i < n; ++i) {
    body += "        {\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {\n";
    body += "                \"name\": \"c" + std::to_string(i) + "\",\n";
    body += "                \"namespace\": \"default\"\n            },\n";
    body += i % 7919 == 11 ? "            \"data\": {\"a\": tru}\n"
                           : "            \"data\": {\"a\": \"" + filler + "\"}\n";
    body += item_end(i, n);
  }
  const std::string text = kubectl_list_around(body);
  ASSERT_GT(text.size(), kParallelListBytes);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ktriage-list-regions-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "configmaps.json").string();
  std::ofstream(path, std::ios::binary) << text;
  const std::vector<std::string> paths{path};
  LoadOptions options;
  options.threads = 1;  // one file: the List's own workers do the splitting
  const Inputs from_file = load_sources(paths, options);
  std::filesystem::remove_all(dir);

  Inputs in_memory;
  const std::string padded = text + std::string(64, ' ');
  load_buffer(path, std::string_view(padded.data(), text.size()), in_memory, /*padded=*/true,
              /*parallel_list_bytes=*/1);
  ASSERT_EQ(from_file.objects.size(), static_cast<std::size_t>(n - 5));
  ASSERT_EQ(from_file.objects.size(), in_memory.objects.size());
  for (std::size_t i = 0; i < from_file.objects.size(); ++i) {
    const RawObject& a = from_file.objects[i];
    const RawObject& b = in_memory.objects[i];
    ASSERT_EQ(a.head.name, b.head.name) << i;
    ASSERT_EQ(a.pos.line, b.pos.line) << i;
    ASSERT_EQ(a.pos.column, b.pos.column) << i;
  }
  ASSERT_EQ(from_file.issues.size(), 5u);
  ASSERT_EQ(from_file.issues.size(), in_memory.issues.size());
  for (std::size_t i = 0; i < from_file.issues.size(); ++i) {
    EXPECT_EQ(from_file.issues[i].message, in_memory.issues[i].message);
    EXPECT_EQ(from_file.issues[i].where.pos.line, in_memory.issues[i].where.pos.line);
    EXPECT_EQ(from_file.issues[i].where.pos.column, in_memory.issues[i].where.pos.column);
  }
  // The first broken item is item 11: 8 lines each from line 4, its data line 6 below.
  EXPECT_EQ(from_file.issues[0].where.pos.line, 4u + 8u * 11u + 6u);
}

// The one-pass AVX2 search and the two-pass SSE2 one find the same close and count the same
// newlines from every start offset: closes at every position within and across 32-byte
// blocks, near-misses ("\n       }", "\n         }"), and the last bytes of the data.
TEST(ListSplitTest, BothCloseSearchesAgreeFromEveryOffset) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += std::string(static_cast<std::size_t>(i % 37), 'a') + "\n";
    if (i % 3 == 0) text += "       }\n";    // seven spaces: no close
    if (i % 5 == 0) text += "         }\n";  // nine spaces: nested, no close
    if (i % 4 == 0) text += "        }";     // a close
  }
  text += "\n        }";  // a close in the last bytes
  for (std::size_t from = 0; from <= text.size(); ++from) {
    EXPECT_EQ(find_item_close_with(text, from, true), find_item_close_with(text, from, false))
        << from;
  }
  const std::string no_close(300, '\n');
  EXPECT_EQ(find_item_close_with(no_close, 0, true),
            (std::pair<std::size_t, std::size_t>{std::string_view::npos, 300}));
  EXPECT_EQ(find_item_close_with(no_close, 0, false), find_item_close_with(no_close, 0, true));
}

// Items as kubectl_list() writes them, named c<i>, each 8 lines; the first opens on line 4.
std::string config_map_items(int n, int broken = -1) {
  std::string body;
  for (int i = 0; i < n; ++i) {
    body += "        {\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {\n";
    body += "                \"name\": \"c" + std::to_string(i) + "\",\n";
    body += "                \"namespace\": \"default\"\n            },\n";
    body += i == broken ? "            \"data\": {\"a\": tru}\n"
                        : "            \"data\": {\"a\": \"b\"}\n";
    body += item_end(i, n);
  }
  return body;
}

Inputs load_text(const std::string& name, const std::string& text) {
  Inputs in;
  const std::string padded = text + std::string(64, ' ');
  load_buffer(name, std::string_view(padded.data(), text.size()), in, /*padded=*/true);
  return in;
}

TEST(ListSplitTest, ACutOffListIsWalkedToItsEndOnlyWhenAllowed) {
  const std::string whole = kubectl_list(5);
  // Cut inside the fourth item (p3), and just after the third item's closing line.
  const std::size_t inside = whole.find("\"p3\"");
  const std::size_t after = whole.find("        },", whole.find("\"p2\"")) + 10;
  for (const std::size_t cut : {inside, after}) {
    const std::string text = whole.substr(0, cut);
    auto layout = find_kubectl_list(text, 0);
    ASSERT_TRUE(layout.has_value());
    for (unsigned threads : {1u, 2u, 3u}) {
      EXPECT_FALSE(walk_kubectl_list(text, *layout, threads, [](std::size_t, const ListItem&) {}))
          << "cut-off not allowed, " << threads << " threads";
    }
    layout->cut_off_allowed = true;
    for (unsigned threads : {1u, 2u, 3u}) {
      std::vector<ListItem> seen;
      std::mutex m;
      auto base = walk_kubectl_list(text, *layout, threads, [&](std::size_t, const ListItem& item) {
        std::lock_guard lock(m);
        seen.push_back(item);
      });
      ASSERT_TRUE(base.has_value()) << threads;
      std::sort(seen.begin(), seen.end(),
                [](const ListItem& a, const ListItem& b) { return a.offset < b.offset; });
      // Three whole items (p0..p2), then the rest of the file as one cut-off item.
      ASSERT_EQ(seen.size(), 4u) << threads;
      for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(seen[i].cut_off);
      EXPECT_TRUE(seen[3].cut_off);
      EXPECT_EQ(seen[3].offset + seen[3].length, text.size());
    }
  }
  // After an item, only the start of what kubectl writes there counts as a cut: a layout break
  // (text after an item's `}`) in a file that is also cut off later stays a break, on any
  // number of threads, rather than swallowing the items after it.
  {
    std::string broken = whole.substr(0, inside);
    const std::size_t first_close = broken.find("\n        },");
    broken.insert(first_close + 10, "x");
    auto cut_layout = find_kubectl_list(broken, 0);
    ASSERT_TRUE(cut_layout.has_value());
    cut_layout->cut_off_allowed = true;
    for (unsigned threads : {1u, 2u, 3u}) {
      EXPECT_FALSE(
          walk_kubectl_list(broken, *cut_layout, threads, [](std::size_t, const ListItem&) {}))
          << threads;
    }
  }
  // A List that ends properly is never taken for a cut-off one: a layout break stays a break.
  std::string odd = whole;
  odd.replace(odd.rfind("\n        }"), 10, "\n         }");  // the last item closes off-layout
  auto layout = find_kubectl_list(odd, 0);
  ASSERT_TRUE(layout.has_value());
  layout->cut_off_allowed = true;
  EXPECT_FALSE(walk_kubectl_list(odd, *layout, 1, [](std::size_t, const ListItem&) {}));
}

TEST(ListSplitTest, ASmallListWithOneBrokenItemKeepsTheOthers) {
  // Under the parallel threshold, the whole file is parsed first; it fails, and the items are
  // then read one by one: one error, at the broken item, and every other object.
  const std::string text = kubectl_list_around(config_map_items(10, 4));
  const Inputs in = load_text("small.json", text);
  EXPECT_EQ(in.objects.size(), 9u);
  ASSERT_EQ(in.issues.size(), 1u);
  EXPECT_EQ(in.issues[0].where.pos.line, 4u + 8u * 4u + 6u);  // item 4's "data" line
  EXPECT_NE(in.issues[0].message.find("this List item was skipped"), std::string::npos)
      << in.issues[0].message;
  EXPECT_EQ(in.objects[4].root["metadata"]["name"].str(), "c5");
  EXPECT_EQ(in.objects[4].pos.line, 4u + 8u * 5u);
}

TEST(ListSplitTest, AListCutOffMidItemKeepsTheItemsBeforeIt) {
  const std::string whole = kubectl_list_around(config_map_items(10));
  const std::string text = whole.substr(0, whole.find("\"c7\""));  // ends inside item 7
  const Inputs in = load_text("cut.json", text);
  ASSERT_EQ(in.objects.size(), 7u);
  EXPECT_EQ(in.objects.back().root["metadata"]["name"].str(), "c6");
  ASSERT_EQ(in.issues.size(), 1u);
  EXPECT_EQ(in.issues[0].where.pos.line, 4u + 8u * 7u);  // where item 7 opens
  EXPECT_EQ(in.issues[0].where.pos.column, 9u);
  EXPECT_NE(in.issues[0].message.find("cut off"), std::string::npos) << in.issues[0].message;
  EXPECT_FALSE(in.issues[0].skipped_file);

  // Cut just after an item's closing line: every whole item is kept, and the end is named.
  const std::string after =
      whole.substr(0, whole.find("\n        },\n", whole.find("\"c2\"")) + 12);
  const Inputs in2 = load_text("cut2.json", after);
  ASSERT_EQ(in2.objects.size(), 3u);
  ASSERT_EQ(in2.issues.size(), 1u);
  EXPECT_EQ(in2.issues[0].where.pos.line, 4u + 8u * 2u + 7u);  // item 2's closing line
  EXPECT_NE(in2.issues[0].message.find("ends after this List item"), std::string::npos)
      << in2.issues[0].message;

  // Cut inside the List's own "kind" after the items: every item is read, and the parser's
  // error at the end is still reported (the damage is outside the items).
  const std::string in_kind = whole.substr(0, whole.rfind("\"List\"") + 3);
  const Inputs in4 = load_text("kind.json", in_kind);
  EXPECT_EQ(in4.objects.size(), 10u);
  ASSERT_EQ(in4.issues.size(), 1u);
  EXPECT_NE(in4.issues[0].message.find("(the List's items were read)"), std::string::npos)
      << in4.issues[0].message;
  // The same for a broken header: the items are read and the error is kept.
  std::string header = whole;
  header.replace(header.find("\"v1\""), 4, "v1");
  const Inputs in5 = load_text("header.json", header);
  EXPECT_EQ(in5.objects.size(), 10u);
  ASSERT_EQ(in5.issues.size(), 1u);
  EXPECT_EQ(in5.issues[0].where.pos.line, 2u);

  // A file that is no kubectl List and does not parse still gets the parser's one error.
  const Inputs in3 = load_text("compact.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"");
  EXPECT_TRUE(in3.objects.empty());
  ASSERT_EQ(in3.issues.size(), 1u);
  EXPECT_EQ(in3.issues[0].message.find("cut off"), std::string::npos);
}

// The parallel path parses items into one arena per region, sharing equal arrays across items,
// and wipes each Secret as it is added: ConfigMaps equal to those Secrets keep their data.
TEST(ListSplitTest, SecretsWipedBetweenItemsLeaveEqualConfigMapsIntact) {
  const int n = 40;
  std::string body;
  for (int i = 0; i < n; ++i) {
    body += "        {\n            \"apiVersion\": \"v1\",\n";
    body += "            \"data\": {\"password\": \"aHVudGVyMg==\"},\n";
    body +=
        std::string("            \"kind\": \"") + (i % 2 == 0 ? "ConfigMap" : "Secret") + "\",\n";
    body +=
        "            \"metadata\": {\"annotations\": {\"note\": \"same\"}, \"labels\": "
        "{\"app\": \"db\"}, \"name\": \"db" +
        std::to_string(i) + "\"},\n";
    body += "            \"stringData\": {\"token\": \"plain-text-token\"}\n";
    body += item_end(i, n);
  }
  const std::string text = kubectl_list_around(body);
  const std::string padded = text + std::string(64, ' ');
  Inputs in;
  load_buffer("mixed.json", std::string_view(padded.data(), text.size()), in, /*padded=*/true,
              /*parallel_list_bytes=*/64);
  ASSERT_EQ(in.objects.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const Value& root = in.objects[static_cast<std::size_t>(i)].root;
    const bool secret = i % 2 == 1;
    EXPECT_EQ(root["kind"].str(), secret ? "Secret" : "ConfigMap");
    EXPECT_EQ(root["data"]["password"].str(), secret ? "" : "aHVudGVyMg==") << i;
    EXPECT_EQ(root["stringData"]["token"].str(), secret ? "" : "plain-text-token") << i;
    EXPECT_EQ(root["metadata"]["annotations"]["note"].str(), "same") << i;
    EXPECT_EQ(root["metadata"]["labels"]["app"].str(), "db") << i;
  }
}

}  // namespace
}  // namespace ktriage
