// Every lint rule record is well-formed (STYLE.md practice 3): unique kebab-case ids, a title
// and a fix, a catalog id the fault catalog has (or none), and a test in tests/lint/ naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "lint/check.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

namespace fs = std::filesystem;

std::set<std::string> catalog_ids() {
  std::set<std::string> ids;
  const std::string text = ::ktriage::testing::read_file(::ktriage::testing::shared_dir() +
                                                         "/knowledge/fault-catalog.md");
  std::size_t pos = 0;
  while ((pos = text.find("\n### ", pos)) != std::string::npos) {
    pos += 5;
    const std::size_t end = text.find('\n', pos);
    ids.insert(text.substr(pos, end - pos));
  }
  return ids;
}

TEST(LintRegistryTest, RuleRecordsAreWellFormedAndTested) {
  const auto catalog = catalog_ids();
  ASSERT_GT(catalog.size(), 100u) << "fault catalog not found under ../shared";
  std::string tests;
  // The upgrade rules lint shares are tested with upgrade-check.
  for (const char* dir : {"/tests/lint", "/tests/upgrade"}) {
    for (const auto& e : fs::directory_iterator(::ktriage::testing::source_dir() + dir)) {
      if (e.path().extension() == ".cpp" && e.path().filename() != "registry_test.cpp")
        tests += ::ktriage::testing::read_file(e.path().string());
    }
  }
  const std::regex kebab("^[a-z0-9]+(-[a-z0-9]+)*$");
  std::set<std::string_view> ids;
  std::set<std::string_view> names;
  for (const LintCheck* check : lint_checks()) {
    EXPECT_TRUE(names.insert(check->name).second) << "check listed twice: " << check->name;
    ASSERT_NE(check->run, nullptr) << check->name;
    for (const LintRule& rule : check->rules) {
      const std::string id(rule.id);
      EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate rule id " << id;
      EXPECT_TRUE(std::regex_match(id, kebab)) << id;
      EXPECT_FALSE(rule.title.empty()) << id;
      EXPECT_FALSE(rule.fix.empty()) << id;
      if (!rule.catalog.empty()) {
        EXPECT_EQ(catalog.count(std::string(rule.catalog)), 1u)
            << id << ": " << rule.catalog << " is not in the fault catalog";
      }
      EXPECT_NE(tests.find("\"" + id + "\""), std::string::npos) << id << " has no test";
    }
  }
}

}  // namespace
}  // namespace ktriage::lint
