#include "lint/schema_validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cmath>

#include "core/edit_distance.h"

namespace ktriage::lint {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::string_view kQuantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

// Values the API server's validation accepts where the OpenAPI documents only say "string" (the
// built-in v3 documents carry no enums): pkg/apis/core/validation, apps/validation,
// networking/validation and batch/validation of kubernetes v1.33, for the fields manifests get
// wrong most. Keyed by the owning schema and the property; arrays apply it to their items.
struct EnumField {
  std::string_view schema;
  std::string_view property;
  std::array<std::string_view, 5> values;
};
constexpr std::array<EnumField, 22> kServerEnums{{
    {"io.k8s.api.core.v1.ContainerPort", "protocol", {"SCTP", "TCP", "UDP"}},
    {"io.k8s.api.core.v1.ServicePort", "protocol", {"SCTP", "TCP", "UDP"}},
    {"io.k8s.api.core.v1.EndpointPort", "protocol", {"SCTP", "TCP", "UDP"}},
    {"io.k8s.api.core.v1.Container", "imagePullPolicy", {"Always", "IfNotPresent", "Never"}},
    {"io.k8s.api.core.v1.EphemeralContainer",
     "imagePullPolicy",
     {"Always", "IfNotPresent", "Never"}},
    {"io.k8s.api.core.v1.Container", "terminationMessagePolicy", {"FallbackToLogsOnError", "File"}},
    {"io.k8s.api.core.v1.PodSpec", "restartPolicy", {"Always", "Never", "OnFailure"}},
    {"io.k8s.api.core.v1.PodSpec",
     "dnsPolicy",
     {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"}},
    {"io.k8s.api.core.v1.ServiceSpec",
     "type",
     {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}},
    {"io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy", {"Cluster", "Local"}},
    {"io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy", {"Cluster", "Local"}},
    {"io.k8s.api.core.v1.ServiceSpec", "sessionAffinity", {"ClientIP", "None"}},
    {"io.k8s.api.core.v1.PersistentVolumeClaimSpec",
     "accessModes",
     {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}},
    {"io.k8s.api.core.v1.Toleration", "operator", {"Equal", "Exists"}},
    {"io.k8s.api.core.v1.Toleration", "effect", {"NoExecute", "NoSchedule", "PreferNoSchedule"}},
    {"io.k8s.api.core.v1.Taint", "effect", {"NoExecute", "NoSchedule", "PreferNoSchedule"}},
    {"io.k8s.api.core.v1.NodeSelectorRequirement",
     "operator",
     {"DoesNotExist", "Exists", "Gt", "In", "Lt"}},  // and NotIn, checked below
    {"io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
     "operator",
     {"DoesNotExist", "Exists", "In", "NotIn"}},
    {"io.k8s.api.apps.v1.DeploymentStrategy", "type", {"Recreate", "RollingUpdate"}},
    {"io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy", {"OrderedReady", "Parallel"}},
    {"io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy", {"Allow", "Forbid", "Replace"}},
    {"io.k8s.api.networking.v1.HTTPIngressPath",
     "pathType",
     {"Exact", "ImplementationSpecific", "Prefix"}},
}};

// Fields the API server's validation requires although the OpenAPI documents do not list them
// as required (pkg/apis/core/validation validateContainers: "Required value" for image).
struct RequiredField {
  std::string_view schema;
  std::string_view property;
};
constexpr std::array<RequiredField, 1> kServerRequired{{
    {"io.k8s.api.core.v1.Container", "image"},
}};

const EnumField* server_enum(std::string_view schema, std::string_view property) {
  for (const EnumField& e : kServerEnums) {
    if (e.schema == schema && e.property == property) return &e;
  }
  return nullptr;
}

bool in_server_enum(const EnumField& e, std::string_view v) {
  if (e.property == "operator" && e.schema == "io.k8s.api.core.v1.NodeSelectorRequirement" &&
      v == "NotIn")
    return true;
  if (e.property == "effect" && e.schema == "io.k8s.api.core.v1.Toleration" && v.empty())
    return true;  // an empty effect matches every effect
  // "" is unset: the API server fills in the default before validating (Helm's `| quote` of an
  // empty value writes it).
  return v.empty() || std::find(e.values.begin(), e.values.end(), v) != e.values.end();
}

std::string supported_list(const EnumField& e) {
  std::string out;
  for (std::string_view v : e.values) {
    if (v.empty()) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("\"{}\"", v);
  }
  if (e.schema == "io.k8s.api.core.v1.NodeSelectorRequirement") out += ", \"NotIn\"";
  return out;
}

// A value as the API server's messages print it.
std::string value_text(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString:
      return std::string(v.str());
    case Value::Type::kInt:
      return std::to_string(v.as_int());
    case Value::Type::kDouble:
      return fmt::format("{}", v.as_double());
    case Value::Type::kBool:
      return v.as_bool() ? "true" : "false";
    default:
      return std::string(Value::type_name(v.type()));
  }
}

std::string_view json_type(const Value& v) {
  switch (v.type()) {
    case Value::Type::kInt:
      return "integer";
    case Value::Type::kDouble:
      return "number";
    case Value::Type::kBool:
      return "boolean";
    case Value::Type::kString:
      return "string";
    case Value::Type::kArray:
      return "array";
    case Value::Type::kObject:
      return "object";
    default:
      return "null";
  }
}

bool simple_key(std::string_view k) {
  return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
  });
}

