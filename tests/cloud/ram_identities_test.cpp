// RAM identities: who the policies are attached to, and where each document comes from.
#include "cloud/ram_identities.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cluster_from;

const std::string kList = R"({"Policies": {"Policy": [
  {"PolicyName": "sys", "PolicyType": "System"}, {"PolicyName": "mine", "PolicyType": "Custom"},
  {"PolicyName": "gone", "PolicyType": "Custom"}, {"PolicyType": "Custom"}]}})";

TEST(RamIdentitiesTest, DocumentsFromGetPolicyAndGetPolicyVersion) {
  auto c =
      cluster_from({{"s/cloud/ram-ListPoliciesForRole-ops.json", kList},
                    {"s/cloud/ram-GetPolicy-sys.json",
                     R"({"Policy": {"PolicyName": "sys"}, "DefaultPolicyVersion": {"PolicyDocument":
            "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cs:*\"}]}"}})"},
                    {"s/cloud/ram-GetPolicyVersion-mine.json",
                     R"({"PolicyVersion": {"PolicyDocument": "{\"Version\":\"1\"}"}})"}});
  auto ids = ram_identities(*c);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].kind, IdentityKind::kRole);
  EXPECT_EQ(ids[0].describe(), "RAM role ops");
  ASSERT_EQ(ids[0].policies.size(), 3u);  // the nameless entry is dropped
  EXPECT_TRUE(ids[0].policies[0].document);
  EXPECT_EQ(ids[0].policies[0].document_path, ".DefaultPolicyVersion.PolicyDocument");
  EXPECT_FALSE(ids[0].policies[1].document);
  ASSERT_TRUE(ids[0].policies[1].error);
  EXPECT_EQ(ids[0].policies[1].error->where, "Statement");
  EXPECT_FALSE(ids[0].policies[2].document);
  EXPECT_FALSE(ids[0].policies[2].error);
  auto attached = ids[0].attached();
  ASSERT_EQ(attached.size(), 3u);
  EXPECT_NE(attached[0].document, nullptr);
  EXPECT_EQ(attached[2].document, nullptr);
}

TEST(RamIdentitiesTest, UserNameFromFileGetUserOrNowhere) {
  auto named = cluster_from({{"s/cloud/ram-ListPoliciesForUser.json", kList},
                             {"s/cloud/ram-GetUser.json", R"({"User": {"UserName": "carol"}})"}});
  EXPECT_EQ(ram_identities(*named)[0].name, "carol");
  auto unnamed = cluster_from({{"s/cloud/ram-ListPoliciesForUser.json", kList}});
  EXPECT_EQ(ram_identities(*unnamed)[0].describe(), "the RAM user (not named in the snapshot)");
  auto none = cluster_from({{"s/cloud/cs-DescribeClusterLogs.json", "[]"}});
  EXPECT_TRUE(ram_identities(*none).empty());
}

}  // namespace
}  // namespace ktriage::cloud
