// yaml-floor: how fast the project's YAML reader (read_yaml: libfyaml and the Value tree) alone
// reads a folder of manifests, the floor `make bench-lint` prints next to `ktriage lint`.
//
//   yaml-floor DIR|FILE...
//
// Every file ending in .yaml or .yml under the arguments is read into memory first (file I/O is
// not timed), then parsed with read_yaml, one file after the other on one core, three times, each
// document handed to a sink that only counts it. Prints the median parse time and a
// machine-readable line:
//
//   FLOOR parse_s=... docs=... bytes=... docs_per_s=...
//
// Exit codes: 0 parsed, 1 a file had a syntax error, 2 usage or I/O error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "load/document.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> paths;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (!fs::is_directory(arg)) {
      paths.push_back(arg);
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(arg)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) paths.push_back(e.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "yaml-floor: cannot read %s\n", p.c_str());
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
    bytes += texts.back().size();
  }
  std::vector<double> times;
  std::size_t docs = 0;
  int status = 0;
  for (int run = 0; run < 3; ++run) {
    docs = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < texts.size(); ++i) {
      ktriage::Arena arena;  // per file, as the loader keeps one per file
      auto errors = ktriage::read_yaml(
          paths[i].string(), texts[i], arena,
          [&](const ktriage::ParsedDocument&, const ktriage::Locator&) { ++docs; });
      if (!errors.empty()) status = 1;
    }
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  const double median = times[1];
  std::printf("yaml-floor: %zu files, %zu documents, %zu bytes parsed in %.3f s (median of 3)\n",
              texts.size(), docs, bytes, median);
  std::printf("FLOOR parse_s=%.4f docs=%zu bytes=%zu docs_per_s=%.0f\n", median, docs, bytes,
              median > 0 ? static_cast<double>(docs) / median : 0.0);
  return status;
}
