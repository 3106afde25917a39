// Edit distances for did-you-mean hints (a verb, a container name, a field name).
#pragma once

#include <cstddef>
#include <string_view>

namespace ktriage {

/// Levenshtein distance: insertions, deletions and substitutions of one byte each, case kept.
/// O(|a| x |b|) time, O(|b|) memory; meant for short names, not whole texts.
std::size_t levenshtein_distance(std::string_view a, std::string_view b);

/// Longest name osa_distance compares; longer ones are no typo of a name we suggest.
inline constexpr std::size_t kMaxOsaLength = 64;

/// Optimal string alignment distance: Levenshtein plus a swap of two adjacent bytes as one edit
/// ("imagePullPolciy" is one edit from "imagePullPolicy"). `ignore_case` compares ASCII letters
/// without case. SIZE_MAX when either is longer than kMaxOsaLength bytes, so input text cannot
/// make the table large: it is fixed-size, on the stack.
std::size_t osa_distance(std::string_view a, std::string_view b, bool ignore_case = false);

}  // namespace ktriage
