#include "live/schema.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

namespace ktriage {

namespace fs = std::filesystem;

std::string schema_cache_dir(const KubeEnvironment& env, const std::string& release) {
  const std::string cache =
      !env.cache_home.empty() ? env.cache_home : (env.home.empty() ? "." : env.home + "/.cache");
  return fmt::format("{}/ktriage/openapi/{}", cache, release);
}

namespace {

// "30+" (some providers' minor versions) -> "30".
std::string digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    out.push_back(c);
  }
  return out;
}

}  // namespace

Expected<SchemaPullResult, std::string> pull_schemas(ApiClient& client, const KubeEnvironment& env,
                                                     const std::string& into) {
  const std::string& server = client.config().server;
  auto fail = [&](std::string_view path, const Expected<HttpResponse, HttpError>& r) {
    if (!r) return fmt::format("{}: {}", r.error().url, r.error().message);
    const std::string msg = status_message(r->body);
    return fmt::format("{}{}: HTTP {}{}{}", server, path, r->status, msg.empty() ? "" : ": ", msg);
  };
  simdjson::dom::parser parser;
  SchemaPullResult result;

  auto version = client.get("/version");
  if (!version || version->status != 200) return Unexpected(fail("/version", version));
  simdjson::dom::element v;
  std::string_view major, minor;
  if (parser.parse(version->body).get(v) != simdjson::SUCCESS ||
      v["major"].get_string().get(major) != simdjson::SUCCESS ||
      v["minor"].get_string().get(minor) != simdjson::SUCCESS) {
    return Unexpected(fmt::format("{}/version: no major and minor version in the answer", server));
  }
  result.release = fmt::format("{}.{}", digits(major), digits(minor));

  auto index = client.get("/openapi/v3");
  if (!index || index->status != 200) {
    std::string why = fail("/openapi/v3", index);
    if (index && index->status == 404) why += " (the server has no OpenAPI v3; it came in 1.27)";
    return Unexpected(why);
  }
  // The index: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}.
  // Parse into owned strings first: the parser is reused for nothing else, but be explicit.
  std::vector<std::pair<std::string, std::string>> docs;
  simdjson::dom::element idx;
  simdjson::dom::object paths;
  if (parser.parse(index->body).get(idx) != simdjson::SUCCESS ||
      idx["paths"].get_object().get(paths) != simdjson::SUCCESS) {
    return Unexpected(fmt::format("{}/openapi/v3: not an OpenAPI v3 index", server));
  }
  for (auto field : paths) {
    std::string_view url;
    if (field.value["serverRelativeURL"].get_string().get(url) != simdjson::SUCCESS) continue;
    docs.emplace_back(std::string(field.key), std::string(url));
  }

  if (docs.empty()) {
    return Unexpected(fmt::format("{}/openapi/v3: the index lists no documents", server));
  }
  result.dir = (into.empty() ? schema_cache_dir(env, result.release) : into) + "/v3";
  std::error_code ec;
  fs::create_directories(result.dir, ec);
  if (ec) return Unexpected(fmt::format("{}: cannot create: {}", result.dir, ec.message()));
  for (const auto& [path, url] : docs) {
    auto doc = client.get(url);
    if (!doc || doc->status != 200) return Unexpected(fail(url, doc));
    std::string name = path;
    for (std::size_t at = name.find('/'); at != std::string::npos; at = name.find('/', at + 2))
      name.replace(at, 1, "__");
    const std::string file = fmt::format("{}/{}_openapi.json", result.dir, name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(doc->body.data(), static_cast<std::streamsize>(doc->body.size()));
    if (!out) return Unexpected(fmt::format("{}: cannot write", file));
    ++result.documents;
    result.bytes += doc->body.size();
  }
  return result;
}

}  // namespace ktriage
