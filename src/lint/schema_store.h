// The OpenAPI v3 schemas `lint` validates against: the per group-version documents the API server
// serves at /openapi/v3 (one file each, named as `ktriage schema pull` writes them:
// `api__v1_openapi.json`, `apis__apps__v1_openapi.json`), plus the openAPIV3Schema of every
// CustomResourceDefinition found in the input or given with --crd.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_location.h"
#include "core/value.h"
#include "model/object.h"

namespace ktriage::lint {

/// One schema node with the document it came from ($refs resolve within that document) and its
/// components name when it is a named type ("io.k8s.api.core.v1.ContainerPort", else "").
struct SchemaNode {
  const Value* schema = nullptr;
  const struct SchemaDocument* doc = nullptr;
  std::string_view name;
  explicit operator bool() const { return schema != nullptr; }
};

/// One parsed document: its `components.schemas` by name.
struct SchemaDocument {
  std::string file;
  std::map<std::string, const Value*, std::less<>> schemas;
};

/// Reads documents from one folder on first use; not thread-safe (lint runs checks on one
/// thread). Problems (a corrupt file, a CRD whose schema is not an object) are collected in
/// issues(), never thrown; the rest keeps working.
class SchemaStore {
 public:
  /// A store over `dir`, which is either the folder of documents or a folder holding `v3/`.
  /// nullopt when neither holds an `*_openapi.json` file; `error` then says why.
  static std::unique_ptr<SchemaStore> open(const std::string& dir, std::string& error);
  /// A store with no built-in documents: only CRDs (when no schema folder is found).
  static std::unique_ptr<SchemaStore> crds_only();

  /// The schema of `kind` at `api_version` ("apps/v1", "v1"), or an empty node when the
  /// group-version or the kind is unknown. Loads that group-version's document on first use.
  SchemaNode find(std::string_view api_version, std::string_view kind);
  /// Whether the built-in documents know `api_version` at all (to tell "unknown kind in a known
  /// group-version" from "a group-version we have no schema for").
  bool knows_group_version(std::string_view api_version);
  /// Follows `$ref` and a single-element `allOf: [{$ref}]` (how v3 documents wrap references)
  /// to the schema that has the type; keeps `node` when there is nothing to follow.
  SchemaNode resolve(SchemaNode node) const;

  /// Registers every version of a CustomResourceDefinition that carries an openAPIV3Schema.
  /// `file` names the CRD's file for issues.
  void add_crd(const Object& crd, std::string_view file);

  /// Where the built-in schemas come from ("../shared/k8s-openapi/1.33/v3"), "" for crds_only.
  const std::string& dir() const { return dir_; }
  const std::vector<InputIssue>& issues() const { return issues_; }

 private:
  const SchemaDocument* load(std::string_view api_version);

  std::string dir_;
  std::map<std::string, std::unique_ptr<SchemaDocument>, std::less<>> docs_;  // by group-version
  std::map<std::string, std::string, std::less<>> files_;  // group-version -> file name
  // "group/version/Kind" -> schema, built per document from x-kubernetes-group-version-kind.
  std::map<std::string, SchemaNode, std::less<>> kinds_;
  SchemaDocument crd_doc_;
  std::vector<std::unique_ptr<Arena>> arenas_;
  std::vector<InputIssue> issues_;
};

}  // namespace ktriage::lint
