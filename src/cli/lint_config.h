// Finding and reading lint's config file (.ktriage.yaml): the file I/O around
// lint::parse_suppress_config.
#pragma once

#include <string>

#include "core/expected.h"

#include "lint/suppress.h"

namespace ktriage {

/// The name lint looks for in the current directory when no --config is given.
inline constexpr const char* kLintConfigName = ".ktriage.yaml";

/// The config of `ktriage lint`: the file `path` when given (it must exist), else
/// ./.ktriage.yaml when there is one, else an empty config. The error is "FILE:LINE:COL: what"
/// when the file is invalid, "--config FILE: cannot be read" when it cannot be read.
Expected<lint::SuppressConfig> load_lint_config(const std::string& path);

}  // namespace ktriage
