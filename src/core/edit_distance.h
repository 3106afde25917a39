// Edit distance for did-you-mean hints (a verb, a container name).
#pragma once

#include <cstddef>
#include <string_view>

namespace ktriage {

/// Levenshtein distance: insertions, deletions and substitutions of one byte each, case kept.
/// O(|a| x |b|) time, O(|b|) memory; meant for short names, not whole texts.
std::size_t levenshtein_distance(std::string_view a, std::string_view b);

}  // namespace ktriage
