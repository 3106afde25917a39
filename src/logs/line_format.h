// Log line formats: which one a file uses (detected from its first lines), and how one line of
// it splits into time, message and (journal) the writing component. Pure functions on text;
// never reads files, never matches signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"

namespace ktriage::logs {

enum class LineFormat : std::uint8_t {
  kPlain,   ///< anything else: the whole line is the message (a leading RFC 3339 time is read)
  kKlog,    ///< "E1129 12:00:00.123456 1234 file.go:123] msg"
  kLogrus,  ///< time="..." level=error msg="..." key=value (dockerd, containerd)
  kJournalShort,    ///< "Nov 29 10:41:02 host unit[pid]: msg" (journalctl default)
  kJournalIso,      ///< "2026-11-29T10:41:02+0000 host unit[pid]: msg" (-o short-iso)
  kJournalPrecise,  ///< "Nov 29 10:41:02.123456 host unit[pid]: msg" (-o short-precise)
  kJournalJson,     ///< journalctl -o json: MESSAGE, __REALTIME_TIMESTAMP, SYSLOG_IDENTIFIER
  kCri,             ///< "<RFC3339Nano> stdout|stderr F|P msg" (kubelet's container logs)
  kDockerJson,      ///< {"log":"...\n","stream":"stderr","time":"..."} (Docker json-file)
};

/// "klog", "journal-short", "cri", ...
std::string_view to_string(LineFormat f) noexcept;

/// One line split. `message` points into the line or into the caller's scratch string, valid
/// until the next call with the same scratch.
struct ParsedLine {
  std::optional<UnixSeconds> time;
  std::string_view message;
  std::string_view identifier;  ///< journal formats: the syslog identifier ("kubelet", "kernel")
  bool partial = false;         ///< kCri "P": the message continues on the next line
};

/// Splits `line` as format `f`. Returns false when the line is not in that format (the caller
/// then treats it as plain text). Year-less times (klog, journal short) are put in `year`.
/// A klog line is its own message, header included (signatures are written against klog lines as
/// printed); a message that is itself a klog line (kubelet under journald, apiserver in a
/// container) gives its time when the outer line has none. O(line).
bool parse_line(LineFormat f, std::string_view line, int year, std::string& scratch,
                ParsedLine& out);

/// The format most of `first_lines` parse as (empty lines ignored); kPlain when none does.
LineFormat detect_format(std::span<const std::string_view> first_lines, int year);

}  // namespace ktriage::logs
