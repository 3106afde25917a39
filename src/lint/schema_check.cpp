// The schema check: every object against its OpenAPI v3 schema (schema_validate.h), plus the
// ObjectMeta rules that need no schema. Each validation error is one finding pointing at the node.
#include <fmt/format.h>

#include <array>
#include <map>
#include <string>

#include "lint/checks.h"
#include "lint/locate.h"
#include "lint/schema_store.h"
#include "lint/schema_validate.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kFieldValidation =
    "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation";
constexpr std::string_view kNames =
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/";
constexpr std::string_view kLabels =
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
    "#syntax-and-character-set";

constexpr LintRule kUnknownField{
    "lint-unknown-field",
    "POD-RUNNING-MANIFEST-FIELD-TYPO",
    Severity::kCritical,
    "A field the schema does not have: the API server drops it (or rejects the object under "
    "strict validation), so the setting never takes effect",
    "Correct the field's name or indentation",
    kFieldValidation};
constexpr LintRule kWrongType{"lint-wrong-type",
                              "",
                              Severity::kCritical,
                              "A value of the wrong JSON type: the API server rejects the object",
                              "Write the value with the type the field takes",
                              "https://kubernetes.io/docs/reference/kubernetes-api/"};
constexpr LintRule kMissingRequired{
    "lint-missing-required", "",
    Severity::kCritical,     "A required field is absent: the API server rejects the object",
    "Add the field",         "https://kubernetes.io/docs/reference/kubernetes-api/"};
constexpr LintRule kUnsupportedValue{
    "lint-unsupported-value",
    "",
    Severity::kCritical,
    "A value outside the set the field allows: the API server rejects the object",
    "Use one of the supported values (they are case-sensitive)",
    "https://kubernetes.io/docs/reference/kubernetes-api/"};
constexpr LintRule kInvalidQuantity{
    "lint-invalid-quantity",
    "",
    Severity::kCritical,
    "A resource quantity the API server cannot parse",
    "Write a quantity such as 500m, 2, 128Mi or 1Gi",
    "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/"};
constexpr LintRule kInvalidName{"lint-invalid-name",
                                "",
                                Severity::kCritical,
                                "An object name or namespace that is not a valid DNS name",
                                "Rename it with lower-case letters, digits and '-'",
                                kNames};
constexpr LintRule kInvalidLabel{"lint-invalid-label",
                                 "",
                                 Severity::kCritical,
                                 "A label or annotation key, or a label value, with invalid syntax",
                                 "Fix the key or value's characters and length",
                                 kLabels};
constexpr LintRule kYaml11{
    "lint-yaml11-scalar",
    "",
    Severity::kCritical,  // kubectl sends a JSON bool: "cannot unmarshal bool into ... string"
    "An unquoted scalar (yes, on, 22:22) that kubectl's YAML 1.1 reads as a boolean or number "
    "where the field takes a string",
    "Quote the value",
    "https://yaml.org/type/bool.html"};
constexpr LintRule kUnknownKind{
    "lint-unknown-kind",
    "",
    Severity::kCritical,
    "A kind its apiVersion does not serve (misspelt kind, or the wrong group-version)",
    "Correct kind or apiVersion",
    "https://kubernetes.io/docs/reference/kubernetes-api/"};

constexpr LintRule kDuplicateItem{
    "lint-duplicate-item",
    "",
    Severity::kCritical,
    "Two items of a keyed list (containers by name, ports by port and protocol) or of a set are "
    "the same: the API server rejects the object",
    "Give each item distinct keys, or merge them",
    "https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy"};
constexpr LintRule kInvalidCrdSchema{
    "lint-invalid-crd-schema",
    "",
    Severity::kCritical,
    "A CustomResourceDefinition whose openAPIV3Schema is invalid: the API server rejects the CRD",
    "Correct the schema (types are array, boolean, integer, number, object, string)",
    "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/"
    "custom-resource-definitions/#specifying-a-structural-schema"};

constexpr LintRule kDuplicateEntry{
    "lint-duplicate-entry",
    "",
    Severity::kWarning,
    "Two list items with the same key (env name, container port): the API server accepts it with "
    "a warning and the later one wins",
    "Remove or merge the repeated item",
    "https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy"};

