// The catalog's operations and the fix they produce: a minimal policy and the attach commands.
#include "cloud/ram_operations.h"

#include <gtest/gtest.h>

#include "cloud/ram_policy.h"

namespace ktriage::cloud {
namespace {

TEST(RamOperationsTest, OperationsNameTheCatalogActions) {
  ASSERT_GE(ram_operations().size(), 2u);
  const RamOperation& create = ram_operations()[0];
  EXPECT_EQ(create.id, "create-cluster");
  ASSERT_EQ(create.actions.size(), 1u);
  EXPECT_EQ(create.actions[0], "cs:CreateCluster");
  EXPECT_TRUE(create.always);
}

TEST(RamOperationsTest, MinimalPolicyParsesAndAllowsExactlyItsActions) {
  std::vector<std::string> actions = {"cs:CreateCluster", "ram:List*"};
  const std::string json = minimal_policy(actions);
  EXPECT_EQ(
      json,
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":["cs:CreateCluster","ram:List*"],"Resource":"*"}]})");
  auto doc = parse_policy_document(json);
  ASSERT_TRUE(doc);
  std::vector<AttachedPolicy> p = {{"fix", "Custom", &*doc}};
  EXPECT_EQ(evaluate(p, "cs:CreateCluster", "*").decision, Decision::kAllowed);
  EXPECT_EQ(evaluate(p, "ram:List*", "*").decision, Decision::kAllowed);
  EXPECT_EQ(evaluate(p, "cs:DeleteCluster", "*").decision, Decision::kImplicitDeny);
}

TEST(RamOperationsTest, AttachCommandsQuoteForTheShell) {
  EXPECT_EQ(
      attach_commands("ktriage-create-cluster", R"({"Version":"1"})", IdentityKind::kUser,
                      "dev-alice"),
      R"(aliyun ram CreatePolicy --PolicyName 'ktriage-create-cluster' --PolicyDocument '{"Version":"1"}' && aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName 'ktriage-create-cluster' --UserName 'dev-alice')");
  EXPECT_NE(
      attach_commands("p", "{}", IdentityKind::kRole, "o'brien")
          .find("AttachPolicyToRole --PolicyType Custom --PolicyName 'p' --RoleName 'o'\\''brien'"),
      std::string::npos);
}

}  // namespace
}  // namespace ktriage::cloud
