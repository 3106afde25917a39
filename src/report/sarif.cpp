#include "report/sarif.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "report/scrub.h"

namespace ktriage {
namespace {

// ordered_json keeps members in insertion order: the output is deterministic and reads in the
// order of the specification's examples.
using Json = nlohmann::ordered_json;

std::string_view level_of(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "note";
  }
  return "warning";
}

// SARIF's guidance (and the multitool's SARIF2001 rule) wants messages as whole sentences.
std::string sentence(std::string_view s) {
  std::string out(s);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out += '.';
  return out;
}

// "lint-duplicate-key" -> "LintDuplicateKey": reportingDescriptor.name is an identifier that a
// viewer shows beside the id.
std::string pascal_case(std::string_view id) {
  std::string out;
  bool up = true;
  for (char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

Json rule_json(const RuleMeta& r) {
  Json j;
  j["id"] = r.id;
  j["name"] = pascal_case(r.id);
  j["shortDescription"] = {{"text", sentence(r.title)}};
  j["fullDescription"] = {
      {"text", sentence(r.fix.empty() ? r.title : sentence(r.title) + " Fix: " + r.fix)}};
  if (!r.fix.empty()) j["help"] = {{"text", sentence(r.fix)}};
  if (!r.doc.empty()) j["helpUri"] = r.doc;
  j["defaultConfiguration"] = {{"level", level_of(r.severity)}};
  if (!r.catalog.empty()) j["properties"] = {{"catalog", r.catalog}};
  return j;
}

bool is_absolute(std::string_view path) {
  return !path.empty() &&
         (path[0] == '/' || (path.size() > 2 && path[1] == ':' &&
                             (path[2] == '\\' || path[2] == '/')));  // C:\ from Windows CI
}

Json physical(std::string_view file, std::uint32_t line, std::uint32_t column) {
  Json artifact;
  artifact["uri"] = path_to_uri(file);
  // %SRCROOT% is the base GitHub code scanning resolves relative paths against (the checkout);
  // "<stdin>" is no path under it.
  if (!is_absolute(file) && !file.starts_with('<')) artifact["uriBaseId"] = "%SRCROOT%";
  // A whole file (line 0: skipped, unreadable) has no region.
  if (line == 0) return {{"artifactLocation", std::move(artifact)}};
  Json region;
  region["startLine"] = line;
  if (column > 0) region["startColumn"] = column;
  return {{"artifactLocation", std::move(artifact)}, {"region", std::move(region)}};
}

std::string qualified_name(const ObjectRef& o) {
  return o.ns.empty() ? fmt::format("{}/{}", o.kind, o.name)
                      : fmt::format("{}/{}/{}", o.kind, o.ns, o.name);
}

Json result_json(const Finding& f, std::size_t rule_index) {
  Json r;
  r["ruleId"] = f.rule;
  r["ruleIndex"] = rule_index;
  r["level"] = level_of(f.severity);
  r["message"] = {{"text", f.fix.empty() ? sentence(f.summary)
                                         : sentence(f.summary) + " Fix: " + sentence(f.fix)}};
  Json locations = Json::array();
  Json related = Json::array();
  for (const Evidence& e : f.evidence) {
    if (e.file.empty() || e.line == 0) continue;
    if (locations.empty()) {
      locations.push_back({{"physicalLocation", physical(e.file, e.line, e.column)}});
      continue;
    }
    Json rel = {{"id", related.size() + 1},
                {"physicalLocation", physical(e.file, e.line, e.column)}};
    const std::string what = e.path.empty() ? e.value : e.path + ": " + e.value;
    if (!what.empty()) rel["message"] = {{"text", sentence(what)}};
    related.push_back(std::move(rel));
  }
  if (!f.object.name.empty()) {
    Json logical = {{"name", f.object.name},
                    {"fullyQualifiedName", qualified_name(f.object)},
                    {"kind", "resource"}};
    if (locations.empty()) {
      locations.push_back({{"logicalLocations", Json::array({std::move(logical)})}});
    } else {
      locations[0]["logicalLocations"] = Json::array({std::move(logical)});
    }
  }
  if (!locations.empty()) r["locations"] = std::move(locations);
  if (!related.empty()) r["relatedLocations"] = std::move(related);
  // Code scanning matches results across runs by fingerprint; the finding id is stable (rule,
  // object and the part of it) where a line number would move with every edit above it.
  r["partialFingerprints"] = {{"ktriageFindingId/v1", f.id}};
  Json props;
  if (!f.catalog.empty()) props["catalog"] = f.catalog;
  props["severity"] = to_string(f.severity);
  r["properties"] = std::move(props);
  return r;
}

Json notifications(const InputSummary& input) {
  Json out = Json::array();
  for (const InputIssue& i : input.issues) {
    Json n;
    // A file left out by choice (a notes.txt, a binary) is a note, as the text report lists it
    // under "Skipped"; one that could not be read leaves the snapshot incomplete: an error.
    n["level"] = !i.skipped_file ? "warning" : i.unreadable ? "error" : "note";
    // The file is named in the text too: not every viewer shows a notification's location.
    n["message"] = {
        {"text", sentence(i.where.file.empty() ? i.message
                                               : fmt::format("{}: {}", i.where.file, i.message))}};
    if (!i.where.file.empty()) {
      n["locations"] = Json::array(
          {{{"physicalLocation", physical(i.where.file, i.where.pos.line, i.where.pos.column)}}});
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace

std::string path_to_uri(std::string_view path) {
  std::string p(path);
  for (char& c : p) {
    if (c == '\\') c = '/';
  }
  std::string out;
  if (is_absolute(p)) {
    out = p[0] == '/' ? "file://" : "file:///";
  } else {
    while (p.starts_with("./")) p.erase(0, 2);  // "./k8s/app.yaml" as the user typed it
  }
  for (unsigned char c : p) {
    const bool keep =
        std::isalnum(c) != 0 ||
        std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
    out += keep ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

std::string render_sarif(const Diagnosis& raw, std::span<const RuleMeta> rules,
                         const SarifTool& tool) {
  const Diagnosis d = scrub_for_output(raw, /*for_terminal=*/false);
  Json rules_json = Json::array();
  std::map<std::string, std::size_t, std::less<>> index;
  for (const RuleMeta& r : rules) {
    if (!index.emplace(r.id, rules_json.size()).second) continue;
    rules_json.push_back(rule_json(r));
  }
  // A finding of a rule no record lists (a correlation rule, say) still needs a descriptor:
  // ruleIndex must point into rules[].
  for (const Finding& f : d.findings) {
    if (index.count(f.rule) > 0) continue;
    index.emplace(f.rule, rules_json.size());
    rules_json.push_back(rule_json(RuleMeta{f.rule, f.rule, "", "", f.catalog, f.severity}));
  }
  Json results = Json::array();
  for (const Finding& f : d.findings) results.push_back(result_json(f, index.at(f.rule)));

  Json driver;
  driver["name"] = tool.name;
  if (!tool.version.empty()) {
    driver["version"] = tool.version;
    driver["semanticVersion"] = tool.version;
  }
  if (!tool.information_uri.empty()) driver["informationUri"] = tool.information_uri;
  driver["rules"] = std::move(rules_json);

  Json invocation;
  invocation["executionSuccessful"] = true;
  Json notes = notifications(d.input);
  if (!notes.empty()) invocation["toolExecutionNotifications"] = std::move(notes);

  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["invocations"] = Json::array({std::move(invocation)});
  run["results"] = std::move(results);
  // libfyaml and simdjson count columns in characters, not UTF-16 units.
  run["columnKind"] = "unicodeCodePoints";
  run["properties"] = {{"scope", d.input.scope},
                       {"filesRead", d.input.files_read},
                       {"objects", d.input.objects},
                       {"suppressed", d.input.suppressed}};

  Json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  // Invalid UTF-8 from a manifest becomes U+FFFD instead of an exception.
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace ktriage
