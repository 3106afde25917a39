#include "analyzers/common/node_status.h"

#include <fmt/format.h>

#include <charconv>

#include "analyzers/common/helpers.h"
#include "core/time.h"

namespace ktriage {

std::string condition_text(const Value& c) {
  std::string text(c["status"].str());
  if (!c["reason"].str().empty())
    text += (text.empty() ? "" : " ") + std::string(c["reason"].str());
  if (!c["message"].str().empty())
    text += (text.empty() ? "" : ": ") + std::string(c["message"].str());
  return text.empty() ? "(no status)" : text;
}

std::string node_address(const Object& node) {
  for (const Value& a : node.status()["addresses"].items()) {
    if (a["type"].str() == "InternalIP") return std::string(a["address"].str());
  }
  return std::string(node.name);
}

std::optional<Evidence> lifecycle_taints(const Object& node) {
  std::string text;
  for (const Value& t : node.spec()["taints"].items()) {
    if (!t["key"].str().starts_with("node.kubernetes.io/")) continue;
    if (!text.empty()) text += ", ";
    text += fmt::format("{}:{}", t["key"].str(), t["effect"].str());
    if (auto at = parse_rfc3339(t["timeAdded"].str())) {
      text += fmt::format(" (since {})", format_utc_minute(*at));
    }
  }
  if (text.empty()) return std::nullopt;
  return field_evidence(node, ".spec.taints", text);
}

std::optional<std::pair<int, int>> kubelet_minor_version(std::string_view v) {
  if (v.starts_with('v')) v.remove_prefix(1);
  int major = 0, minor = 0;
  const char* end = v.data() + v.size();
  auto r1 = std::from_chars(v.data(), end, major);
  if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != '.') return std::nullopt;
  auto r2 = std::from_chars(r1.ptr + 1, end, minor);
  if (r2.ec != std::errc()) return std::nullopt;
  return std::pair{major, minor};
}

std::optional<std::int64_t> toleration_seconds(const Object& pod, std::string_view key) {
  for (const Value& t : pod.spec()["tolerations"].items()) {
    if (t["key"].str() == key && t["effect"].str() == "NoExecute") {
      if (t["tolerationSeconds"].is_null()) return std::nullopt;
      return t["tolerationSeconds"].as_int();
    }
  }
  return std::nullopt;
}

std::string eviction_resource(std::string_view message) {
  constexpr std::string_view kLow = "The node was low on resource: ";
  const std::size_t at = message.find(kLow);
  if (at == message.npos) return "";
  std::string_view rest = message.substr(at + kLow.size());
  return std::string(rest.substr(0, rest.find_first_of(". ")));
}

}  // namespace ktriage
