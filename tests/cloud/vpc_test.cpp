// Typed view of vpc DescribeVSwitches.
#include "cloud/vpc.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

TEST(CloudVpcTest, ParsesVSwitchesWithFreeAddresses) {
  auto cluster = ktriage::testing::cluster_from({{"s/cloud/vpc-DescribeVSwitches.json", R"({
    "VSwitches": {"VSwitch": [
      {"VSwitchId": "vsw-pods-h", "VpcId": "vpc-1", "ZoneId": "cn-hangzhou-h",
       "CidrBlock": "10.1.0.0/24", "AvailableIpAddressCount": 0, "Status": "Available",
       "VSwitchName": "pods-h"},
      {"VSwitchId": "vsw-nodes", "CidrBlock": "10.0.0.0/24"}]},
    "TotalCount": 2})"}});
  auto list = vswitches(*cluster);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "vsw-pods-h");
  EXPECT_EQ(list[0].zone, "cn-hangzhou-h");
  EXPECT_EQ(list[0].cidr, "10.1.0.0/24");
  EXPECT_EQ(list[0].available_ips, 0);
  EXPECT_EQ(list[1].available_ips, -1);  // absent, not zero
  EXPECT_EQ(list[1].index, 1u);
}

}  // namespace
}  // namespace ktriage::cloud
