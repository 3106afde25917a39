// simdjson-floor: how fast simdjson alone parses the bytes of a snapshot, the floor that
// `make bench` prints next to ktriage's own end-to-end time (issue 2, "Performance").
//
//   simdjson-floor DIR|FILE...
//
// Every regular file ending in .json under the arguments is mapped into memory the way ktriage
// maps it (followed by simdjson's padding), then parsed with simdjson's DOM parser (stage 1
// structural indexing and stage 2 tape building, the full validation of every byte), one file
// after the other on one core, three times. It prints the median parse time and throughput, and
// a machine-readable line:
//
//   FLOOR parse_s=... mb_per_s=... bytes=...
//
// DOM rather than On-Demand because DOM touches every value, as ktriage's loader does; the
// parser's capacity grows to the largest file (simdjson's limit is 4 GiB per document).
// Exit codes: 0 parsed, 1 a file is not valid JSON, 2 usage or I/O error.
#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> json_files(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json")
          files.push_back(entry.path());
      }
    } else {
      files.push_back(arg);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
    return 2;
  }
  const auto files = json_files(argc, argv);
  std::vector<simdjson::padded_string_view> inputs;
  std::size_t bytes = 0;
  for (const auto& file : files) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      std::perror(file.c_str());
      return 2;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    // An anonymous region one padding longer than the file, with the file mapped over its start:
    // the padding bytes after the file are readable zeros, as simdjson requires.
    const std::size_t span = size + simdjson::SIMDJSON_PADDING;
    void* region = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED ||
        (size > 0 &&
         ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED)) {
      std::perror(file.c_str());
      return 2;
    }
    ::close(fd);
    inputs.emplace_back(static_cast<const char*>(region), size, span);
    bytes += size;
  }

  simdjson::dom::parser parser;
  std::vector<double> seconds;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      auto doc = parser.parse(inputs[i]);
      if (doc.error()) {
        std::fprintf(stderr, "simdjson-floor: %s: %s\n", files[i].c_str(),
                     simdjson::error_message(doc.error()));
        return 1;
      }
    }
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[1];
  const double mb_per_s = median > 0 ? static_cast<double>(bytes) / 1e6 / median : 0;
  std::printf(
      "floor:   simdjson %s DOM parse of %zu files, one core: %.2f s (median of 3)   %.0f MB/s\n",
      simdjson::get_active_implementation()->name().c_str(), inputs.size(), median, mb_per_s);
  std::printf("FLOOR parse_s=%.2f mb_per_s=%.0f bytes=%zu\n", median, mb_per_s, bytes);
  return 0;
}
