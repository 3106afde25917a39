#include "logs/text.h"

#include <fmt/format.h>

#include "core/printable.h"
#include "core/redact.h"
#include "logs/totals.h"

namespace ktriage::logs {
namespace {

// A log line as every report prints it: credentials hidden, control characters visible (a log
// line may carry a token, or escape sequences that would retitle the terminal).
std::string shown(std::string_view line) { return printable(redact_credentials(line)); }

// Files listed per signature; the rest are counted.
constexpr std::size_t kFilesShown = 5;

std::string_view mark(Severity s) {
  return s == Severity::kCritical  ? "✗ CRITICAL"
         : s == Severity::kWarning ? "! WARNING "
                                   : "i INFO    ";
}

std::string time_text(const std::optional<UnixSeconds>& t) {
  return t ? format_rfc3339(*t) : std::string("time unknown");
}

// "label:   text", continuation lines aligned under the text.
void labelled(std::string& out, std::string_view label, std::string_view text) {
  out += fmt::format("  {:<10}", label);
  std::size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (!first) out += std::string(12, ' ');
    out += text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    out += '\n';
    first = false;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

void render_total(std::string& out, const LogScan& scan, const SignatureTotal& t,
                  const Signature& sig) {
  out += fmt::format("\n{}  {}  [{}]\n", mark(sig.severity), sig.id,
                     sig.catalog.empty() ? "no catalog entry" : sig.catalog);
  labelled(out, "meaning:", sig.meaning);
  std::string count =
      fmt::format("{} line{} ({})", t.count, t.count == 1 ? "" : "s", sig.component);
  if (t.first) {
    count += *t.first == *t.last
                 ? fmt::format(", at {}", time_text(t.first))
                 : fmt::format(", first {}, last {}", time_text(t.first), time_text(t.last));
  } else {
    count += ", time unknown";
  }
  labelled(out, "count:", count);
  std::string files;
  for (std::size_t i = 0; i < t.files.size() && i < kFilesShown; ++i) {
    const auto& [file, n] = t.files[i];
    files +=
        fmt::format("{}{} ({})", files.empty() ? "" : "\n", printable(scan.files[file].path), n);
  }
  if (t.files.size() > kFilesShown)
    files +=
        fmt::format("\n... and {} more file{} (-o json lists them all)",
                    t.files.size() - kFilesShown, t.files.size() - kFilesShown == 1 ? "" : "s");
  labelled(out, "in:", files);
  std::string samples;
  for (const Sample& s : t.samples)
    samples += fmt::format("{}{}:{}: {}", samples.empty() ? "" : "\n", printable(s.file), s.line,
                           shown(s.text));
  labelled(out, "samples:", samples);
  labelled(out, "fix:", sig.fix);
}

void render_files(std::string& out, const LogScan& scan) {
  std::string lines;
  for (const FileStats& f : scan.files) {
    std::vector<std::string> notes;
    if (!f.error.empty()) notes.push_back(f.error);
    if (f.binary_lines > 0) notes.push_back(fmt::format("{} binary lines skipped", f.binary_lines));
    if (f.invalid_utf8 > 0)
      notes.push_back(fmt::format("{} lines that are not UTF-8 skipped", f.invalid_utf8));
    if (f.truncated > 0)
      notes.push_back(fmt::format("{} lines over 1 MiB cut to their first MiB", f.truncated));
    if (notes.empty()) continue;
    lines += fmt::format("  {}: {}\n", printable(f.path), fmt::join(notes, "; "));
  }
  if (!lines.empty()) out += "\nInput problems:\n" + lines;
}

}  // namespace

std::string render_text(const LogScan& scan, std::span<const Signature> signatures) {
  std::vector<SignatureTotal> all = totals(scan, signatures);
  std::uint64_t lines = 0, bytes = 0, outside = 0;
  std::size_t files = 0;  // read, at least in part: not those that could not be opened
  for (const FileStats& f : scan.files) {
    lines += f.lines;
    bytes += f.bytes;
    outside += f.outside_time;
    files += f.error.empty() || f.lines > 0 ? 1 : 0;  // as run_logs judges "nothing read"
  }
  std::string out;
  std::string read = fmt::format("{} file{}, {} line{}, {} bytes", files, files == 1 ? "" : "s",
                                 lines, lines == 1 ? "" : "s", bytes);
  if (outside > 0) read += fmt::format("; {} lines outside --since/--until", outside);
  if (all.empty() && files == 0 && !scan.files.empty()) {
    // Not a clean bill of health: nothing was read.
    out += "Nothing could be read from the logs: see the problems below.\n";
  } else if (all.empty()) {
    out += fmt::format("No known failure found in the logs ({}).\n", read);
  } else {
    out += fmt::format("{} known failure{} found in the logs ({})\n", all.size(),
                       all.size() == 1 ? "" : "s", read);
    for (const SignatureTotal& t : all) render_total(out, scan, t, signatures[t.signature]);
    out += "\nTimeline (first occurrence of each):\n";
    for (const auto& [t, s] : timeline(all, signatures)) {
      out += fmt::format("  {:<20}  {:<8}  {}  {}:{}\n", time_text(s->time),
                         to_string(signatures[t->signature].severity), signatures[t->signature].id,
                         printable(s->file), s->line);
    }
  }
  render_files(out, scan);
  return out;
}

std::string render_match_line(const Signature& sig, const Sample& sample) {
  return fmt::format("{}  {:<8}  {}  {}:{}: {}\n", time_text(sample.time), to_string(sig.severity),
                     sig.id, printable(sample.file), sample.line, shown(sample.text));
}

}  // namespace ktriage::logs
