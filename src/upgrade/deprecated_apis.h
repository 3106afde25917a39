// The API versions Kubernetes deprecated or stopped serving (knowledge/deprecated-apis.yaml,
// embedded in the binary), and the minor-version arithmetic `upgrade-check` needs. Owns the
// records; never reads files.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace ktriage::upgrade {

/// One kind at one group/version that is deprecated or no longer served. Releases are minor
/// versions of Kubernetes 1.x (22 for 1.22). Source: the Deprecated API Migration Guide,
/// https://kubernetes.io/docs/reference/using-api/deprecation-guide/, and the API lifecycle tags.
struct RemovedApi {
  std::string api_version;  ///< "extensions/v1beta1"
  std::string kind;         ///< "Ingress"
  std::optional<int> deprecated_in;
  std::optional<int> removed_in;  ///< first release that no longer serves it
  std::string replacement;        ///< "networking.k8s.io/v1"; "" when there is none
  std::string replacement_kind;   ///< only when the kind is renamed
  std::optional<int> replacement_available_in;
  std::string notes;  ///< what else must change in the object
};

/// "1.22", "v1.22", "1.22.4", "v1.22.4-aliyun.1" -> 22; nullopt for anything else or a major
/// other than 1. O(text).
std::optional<int> minor_of(std::string_view version) noexcept;

/// Parses a file of knowledge/deprecated-apis.yaml's schema. Error: "NAME: entry N: what".
Expected<std::vector<RemovedApi>> parse_deprecated_apis(std::string_view name,
                                                        std::string_view text);

/// The built-in table, parsed once. An error here is a build defect (a test parses it).
const std::vector<RemovedApi>& builtin_deprecated_apis();

/// The record for `api_version` and `kind`, or nullptr. O(records).
const RemovedApi* find_removed_api(std::span<const RemovedApi> apis, std::string_view api_version,
                                   std::string_view kind);

/// The embedded text of knowledge/deprecated-apis.yaml (defined in a generated file).
std::string_view embedded_deprecated_apis_yaml() noexcept;

}  // namespace ktriage::upgrade
