// UTF-8 checks of log lines.
#include "logs/utf8.h"

#include <gtest/gtest.h>

namespace ktriage::logs {
namespace {

TEST(Utf8Test, Valid) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii text, long enough for the 8-byte path"));
  EXPECT_TRUE(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Utf8Test, Invalid) {
  EXPECT_FALSE(valid_utf8("latin-1 caf\xE9 ok"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // over U+10FFFF
  EXPECT_FALSE(valid_utf8("cut \xE2\x82"));
  EXPECT_FALSE(valid_utf8("\x80"));
}

TEST(Utf8Test, PrefixNeverSplitsACharacter) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC", 3), "ab");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC", 4), "ab");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC"
                        "c",
                        5),
            "ab\xE2\x82\xAC");
}

}  // namespace
}  // namespace ktriage::logs
