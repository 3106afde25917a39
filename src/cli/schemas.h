// Where `lint` finds its OpenAPI schemas, in order: --schema-location DIR, KTRIAGE_SCHEMA_DIR,
// the cache `ktriage schema pull` fills (the target release's folder, else the newest cached).
#pragma once

#include <memory>
#include <string>

#include "core/expected.h"
#include "lint/schema_store.h"

namespace ktriage {

/// The store to validate against for Kubernetes 1.`target`; nullptr when no source is set up
/// (lint then notes that schema validation was skipped). An explicit folder (flag or
/// environment) that is unusable is an error naming it, not a silent skip.
Expected<std::unique_ptr<lint::SchemaStore>, std::string> open_schemas(
    const std::string& schema_location, int target);

}  // namespace ktriage
