// Base64 (RFC 4648, standard alphabet, padded) as kubeconfig `*-data` fields, exec credential
// cluster info, continue tokens and Secret `data` values use it. Pure functions on buffers; never
// logs what it decodes (Secret values pass through here).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ktriage {

/// `data` encoded, with `=` padding. O(size).
std::string base64_encode(std::string_view data);

/// `text` decoded; line breaks are ignored (PEM-style wrapping); nullopt for any other
/// character outside the alphabet, a length that is not a multiple of 4, or misplaced `=`.
/// O(size).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace ktriage