// The kubectl-validate / API server form of a path: no leading dot.
std::string_view display(const std::string& path) {
  return path.empty() ? std::string_view("<root>") : std::string_view(path).substr(1);
}

// Scalars YAML 1.1 (what kubectl's YAML library resolves) reads as booleans; YAML 1.2 and this
// reader keep them as strings, so a file that lints clean here could still be rejected.
bool yaml11_bool(std::string_view s) {
  static constexpr std::array<std::string_view, 18> kWords = {
      "y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no", "No",
      "NO", "on", "On",  "ON",  "off", "Off", "OFF", "",   ""};
  return !s.empty() && std::find(kWords.begin(), kWords.end(), s) != kWords.end();
}
// YAML 1.1 sexagesimal integers ("22:22" is 1342 to kubectl).
bool yaml11_sexagesimal(std::string_view s) {
  if (s.empty() || s.find(':') == std::string_view::npos || s.front() == ':' || s.back() == ':')
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == ':'; });
}

class Walker {
 public:
  Walker(SchemaStore& store, std::vector<SchemaError>& out) : store_(store), out_(out) {}

  void walk(const Value& v, SchemaNode node, const EnumField* enum_field, SchemaNode parent,
            int depth) {
    if (depth > kMaxDepth || !node) return;
    node = store_.resolve(node);
    const Value& s = *node.schema;
    if (v.is_null()) return;  // null is "unset" for the API server
    if (s["x-kubernetes-int-or-string"].as_bool() || s["format"].str() == "int-or-string") {
      if (!v.is_string() && v.type() != Value::Type::kInt) type_error(v, "integer or string", {});
      return;
    }
    if (node.name == kQuantity) {
      if (v.is_string() && !is_quantity(v.str())) {
        add(SchemaError::Kind::kQuantity,
            fmt::format("Invalid value: \"{}\": quantities must match the regular expression "
                        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                        v.str()),
            "write a quantity such as 500m, 1, 1.5, 128Mi or 2Gi", std::string(v.str()));
      } else if (!v.is_string() && !v.is_number()) {
        type_error(v, "string", {});
      }
      return;
    }
    if (s["x-kubernetes-embedded-resource"].as_bool() && v.is_object()) return;
    std::string_view type = s["type"].str();
    if (type.empty() && s["properties"].is_object()) type = "object";
    if (type == "object") return object(v, node, parent, depth);
    if (type == "array") {
      if (!v.is_array()) return type_error(v, "array", {});
      const SchemaNode items{&s["items"], node.doc, {}};
      if (s["items"].is_null()) return;
      check_list_keys(v, s, node);
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::size_t mark = path_.size();
        path_ += fmt::format("[{}]", i);
        walk(v[i], items, enum_field, node, depth + 1);
        path_.resize(mark);
      }
      return;
    }
    if (type == "string") return string(v, s, enum_field);
    if (type == "integer") {
      const bool integral =
          v.type() == Value::Type::kInt ||
          (v.type() == Value::Type::kDouble && std::floor(v.as_double()) == v.as_double());
      if (!integral) return type_error(v, "integer", {});
      if (s["format"].str() == "int32" && v.type() == Value::Type::kInt &&
          (v.as_int() > INT32_MAX || v.as_int() < INT32_MIN)) {
        add(SchemaError::Kind::kType,
            fmt::format("Invalid value: {}: must fit in a 32-bit integer", v.as_int()), {},
            value_text(v));
      }
      return check_enum(v, s);
    }
    if (type == "number") {
      if (!v.is_number()) return type_error(v, "number", {});
      return;
    }
    if (type == "boolean") {
      if (!v.is_bool()) return type_error(v, "boolean", {});
      return;
    }
  }

  std::string path_;

 private:
  void add(SchemaError::Kind kind, std::string message, std::string hint, std::string value) {
    out_.push_back(SchemaError{kind, path_, std::move(message), std::move(hint), std::move(value)});
  }

  void type_error(const Value& v, std::string_view want, std::string hint) {
    if (hint.empty()) {
      if (want == "string" && (v.is_number() || v.is_bool())) {
        hint = fmt::format("quote the value: unquoted, YAML reads it as a {}",
                           v.is_bool() ? "boolean" : "number");
      } else if ((want == "integer" || want == "number") && v.is_string()) {
        hint = "remove the quotes: the field takes a number";
      } else if (want == "boolean" && v.is_string()) {
        hint = "write true or false without quotes";
      } else if (want == "array" && v.is_object()) {
        hint = "write a list (items start with `- `); a mapping was given";
      } else if (want == "object" && v.is_array()) {
        hint = "write a mapping (key: value); a list was given";
      }
    }
    add(SchemaError::Kind::kType,
        fmt::format("Invalid value: \"{}\": {} in body must be of type {}: \"{}\"", json_type(v),
                    display(path_), want, json_type(v)),
        std::move(hint), value_text(v));
  }

  void check_enum(const Value& v, const Value& s) {
    const Value& values = s["enum"];
    if (!values.is_array() || values.size() == 0) return;
    std::string list;
    for (const Value& e : values.items()) {
      if (e.type() == v.type() && value_text(e) == value_text(v)) return;
      if (!list.empty()) list += ", ";
      list += e.is_string() ? fmt::format("\"{}\"", e.str()) : value_text(e);
    }
    add(SchemaError::Kind::kEnum,
        fmt::format("Unsupported value: {}: supported values: {}",
                    v.is_string() ? fmt::format("\"{}\"", v.str()) : value_text(v), list),
        {}, value_text(v));
  }

  void string(const Value& v, const Value& s, const EnumField* enum_field) {
    if (!v.is_string()) {
      type_error(v, "string", {});
      // The API server reports both (kubectl-validate's error_invalid_protocol_type): the type,
      // and that the value is none of the allowed ones.
      if (enum_field != nullptr)
        add(SchemaError::Kind::kEnum,
            fmt::format("Unsupported value: {}: supported values: {}", value_text(v),
                        supported_list(*enum_field)),
            {}, value_text(v));
      return;
    }
    if (enum_field != nullptr && !in_server_enum(*enum_field, v.str())) {
      // The nearest allowed value, for a case slip ("udp") or a typo ("IfNotPresnt").
      std::string_view best;
      std::size_t best_d = 3;
      for (std::string_view a : enum_field->values) {
        if (a.empty()) continue;
        const std::size_t d = osa_distance(a, v.str(), /*ignore_case=*/true);
        if (d < best_d) best_d = d, best = a;
      }
      add(SchemaError::Kind::kEnum,
          fmt::format("Unsupported value: \"{}\": supported values: {}", v.str(),
                      supported_list(*enum_field)),
          best.empty() ? std::string() : fmt::format("write `{}`", best), std::string(v.str()));
      return;
    }
    check_enum(v, s);
    if (yaml11_bool(v.str()) || yaml11_sexagesimal(v.str())) {
      add(SchemaError::Kind::kYaml11,
          fmt::format("`{}` unquoted is {} to kubectl, which reads YAML 1.1; the field wants the "
                      "string",
                      v.str(), yaml11_bool(v.str()) ? "a boolean" : "a base-60 integer"),
          fmt::format("quote it: \"{}\"", v.str()), std::string(v.str()));
    }
  }

  // x-kubernetes-list-type: map (items unique by x-kubernetes-list-map-keys, defaults applied)
  // or set (items unique): the API server answers "Duplicate value" at the second item.
  void check_list_keys(const Value& v, const Value& s, SchemaNode node) {
    const std::string_view list_type = s["x-kubernetes-list-type"].str();
    if (list_type != "map" && list_type != "set") return;
    const Value& keys = s["x-kubernetes-list-map-keys"];
    const Value& item_props = properties_of(SchemaNode{&s["items"], node.doc, {}});
    std::vector<std::string> seen;
    seen.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string key;
      if (list_type == "set") {
        key = value_text(v[i]);
      } else {
        key = "{";
        for (const Value& k : keys.items()) {
          const Value* field = &v[i][k.str()];
          if (field->is_null())
            field =
                &store_.resolve({&item_props[k.str()], node.doc, {}}).schema->operator[]("default");
          if (field->is_null()) continue;
          key += fmt::format(
              "{}\"{}\":{}", key.size() > 1 ? "," : "", k.str(),
              field->is_string() ? fmt::format("\"{}\"", field->str()) : value_text(*field));
        }
        key += "}";
      }
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        const bool rejected = rejected_duplicate(node.doc, path_);  // the list's own path
        const std::size_t mark = path_.size();
        path_ += fmt::format("[{}]", i);
        add(rejected ? SchemaError::Kind::kDuplicate : SchemaError::Kind::kDuplicateWarning,
            fmt::format("Duplicate value: {}", key),
            list_type == "map" ? "give each item distinct keys, or merge the two items"
                               : "remove the repeated item",
            key);
        path_.resize(mark);
      } else {
        seen.push_back(std::move(key));
      }
    }
  }

  // Duplicates the API server refuses: in a CRD's list-map or set (structural schema
  // validation), and among a pod's containers and volumes and a Service's ports (the built-in
  // validation, pkg/apis/core/validation); others (env names, container ports, hostAliases,
  // finalizers) it accepts with a warning, the last entry winning.
  bool rejected_duplicate(const SchemaDocument* doc, std::string_view path) const {
    if (doc != nullptr && doc->file.empty()) return true;  // a CRD's schema
    for (std::string_view list :
         {".containers", ".initContainers", ".ephemeralContainers", ".volumes", ".volumeMounts"}) {
      if (path.ends_with(list)) return true;
    }
    return path == ".spec.ports";
  }

  // The property names of `node` when it is an object schema, else null.
  const Value& properties_of(SchemaNode node) const {
    node = store_.resolve(node);
    return node ? (*node.schema)["properties"] : Value::null_value();
  }

  std::string suggest(std::string_view key, const Value& props, SchemaNode node,
                      SchemaNode parent) const {
    std::string_view best;
    std::size_t best_d = SIZE_MAX;
    for (const Member& p : props.members()) {
      const std::size_t d = osa_distance(key, p.key, /*ignore_case=*/true);
      if (d < best_d) best_d = d, best = p.key;
    }
    const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
    if (!best.empty() && best_d <= limit) return fmt::format("did you mean `{}`?", best);
    // Mis-indented: the key is a field of a child (one level too high) or of the parent (one
    // level too deep).
    for (const Member& p : props.members()) {
      if (properties_of(SchemaNode{&p.value, node.doc, {}}).contains(key))
        return fmt::format("`{}` is a field of `{}`: indent it under `{}:`", key, p.key, p.key);
    }
    if (parent && properties_of(parent).contains(key))
      return fmt::format("`{}` belongs one level up: check its indentation", key);
    return {};
  }

  void object(const Value& v, SchemaNode node, SchemaNode parent, int depth) {
    if (!v.is_object()) return type_error(v, "object", {});
    const Value& s = *node.schema;
    const Value& props = s["properties"];
    const Value& extra = s["additionalProperties"];
    const bool preserve = s["x-kubernetes-preserve-unknown-fields"].as_bool();
    for (const Member& m : v.members()) {
      const std::size_t mark = path_.size();
      if (simple_key(m.key)) {
        path_ += '.';
        path_ += m.key;
      } else {
        path_ += fmt::format("[{}]", m.key);
      }
      const Value& p = props[m.key];
      if (depth == 0 && m.key == "status") {
        // What the cluster wrote (an exported object): the API server ignores it on create and
        // apply, so it is not the manifest's to get right.
      } else if (!p.is_null()) {
        const EnumField* e = node.name.empty() ? nullptr : server_enum(node.name, m.key);
        walk(m.value, SchemaNode{&p, node.doc, {}}, e, node, depth + 1);
      } else if (extra.is_object()) {
        path_.resize(mark);
        // A map entry: the key is data, not a field; digits are quoted so the path does not
        // read as a list index.
        const bool digits = !m.key.empty() && std::all_of(m.key.begin(), m.key.end(), [](char c) {
          return c >= '0' && c <= '9';
        });
        path_ += digits ? fmt::format("[\"{}\"]", m.key) : fmt::format("[{}]", m.key);
        walk(m.value, SchemaNode{&extra, node.doc, {}}, nullptr, node, depth + 1);
      } else if (depth == 0 && (m.key == "apiVersion" || m.key == "kind" || m.key == "metadata")) {
        // A CRD's schema leaves these out: the API server validates them for every kind.
      } else if (props.is_object() && !preserve && !extra.as_bool()) {
        // An object without `properties` is free-form (RawExtension, FieldsV1): anything goes.
        add(SchemaError::Kind::kUnknownField, fmt::format("unknown field \"{}\"", display(path_)),
            suggest(m.key, props, node, parent), std::string(m.key));
      }
      path_.resize(mark);
    }
    auto require = [&](std::string_view r) {
      if (v.contains(r)) return;
      const std::size_t mark = path_.size();
      path_ += simple_key(r) ? "." + std::string(r) : fmt::format("[{}]", r);
      add(SchemaError::Kind::kRequired, "Required value", fmt::format("add `{}`", r), {});
      path_.resize(mark);
    };
    for (const Value& r : s["required"].items()) require(r.str());
    for (const RequiredField& r : kServerRequired) {
      if (r.schema == node.name) require(r.property);
    }
  }

  SchemaStore& store_;
  std::vector<SchemaError>& out_;
};

