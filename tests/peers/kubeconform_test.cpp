// kubeconform's fixtures (../shared/peers/kubeconform, yannh/kubeconform e65429b) against lint's
// schema check: each run of its acceptance suites whose point is a valid/invalid verdict on
// manifests is a row, run through lint with the ../shared schemas of the nearest release; where
// kubeconform prints a summary, the resource count and the invalid count are compared too. Runs
// about kubeconform's own flags, schema layouts and output formats are "not covered" rows with
// the reason. The table is docs/peers/kubeconform.md; the counts below are exact.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "load/document.h"
#include "peers/peer_report.h"
#include "peers/schema_lint.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::PeerResult;
using testing::PeerRow;

const std::string kDir = testing::shared_dir() + "/peers/kubeconform/";

const std::string kSchemaUrl =
    "kubeconform's JSON-schema locations (URL templates, its registry layout); ktriage reads the "
    "API server's OpenAPI v3 documents from a folder (--schema-location, `ktriage schema pull`) "
    "and never downloads while linting.";
const std::string kCache =
    "kubeconform's download cache of JSON schemas; ktriage downloads nothing while linting "
    "(`ktriage schema pull` fills its own cache from an API server).";

// Runs about kubeconform itself, by test name → why ktriage has no counterpart.
const std::map<std::string, std::string>& not_covered() {
  static const std::map<std::string, std::string> kNotCovered = {
      {"Pass when using a valid HTTP -schema-location", kSchemaUrl},
      {"Pass when using schemas with HTTP references", kSchemaUrl},
      {"Fail when using an invalid HTTP -schema-location", kSchemaUrl},
      {"Fail early when passing a non valid -schema-location template", kSchemaUrl},
      {"Fail early when passing a non valid -kubernetes-version",
       "kubeconform's -kubernetes-version syntax (x.y.z or master); ktriage's --target-version "
       "is X.Y, a different flag."},
      {"Pass with a valid input when validating against openshift manifests",
       "OpenShift 3.8 JSON schemas by URL; ktriage validates Kubernetes OpenAPI documents."},
      {"Fail with an invalid input when validating against openshift manifests",
       "OpenShift 3.8 JSON schemas by URL; ktriage validates Kubernetes OpenAPI documents."},
      {"Skip when parsing a resource from a kind to skip",
       "kubeconform's -skip (by kind); ktriage suppresses by rule (ktriage.io/ignore, "
       ".ktriage.yaml)."},
      {"Skip when parsing a resource with a GVK to skip", "kubeconform's -skip (by kind)."},
      {"Do not skip when parsing a resource with a GVK to skip, where the Kind matches but not "
       "the version",
       "kubeconform's -skip (by kind)."},
      {"Fail when parsing a resource from a kind to reject",
       "kubeconform's -reject (prohibited kinds); not a schema verdict."},
      {"Pass when parsing a valid Kubernetes config YAML file and store cache", kCache},
      {"Fail when no schema found, ensure 404 is not cached on disk", kCache},
      {"Fail when cache folder does not exist", kCache},
      {"HTTP references should be cached", kCache},
      {"Pass when parsing a valid config YAML file without network access, with cache", kCache},
      {"Pass when using a cached schema with external references", kCache},
      {"Produces correct TAP output", "kubeconform's TAP output; ktriage has no TAP format."},
      {"JUnit output can be validated against the Junit schema definition",
       "kubeconform's JUnit layout; ktriage's -o junit is its own, tested in tests/report."},
      {"Fail when using HTTPS_PROXY with a failing proxy",
       "kubeconform's schema download through a proxy; ktriage downloads nothing while linting."},
      {"Fail when parsing a valid Kubernetes config YAML file without network access",
       "kubeconform fails without a schema; ktriage runs every schema-free check and says once "
       "that schema validation was skipped and how to enable it (issue 6), by design."},
      {"Ignores file that match the --ignore-filename-pattern given",
       "kubeconform's --ignore-filename-pattern; ktriage lints the paths it is given."},
      {"passes when trying to use a CRD that does not have the JSONSchema set",
       "the datreeio/CRDs-catalog by URL; ktriage validates custom resources against a CRD in "
       "the input or given with --crd, and the fixtures hold no HTTPProxy CRD."},
      {"passes when validating duration not in ISO8601",
       "a JSON schema file in kubeconform's layout (fixtures/grafanaalertrulegroup_v1beta1.json); "
       "ktriage reads CRDs, and the fixtures hold no GrafanaAlertRuleGroup CRD."},
      {"Pass when parsing a very large file",
       "fixtures/valid_large.yaml was not copied (4 MiB or more); the benchmark (`make bench`) "
       "covers volume."},
      {"Pass when parsing a very long stream from stdin",
       "fixtures/valid_large.yaml was not copied (4 MiB or more); the benchmark (`make bench`) "
       "covers volume."},
  };
  return kNotCovered;
}

