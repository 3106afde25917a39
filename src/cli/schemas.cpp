#include "cli/schemas.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "live/rest_config.h"
#include "live/schema.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

// The newest "1.N" folder under the cache root, "" when there is none.
std::string newest_cached(const fs::path& root) {
  std::error_code ec;
  int best = -1;
  std::string dir;
  for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("1.", 0) != 0) continue;
    const int minor = std::atoi(name.c_str() + 2);
    if (minor > best && fs::is_directory(it->path() / "v3", ec)) {
      best = minor;
      dir = it->path().string();
    }
  }
  return dir;
}

}  // namespace

Expected<std::unique_ptr<lint::SchemaStore>, std::string> open_schemas(
    const std::string& schema_location, int target) {
  std::string explicit_dir = schema_location;
  std::string from = "--schema-location";
  if (explicit_dir.empty()) {
    if (const char* env = std::getenv("KTRIAGE_SCHEMA_DIR"); env != nullptr && *env != '\0') {
      explicit_dir = env;
      from = "KTRIAGE_SCHEMA_DIR";
    }
  }
  std::string error;
  if (!explicit_dir.empty()) {
    auto store = lint::SchemaStore::open(explicit_dir, error);
    if (!store) return Unexpected(fmt::format("{}: {}", from, error));
    return store;
  }
  const KubeEnvironment env = KubeEnvironment::from_process();
  const std::string wanted = schema_cache_dir(env, fmt::format("1.{}", target));
  std::error_code ec;
  std::string dir = fs::is_directory(fs::path(wanted) / "v3", ec)
                        ? wanted
                        : newest_cached(fs::path(wanted).parent_path());
  if (dir.empty()) return std::unique_ptr<lint::SchemaStore>();
  auto store = lint::SchemaStore::open(dir, error);
  if (!store) return Unexpected(fmt::format("schema cache: {}", error));
  return store;
}

}  // namespace ktriage
