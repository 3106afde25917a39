// kubectl-validate's fixtures (../shared/peers/kubectl-validate, kubernetes-sigs/kubectl-validate
// a97ccfa) against lint's schema check. Each document of the manifest test
// (TestValidationErrorsIndividually) is one row: the same valid/invalid verdict, and for an
// invalid one the same causes as "path kind" pairs (paths normalised, validator_paths.h). The
// other expectation records (TestReturnsError, the validator factory, the CRD folders) are rows
// too. Upstream runs with its 1.30 schemas; ktriage runs with 1.33 and re-runs 1.28 and 1.35 to
// show where the release matters. The table is docs/peers/kubectl-validate.md; the counts below
// are exact, so any change in ktriage's answers shows here first.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "load/document.h"
#include "peers/peer_report.h"
#include "peers/schema_lint.h"
#include "peers/validator_paths.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::PeerResult;
using testing::PeerRow;

const std::string kDir = testing::shared_dir() + "/peers/kubectl-validate/";
const std::string kCrds = kDir + "testcases/crds";

const std::string kCel =
    "CEL rules (x-kubernetes-validations) are not implemented in ktriage's schema check: it "
    "would need a CEL interpreter, and the rules are the CRD author's, not the schema's.";
const std::string kStrict =
    "kubectl-validate stops at strict decoding (an unknown field is a decode error, so the schema "
    "is never checked); ktriage reports every problem in one pass, here also the spec.containers "
    "the misspelt key leaves missing, which the API server reports once the key is fixed.";

// Where ktriage answers differently on purpose: "fixture#document" → why.
const std::map<std::string, std::string>& differences() {
  static const std::map<std::string, std::string> kDifferences = {
      {"error_misspelled_key.yaml#0", kStrict},
      {"error_multiple_resources_all_invalid.yaml#0", kStrict},
      {"error_multiple_resources_one_invalid.yaml#0", kStrict},
      {"error_invalid_label.yaml#0",
       "The API server's ValidateLabels reports the whole map (metadata.labels); ktriage names "
       "the key whose value is wrong (metadata.labels[owner]), so the line points at it."},
      {"error_quantity.yaml#0",
       "The \"<nil>\" cause is kube-openapi's oneOf (Quantity is oneOf string|number) echoing the "
       "same fault without a path; ktriage reports the fault once, at the field."},
      {"error_crd_typo.yaml#0",
       "kubectl-validate runs the API server's CRD create logic, which reports the internal "
       "(v1beta1-shaped) path spec.validation.openAPIV3Schema; ktriage reports the path in the "
       "file, spec.versions[0].schema.openAPIV3Schema, where the typo is."},
  };
  return kDifferences;
}
const std::map<std::string, std::string>& not_covered() {
  static const std::map<std::string, std::string> kNotCovered = {
      {"error_cel_basic.yaml#0", kCel},
      {"error_cel_basic_multiple.yaml#0", kCel},
  };
  return kNotCovered;
}