// Runs where ktriage answers differently on purpose, by test name → why.
const std::string kAlwaysStrict =
    "ktriage is always strict: an unknown field or a duplicate key is a finding (the API server "
    "drops the one and keeps the last of the other silently, which is the runbook's \"running "
    "but not working\" case); kubeconform checks them only with -strict.";
const std::map<std::string, std::string>& differences() {
  static const std::map<std::string, std::string> kDifferences = {
      {"Pass when parsing a config with additional properties", kAlwaysStrict},
      {"Pass when parsing a config with duplicate properties and strict NOT set", kAlwaysStrict},
      {"Fail when parsing a config with CRD",
       "ktriage validates a custom resource only against its CRD and, without one, says once "
       "that the object was not validated (as kubeconform's -ignore-missing-schemas); it does "
       "not fail the object."},
  };
  return kDifferences;
}

// Rows that fail today because of a gap in ktriage, by test name → what is missing (none now:
// v1beta1 CRDs' spec.validation schemas are read since the suite found the gap).
const std::map<std::string, std::string>& known_gaps() {
  static const std::map<std::string, std::string> kGaps = {};
  return kGaps;
}

// What one run of ktriage gave: objects, how many have a schema finding, input errors.
struct Outcome {
  std::size_t objects = 0;
  std::set<std::string> invalid;  ///< "Kind/ns/name: rule" per schema finding
  std::set<std::string> invalid_objects;
  int errors = 0;
  bool unvalidated = false;  ///< an object had no schema (a "not validated" note)
  bool fails() const { return !invalid.empty() || errors > 0; }
};

Outcome lint_in_process(const std::string& path, const std::string& version,
                        const std::vector<std::string>& crds) {
  const auto run = testing::lint_with_schemas({path}, version, crds);
  Outcome out;
  if (run->cluster == nullptr) return out;
  out.objects = run->cluster->objects().size();
  for (const Finding* f : run->schema_findings()) {
    out.invalid.insert(f->object.key() + ": " + f->rule);
    out.invalid_objects.insert(f->object.key());
  }
  out.errors = run->input_errors();
  for (const std::string& n : run->diagnosis.input.notes)
    out.unvalidated = out.unvalidated || n.find("not validated") != std::string::npos;
  return out;
}

// The binary on standard input (`ktriage lint -`), its JSON report read back.
Outcome lint_stdin(const std::string& path, const std::string& version) {
  const testing::CommandResult r =
      testing::run_ktriage("lint - --schema-location '" + testing::shared_dir() + "/k8s-openapi/" +
                           version + "' --target-version " + version + " -o json < '" + path + "'");
  Outcome out;
  Arena arena;
  auto errors =
      read_yaml("report.json", r.out, arena, [&](const ParsedDocument& d, const Locator&) {
        out.objects = static_cast<std::size_t>(d.root["input"]["objects"].as_int());
        for (const Value& n : d.root["input"]["notes"].items())
          out.unvalidated =
              out.unvalidated || n.str().find("not validated") != std::string_view::npos;
        for (const Value& i : d.root["input"]["issues"].items())
          out.errors += i["skipped"].as_bool() ? 0 : 1;
        for (const Value& f : d.root["findings"].items()) {
          if (!testing::is_schema_rule(f["rule"].str())) continue;
          const Value& o = f["object"];
          const std::string key =
              std::string(o["kind"].str()) + "/" +
              (o["namespace"].str().empty() ? "" : std::string(o["namespace"].str()) + "/") +
              std::string(o["name"].str());
          out.invalid.insert(key + ": " + std::string(f["rule"].str()));
          out.invalid_objects.insert(key);
        }
      });
  EXPECT_TRUE(errors.empty()) << path << ": " << r.out << r.err;
  return out;
}

