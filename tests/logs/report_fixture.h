// A small hand-made scan for the report tests (totals, findings, text): two signatures, three
// files, times known and unknown.
#pragma once

#include <vector>

#include "logs/scan.h"
#include "logs/signature.h"

namespace ktriage::logs::testing {

inline std::vector<Signature> fixture_signatures() {
  Signature warn;
  warn.id = "app-slow";
  warn.component = "app";
  warn.severity = Severity::kWarning;
  warn.catalog = "";
  warn.meaning = "It is slow. Really.";
  warn.fix = "Speed it up.";
  Signature crit;
  crit.id = "kubelet-dead";
  crit.component = "kubelet";
  crit.severity = Severity::kCritical;
  crit.catalog = "NODE-DEAD";
  crit.meaning = "The kubelet died.";
  crit.fix = "Restart it.";
  return {warn, crit};
}

inline LogScan fixture_scan() {
  LogScan scan;
  for (const char* path : {"nodes/n1/kubelet.log", "logs/shop/web-1/web.log", "misc.txt"}) {
    FileStats f;
    f.path = path;
    f.lines = 10;
    f.bytes = 100;
    scan.files.push_back(f);
  }
  scan.files[2].binary_lines = 2;
  scan.files[2].error = "gzip data is truncated after 100 bytes (the rest is missing)";
  auto add = [&](std::uint32_t sig, std::uint32_t file, std::uint64_t count,
                 std::optional<UnixSeconds> first, std::optional<UnixSeconds> last,
                 std::uint64_t line) {
    Hit h;
    h.signature = sig;
    h.file = file;
    h.count = count;
    h.first = first;
    h.last = last;
    h.samples.push_back(Sample{scan.files[file].path, line, first, "sample text"});
    scan.hits[{sig, file}] = h;
  };
  add(0, 1, 3, 2000, 2500, 4);  // app-slow in web.log
  add(0, 2, 1, {}, {}, 7);      // app-slow in misc.txt, time unknown
  add(1, 0, 2, 3000, 3600, 2);  // kubelet-dead in kubelet.log
  return scan;
}

}  // namespace ktriage::logs::testing
