// apiVersions the target release removed or deprecated (the table upgrade-check uses).
#include <array>

#include "lint/checks.h"
#include "upgrade/check.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kGuide =
    "https://kubernetes.io/docs/reference/using-api/deprecation-guide/";
constexpr std::array kRules{
    LintRule{"upgrade-removed-api", "ACK-UPGRADE-PRECHECK-DEPRECATED-API", Severity::kCritical,
             "An apiVersion the target release no longer serves",
             "Move the object to the replacement apiVersion and change what it renamed", kGuide},
    LintRule{"upgrade-deprecated-api", "ACK-UPGRADE-PRECHECK-DEPRECATED-API", Severity::kWarning,
             "An apiVersion deprecated at the target release (still served)",
             "Move the object to the replacement apiVersion before its removal", kGuide},
};

void run(const LintContext& ctx, std::vector<Finding>& out) {
  upgrade::check_api_versions(ctx.cluster, upgrade::builtin_deprecated_apis(), ctx.target, out);
}

}  // namespace

const LintCheck kApisCheck{"apis", kRules, run};

}  // namespace ktriage::lint