// kubeconform's summary line, when the test checks one: "N resources found ... Invalid: b,
// Errors: c" → {N, b, c}; all -1 when there is none.
struct Summary {
  long resources = -1, invalid = -1, errors = -1;
};
Summary summary_of(const Value& e) {
  std::string line(e["output"].str());
  for (const Value& l : e["output_lines_exact"].items()) {
    if (l.str().starts_with("Summary:")) line = std::string(l.str());
  }
  Summary s;
  if (!line.starts_with("Summary:")) return s;
  auto number_after = [&](std::string_view label) {
    const std::size_t at = line.find(label);
    return at == std::string::npos ? -1L : std::stol(line.substr(at + label.size()));
  };
  s.resources = std::stol(line.substr(std::string_view("Summary: ").size()));
  s.invalid = number_after("Invalid: ");
  s.errors = number_after("Errors: ");
  return s;
}

std::string arg_after(const Value& args, std::string_view flag) {
  const auto items = args.items();
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i].str() == flag) return std::string(items[i + 1].str());
  }
  return "";
}

PeerRow judge(std::string_view fixture, const Value& e) {
  PeerRow row;
  row.fixture = std::string(fixture.starts_with("fixtures/") ? fixture.substr(9) : fixture);
  row.check = std::string(e["test"].str());
  const Value& args = e["args"];
  const bool peer_fails = e["exit_code"].as_int() != 0;
  std::string flags;
  for (const Value& a : args.items()) flags += " " + std::string(a.str());
  row.peer_expects = std::string(peer_fails ? "fails" : "passes") +
                     (flags.empty() ? "" : " (" + flags.substr(1) + ")");
  const Summary want = summary_of(e);
  if (want.resources >= 0) {
    row.peer_expects += ": " + std::to_string(want.resources) + " resources, " +
                        std::to_string(want.invalid) + " invalid, " + std::to_string(want.errors) +
                        " errors";
  }
  if (auto n = not_covered().find(row.check); n != not_covered().end()) {
    row.reason = n->second;
    return row;
  }
  // -schema-location on a path that holds no schemas: both refuse to start.
  if (const std::string loc = arg_after(args, "-schema-location"); loc == "foo") {
    std::string error;
    const bool opened = lint::SchemaStore::open(kDir + loc, error) != nullptr;
    if (error.starts_with(kDir)) error.erase(0, kDir.size());  // the same text in every checkout
    row.ktriage_reports = opened ? "opens it" : "refuses the folder: " + error;
    row.result = opened == peer_fails ? PeerResult::kFailed : PeerResult::kPassed;
    EXPECT_FALSE(opened);
    return row;
  }
  // The release: kubeconform's default "master" is the newest schema set here.
  const std::string wanted = arg_after(args, "-kubernetes-version");
  const std::string version = wanted.empty() ? "1.35" : "1.28";
  std::string note = wanted.empty() ? "1.35, the newest here, for kubeconform's master"
                                    : "1.28, the nearest here to " + wanted;
  std::vector<std::string> crds;
  bool registry = false;  // any of the -schema-location values: the last one may be it
  for (const Value& a : args.items())
    registry = registry || a.str().find("registry") != a.str().npos;
  if (registry) {
    crds.push_back(kDir + "fixtures/registry/sagemaker.aws.amazon.com_trainingjobs.yaml");
    note += "; --crd with the CRD the registry's JSON schema was generated from";
  }
  const bool stdin_run = e["stdin"].as_bool();
  const Outcome got = stdin_run ? lint_stdin(kDir + std::string(fixture), version)
                                : lint_in_process(kDir + std::string(fixture), version, crds);
  if (stdin_run) note += "; `ktriage lint -` on standard input";
  row.ktriage_reports = std::string(got.fails() ? "fails" : "passes") + ": " +
                        std::to_string(got.objects) + " objects, " +
                        std::to_string(got.invalid_objects.size()) + " invalid, " +
                        std::to_string(got.errors) + " errors";
  for (const std::string& i : got.invalid) row.ktriage_reports += "; " + i;
  if (got.unvalidated) row.ktriage_reports += "; not validated: no schema for the kind";
  row.ktriage_reports += " (" + note + ")";
  // With a CRD given, the point is validating against it: a pass without a schema is no pass.
  bool agree = got.fails() == peer_fails && !(registry && got.unvalidated);
  if (want.resources >= 0) {
    agree = agree && static_cast<long>(got.objects) == want.resources &&
            static_cast<long>(got.invalid_objects.size()) == want.invalid &&
            got.errors == want.errors;
  }
  row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
  if (auto d = differences().find(row.check); d != differences().end()) {
    row.reason = d->second;
    EXPECT_FALSE(agree) << row.check << " agrees now: take it out of differences()";
  } else if (auto g = known_gaps().find(row.check); g != known_gaps().end()) {
    row.reason = g->second;
    EXPECT_FALSE(agree) << row.check << " agrees now: take it out of known_gaps()";
  } else {
    EXPECT_TRUE(agree) << row.fixture << " / " << row.check << ": kubeconform expects "
                       << row.peer_expects << ", ktriage reports " << row.ktriage_reports
                       << " (a difference without a reason)";
  }
  return row;
}

