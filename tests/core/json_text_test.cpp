// JSON string literals (src/core/json_text.cpp) and UTF-8 validation (src/core/utf8.cpp): the
// reports must be valid UTF-8 JSON whatever bytes a log line or manifest held.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace ktriage {
namespace {

std::string literal(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonTextTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(literal("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
}

TEST(JsonTextTest, CopiesWellFormedUtf8) {
  EXPECT_EQ(literal("caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80"),
            "\"caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80\"");
}

TEST(JsonTextTest, IllFormedBytesBecomeReplacementCharacters) {
  // Latin-1 é, a stray continuation byte, a truncated sequence at the end, an overlong '/',
  // and a UTF-16 surrogate encoded in UTF-8.
  EXPECT_EQ(literal("caf\xE9"), "\"caf\xEF\xBF\xBD\"");
  EXPECT_EQ(literal("a\x80"
                    "z"),
            "\"a\xEF\xBF\xBD"
            "z\"");
  EXPECT_EQ(literal("x\xE6\x97"), "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(literal("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(literal("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(Utf8Test, SequenceLengthsAndCodePoints) {
  std::uint32_t cp = 0;
  EXPECT_EQ(utf8_sequence("A", 0, &cp), 1u);
  EXPECT_EQ(cp, 0x41u);
  EXPECT_EQ(utf8_sequence("\xC2\x85", 0, &cp), 2u);
  EXPECT_EQ(cp, 0x85u);
  EXPECT_EQ(utf8_sequence("\xE2\x80\xA8", 0, &cp), 3u);
  EXPECT_EQ(cp, 0x2028u);
  EXPECT_EQ(utf8_sequence("\xF4\x8F\xBF\xBF", 0, &cp), 4u);
  EXPECT_EQ(cp, 0x10FFFFu);
  EXPECT_EQ(utf8_sequence("\xF4\x90\x80\x80", 0), 0u) << "past U+10FFFF";
  EXPECT_EQ(utf8_sequence("\xFF", 0), 0u);
}

}  // namespace
}  // namespace ktriage
