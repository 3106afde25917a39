#include "logs/line_format.h"

#include <array>
#include <charconv>
#include <cstring>

#include "logs/flat_json.h"
#include "logs/timestamp.h"

namespace ktriage::logs {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// klog's header "E1129 10:41:02.123456    1234 file.go:123] ": the length of the header and
// the time, or 0 when `s` does not start with one.
std::size_t klog_header(std::string_view s, int year, std::optional<UnixSeconds>& time) {
  if (s.size() < 22 || (s[0] != 'I' && s[0] != 'W' && s[0] != 'E' && s[0] != 'F')) return 0;
  auto t = parse_klog_time(s.substr(1, 21), year);
  if (!t) return 0;
  std::size_t i = 14;  // after "E1129 10:41:02"
  if (s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i >= s.size() || s[i] != ' ') return 0;
  while (i < s.size() && s[i] == ' ') ++i;
  std::size_t pid = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == pid || i >= s.size() || s[i] != ' ') return 0;
  std::size_t close = s.find("] ", i + 1);
  std::size_t space = s.find(' ', i + 1);
  if (close == std::string_view::npos) {
    // "E1129 ... file.go:12]" with an empty message
    if (s.back() != ']' || space != std::string_view::npos) return 0;
    time = t;
    return s.size();
  }
  if (space < close) return 0;  // "file.go:123" has no space
  time = t;
  return close + 2;
}

// An inner message that is a klog line gives its time when the outer line had none. The klog
// header stays in the message: signatures are written against klog lines as the components
// print them (some name the source file, "kubelet.go:[0-9]+] node ... not found").
void inner_klog_time(ParsedLine& out, int year) {
  if (out.time) return;  // the outer time wins: no need to read the inner one (a hot path)
  std::optional<UnixSeconds> inner;
  if (klog_header(out.message, year, inner) > 0 && !out.time) out.time = inner;
}

// The whole line is the message (see inner_klog_time).
bool parse_klog(std::string_view line, int year, ParsedLine& out) {
  if (klog_header(line, year, out.time) == 0) return false;
  out.message = line;
  return true;
}

// One `key=value` field of a logrus line; `value` is the text between the quotes (escapes
// still in) when `quoted`.
struct Field {
  std::string_view key, value;
  bool quoted = false;
};
enum class FieldStep { kField, kEnd, kBad };

