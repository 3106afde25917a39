// The checks registry.cpp lists; each is defined in its own file (the file named in the comment).
#pragma once

#include "lint/check.h"

namespace ktriage::lint {

extern const LintCheck kSchemaCheck;              ///< schema_check.cpp: OpenAPI v3 and ObjectMeta
extern const LintCheck kManifestCheck;            ///< manifest.cpp: duplicate keys
extern const LintCheck kApisCheck;                ///< apis.cpp: removed and deprecated apiVersions
extern const LintCheck kPracticesResourcesCheck;  ///< practices_resources.cpp
extern const LintCheck kPracticesProbesCheck;     ///< practices_probes.cpp
extern const LintCheck kPracticesImagesCheck;     ///< practices_images.cpp
extern const LintCheck kPracticesSecurityCheck;   ///< practices_security.cpp
extern const LintCheck kPracticesHostCheck;       ///< practices_host.cpp
extern const LintCheck kPracticesAvailabilityCheck;  ///< practices_availability.cpp
extern const LintCheck kPracticesNetworkCheck;       ///< practices_network.cpp
/// references_workloads.cpp: selector vs template labels, probe ports
extern const LintCheck kWorkloadReferencesCheck;
/// references_config.cpp: ConfigMaps, Secrets, PVCs, ServiceAccounts, PriorityClasses, keys
extern const LintCheck kConfigReferencesCheck;
/// references_services.cpp: Service and PDB selectors over the set, Service targetPorts
extern const LintCheck kServiceReferencesCheck;
/// references_targets.cpp: Ingress backends, HPA scaleTargetRef
extern const LintCheck kTargetReferencesCheck;

/// Whether a loader issue is a YAML/JSON syntax error (manifest.cpp reports it as a finding,
/// lint() leaves it out of the input problems).
bool is_syntax_error(const InputIssue& issue);

}  // namespace ktriage::lint
