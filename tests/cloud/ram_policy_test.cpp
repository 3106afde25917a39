// RAM policy documents: parsing (and its errors) and the Allow / Deny / implicit-deny decision.
#include "cloud/ram_policy.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

PolicyDocument parse(std::string_view json) {
  auto doc = parse_policy_document(json);
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().where + ": " + doc.error().message);
  return doc ? *doc : PolicyDocument{};
}

TEST(RamPolicyTest, ParsesStringsListsAndSingleStatement) {
  auto doc = parse(R"({"Version":"1","Statement":[
      {"Effect":"Allow","Action":"cs:Describe*","Resource":"*"},
      {"Effect":"Deny","NotAction":["ecs:*","vpc:*"],"NotResource":"acs:ecs:*:*:instance/i-1",
       "Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]})");
  ASSERT_EQ(doc.statements.size(), 2u);
  EXPECT_EQ(doc.version, "1");
  EXPECT_TRUE(doc.statements[0].allow);
  EXPECT_EQ(doc.statements[0].actions, std::vector<std::string>{"cs:Describe*"});
  EXPECT_FALSE(doc.statements[1].allow);
  EXPECT_TRUE(doc.statements[1].not_action);
  EXPECT_TRUE(doc.statements[1].not_resource);
  EXPECT_EQ(doc.statements[1].condition, R"({"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}})");
  auto single = parse(R"({"Version":"1","Statement":{"Effect":"allow","Action":"*"}})");
  ASSERT_EQ(single.statements.size(), 1u);
  EXPECT_TRUE(single.statements[0].allow);
}

TEST(RamPolicyTest, MalformedDocumentsGetClearErrors) {
  struct Case {
    std::string_view json, where, message_part;
  } cases[] = {
      {R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*"})", "", "not valid JSON"},
      {"", "", "not valid JSON"},
      {"[1]", "", "not a JSON object"},
      {R"({"Version":"1"})", "Statement", "missing"},
      {R"({"Statement":"x"})", "Statement", "list"},
      {R"({"Statement":[{"Effect":"Maybe","Action":"cs:*"}]})", "Statement[0].Effect", "Maybe"},
      {R"({"Statement":[{"Action":"cs:*"}]})", "Statement[0].Effect", "missing"},
      {R"({"Statement":[{"Effect":"Allow"}]})", "Statement[0]", "neither Action nor NotAction"},
      {R"({"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b"}]})", "Statement[0]",
       "both"},
      {R"({"Statement":[{"Effect":"Allow","Action":[1]}]})", "Statement[0].Action", "string"},
      {R"({"Statement":[{"Effect":"Allow","Action":"a","Resource":{}}]})", "Statement[0].Resource",
       "string"},
      {R"({"Statement":[{"Effect":"Allow","Action":"a"},7]})", "Statement[1]", "object"},
  };
  for (const Case& c : cases) {
    auto doc = parse_policy_document(c.json);
    ASSERT_FALSE(doc) << c.json;
    EXPECT_EQ(doc.error().where, c.where) << c.json;
    EXPECT_NE(doc.error().message.find(c.message_part), std::string::npos)
        << c.json << " -> " << doc.error().message;
  }
}

TEST(RamPolicyTest, WildcardsMatchActionsCaseInsensitivelyAndCoverPatterns) {
  EXPECT_TRUE(wildcard_match("cs:*", "cs:CreateCluster", true));
  EXPECT_TRUE(wildcard_match("ecs:Describe*", "ECS:describeinstances", true));
  EXPECT_FALSE(wildcard_match("ecs:Describe*", "ecs:CreateInstance", true));
  EXPECT_TRUE(wildcard_match("*", "anything", true));
  EXPECT_TRUE(wildcard_match("ram:*", "ram:List*", true));
  EXPECT_TRUE(wildcard_match("ram:List*", "ram:List*", true));
  EXPECT_FALSE(wildcard_match("ram:ListUsers", "ram:List*", true));
  EXPECT_TRUE(wildcard_match("acs:cs:*:*:cluster/c1*", "acs:cs:*:*:cluster/c123", false));
  EXPECT_FALSE(wildcard_match("acs:cs:*:*:cluster/C123", "acs:cs:*:*:cluster/c123", false));
  EXPECT_FALSE(wildcard_match("cs:Create", "cs:CreateCluster", true));
}