// The end of a Go-quoted value whose opening quote is at `open`: the first '"' after it that an
// even run of backslashes precedes (an escape pairs a backslash with the byte after it), found
// with memchr rather than byte by byte. npos when the quote is not closed.
std::size_t closing_quote(std::string_view line, std::size_t open) {
  for (std::size_t from = open + 1; from < line.size();) {
    const void* q = std::memchr(line.data() + from, '"', line.size() - from);
    if (q == nullptr) return std::string_view::npos;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(q) - line.data());
    std::size_t backslashes = 0;
    while (at - backslashes > open + 1 && line[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

// The next field from `i` (spaces before it skipped); moves `i` past it. kBad when the rest is
// not key=value text.
FieldStep next_field(std::string_view line, std::size_t& i, Field& f) {
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size()) return FieldStep::kEnd;
  std::size_t eq = line.find('=', i);
  std::size_t sp = line.find(' ', i);
  if (eq == std::string_view::npos || (sp != std::string_view::npos && sp < eq))
    return FieldStep::kBad;
  f.key = line.substr(i, eq - i);
  i = eq + 1;
  f.quoted = i < line.size() && line[i] == '"';
  if (f.quoted) {
    std::size_t j = closing_quote(line, i);
    if (j == std::string_view::npos) return FieldStep::kBad;
    f.value = line.substr(i + 1, j - i - 1);
    i = j + 1;
  } else {
    std::size_t j = line.find(' ', i);
    if (j == std::string_view::npos) j = line.size();
    f.value = line.substr(i, j - i);
    i = j;
  }
  return FieldStep::kField;
}

void append_value(const Field& f, std::string& out) {
  if (f.quoted) {
    unescape_json(f.value, out);
  } else {
    out.append(f.value);
  }
}

// `key=value` pairs, values bare or Go-quoted (logrus quotes the time, Go's slog and logfmt do
// not). Message: msg first, then " key=value" for the others but time and level, unquoted.
// The fields are read once into a small array (a line costs no allocation once `scratch` has
// grown); a line with more fields than it holds is read a second time to write the message.
bool parse_logrus(std::string_view line, std::string& scratch, ParsedLine& out) {
  if (!starts_with(line, "time=")) return false;
  constexpr std::size_t kKept = 16;
  std::array<Field, kKept> kept;
  std::size_t count = 0;
  Field f, msg;
  bool have_level = false;
  for (std::size_t i = 0;;) {
    FieldStep step = next_field(line, i, f);
    if (step == FieldStep::kBad) return false;
    if (step == FieldStep::kEnd) break;
    if (count < kKept) kept[count] = f;
    ++count;
    if (f.key == "time") {
      if (f.quoted && f.value.find('\\') != std::string_view::npos) {
        std::string unescaped;
        unescape_json(f.value, unescaped);
        out.time = parse_iso_time(unescaped);
      } else {
        out.time = parse_iso_time(f.value);
      }
      if (!out.time) return false;
    } else if (f.key == "level") {
      have_level = true;
    } else if (f.key == "msg") {
      msg = f;
    }
  }
  if (!have_level) return false;
  scratch.clear();
  append_value(msg, scratch);
  auto add = [&](const Field& g) {
    if (g.key == "time" || g.key == "level" || g.key == "msg") return;
    scratch += ' ';
    scratch.append(g.key);
    scratch += '=';
    append_value(g, scratch);
  };
  if (count <= kKept) {
    for (std::size_t k = 0; k < count; ++k) add(kept[k]);
  } else {
    for (std::size_t i = 0; next_field(line, i, f) == FieldStep::kField;) add(f);
  }
  out.message = scratch;
  return true;
}

// "host ident[pid]: message" after a journal time; sets identifier and message.
bool journal_rest(std::string_view s, ParsedLine& out) {
  if (s.empty() || s[0] != ' ') return false;
  std::size_t host_end = s.find(' ', 1);
  if (host_end == std::string_view::npos || host_end == 1) return false;
  std::size_t colon = s.find(": ", host_end + 1);
  std::size_t next_space = s.find(' ', host_end + 1);
  if (colon == std::string_view::npos) {
    if (s.back() != ':' || next_space != std::string_view::npos) return false;
    colon = s.size() - 1;
  } else if (next_space < colon) {
    return false;
  }
  std::string_view ident = s.substr(host_end + 1, colon - host_end - 1);
  if (ident.empty()) return false;
  if (std::size_t b = ident.find('['); b != std::string_view::npos) {
    if (ident.back() != ']') return false;
    ident = ident.substr(0, b);
  }
  out.identifier = ident;
  out.message = colon + 2 <= s.size() ? s.substr(colon + 2) : std::string_view();
  return true;
}

bool parse_journal_syslog(std::string_view line, int year, bool precise, ParsedLine& out) {
  std::size_t n = 0;
  auto t = parse_syslog_time(line, year, n);
  if (!t || (n > 15) != precise) return false;
  if (!journal_rest(line.substr(n), out)) return false;
  out.time = t;
  return true;
}

bool parse_journal_iso(std::string_view line, ParsedLine& out) {
  std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return false;
  auto t = parse_iso_time(line.substr(0, sp));
  if (!t || !journal_rest(line.substr(sp), out)) return false;
  out.time = t;
  return true;
}

bool parse_journal_json(std::string_view line, std::string& scratch, ParsedLine& out) {
  if (line.empty() || line[0] != '{') return false;
  bool journal = false;
  std::string_view message, ident, comm;
  bool message_is_string = false;
  std::optional<UnixSeconds> time;
  bool ok = for_each_json_field(line, [&](std::string_view key, std::string_view raw, bool str) {
    if (key == "__REALTIME_TIMESTAMP") {
      journal = true;
      std::int64_t us = 0;
      auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), us);
      if (ec == std::errc() && p == raw.data() + raw.size()) time = us / 1000000;
    } else if (key == "MESSAGE") {
      journal = true;
      message = raw;
      message_is_string = str;
    } else if (key == "SYSLOG_IDENTIFIER" && str) {
      ident = raw;
    } else if (key == "_COMM" && str) {
      comm = raw;
    }
  });
  if (!ok || !journal) return false;
  scratch.clear();
  if (message_is_string) unescape_json(message, scratch);  // MESSAGE as a byte array: not text
  out.message = scratch;
  out.identifier = !ident.empty() ? ident : comm;
  out.time = time;
  return true;
}

bool parse_cri(std::string_view line, ParsedLine& out) {
  std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp < 20) return false;
  auto t = parse_iso_time(line.substr(0, sp));
  if (!t) return false;
  std::string_view rest = line.substr(sp + 1);
  if (!starts_with(rest, "stdout ") && !starts_with(rest, "stderr ")) return false;
  rest.remove_prefix(7);
  std::size_t tag_end = rest.find(' ');
  std::string_view tag = rest.substr(0, tag_end);
  if (tag != "F" && tag != "P") return false;
  out.partial = tag == "P";
  out.message = tag_end == std::string_view::npos ? std::string_view() : rest.substr(tag_end + 1);
  out.time = t;
  return true;
}

