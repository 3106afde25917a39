// RAM authorisation from a snapshot's cloud/ folder: attached policies evaluated against the
// catalog's actions and against refusal records; unreadable policy documents.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_rule;

const std::string kAttached = R"({"RequestId": "r1", "Policies": {"Policy": [
  {"PolicyName": "AliyunCSReadOnlyAccess", "PolicyType": "System",
   "AttachDate": "2026-11-01T08:00:00Z"},
  {"PolicyName": "dev-extra", "PolicyType": "Custom", "AttachDate": "2026-11-02T08:00:00Z"}]}})";

std::string version(std::string_view document_json_string) {
  return R"({"RequestId": "r2", "PolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true,
    "CreateDate": "2026-11-01T08:00:00Z", "PolicyDocument": )" +
         std::string(document_json_string) + "}}";
}

const std::string kReadOnly = version(
    R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"cs:Get*\",\"cs:Describe*\",\"cs:List*\"],\"Resource\":\"*\"}]}")");
const std::string kExtra = version(
    R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"vpc:Describe*\",\"Resource\":\"*\"}]}")");

std::vector<Finding> run(std::vector<std::pair<std::string, std::string>> files) {
  return diagnose(*cluster_from(files));
}

TEST(RamTest, UserWithoutCreateClusterIsToldWhichPolicyToAttach) {
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly},
                {"s/cloud/ram-GetPolicyVersion-dev-extra.json", kExtra}});
  auto r = with_rule(f, "ram-create-cluster-not-allowed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "RAMUser/dev-alice");
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_NE(r[0]->summary.find("cs:CreateCluster is not allowed (implicit deny"), std::string::npos)
      << r[0]->summary;
  EXPECT_NE(r[0]->summary.find("AliyunCSReadOnlyAccess, dev-extra"), std::string::npos);
  EXPECT_EQ(r[0]->evidence[0].file, "s/cloud/ram-ListPoliciesForUser-dev-alice.json");
  EXPECT_NE(
      r[0]->fix.find(
          R"(--PolicyDocument '{"Version":"1","Statement":[{"Effect":"Allow","Action":["cs:CreateCluster"],"Resource":"*"}]}')"),
      std::string::npos)
      << r[0]->fix;
  EXPECT_NE(r[0]->fix.find("aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName "
                           "'ktriage-create-cluster' --UserName 'dev-alice'"),
            std::string::npos);
  // dev-extra allows vpc:Describe*: no advice to attach VPC read access.
  EXPECT_EQ(r[0]->fix.find("AliyunVPCReadOnlyAccess"), std::string::npos) << r[0]->fix;
  // Without it, the advice is there.
  auto without = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                      {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly},
                      {"s/cloud/ram-GetPolicyVersion-dev-extra.json", kReadOnly}});
  auto w = with_rule(without, "ram-create-cluster-not-allowed");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0]->fix.find("attach AliyunVPCReadOnlyAccess"), std::string::npos) << w[0]->fix;
}

TEST(RamTest, AllowedOrExplicitlyDeniedOrConditional) {
  const std::string full = version(
      R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cs:*\",\"Resource\":\"*\"}]}")");
  auto allowed =
      run({{"s/cloud/ram-ListPoliciesForUser-ops.json",
            R"({"Policies": {"Policy": [{"PolicyName": "full", "PolicyType": "Custom"}]}})"},
           {"s/cloud/ram-GetPolicyVersion-full.json", full}});
  EXPECT_TRUE(with_rule(allowed, "ram-create-cluster-not-allowed").empty());

  const std::string deny = version(
      R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"cs:CreateCluster\",\"Resource\":\"*\"}]}")");
  auto denied = run({{"s/cloud/ram-ListPoliciesForRole-ci.json",
                      R"({"Policies": {"Policy": [{"PolicyName": "full", "PolicyType": "Custom"},
                                    {"PolicyName": "no-create", "PolicyType": "Custom"}]}})"},
                     {"s/cloud/ram-GetPolicyVersion-full.json", full},
                     {"s/cloud/ram-GetPolicyVersion-no-create.json", deny}});
  auto r = with_rule(denied, "ram-create-cluster-not-allowed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "RAMRole/ci");
  EXPECT_NE(r[0]->summary.find("explicitly denied"), std::string::npos);
  EXPECT_NE(r[0]->fix.find("Deny statements of no-create"), std::string::npos);

  const std::string cond = version(
      R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cs:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"acs:MFAPresent\":\"true\"}}}]}")");
  auto conditional =
      run({{"s/cloud/ram-ListPoliciesForUser-mfa.json",
            R"({"Policies": {"Policy": [{"PolicyName": "mfa", "PolicyType": "Custom"}]}})"},
           {"s/cloud/ram-GetPolicyVersion-mfa.json", cond}});
  auto c = with_rule(conditional, "ram-create-cluster-not-allowed");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]->severity, Severity::kInfo);
  EXPECT_NE(c[0]->summary.find("depends on the request context"), std::string::npos);
}

