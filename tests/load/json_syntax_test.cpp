// The first syntax error of a JSON document (src/load/json_syntax.cpp).
#include "load/json_syntax.h"

#include <gtest/gtest.h>

#include <string>

namespace ktriage {
namespace {

TEST(JsonSyntaxTest, FirstWrongByteOrNothing) {
  EXPECT_FALSE(locate_json_syntax_error("{\"a\": [1, 2, {\"b\": null}]}\n").has_value());
  const auto word = locate_json_syntax_error("{\"a\": tru}");
  ASSERT_TRUE(word.has_value());
  EXPECT_FALSE(word->at_end);
  EXPECT_EQ(word->message.rfind("JSON syntax error: ", 0), 0u) << word->message;
  const auto cut = locate_json_syntax_error("{\"a\": [1,\n  ");
  ASSERT_TRUE(cut.has_value());
  EXPECT_TRUE(cut->at_end);
  // Content after the value is an error where it starts.
  const auto trailing = locate_json_syntax_error("{}\n{}\n");
  ASSERT_TRUE(trailing.has_value());
  EXPECT_EQ(trailing->offset, 3u);
  EXPECT_FALSE(trailing->at_end);
}

// No document is built, so nesting a million deep neither overflows the stack nor takes long.
TEST(JsonSyntaxTest, DeepNestingIsSafe) {
  const std::string deep = std::string(1000000, '[') + "x";
  const auto e = locate_json_syntax_error(deep);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->offset, 1000000u);
}

// The message says what is wrong, never what was read: the bytes may be a Secret's value.
TEST(JsonSyntaxTest, MessageQuotesNothingOfTheInput) {
  const std::string secret = "Hunter2SuperSecret";
  for (const std::string& text :
       {"{\"stringData\": {\"password\": \"" + secret + "\t\"}}", "{\"password\": " + secret + "}",
        "{\"a\": \"" + secret + "\x01\"}"}) {
    const auto e = locate_json_syntax_error(text);
    ASSERT_TRUE(e.has_value()) << text;
    EXPECT_EQ(e->message.find("Hunter2"), std::string::npos) << e->message;
    EXPECT_EQ(e->message.find("last read"), std::string::npos) << e->message;
    EXPECT_LT(e->message.size(), 120u) << e->message;
  }
}

}  // namespace
}  // namespace ktriage