TEST(RamPolicyTest, ExplicitDenyOverridesAllowAndNoAllowIsImplicitDeny) {
  auto full =
      parse(R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*","Resource":"*"}]})");
  auto deny = parse(
      R"({"Version":"1","Statement":[{"Effect":"Deny","Action":"cs:CreateCluster","Resource":"*"}]})");
  auto read = parse(
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":["cs:Describe*","cs:Get*"],"Resource":"*"}]})");
  std::vector<AttachedPolicy> both = {{"AliyunCSFullAccess", "System", &full},
                                      {"no-create", "Custom", &deny}};
  auto ev = evaluate(both, "cs:CreateCluster", "*");
  EXPECT_EQ(ev.decision, Decision::kExplicitDeny);
  ASSERT_EQ(ev.denies.size(), 1u);
  EXPECT_EQ(ev.denies[0].policy, "no-create");
  EXPECT_EQ(ev.allows.size(), 1u);
  EXPECT_EQ(evaluate(both, "cs:DescribeClusterDetail", "*").decision, Decision::kAllowed);

  std::vector<AttachedPolicy> readonly = {{"cs-read", "Custom", &read}};
  EXPECT_EQ(evaluate(readonly, "cs:CreateCluster", "*").decision, Decision::kImplicitDeny);
  EXPECT_EQ(evaluate(readonly, "cs:describeclusterdetail", "*").decision, Decision::kAllowed);
  EXPECT_EQ(evaluate({}, "cs:CreateCluster", "*").decision, Decision::kImplicitDeny);
}

TEST(RamPolicyTest, ConditionsNotActionsResourcesAndMissingDocuments) {
  auto cond = parse(R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*",
      "Resource":"*","Condition":{"Bool":{"acs:MFAPresent":"true"}}}]})");
  std::vector<AttachedPolicy> p = {{"mfa-only", "Custom", &cond}};
  EXPECT_EQ(evaluate(p, "cs:CreateCluster", "*").decision, Decision::kConditional);

  auto not_action = parse(
      R"({"Version":"1","Statement":[{"Effect":"Allow","NotAction":"ram:*","Resource":"*"}]})");
  std::vector<AttachedPolicy> na = {{"all-but-ram", "Custom", &not_action}};
  EXPECT_EQ(evaluate(na, "cs:CreateCluster", "*").decision, Decision::kAllowed);
  EXPECT_EQ(evaluate(na, "ram:AttachPolicyToUser", "*").decision, Decision::kImplicitDeny);

  auto scoped = parse(R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*",
      "Resource":"acs:cs:*:*:cluster/c123"}]})");
  std::vector<AttachedPolicy> sc = {{"one-cluster", "Custom", &scoped}};
  EXPECT_EQ(evaluate(sc, "cs:DescribeClusterDetail", "acs:cs:*:*:cluster/c123").decision,
            Decision::kAllowed);
  auto other = evaluate(sc, "cs:DescribeClusterDetail", "acs:cs:*:*:cluster/c999");
  EXPECT_EQ(other.decision, Decision::kImplicitDeny);
  EXPECT_EQ(other.scoped.size(), 1u);

  std::vector<AttachedPolicy> missing = {{"AliyunCSFullAccess", "System", nullptr}};
  auto m = evaluate(missing, "cs:CreateCluster", "*");
  EXPECT_EQ(m.decision, Decision::kUnknown);
  EXPECT_EQ(m.missing_documents, std::vector<std::string>{"AliyunCSFullAccess"});
  EXPECT_NE(to_string(Decision::kConditional).find("request context"), std::string_view::npos);
}

// A conditional Deny only matters when something allows the action: with nothing allowing it,
// the action is denied whatever the Condition says.
TEST(RamPolicyTest, ConditionalDenyWithoutAllowIsImplicitDeny) {
  auto cond_deny = parse(R"({"Version":"1","Statement":[{"Effect":"Deny","Action":"cs:*",
      "Resource":"*","Condition":{"Bool":{"acs:MFAPresent":"false"}}}]})");
  auto read = parse(
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:Describe*","Resource":"*"}]})");
  std::vector<AttachedPolicy> only_deny = {{"no-mfa-deny", "Custom", &cond_deny}};
  EXPECT_EQ(evaluate(only_deny, "cs:CreateCluster", "*").decision, Decision::kImplicitDeny);
  std::vector<AttachedPolicy> with_allow = {{"no-mfa-deny", "Custom", &cond_deny},
                                            {"cs-read", "Custom", &read}};
  EXPECT_EQ(evaluate(with_allow, "cs:DescribeClusters", "*").decision, Decision::kConditional);
  EXPECT_EQ(evaluate(with_allow, "cs:CreateCluster", "*").decision, Decision::kImplicitDeny);
}

