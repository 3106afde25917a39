// Helpers for tests: build a Cluster from YAML text, run analyzers, run the binary.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnosis.h"
#include "model/cluster.h"

namespace ktriage::testing {

/// A Cluster from in-memory files: {path, content} pairs, loaded as if found at `path`.
std::unique_ptr<Cluster> cluster_from(const std::vector<std::pair<std::string, std::string>>& files,
                                      std::optional<UnixSeconds> now = {});
/// A Cluster from one YAML text (multi-document allowed).
std::unique_ptr<Cluster> cluster_from_yaml(std::string_view yaml,
                                           std::optional<UnixSeconds> now = {});

/// Runs every analyzer and correlation on `cluster`.
std::vector<Finding> diagnose(const Cluster& cluster);
/// Findings of one rule.
std::vector<const Finding*> with_rule(const std::vector<Finding>& findings, std::string_view rule);
/// Findings with one catalog id.
std::vector<const Finding*> with_catalog(const std::vector<Finding>& findings,
                                         std::string_view catalog);
// The results point into `findings`: a temporary would leave them dangling.
std::vector<const Finding*> with_rule(std::vector<Finding>&&, std::string_view) = delete;
std::vector<const Finding*> with_catalog(std::vector<Finding>&&, std::string_view) = delete;

/// Runs the ktriage binary with `args` (shell-quoted by the caller); returns exit code and stdout.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
/// `cwd`, when given, is the working directory (so paths in the output are relative).
CommandResult run_ktriage(const std::string& args, const std::string& cwd = "");

/// Paths for tests.
std::string source_dir();
std::string shared_dir();
std::string read_file(const std::string& path);

}  // namespace ktriage::testing
