// The cs record causes: each catalog row matches its exact strings and nothing unrelated.
#include "cloud/task_causes.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

// Both tables, RAM refusals first, as the analyzers see a record.
struct Matchers {
  CauseMatcher ram{ram_refusal_causes()};
  CauseMatcher cs{cs_record_causes()};
  std::optional<CauseHit> match(std::string_view text) const {
    auto hit = ram.match(text);
    return hit ? hit : cs.match(text);
  }
};

std::string cause_of(const Matchers& m, std::string_view text) {
  auto hit = m.match(text);
  return hit ? std::string(hit->row->catalog) : "";
}

TEST(TaskCausesTest, EveryPatternCompiles) {
  Matchers m;
  EXPECT_TRUE(m.cs.bad_rows().empty()) << m.cs.bad_rows()[0];
  EXPECT_TRUE(m.ram.bad_rows().empty()) << m.ram.bad_rows()[0];
}

TEST(TaskCausesTest, CatalogStringsMatchTheirEntry) {
  Matchers m;
  struct Case {
    std::string_view text, catalog;
  } cases[] = {
      {"code: ErrManagedKuberneteRoleNotAttach, please complete the cluster addon's service "
       "ramrole authorization at https://ram.console.aliyun.com/role/authorize?...",
       "ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED"},
      {"MissingAuth.AliyuncsManagedSecurityRole", "ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED"},
      {"RAM policy Forbidden for action cs:CreateCluster",
       "ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION"},
      {"STSToken policy Forbidden for action cs:DescribeClusterNodes", "ACK-RAM-POLICY-FORBIDDEN"},
      {"ErrorRamPolicyConfig: the user has no permission", "ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS"},
      {"ForbiddenHelmUsage", "ACK-RAM-CONSOLE-FEATURE-FORBIDDEN"},
      {"ForbiddenAttachInstance", "ACK-NODE-ADD-FORBIDDEN-RBAC"},
      {"create instance failed: OperationDenied.NoStock", "ACK-CREATE-INSTANCE-TYPE-UNAVAILABLE"},
      {"System disk and instance type mismatch", "ACK-CREATE-NODEPOOL-CONFIG-MISMATCH"},
      {"InvalidVSwitchId.IpNotEnough: The specified VSwitch has not enough IpAddress.",
       "ACK-CREATE-VSWITCH-OR-CIDR-PROBLEM"},
      {"QuotaExceeded.PrivateIpAddress", "ACK-CREATE-QUOTA-EXCEEDED"},
      {R"("LockReason": "financial")", "ACK-CREATE-ACCOUNT-OVERDUE"},
      {"You must specify this parameter or key_pair", "ACK-NODE-ADD-LOGIN-CREDENTIAL-INVALID"},
      {"the login password is invalid", "ACK-NODE-ADD-LOGIN-CREDENTIAL-INVALID"},
      {"dial tcp 192.168.0.10:6443: i/o timeout", "ACK-NODE-ADD-CANNOT-REACH-CONTROL-PLANE"},
      {"InvalidParameter.Format: addon config", "ACK-CREATE-INVALID-PARAMETERS"},
      // A specific code wins over the generic parameter error written beside it.
      {"InvalidParameter: QuotaExceeded.Eip", "ACK-CREATE-QUOTA-EXCEEDED"},
  };
  for (const Case& c : cases) EXPECT_EQ(cause_of(m, c.text), c.catalog) << c.text;
}

TEST(TaskCausesTest, UnrelatedTextMatchesNothing) {
  Matchers m;
  for (std::string_view text :
       {"start to update cluster status to CREATE_COMPLETE", "success to attach instances",
        "InvalidParameters are fine here", "RAM policy allows cs:CreateCluster", ""}) {
    EXPECT_EQ(cause_of(m, text), "") << text;
  }
  auto hit = m.match("failed: QuotaExceeded.Eip (limit 20)");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->matched, "QuotaExceeded.Eip");
}

}  // namespace
}  // namespace ktriage::cloud
