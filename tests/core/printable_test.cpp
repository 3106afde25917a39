#include "core/printable.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(PrintableTest, ControlCharactersAreShownNotSent) {
  EXPECT_EQ(printable("a\x1b[2Jb\x07\tc"), "a\\x1b[2Jb\\x07\tc");
  EXPECT_EQ(printable("del\x7f"), "del\\x7f");
  EXPECT_EQ(printable("plain ü"), "plain ü");
}

}  // namespace
}  // namespace ktriage
