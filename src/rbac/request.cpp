#include "rbac/request.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <span>

#include "core/edit_distance.h"

namespace ktriage::rbac {

namespace {
constexpr std::string_view kSaPrefix = "system:serviceaccount:";

constexpr std::array<std::string_view, 17> kResourceVerbs = {
    "get", "list", "watch",    "create",      "update",  "patch", "delete", "deletecollection",
    "use", "bind", "escalate", "impersonate", "approve", "sign",  "attest", "proxy",
    "*"};
constexpr std::array<std::string_view, 8> kNonResourceVerbs = {"get",     "put",    "post",  "head",
                                                               "options", "delete", "patch", "*"};

std::span<const std::string_view> known_verbs(const AccessRequest& r) {
  if (r.is_resource()) return kResourceVerbs;
  return kNonResourceVerbs;
}

void add_group(std::vector<std::string>& groups, std::string group) {
  if (std::find(groups.begin(), groups.end(), group) == groups.end())
    groups.push_back(std::move(group));
}
}  // namespace

UserInfo UserInfo::for_service_account(std::string_view ns, std::string_view name) {
  UserInfo u;
  u.name = fmt::format("{}{}:{}", kSaPrefix, ns, name);
  u.groups = {"system:serviceaccounts", fmt::format("system:serviceaccounts:{}", ns),
              "system:authenticated"};
  return u;
}

UserInfo UserInfo::for_user(std::string_view name, std::vector<std::string> groups) {
  UserInfo u;
  if (auto sa = service_account_of(name)) u = for_service_account(sa->first, sa->second);
  u.name = std::string(name);
  for (std::string& g : groups) add_group(u.groups, std::move(g));
  // As the anonymous authenticator and impersonation set them (k8s.io/apiserver
  // pkg/authentication/request/anonymous and pkg/endpoints/filters/impersonation.go, v1.30):
  // system:anonymous is in system:unauthenticated, never system:authenticated; any other user
  // is in system:authenticated unless system:unauthenticated was given as one of its groups.
  if (name == "system:anonymous") {
    add_group(u.groups, "system:unauthenticated");
  } else if (!u.in_group("system:unauthenticated")) {
    add_group(u.groups, "system:authenticated");
  }
  return u;
}

bool UserInfo::in_group(std::string_view group) const {
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

std::optional<std::pair<std::string, std::string>> service_account_of(std::string_view user) {
  if (!user.starts_with(kSaPrefix)) return std::nullopt;
  user.remove_prefix(kSaPrefix.size());
  const auto colon = user.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == user.size() ||
      user.find(':', colon + 1) != std::string_view::npos)
    return std::nullopt;
  return std::make_pair(std::string(user.substr(0, colon)), std::string(user.substr(colon + 1)));
}

bool is_known_verb(const AccessRequest& request) {
  const auto verbs = known_verbs(request);
  return std::find(verbs.begin(), verbs.end(), request.verb) != verbs.end();
}

std::string known_verbs_text(const AccessRequest& request) {
  return fmt::format("{}", fmt::join(known_verbs(request), ", "));
}

std::string nearest_known_verb(const AccessRequest& request) {
  std::string best;
  std::size_t best_distance = 3;  // more than 2 edits is no typo
  for (std::string_view v : known_verbs(request)) {
    if (v == "*") continue;
    const std::size_t d = levenshtein_distance(request.verb, v);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(v);
    }
  }
  return best;
}

std::string AccessRequest::resource_text() const {
  if (!is_resource()) return path;
  std::string out = resource;
  if (!group.empty()) out += "." + group;
  if (!subresource.empty()) out += "/" + subresource;
  return out;
}

std::string AccessRequest::describe() const {
  if (!is_resource()) return fmt::format("{} {}", verb, path);
  std::string out = fmt::format("{} {}", verb, resource_text());
  if (!name.empty()) out += fmt::format(" \"{}\"", name);
  out += ns.empty() ? std::string(" at the cluster scope") : fmt::format(" in namespace {}", ns);
  return out;
}

std::optional<std::string> parse_resource_arg(std::string_view text, AccessRequest& request) {
  if (text.empty()) return std::string("the resource is empty");
  if (text.front() == '/') {
    request.path = std::string(text);
    request.resource.clear();
    return std::nullopt;
  }
  std::string_view sub;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    sub = text.substr(slash + 1);
    text = text.substr(0, slash);
    if (sub.empty() || sub.find('/') != std::string_view::npos)
      return fmt::format("\"{}/{}\" is not RESOURCE/SUBRESOURCE", text, sub);
  }
  std::string_view group;
  if (const auto dot = text.find('.'); dot != std::string_view::npos) {
    group = text.substr(dot + 1);
    text = text.substr(0, dot);
  }
  if (text.empty()) return std::string("the resource name is empty");
  for (char c : text) {
    if (c == ' ' || c == '"') return fmt::format("\"{}\" is not a resource name", text);
  }
  request.resource.clear();
  for (char c : text)
    request.resource += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  request.group = std::string(group);
  request.subresource = std::string(sub);
  request.path.clear();
  return std::nullopt;
}

}  // namespace ktriage::rbac
