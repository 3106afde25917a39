#include "rbac/grant.h"

#include <fmt/format.h>

namespace ktriage::rbac {

namespace {

// A YAML flow-sequence item: quoted, so "" and "*" stay strings.
std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string dns_label(std::string_view text) {
  std::string out;
  for (char c : text) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (ok) {
      out += l;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("grant") : out;
}

std::string verbs_of(const AccessRequest& r) {
  if (r.verb == "list" || r.verb == "watch") return "[\"list\", \"watch\"]";
  return fmt::format("[{}]", q(r.verb));
}

bool contains_lower(std::string_view text, std::string_view lower_word) {
  if (lower_word.size() > text.size()) return false;
  for (std::size_t i = 0; i + lower_word.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < lower_word.size() &&
           std::tolower(static_cast<unsigned char>(text[i + k])) == lower_word[k])
      ++k;
    if (k == lower_word.size()) return true;
  }
  return false;
}

// The lock's cycle (grant_yaml): get and update the named lock, create any (no name to limit).
std::string leader_election_rules_yaml(const AccessRequest& r) {
  const std::string head =
      fmt::format("- apiGroups: [{}]\n  resources: [{}]\n", q(r.group), q(r.resource));
  std::string out = head;
  if (!r.name.empty()) out += fmt::format("  resourceNames: [{}]\n", q(r.name));
  out += "  verbs: [\"get\", \"update\"]\n";
  return out + head + "  verbs: [\"create\"]\n";
}

std::string rule_yaml(const AccessRequest& r) {
  if (!r.is_resource())
    return fmt::format("- nonResourceURLs: [{}]\n  verbs: {}\n", q(r.path), verbs_of(r));
  const std::string resource =
      r.subresource.empty() ? r.resource : r.resource + "/" + r.subresource;
  std::string out = fmt::format("- apiGroups: [{}]\n  resources: [{}]\n", q(r.group), q(resource));
  if (!r.name.empty()) out += fmt::format("  resourceNames: [{}]\n", q(r.name));
  return out + fmt::format("  verbs: {}\n", verbs_of(r));
}

std::string subject_yaml(std::string_view user) {
  if (auto sa = service_account_of(user))
    return fmt::format("- kind: ServiceAccount\n  name: {}\n  namespace: {}\n", sa->second,
                       sa->first);
  return fmt::format("- apiGroup: rbac.authorization.k8s.io\n  kind: User\n  name: {}\n", q(user));
}

}  // namespace

bool is_leader_election_lock(const AccessRequest& request, std::string_view context) {
  if (!request.is_resource() || request.ns.empty() || !request.subresource.empty()) return false;
  if (request.verb != "get" && request.verb != "create" && request.verb != "update") return false;
  if (request.group == "coordination.k8s.io" && request.resource == "leases") return true;
  if (!request.group.empty() ||
      (request.resource != "configmaps" && request.resource != "endpoints"))
    return false;
  // client-go tools/leaderelection/leaderelection.go logs "error retrieving resource lock",
  // "error initially creating leader election record" and "Failed to update lock";
  // controller-runtime and most operators say "leader election" or "leader lease".
  for (std::string_view word :
       {"resource lock", "leader election", "leaderelection", "leader-election", "leader lease",
        "election record", "update lock"}) {
    if (contains_lower(context, word)) return true;
  }
  return false;
}

std::string grant_name(const AccessRequest& request, std::string_view user, bool leader_election) {
  std::string who(user);
  if (auto sa = service_account_of(user)) who = sa->second;
  // The lock's resource in the name: client-go's multilocks (configmapsleases, endpointsleases)
  // are refused on two resources, and two fixes of one name would overwrite each other's rules.
  if (leader_election) return dns_label(who + "-" + request.resource + "-leader-election");
  std::string what = request.is_resource() ? request.resource : std::string("nonresource");
  if (!request.subresource.empty()) what += "-" + request.subresource;
  return dns_label(who + "-" + what);
}

std::string grant_yaml(const AccessRequest& request, std::string_view user, bool leader_election) {
  const bool cluster = !request.is_resource() || request.ns.empty();
  const std::string name = grant_name(request, user, leader_election);
  const std::string ns_line = cluster ? "" : fmt::format("  namespace: {}\n", request.ns);
  const std::string_view role_kind = cluster ? "ClusterRole" : "Role";
  return fmt::format(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: {0}\nmetadata:\n  name: {1}\n{2}rules:\n"
      "{3}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {0}Binding\nmetadata:\n"
      "  name: {1}\n{2}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {0}\n"
      "  name: {1}\nsubjects:\n{4}",
      role_kind, name, ns_line,
      leader_election ? leader_election_rules_yaml(request) : rule_yaml(request),
      subject_yaml(user));
}

}  // namespace ktriage::rbac
