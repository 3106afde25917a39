// The fields of one JSON log line ({"log":"...","stream":"stderr","time":"..."}, journalctl -o
// json, zap/etcd lines): top-level keys and their string values, without building a tree. Owns
// nothing; never allocates unless a string has escapes.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

namespace ktriage::logs {

/// Calls `field(key, raw)` for each top-level member of the JSON object `line`; `raw` is the
/// string's content with escapes still in (see unescape_json) or, for other values, the value's
/// text. Keys are compared raw (log writers never escape them). Returns false, having called
/// `field` for the members before, when `line` is not one well-formed object. O(line).
///
/// `field` is a non-owning reference (it runs on every JSON log line: a std::function of the
/// callers' lambdas would allocate per line), valid for the call only.
class JsonFieldVisitor {
 public:
  template <typename F>
  JsonFieldVisitor(F&& f)  // NOLINT: implicit, so callers pass a lambda
      : object_(static_cast<void*>(&f)),
        call_([](void* o, std::string_view key, std::string_view raw, bool is_string) {
          (*static_cast<std::remove_reference_t<F>*>(o))(key, raw, is_string);
        }) {}
  void operator()(std::string_view key, std::string_view raw, bool is_string) const {
    call_(object_, key, raw, is_string);
  }

 private:
  void* object_;
  void (*call_)(void*, std::string_view, std::string_view, bool);
};
bool for_each_json_field(std::string_view line, JsonFieldVisitor field);

/// Appends the decoded JSON string content `raw` to `out` (\n, \t, \", \\, \/, \uXXXX as UTF-8,
/// surrogate pairs joined; an invalid escape is kept as written). O(raw).
void unescape_json(std::string_view raw, std::string& out);

}  // namespace ktriage::logs
