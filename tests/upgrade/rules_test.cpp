// upgrade-check's rule records (src/upgrade/rules.cpp): well-formed, one per rule id the checks
// report, each named by a test of tests/upgrade/.
#include "upgrade/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "support/test_support.h"

namespace ktriage::upgrade {
namespace {

namespace fs = std::filesystem;

std::string files_under(const std::string& dir, std::string_view except) {
  std::string all;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".cpp" && e.path().filename() != except)
      all += testing::read_file(e.path().string());
  }
  return all;
}

TEST(UpgradeRulesTest, RecordsAreWellFormedAndEachHasATest) {
  const std::string tests = files_under(testing::source_dir() + "/tests/upgrade", "rules_test.cpp");
  const std::regex kebab("^upgrade(-[a-z0-9]+)+$");
  std::set<std::string_view> seen;
  for (const UpgradeRule& r : upgrade_rules()) {
    EXPECT_TRUE(seen.insert(r.id).second) << "duplicate rule id " << r.id;
    EXPECT_TRUE(std::regex_match(std::string(r.id), kebab)) << r.id;
    EXPECT_FALSE(r.catalog.empty()) << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.fix.empty()) << r.id;
    EXPECT_EQ(&upgrade_rule(r.id), &r);
    EXPECT_NE(tests.find("\"" + std::string(r.id) + "\""), std::string::npos)
        << r.id << " has no test naming it";
  }
}

// Every "upgrade-..." id the checks' sources write has a record (or is one of lint's API rules),
// so `ktriage rules` and docs/rules.md list each rule a report can carry.
TEST(UpgradeRulesTest, EveryRuleIdInTheSourcesHasARecord) {
  const std::string sources = files_under(testing::source_dir() + "/src/upgrade", "rules.cpp");
  const std::regex literal("\"(upgrade-[a-z0-9-]+)\"");
  std::set<std::string> ids;
  for (std::sregex_iterator it(sources.begin(), sources.end(), literal), end; it != end; ++it)
    ids.insert((*it)[1].str());
  ASSERT_GE(ids.size(), 9u);
  for (const std::string& id : ids) {
    if (id == "upgrade-removed-api" || id == "upgrade-deprecated-api") continue;  // lint's records
    const bool recorded = std::any_of(upgrade_rules().begin(), upgrade_rules().end(),
                                      [&](const UpgradeRule& r) { return r.id == id; });
    EXPECT_TRUE(recorded) << id << " has no record in src/upgrade/rules.cpp";
  }
}

}  // namespace
}  // namespace ktriage::upgrade
