#include "apiserver/paging.h"

#include <charconv>

namespace ktriage::testing {

namespace {
// The number after `"key":` in `json`, or nullopt.
template <typename T>
std::optional<T> number_after(std::string_view json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  const std::size_t at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = json.data() + at + needle.size();
  T value{};
  auto r = std::from_chars(begin, json.data() + json.size(), value);
  if (r.ec != std::errc()) return std::nullopt;
  return value;
}
}  // namespace

std::string encode_continue(const ContinueToken& token) {
  return base64_encode(R"({"v":"meta.k8s.io/v1","rv":)" + std::to_string(token.resource_version) +
                       R"(,"start":)" + std::to_string(token.start) + "}");
}

std::optional<ContinueToken> decode_continue(std::string_view text) {
  auto json = base64_decode(text);
  if (!json || json->find(R"("v":"meta.k8s.io/v1")") == std::string::npos) return std::nullopt;
  auto rv = number_after<std::int64_t>(*json, "rv");
  auto start = number_after<std::size_t>(*json, "start");
  if (!rv || !start) return std::nullopt;
  return ContinueToken{*rv, *start};
}

}  // namespace ktriage::testing
