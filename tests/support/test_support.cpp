#include "support/test_support.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzers/registry.h"
#include "correlate/correlate.h"
#include "load/source.h"

namespace ktriage::testing {

std::unique_ptr<Cluster> cluster_from(const std::vector<std::pair<std::string, std::string>>& files,
                                      std::optional<UnixSeconds> now) {
  Inputs in;
  in.keep_sources = true;  // lint tests assert positions of nodes inside objects
  for (const auto& [path, content] : files) load_buffer(path, content, in);
  return Cluster::build(std::move(in), now);
}

std::unique_ptr<Cluster> cluster_from_yaml(std::string_view yaml, std::optional<UnixSeconds> now) {
  return cluster_from({{"test.yaml", std::string(yaml)}}, now);
}

std::vector<Finding> diagnose(const Cluster& cluster) {
  AnalysisContext ctx{cluster, cluster.now()};
  return correlate(cluster, run_analyzers(ctx, 1));
}

std::vector<const Finding*> with_rule(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (f.rule == rule) out.push_back(&f);
  }
  return out;
}

std::vector<const Finding*> with_catalog(const std::vector<Finding>& findings,
                                         std::string_view catalog) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (f.catalog == catalog) out.push_back(&f);
  }
  return out;
}

CommandResult run_ktriage(const std::string& args, const std::string& cwd) {
  CommandResult r;
  std::string err_file =
      std::filesystem::temp_directory_path() / ("ktriage-err-" + std::to_string(::getpid()));
  std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + std::string(KTRIAGE_BINARY) +
                    " " + args + " 2>" + err_file;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 65536> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err_file);
  std::filesystem::remove(err_file);
  return r;
}

std::string source_dir() { return KTRIAGE_SOURCE_DIR; }
std::string shared_dir() { return KTRIAGE_SHARED_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ktriage::testing
