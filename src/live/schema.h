// `ktriage schema pull`: the API server's OpenAPI v3 documents, saved where `lint` looks.
#pragma once

#include <cstddef>
#include <string>

#include "core/expected.h"
#include "live/api_client.h"

namespace ktriage {

/// The cache folder for one Kubernetes release's schemas: `<cache>/ktriage/openapi/<X.Y>`,
/// where <cache> is XDG_CACHE_HOME or ~/.cache. Documents go in its `v3/` folder, named as in
/// ../shared/k8s-openapi (`api__v1_openapi.json`, `apis__apps__v1_openapi.json`).
std::string schema_cache_dir(const KubeEnvironment& env, const std::string& release);

struct SchemaPullResult {
  std::string release;  ///< "1.30" from /version
  std::string dir;      ///< where the documents were written (the `v3/` folder)
  std::size_t documents = 0;
  std::size_t bytes = 0;
};

/// Reads /version and /openapi/v3, then every document the index lists, and writes them under
/// `schema_cache_dir(env, release)` (or `into`/v3 when `into` is set). Errors name the URL and
/// HTTP status, or the file that could not be written.
Expected<SchemaPullResult, std::string> pull_schemas(ApiClient& client, const KubeEnvironment& env,
                                                     const std::string& into);

}  // namespace ktriage
