// The cloud/ folder end to end: an example-like snapshot with a damaged cloud answer still gets
// its report, and the damage is named at file:line:col; `collect --cloud` against the test API
// server with a fake `aliyun` on PATH (installed and configured, not configured, not installed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "apiserver/test_apiserver.h"
#include "cli/cloud_collect.h"
#include "live/process.h"
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

// STS temporary AccessKeyIds (STS.<id>) are masked like long-term ones (LTAI...).
TEST(CloudCollectMaskTest, StsAccessKeyIdsAreMasked) {
  const std::string err =
      "ErrorCode: InvalidAccessKeyId.NotFound AccessKeyId: STS.NUaBcDeFgHiJkLmNoPq1234 and "
      "LTAI5tQ9xZk3YbN7Lm2Pw8Rv";
  const std::string m = mask_cli_text(err);
  EXPECT_EQ(m.find("NUaBcDeFgHiJkLmNoPq1234"), std::string::npos) << m;
  EXPECT_EQ(m.find("5tQ9xZk3YbN7Lm2Pw8Rv"), std::string::npos) << m;
  EXPECT_NE(m.find("STS.***"), std::string::npos) << m;
  EXPECT_NE(m.find("InvalidAccessKeyId.NotFound"), std::string::npos) << m;
}

// A node pool's login password and user data never reach the bundle; names and paging cursors
// stay.
TEST(CloudCollectMaskTest, SecretFieldsOfAnswersAreMasked) {
  const std::string answer = R"({"nodepools": [{"scaling_group": {
    "login_password": "Hunter2!x", "key_pair": "ops-key", "user_data": "IyEvYmluL3NoCg==",
    "escaped": "a\"b", "security_group_id": "sg-1"}}], "NextToken": "abc",
    "kubeconfig": "apiVersion: v1\nclusters: []", "empty_password": ""})";
  std::vector<std::string> keys;
  const std::string out = mask_answer_secrets(answer, &keys);
  EXPECT_EQ(out.find("Hunter2"), std::string::npos) << out;
  EXPECT_EQ(out.find("IyEvYmluL3NoCg"), std::string::npos) << out;
  EXPECT_EQ(out.find("clusters: []"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("login_password": "***")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("key_pair": "ops-key")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("NextToken": "abc")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("escaped": "a\"b")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("security_group_id": "sg-1")"), std::string::npos) << out;
  EXPECT_EQ(keys, (std::vector<std::string>{"login_password", "user_data", "kubeconfig"}));
}

// Output over the limit is cut and said, not silently shortened.
TEST(CloudCollectMaskTest, RunProcessSaysWhenOutputWasCut) {
  auto r = run_process("/bin/sh", {"sh", "-c", "head -c 100000 /dev/zero"}, current_environment(),
                       false, 10000, 1000);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->out.size(), 1000u);
  EXPECT_TRUE(r->out_truncated);
  auto small =
      run_process("/bin/sh", {"sh", "-c", "printf abc"}, current_environment(), false, 10000, 1000);
  ASSERT_TRUE(small) << small.error();
  EXPECT_EQ(small->out, "abc");
  EXPECT_FALSE(small->out_truncated);
}

// The test API server serving examples/cloud-failure, and `collect --cloud` against it with
// tests/cli/testdata/fake-aliyun first on PATH.
class CollectCloudTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"})
      ::unsetenv(v);
    tls_ = ktriage::testing::generate_tls_files(dir_.path());
    ktriage::testing::ServerOptions o;
    o.snapshot = testing::source_dir() + "/examples/cloud-failure";
    o.token = "t0ken-for-tests";
    auto server = ktriage::testing::TestApiServer::start(o, tls_);
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
    kubeconfig_ = dir_.path() + "/kubeconfig";
    server_->write_kubeconfig(kubeconfig_);
    path_ = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    calls_ = dir_.path() + "/calls.txt";
    ::setenv("ANSWERS", (testing::source_dir() + "/examples/cloud-failure/cloud").c_str(), 1);
    ::setenv("CALLS", calls_.c_str(), 1);
  }
  void TearDown() override {  // tests share a process (make test shards them): leave no trace
    ::setenv("PATH", path_.c_str(), 1);
    for (const char* v : {"FAKE_ALIYUN_MODE", "ANSWERS", "CALLS"}) ::unsetenv(v);
  }
  void fake_aliyun_on_path() {
    ::setenv("PATH", (testing::source_dir() + "/tests/cli/testdata/fake-aliyun:" + path_).c_str(),
             1);
  }
  testing::CommandResult collect(const std::string& bundle) {
    return testing::run_ktriage("collect --cloud -o " + bundle + " --kubeconfig " + kubeconfig_);
  }
  testing::TempDir dir_;
  ktriage::testing::TlsFiles tls_;
  std::unique_ptr<ktriage::testing::TestApiServer> server_;
  std::string kubeconfig_, path_, calls_;
};

