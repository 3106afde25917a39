// Writing JSON text by hand where a tree writer would be overkill (reports, API pages).
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// Appends `s` as a JSON string literal, quotes included: `"`, `\` and control characters are
/// escaped; other bytes (UTF-8 included) are copied.
void append_json_string(std::string& out, std::string_view s);

}  // namespace ktriage
