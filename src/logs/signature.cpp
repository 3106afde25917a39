#include "logs/signature.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "core/value.h"
#include "load/document.h"

namespace ktriage::logs {
namespace {

bool is_kebab(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

// Reads one entry; returns the first problem as text (without the file:line prefix).
std::optional<std::string> read_entry(const Value& v, Signature& s) {
  if (!v.is_object()) return "an entry must be a mapping of fields";
  auto text = [&](std::string_view key, std::string& out,
                  bool required) -> std::optional<std::string> {
    const Value& f = v[key];
    if (f.is_null() && !v.contains(key)) {
      if (required) return fmt::format("field \"{}\" is missing", key);
      return std::nullopt;
    }
    if (!f.is_string()) return fmt::format("field \"{}\" must be a string", key);
    out = std::string(f.str());
    if (required && out.empty() && key != "catalog")
      return fmt::format("field \"{}\" is empty", key);
    return std::nullopt;
  };
  if (auto e = text("id", s.id, true)) return e;
  if (!is_kebab(s.id)) return fmt::format("id \"{}\" is not kebab-case", s.id);
  for (const Member& m : v.members()) {
    static constexpr std::string_view kKnown[] = {"id",       "component", "severity", "pattern",
                                                  "catalog",  "meaning",   "fix",      "source",
                                                  "positive", "negative",  "yields_to"};
    bool known = false;
    for (std::string_view k : kKnown) known = known || k == m.key;
    if (!known) return fmt::format("unknown field \"{}\"", m.key);
  }
  std::string severity;
  for (auto [key, out] : {std::pair{"component", &s.component}, std::pair{"pattern", &s.pattern},
                          std::pair{"meaning", &s.meaning}, std::pair{"fix", &s.fix}}) {
    if (auto e = text(key, *out, true)) return e;
  }
  if (auto e = text("severity", severity, true)) return e;
  if (auto e = text("catalog", s.catalog, false)) return e;
  if (auto e = text("source", s.source, false)) return e;
  if (!is_component(s.component))
    return fmt::format(
        "component \"{}\" is not one of kubelet, docker, containerd, apiserver, "
        "etcd, scheduler, controller-manager, coredns, cni, terway, kernel, app",
        s.component);
  auto sev = parse_severity(severity);
  if (!sev) return fmt::format("severity \"{}\" is not critical, warning or info", severity);
  s.severity = *sev;
  for (auto [key, out] : {std::pair{"positive", &s.positive}, std::pair{"negative", &s.negative},
                          std::pair{"yields_to", &s.yields_to}}) {
    const Value& list = v[key];
    if (list.is_null()) continue;
    if (!list.is_array()) return fmt::format("field \"{}\" must be a list of lines", key);
    for (const Value& line : list.items()) {
      if (!line.is_string()) return fmt::format("field \"{}\" must hold strings only", key);
      out->emplace_back(line.str());
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_component(std::string_view name) noexcept {
  for (std::string_view c : kComponents) {
    if (c == name) return true;
  }
  return false;
}

Expected<std::vector<Signature>> parse_signatures(std::string_view name, std::string_view text) {
  Arena arena;
  std::vector<Signature> out;
  std::optional<std::string> error;
  int documents = 0;
  auto at = [&](SourcePos pos) {
    return SourceLocation{std::string(name), SourcePos{pos.line, 0}}.to_string();
  };
  auto errors = read_yaml(name, text, arena, [&](const ParsedDocument& doc, const Locator& loc) {
    if (error || ++documents > 1) return;
    const Value& root = doc.root;
    if (!root.is_object()) {
      error = fmt::format("{}: expected a mapping with version and signatures", at(doc.root_pos));
      return;
    }
    if (root["version"].as_int(-1) != 1) {
      PathStep p[] = {{"version"}};
      error = fmt::format("{}: version must be 1", at(loc.locate(p)));
      return;
    }
    const Value& list = root["signatures"];
    if (!list.is_array()) {
      error = fmt::format("{}: signatures must be a list", at(doc.root_pos));
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      PathStep p[] = {{"signatures"}, {"", static_cast<int>(i)}};
      Signature s;
      s.where = SourceLocation{std::string(name), loc.locate(p)};
      auto problem = read_entry(list[i], s);
      if (!problem && !ids.insert(s.id).second) problem = "the id is used twice";
      if (problem) {
        error = fmt::format("{}: signature {}: {}", at(s.where.pos),
                            s.id.empty() ? fmt::format("#{}", i + 1) : s.id, *problem);
        return;
      }
      out.push_back(std::move(s));
    }
  });
  if (!errors.empty())
    return Unexpected{fmt::format("{}: {}", at(errors.front().pos), errors.front().message)};
  if (error) return Unexpected{*error};
  if (documents == 0) return Unexpected{fmt::format("{}: no signatures (empty file)", name)};
  return out;
}

std::optional<std::string> check_yields(std::span<const Signature> signatures) {
  const auto find = [&](std::string_view id) -> const Signature* {
    for (const Signature& s : signatures) {
      if (s.id == id) return &s;
    }
    return nullptr;
  };
  for (const Signature& s : signatures) {
    for (const std::string& other : s.yields_to) {
      const Signature* target = find(other);
      const bool back = target != nullptr && target != &s &&
                        std::find(target->yields_to.begin(), target->yields_to.end(), s.id) !=
                            target->yields_to.end();
      if (target == nullptr || target == &s || back)
        return fmt::format("{}: signature {}: yields_to names \"{}\", {}",
                           SourceLocation{s.where.file, SourcePos{s.where.pos.line, 0}}.to_string(),
                           s.id, other,
                           back ? "which yields to it (a line both match would be neither's)"
                                : "which is not another signature's id");
    }
  }
  return std::nullopt;
}

Expected<std::vector<Signature>> builtin_signatures() {
  auto sigs = parse_signatures("knowledge/log-signatures.yaml", embedded_signatures_yaml());
  if (sigs) {
    if (auto e = check_yields(*sigs)) return Unexpected{*e};
  }
  return sigs;
}

}  // namespace ktriage::logs