constexpr std::array kRules{kUnknownField,    kWrongType,     kMissingRequired,  kUnsupportedValue,
                            kInvalidQuantity, kInvalidName,   kInvalidLabel,     kYaml11,
                            kUnknownKind,     kDuplicateItem, kInvalidCrdSchema, kDuplicateEntry};

const LintRule& rule_of(SchemaError::Kind k) {
  switch (k) {
    case SchemaError::Kind::kUnknownField:
      return kUnknownField;
    case SchemaError::Kind::kType:
      return kWrongType;
    case SchemaError::Kind::kRequired:
      return kMissingRequired;
    case SchemaError::Kind::kEnum:
      return kUnsupportedValue;
    case SchemaError::Kind::kQuantity:
      return kInvalidQuantity;
    case SchemaError::Kind::kName:
      return kInvalidName;
    case SchemaError::Kind::kLabel:
      return kInvalidLabel;
    case SchemaError::Kind::kYaml11:
      return kYaml11;
    case SchemaError::Kind::kDuplicate:
      return kDuplicateItem;
    case SchemaError::Kind::kDuplicateWarning:
      return kDuplicateEntry;
    case SchemaError::Kind::kSchema:
      return kInvalidCrdSchema;
  }
  return kWrongType;
}

// Secret values never reach a report, not even a wrong-typed one.
bool secret_value(const Object& o, std::string_view path) {
  return o.kind == "Secret" && (path.rfind(".data", 0) == 0 || path.rfind(".stringData", 0) == 0);
}

Finding& add_error(std::vector<Finding>& out, const Object& o, const SchemaError& e) {
  const std::string_view shown =
      e.path.empty() ? std::string_view("<root>") : std::string_view(e.path).substr(1);
  Finding& f = add_finding(out, rule_of(e.kind), o,
                           fmt::format("{} {}: {}: {}", o.kind, o.name, shown, e.message), e.path);
  f.evidence.push_back(Evidence::field(
      "", e.path.empty() ? std::string(".") : e.path,
      secret_value(o, e.path) ? std::string("(Secret value, not shown)") : e.value));
  f.evidence.back().at_key = e.kind == SchemaError::Kind::kUnknownField;
  f.fix = e.hint.empty() ? std::string(rule_of(e.kind).fix) : fmt::format("{}: {}", shown, e.hint);
  if (!e.hint.empty() && e.hint.back() != '?' && e.hint.back() != '.') f.fix += '.';
  return f;
}

