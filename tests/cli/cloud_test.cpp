// The cloud/ folder end to end: an example-like snapshot with a damaged cloud answer still gets
// its report, and the damage is named at file:line:col.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "live/temp_dir.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

TEST(CloudCliTest, BadCloudJsonIsNamedAtLineAndColumnAndTheRunGoesOn) {
  testing::TempDir dir;
  const fs::path snap = fs::path(dir.path()) / "snap";
  fs::copy(testing::source_dir() + "/examples/cloud-failure", snap, fs::copy_options::recursive);
  // Cut the vSwitches answer short in the middle of its second record (a copy that stopped).
  const fs::path vsw = snap / "cloud" / "vpc-DescribeVSwitches.json";
  std::string text = testing::read_file(vsw.string());
  const std::size_t cut = text.find("\"VSwitchId\"", text.find("\"VSwitchId\"") + 1);
  ASSERT_NE(cut, std::string::npos);
  text = text.substr(0, cut) + "\"VSwitchId\": \"vsw-bp1p4s7v0y3b6e9h2k5n\",\n";
  std::ofstream(vsw, std::ios::binary | std::ios::trunc) << text;
  // The error is where the text ends: the line after its last newline.
  const auto line = 1 + std::count(text.begin(), text.end(), '\n');

  auto r = testing::run_ktriage("diagnose '" + snap.string() + "' --no-color");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // The security-group finding is still there: the other answers were read.
  EXPECT_NE(r.out.find("[ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED]"), std::string::npos) << r.out;
  const std::string where = "cloud/vpc-DescribeVSwitches.json:" + std::to_string(line) + ":";
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find(where), std::string::npos) << all;
  EXPECT_NE(all.find("in the `aliyun vpc DescribeVSwitches` answer; the file was skipped"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace ktriage
