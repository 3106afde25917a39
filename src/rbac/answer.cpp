#include "rbac/answer.h"

#include <fmt/format.h>

#include "core/json_text.h"
#include "rbac/grant.h"
#include "rbac/reuse.h"
#include "rbac/rule_match.h"

namespace ktriage::rbac {

namespace {

std::string who_text(const UserInfo& user) {
  if (auto sa = service_account_of(user.name))
    return fmt::format("ServiceAccount {}/{}", sa->first, sa->second);
  return fmt::format("User {}", user.name);
}

std::string rule_ref(const GrantedRule& g) {
  std::string out = fmt::format("rule {} ({})", g.index, rule_text(*g.rule));
  return out;
}

// "RoleBinding shop/web-pods -> ClusterRole pod-reader, rule 0 (get,list,watch pods)", naming
// the role the rule comes from when aggregation brought it in.
std::string grant_path(const Binding& b, const GrantedRule* g) {
  std::string out = fmt::format("{} -> {}", binding_text(b), role_text(b));
  if (g == nullptr) return out;
  if (g->source != nullptr && g->source->name != b.role_name)
    out += fmt::format(" (aggregated from ClusterRole {})", g->source->name);
  return out + ", " + rule_ref(*g);
}

void str(std::string& out, std::string_view key, std::string_view value, bool comma = true) {
  append_json_string(out, key);
  out += ':';
  append_json_string(out, value);
  if (comma) out += ',';
}

std::string request_json(const AccessRequest& r) {
  std::string out = "{";
  str(out, "verb", r.verb);
  if (r.is_resource()) {
    str(out, "group", r.group);
    str(out, "resource", r.resource);
    str(out, "subresource", r.subresource);
    str(out, "name", r.name);
    str(out, "namespace", r.ns, false);
  } else {
    str(out, "path", r.path, false);
  }
  return out + "}";
}

std::string binding_json(const Binding& b) {
  std::string out = "{\"binding\":{";
  str(out, "kind", b.object->kind);
  str(out, "namespace", b.object->ns);
  str(out, "name", b.object->name, false);
  out += "},\"role\":{";
  str(out, "kind", b.role_kind);
  str(out, "name", b.role_name, false);
  return out + "}";
}

std::string rule_json(const GrantedRule& g) {
  std::string out = "{";
  str(out, "role", g.source != nullptr ? g.source->name : std::string_view());
  out += fmt::format("\"index\":{},", g.index);
  str(out, "text", rule_text(*g.rule), false);
  return out + "}";
}

std::string notes_text(std::span<const std::string> notes) {
  std::string out;
  for (const std::string& n : notes) out += fmt::format("  note: {}\n", n);
  return out;
}

std::string strings_json(std::span<const std::string> items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, items[i]);
  }
  return out + "]";
}

}  // namespace

std::string answer_text(const Policy& policy, const UserInfo& user, const AccessRequest& request,
                        const Decision& d, std::span<const std::string> notes) {
  const std::string who = who_text(user);
  if (d.allowed) {
    const Grant& g = *d.grant;
    return fmt::format("yes\n  {} may {}\n  through {}\n", who, request.describe(),
                       grant_path(g.binding, &g.rule)) +
           notes_text(notes);
  }
  std::string out = fmt::format("no\n  {} may not {}\n", who, request.describe());
  out += notes_text(notes);
  if (d.closest.empty())
    out += fmt::format(
        "  no RoleBinding or ClusterRoleBinding that names {} or its groups ({}) comes close\n",
        who, fmt::join(user.groups, ", "));
  for (const NearMiss& m : d.closest) {
    out += fmt::format("  closest: {}\n", grant_path(m.binding, m.rule ? &*m.rule : nullptr));
    for (const std::string& miss : m.misses) out += fmt::format("    - {}\n", miss);
  }
  for (const std::string& e : d.errors) out += fmt::format("  RBAC: {}\n", e);
  const std::vector<std::string> reuse = reuse_fixes(policy, request, d);
  for (const std::string& r : reuse)  // each its own "fix:" line: drop reuse.h's "Or " joiner
    out += fmt::format("  fix: {}\n", r.starts_with("Or ") ? r.substr(3) : r);
  out += reuse.empty() ? "  to grant it" : "  or grant it with a new role";
  // A grant of a verb no request has would never help: say so where the YAML starts.
  if (!is_known_verb(request))
    out += fmt::format(" (\"{}\" is not a known verb: check it first)", request.verb);
  out += " (kubectl apply -f -):\n";
  const std::string yaml = grant_yaml(request, user.name);
  for (std::size_t at = 0; at < yaml.size();) {
    const auto end = yaml.find('\n', at);
    out += "    " + yaml.substr(at, end - at) + "\n";
    at = end == std::string::npos ? yaml.size() : end + 1;
  }
  return out;
}

std::string answer_json(const Policy& policy, const UserInfo& user, const AccessRequest& request,
                        const Decision& d, std::span<const std::string> notes) {
  std::string out = fmt::format("{{\"allowed\":{},", d.allowed ? "true" : "false");
  str(out, "user", user.name);
  out += "\"groups\":" + strings_json(user.groups) + ",\"request\":" + request_json(request);
  out += ",\"notes\":" + strings_json(notes);
  out += ",\"grant\":";
  if (d.grant) {
    out += binding_json(d.grant->binding) +
           fmt::format(",\"subject\":{},\"rule\":", d.grant->subject) + rule_json(d.grant->rule) +
           "}";
  } else {
    out += "null";
  }
  out += ",\"closest\":[";
  for (std::size_t i = 0; i < d.closest.size(); ++i) {
    const NearMiss& m = d.closest[i];
    if (i > 0) out += ',';
    out += binding_json(m.binding) + ",\"rule\":" + (m.rule ? rule_json(*m.rule) : "null") +
           ",\"misses\":" + strings_json(m.misses) + "}";
  }
  out += "],\"errors\":" + strings_json(d.errors) + ",\"reuse\":" +
         strings_json(d.allowed ? std::vector<std::string>() : reuse_fixes(policy, request, d)) +
         ",";
  str(out, "fix", d.allowed ? std::string() : grant_yaml(request, user.name), false);
  return out + "}\n";
}

std::string holders_text(const AccessRequest& request, std::span<const Holder> holders,
                         std::span<const std::string> notes) {
  if (holders.empty())
    return fmt::format("no subject may {}\n", request.describe()) + notes_text(notes);
  std::string out = fmt::format("subjects that may {}:\n", request.describe());
  for (const Holder& h : holders) {
    const std::string who = h.kind == "ServiceAccount"
                                ? fmt::format("ServiceAccount {}/{}", h.ns, h.name)
                                : fmt::format("{} {}", h.kind, h.name);
    out += fmt::format("  {:<40} {}\n", who, grant_path(h.binding, &h.rule));
  }
  return out + notes_text(notes);
}

std::string holders_json(const AccessRequest& request, std::span<const Holder> holders,
                         std::span<const std::string> notes) {
  std::string out = "{\"request\":" + request_json(request) + ",\"notes\":" + strings_json(notes) +
                    ",\"subjects\":[";
  for (std::size_t i = 0; i < holders.size(); ++i) {
    const Holder& h = holders[i];
    if (i > 0) out += ',';
    out += "{";
    str(out, "kind", h.kind);
    str(out, "name", h.name);
    str(out, "namespace", h.ns);
    out += binding_json(h.binding).substr(1) + ",\"rule\":" + rule_json(h.rule) + "}";
  }
  return out + "]}\n";
}

}  // namespace ktriage::rbac