const std::string kIntro =
    "kubeconform's fixtures (yannh/kubeconform e65429b, Apache-2.0), read from "
    "../shared/peers/kubeconform/expectations.yaml: one row per run of its acceptance suites "
    "(acceptance.bats, acceptance-nonetwork.bats). A run passes when ktriage gives the same "
    "verdict: it fails when lint's schema check reports a finding (lint-unknown-field, "
    "lint-wrong-type, ... and lint-duplicate-key) or the input has an error (an object without "
    "`kind`); where kubeconform prints a summary, the resource, invalid and error counts must "
    "match too. Practice, reference and removed-API findings are not a validator's verdict and "
    "are left out. Schemas: kubeconform's default (master) is matched with 1.35, the newest set "
    "in ../shared/k8s-openapi; its -kubernetes-version 1.20.0 with 1.28, the oldest (each row "
    "says which). Runs about kubeconform's own flags, schema locations and output formats are "
    "not covered, with the reason. The 14 fixtures no kubeconform test uses "
    "(unreferenced_fixtures) have no row. A failed row gives its reason: a difference by design "
    "(ktriage is always strict; a custom resource without its CRD is noted, not failed) or a "
    "gap in ktriage, named as such.\n";

TEST(KubeconformPeerTest, SchemaCheckGivesKubeconformsVerdicts) {
  Arena arena;
  std::vector<PeerRow> rows;
  const std::string text = testing::read_file(kDir + "expectations.yaml");
  auto errors =
      read_yaml("expectations.yaml", text, arena, [&](const ParsedDocument& d, const Locator&) {
        for (const Member& fixture : d.root["fixtures"].members()) {
          for (const Value& e : fixture.value["expect"].items()) {
            if (e.is_object()) rows.push_back(judge(fixture.key, e));  // strings are notes
          }
        }
      });
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  const testing::PeerCounts c = testing::count_rows(rows);
  EXPECT_EQ(rows.size(), 61u);
  EXPECT_EQ(c.passed, 32);
  EXPECT_EQ(c.failed, 3);
  EXPECT_EQ(c.not_covered, 26);
  testing::check_peer_doc("kubeconform",
                          testing::render_peer_doc("kubeconform conformance", kIntro, rows),
                          "KubeconformPeerTest.*");
}

}  // namespace
}  // namespace ktriage