// A missing document may hold an explicit Deny: "allowed" becomes "allowed unless it denies".
TEST(RamPolicyTest, AllowedWithMissingDocumentsIsAllowedUnlessDenied) {
  auto full =
      parse(R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*","Resource":"*"}]})");
  std::vector<AttachedPolicy> p = {{"AliyunCSFullAccess", "System", &full},
                                   {"guard", "Custom", nullptr}};
  auto ev = evaluate(p, "cs:CreateCluster", "*");
  EXPECT_EQ(ev.decision, Decision::kAllowedUnlessDenied);
  EXPECT_EQ(ev.missing_documents, std::vector<std::string>{"guard"});
  EXPECT_NE(to_string(ev.decision).find("unless"), std::string_view::npos);
  std::vector<AttachedPolicy> known = {{"AliyunCSFullAccess", "System", &full}};
  EXPECT_EQ(evaluate(known, "cs:CreateCluster", "*").decision, Decision::kAllowed);
}

// A required pattern is denied by a Deny of any action inside it, not only by one covering it.
TEST(RamPolicyTest, DenyOfOneActionInsideARequiredPatternCounts) {
  auto full =
      parse(R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*","Resource":"*"},
      {"Effect":"Deny","Action":"cs:DescribeClusterDetail","Resource":"*"}]})");
  std::vector<AttachedPolicy> p = {{"mixed", "Custom", &full}};
  auto ev = evaluate(p, "cs:Describe*", "*");
  EXPECT_EQ(ev.decision, Decision::kExplicitDeny);
  ASSERT_EQ(ev.denies.size(), 1u);
  EXPECT_EQ(ev.denies[0].statement, 1u);
  EXPECT_EQ(evaluate(p, "cs:Get*", "*").decision, Decision::kAllowed);
  // Overlap of two patterns: "cs:*Detail" and "cs:Describe*" share cs:DescribeClusterDetail.
  auto star = parse(
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"cs:*","Resource":"*"},
      {"Effect":"Deny","Action":"CS:*detail","Resource":"*"}]})");
  std::vector<AttachedPolicy> s = {{"star", "Custom", &star}};
  EXPECT_EQ(evaluate(s, "cs:Describe*", "*").decision, Decision::kExplicitDeny);
  EXPECT_EQ(evaluate(s, "cs:List*", "*").decision, Decision::kExplicitDeny);  // cs:List...Detail
  EXPECT_EQ(evaluate(s, "cs:ListUsers", "*").decision, Decision::kAllowed);
  EXPECT_EQ(evaluate(s, "ram:List*", "*").decision, Decision::kImplicitDeny);
}

// Every prefix of a document and every single-byte corruption of it parses or fails with a
// message: never a crash, never an empty error.
TEST(RamPolicyTest, TruncatedAndCorruptedDocumentsNeverCrash) {
  const std::string doc =
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":["cs:*","ecs:Describe*"],)"
      R"("Resource":"acs:cs:*:*:cluster/c1","Condition":{"Bool":{"acs:MFAPresent":"true"}}},)"
      R"({"Effect":"Deny","NotAction":"ram:*","NotResource":["*"]}]})";
  for (std::size_t n = 0; n < doc.size(); ++n) {
    auto r = parse_policy_document(std::string_view(doc).substr(0, n));
    if (!r) {
      EXPECT_FALSE(r.error().message.empty()) << n;
    }
  }
  for (std::size_t i = 0; i < doc.size(); ++i) {
    for (char c : {'\0', '"', '{', ']', ',', 'x', '\xff'}) {
      std::string bad = doc;
      bad[i] = c;
      auto r = parse_policy_document(bad);
      if (r) {
        std::vector<AttachedPolicy> p = {{"p", "Custom", &*r}};
        (void)evaluate(p, "cs:CreateCluster", "*");
      } else {
        EXPECT_FALSE(r.error().message.empty()) << bad;
      }
    }
  }
}

}  // namespace
}  // namespace ktriage::cloud
