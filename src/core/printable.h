// Control characters made visible, for text meant for a terminal: a hostile event message or log
// line cannot then clear the screen or retitle the window.
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// `text` with C0 control characters (except tab) and DEL shown as `\x1b`-style escapes. For
/// terminal output; JSON escapes them itself.
std::string printable(std::string_view text);

}  // namespace ktriage
