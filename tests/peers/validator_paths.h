// Field paths and error kinds of a validator, in one spelling, so that kubectl-validate's causes
// (the API server's field.Error: "spec.containers[0].resources.requests.cpu",
// FieldValueTypeInvalid) compare with ktriage's schema findings (".spec.containers[0].resources
// .requests[cpu]", lint-wrong-type). Header-only, for the peer suites.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

#include "core/finding.h"

namespace ktriage::testing {

/// "spec.a[0].b[cpu]" and ".spec.a[0].b.cpu" both become "spec.a[0].b.cpu": no leading dot, map
/// keys as dotted segments, list indexes kept.
inline std::string normal_path(std::string_view path) {
  if (path.starts_with('.')) path.remove_prefix(1);
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '[') {
      out += path[i];
      continue;
    }
    const std::size_t end = path.find(']', i);
    if (end == std::string_view::npos) {
      out += path.substr(i);
      break;
    }
    const std::string_view inside = path.substr(i + 1, end - i - 1);
    const bool index = !inside.empty() && std::isdigit(static_cast<unsigned char>(inside[0]));
    out += index ? "[" + std::string(inside) + "]" : "." + std::string(inside);
    i = end;
  }
  return out;
}

/// The error kind of an API-server cause: its reason without "FieldValue" ("TypeInvalid",
/// "Required", ...), or "UnknownField" for strict decoding's "value provided for unknown field".
inline std::string peer_kind(std::string_view reason, std::string_view message) {
  if (message.find("value provided for unknown field") != std::string_view::npos)
    return "UnknownField";
  if (reason.starts_with("FieldValue")) reason.remove_prefix(std::string_view("FieldValue").size());
  return std::string(reason);
}

/// The same kind for a ktriage schema finding. The CRD schema check carries several kinds under
/// one rule; its summary holds the API server's wording ("Unsupported value: ...").
inline std::string our_kind(const Finding& f) {
  const std::string_view r = f.rule;
  if (r == "lint-unknown-field") return "UnknownField";
  if (r == "lint-wrong-type" || r == "lint-yaml11-scalar") return "TypeInvalid";
  if (r == "lint-missing-required") return "Required";
  if (r == "lint-unsupported-value") return "NotSupported";
  if (r == "lint-duplicate-item" || r == "lint-duplicate-entry") return "Duplicate";
  if (r == "lint-duplicate-key") return "DuplicateKey";
  if (r == "lint-unknown-kind") return "UnknownKind";
  if (r == "lint-invalid-crd-schema") {
    if (f.summary.find("Unsupported value") != std::string::npos) return "NotSupported";
    if (f.summary.find("Required value") != std::string::npos) return "Required";
  }
  return "Invalid";  // quantities, names, labels: FieldValueInvalid
}

/// "path Kind" for a finding: the normalised path of its first evidence and its kind.
inline std::string our_cause(const Finding& f) {
  const std::string path = f.evidence.empty() ? "" : normal_path(f.evidence.front().path);
  return path + " " + our_kind(f);
}

}  // namespace ktriage::testing
