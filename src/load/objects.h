// Turns parsed documents into Kubernetes objects: unwraps Lists, checks the shape of the fields
// the analyzers read, and removes Secret values.
#pragma once

#include <string_view>

#include "load/document.h"
#include "model/inputs.h"

namespace ktriage {

/// What a document held, so the caller can tell "not Kubernetes objects" from "objects".
struct DocumentYield {
  std::size_t objects = 0;
  bool looked_like_objects = false;  ///< at least one mapping with `kind`, or a List
};

/// Whether a key written twice marks two documents run together without `---` (`cat a.yaml
/// b.yaml`): a second apiVersion or kind at column 1. The loader's input issue and lint's
/// finding both word such duplicates as joined files, not as a fault of the manifest.
inline bool marks_joined_documents(std::string_view key, SourcePos first, SourcePos again) {
  return (key == "apiVersion" || key == "kind") && first.column == 1 && again.column == 1;
}

/// Adds the objects in `doc` to `out` (file index `file`, display name `name` for messages).
/// - `kind: List`, `PodList`, ... and `{"items": [...]}` are unwrapped; a top-level array of
///   objects (support bundles' custom resources) too.
/// - An object without `kind` or `metadata.name` is reported and skipped; other shape errors
///   (`containers: "x"`) are reported with their line and column and the object is kept: typed
///   views read a wrong-typed field as absent.
/// - Secrets keep key names and type only; values are zeroed in memory.
/// - The last-applied-configuration annotation is parsed into RawObject::last_applied (in `arena`).
/// - `kind_hint` names the kind of kind-less items when the List has no kind either (support
///   bundles write `{"items": [...]}` for CRDs); "" when unknown.
DocumentYield add_objects(const ParsedDocument& doc, const Locator& locator, std::uint32_t file,
                          std::string_view name, std::string_view kind_hint, Arena& arena,
                          Inputs& out);

}  // namespace ktriage