std::string short_name(std::string_view fixture) {
  const std::size_t slash = fixture.rfind('/');
  return std::string(slash == std::string_view::npos ? fixture : fixture.substr(slash + 1));
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// The causes upstream expects for one document, as "path kind" pairs. A 400 (YAML decoding) and
// a 500 (no validator, typed decoding) carry no field error; their message names the fault,
// which is mapped to the path and kind ktriage gives the same fault.
std::set<std::string> peer_causes(const Value& doc) {
  std::set<std::string> out;
  const std::string_view result = doc["result"].str();
  for (const Value& c : doc["causes"].items()) {
    const std::string_view msg = c["message"].str();
    if (result == "invalid") {
      out.insert(testing::normal_path(c["field"].str()) + " " +
                 testing::peer_kind(c["reason"].str(), msg));
    } else if (auto k = msg.find("key \""); result == "undecodable" && k != msg.npos) {
      const std::size_t end = msg.find('"', k + 5);
      out.insert(std::string(msg.substr(k + 5, end - k - 5)) + " DuplicateKey");
    } else if (msg.find("kind ") != msg.npos && msg.find(" not found") != msg.npos) {
      out.insert("kind UnknownKind");
    } else if (auto f = msg.find("ObjectMeta."); f != msg.npos) {
      const std::size_t end = msg.find(' ', f);
      out.insert("metadata." + std::string(msg.substr(f + 11, end - f - 11)) + " TypeInvalid");
    } else {
      out.insert(std::string(msg));
    }
  }
  return out;
}

// One lint run of a manifest file: per object (in file order), its schema causes.
struct FileCauses {
  std::vector<std::set<std::string>> objects;
  int input_errors = 0;
};

FileCauses causes_per_object(const std::string& path, const std::string& version,
                             const std::vector<std::string>& crds) {
  const auto run = testing::lint_with_schemas({path}, version, crds);
  FileCauses out;
  if (run->cluster == nullptr) return out;
  std::vector<std::uint32_t> starts;
  for (const Object& o : run->cluster->objects()) starts.push_back(o.pos.line);
  std::sort(starts.begin(), starts.end());
  out.objects.resize(starts.size());
  for (const Finding* f : run->schema_findings()) {
    const std::uint32_t line = f->evidence.empty() ? 0 : f->evidence.front().line;
    auto it = std::upper_bound(starts.begin(), starts.end(), line);
    const std::size_t i =
        it == starts.begin() ? 0 : static_cast<std::size_t>(it - starts.begin() - 1);
    if (i < out.objects.size()) out.objects[i].insert(testing::our_cause(*f));
  }
  out.input_errors = run->input_errors();
  return out;
}

std::string verdict(const std::set<std::string>& causes) {
  return causes.empty() ? "valid" : "invalid: " + join(causes);
}

// TestValidationErrorsIndividually: one row per document (one for a file with none).
void judge_documents(std::string_view fixture, const Value& e, std::vector<PeerRow>& rows) {
  const std::string file = short_name(fixture);
  const std::string path = kDir + std::string(fixture);
  const FileCauses at133 = causes_per_object(path, "1.33", {kCrds});
  const FileCauses at128 = causes_per_object(path, "1.28", {kCrds});
  const FileCauses at135 = causes_per_object(path, "1.35", {kCrds});
  if (e["documents"].size() == 0) {
    PeerRow row{file, "TestValidationErrorsIndividually", "no document, no status", "", {}, ""};
    row.ktriage_reports = std::to_string(at133.objects.size()) + " objects, " +
                          std::to_string(at133.input_errors) + " input errors";
    const bool agree = at133.objects.empty() && at133.input_errors == 0;
    row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
    EXPECT_TRUE(agree) << file << ": " << row.ktriage_reports;
    rows.push_back(row);
    return;
  }
  std::size_t object = 0;  // documents with an object map to ktriage's objects in file order
  for (const Value& doc : e["documents"].items()) {
    const std::string index = std::to_string(doc["index"].as_int());
    PeerRow row;
    row.fixture = file;
    row.check = "TestValidationErrorsIndividually #" + index;
    const std::set<std::string> expected = peer_causes(doc);
    row.peer_expects = std::string(doc["result"].str());
    if (doc["code"].as_int() != 0)
      row.peer_expects += " (" + std::to_string(doc["code"].as_int()) + ")";
    if (!expected.empty()) row.peer_expects += ": " + join(expected);
    std::set<std::string> got;
    if (doc["object"].is_null()) {
      row.ktriage_reports = "no object (comment-only document)";
    } else if (object < at133.objects.size()) {
      got = at133.objects[object];
      row.ktriage_reports = verdict(got);
      if (object < at128.objects.size() && at128.objects[object] != got)
        row.ktriage_reports += "; at 1.28: " + verdict(at128.objects[object]);
      if (object < at135.objects.size() && at135.objects[object] != got)
        row.ktriage_reports += "; at 1.35: " + verdict(at135.objects[object]);
      ++object;
    } else {
      row.ktriage_reports = "no object for this document";
      got.insert("missing object");
    }
    const bool agree = got == expected;
    const std::string key = file + "#" + index;
    if (auto n = not_covered().find(key); n != not_covered().end()) {
      row.result = PeerResult::kNotCovered;
      row.reason = n->second;
    } else if (auto d = differences().find(key); d != differences().end()) {
      row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
      row.reason = d->second;
      EXPECT_FALSE(agree) << key << " agrees now: take it out of differences()";
    } else {
      row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
      EXPECT_TRUE(agree) << key << ": kubectl-validate expects " << row.peer_expects
                         << ", ktriage reports " << row.ktriage_reports
                         << " (a difference without a reason)";
    }
    rows.push_back(row);
  }
}

// A whole-file verdict: invalid when any schema finding or input error.
PeerRow judge_file(std::string_view fixture, const std::string& check, bool peer_fails,
                   const std::string& version, const std::vector<std::string>& crds,
                   const std::string& note) {
  PeerRow row;
  row.fixture = short_name(fixture);
  row.check = check;
  row.peer_expects = peer_fails ? "fails" : "passes";
  const FileCauses c = causes_per_object(kDir + std::string(fixture), version, crds);
  std::set<std::string> all;
  for (const auto& o : c.objects) all.insert(o.begin(), o.end());
  row.ktriage_reports = verdict(all) + " (" + version + note + ")";
  const bool agree = peer_fails == (!all.empty() || c.input_errors > 0);
  row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
  EXPECT_TRUE(agree) << row.fixture << " " << check << ": " << row.ktriage_reports;
  return row;
}

void judge(std::string_view fixture, const Value& e, std::vector<PeerRow>& rows) {
  const std::string test(e["test"].str());
  // Records with a `role` say how a file serves the records that run: no row of their own.
  if (!e["role"].is_null() && !e["error"].as_bool()) return;
  if (test == "TestValidationErrorsIndividually" && !e["run"].is_null() && !e["run"].as_bool()) {
    rows.push_back({short_name(fixture), test, "not run", "not run", PeerResult::kNotCovered,
                    std::string(e["note"].str())});
  } else if (test == "TestValidationErrorsIndividually") {
    judge_documents(fixture, e, rows);
  } else if (test == "TestReturnsError") {
    rows.push_back(judge_file(fixture, test, e["command_fails"].as_bool(), "1.33", {},
                              ", no CRDs, as upstream's plain run"));
  } else if (test.starts_with("TestValidatorFactory_TestPatcher")) {
    const bool crd = test.find("cronjob_crd") != std::string::npos;
    rows.push_back(
        judge_file(fixture, test, e["schema_errors"].as_int() != 0, crd ? "1.33" : "1.28",
                   crd ? std::vector<std::string>{kDir + "pkg/validator/testdata/crds"}
                       : std::vector<std::string>{},
                   crd ? ", with the testdata CRD" : ", the nearest release to upstream's 1.27"));
  } else if (test.starts_with("Test_localSchemasClient_Paths")) {
    // A schema folder that is a file: both refuse it.
    std::string error;
    const bool opened = lint::SchemaStore::open(kDir + std::string(fixture), error) != nullptr;
    if (error.starts_with(kDir)) error.erase(0, kDir.size());  // the same text in every checkout
    rows.push_back({short_name(fixture), test, "error: not a folder",
                    opened ? "opens it" : "--schema-location refuses it: " + error,
                    opened ? PeerResult::kFailed : PeerResult::kPassed, ""});
    EXPECT_FALSE(opened);
  } else if (test.starts_with("Test_localCRDsClient_Paths")) {
    rows.push_back({short_name(fixture), test, "error: not a folder", "not run",
                    PeerResult::kNotCovered,
                    "ktriage's --crd takes a file or a folder by design, so a file is no error."});
  }
}

// crd_folders: the group-versions and kinds ktriage registers from each CRD folder.
PeerRow judge_crd_folder(std::string_view name, const Value& e) {
  PeerRow row;
  row.fixture = std::string(name);
  row.check = std::string(e["test"].str());
  std::set<std::string> expected;
  for (const Member& gv : e["group_versions"].members()) {
    for (const Value& k : gv.value.items()) {
      // "apis/stable.example.com/v1" → "stable.example.com/v1 Kind"
      expected.insert(std::string(gv.key.substr(5)) + " " + std::string(k.str()));
    }
  }
  std::vector<std::string> folders = {kCrds};
  if (name.find("more-crds") != std::string_view::npos)
    folders.push_back(kDir + "testcases/more-crds");
  auto run = testing::lint_with_schemas({}, "1.33", folders);
  std::set<std::string> got;
  for (const Object* crd : run->crds->of_kind("CustomResourceDefinition")) {
    const Value& spec = crd->spec();
    for (const Value& v : spec["versions"].items()) {
      const std::string gv = std::string(spec["group"].str()) + "/" + std::string(v["name"].str());
      const std::string kind(spec["names"]["kind"].str());
      if (run->store->find(gv, kind)) got.insert(gv + " " + kind);
    }
  }
  row.peer_expects = std::to_string(expected.size()) + " kinds: " + join(expected);
  row.ktriage_reports = std::to_string(got.size()) + " kinds with a schema: " + join(got);
  const bool agree = got == expected;
  row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
  EXPECT_TRUE(agree) << name << ": " << row.ktriage_reports;
  return row;
}

const std::string kIntro =
    "kubectl-validate's fixtures (kubernetes-sigs/kubectl-validate a97ccfa, Apache-2.0), read "
    "from ../shared/peers/kubectl-validate/expectations.yaml. Each document of the manifest test "
    "(TestValidationErrorsIndividually, every CRD of testcases/crds) passes when ktriage gives "
    "the same verdict and, for an invalid one, the same causes as \"path kind\" pairs: paths "
    "without the leading dot and with map keys dotted (`requests[cpu]` is `requests.cpu`), kinds "
    "are the API server's reasons without `FieldValue` (ktriage's rule ↦ kind: lint-wrong-type "
    "and lint-yaml11-scalar TypeInvalid, lint-missing-required Required, lint-unsupported-value "
    "NotSupported, lint-duplicate-item Duplicate, lint-invalid-quantity/-name/-label Invalid, "
    "lint-unknown-field UnknownField for strict decoding's \"value provided for unknown "
    "field\"). A 400 (YAML decoding) maps to lint-duplicate-key on the key, a 500 to the fault "
    "its message names (an unknown kind: lint-unknown-kind; a typed-decoding failure in "
    "ObjectMeta: lint-wrong-type at that field). Practice, reference and removed-API findings "
    "are not a validator's verdict and are left out.\n\n"
    "Schemas: upstream uses its embedded 1.30 documents; ../shared has no 1.30, so ktriage runs "
    "against 1.33 and again against 1.28 and 1.35. A row says \"at 1.28\" or \"at 1.35\" only "
    "where that release answers differently; none does, so the fixtures' verdicts do not hinge "
    "on the release between 1.28 and 1.35, 1.30 included. Upstream also merges a schema patch "
    "(pkg/openapiclient/patches/1.23/api/v1.json: container `image` required, port `protocol` "
    "enum SCTP/TCP/UDP); ktriage needs none: its server-side tables in "
    "src/lint/schema_validate.cpp (kServerRequired, kServerEnums, from the API server's "
    "pkg/apis/core/validation) give the same three causes (error_missing_image, "
    "error_enum_invalid, error_invalid_protocol_type). The command-level expectation "
    "(command_fails) is not compared: `ktriage lint` exits by --fail-on over all its findings, "
    "practice checks included.\n";

TEST(KubectlValidatePeerTest, SchemaCheckGivesKubectlValidatesVerdictsPathsAndKinds) {
  Arena arena;
  std::vector<PeerRow> rows;
  const std::string text = testing::read_file(kDir + "expectations.yaml");
  auto errors =
      read_yaml("expectations.yaml", text, arena, [&](const ParsedDocument& d, const Locator&) {
        for (const Member& fixture : d.root["fixtures"].members()) {
          for (const Value& e : fixture.value["expect"].items()) judge(fixture.key, e, rows);
        }
        for (const Member& folder : d.root["crd_folders"].members())
          rows.push_back(judge_crd_folder(folder.key, folder.value));
      });
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  const testing::PeerCounts c = testing::count_rows(rows);
  EXPECT_EQ(rows.size(), 46u);
  EXPECT_EQ(c.passed, 35);
  EXPECT_EQ(c.failed, 6);
  EXPECT_EQ(c.not_covered, 5);
  testing::check_peer_doc("kubectl-validate",
                          testing::render_peer_doc("kubectl-validate conformance", kIntro, rows),
                          "KubectlValidatePeerTest.*");
}

}  // namespace
}  // namespace ktriage
