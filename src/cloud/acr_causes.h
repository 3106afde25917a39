// The known causes of failed Container Registry (ACR) image builds and code-source bindings, as
// build logs and console answers word them (fault-catalog section 3). Entries without exact
// strings (ACR-BIND-ACCOUNT-SWITCH-OR-REVOKED, ACR-BUILD-TRIGGER-NOT-FIRING) have no row.
#pragma once

#include <span>

#include "cloud/cause_matcher.h"

namespace ktriage::cloud {

/// Build-log causes in match order: a wrong context or Dockerfile path, then a failing RUN step,
/// then a base image that cannot be pulled (a RUN step that times out on a package mirror also
/// prints "i/o timeout": the step's own failure line decides first).
std::span<const CauseRow> acr_build_causes();

/// Code-source binding causes (the console's and API's answer when binding fails).
std::span<const CauseRow> acr_binding_causes();

}  // namespace ktriage::cloud
