// libFuzzer target for `ktriage logs`: arbitrary bytes through each line parser directly, and as
// a whole log file through format detection, scanning (partial lines, UTF-8 checks, time
// windows) and both reports, with the built-in signatures. Any crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "logs/findings.h"
#include "logs/line_format.h"
#include "logs/matcher.h"
#include "logs/scanner.h"
#include "logs/signature.h"
#include "logs/text.h"
#include "report/report.h"

namespace {

struct Engine {
  std::vector<ktriage::logs::Signature> signatures;
  std::optional<ktriage::logs::Matcher> matcher;
};

Engine& engine() {
  static Engine* e = [] {
    auto* out = new Engine;
    out->signatures = *ktriage::logs::builtin_signatures();
    out->matcher.emplace(std::move(*ktriage::logs::Matcher::compile(out->signatures)));
    return out;
  }();
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ktriage::logs;
  if (size == 0) return 0;
  // The first byte picks the file name (component guess) and whether a time window applies.
  static constexpr std::string_view kNames[] = {"kubelet.log", "app.log", "journal.txt",
                                                "pods/ns_p_u/c/0.log", "x-json.log"};
  const std::string name(kNames[data[0] % std::size(kNames)]);
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  std::string scratch;
  ParsedLine parsed;
  for (int f = 0; f <= static_cast<int>(LineFormat::kDockerJson); ++f)
    parse_line(static_cast<LineFormat>(f), body, 2026, scratch, parsed);

  Engine& e = engine();
  ScanOptions options;
  options.year = 2026;
  if (data[0] & 0x80) options.since = 1700000000;
  LogScan scan;
  scan_text(name, body, e.signatures, *e.matcher, options, scan);
  std::string text = render_text(scan, e.signatures);
  std::string json = ktriage::render_json(to_diagnosis(scan, e.signatures));
  return text.empty() || json.empty() ? 1 : 0;
}
