// `ktriage can-i`'s answers as text and JSON: the decision, the grant or what comes closest, the
// fix, and `--who`'s subjects. Pure rendering of evaluate.h's results; never reads input and
// never prints (the CLI does).
#pragma once

#include <span>
#include <string>

#include "rbac/evaluate.h"

namespace ktriage::rbac {

/// "yes" or "no" on the first line (as kubectl auth can-i), then who may or may not do what,
/// through which binding, role and rule; when denied, the closest grants with what they lack,
/// the authorizer's errors, the fixes that reuse `policy`'s roles (reuse.h: the same advice as the
/// access analyzer's), and the smallest Role/RoleBinding (or ClusterRole/Binding) to apply.
/// `notes` are caveats about the question or the input (an unknown verb, ...), each said as
/// "  note: ..." right after the decision, before anything they qualify.
std::string answer_text(const Policy& policy, const UserInfo& user, const AccessRequest& request,
                        const Decision& d, std::span<const std::string> notes = {});

/// The same as one JSON object: {"allowed", "user", "groups", "request", "notes", "grant" (null
/// when denied), "closest", "errors", "reuse" (reuse.h's fixes), "fix" ("" when allowed)};
/// docs/rbac.md shows an example.
std::string answer_json(const Policy& policy, const UserInfo& user, const AccessRequest& request,
                        const Decision& d, std::span<const std::string> notes = {});

/// `--who`: one line per subject that may do `request`, with the binding, role and rule, then
/// `notes` as for answer_text.
std::string holders_text(const AccessRequest& request, std::span<const Holder> holders,
                         std::span<const std::string> notes = {});
/// The same as JSON: {"request", "notes", "subjects": [{"kind", "name", "namespace", "binding",
/// "role", "rule"}]}.
std::string holders_json(const AccessRequest& request, std::span<const Holder> holders,
                         std::span<const std::string> notes = {});

}  // namespace ktriage::rbac
