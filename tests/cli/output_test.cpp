// The -o table (src/cli/output.cpp): every format renders, SARIF carries every lint rule's
// metadata, the binary's -o junit is well-formed XML and its -o yaml is the JSON report.
#include "cli/output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "lint/check.h"
#include "support/test_support.h"
#include "upgrade/rules.h"

namespace ktriage {
namespace {

TEST(OutputTest, SarifRulesAreTheLintAndUpgradeRuleRecords) {
  std::size_t lint_rules = upgrade::upgrade_rules().size();
  for (const lint::LintCheck* check : lint::lint_checks()) lint_rules += check->rules.size();
  const auto log =
      nlohmann::json::parse(render_report(Diagnosis{}, "sarif", false, RuleSet::kLint));
  const auto& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["rules"].size(), lint_rules);
  EXPECT_EQ(driver["name"], "ktriage");
  EXPECT_FALSE(driver["version"].get<std::string>().empty());
  EXPECT_FALSE(driver["informationUri"].get<std::string>().empty());
}

TEST(OutputTest, EveryFormatRenders) {
  for (std::string_view format : output_formats())
    EXPECT_FALSE(render_report(Diagnosis{}, format, false, RuleSet::kAnalyzers).empty()) << format;
}

TEST(OutputTest, LintJunitFromTheBinaryIsWellFormed) {
  const auto r = testing::run_ktriage("lint . --target-version 1.25 -o junit",
                                      testing::source_dir() + "/tests/report/testdata/sarif");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r.out.c_str())) << r.out;
  const pugi::xml_node root = doc.child("testsuites");
  // The five planted faults fail; practice checks add more cases (and failures) of their own.
  EXPECT_GE(root.attribute("failures").as_int(), 5);
  EXPECT_GE(root.attribute("tests").as_int(), root.attribute("failures").as_int());
  EXPECT_TRUE(root.find_child_by_attribute("testsuite", "name", "./odd dir/ingress.json"));
}

TEST(OutputTest, DiagnoseYamlFromTheBinaryHasTheJsonReportsFindings) {
  const std::string dir = testing::source_dir();
  const auto yaml = testing::run_ktriage("diagnose examples/shop-broken -o yaml", dir);
  const auto json = testing::run_ktriage("diagnose examples/shop-broken -o json", dir);
  ASSERT_EQ(yaml.exit_code, json.exit_code) << yaml.err;
  EXPECT_EQ(yaml.out.rfind("schemaVersion: 1\ninput:\n", 0), 0u) << yaml.out.substr(0, 200);
  // One "- id:" per finding, in the JSON report's order (full equality: tests/report/yaml_test).
  const auto findings = nlohmann::json::parse(json.out)["findings"];
  std::size_t at = 0;
  for (const auto& f : findings) {
    const std::string id = f["id"].get<std::string>();
    const std::size_t plain = yaml.out.find("\n- id: " + id + "\n", at);
    at = plain != std::string::npos ? plain : yaml.out.find("\n- id: \"" + id + "\"\n", at);
    ASSERT_NE(at, std::string::npos) << id;
  }
  EXPECT_NE(yaml.out.find("    value: \"137\"\n"), std::string::npos) << "a string stays a string";
}

}  // namespace
}  // namespace ktriage
