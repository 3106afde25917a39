#include "load/source_plan.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "core/ascii.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

ReadStep issue_step(const std::string& file, std::string message, bool skipped,
                    bool unreadable = false) {
  ReadStep step;
  step.kind = ReadStep::Kind::kIssue;
  step.issue.where.file = file;
  step.issue.message = std::move(message);
  step.issue.skipped_file = skipped;
  step.issue.unreadable = unreadable;
  return step;
}

// A folder's regular files, sorted, then "folder holds no files" when there are none; an error
// while listing comes first, as the sequential reader reported it before reading the files.
void plan_folder(const std::string& arg, const fs::path& p, std::vector<ReadStep>& out) {
  std::error_code ec;
  // skip_permission_denied below is for folders inside; the one given must be readable, or
  // it would read as empty.
  if (fs::directory_iterator probe(p, ec); ec) {
    out.push_back(issue_step(arg, "cannot list: " + ec.message(), true, /*unreadable=*/true));
    return;
  }
  std::vector<fs::path> files;
  for (auto it =
           fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) out.push_back(issue_step(arg, "cannot list: " + ec.message(), false));
  std::sort(files.begin(), files.end());
  if (files.empty()) out.push_back(issue_step(arg, "folder holds no files", true));
  for (fs::path& f : files) {
    // Layout rules see the path below the folder given, so "logs/ns/pod/c.log" is found
    // whatever the folder is called.
    // Lexical: `f` came from iterating `p`, and fs::relative would resolve both through the
    // file system (readlink of every path component, per file: a tenth of linting 10,000
    // small files).
    std::string rel = f.lexically_relative(p).generic_string();
    ReadStep step;
    step.kind = is_archive_name(rel) ? ReadStep::Kind::kArchive : ReadStep::Kind::kFile;
    std::string display = (p / rel).generic_string();
    step.display = display.empty() ? f.string() : std::move(display);
    step.path = std::move(f);
    out.push_back(std::move(step));
  }
}

}  // namespace

bool is_archive_name(std::string_view name) {
  const std::string l = ascii_lower(name);
  return l.ends_with(".tar.gz") || l.ends_with(".tgz") || l.ends_with(".tar");
}

std::vector<ReadStep> plan_reads(std::span<const std::string> paths) {
  std::vector<ReadStep> out;
  for (const std::string& arg : paths) {
    if (arg == "-") {
      out.push_back(ReadStep{ReadStep::Kind::kStdin, {}, "<stdin>", {}});
      continue;
    }
    std::error_code ec;
    fs::path p(arg);
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      out.push_back(issue_step(arg, "no such file or folder", true, /*unreadable=*/true));
    } else if (fs::is_directory(status)) {
      plan_folder(arg, p, out);
    } else {
      out.push_back(ReadStep{
          is_archive_name(arg) ? ReadStep::Kind::kArchive : ReadStep::Kind::kFile, p, arg, {}});
    }
  }
  return out;
}

}  // namespace ktriage
