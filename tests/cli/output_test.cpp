// The -o table (src/cli/output.cpp): every format renders, SARIF carries every lint rule's
// metadata, and the binary's -o junit is well-formed XML.
#include "cli/output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "lint/check.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

TEST(OutputTest, SarifRulesAreTheLintRuleRecords) {
  std::size_t lint_rules = 0;
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

}  // namespace
}  // namespace ktriage
