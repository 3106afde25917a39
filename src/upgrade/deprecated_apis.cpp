#include "upgrade/deprecated_apis.h"

#include <fmt/format.h>

#include <charconv>

#include "load/document.h"

namespace ktriage::upgrade {

std::optional<int> minor_of(std::string_view v) noexcept {
  if (v.starts_with('v')) v.remove_prefix(1);
  int major = 0, minor = 0;
  const char* end = v.data() + v.size();
  auto a = std::from_chars(v.data(), end, major);
  if (a.ec != std::errc() || a.ptr == end || *a.ptr != '.' || major != 1) return std::nullopt;
  auto b = std::from_chars(a.ptr + 1, end, minor);
  if (b.ec != std::errc() || minor < 0) return std::nullopt;
  return minor;
}

Expected<std::vector<RemovedApi>> parse_deprecated_apis(std::string_view name,
                                                        std::string_view text) {
  std::vector<RemovedApi> out;
  std::string problem;
  Arena arena;
  auto errors = read_yaml(name, text, arena, [&](const ParsedDocument& doc, const Locator&) {
    std::size_t n = 0;
    for (const Value& e : doc.root["apis"].items()) {
      ++n;
      RemovedApi a;
      a.api_version = std::string(e["api_version"].str());
      a.kind = std::string(e["kind"].str());
      if (a.api_version.empty() || a.kind.empty()) {
        if (problem.empty())
          problem = fmt::format("{}: entry {}: api_version and kind are required", name, n);
        continue;
      }
      a.deprecated_in = minor_of(e["deprecated_in"].str());
      a.removed_in = minor_of(e["removed_in"].str());
      a.replacement = std::string(e["replacement"].str());
      a.replacement_kind = std::string(e["replacement_kind"].str());
      a.replacement_available_in = minor_of(e["replacement_available_in"].str());
      a.notes = std::string(e["notes"].str());
      out.push_back(std::move(a));
    }
  });
  if (!errors.empty()) return Unexpected(fmt::format("{}: {}", name, errors.front().message));
  if (!problem.empty()) return Unexpected(problem);
  if (out.empty()) return Unexpected(fmt::format("{}: no apis", name));
  return out;
}

const std::vector<RemovedApi>& builtin_deprecated_apis() {
  static const std::vector<RemovedApi> kApis = [] {
    auto parsed =
        parse_deprecated_apis("knowledge/deprecated-apis.yaml", embedded_deprecated_apis_yaml());
    return parsed ? std::move(*parsed) : std::vector<RemovedApi>{};
  }();
  return kApis;
}

const RemovedApi* find_removed_api(std::span<const RemovedApi> apis, std::string_view api_version,
                                   std::string_view kind) {
  for (const RemovedApi& a : apis) {
    if (a.api_version == api_version && a.kind == kind) return &a;
  }
  return nullptr;
}

}  // namespace ktriage::upgrade