constexpr std::array<std::string_view, 6> kSchemaTypes = {"array",  "boolean", "integer",
                                                          "number", "object",  "string"};

void check_schema_types(const Value& schema, std::string& path, int depth,
                        std::vector<SchemaError>& out) {
  if (depth > kMaxDepth || !schema.is_object()) return;
  const Value& type = schema["type"];
  if (!type.is_null() &&
      std::find(kSchemaTypes.begin(), kSchemaTypes.end(), type.str()) == kSchemaTypes.end()) {
    std::string nearest;
    for (std::string_view t : kSchemaTypes) {
      if (osa_distance(t, type.str(), /*ignore_case=*/true) <= 2)
        nearest = fmt::format("write `{}`", t);
    }
    out.push_back(SchemaError{
        SchemaError::Kind::kSchema, path + ".type",
        fmt::format("Unsupported value: \"{}\": supported values: \"array\", \"boolean\", "
                    "\"integer\", \"number\", \"object\", \"string\"",
                    value_text(type)),
        nearest, value_text(type)});
  }
  auto into = [&](std::string_view step, const Value& sub) {
    const std::size_t mark = path.size();
    path += step;
    check_schema_types(sub, path, depth + 1, out);
    path.resize(mark);
  };
  for (const Member& m : schema["properties"].members())
    into(simple_key(m.key) ? fmt::format(".properties.{}", m.key)
                           : fmt::format(".properties[{}]", m.key),
         m.value);
  into(".items", schema["items"]);
  into(".additionalProperties", schema["additionalProperties"]);
  for (std::string_view k : {"allOf", "anyOf", "oneOf"}) {
    const Value& list = schema[k];
    for (std::size_t i = 0; i < list.size(); ++i) into(fmt::format(".{}[{}]", k, i), list[i]);
  }
}

}  // namespace

