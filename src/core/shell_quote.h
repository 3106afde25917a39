// Words for a shell command line that a fix prints for the user to paste (POSIX sh quoting).
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// `s` in single quotes, each ' written as '\'' : one word whatever it holds.
std::string shell_quote(std::string_view s);

/// `s` as it is when the shell reads it as one plain word (letters, digits and _ . / : = @ % +
/// , -), else shell_quote(s); an empty `s` is ''.
std::string shell_word(std::string_view s);

}  // namespace ktriage
