#include "rbac/reuse.h"

#include <fmt/format.h>

#include "rbac/rule_match.h"

namespace ktriage::rbac {
namespace {

// `kubectl create rolebinding|clusterrolebinding` for `binding`'s subjects and `role`.
std::string create_binding_command(const Binding& b, bool cluster_wide, const Object& role,
                                   std::string_view name) {
  std::string out = cluster_wide
                        ? fmt::format("kubectl create clusterrolebinding {}", name)
                        : fmt::format("kubectl -n {} create rolebinding {}", b.object->ns, name);
  out += fmt::format(" --{}={}", role.kind == "Role" ? "role" : "clusterrole", role.name);
  const std::string_view ns = b.cluster_wide() ? std::string_view() : b.object->ns;
  for (const Value& s : (*b.object)["subjects"].items()) {
    const std::string_view kind = s["kind"].str();
    if (kind == "ServiceAccount") {
      const std::string_view sa_ns = s["namespace"].str().empty() ? ns : s["namespace"].str();
      out += fmt::format(" --serviceaccount={}:{}", sa_ns, s["name"].str());
    } else if (kind == "User" || kind == "Group") {
      out += fmt::format(" --{}={}", kind == "User" ? "user" : "group", s["name"].str());
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> reuse_fixes(const Policy& policy, const AccessRequest& request,
                                     const Decision& d) {
  std::vector<std::string> out;
  for (const NearMiss& m : d.closest) {
    const Binding& b = m.binding;
    if (policy.role_of(b) == nullptr) {
      const std::string_view ns = b.cluster_wide() ? std::string_view() : b.object->ns;
      for (const Object* role : policy.roles_allowing(ns, request)) {
        out.push_back(fmt::format(
            "{} names {}, which does not exist, and {} {} grants this: recreate the binding "
            "with it (roleRef cannot be changed): {}delete {} {} && {}",
            binding_text(b), role_text(b), role->kind,
            role->ns.empty() ? std::string(role->name) : fmt::format("{}/{}", role->ns, role->name),
            b.cluster_wide() ? "kubectl " : fmt::format("kubectl -n {} ", b.object->ns),
            b.cluster_wide() ? "clusterrolebinding" : "rolebinding", b.object->name,
            create_binding_command(b, b.cluster_wide(), *role, b.object->name)));
        break;
      }
      continue;
    }
    const Object* role = policy.role_of(b);
    if (m.rule && rule_allows(*m.rule->rule, request) && role->kind == "ClusterRole" &&
        request.ns.empty() && !b.cluster_wide()) {
      out.push_back(
          fmt::format("Or bind ClusterRole {} cluster-wide (it then grants all its rules in every "
                      "namespace): {}",
                      role->name, create_binding_command(b, true, *role, b.object->name)));
    }
  }
  return out;
}

}  // namespace ktriage::rbac
