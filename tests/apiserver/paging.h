// Continue tokens for list paging. Like kube-apiserver's, a token is base64 of a small JSON
// ({"v":"meta.k8s.io/v1","rv":N,"start":I}); unlike it, `start` is the index of the next object
// in the resource's sorted vector, so a page costs its own size, not a search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <string_view>
#include "core/base64.h"

namespace ktriage::testing {

using ktriage::base64_decode;  // core/base64.h
using ktriage::base64_encode;

struct ContinueToken {
  std::int64_t resource_version = 0;
  std::size_t start = 0;
};
std::string encode_continue(const ContinueToken& token);
/// nullopt when `text` is not a token this server wrote.
std::optional<ContinueToken> decode_continue(std::string_view text);

}  // namespace ktriage::testing
