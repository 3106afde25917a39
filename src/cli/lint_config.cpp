#include "cli/lint_config.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ktriage {

std::optional<lint::SuppressConfig> load_lint_config(const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(kLintConfigName, ec)) return lint::SuppressConfig{};
    file = kLintConfigName;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << fmt::format("ktriage: --config {}: cannot be read\n", file);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto config = lint::parse_suppress_config(file, text.str());
  if (!config) {
    std::cerr << fmt::format("ktriage: {}\n", config.error());
    return std::nullopt;
  }
  return std::move(*config);
}

}  // namespace ktriage