// Type errors on scalars and YAML 1.1 candidates depend on how the value was written: read the
// source token. A YAML 1.1 candidate that was quoted is no trap; a number where a string is
// wanted gets its exact text in the fix ("1.10", not the 1.1 it became).
void confirm_with_source(const Cluster& cluster, std::vector<Finding>& pending,
                         std::vector<Finding>& out) {
  if (pending.empty()) return;
  locate_fields(cluster, pending);
  std::map<std::uint32_t, LineStarts> lines;  // by file, built once each
  for (Finding& f : pending) {
    const Evidence& e = f.evidence.front();
    std::string_view token;
    bool quoted = false;
    if (const Object* o = finding_object(cluster, f); o != nullptr && e.line > 0) {
      const std::string_view text = cluster.source(o->file);
      const LineStarts& starts = lines.try_emplace(o->file, text).first->second;
      token = text_at(text, starts, {e.line, e.column});
      // libfyaml places a quoted scalar at its first character inside the quotes.
      const std::string_view before =
          e.column > 1 ? text_at(text, starts, {e.line, e.column - 1}) : "";
      quoted = (!token.empty() && (token.front() == '"' || token.front() == '\'')) ||
               (!before.empty() && (before.front() == '"' || before.front() == '\''));
    }
    if (f.rule == kYaml11.id) {
      if (quoted) continue;
    } else if (!token.empty() && !quoted) {
      // The scalar as written, up to a comment or a flow delimiter.
      std::size_t end = token.find_first_of(",}] #");
      std::string_view written = token.substr(0, end);
      if (!written.empty()) f.fix = fmt::format("Quote the value as written: \"{}\".", written);
    }
    out.push_back(std::move(f));
  }
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  const Cluster& cluster = ctx.cluster;
  std::vector<SchemaError> errors;
  for (const Object* crd : cluster.of_kind("CustomResourceDefinition")) {
    errors.clear();
    if (validate_crd_schemas(*crd, errors)) {
      if (ctx.schemas != nullptr) ctx.schemas->add_crd(*crd, cluster.file_name(crd->file));
    } else {
      for (const SchemaError& e : errors) add_error(out, *crd, e);
    }
  }
  std::map<std::string, std::size_t> unvalidated;  // "group/version Kind" -> objects
  std::vector<Finding> pending;
  for (const Object& o : cluster.objects()) {
    errors.clear();
    // Not API objects: kustomize's and KRM functions' config files sit beside manifests.
    if (o.api_version.starts_with("kustomize.config.k8s.io/") ||
        o.api_version.starts_with("config.kubernetes.io/"))
      continue;
    // An item of a typed List (`kubectl cluster-info dump`) takes kind and apiVersion from the
    // List; the item itself has neither.
    const bool list_item = (*o.root)["kind"].is_null();
    validate_metadata(o, errors);
    if (list_item) {
      ++unvalidated[fmt::format("{} (items of a List without apiVersion)", o.kind)];
    } else if (o.api_version.empty()) {
      // The API server rejects it before any schema applies ("Object 'apiVersion' is missing"),
      // and no schema can be found for it: without this it only counted as "not validated".
      errors.push_back({SchemaError::Kind::kRequired,
                        ".apiVersion",
                        "Required value",
                        "add `apiVersion` (`v1`, `apps/v1`, ...)",
                        {}});
    } else if (ctx.schemas != nullptr && !o.kind.empty()) {
      SchemaNode schema = ctx.schemas->find(o.api_version, o.kind);
      if (schema) {
        validate_object(*ctx.schemas, o, schema, errors);
      } else if (ctx.schemas->knows_group_version(o.api_version)) {
        Finding& f = add_finding(
            out, kUnknownKind, o,
            fmt::format("{} {}: kind {} not found in {} (the API server serves no such kind)",
                        o.kind, o.name, o.kind, o.api_version));
        f.evidence.push_back(Evidence::field("", ".kind", std::string(o.kind)));
        f.fix = fmt::format(
            "Check the spelling and case of `kind: {}` and that {} serves it (`kubectl "
            "api-resources --api-group={}` lists the kinds).",
            o.kind, o.api_version,
            o.api_version.find('/') == std::string_view::npos
                ? std::string_view("''")
                : o.api_version.substr(0, o.api_version.find('/')));
      } else {
        ++unvalidated[fmt::format("{} {}", o.api_version, o.kind)];
      }
    }
    for (const SchemaError& e : errors) {
      const bool needs_source = e.kind == SchemaError::Kind::kYaml11 ||
                                (e.kind == SchemaError::Kind::kType &&
                                 e.message.find("of type string") != std::string::npos);
      add_error(needs_source ? pending : out, o, e);
    }
  }
  confirm_with_source(cluster, pending, out);
  if (ctx.notes == nullptr) return;
  if (ctx.schemas == nullptr) {
    ctx.notes->push_back(
        "schema validation skipped: no OpenAPI schemas found. Give --schema-location DIR (the "
        "/openapi/v3 documents, one file per group-version), set KTRIAGE_SCHEMA_DIR, or run "
        "`ktriage schema pull` against a cluster of the target release once; the other checks "
        "ran.");
  } else if (!unvalidated.empty()) {
    std::string kinds;
    std::size_t shown = 0, total = 0;
    for (const auto& [k, n] : unvalidated) {
      total += n;
      if (shown++ < 5) kinds += fmt::format("{}{} ({})", kinds.empty() ? "" : ", ", k, n);
    }
    if (unvalidated.size() > 5) kinds += fmt::format(", and {} more kinds", unvalidated.size() - 5);
    ctx.notes->push_back(fmt::format(
        "{} object{} not validated: no schema for {} in {} (a built-in version that release "
        "no longer serves, or a custom resource whose CustomResourceDefinition is not in the "
        "input: give it with --crd FILE)",
        total, total == 1 ? "" : "s", kinds,
        ctx.schemas->dir().empty() ? std::string("the schema folder") : ctx.schemas->dir()));
  }
}

}  // namespace

const LintCheck kSchemaCheck{"schema", kRules, run};

}  // namespace ktriage::lint
