// UTF-8 checks of log lines.
#include "logs/utf8.h"

#include <gtest/gtest.h>

#include <vector>

namespace ktriage::logs {
namespace {

TEST(Utf8Test, Valid) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii text, long enough for the 8-byte path"));
  // ASCII whose length is a multiple of 32, in a buffer of exactly that size: the 32-byte steps
  // end at the end, and nothing past it may be read (found by the log scanner fuzzer; ASan).
  for (std::size_t n : {32u, 64u}) {
    const std::vector<char> exact(n, 'a');
    EXPECT_TRUE(valid_utf8(std::string_view(exact.data(), exact.size()))) << n;
  }
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

// Every position of a NUL or a bad byte, in lines shorter and longer than one 32-byte step.
TEST(Utf8Test, ClassifyFindsNulAndBadBytesAnywhere) {
  for (std::size_t len : {1u, 31u, 32u, 33u, 64u, 100u}) {
    const std::string ascii(len, 'a');
    EXPECT_EQ(classify_text(ascii), TextKind::kText);
    for (std::size_t at = 0; at < len; ++at) {
      std::string nul = ascii, bad = ascii, both = ascii, euro = ascii;
      nul[at] = '\0';
      bad[at] = '\xE9';
      both[at] = '\xE9';
      both[len - 1] = '\0';  // NUL wins over a bad byte before it
      euro.replace(at, 1, "\xE2\x82\xAC");
      EXPECT_EQ(classify_text(nul), TextKind::kBinary) << len << " " << at;
      EXPECT_EQ(classify_text(bad), TextKind::kInvalidUtf8) << len << " " << at;
      if (at != len - 1) {
        EXPECT_EQ(classify_text(both), TextKind::kBinary) << len << " " << at;
      }
      EXPECT_EQ(classify_text(euro), TextKind::kText) << len << " " << at;
    }
  }
  EXPECT_EQ(classify_text(""), TextKind::kText);
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

TEST(Utf8Test, ShortenKeepsTheStartAndTheEndOfALongLine) {
  EXPECT_EQ(utf8_shorten("short", 400), "short");
  const std::string line =
      "E1202 " + std::string(1000, 'x') + " pod \"report-1\" : configmap not found";
  const std::string cut = utf8_shorten(line, 100);
  EXPECT_LE(cut.size(), 100u);
  EXPECT_EQ(cut.substr(0, 6), "E1202 ");
  EXPECT_NE(cut.find(" ... "), std::string::npos);
  EXPECT_TRUE(cut.ends_with("configmap not found")) << cut;
  // Never inside a character: the end starts on a character's first byte.
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "\u00e9";  // two bytes each
  const std::string w = utf8_shorten(wide, 41);
  EXPECT_TRUE(valid_utf8(w)) << w;
}

}  // namespace
}  // namespace ktriage::logs
