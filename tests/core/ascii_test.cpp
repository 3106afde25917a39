// ASCII case folding: only A-Z change, whatever the locale; other bytes pass through.
#include "core/ascii.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(AsciiTest, LowerChangesOnlyAsciiCapitals) {
  EXPECT_EQ(ascii_lower("ReplicaSet"), "replicaset");
  EXPECT_EQ(ascii_lower("TCP/8080"), "tcp/8080");
  EXPECT_EQ(ascii_lower(""), "");
  EXPECT_EQ(ascii_lower("[@Z`a{]"), "[@z`a{]");  // the bytes around A-Z and a-z stay
  EXPECT_EQ(ascii_lower("K\xC3\x84se.TGZ"), "k\xC3\x84se.tgz");  // UTF-8 (Ä) unchanged
}

TEST(AsciiTest, EqualIgnoringCase) {
  EXPECT_TRUE(equal_ignoring_case("Deployment", "deployment"));
  EXPECT_TRUE(equal_ignoring_case("INGRESS", "ingress"));
  EXPECT_TRUE(equal_ignoring_case("", ""));
  EXPECT_FALSE(equal_ignoring_case("Pod", "Pods"));
  EXPECT_FALSE(equal_ignoring_case("pod", "pid"));
  EXPECT_FALSE(equal_ignoring_case("@", "`"));  // 0x40 and 0x60 differ by the case bit only
  EXPECT_FALSE(equal_ignoring_case("\xC3\x84", "\xC3\xA4"));  // Ä and ä are not ASCII
}

}  // namespace
}  // namespace ktriage
