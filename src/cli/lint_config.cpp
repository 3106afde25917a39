#include "cli/lint_config.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ktriage {

Expected<lint::SuppressConfig> load_lint_config(const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(kLintConfigName, ec)) return lint::SuppressConfig{};
    file = kLintConfigName;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Unexpected(fmt::format("--config {}: cannot be read", file));
  std::ostringstream text;
  text << in.rdbuf();
  return lint::parse_suppress_config(file, text.str());
}

}  // namespace ktriage
