// The lint checks, in report order. A new check adds one line here and one in checks.h.
#include <array>

#include "lint/checks.h"

namespace ktriage::lint {

std::span<const LintCheck* const> lint_checks() {
  static constexpr std::array<const LintCheck*, 14> kChecks = {&kManifestCheck,
                                                               &kSchemaCheck,
                                                               &kApisCheck,
                                                               &kPracticesResourcesCheck,
                                                               &kPracticesProbesCheck,
                                                               &kPracticesImagesCheck,
                                                               &kPracticesSecurityCheck,
                                                               &kPracticesHostCheck,
                                                               &kPracticesAvailabilityCheck,
                                                               &kPracticesNetworkCheck,
                                                               &kWorkloadReferencesCheck,
                                                               &kConfigReferencesCheck,
                                                               &kServiceReferencesCheck,
                                                               &kTargetReferencesCheck};
  return kChecks;
}

}  // namespace ktriage::lint
