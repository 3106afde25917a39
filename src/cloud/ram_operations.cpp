#include "cloud/ram_operations.h"

#include <fmt/format.h>

#include "core/json_text.h"
#include "core/shell_quote.h"

namespace ktriage::cloud {

namespace {

// ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION names cs:CreateCluster (its VPC read permissions
// are named only as the system policy AliyunVPCReadOnlyAccess, so they stay in the fix text).
constexpr std::string_view kCreateCluster[] = {"cs:CreateCluster"};
// ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS names these four, "ram:List*" as a pattern.
constexpr std::string_view kGrant[] = {"ram:List*", "ram:AttachPolicyToUser", "cs:GrantPermission",
                                       "cs:GetUserPermissions"};

constexpr RamOperation kOperations[] = {
    {"create-cluster", "ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION", "create ACK clusters",
     kCreateCluster, true},
    {"grant-permissions", "ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS",
     "grant cluster permissions to other RAM users", kGrant, false},
};

}  // namespace

std::span<const RamOperation> ram_operations() { return kOperations; }

std::string minimal_policy(std::span<const std::string> actions) {
  std::string out = R"({"Version":"1","Statement":[{"Effect":"Allow","Action":[)";
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, actions[i]);
  }
  out += R"(],"Resource":"*"}]})";
  return out;
}

std::string attach_commands(std::string_view policy_name, std::string_view document,
                            IdentityKind kind, std::string_view identity) {
  const bool user = kind == IdentityKind::kUser;
  return fmt::format(
      "aliyun ram CreatePolicy --PolicyName {0} --PolicyDocument {1} && aliyun ram {2} "
      "--PolicyType Custom --PolicyName {0} --{3} {4}",
      shell_quote(policy_name), shell_quote(document),
      user ? "AttachPolicyToUser" : "AttachPolicyToRole", user ? "UserName" : "RoleName",
      shell_quote(identity));
}

}  // namespace ktriage::cloud
