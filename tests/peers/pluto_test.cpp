// Pluto's fixtures (../shared/peers/pluto, FairwindsOps/pluto dd5ec8c) with what its own tests
// expect, restated as "ktriage finds every deprecated or removed API Pluto finds: the same object,
// the same verdict (removed or only deprecated) at the same target". Each expectation record of
// expectations.yaml is one row: run (lint's apis check on the fixture), left out with the reason
// (Pluto's own flags and output formats), or a known failure with the reason. One more row
// compares Pluto's versions.yaml with knowledge/deprecated-apis.yaml. The rows become
// docs/peers/pluto.md; the test fails when that file is stale.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <set>

#include "lint/lint.h"
#include "load/document.h"
#include "load/source.h"
#include "support/test_support.h"
#include "upgrade/check.h"
#include "upgrade/deprecated_apis.h"

namespace ktriage {
namespace {

const std::string kDir = testing::shared_dir() + "/peers/pluto/";
const std::string kDoc = "docs/peers/pluto.md";
const char* kUpdate =
    "KTRIAGE_UPDATE_PEER_DOCS=1 build/tests/ktriage_tests --gtest_filter='PlutoTest.*'";

// Pluto's own CLI and data-file checks: no ktriage counterpart, by design.
const std::map<std::string, std::string> kNotCovered = {
    {"TestGetDefaultVersionList",
     "loads Pluto's own deprecation-list format; ktriage's list is knowledge/deprecated-apis.yaml, "
     "compared entry by entry in the versions.yaml row"},
    {"Pass bad semver with no v",
     "Pluto's --target-versions syntax (ktriage: --target-version X.Y)"},
    {"Pass bad semver starting with v",
     "Pluto's --target-versions syntax (ktriage: --target-version X.Y)"},
    {"Pass bad column list to custom / markdown",
     "Pluto's -o custom/markdown --columns; ktriage's formats are fixed"},
    {"Custom output with no columns flag",
     "Pluto's -o custom --columns; ktriage's formats are fixed"},
    {"static files custom",
     "Pluto's custom columns; the same finding is checked in the \"static files wide\" row"},
    {"static files no output due to no matching components",
     "Pluto's --components (k8s, cert-manager, istio): ktriage knows Kubernetes APIs only"},
    {"no output due to bad components list", "Pluto's --components flag"},
    {"helm template",
     "needs `helm template` to render the chart first; ktriage reads the rendered output "
     "(`helm template ... | ktriage lint -`) but renders no charts"},
    {"helm detect ignore deprecations",
     "Pluto's --ignore-deprecations exit code (ktriage: --fail-on); the finding is the "
     "\"helm detect\" row"},
    {"helm detect show all ignore removals",
     "Pluto's --ignore-removals exit code (ktriage: --fail-on); the finding is the \"helm detect\" "
     "row"},
    {"list-versions additional file", "Pluto's list-versions and -f extra deprecation lists"},
    {"list-versions additional file duplicate",
     "Pluto's list-versions and -f extra deprecation lists"},
};

// Rows where ktriage differs on purpose: run, and "not covered" with the reason while they differ.
const std::map<std::string, std::string> kIntended = {
    {"static files target v1.8.0 not removed or deprecated",
     "ktriage dates the deprecation of extensions/v1beta1 Deployment at 1.8, when apps/v1beta2 "
     "replaced it (the upstream lifecycle tags, knowledge/deprecated-apis.yaml), Pluto at 1.9: at "
     "1.8 ktriage warns, Pluto is silent"},
};

// Real gaps: rows that fail today, with the reason (for whoever closes them). None now: the
// Helm v3 release rows pass since upgrade-check decodes release Secrets.
const std::map<std::string, std::string> kKnownFailures = {};

// Pluto versions.yaml entries ktriage's table leaves out on purpose.
std::string left_out_reason(std::string_view api_version, std::string_view kind) {
  if (kind.ends_with("List"))
    return "a List kind: the loader unpacks typed lists and checks each item by its own kind";
  if (kind == "FlowControl")
    return "no such kind (Pluto's data; FlowSchema and "
           "PriorityLevelConfiguration are listed)";
  if (api_version.starts_with("audit.k8s.io/") && kind == "Event")
    return "audit log records, never a manifest the API server is sent";
  return {};
}

struct Want {
  std::string kind, ns, name, api_version, file;
  std::optional<bool> removed;  // nullopt: any verdict
  std::string text() const {
    std::string who = kind.empty() ? "an object" : fmt::format("{} {}", kind, name);
    if (!ns.empty()) who += " in " + ns;
    if (!api_version.empty()) who += " at " + api_version;
    if (!file.empty()) who += " from " + file;
    return who + (removed ? (*removed ? " removed" : " deprecated") : "");
  }
};

struct Record {
  std::string fixture, test;
  int target = 0;
  bool none = false;                 // Pluto expects no finding
  bool only_removed = false;         // -r: Pluto lists removed APIs only
  std::vector<Want> want, unwanted;  // found / must not be found
};

struct Row {
  std::string fixture, test, target, pluto, ktriage, result, reason;
};

int minor(std::string_view v, int fallback) { return upgrade::minor_of(v).value_or(fallback); }

// Pluto's table output, read by the header's column offsets (tabwriter aligns them).
std::vector<std::map<std::string, std::string>> table_rows(const Value& lines) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::pair<std::string, std::size_t>> columns;
  for (const Value& l : lines.items()) {
    const std::string line(l.str());
    if (line.starts_with("NAME") || line == "FILEPATH") {
      columns.clear();
      for (std::size_t i = 0; i < line.size();) {
        const std::size_t end = line.find("  ", i);
        const std::size_t stop = end == std::string::npos ? line.size() : end;
        columns.emplace_back(line.substr(i, stop - i), i);
        i = line.find_first_not_of(' ', stop);
        if (i == std::string::npos) break;
      }
      continue;
    }
    if (columns.empty()) continue;
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::size_t from = columns[c].second;
      const std::size_t to = c + 1 < columns.size() ? columns[c + 1].second : line.size();
      std::string cell = from < line.size() ? line.substr(from, to - from) : "";
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      row[columns[c].first] = cell;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Want want_of(const std::map<std::string, std::string>& row) {
  auto get = [&](const char* k) { return row.count(k) ? row.at(k) : std::string(); };
  Want w{get("KIND"), get("NAMESPACE"), get("NAME"), get("VERSION"), get("FILEPATH"), {}};
  if (w.ns == "<UNKNOWN>") w.ns.clear();
  if (row.count("REMOVED")) w.removed = get("REMOVED") == "true";
  return w;
}

Record record_of(std::string fixture, const Value& r, int default_target) {
  Record rec{std::move(fixture), std::string(r["test"].str()), default_target, false, {}, {}};
  const std::string command(r["command"].str());
  if (!r["target_versions"]["k8s"].is_null()) {
    rec.target = minor(r["target_versions"]["k8s"].str(), default_target);
  } else if (auto at = command.find("k8s=v"); at != std::string::npos) {
    rec.target = minor(command.substr(at + 4, command.find(' ', at) - at - 4), default_target);
  }
  for (const Value& f : r["findings"].items()) {
    const bool removed = minor(f["removed_in"].str(), 1000) <= rec.target;
    rec.want.push_back({std::string(f["kind"].str()), std::string(f["namespace"].str()),
                        std::string(f["name"].str()), std::string(f["api_version"].str()), "",
                        removed});
  }
  if (r.contains("findings") && r["findings"].items().empty()) rec.none = true;
  for (const auto& row : table_rows(r["output_contains"])) rec.want.push_back(want_of(row));
  for (const auto& row : table_rows(r["output_not_contains"])) rec.unwanted.push_back(want_of(row));
  for (const Value& item : r["output_equals_json"]["items"].items()) {
    rec.want.push_back({std::string(item["api"]["kind"].str()),
                        std::string(item["namespace"].str()), std::string(item["name"].str()),
                        std::string(item["api"]["version"].str()), "", item["removed"].as_bool()});
  }
  const std::string equals(r["output_equals"].str());
  for (const Value& l : r["output_contains"].items()) {
    const std::string_view s = l.str();
    if (s.starts_with("No output") || s.starts_with("There were no resources")) rec.none = true;
    // A bare apiVersion with Pluto's exit code: 3 = removed found, 2 = deprecated found.
    if (s.find(' ') == std::string_view::npos && s.find('/') != std::string_view::npos &&
        !s.ends_with(".yaml"))
      rec.want.push_back({"", "", "", std::string(s), "", r["exit_code"].as_int() == 3});
  }
  if (equals.starts_with("No output")) rec.none = true;
  rec.only_removed = command.find(" -r") != std::string::npos;  // Pluto's --only-show-removed
  return rec;
}

struct Reported {
  const Finding* finding;
  std::string api_version, file;
  bool removed;
  std::string text() const {
    const ObjectRef& o = finding->object;
    return fmt::format("{} {}{} at {} {}", o.kind, o.ns.empty() ? "" : o.ns + "/", o.name,
                       api_version, removed ? "removed" : "deprecated");
  }
};

bool matches(const Want& w, const Reported& r) {
  const ObjectRef& o = r.finding->object;
  return (w.kind.empty() || w.kind == o.kind) && (w.name.empty() || w.name == o.name) &&
         (w.ns.empty() || w.ns == o.ns) &&
         (w.api_version.empty() || w.api_version == r.api_version) &&
         (w.file.empty() || r.file.ends_with(w.file)) && (!w.removed || *w.removed == r.removed);
}

Row run_record(const Record& rec) {
  Row row{rec.fixture, rec.test, fmt::format("1.{}", rec.target), "", "", "", ""};
  std::vector<std::string> wants;
  for (const Want& w : rec.want) wants.push_back(w.text());
  for (const Want& w : rec.unwanted) wants.push_back("not " + w.text());
  row.pluto = rec.none && rec.want.empty() ? (rec.only_removed ? "nothing removed" : "nothing")
                                           : fmt::format("{}", fmt::join(wants, "; "));
  if (auto it = kNotCovered.find(rec.test); it != kNotCovered.end()) {
    row.result = "not covered";
    row.reason = it->second;
    return row;
  }
  const std::vector<std::string> paths = {kDir + rec.fixture};
  auto cluster = Cluster::build(load_sources(paths, {}, /*keep_sources=*/true));
  const Diagnosis d = lint::lint(*cluster, rec.target);
  std::vector<Reported> reported;
  for (const Finding& f : d.findings) {
    if (f.rule != "upgrade-removed-api" && f.rule != "upgrade-deprecated-api") continue;
    Reported r{&f, "", "", f.rule == "upgrade-removed-api"};
    for (const Evidence& e : f.evidence) {
      if (e.path == ".apiVersion") {
        r.api_version = e.value;
        r.file = e.file.substr(std::min(e.file.size(), kDir.size()));
      }
    }
    if (r.removed || !rec.only_removed) reported.push_back(r);
  }
  // Helm v3 release Secrets: upgrade-check decodes them; each rendered object is reported as
  // Pluto names it, "<release>/<name>" in the release Secret's namespace.
  std::deque<Finding> helm_objects;
  const Diagnosis upgrade =
      upgrade::check(*cluster, upgrade::builtin_deprecated_apis(), rec.target);
  for (const Finding& f : upgrade.findings) {
    const bool removed = f.rule == "upgrade-helm-release-removed-api";
    if (!removed && f.rule != "upgrade-helm-release-deprecated-api") continue;
    for (const Evidence& e : f.evidence) {
      const std::size_t open = e.path.find(".manifest[");
      const std::size_t close = e.path.find(']');
      const std::size_t space = e.path.find(' ', open);
      if (open != 0 || close == std::string::npos || space > close) continue;
      Finding& object = helm_objects.emplace_back();
      object.object.kind = e.path.substr(10, space - 10);
      object.object.ns = f.object.ns;
      object.object.name = e.object.substr(e.object.find('/') + 1) + "/" +
                           e.path.substr(space + 1, close - space - 1);
      if (removed || !rec.only_removed) reported.push_back(Reported{&object, e.value, "", removed});
    }
  }
  std::vector<std::string> seen;
  for (const Reported& r : reported) seen.push_back(r.text());
  row.ktriage = seen.empty() ? "nothing" : fmt::format("{}", fmt::join(seen, "; "));
  bool ok = !(rec.none && rec.want.empty() && !reported.empty());
  for (const Want& w : rec.want) {
    ok = ok && std::any_of(reported.begin(), reported.end(),
                           [&](const Reported& r) { return matches(w, r); });
  }
  for (const Want& w : rec.unwanted) {
    ok = ok && std::none_of(reported.begin(), reported.end(),
                            [&](const Reported& r) { return matches(w, r); });
  }
  row.result = ok ? "passed" : "failed";
  if (auto it = kKnownFailures.find(rec.test); it != kKnownFailures.end()) row.reason = it->second;
  if (auto it = kIntended.find(rec.test); it != kIntended.end() && !ok) {
    row.result = "not covered";
    row.reason = it->second;
  }
  return row;
}

// Pluto's built-in list against knowledge/deprecated-apis.yaml: every Kubernetes entry known,
// or left out with a reason.
Row versions_row(const Value& versions) {
  int k8s = 0, known = 0, dates = 0;
  std::map<std::string, std::vector<std::string>> left_out;  // reason -> entries
  std::vector<std::string> unknown;
  std::size_t left_out_count = 0;
  const auto& apis = upgrade::builtin_deprecated_apis();
  for (const Value& e : versions["deprecated-versions"].items()) {
    if (e["component"].str() != "k8s") continue;
    ++k8s;
    const std::string_view version = e["version"].str(), kind = e["kind"].str();
    const upgrade::RemovedApi* a = upgrade::find_removed_api(apis, version, kind);
    if (a != nullptr) {
      ++known;
      const auto removed = upgrade::minor_of(e["removed-in"].str());
      if (a->deprecated_in != upgrade::minor_of(e["deprecated-in"].str()) ||
          (removed && a->removed_in != removed))
        ++dates;
    } else if (!left_out_reason(version, kind).empty()) {
      left_out[left_out_reason(version, kind)].push_back(fmt::format("{} {}", version, kind));
      ++left_out_count;
    } else {
      unknown.push_back(fmt::format("{} {}", version, kind));
    }
  }
  Row row{"versions.yaml",
          "Pluto's built-in deprecation list (component k8s)",
          "-",
          fmt::format("{} Kubernetes entries", k8s),
          "",
          "",
          ""};
  std::vector<std::string> groups;
  for (const auto& [reason, entries] : left_out)
    groups.push_back(fmt::format("{} ({})", fmt::join(entries, ", "), reason));
  row.ktriage = fmt::format(
      "{} known ({} with other dates, which knowledge/deprecated-apis.yaml takes from the "
      "upstream lifecycle tags); {} left out: {}{}",
      known, dates, left_out_count, fmt::join(groups, "; "),
      unknown.empty() ? "" : fmt::format("; unknown: {}", fmt::join(unknown, ", ")));
  row.result = unknown.empty() ? "passed" : "failed";
  return row;
}

std::string cell(std::string s) {
  for (std::size_t at = s.find('|'); at != std::string::npos; at = s.find('|', at + 2))
    s.replace(at, 1, "\\|");
  return s;
}

std::string markdown(const std::vector<Row>& rows) {
  std::map<std::string, int> counts;
  for (const Row& r : rows) ++counts[r.result];
  std::string out = fmt::format(
      "# Pluto conformance\n\nGenerated by tests/peers/pluto_test.cpp from "
      "../shared/peers/pluto/expectations.yaml (FairwindsOps/pluto dd5ec8c); do not edit by "
      "hand. To refresh: `{}`.\n\nOne row per expectation of Pluto's own tests: ktriage must find "
      "every deprecated or removed apiVersion Pluto finds (same object, same verdict at the same "
      "target), with lint's apis check (knowledge/deprecated-apis.yaml).\n\n"
      "**{} rows: {} passed, {} failed, {} not covered.**\n\n"
      "| fixture | Pluto test | target | Pluto expects | ktriage reports | result | reason |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n",
      kUpdate, rows.size(), counts["passed"], counts["failed"], counts["not covered"]);
  for (const Row& r : rows) {
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", r.fixture, cell(r.test),
                       r.target, cell(r.pluto), cell(r.ktriage), r.result, cell(r.reason));
  }
  return out;
}

std::vector<Row> all_rows() {
  std::vector<Record> records;
  std::optional<Row> versions;
  Arena arena;
  const std::string versions_text = testing::read_file(kDir + "versions.yaml");
  int default_target = 25;
  auto errors = read_yaml("versions.yaml", versions_text, arena,
                          [&](const ParsedDocument& doc, const Locator&) {
                            default_target = minor(doc.root["target-versions"]["k8s"].str(), 25);
                            versions = versions_row(doc.root);
                          });
  EXPECT_TRUE(errors.empty());
  const std::string text = testing::read_file(kDir + "expectations.yaml");
  errors =
      read_yaml("expectations.yaml", text, arena, [&](const ParsedDocument& doc, const Locator&) {
        for (const Member& f : doc.root["fixtures"].members()) {
          for (const Value& r : f.value["expect"].items()) {
            if (r.is_object()) records.push_back(record_of(std::string(f.key), r, default_target));
          }
        }
      });
  EXPECT_TRUE(errors.empty());
  std::vector<Row> rows;
  for (const Record& r : records) rows.push_back(run_record(r));
  if (versions) rows.push_back(*versions);
  return rows;
}

TEST(PlutoTest, EveryApiPlutoFindsKtriageFindsAndTheDocIsCurrent) {
  const std::vector<Row> rows = all_rows();
  std::map<std::string, int> counts;
  for (const Row& r : rows) {
    ++counts[r.result];
    // A failure needs its reason, and a reason for a failure must still be one.
    const bool known = kKnownFailures.count(r.test) > 0;
    EXPECT_EQ(r.result == "failed", known)
        << r.fixture << " / " << r.test << ": " << r.pluto << " | ktriage: " << r.ktriage;
  }
  EXPECT_EQ(rows.size(), 28u);  // 27 expectation records + the versions.yaml comparison
  EXPECT_EQ(counts["passed"], 14);
  EXPECT_EQ(counts["failed"], 0);
  EXPECT_EQ(counts["not covered"], 14);

  const std::string doc = markdown(rows);
  const std::string path = testing::source_dir() + "/" + kDoc;
  if (std::getenv("KTRIAGE_UPDATE_PEER_DOCS") != nullptr) {
    std::ofstream(path, std::ios::binary) << doc;
    return;
  }
  EXPECT_TRUE(testing::read_file(path) == doc) << kDoc << " is stale: " << kUpdate;
}

}  // namespace
}  // namespace ktriage
