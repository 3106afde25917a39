#include "rbac/defaults.h"

#include <fmt/format.h>

#include <array>

namespace ktriage::rbac {

namespace {

// kube-apiserver bootstrappolicy/policy.go, clusterRoles() and ClusterRoleBindings() (v1.30).
constexpr std::array<std::string_view, 5> kPublicInfoUrls = {"/livez", "/readyz", "/healthz",
                                                             "/version", "/version/"};
constexpr std::array<std::string_view, 11> kDiscoveryUrls = {
    "/livez",     "/readyz", "/healthz", "/version", "/version/", "/openapi",
    "/openapi/*", "/api",    "/api/*",   "/apis",    "/apis/*"};
constexpr std::array<std::string_view, 2> kEveryone = {"system:authenticated",
                                                       "system:unauthenticated"};
// Since v1.14 system:discovery is bound to authenticated users only (it was everyone before).
constexpr std::array<std::string_view, 1> kAuthenticated = {"system:authenticated"};

const std::array<DefaultUrlGrant, 2> kDefaults = {
    DefaultUrlGrant{"system:public-info-viewer", kPublicInfoUrls, kEveryone},
    DefaultUrlGrant{"system:discovery", kDiscoveryUrls, kAuthenticated},
};

// A rule's URL against a path, as the RBAC authorizer matches them: equal, or a prefix when the
// rule's URL ends in '*'.
bool url_covers(std::string_view url, std::string_view path) {
  if (url.ends_with('*')) return path.starts_with(url.substr(0, url.size() - 1));
  return url == path;
}

}  // namespace

bool has_bootstrap_roles(const Cluster& cluster) {
  for (const Object* role : cluster.of_kind("ClusterRole")) {
    if (role->name.starts_with("system:")) return true;
  }
  return false;
}

std::vector<const DefaultUrlGrant*> default_url_grants(const AccessRequest& request) {
  std::vector<const DefaultUrlGrant*> out;
  if (request.is_resource() || request.verb != "get") return out;
  for (const DefaultUrlGrant& g : kDefaults) {
    for (std::string_view url : g.urls) {
      if (url_covers(url, request.path)) {
        out.push_back(&g);
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> bootstrap_notes(const Cluster& cluster, const AccessRequest& request,
                                         const UserInfo* user) {
  std::vector<std::string> out;
  if (has_bootstrap_roles(cluster)) return out;
  out.push_back(
      "the input holds none of the API server's built-in ClusterRoles (system:...) and their "
      "bindings, so this answer ignores them (collect them with kubectl get "
      "clusterroles,clusterrolebindings -o yaml)");
  for (const DefaultUrlGrant* g : default_url_grants(request)) {
    std::string whom;
    if (user != nullptr) {
      std::string_view in;
      for (std::string_view group : g->groups) {
        if (user->in_group(group)) {
          in = group;
          break;
        }
      }
      whom = in.empty() ? fmt::format(", and {} is in none of them", user->name)
                        : fmt::format(", and {} is in {}", user->name, in);
    }
    out.push_back(fmt::format(
        "a default cluster grants it: ClusterRoleBinding {0} binds ClusterRole {0} (get {1}) to "
        "groups {2}{3} (kube-apiserver bootstrap policy)",
        g->role, fmt::join(g->urls, ", "), fmt::join(g->groups, ", "), whom));
  }
  return out;
}

}  // namespace ktriage::rbac
