// The checks registry.cpp lists; each is defined in its own file (the file named in the comment).
#pragma once

#include "lint/check.h"

namespace ktriage::lint {

extern const LintCheck kSchemaCheck;    ///< schema_check.cpp: OpenAPI v3 and ObjectMeta
extern const LintCheck kManifestCheck;  ///< manifest.cpp: duplicate keys
extern const LintCheck kApisCheck;      ///< apis.cpp: removed and deprecated apiVersions

}  // namespace ktriage::lint
