// Log signatures: the known failure lines of knowledge/log-signatures.yaml (embedded in the
// binary) and of the user's --signatures files, parsed and checked. Owns the signature records;
// never compiles patterns (matcher.h does) and never reads log files.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/finding.h"
#include "core/source_location.h"

namespace ktriage::logs {

/// One known failure line. `pattern` is a POSIX-ERE-compatible PCRE subset (no backreferences,
/// lookaround or \d), matched against one log message; it may start with ^.
struct Signature {
  std::string id;         ///< unique kebab-case: "kubelet-pleg-not-healthy"
  std::string component;  ///< kubelet, docker, containerd, apiserver, ..., app (kComponents)
  Severity severity = Severity::kWarning;
  std::string pattern;
  std::string catalog;  ///< fault-catalog id or ""
  std::string meaning;
  std::string fix;
  std::string source;                 ///< where the message text comes from (file, version)
  std::vector<std::string> positive;  ///< lines the pattern must match
  std::vector<std::string> negative;  ///< lines it must not match
  /// Ids of more specific signatures (optional): a line one of them also matches is theirs, not
  /// this one's, so a catch-all ("permission denied") does not add its generic fix to a line a
  /// specific signature explains ("permission denied for schema").
  std::vector<std::string> yields_to;
  SourceLocation where;  ///< the file and line of the entry (for messages)
};

/// Components a signature or a log file may name.
inline constexpr std::string_view kComponents[] = {
    "kubelet", "docker", "containerd", "apiserver", "etcd", "scheduler", "controller-manager",
    "coredns", "cni",    "terway",     "kernel",    "app"};
bool is_component(std::string_view name) noexcept;

/// Parses one signature file (`name` is used in messages). Checks every field: required ones
/// present, id kebab-case and unique within the file, component and severity known, version 1.
/// Patterns are not compiled here. Error: "FILE:LINE: signature ID: what is wrong" (the first
/// problem). Cost: O(file size).
Expected<std::vector<Signature>> parse_signatures(std::string_view name, std::string_view text);

/// Checks the yields_to of `signatures`, one set as it is scanned (built-in and --signatures
/// files together): each names another signature of the set, and no two yield to each other (a
/// line both match would be neither's). nullopt when fine, else "FILE:LINE: signature ID:
/// yields_to names \"X\", which ...". O(signatures x yields).
std::optional<std::string> check_yields(std::span<const Signature> signatures);

/// The signatures built into the binary (knowledge/log-signatures.yaml at build time), parsed
/// once. An error here is a build defect; the tests parse the same text.
Expected<std::vector<Signature>> builtin_signatures();

/// The embedded text of knowledge/log-signatures.yaml (defined in a generated file).
std::string_view embedded_signatures_yaml() noexcept;

}  // namespace ktriage::logs
