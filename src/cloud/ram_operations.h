// The RAM actions an operation needs, as the fault catalog lists them, and the fix for a missing
// one: a minimal policy document and the aliyun CLI commands that attach it. Only operations the
// catalog gives an action list for are here (no action list is invented). Never reads files.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ktriage::cloud {

/// One operation and the actions it needs. `always` operations are checked for every identity
/// whose policies the snapshot holds; the others only when a record shows the operation refused.
struct RamOperation {
  std::string_view id;                        ///< "create-cluster"
  std::string_view catalog;                   ///< the fault-catalog entry listing the actions
  std::string_view what;                      ///< "create ACK clusters"
  std::span<const std::string_view> actions;  ///< exact names or patterns that must be covered
  bool always = false;
};

/// Every operation, in catalog order.
std::span<const RamOperation> ram_operations();

/// Who a policy is attached to: decides the attach command.
enum class IdentityKind { kUser, kRole };

/// `{"Version":"1","Statement":[{"Effect":"Allow","Action":[...],"Resource":"*"}]}` for
/// `actions`, compact, in the given order.
std::string minimal_policy(std::span<const std::string> actions);

/// The aliyun CLI commands that create `policy_name` with `document` and attach it to the user or
/// role `identity` (CreatePolicy, then AttachPolicyToUser / AttachPolicyToRole with PolicyType
/// Custom), single-quoted for a POSIX shell, joined by " && ". Source:
/// https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-attachpolicytouser
std::string attach_commands(std::string_view policy_name, std::string_view document,
                            IdentityKind kind, std::string_view identity);

}  // namespace ktriage::cloud
