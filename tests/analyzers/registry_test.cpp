// Every rule record is well-formed (STYLE.md practice 3) and the registry lists every analyzer
// file (practice 4).
#include "analyzers/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "analyzers/common/catalog_gaps.h"
#include "correlate/correlate.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

std::set<std::string> catalog_ids() {
  std::set<std::string> ids;
  std::string text = testing::read_file(testing::shared_dir() + "/knowledge/fault-catalog.md");
  std::size_t pos = 0;
  while ((pos = text.find("\n### ", pos)) != std::string::npos) {
    pos += 5;
    std::size_t end = text.find('\n', pos);
    ids.insert(text.substr(pos, end - pos));
  }
  return ids;
}

std::string all_test_sources() {
  std::string all;
  for (const auto& e :
       fs::recursive_directory_iterator(testing::source_dir() + "/tests/analyzers")) {
    if (e.path().extension() == ".cpp") all += testing::read_file(e.path().string());
  }
  return all;
}

TEST(RegistryTest, RuleIdsAreUniqueKebabCaseWithKnownCatalogIdsAndTests) {
  const auto catalog = catalog_ids();
  ASSERT_GT(catalog.size(), 100u) << "fault catalog not found under ../shared";
  const std::string tests = all_test_sources();
  const std::regex kebab("^[a-z0-9]+(-[a-z0-9]+)*$");
  std::set<std::string> seen;
  for (const RuleEntry& e : all_rules()) {
    const std::string id(e.rule->id);
    EXPECT_TRUE(seen.insert(id).second) << "duplicate rule id " << id;
    EXPECT_TRUE(std::regex_match(id, kebab)) << id;
    EXPECT_FALSE(e.rule->title.empty()) << id;
    EXPECT_FALSE(e.rule->fix.empty()) << id;
    // Grouped events take the catalog id per reason; a rule for a fault the catalog does not
    // list has none (docs/rules.md says so).
    if (!e.rule->catalog.empty()) {
      EXPECT_TRUE(catalog.count(std::string(e.rule->catalog)) > 0)
          << id << ": catalog id " << e.rule->catalog << " not in the fault catalog";
    }
    // A rule without a test is not done: its id must appear in tests/analyzers/.
    EXPECT_NE(tests.find("\"" + id + "\""), std::string::npos) << id << " has no test naming it";
  }
  for (const CorrelationRule& c : correlation_rules()) {
    EXPECT_TRUE(catalog.count(std::string(c.catalog)) > 0) << c.id;
  }
}

TEST(RegistryTest, EveryCatalogEntryIsImplementedOrListedWithAReason) {
  const auto catalog = catalog_ids();
  ASSERT_GT(catalog.size(), 100u) << "fault catalog not found under ../shared";
  std::set<std::string> implemented;
  for (const RuleEntry& e : all_rules()) implemented.insert(std::string(e.rule->catalog));
  for (const CorrelationRule& c : correlation_rules()) implemented.insert(std::string(c.catalog));
  std::set<std::string> gaps;
  for (const CatalogGap& g : catalog_gaps()) {
    const std::string id(g.catalog);
    EXPECT_TRUE(gaps.insert(id).second) << id << " is listed twice";
    EXPECT_TRUE(catalog.count(id) > 0) << id << " is not in the fault catalog";
    EXPECT_EQ(implemented.count(id), 0u)
        << id << " has a rule now: take it out of catalog_gaps.cpp";
    EXPECT_FALSE(g.reason.empty()) << id;
  }
  for (const std::string& id : catalog) {
    EXPECT_TRUE(implemented.count(id) > 0 || gaps.count(id) > 0)
        << id << " has no rule and no reason in src/analyzers/common/catalog_gaps.cpp";
  }
}

TEST(RegistryTest, EveryAnalyzerFileIsRegistered) {
  std::set<std::string> registered;
  for (const AnalyzerDef& a : all_analyzers()) registered.insert(std::string(a.name));
  for (const auto& e : fs::directory_iterator(testing::source_dir() + "/src/analyzers")) {
    std::string stem = e.path().stem().string();
    if (e.path().extension() != ".cpp" || stem == "registry" || stem == "analyzer") continue;
    EXPECT_TRUE(registered.count(stem) > 0)
        << "src/analyzers/" << stem << ".cpp is not in registry.cpp";
    EXPECT_TRUE(fs::exists(testing::source_dir() + "/tests/analyzers/" + stem + "_test.cpp"))
        << "src/analyzers/" << stem << ".cpp has no tests/analyzers/" << stem << "_test.cpp";
  }
}

TEST(RegistryTest, DispatchStartsWithTheSlowestAndRunsEveryAnalyzerOnce) {
  const auto analyzers = all_analyzers();
  const std::vector<std::size_t> order = dispatch_order(analyzers);
  ASSERT_EQ(order.size(), analyzers.size());
  std::vector<std::size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
  // Every name in the slowest-first list is a registered analyzer: a misspelt one would fall to
  // registry order without a word.
  const std::vector<std::string_view> expected_first = {
      "scheduling", "services", "readiness", "images", "container_config", "crashes"};
  for (std::size_t k = 0; k < expected_first.size(); ++k) {
    EXPECT_EQ(analyzers[order[k]].name, expected_first[k]);
  }
  // The rest keep registry order.
  for (std::size_t k = expected_first.size() + 1; k < order.size(); ++k) {
    EXPECT_LT(order[k - 1], order[k]);
  }
}

}  // namespace
}  // namespace ktriage
