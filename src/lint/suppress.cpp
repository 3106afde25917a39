#include "lint/suppress.h"

#include <fmt/format.h>

#include <algorithm>

#include "lint/check.h"
#include "lint/locate.h"
#include "load/document.h"

namespace ktriage::lint {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool every_rule(std::string_view rule) { return rule.empty() || rule == "*" || rule == "all"; }

// Whether the comma-separated annotation value names `rule` (or every rule).
bool annotation_ignores(std::string_view value, std::string_view rule) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (item == "*" || item == "all" || item == rule) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Glob match without the tail rule: `**` may also swallow the '/' after it ("a/**/b" matches
// "a/b").
bool glob(std::string_view g, std::string_view p) {
  if (g.empty()) return p.empty();
  if (g.starts_with("**")) {
    std::string_view rest = g.substr(2);
    if (rest.starts_with("/") && glob(rest.substr(1), p)) return true;
    for (std::size_t i = 0; i <= p.size(); ++i) {
      if (glob(rest, p.substr(i))) return true;
    }
    return false;
  }
  if (g.front() == '*') {
    for (std::size_t i = 0; i <= p.size(); ++i) {
      if (glob(g.substr(1), p.substr(i))) return true;
      if (i < p.size() && p[i] == '/') break;
    }
    return false;
  }
  if (p.empty()) return false;
  if (g.front() == '?' ? p.front() != '/' : g.front() == p.front())
    return glob(g.substr(1), p.substr(1));
  return false;
}

bool is_lint_rule(std::string_view id) {
  for (const LintCheck* check : lint_checks()) {
    for (const LintRule& r : check->rules) {
      if (r.id == id) return true;
    }
  }
  return false;
}

// Reads the `ignore:` list of one parsed document; the first problem goes to `error`.
class ConfigReader {
 public:
  ConfigReader(std::string_view name, std::string_view text, const Locator& locator)
      : name_(name), text_(text), locator_(locator) {}

  void read(const Value& root, SuppressConfig& out) {
    if (root.is_null()) return;  // an empty file ignores nothing
    if (!root.is_object()) return fail({}, "the file must be a mapping with an `ignore:` list");
    for (const Member& m : root.members()) {
      if (m.key != "ignore")
        return fail_key({}, m.key,
                        fmt::format("unknown key `{}` (only `ignore:` is known)", m.key));
    }
    const Value& list = root["ignore"];
    if (list.is_null()) return;
    if (!list.is_array()) return fail({{"ignore", -1}}, "`ignore` must be a list of entries");
    for (std::size_t i = 0; i < list.items().size() && error.empty(); ++i)
      entry(list.items()[i], static_cast<int>(i), out);
  }

  std::string error;

 private:
  void fail(std::vector<PathStep> path, std::string_view what) {
    if (!error.empty()) return;
    SourcePos p = locator_.locate(path);
    // A key's position when its value is absent or null: the nearest ancestor that exists.
    while (p.line == 0 && !path.empty()) {
      path.pop_back();
      p = locator_.locate(path);
    }
    error = fmt::format("{}:{}:{}: {}", name_, p.line, p.column, what);
  }

  // An unknown key: the Locator knows where values are, not keys, so the key is looked up in the
  // text from its mapping's start.
  void fail_key(const std::vector<PathStep>& mapping, std::string_view key, std::string_view what) {
    const SourcePos start = mapping.empty() ? SourcePos{1, 1} : locator_.locate(mapping);
    if (start.line == 0) return fail(mapping, what);
    const SourcePos p = key_near(text_, LineStarts(text_), start, key, /*near_is_value=*/false);
    if (error.empty()) error = fmt::format("{}:{}:{}: {}", name_, p.line, p.column, what);
  }

  void entry(const Value& e, int index, SuppressConfig& out) {
    const std::vector<PathStep> at = {{"ignore", -1}, {{}, index}};
    auto step = [&](std::string_view key) {
      std::vector<PathStep> p = at;
      p.push_back({key, -1});
      return p;
    };
    if (!e.is_object()) return fail(at, "an ignore entry must be a mapping (rule:, paths:)");
    IgnoreEntry out_entry;
    for (const Member& m : e.members()) {
      if (m.key != "rule" && m.key != "paths")
        return fail_key(at, m.key,
                        fmt::format("unknown key `{}` in an ignore entry (rule, paths)", m.key));
    }
    if (e.contains("rule")) {
      const Value& rule = e["rule"];
      if (!rule.is_string()) return fail(step("rule"), "`rule` must be a string (a rule id or *)");
      out_entry.rule = std::string(trim(rule.str()));
      if (!every_rule(out_entry.rule) && !is_lint_rule(out_entry.rule))
        return fail(step("rule"), fmt::format("`{}` is not a lint rule id", out_entry.rule));
    }
    if (e.contains("paths")) {
      const Value& paths = e["paths"];
      if (!paths.is_array()) return fail(step("paths"), "`paths` must be a list of globs");
      for (std::size_t i = 0; i < paths.items().size(); ++i) {
        const Value& g = paths.items()[i];
        if (!g.is_string() || g.str().empty()) {
          std::vector<PathStep> p = step("paths");
          p.push_back({{}, static_cast<int>(i)});
          return fail(p, "each of `paths` must be a non-empty string (a glob)");
        }
        out_entry.paths.emplace_back(g.str());
      }
    }
    if (!e.contains("rule") && out_entry.paths.empty())
      return fail(at, "an ignore entry needs `rule`, `paths` or both");
    out.ignore.push_back(std::move(out_entry));
  }

  std::string_view name_;
  std::string_view text_;
  const Locator& locator_;
};

std::string_view finding_file(const Cluster& cluster, const Finding& f, const Object* o) {
  if (o != nullptr) return cluster.file_name(o->file);
  for (const Evidence& e : f.evidence) {
    if (!e.file.empty()) return e.file;
  }
  return {};
}

bool config_ignores(const SuppressConfig& config, std::string_view rule, std::string_view file) {
  return std::any_of(config.ignore.begin(), config.ignore.end(), [&](const IgnoreEntry& e) {
    if (!every_rule(e.rule) && e.rule != rule) return false;
    if (e.paths.empty()) return true;
    return std::any_of(e.paths.begin(), e.paths.end(),
                       [&](const std::string& g) { return path_matches(g, file); });
  });
}

}  // namespace

Expected<SuppressConfig> parse_suppress_config(std::string_view name, std::string_view text) {
  SuppressConfig config;
  std::string error;
  Arena arena;
  int documents = 0;
  const auto syntax =
      read_yaml(name, text, arena, [&](const ParsedDocument& doc, const Locator& l) {
        if (++documents > 1 || !error.empty()) return;
        ConfigReader reader(name, text, l);
        reader.read(doc.root, config);
        error = reader.error;
      });
  if (!syntax.empty()) {
    const ParseError& e = syntax.front();
    return Unexpected(fmt::format("{}:{}:{}: {}", name, e.pos.line, e.pos.column, e.message));
  }
  if (!error.empty()) return Unexpected(error);
  return config;
}

bool path_matches(std::string_view g, std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  while (g.starts_with("./")) g.remove_prefix(2);
  if (g.starts_with("/") && !path.starts_with("/")) return glob(g.substr(1), path);
  if (glob(g, path)) return true;
  if (g.starts_with("/")) return false;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (glob(g, path.substr(slash + 1))) return true;
  }
  return false;
}

std::size_t suppress(const Cluster& cluster, const SuppressConfig& config,
                     std::vector<Finding>& findings) {
  const std::size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& f) {
    const Object* o = finding_object(cluster, f);
    if (o != nullptr && annotation_ignores(o->annotations()[kIgnoreAnnotation].str(), f.rule))
      return true;
    return !config.ignore.empty() && config_ignores(config, f.rule, finding_file(cluster, f, o));
  });
  return before - findings.size();
}

}  // namespace ktriage::lint
