#include "apiserver/openapi.h"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "apiserver/json_writer.h"

namespace ktriage::testing {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Upper-case hex SHA-512, the hash kube-apiserver puts in serverRelativeURL.
std::string sha512_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha512(), nullptr);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

}  // namespace

OpenApiDocuments load_openapi(const std::string& dir) {
  OpenApiDocuments docs;
  if (!dir.empty()) {
    constexpr std::string_view kSuffix = "_openapi.json";
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) throw std::runtime_error("cannot read OpenAPI folder " + dir + ": " + ec.message());
    for (const auto& entry : it) {
      std::string file = entry.path().filename().string();
      if (!file.ends_with(kSuffix)) continue;
      std::string path = file.substr(0, file.size() - kSuffix.size());
      for (std::size_t at = path.find("__"); at != std::string::npos; at = path.find("__", at)) {
        path.replace(at, 2, "/");
      }
      docs.v3[path] = slurp(entry.path());
    }
    std::filesystem::path folder(dir);
    if (!folder.has_filename()) folder = folder.parent_path();  // "…/v3/"
    const auto swagger = folder.parent_path() / "swagger.json";
    if (std::filesystem::exists(swagger, ec)) docs.v2 = slurp(swagger);
  }
  docs.index = R"({"paths":{)";
  bool first = true;
  for (const auto& [path, doc] : docs.v3) {
    if (!first) docs.index += ",";
    first = false;
    append_json_string(docs.index, path);
    docs.index += R"(:{"serverRelativeURL":)";
    append_json_string(docs.index, "/openapi/v3/" + path + "?hash=" + sha512_hex(doc));
    docs.index += "}";
  }
  docs.index += "}}";
  return docs;
}

}  // namespace ktriage::testing
