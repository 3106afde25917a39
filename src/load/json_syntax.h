// Where a JSON document that simdjson refused really goes wrong, for the error message.
// simdjson's stage 1 reports unquoted words ("[section]", an INI file named .json) as a document
// cut short at its end, and often cannot say where a syntax error is; nlohmann's parser reads
// byte by byte and stops at the first wrong one. For the error path only: it reads the document
// again, at a few hundred MB/s.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ktriage {

/// The first syntax error of a JSON document.
struct JsonSyntaxError {
  std::size_t offset;   ///< of the byte at which the parser stopped (0-based, <= size)
  std::string message;  ///< "JSON syntax error: invalid literal; last read: '[s'"
  bool at_end;          ///< only whitespace follows: the document is really cut short
};

/// The first syntax error of `data`; nullopt when it is valid JSON, or larger than 256 MiB (too
/// slow to read again). Builds no document, so any nesting depth is safe. O(size).
std::optional<JsonSyntaxError> locate_json_syntax_error(std::string_view data);

}  // namespace ktriage
