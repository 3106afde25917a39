// The interface between the format readers (JSON, YAML) and the object loader.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_location.h"
#include "core/value.h"

namespace ktriage {

/// One step of a path inside a document: a key, or an array index when `index >= 0`.
struct PathStep {
  std::string_view key;
  int index = -1;
};

/// Finds where a path sits in the source, for error messages. Only valid inside the
/// DocumentSink call it is passed to (it reads the parser's state).
class Locator {
 public:
  virtual ~Locator() = default;
  /// Position of the value at `path` from the document root; {0,0} when it cannot be found.
  virtual SourcePos locate(std::span<const PathStep> path) const = 0;
};

/// One parsed document. `item_pos[i]` is the start of `root["items"][i]` (or of `root[i]` when
/// the root is an array), so objects of a List get their own line numbers without a second pass.
struct ParsedDocument {
  Value root;
  SourcePos root_pos;
  std::vector<SourcePos> item_pos;
  /// YAML mapping keys written twice: the later value replaced the earlier one, as in kubectl
  /// apply without strict field validation (a silently lost field, e.g. a second envFrom).
  struct DuplicateKey {
    std::string_view key;  ///< in the arena
    SourcePos first, again;
  };
  std::vector<DuplicateKey> duplicate_keys;
};

/// A syntax error: where, and the parser's words.
struct ParseError {
  SourcePos pos;
  std::string message;
};

/// Bytes read_json may read past the end of its input (simdjson's SIMDJSON_PADDING).
inline constexpr std::size_t kJsonPadding = 64;

using DocumentSink = std::function<void(const ParsedDocument&, const Locator&)>;

/// Parses JSON text (one document; concatenated documents are an error). `data` must have
/// simdjson's padding readable after `size` bytes (see read_file_padded). Values are copied
/// into `arena`; the value of a `managedFields` key (server bookkeeping, often half of an
/// object's bytes) is reduced to the distinct {apiVersion, manager, operation} of its entries
/// (managed_fields.h), and dropped when none has an apiVersion.
/// Returns the syntax errors met; objects before an error are still delivered to `sink`.
std::vector<ParseError> read_json(std::string_view data, Arena& arena, const DocumentSink& sink);

/// read_json for many documents in turn, with one simdjson parser: its buffers (a few bytes per
/// input byte) are allocated for the largest document so far, not afresh for each. The items
/// of a large List are parsed one by one, 150,000 of them for as many Pods. Not thread-safe:
/// one per thread.
class JsonReader {
 public:
  JsonReader();
  ~JsonReader();
  JsonReader(JsonReader&&) noexcept;
  JsonReader& operator=(JsonReader&&) noexcept;
  /// As read_json(data, arena, sink).
  std::vector<ParseError> read(std::string_view data, Arena& arena, const DocumentSink& sink);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Parses YAML text, one document at a time (`---` separated), with anchors and merge keys
/// resolved. Duplicate keys are accepted, the last one wins (as kubectl apply behaves), and are
/// listed in ParsedDocument::duplicate_keys. `managedFields` is reduced as in read_json, and
/// strings under `data` and `stringData` are own copies (not interned), as there.
/// Scalars follow the YAML 1.2 core schema: `1.10` is a number, `~` null, `"x"` a string.
std::vector<ParseError> read_yaml(std::string_view name, std::string_view data, Arena& arena,
                                  const DocumentSink& sink);

}  // namespace ktriage
