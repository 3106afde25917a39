#include "network/cidr.h"

#include <gtest/gtest.h>

namespace ktriage::network {
namespace {

TEST(NetworkCidrTest, ParsesAndContains) {
  EXPECT_TRUE(parse_cidr("10.0.0.0/8")->contains(*parse_cidr("10.1.2.3")));
  EXPECT_FALSE(parse_cidr("10.0.0.0/8")->contains(*parse_cidr("11.0.0.1")));
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(*parse_cidr("203.0.113.10")));
  EXPECT_TRUE(parse_cidr("172.17.0.0/16")->contains(*parse_cidr("172.17.1.0/24")));
  EXPECT_FALSE(parse_cidr("172.17.1.0/24")->contains(*parse_cidr("172.17.0.0/16")));
  EXPECT_TRUE(parse_cidr("2001:db8::/32")->contains(*parse_cidr("2001:db8:ffff::1")));
  EXPECT_FALSE(parse_cidr("2001:db8::/32")->contains(*parse_cidr("2001:db9::1")));
  EXPECT_FALSE(parse_cidr("::/0")->contains(*parse_cidr("1.2.3.4")));  // families apart
  EXPECT_TRUE(parse_cidr("::ffff:0:0/96")->contains(*parse_cidr("::ffff:1.2.3.4")));
  EXPECT_EQ(parse_cidr("10.0.0.5/24")->to_string(), "10.0.0.0/24");  // host bits cleared
  EXPECT_EQ(parse_cidr("2001:db8:0:0:1:0:0:1")->to_string(), "2001:db8::1:0:0:1");
  EXPECT_EQ(parse_cidr("fe80::/10")->to_string(), "fe80::/10");
}

TEST(NetworkCidrTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "10.0.0", "10.0.0.256", "10.0.0.0/", "10.0.0.0/x", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "12345::", "10.0.0.0/40", "::/129", "web.shop", "1.2.3.4.5", ":1"}) {
    EXPECT_FALSE(parse_cidr(bad).has_value()) << bad;
  }
  EXPECT_TRUE(looks_like_ip("10.0.0.5"));
  EXPECT_TRUE(looks_like_ip("2001:db8::/64"));
  EXPECT_FALSE(looks_like_ip("web.shop.svc.cluster.local"));
}

}  // namespace
}  // namespace ktriage::network
