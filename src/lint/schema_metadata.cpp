// The ObjectMeta part of schema validation: names, namespaces, label and annotation keys and
// values, checked as the API server's generic validation does (the OpenAPI documents only say
// "string" for these).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "lint/schema_validate.h"

namespace ktriage::lint {
namespace {

// k8s.io/apimachinery/pkg/util/validation: IsDNS1123Subdomain, IsDNS1123Label,
// IsDNS1035Label, IsQualifiedName, IsValidLabelValue.
bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool dns1123_label(std::string_view s) {
  if (s.empty() || s.size() > 63 || !alnum_lower(s.front()) || !alnum_lower(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return alnum_lower(c) || c == '-'; });
}
bool dns1123_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (part.empty() || !alnum_lower(part.front()) || !alnum_lower(part.back())) return false;
    if (!std::all_of(part.begin(), part.end(), [](char c) { return alnum_lower(c) || c == '-'; }))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}
bool label_like(std::string_view s) {  // ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
  auto an = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (s.empty()) return true;
  if (!an(s.front()) || !an(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return an(c) || c == '-' || c == '_' || c == '.'; });
}

constexpr std::string_view kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kDns1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// A lower-case DNS name suggestion: "My_App" -> "my-app".
std::string dns_fix(std::string_view s) {
  std::string out;
  for (char c : s) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += alnum_lower(l) || l == '.' ? l : '-';
  }
  while (!out.empty() && !alnum_lower(out.back())) out.pop_back();
  while (!out.empty() && !alnum_lower(out.front())) out.erase(out.begin());
  return out.substr(0, 63);
}

std::string qualified_name_problem(std::string_view key) {
  std::string_view name = key;
  const std::size_t slash = key.find('/');
  if (slash != std::string_view::npos) {
    const std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty() || !dns1123_subdomain(prefix))
      return fmt::format("prefix part {}", kSubdomainMsg);
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  if (!label_like(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
           "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
           "'123-abc', regex used for validation is "
           "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  return {};
}

}  // namespace

void validate_metadata(const Object& object, std::vector<SchemaError>& out) {
  const Value& meta = object.metadata();
  auto add = [&](SchemaError::Kind kind, std::string path, std::string message, std::string hint,
                 std::string value) {
    out.push_back(
        SchemaError{kind, std::move(path), std::move(message), std::move(hint), std::move(value)});
  };
  const std::string_view name = meta["name"].str();
  if (name.empty() && meta["generateName"].str().empty()) {
    add(SchemaError::Kind::kRequired, ".metadata.name",
        "Required value: name or generateName is required", "add `metadata.name`", {});
  } else if (!name.empty()) {
    // Namespaces and Services are DNS labels (a Service name becomes a DNS label; it must start
    // with a letter); most other kinds are subdomains.
    const bool service = object.kind == "Service";
    const bool label = object.kind == "Namespace";
    // RBAC names are path segments (ValidateRBACName: path.IsValidPathSegmentName), so the
    // built-in `system:controller:...` roles are valid.
    const bool rbac = object.api_version.starts_with("rbac.authorization.k8s.io/");
    if (name.size() > 253) {
      add(SchemaError::Kind::kName, ".metadata.name",
          fmt::format("Invalid value: \"{}\": must be no more than 253 characters", name),
          "shorten the name", std::string(name));
    } else if (rbac) {
      if (name == "." || name == ".." || name.find_first_of("/%") != std::string_view::npos)
        add(SchemaError::Kind::kName, ".metadata.name",
            fmt::format("Invalid value: \"{}\": may not be '.' or '..' and may not contain '/' or "
                        "'%'",
                        name),
            fmt::format("rename it, e.g. `{}`", dns_fix(name)), std::string(name));
    } else if (service ? !(dns1123_label(name) && std::isalpha(static_cast<unsigned char>(name[0])))
               : label ? !dns1123_label(name)
                       : !dns1123_subdomain(name)) {
      add(SchemaError::Kind::kName, ".metadata.name",
          fmt::format("Invalid value: \"{}\": {}", name,
                      service ? kDns1035Msg
                      : label ? kLabelMsg
                              : kSubdomainMsg),
          fmt::format("rename it, e.g. `{}`", dns_fix(name)), std::string(name));
    }
  }
  const std::string_view ns = meta["namespace"].str();
  if (!ns.empty() && !dns1123_label(ns)) {
    add(SchemaError::Kind::kName, ".metadata.namespace",
        fmt::format("Invalid value: \"{}\": {}", ns, kLabelMsg),
        fmt::format("use a valid namespace name, e.g. `{}`", dns_fix(ns)), std::string(ns));
  }
  for (const Member& m : meta["labels"].members()) {
    const std::string path = fmt::format(".metadata.labels[{}]", m.key);
    if (std::string p = qualified_name_problem(m.key); !p.empty()) {
      add(SchemaError::Kind::kLabel, ".metadata.labels",
          fmt::format("Invalid value: \"{}\": {}", m.key, p), "fix the label key",
          std::string(m.key));
    }
    const std::string_view v = m.value.str();
    if (m.value.is_string() && (v.size() > 63 || !label_like(v))) {
      add(SchemaError::Kind::kLabel, path,
          v.size() > 63
              ? fmt::format("Invalid value: \"{}\": must be no more than 63 characters", v)
              : fmt::format("Invalid value: \"{}\": {}", v, kLabelValueMsg),
          "use letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
          std::string(v));
    }
  }
  for (const Member& m : meta["annotations"].members()) {
    if (std::string p = qualified_name_problem(m.key); !p.empty()) {
      add(SchemaError::Kind::kLabel, ".metadata.annotations",
          fmt::format("Invalid value: \"{}\": {}", m.key, p), "fix the annotation key",
          std::string(m.key));
    }
  }
}

}  // namespace ktriage::lint
