#include "core/value.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ktriage {
namespace {

TEST(ValueTest, MissingKeysReadAsNull) {
  Value v;
  EXPECT_TRUE(v["a"]["b"][3].is_null());
  EXPECT_EQ(v.str(), "");
  EXPECT_EQ(v.as_int(7), 7);
}

TEST(ValueTest, ObjectLookupAndNumericStrings) {
  Arena arena;
  Member members[] = {{arena.key("a"), Value::string(arena.copy("12"))},
                      {arena.key("b"), Value::integer(3)}};
  Value obj = Value::object(arena.copy(members, 2), 2);
  EXPECT_EQ(obj["a"].as_int(), 12);
  EXPECT_EQ(obj["b"].as_int(), 3);
  EXPECT_TRUE(obj.contains("a"));
  EXPECT_FALSE(obj.contains("c"));
  EXPECT_EQ(obj.size(), 2u);
}

// A double outside int64 (hand-written 1e300, or inf) is held at the limits; a NaN is no
// number. The plain cast was undefined there (UBSan found it fuzzing the loader).
TEST(ValueTest, AsIntHoldsHugeDoublesAtTheLimits) {
  EXPECT_EQ(Value::number(2.9).as_int(), 2);
  EXPECT_EQ(Value::number(-2.9).as_int(), -2);
  EXPECT_EQ(Value::number(1e300).as_int(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(Value::number(-1e300).as_int(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Value::number(std::numeric_limits<double>::infinity()).as_int(),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(Value::number(std::numeric_limits<double>::quiet_NaN()).as_int(7), 7);
}

TEST(ArenaTest, InternSharesEqualShortStringsAndCopiesLongOnes) {
  Arena arena;
  std::string a = "metadata", b = "metadata";
  const std::string_view x = arena.intern(a);
  const std::string_view y = arena.intern(b);
  EXPECT_EQ(x, "metadata");
  EXPECT_EQ(x.data(), y.data());
  EXPECT_NE(x.data(), a.data());  // a copy, not the caller's bytes
  EXPECT_NE(arena.intern("metadatA").data(), x.data());
  const std::string long_text(200, 'm');
  EXPECT_NE(arena.intern(long_text).data(), arena.intern(long_text).data());
  EXPECT_TRUE(arena.intern("").empty());
}

TEST(ArenaTest, InternAndLookupTellApartStringsThatDifferInAnyOneByte) {
  // Hashing and comparing read short strings in overlapping fixed-size words: a difference at
  // any position of any length (below, at and above 4, 8 and 64 bytes) must still count.
  Arena arena;
  for (std::size_t n = 1; n <= 70; ++n) {
    std::string base(n, 'a');
    for (std::size_t i = 0; i < n; ++i) base[i] = static_cast<char>('a' + i % 26);
    const std::string_view stored = arena.intern(base);
    if (n <= 48) {
      EXPECT_EQ(arena.intern(std::string(base)).data(), stored.data()) << n;
    }
    Member members[] = {{arena.key(base), Value::integer(static_cast<std::int64_t>(n))}};
    const Value obj = Value::object(arena.copy(members, 1), 1);
    EXPECT_EQ(obj[base].as_int(), static_cast<std::int64_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = base;
      other[i] = 'Z';
      EXPECT_EQ(arena.intern(other), other) << n << " " << i;
      EXPECT_NE(arena.intern(other).data(), stored.data()) << n << " " << i;
      EXPECT_TRUE(obj[other].is_null()) << n << " " << i;
    }
  }
}

TEST(ArenaTest, KeysReadBackTheirBytesAtAnyLength) {
  // A Key stores its length before its characters: empty, interned, long (copied) and keys
  // with NUL bytes must all read back exactly, and compare by content.
  Arena arena;
  EXPECT_TRUE(Key().empty());
  EXPECT_EQ(arena.key("").view(), "");
  const std::string with_nul("a\0b", 3);
  const std::string long_key(300, 'k');
  for (const std::string& s : {std::string("metadata"), with_nul, long_key, std::string("x")}) {
    const Key k = arena.key(s);
    EXPECT_EQ(k.size(), s.size());
    EXPECT_EQ(k.view(), s);
    EXPECT_TRUE(k == arena.key(std::string(s)));
  }
  EXPECT_FALSE(arena.key("labels") == arena.key("label"));
  EXPECT_FALSE(arena.key("labels") == std::string_view("labelz"));
  EXPECT_LT(arena.key("a"), arena.key("b"));
  EXPECT_EQ(sizeof(Member), 24u);
}

TEST(ArenaTest, InternStaysCorrectPastItsTableBound) {
  // More distinct strings than the table takes: every one must still read back exactly, and
  // strings interned early keep being shared.
  Arena arena;
  const std::string_view early = arena.intern("Running");
  std::vector<std::string_view> stored;
  const int past_bound = static_cast<int>(Arena::kMaxInternSlots / 2) + 1000;
  for (int i = 0; i < past_bound; ++i) stored.push_back(arena.intern("name-" + std::to_string(i)));
  for (int i = 0; i < past_bound; i += 997)
    EXPECT_EQ(stored[static_cast<std::size_t>(i)], "name-" + std::to_string(i));
  EXPECT_EQ(arena.intern(std::string("Running")).data(), early.data());
  // Keys made once the table is full are copies, and still carry their length.
  const Key late = arena.key("key-made-after-the-table-is-full");
  EXPECT_EQ(late.size(), 32u);
  EXPECT_EQ(late.view(), "key-made-after-the-table-is-full");
}

// Tens of thousands of unique names (a large List's pod names and uids) come before most of the
// values that repeat: those must still be shared, not copied once per object.
TEST(ArenaTest, ValuesSeenAfterManyUniqueOnesAreStillShared) {
  Arena arena;
  for (int i = 0; i < 100000; ++i) arena.intern("pod-" + std::to_string(i));
  const std::string_view first = arena.intern(std::string("auth-exporter"));
  EXPECT_EQ(arena.intern(std::string("auth-exporter")).data(), first.data());
  EXPECT_TRUE(arena.is_interned(first));
}

// Once interning has ended (Cluster::build), what was stored reads back unchanged, new strings and
// arrays are copies, and no short string counts as unshared any more, so nothing gets wiped.
TEST(ArenaTest, AfterInterningEndsEverythingIsCopiedAndCountsAsShared) {
  Arena arena;
  const std::string_view before = arena.intern("Running");
  const Member member{arena.key("phase"), Value::string(before)};
  const Member* shared = arena.share(&member, 1);
  EXPECT_EQ(arena.share(&member, 1), shared);
  const std::string_view unique = arena.copy("copied-before");
  EXPECT_FALSE(arena.is_interned(unique));
  arena.end_interning();
  EXPECT_EQ(before, "Running");
  EXPECT_EQ(shared->key.view(), "phase");
  EXPECT_NE(arena.intern(std::string("Running")).data(), before.data());
  EXPECT_NE(arena.share(&member, 1), shared);
  const Key late = arena.key("late-key");
  EXPECT_EQ(late.size(), 8u);
  EXPECT_EQ(late.view(), "late-key");
  EXPECT_TRUE(arena.is_interned(unique));  // may be shared: never written to
  EXPECT_FALSE(arena.is_interned(""));
  EXPECT_FALSE(arena.is_interned(std::string(49, 'x')));  // longer ones are never interned
}

TEST(ArenaTest, LargeAllocationsComeFromTheHugePageUpstream) {
  Arena arena;
  // Enough to make the monotonic resource ask its upstream for blocks over 8 MiB.
  std::string chunk(1 << 20, 'z');
  std::vector<std::string_view> copies;
  for (int i = 0; i < 40; ++i) copies.push_back(arena.copy(chunk));
  for (const auto& c : copies) {
    ASSERT_EQ(c.size(), chunk.size());
    EXPECT_EQ(c.front(), 'z');
    EXPECT_EQ(c.back(), 'z');
  }
}

TEST(ArenaTest, ShareReturnsTheEarlierCopyOfEqualMembersAndValues) {
  Arena arena;
  const Key port = arena.key("containerPort");
  const Key proto = arena.key("protocol");
  const std::string_view tcp = arena.intern("TCP");
  Member first[] = {{port, Value::integer(8080)}, {proto, Value::string(tcp)}};
  Member again[] = {{port, Value::integer(8080)}, {proto, Value::string(tcp)}};
  const Member* a = arena.share(first, 2);
  const Member* b = arena.share(again, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, first);  // a copy in the arena, not the caller's array
  EXPECT_EQ(Value::object(a, 2)["containerPort"].as_int(), 8080);

  Value items[] = {Value::string(tcp), Value::boolean(true), Value::number(0.5), Value()};
  Value items_again[] = {Value::string(tcp), Value::boolean(true), Value::number(0.5), Value()};
  EXPECT_EQ(arena.share(items, 4), arena.share(items_again, 4));
  EXPECT_EQ(arena.share(items, 0), nullptr);
}

TEST(ArenaTest, ShareNeverMergesArraysThatDifferInAnything) {
  Arena arena;
  const Key port = arena.key("containerPort");
  const Key name = arena.key("name");
  const std::string_view tcp = arena.intern("TCP");
  Member base[] = {{port, Value::integer(1)}, {name, Value::string(tcp)}};
  const Member* shared = arena.share(base, 2);
  // Another value, another key, another type with the same bits (true is stored as 1), an
  // equal string stored twice, fewer members.
  Member other_value[] = {{port, Value::integer(2)}, {name, Value::string(tcp)}};
  Member other_key[] = {{name, Value::integer(1)}, {name, Value::string(tcp)}};
  Member other_type[] = {{port, Value::boolean(true)}, {name, Value::string(tcp)}};
  Member same_text_other_copy[] = {{port, Value::integer(1)},
                                   {name, Value::string(arena.copy("TCP"))}};
  Member one_fewer[] = {{port, Value::integer(1)}};
  for (const Member* m : {other_value, other_key, other_type, same_text_other_copy}) {
    const Member* got = arena.share(m, 2);
    EXPECT_NE(got, shared);
    EXPECT_TRUE(same_storage(got[0].value, m[0].value));
    EXPECT_TRUE(same_storage(got[1].value, m[1].value));
    EXPECT_EQ(got[0].key.data(), m[0].key.data());
  }
  EXPECT_NE(arena.share(one_fewer, 1), shared);
  EXPECT_FALSE(same_storage(Value::integer(1), Value::boolean(true)));
  EXPECT_FALSE(same_storage(Value::number(0.0), Value::number(-0.0)));
  EXPECT_TRUE(same_storage(Value::number(0.5), Value::number(0.5)));
}

}  // namespace
}  // namespace ktriage
