#include "rbac/evaluate.h"

#include <fmt/format.h>

#include <algorithm>

#include "rbac/rule_match.h"

namespace ktriage::rbac {

namespace {

constexpr std::size_t kMaxClosest = 3;

std::string_view sa_namespace(const Value& subject, std::string_view binding_ns) {
  const std::string_view ns = subject["namespace"].str();
  return ns.empty() ? binding_ns : ns;
}

// The first subject of `binding` that names `user`, or -1.
int applying_subject(const Binding& binding, const UserInfo& user) {
  const std::string_view ns = binding.cluster_wide() ? std::string_view() : binding.object->ns;
  const Value& subjects = (*binding.object)["subjects"];
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    if (subject_applies(subjects[i], user, ns)) return static_cast<int>(i);
  }
  return -1;
}

// A subject that names a service account of the user's name in another namespace: the usual
// slip of a RoleBinding copied between namespaces.
bool same_account_elsewhere(const Binding& binding, const UserInfo& user) {
  const auto sa = service_account_of(user.name);
  if (!sa) return false;
  const std::string_view ns = binding.cluster_wide() ? std::string_view() : binding.object->ns;
  for (const Value& s : (*binding.object)["subjects"].items()) {
    if (s["kind"].str() == "ServiceAccount" && s["name"].str() == sa->second &&
        sa_namespace(s, ns) != sa->first)
      return true;
  }
  return false;
}

std::string missing_role_error(const Binding& b) {
  if (b.role_kind == "ClusterRole")
    return fmt::format("clusterrole.rbac.authorization.k8s.io \"{}\" not found", b.role_name);
  if (b.role_kind == "Role")
    return fmt::format("role.rbac.authorization.k8s.io \"{}\" not found", b.role_name);
  return fmt::format("unsupported role reference kind: \"{}\"", b.role_kind);
}

// The closest rule of one binding that applies to the user (or would, for `subject_miss`).
std::optional<NearMiss> near_miss(const Policy& policy, const Binding& b,
                                  const AccessRequest& request, std::string subject_miss) {
  NearMiss best{b, std::nullopt, {}};
  std::vector<std::string> scope;
  if (!subject_miss.empty()) scope.push_back(std::move(subject_miss));
  if (!request.is_resource() && !b.cluster_wide()) {
    // The authorizer asks only ClusterRoleBindings about non-resource URLs, and the API server
    // rejects nonResourceURLs in a Role: such a rule is never effective, in no namespace.
    scope.push_back(
        b.role_kind == "Role"
            ? fmt::format("scope: nonResourceURLs in a Role ({}) are never effective, and a "
                          "RoleBinding never grants a non-resource URL: only a ClusterRole bound "
                          "by a ClusterRoleBinding does",
                          role_text(b))
            : fmt::format("scope: {} never grants a non-resource URL (URLs have no namespace): "
                          "only a ClusterRoleBinding to {} would",
                          binding_text(b), role_text(b)));
  } else if (!b.cluster_wide() && b.object->ns != request.ns) {
    scope.push_back(request.ns.empty()
                        ? fmt::format("scope: {} grants in namespace {} only, and the request is "
                                      "at the cluster scope",
                                      binding_text(b), b.object->ns)
                        : fmt::format("namespace: {} grants in namespace {} only, not in {}",
                                      binding_text(b), b.object->ns, request.ns));
  }
  if (policy.role_of(b) == nullptr) {
    best.misses = scope;
    best.misses.push_back(
        fmt::format("{} names {}, which does not exist", binding_text(b), role_text(b)));
    return best;
  }
  bool any = false;
  for (const GrantedRule& g : policy.rules_of(b)) {
    // A resource request is never near a non-resource rule, and the other way round.
    if (request.is_resource() == ((*g.rule)["nonResourceURLs"].size() > 0)) continue;
    std::vector<std::string> misses = rule_misses(*g.rule, request);
    misses.insert(misses.begin(), scope.begin(), scope.end());
    if (!any || misses.size() < best.misses.size()) {
      best.rule = g;
      best.misses = std::move(misses);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return best;
}

void add_near_misses(const Policy& policy, const UserInfo& user, const AccessRequest& request,
                     Decision& d) {
  auto consider = [&](const Binding& b) {
    std::string subject_miss;
    if (applying_subject(b, user) < 0) {
      if (!same_account_elsewhere(b, user)) return;
      subject_miss = fmt::format("subject: {} names ServiceAccount {} of another namespace",
                                 binding_text(b), service_account_of(user.name)->second);
    }
    if (auto m = near_miss(policy, b, request, std::move(subject_miss)); m && !m->misses.empty())
      d.closest.push_back(std::move(*m));
  };
  for (const Binding& b : policy.cluster_role_bindings()) consider(b);
  for (const Binding& b : policy.all_role_bindings()) consider(b);
  std::stable_sort(d.closest.begin(), d.closest.end(), [](const NearMiss& a, const NearMiss& b) {
    return a.misses.size() < b.misses.size();
  });
  // A grant that misses more than one thing beyond the best is not close: leave it out.
  while (!d.closest.empty() && d.closest.back().misses.size() > d.closest[0].misses.size() + 1)
    d.closest.pop_back();
  if (d.closest.size() > kMaxClosest) d.closest.resize(kMaxClosest);
}

}  // namespace

bool subject_applies(const Value& subject, const UserInfo& user, std::string_view binding_ns) {
  const std::string_view kind = subject["kind"].str();
  const std::string_view name = subject["name"].str();
  if (kind == "User") return !name.empty() && user.name == name;
  if (kind == "Group") return !name.empty() && user.in_group(name);
  if (kind == "ServiceAccount") {
    const std::string_view ns = sa_namespace(subject, binding_ns);
    if (ns.empty() || name.empty()) return false;
    return user.name == fmt::format("system:serviceaccount:{}:{}", ns, name);
  }
  return false;
}

Decision evaluate(const Policy& policy, const UserInfo& user, const AccessRequest& request) {
  Decision d;
  auto visit = [&](const Binding& b) {
    const int subject = applying_subject(b, user);
    if (subject < 0) return false;
    if (policy.role_of(b) == nullptr) {
      d.errors.push_back(missing_role_error(b));
      return false;
    }
    for (const GrantedRule& g : policy.rules_of(b)) {
      if (rule_allows(*g.rule, request)) {
        d.allowed = true;
        d.grant = Grant{b, static_cast<std::size_t>(subject), g};
        return true;
      }
    }
    return false;
  };
  for (const Binding& b : policy.cluster_role_bindings()) {
    if (visit(b)) return d;
  }
  if (!request.ns.empty()) {
    for (const Binding& b : policy.role_bindings(request.ns)) {
      if (visit(b)) return d;
    }
  }
  add_near_misses(policy, user, request, d);
  return d;
}

std::vector<Holder> who_can(const Policy& policy, const AccessRequest& request) {
  std::vector<Holder> out;
  auto visit = [&](const Binding& b) {
    for (const GrantedRule& g : policy.rules_of(b)) {
      if (!rule_allows(*g.rule, request)) continue;
      const std::string_view ns = b.cluster_wide() ? std::string_view() : b.object->ns;
      for (const Value& s : (*b.object)["subjects"].items()) {
        Holder h{std::string(s["kind"].str()), std::string(s["name"].str()), "", b, g};
        if (h.kind == "ServiceAccount") h.ns = std::string(sa_namespace(s, ns));
        out.push_back(std::move(h));
      }
      return;
    }
  };
  for (const Binding& b : policy.cluster_role_bindings()) visit(b);
  if (!request.ns.empty()) {
    for (const Binding& b : policy.role_bindings(request.ns)) visit(b);
  }
  return out;
}

std::string subject_text(const Value& subject, std::string_view binding_ns) {
  const std::string_view kind = subject["kind"].str();
  if (kind == "ServiceAccount")
    return fmt::format("ServiceAccount {}/{}", sa_namespace(subject, binding_ns),
                       subject["name"].str());
  return fmt::format("{} {}", kind, subject["name"].str());
}

}  // namespace ktriage::rbac