bool parse_docker_json(std::string_view line, std::string& scratch, ParsedLine& out) {
  if (line.empty() || line[0] != '{') return false;
  bool has_log = false;
  std::string_view log, time;
  bool ok = for_each_json_field(line, [&](std::string_view key, std::string_view raw, bool str) {
    if (key == "log" && str) {
      has_log = true;
      log = raw;
    } else if (key == "time" && str) {
      time = raw;
    }
  });
  if (!ok || !has_log) return false;
  scratch.clear();
  unescape_json(log, scratch);
  // json-file splits lines over 16 KiB into entries; only the last ends with "\n".
  out.partial = scratch.empty() || scratch.back() != '\n';
  if (!out.partial) scratch.pop_back();
  if (!scratch.empty() && scratch.back() == '\r') scratch.pop_back();
  out.message = scratch;
  out.time = parse_iso_time(time);
  return true;
}

// JSON lines of zap, logr and friends (etcd, controllers, apps): the time of "ts", "time",
// "timestamp" or "@timestamp" (RFC 3339, or seconds since the epoch as zap's default writes).
std::optional<UnixSeconds> json_line_time(std::string_view line) {
  std::optional<UnixSeconds> time;
  for_each_json_field(line, [&](std::string_view key, std::string_view raw, bool str) {
    if (time || (key != "ts" && key != "time" && key != "timestamp" && key != "@timestamp")) return;
    if (str) {
      time = parse_iso_time(raw);
    } else if (!raw.empty() && raw[0] >= '0' && raw[0] <= '9') {
      double seconds = 0;
      auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), seconds);
      if (ec == std::errc() && seconds < 1e11) time = static_cast<UnixSeconds>(seconds);
    }
  });
  return time;
}

bool parse_plain(std::string_view line, ParsedLine& out) {
  out.message = line;
  if (!line.empty() && line[0] == '{') {
    out.time = json_line_time(line);
    return true;
  }
  std::size_t sp = line.find(' ');
  if (sp != std::string_view::npos && sp >= 20 && sp <= 35)
    out.time = parse_iso_time(line.substr(0, sp));
  return true;
}

}  // namespace

std::string_view to_string(LineFormat f) noexcept {
  switch (f) {
    case LineFormat::kPlain:
      return "plain";
    case LineFormat::kKlog:
      return "klog";
    case LineFormat::kLogrus:
      return "logrus";
    case LineFormat::kJournalShort:
      return "journal-short";
    case LineFormat::kJournalIso:
      return "journal-short-iso";
    case LineFormat::kJournalPrecise:
      return "journal-short-precise";
    case LineFormat::kJournalJson:
      return "journal-json";
    case LineFormat::kCri:
      return "cri";
    case LineFormat::kDockerJson:
      return "docker-json";
  }
  return "plain";
}

bool parse_line(LineFormat f, std::string_view line, int year, std::string& scratch,
                ParsedLine& out) {
  out = ParsedLine{};
  bool ok = false;
  bool nested = true;
  switch (f) {
    case LineFormat::kPlain:
      return parse_plain(line, out);
    case LineFormat::kKlog:
      return parse_klog(line, year, out);
    case LineFormat::kLogrus:
      return parse_logrus(line, scratch, out);
    case LineFormat::kJournalShort:
      ok = parse_journal_syslog(line, year, false, out);
      break;
    case LineFormat::kJournalPrecise:
      ok = parse_journal_syslog(line, year, true, out);
      break;
    case LineFormat::kJournalIso:
      ok = parse_journal_iso(line, out);
      break;
    case LineFormat::kJournalJson:
      ok = parse_journal_json(line, scratch, out);
      break;
    case LineFormat::kCri:
      ok = parse_cri(line, out);
      nested = !out.partial;  // a partial line's start is matched with the whole joined line
      break;
    case LineFormat::kDockerJson:
      ok = parse_docker_json(line, scratch, out);
      break;
  }
  if (ok && nested) inner_klog_time(out, year);
  return ok;
}

LineFormat detect_format(std::span<const std::string_view> first_lines, int year) {
  static constexpr std::array kOrder = {
      LineFormat::kJournalJson,    LineFormat::kDockerJson,  LineFormat::kCri,
      LineFormat::kKlog,           LineFormat::kLogrus,      LineFormat::kJournalIso,
      LineFormat::kJournalPrecise, LineFormat::kJournalShort};
  std::array<int, kOrder.size()> votes{};
  std::string scratch;
  ParsedLine parsed;
  for (std::string_view line : first_lines) {
    if (line.empty()) continue;
    for (std::size_t k = 0; k < kOrder.size(); ++k) {
      if (parse_line(kOrder[k], line, year, scratch, parsed)) {
        ++votes[k];
        break;
      }
    }
  }
  int best = 0;
  LineFormat format = LineFormat::kPlain;
  for (std::size_t k = 0; k < kOrder.size(); ++k) {
    if (votes[k] > best) {
      best = votes[k];
      format = kOrder[k];
    }
  }
  return format;
}

}  // namespace ktriage::logs