TEST(RamTest, RefusalRecordNamesTheActionAndConfirmsItAgainstThePolicies) {
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly},
                {"s/cloud/ram-GetPolicyVersion-dev-extra.json", kExtra},
                {"s/cloud/cs-DescribeTaskInfo-T-9.json",
                 R"({"task_id": "T-9", "state": "fail", "updated": "2026-12-01T08:00:00Z",
                     "error": {"code": "Forbidden.RAM",
                               "message": "RAM policy Forbidden for action cs:ScaleOutCluster"}})"}});
  auto r = with_rule(f, "ram-action-forbidden");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_NE(r[0]->summary.find("may not call cs:ScaleOutCluster"), std::string::npos);
  bool record = false;
  for (const Evidence& e : r[0]->evidence) record = record || e.path == ".error.message";
  EXPECT_TRUE(record);
  EXPECT_NE(r[0]->fix.find("'ktriage-allow-cs-ScaleOutCluster'"), std::string::npos);
  // The cs analyzer leaves the refusal to this one.
  EXPECT_TRUE(with_rule(f, "ack-task-failed").empty());
  // Describe actions are allowed: no refusal, no finding.
  auto quiet = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                    {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly}});
  EXPECT_TRUE(with_rule(quiet, "ram-action-forbidden").empty());
}

// The refused action is allowed by the documents at hand, but dev-extra's document is missing:
// the verdict says it is allowed unless dev-extra denies it, not that another identity called.
TEST(RamTest, RefusalWithAMissingDocumentSaysAllowedUnlessItDenies) {
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly},
                {"s/cloud/cs-DescribeTaskInfo-T-9.json",
                 R"({"task_id": "T-9", "state": "fail", "updated": "2026-12-01T08:00:00Z",
                     "error": {"code": "Forbidden.RAM",
                               "message": "RAM policy Forbidden for action cs:DescribeEvents"}})"}});
  auto r = with_rule(f, "ram-action-forbidden");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("cs:DescribeEvents is allowed unless dev-extra denies it"),
            std::string::npos)
      << r[0]->summary;
  EXPECT_EQ(r[0]->summary.find("another identity"), std::string::npos);
  EXPECT_NE(r[0]->fix.find("dev-extra"), std::string::npos);
}

TEST(RamTest, GrantRefusalChecksTheGrantActions) {
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-lead.json", kAttached},
                {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly},
                {"s/cloud/cs-DescribeClusterEvents.json",
                 R"({"events": [{"time": "2026-12-01T08:00:00Z", "cluster_id": "c1",
                     "data": {"reason": "ForbiddenGrantPermissions", "message": "denied"}}]})"}});
  auto r = with_rule(f, "ram-cannot-grant-permissions");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("ram:List*"), std::string::npos) << r[0]->summary;
  EXPECT_NE(r[0]->summary.find("cs:GrantPermission"), std::string::npos);
  // Without a refusal the grant actions are not asked of everyone.
  auto quiet = run({{"s/cloud/ram-ListPoliciesForUser-lead.json", kAttached}});
  EXPECT_TRUE(with_rule(quiet, "ram-cannot-grant-permissions").empty());
}

TEST(RamTest, MalformedPolicyDocumentIsReportedNotGuessed) {
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json",
                 version(R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",")")},
                {"s/cloud/ram-GetPolicyVersion-dev-extra.json",
                 version(R"("{\"Statement\":[{\"Effect\":\"Perhaps\",\"Action\":\"cs:*\"}]}")")}});
  auto r = with_rule(f, "ram-policy-unreadable");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NE(r[0]->summary.find("not valid JSON"), std::string::npos) << r[0]->summary;
  EXPECT_NE(r[1]->summary.find("Statement[0].Effect"), std::string::npos) << r[1]->summary;
  EXPECT_EQ(r[1]->evidence[0].path, ".PolicyVersion.PolicyDocument");
  // The unreadable documents leave the decision unknown, never "allowed".
  auto c = with_rule(f, "ram-create-cluster-not-allowed");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0]->summary.find("unknown"), std::string::npos);
  // Readable documents: no such finding.
  auto ok = run({{"s/cloud/ram-ListPoliciesForUser-dev-alice.json", kAttached},
                 {"s/cloud/ram-GetPolicyVersion-AliyunCSReadOnlyAccess.json", kReadOnly}});
  EXPECT_TRUE(with_rule(ok, "ram-policy-unreadable").empty());
}

TEST(RamTest, UnnamedListTakesTheUserFromTheCallerIdentity) {
  auto f =
      run({{"s/cloud/ram-ListPoliciesForUser.json", kAttached},
           {"s/cloud/sts-GetCallerIdentity.json",
            R"({"AccountId": "1234567890123456", "Arn": "acs:ram::1234567890123456:user/ops-bob",
                     "IdentityType": "RAMUser", "PrincipalId": "2000", "RequestId": "r"})"}});
  auto r = with_rule(f, "ram-create-cluster-not-allowed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "RAMUser/ops-bob");
}

TEST(RamTest, GrantOnOneClusterDoesNotCoverCreatingClusters) {
  const std::string scoped = version(
      R"("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cs:*\",\"Resource\":\"acs:cs:*:*:cluster/c123\"}]}")");
  auto f = run({{"s/cloud/ram-ListPoliciesForUser-dev.json",
                 R"({"Policies": {"Policy": [{"PolicyName": "one", "PolicyType": "Custom"}]}})"},
                {"s/cloud/ram-GetPolicyVersion-one.json", scoped}});
  auto r = with_rule(f, "ram-create-cluster-not-allowed");
  ASSERT_EQ(r.size(), 1u);
  bool scoped_note = false;
  for (const Evidence& e : r[0]->evidence) {
    scoped_note = scoped_note || e.value.find(
                                     "allows cs:CreateCluster only on "
                                     "acs:cs:*:*:cluster/c123") != std::string::npos;
  }
  EXPECT_TRUE(scoped_note);
}

}  // namespace
}  // namespace ktriage
