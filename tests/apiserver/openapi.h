// /openapi/v3 (and /openapi/v2) from a ../shared/k8s-openapi/<release>/v3 folder: file
// `apis__apps__v1_openapi.json` is served at /openapi/v3/apis/apps/v1.
#pragma once

#include <map>
#include <string>

namespace ktriage::testing {

struct OpenApiDocuments {
  std::string index;                      ///< {"paths":{"api/v1":{"serverRelativeURL":...}}}
  std::map<std::string, std::string> v3;  ///< "apis/apps/v1" -> document
  std::string v2;                         ///< ../swagger.json when present, else ""
};

/// Reads every *_openapi.json of `dir`; an empty index ({"paths":{}}) when `dir` is empty.
/// Throws std::runtime_error when `dir` is set but cannot be read.
OpenApiDocuments load_openapi(const std::string& dir);

}  // namespace ktriage::testing
