// The SARIF 2.1.0 writer (src/report/sarif.cpp): structure, escaping, scrubbing, determinism.
// tests/report/sarif_validate.sh runs the SARIF Multitool on the binary's output.
#include "report/sarif.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ktriage {
namespace {

using nlohmann::json;

Evidence at(std::string file, std::uint32_t line, std::uint32_t column, std::string path) {
  Evidence e = Evidence::field("", std::move(path), "v");
  e.file = std::move(file);
  e.line = line;
  e.column = column;
  return e;
}

Diagnosis sample() {
  Diagnosis d;
  d.input.scope = "3 objects checked against Kubernetes 1.25";
  d.input.files_read = 2;
  d.input.objects = 3;
  d.input.suppressed = 1;
  Finding dup;
  dup.id = "lint-duplicate-key:Deployment/shop/web#env:20";
  dup.rule = "lint-duplicate-key";
  dup.catalog = "POD-RUNNING-MANIFEST-DUPLICATE-KEY";
  dup.severity = Severity::kCritical;
  dup.object = {"Deployment", "shop", "web", ""};
  dup.summary = "Deployment web writes `env` twice: password=hunter2 \"q\" \\ <&> \x01 \xff end";
  dup.evidence = {Evidence::note("no file here"), at("k8s/my app.yaml", 17, 9, "env"),
                  at("k8s/my app.yaml", 20, 9, "env")};
  dup.fix = "Write `env` once";
  Finding dep;
  dep.id = "upgrade-deprecated-api:HorizontalPodAutoscaler/shop/web";
  dep.rule = "upgrade-deprecated-api";
  dep.severity = Severity::kWarning;
  dep.object = {"HorizontalPodAutoscaler", "shop", "web", ""};
  dep.summary = "deprecated";
  dep.evidence = {at("/abs/dir/hpa.yaml", 1, 13, ".apiVersion")};
  Finding info;
  info.id = "some-info:Namespace//shop";
  info.rule = "some-info";  // in no rule record
  info.severity = Severity::kInfo;
  info.object = {"Namespace", "", "shop", ""};
  info.summary = "just so";
  d.findings = {dup, dep, info};
  InputIssue issue;
  issue.where.file = "k8s/bad.yaml";
  issue.where.pos = {4, 2};
  issue.message = "YAML: mapping values are not allowed here";
  d.input.issues.push_back(issue);
  return d;
}

const std::vector<RuleMeta> kRules = {
    {"lint-duplicate-key", "A key written twice", "Write the key once", "https://x/dup",
     "POD-RUNNING-MANIFEST-DUPLICATE-KEY", Severity::kCritical},
    {"upgrade-removed-api", "Removed", "Move", "https://x/api", "", Severity::kCritical},
    {"upgrade-deprecated-api", "Deprecated", "Move soon", "https://x/api", "", Severity::kWarning},
};

json render(const Diagnosis& d) {
  return json::parse(render_sarif(d, kRules, SarifTool{"ktriage", "0.1.0", "https://ktriage"}));
}

TEST(SarifTest, OneRunWithTheDriverAndEveryRule) {
  const json log = render(sample());
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "ktriage");
  EXPECT_EQ(driver["version"], "0.1.0");
  EXPECT_EQ(driver["informationUri"], "https://ktriage");
  ASSERT_EQ(driver["rules"].size(), 4u);  // the three records, then the unknown "some-info"
  const json& r0 = driver["rules"][0];
  EXPECT_EQ(r0["id"], "lint-duplicate-key");
  EXPECT_EQ(r0["name"], "LintDuplicateKey");
  EXPECT_EQ(r0["shortDescription"]["text"], "A key written twice.");
  EXPECT_EQ(r0["fullDescription"]["text"], "A key written twice. Fix: Write the key once.");
  EXPECT_EQ(r0["help"]["text"], "Write the key once.");
  EXPECT_EQ(r0["helpUri"], "https://x/dup");
  EXPECT_EQ(r0["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(r0["properties"]["catalog"], "POD-RUNNING-MANIFEST-DUPLICATE-KEY");
  EXPECT_EQ(driver["rules"][2]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(driver["rules"][3]["id"], "some-info");
  EXPECT_EQ(driver["rules"][3]["defaultConfiguration"]["level"], "note");
  EXPECT_EQ(log["runs"][0]["properties"]["suppressed"], 1);
}

TEST(SarifTest, ResultsCarryRuleIndexLevelMessageAndRegion) {
  const json results = render(sample())["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  const json& r = results[0];
  EXPECT_EQ(r["ruleId"], "lint-duplicate-key");
  EXPECT_EQ(r["ruleIndex"], 0);
  EXPECT_EQ(r["level"], "error");
  const std::string text = r["message"]["text"];
  EXPECT_NE(text.find("Fix: Write `env` once."), std::string::npos) << text;
  const json& loc = r["locations"][0];
  EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"], "k8s/my%20app.yaml");
  EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(loc["physicalLocation"]["region"]["startLine"], 17);
  EXPECT_EQ(loc["physicalLocation"]["region"]["startColumn"], 9);
  EXPECT_EQ(loc["logicalLocations"][0]["name"], "web");
  EXPECT_EQ(loc["logicalLocations"][0]["fullyQualifiedName"], "Deployment/shop/web");
  ASSERT_EQ(r["relatedLocations"].size(), 1u);
  EXPECT_EQ(r["relatedLocations"][0]["id"], 1);
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 20);
  EXPECT_EQ(r["partialFingerprints"]["ktriageFindingId/v1"],
            "lint-duplicate-key:Deployment/shop/web#env:20");

  EXPECT_EQ(results[1]["ruleIndex"], 2);
  EXPECT_EQ(results[1]["level"], "warning");
  const json& abs = results[1]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(abs["uri"], "file:///abs/dir/hpa.yaml");
  EXPECT_FALSE(abs.contains("uriBaseId"));

  // No file: only the logical location, for a viewer that shows objects.
  EXPECT_EQ(results[2]["level"], "note");
  EXPECT_EQ(results[2]["ruleIndex"], 3);
  EXPECT_FALSE(results[2]["locations"][0].contains("physicalLocation"));
  EXPECT_EQ(results[2]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "Namespace/shop");
}

TEST(SarifTest, OddCharactersAreEscapedAndSecretsScrubbed) {
  const std::string out =
      render_sarif(sample(), kRules, SarifTool{"ktriage", "0.1.0", "https://ktriage"});
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  EXPECT_NE(out.find("\\u0001"), std::string::npos);  // a control character, JSON-escaped
  const json log = json::parse(out);                  // valid JSON despite the \xff byte
  const std::string text = log["runs"][0]["results"][0]["message"]["text"];
  EXPECT_NE(text.find("password=***"), std::string::npos) << text;
  EXPECT_NE(text.find("\"q\" \\ <&> \x01 \xEF\xBF\xBD end"), std::string::npos) << text;
}

TEST(SarifTest, InputProblemsAreToolNotifications) {
  const json inv = render(sample())["runs"][0]["invocations"][0];
  EXPECT_EQ(inv["executionSuccessful"], true);
  ASSERT_EQ(inv["toolExecutionNotifications"].size(), 1u);
  const json& n = inv["toolExecutionNotifications"][0];
  EXPECT_EQ(n["level"], "warning");
  EXPECT_EQ(n["message"]["text"], "k8s/bad.yaml: YAML: mapping values are not allowed here.");
  EXPECT_EQ(n["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
}

TEST(SarifTest, FilesSkippedByChoiceAreNotesUnreadableOnesErrors) {
  Diagnosis d = sample();
  InputIssue notes;
  notes.where.file = "snap/notes.txt";
  notes.message = "not a Kubernetes object file";
  notes.skipped_file = true;
  InputIssue broken = notes;
  broken.where.file = "snap/pods.json";
  broken.unreadable = true;
  d.input.issues = {notes, broken};
  const json inv = render(d)["runs"][0]["invocations"][0];
  ASSERT_EQ(inv["toolExecutionNotifications"].size(), 2u);
  EXPECT_EQ(inv["toolExecutionNotifications"][0]["level"], "note");
  EXPECT_EQ(inv["toolExecutionNotifications"][1]["level"], "error");
  // A whole file: named in the text and as a location without a region.
  const json& skipped = inv["toolExecutionNotifications"][0];
  EXPECT_EQ(skipped["message"]["text"], "snap/notes.txt: not a Kubernetes object file.");
  EXPECT_EQ(skipped["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "snap/notes.txt");
  EXPECT_FALSE(skipped["locations"][0]["physicalLocation"].contains("region"));
}

TEST(SarifTest, SameInputSameBytes) {
  const SarifTool tool{"ktriage", "0.1.0", "https://ktriage"};
  EXPECT_EQ(render_sarif(sample(), kRules, tool), render_sarif(sample(), kRules, tool));
}

TEST(SarifTest, PathsBecomeUris) {
  EXPECT_EQ(path_to_uri("./k8s/app.yaml"), "k8s/app.yaml");
  EXPECT_EQ(path_to_uri("a b/c#d%e?.yaml"), "a%20b/c%23d%25e%3F.yaml");
  EXPECT_EQ(path_to_uri("C:\\ci\\k8s.yaml"), "file:///C:/ci/k8s.yaml");
  EXPECT_EQ(path_to_uri("<stdin>"), "%3Cstdin%3E");
  EXPECT_EQ(path_to_uri("héllo.yaml"), "h%C3%A9llo.yaml");
}

}  // namespace
}  // namespace ktriage