TEST_F(CollectCloudTest, ConfiguredCliFillsCloudAndDiagnoseUsesIt) {
  fake_aliyun_on_path();
  const std::string bundle = dir_.path() + "/b.tar.gz";
  auto r = collect(bundle);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1h5t8r2p6yj0kze3wq.json"),
            std::string::npos)
      << r.err;
  const std::string calls = testing::read_file(calls_);
  EXPECT_NE(calls.find("sts GetCallerIdentity"), std::string::npos) << calls;
  EXPECT_NE(calls.find("cs GET /clusters/c5b2e8f1a9d3c4e7b6a0f1d2e3c4b5a6f --region cn-hangzhou"),
            std::string::npos)
      << calls;
  EXPECT_NE(calls.find("ecs DescribeInstances --InstanceIds "
                       "[\"i-bp1d4k7m2q9t3w6x8z0a\",\"i-bp1g2n5r8u1x4a7c9e3f\"] --PageSize 100 "
                       "--RegionId cn-hangzhou"),
            std::string::npos)
      << calls;
  EXPECT_NE(calls.find("ecs DescribeSecurityGroupAttribute --SecurityGroupId "
                       "sg-bp1c7qk3v2m9xw4ndf0a --RegionId cn-hangzhou"),
            std::string::npos)
      << calls;
  EXPECT_NE(calls.find("vpc DescribeVSwitches --VpcId vpc-bp1m8q2w5e9r3t7y1u4i"), std::string::npos)
      << calls;
  EXPECT_NE(calls.find("ram ListPoliciesForUser --UserName ops-alice"), std::string::npos) << calls;

  auto d = testing::run_ktriage("diagnose " + bundle + " -o json");
  EXPECT_EQ(d.exit_code, 1) << d.err;
  EXPECT_NE(d.out.find("\"catalog\": \"ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED\""), std::string::npos)
      << d.out;
  EXPECT_NE(d.out.find("\"name\": \"sg-bp1h5t8r2p6yj0kze3wq\""), std::string::npos);
}

TEST_F(CollectCloudTest, UnconfiguredCliIsSaidWithoutItsKeyAndTheBundleIsStillWritten) {
  fake_aliyun_on_path();
  ::setenv("FAKE_ALIYUN_MODE", "unconfigured", 1);
  const std::string bundle = dir_.path() + "/b.tar.gz";
  auto r = collect(bundle);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("cloud answers not collected: the aliyun CLI"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is not configured or its credentials are refused"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("InvalidAccessKeyId.NotFound"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("LTAI5tQ9xZk3YbN7Lm2Pw8Rv"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(bundle));
  auto d = testing::run_ktriage("diagnose " + bundle);
  EXPECT_NE(d.out.find("cloud answers not collected"), std::string::npos) << d.out;
  EXPECT_EQ(d.out.find("LTAI5tQ9xZk3YbN7Lm2Pw8Rv"), std::string::npos);
}

TEST_F(CollectCloudTest, MissingCliIsSaidAndTheBundleIsStillWritten) {
  ::setenv("PATH", "/usr/bin:/bin", 1);  // no aliyun there (it is not a Debian package)
  const std::string bundle = dir_.path() + "/b.tar.gz";
  auto r = collect(bundle);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("the Alibaba Cloud CLI (aliyun) is not installed or not on PATH"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::exists(bundle));
  EXPECT_FALSE(fs::exists(calls_));
}

}  // namespace
}  // namespace ktriage
