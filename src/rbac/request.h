// What is asked of the RBAC authorizer: who (a user and its groups) and what (a resource request
// or a non-resource URL). Plain values; knows nothing of the Cluster and never reads input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ktriage::rbac {

/// The authenticated identity the authorizer sees: user name and groups (Kubernetes
/// user.Info). Build service accounts with for_service_account, so their implied groups are set.
struct UserInfo {
  std::string name;
  std::vector<std::string> groups;

  /// The identity of ServiceAccount NS/NAME as the API server authenticates its token: user
  /// "system:serviceaccount:NS:NAME", groups "system:serviceaccounts",
  /// "system:serviceaccounts:NS" and "system:authenticated" (k8s.io/apiserver
  /// pkg/authentication/serviceaccount, v1.30).
  static UserInfo for_service_account(std::string_view ns, std::string_view name);
  /// A user by name with extra groups; adds "system:authenticated", which every authenticated
  /// request carries (k8s.io/apiserver pkg/authentication/request/union, v1.30), and the service
  /// account groups when `name` is a service account's user name. "system:anonymous" gets
  /// "system:unauthenticated" instead, as the anonymous authenticator sets it; a user given the
  /// group "system:unauthenticated" does not get "system:authenticated" (impersonation's rule).
  static UserInfo for_user(std::string_view name, std::vector<std::string> groups = {});

  bool in_group(std::string_view group) const;
};

/// "system:serviceaccount:NS:NAME" -> {NS, NAME}; nullopt for any other user name.
std::optional<std::pair<std::string, std::string>> service_account_of(std::string_view user);

/// One request's authorization attributes (k8s.io/apiserver pkg/authorization/authorizer
/// Attributes). A resource request has `resource` set; a non-resource request has `path`.
struct AccessRequest {
  std::string verb;         ///< get, list, watch, create, update, patch, delete, deletecollection
  std::string group;        ///< API group, "" for the core group
  std::string resource;     ///< plural, lower case: "pods"
  std::string subresource;  ///< "log", "exec", "status", "scale", or ""
  std::string name;         ///< the object's name, "" for list/watch/create/deletecollection
  std::string ns;           ///< "" = cluster scope (cluster-scoped kinds, or across namespaces)
  std::string path;         ///< non-resource URL ("/healthz"), only when `resource` is empty

  bool is_resource() const { return path.empty(); }
  /// "pods/log", "deployments.apps", "/healthz": the request as kubectl auth can-i spells it.
  std::string resource_text() const;
  /// "list pods in namespace shop", "get /metrics", for messages.
  std::string describe() const;
};

/// Whether the API server knows `request.verb`, as kubectl auth can-i checks before it warns
/// "verb 'X' is not a known verb" (k8s.io/kubectl pkg/cmd/auth/cani.go). For a resource request:
/// get, list, watch, create, update, patch, delete, deletecollection, the special verbs use
/// (PodSecurityPolicy), bind and escalate (roles), impersonate, approve and sign
/// (CertificateSigningRequests), attest, and "*"; plus proxy, which kubectl's list lacks but the
/// bootstrap role system:kubelet-api-admin grants on nodes, so it is no typo. For a non-resource
/// URL: the lower-case HTTP methods get, put, post, head, options, delete, patch and "*".
bool is_known_verb(const AccessRequest& request);
/// The verbs is_known_verb accepts for `request`'s kind, comma-separated, for messages.
std::string known_verbs_text(const AccessRequest& request);
/// The known verb `request.verb` is most likely a typo of ("lst" -> "list"): the nearest by edit
/// distance, at most 2 edits away; "" when none is.
std::string nearest_known_verb(const AccessRequest& request);

/// A kubectl-style RESOURCE argument ("pods", "pods/log", "deployments.apps",
/// "deployments.apps/scale", "/healthz") into `request` (group, resource, subresource or path).
/// Returns an error message for an empty or malformed argument; never throws.
std::optional<std::string> parse_resource_arg(std::string_view text, AccessRequest& request);

}  // namespace ktriage::rbac
