// The resource types the test API server knows: kind -> group, version, plural, scope, verbs, as
// kube-apiserver's discovery documents name them, and those discovery documents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ktriage::testing {

struct ResourceType {
  std::string group;    ///< "" for the core group
  std::string version;  ///< "v1"
  std::string kind;     ///< "Pod"
  std::string plural;   ///< "pods"; "pods/log" for a subresource
  std::string singular;
  bool namespaced = true;
  bool builtin = true;  ///< false: a kind found only in the snapshot (list items carry kind)
  std::vector<std::string> verbs = {"get", "list"};
  std::vector<std::string> short_names;

  std::string group_version() const { return group.empty() ? version : group + "/" + version; }
  bool subresource() const { return plural.find('/') != std::string::npos; }
};

/// Every built-in type ktriage reads, plus pods/log and the authorization reviews (verbs
/// ["create"]), in discovery order.
std::vector<ResourceType> builtin_resource_types();

/// A type for a kind the table lacks, under the group/version of its apiVersion; plural is the
/// lower-case kind + "s" (what the brief's clients expect of CRDs without a plural override).
ResourceType custom_resource_type(std::string_view api_version, std::string_view kind);

/// Splits "apps/v1" into {"apps","v1"} and "v1" into {"","v1"}.
std::pair<std::string, std::string> split_api_version(std::string_view api_version);

/// Discovery documents (compact JSON) over `types`.
/// /api: APIVersions with serverAddressByClientCIDRs naming `server_address` ("127.0.0.1:PORT").
std::string api_versions_json(const std::string& server_address);
/// /apis: APIGroupList of every non-core group in `types`, one version each.
std::string api_group_list_json(const std::vector<ResourceType>& types);
/// /api/v1 or /apis/<group>/<version>: APIResourceList; "" when no type has that group/version.
std::string api_resource_list_json(const std::vector<ResourceType>& types, std::string_view group,
                                   std::string_view version);

}  // namespace ktriage::testing
