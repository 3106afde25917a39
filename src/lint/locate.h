// Where a finding's fields sit in the manifests: lint findings name a node by its JSON path
// inside an object (".spec.template.spec.containers[0].image"); this turns each such path into
// file:line:col by re-reading the object's file from the text the loader kept.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "load/document.h"
#include "model/cluster.h"

namespace ktriage::lint {

/// Splits an evidence path into steps: `.key`, `[3]` (index), `[key.with.dots/and-slashes]`
/// (a map key, as the analyzers write label and annotation keys), `["3"]` (a map key of digits). A
/// leading '.' is optional. The steps view `path`.
std::vector<PathStep> parse_path(std::string_view path);

/// One map key as a path step, the inverse of parse_path for keys: ".app", or
/// "[app.kubernetes.io/name]" when the key holds a dot, slash or bracket. O(length).
std::string path_key(std::string_view key);

/// Fills `file`, `line` and `column` of every kField evidence with a path whose object was read
/// from a file the Cluster kept the text of (Inputs::keep_sources). The object is the evidence's
/// `object` ("deployment/api", in the finding's namespace) or else the finding's. Each file with
/// such evidence is parsed once more (a scratch arena, freed at return); a path that does not
/// resolve (the node is absent, e.g. a missing field) gets the nearest existing ancestor.
/// Evidence that already has a column, or no path, is left as is. O(findings + bytes of the
/// files named).
void locate_fields(const Cluster& cluster, std::span<Finding> findings);

/// Byte offsets of the starts of a text's lines, for position <-> offset in O(log lines).
/// Columns are bytes, as the readers count them.
class LineStarts {
 public:
  explicit LineStarts(std::string_view text);
  /// The byte offset of a 1-based position; the text's size when past its end.
  std::size_t offset(SourcePos pos) const;
  /// The 1-based position of a byte offset.
  SourcePos position(std::size_t offset) const;

 private:
  std::vector<std::size_t> starts_;
  std::size_t size_ = 0;
};

/// Where the mapping key `key` is written (`key:`, `"key":`), given a position near it: the nearest
/// one before `near` when `near` is its value, else (near is an ancestor, e.g. the mapping that
/// holds the key, or a value that was empty, `{}` or null, which locators cannot place) the first
/// one after it. `near` when none is found. Locators give value positions; an unknown field's
/// fault is its key. O(distance searched).
SourcePos key_near(std::string_view text, const LineStarts& lines, SourcePos near,
                   std::string_view key, bool near_is_value);

/// The rest of the line at `pos` in `text` (1-based line and column), without the newline: the
/// source token of a scalar, for checks that depend on how it was written (quoted or not).
/// The second form reuses a file's LineStarts (O(log lines) instead of O(text)).
std::string_view text_at(std::string_view text, SourcePos pos);
std::string_view text_at(std::string_view text, const LineStarts& lines, SourcePos pos);

}  // namespace ktriage::lint
