// The reading plan of one run: the argument list expanded into the files to read, in the order
// their objects and issues must appear, before anything is read. Owns no file contents and never
// opens a file (it lists folders); the readers in source.cpp carry the plan out, on one thread
// or several.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/source_location.h"

namespace ktriage {

/// One thing to do, in order: read a file, an archive or standard input, or record a problem
/// met while listing (a missing path, an empty or unlistable folder).
struct ReadStep {
  enum class Kind { kFile, kArchive, kStdin, kIssue } kind = Kind::kFile;
  std::filesystem::path path;  ///< kFile, kArchive: where to open it
  std::string display;         ///< kFile: the name layout rules and messages see
  InputIssue issue;            ///< kIssue only
};

/// Expands `paths` ("-" is standard input) in order: a folder becomes its regular files, found
/// recursively and sorted by path, each shown as "<folder>/<path below it>"; .tar.gz, .tgz and
/// .tar files (given or found in a folder) become archive steps. Never throws; problems become
/// kIssue steps where the sequential reader used to report them. Cost: one directory walk.
std::vector<ReadStep> plan_reads(std::span<const std::string> paths);

/// Whether `name` ends as an archive ktriage reads (.tar.gz, .tgz, .tar; any case).
bool is_archive_name(std::string_view name);

}  // namespace ktriage