bool validate_crd_schemas(const Object& crd, std::vector<SchemaError>& out) {
  const std::size_t before = out.size();
  const Value& versions = crd.spec()["versions"];
  for (std::size_t i = 0; i < versions.size(); ++i) {
    std::string path = fmt::format(".spec.versions[{}].schema.openAPIV3Schema", i);
    check_schema_types(versions[i]["schema"]["openAPIV3Schema"], path, 0, out);
  }
  std::string shared = ".spec.validation.openAPIV3Schema";  // apiextensions.k8s.io/v1beta1
  check_schema_types(crd.spec()["validation"]["openAPIV3Schema"], shared, 0, out);
  return out.size() == before;
}

bool is_quantity(std::string_view s) noexcept {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0, dots = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
    (s[i] == '.' ? dots : digits) += 1;
    ++i;
  }
  if (digits == 0 || dots > 1) return false;
  const std::string_view suffix = s.substr(i);
  static constexpr std::array<std::string_view, 16> kSuffixes = {
      "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"};
  if (std::find(kSuffixes.begin(), kSuffixes.end(), suffix) != kSuffixes.end()) return true;
  if (suffix[0] != 'e' && suffix[0] != 'E') return false;
  std::size_t j = 1;
  if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
  if (j >= suffix.size()) return false;
  return std::all_of(suffix.begin() + static_cast<std::ptrdiff_t>(j), suffix.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

void validate_object(SchemaStore& store, const Object& object, SchemaNode schema,
                     std::vector<SchemaError>& out) {
  Walker w(store, out);
  w.walk(*object.root, schema, nullptr, {}, 0);
}

}  // namespace ktriage::lint
