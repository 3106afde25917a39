// Writing JSON text by hand where a tree writer would be overkill (reports, API pages).
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// Appends `s` as a JSON string literal, quotes included: `"`, `\` and control characters are
/// escaped, well-formed UTF-8 is copied, and each byte that is not part of one becomes U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace ktriage
