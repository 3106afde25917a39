#include "lint/schema_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "load/document.h"

namespace ktriage::lint {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuffix = "_openapi.json";
constexpr std::string_view kRefPrefix = "#/components/schemas/";

// "apis__apps__v1_openapi.json" -> "apps/v1"; "api__v1_openapi.json" -> "v1"; "" otherwise.
std::string group_version_of(std::string_view file) {
  if (file.size() <= kSuffix.size() || file.substr(file.size() - kSuffix.size()) != kSuffix)
    return {};
  std::string_view stem = file.substr(0, file.size() - kSuffix.size());
  if (stem.rfind("api__", 0) == 0) return std::string(stem.substr(5));
  if (stem.rfind("apis__", 0) != 0) return {};
  stem.remove_prefix(6);
  const std::size_t sep = stem.find("__");
  if (sep == std::string_view::npos) return {};
  return fmt::format("{}/{}", stem.substr(0, sep), stem.substr(sep + 2));
}

// "apps/v1" -> {"apps", "v1"}; "v1" -> {"", "v1"}.
std::pair<std::string_view, std::string_view> split_api_version(std::string_view api_version) {
  const std::size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {{}, api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

std::string kind_key(std::string_view group, std::string_view version, std::string_view kind) {
  return fmt::format("{}/{}/{}", group, version, kind);
}

std::size_t count_documents(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (!group_version_of(it->path().filename().string()).empty()) ++n;
  }
  return n;
}

}  // namespace

std::unique_ptr<SchemaStore> SchemaStore::open(const std::string& dir, std::string& error) {
  fs::path root(dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    error = fmt::format("{}: not a folder", dir);
    return nullptr;
  }
  if (count_documents(root) == 0 && count_documents(root / "v3") > 0) root /= "v3";
  auto store = std::make_unique<SchemaStore>();
  store->dir_ = root.generic_string();
  for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::string gv = group_version_of(name);
    if (!gv.empty()) store->files_.emplace(std::move(gv), name);
  }
  if (store->files_.empty()) {
    error = fmt::format("{}: no OpenAPI v3 documents (*{}) in it", dir, kSuffix);
    return nullptr;
  }
  return store;
}

std::unique_ptr<SchemaStore> SchemaStore::crds_only() { return std::make_unique<SchemaStore>(); }

const SchemaDocument* SchemaStore::load(std::string_view api_version) {
  if (auto it = docs_.find(api_version); it != docs_.end()) return it->second.get();
  auto file = files_.find(api_version);
  if (file == files_.end()) return nullptr;
  auto& slot = docs_[std::string(api_version)];  // nullptr stays when the file is unusable
  const std::string path = (fs::path(dir_) / file->second).generic_string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    issues_.push_back({{path, {}},
                       "cannot read this schema document; its kinds are not "
                       "validated",
                       true});
    return nullptr;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string data = std::move(text).str();
  const std::size_t size = data.size();
  data.resize(size + kJsonPadding, '\0');
  auto arena = std::make_unique<Arena>();
  auto doc = std::make_unique<SchemaDocument>();
  doc->file = path;
  Value root;
  auto errors = read_json(std::string_view(data.data(), size), *arena,
                          [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  if (!errors.empty() || !root["components"]["schemas"].is_object()) {
    issues_.push_back(
        {{path, errors.empty() ? SourcePos{} : errors.front().pos},
         fmt::format("not an OpenAPI v3 document ({}); the kinds of {} are not validated",
                     errors.empty() ? "no components.schemas" : errors.front().message,
                     api_version),
         true});
    return nullptr;
  }
  for (const Member& m : root["components"]["schemas"].members()) {
    auto [it, inserted] = doc->schemas.emplace(std::string(m.key), &m.value);
    for (const Value& gvk : m.value["x-kubernetes-group-version-kind"].items()) {
      kinds_.emplace(kind_key(gvk["group"].str(), gvk["version"].str(), gvk["kind"].str()),
                     SchemaNode{&m.value, doc.get(), it->first});
    }
  }
  arenas_.push_back(std::move(arena));
  slot = std::move(doc);
  return slot.get();
}

bool SchemaStore::knows_group_version(std::string_view api_version) {
  return files_.count(api_version) > 0;
}

SchemaNode SchemaStore::find(std::string_view api_version, std::string_view kind) {
  auto [group, version] = split_api_version(api_version);
  const std::string key = kind_key(group, version, kind);
  if (auto it = kinds_.find(key); it != kinds_.end()) return it->second;
  if (load(api_version) == nullptr) return {};
  if (auto it = kinds_.find(key); it != kinds_.end()) return it->second;
  return {};
}

SchemaNode SchemaStore::resolve(SchemaNode node) const {
  for (int hops = 0; node && hops < 32; ++hops) {
    const Value& s = *node.schema;
    std::string_view ref = s["$ref"].str();
    if (ref.empty() && s["allOf"].size() == 1) ref = s["allOf"][0]["$ref"].str();
    if (ref.empty() || node.doc == nullptr || ref.rfind(kRefPrefix, 0) != 0) return node;
    ref.remove_prefix(kRefPrefix.size());
    auto it = node.doc->schemas.find(ref);
    if (it == node.doc->schemas.end()) return node;
    node = SchemaNode{it->second, node.doc, it->first};
  }
  return node;
}

void SchemaStore::add_crd(const Object& crd, std::string_view file) {
  const Value& spec = crd.spec();
  const std::string_view group = spec["group"].str();
  const std::string_view kind = spec["names"]["kind"].str();
  if (group.empty() || kind.empty()) return;
  // apiextensions.k8s.io/v1beta1 CRDs (served until 1.22, still in charts) keep one schema for
  // every version in spec.validation, and may list the versions only as spec.version.
  const Value& shared = spec["validation"]["openAPIV3Schema"];
  std::vector<std::pair<std::string_view, const Value*>> versions;
  for (const Value& v : spec["versions"].items()) {
    const Value& own = v["schema"]["openAPIV3Schema"];
    versions.emplace_back(v["name"].str(), own.is_null() ? &shared : &own);
  }
  if (versions.empty() && !spec["version"].str().empty())
    versions.emplace_back(spec["version"].str(), &shared);
  for (const auto& [version_name, schema_ptr] : versions) {
    const Value& schema = *schema_ptr;
    if (schema.is_null()) continue;
    if (!schema.is_object() || (!schema["type"].is_null() && schema["type"].str() != "object")) {
      issues_.push_back({{std::string(file), crd.pos},
                         fmt::format("CustomResourceDefinition {}: the openAPIV3Schema of version "
                                     "{} is not an object schema; {} {} is not validated",
                                     crd.name, version_name, kind, version_name),
                         false});
      continue;
    }
    // A built-in group-version keeps its own schema: the API server does not let a CRD redefine
    // it (and a test CRD for apiextensions.k8s.io must not replace the real CRD schema).
    if (knows_group_version(fmt::format("{}/{}", group, version_name))) continue;
    kinds_.insert_or_assign(kind_key(group, version_name, kind),
                            SchemaNode{&schema, &crd_doc_, {}});
  }
}

}  // namespace ktriage::lint
