#include "core/value.h"

#include <gtest/gtest.h>

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
  Member members[] = {{"a", Value::string(arena.copy("12"))}, {"b", Value::integer(3)}};
  Value obj = Value::object(arena.copy(members, 2), 2);
  EXPECT_EQ(obj["a"].as_int(), 12);
  EXPECT_EQ(obj["b"].as_int(), 3);
  EXPECT_TRUE(obj.contains("a"));
  EXPECT_FALSE(obj.contains("c"));
  EXPECT_EQ(obj.size(), 2u);
}

}  // namespace
}  // namespace ktriage
