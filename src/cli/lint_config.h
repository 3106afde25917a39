// Finding and reading lint's config file (.ktriage.yaml): the file I/O around
// lint::parse_suppress_config. Prints the error when there is one.
#pragma once

#include <optional>
#include <string>

#include "lint/suppress.h"

namespace ktriage {

/// The name lint looks for in the current directory when no --config is given.
inline constexpr const char* kLintConfigName = ".ktriage.yaml";

/// The config of `ktriage lint`: the file `path` when given (it must exist), else
/// ./.ktriage.yaml when there is one, else an empty config. nullopt after printing
/// "ktriage: FILE:LINE:COL: what" to stderr when the file cannot be read or is invalid.
std::optional<lint::SuppressConfig> load_lint_config(const std::string& path);

}  // namespace ktriage
