// Validation of one object against its OpenAPI v3 schema, the way the API server's decoder and
// validation see it: unknown fields (with the nearest known name), wrong types, missing required
// fields, values outside an enum, invalid quantities, object names and label keys/values, and
// the YAML 1.1 scalars kubectl reads differently from what the file seems to say.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lint/schema_store.h"
#include "model/object.h"

namespace ktriage::lint {

/// One validation error. `path` is the node's path from the object root in evidence syntax
/// (".spec.containers[0].ports[0].protocol", map keys as "[app.kubernetes.io/name]");
/// `message` is the API server's wording where it has one ("Unsupported value: \"udp\":
/// supported values: \"SCTP\", \"TCP\", \"UDP\""); `hint` the concrete change ("did you mean
/// `containers`?"), possibly empty.
struct SchemaError {
  enum class Kind : std::uint8_t {
    kUnknownField,  ///< not in the schema: dropped by the API server (or rejected when strict)
    kType,          ///< wrong JSON type: rejected
    kRequired,      ///< a required field is absent: rejected
    kEnum,          ///< a value outside the allowed set: rejected
    kQuantity,      ///< not a resource quantity: rejected
    kName,          ///< metadata.name (or namespace) not a valid DNS name: rejected
    kLabel,         ///< a label or annotation key, or label value, that is invalid: rejected
    kYaml11,        ///< an unquoted scalar YAML 1.1 reads as a bool or number (confirm in source)
    kDuplicate,     ///< two items of a list-map with the same keys, or of a set: rejected
    kDuplicateWarning,  ///< the same among env, ports, ...: accepted with a warning, last wins
    kSchema,            ///< a CRD's openAPIV3Schema is itself invalid: the CRD is rejected
  };
  Kind kind;
  std::string path;
  std::string message;
  std::string hint;
  std::string value;  ///< the offending value as text ("udp", "3", "array"), for evidence
};

/// Validates `object` against `schema` (from SchemaStore::find). Appends to `out`; never throws.
/// Nesting deeper than 64 levels is not followed. O(nodes of the object x keys per level).
void validate_object(SchemaStore& store, const Object& object, SchemaNode schema,
                     std::vector<SchemaError>& out);

/// Checks only what needs no schema: metadata.name / generateName / namespace, label keys and
/// values, annotation keys (the API server's ObjectMeta validation). Appends to `out`.
void validate_metadata(const Object& object, std::vector<SchemaError>& out);

/// Checks the openAPIV3Schema of each version of a CustomResourceDefinition: every `type` one
/// of array, boolean, integer, number, object, string (the apiextensions validation's
/// "Unsupported value"). Appends to `out`; returns whether the schemas are usable.
bool validate_crd_schemas(const Object& crd, std::vector<SchemaError>& out);

/// The API server's resource quantity syntax (k8s.io/apimachinery/pkg/api/resource):
/// a signed decimal number with one optional suffix: Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or
/// e/E and an integer exponent.
bool is_quantity(std::string_view s) noexcept;

}  // namespace ktriage::lint
