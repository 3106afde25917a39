// ASCII case folding for the names Kubernetes and its tools compare without case: kinds as
// kubectl accepts them ("pod", "Pod"), file suffixes, protocol and YAML words. Bytes outside
// A-Z are kept, so UTF-8 passes through unchanged; no locale is consulted.
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// `s` with A-Z as a-z. O(n).
std::string ascii_lower(std::string_view s);

/// Whether `a` and `b` are equal with A-Z and a-z taken as the same. O(n).
bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept;

}  // namespace ktriage
