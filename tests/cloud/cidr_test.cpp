// IPv4 blocks as rules and vSwitches write them.
#include "cloud/cidr.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

TEST(CidrTest, ParsesContainsAndOverlaps) {
  EXPECT_EQ(parse_cidr("10.0.1.5")->text(), "10.0.1.5/32");
  EXPECT_EQ(parse_cidr("10.0.1.5/16")->text(), "10.0.0.0/16");
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(*parse_cidr("1.2.3.4")));
  EXPECT_TRUE(parse_cidr("100.64.0.0/10")->contains(*parse_cidr("100.100.2.136")));
  EXPECT_FALSE(parse_cidr("100.64.0.0/10")->contains(*parse_cidr("100.128.0.1")));
  EXPECT_TRUE(parse_cidr("10.0.0.0/8")->overlaps(*parse_cidr("10.1.0.0/16")));
  EXPECT_EQ(parse_cidr("10.1.0.0/24")->size(), 256u);
  EXPECT_FALSE(parse_cidr("::/0"));
  EXPECT_FALSE(parse_cidr("10.0.0.256"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("10.0.0"));
}

}  // namespace
}  // namespace ktriage::cloud
