// Suppression (src/lint/suppress.cpp): the ktriage.io/ignore annotation, .ktriage.yaml ignores by
// rule and by rule and path glob, and bad config files reported at file:line:col.
#include "lint/suppress.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "lint/lint.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::cluster_from;
using testing::with_rule;

std::string cronjob(std::string_view name, std::string_view annotation = {}) {
  std::string out = fmt::format(
      "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: {}\n  namespace: shop\n", name);
  if (!annotation.empty())
    out += fmt::format("  annotations:\n    ktriage.io/ignore: \"{}\"\n", annotation);
  // With a NetworkPolicy selecting its pods, so the practice checks have nothing to say and the
  // removed API is the one finding to suppress.
  return out + fmt::format(
                   "spec: {{schedule: \"0 1 * * *\"}}\n---\napiVersion: networking.k8s.io/v1\n"
                   "kind: NetworkPolicy\nmetadata: {{name: all-{}, namespace: shop}}\nspec: "
                   "{{podSelector: {{}}, policyTypes: [Ingress, Egress], ingress: [{{}}], egress: "
                   "[{{}}]}}\n",
                   name);
}

// batch/v1beta1 is removed at 1.25: one upgrade-removed-api finding per CronJob.
std::vector<std::string> flagged(const Diagnosis& d) {
  std::vector<std::string> names;
  for (const Finding& f : d.findings) names.push_back(f.rule + " " + f.object.name);
  return names;
}

TEST(SuppressTest, AnnotationDropsTheNamedRulesOnItsObjectOnly) {
  auto cluster =
      cluster_from({{"k8s/a.yaml", cronjob("named", "upgrade-removed-api") + "---\n" +
                                       cronjob("other-rule", "lint-duplicate-key") + "---\n" +
                                       cronjob("listed", " x-y , upgrade-removed-api") + "---\n" +
                                       cronjob("star", "*") + "---\n" + cronjob("all", "all") +
                                       "---\n" + cronjob("plain")}});
  const Diagnosis d = lint(*cluster, 25);
  EXPECT_EQ(flagged(d), (std::vector<std::string>{"upgrade-removed-api other-rule",
                                                  "upgrade-removed-api plain"}));
  EXPECT_EQ(d.input.suppressed, 4u);
}

TEST(SuppressTest, ConfigByRule) {
  auto config = parse_suppress_config(".ktriage.yaml", "ignore:\n  - rule: upgrade-removed-api\n");
  ASSERT_TRUE(config) << config.error();
  auto cluster = cluster_from({{"k8s/a.yaml", cronjob("a")},
                               {"k8s/hpa.yaml",
                                "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
                                "metadata: {name: h, namespace: shop}\n"}});
  const Diagnosis d = lint(*cluster, 25, nullptr, *config);
  EXPECT_EQ(flagged(d), (std::vector<std::string>{"upgrade-deprecated-api h"}));
  EXPECT_EQ(d.input.suppressed, 1u);
}

TEST(SuppressTest, ConfigByRuleAndPathGlob) {
  auto config = parse_suppress_config(".ktriage.yaml",
                                      "ignore:\n"
                                      "  - rule: upgrade-removed-api\n"
                                      "    paths: [\"legacy/**\", \"*.json\"]\n"
                                      "  - rule: lint-duplicate-key\n"
                                      "    paths: [k8s/**]\n");
  ASSERT_TRUE(config) << config.error();
  ASSERT_EQ(config->ignore.size(), 2u);
  EXPECT_EQ(config->ignore[0].paths, (std::vector<std::string>{"legacy/**", "*.json"}));
  auto cluster = cluster_from({{"legacy/old/a.yaml", cronjob("in-legacy")},
                               {"repo/legacy/b.yaml", cronjob("nested-legacy")},
                               {"k8s/c.yaml", cronjob("in-k8s")}});
  const Diagnosis d = lint(*cluster, 25, nullptr, *config);
  EXPECT_EQ(flagged(d), (std::vector<std::string>{"upgrade-removed-api in-k8s"}));
  EXPECT_EQ(d.input.suppressed, 2u);
}

TEST(SuppressTest, PathGlobs) {
  EXPECT_TRUE(path_matches("legacy/**", "legacy/a.yaml"));
  EXPECT_TRUE(path_matches("legacy/**", "./legacy/x/y/a.yaml"));
  EXPECT_TRUE(path_matches("legacy/**", "k8s/legacy/a.yaml"));    // any tail after a '/'
  EXPECT_FALSE(path_matches("/legacy/**", "k8s/legacy/a.yaml"));  // anchored
  EXPECT_TRUE(path_matches("/legacy/**", "legacy/a.yaml"));
  EXPECT_FALSE(path_matches("legacy/**", "legacyx/a.yaml"));
  EXPECT_TRUE(path_matches("*.json", "dir/a.json"));
  EXPECT_FALSE(path_matches("k8s/*.yaml", "k8s/sub/a.yaml"));  // * stays in one segment
  EXPECT_TRUE(path_matches("k8s/**/a.yaml", "k8s/a.yaml"));
  EXPECT_TRUE(path_matches("k8s/**/a.yaml", "k8s/x/y/a.yaml"));
  EXPECT_TRUE(path_matches("k8s/?.yaml", "k8s/a.yaml"));
  EXPECT_FALSE(path_matches("k8s/?.yaml", "k8s/ab.yaml"));
}

TEST(SuppressTest, BadConfigIsAnErrorAtFileLineColumn) {
  const std::pair<const char*, const char*> cases[] = {
      {"ignore:\n  - rule: lint-duplicate-kee\n",
       "c.yaml:2:11: `lint-duplicate-kee` is not a lint rule id"},
      {"ignores:\n  - rule: x\n", "c.yaml:1:1: unknown key `ignores` (only `ignore:` is known)"},
      {"ignore:\n  rule: x\n", "c.yaml:2:3: `ignore` must be a list of entries"},
      {"ignore:\n  - upgrade-removed-api\n",
       "c.yaml:2:5: an ignore entry must be a mapping (rule:, paths:)"},
      {"ignore:\n  - rule: upgrade-removed-api\n    path: [a]\n",
       "c.yaml:3:5: unknown key `path` in an ignore entry (rule, paths)"},
      {"ignore:\n  - rule: upgrade-removed-api\n    paths: legacy/**\n",
       "c.yaml:3:12: `paths` must be a list of globs"},
      {"ignore:\n  - paths: [a, 3]\n",
       "c.yaml:2:16: each of `paths` must be a non-empty string (a glob)"},
      {"ignore:\n  - rule: [a]\n", "c.yaml:2:12: `rule` must be a string (a rule id or *)"},
      {"ignore:\n  - {}\n", "c.yaml:1:1: an ignore entry needs `rule`, `paths` or both"},
      {"- a\n", "c.yaml:1:3: the file must be a mapping with an `ignore:` list"},
  };
  for (const auto& [text, error] : cases) {
    auto config = parse_suppress_config("c.yaml", text);
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error(), error) << text;
  }
  // YAML syntax: the parser's words, with the place.
  auto syntax = parse_suppress_config("c.yaml", "ignore:\n  - rule: [a\n");
  ASSERT_FALSE(syntax);
  EXPECT_TRUE(syntax.error().starts_with("c.yaml:")) << syntax.error();
  EXPECT_TRUE(parse_suppress_config("c.yaml", ""));  // empty: nothing ignored
  EXPECT_TRUE(parse_suppress_config("c.yaml", "ignore:\n  - rule: '*'\n    paths: [vendor/**]\n"));
}

TEST(SuppressTest, TheCliReadsDotKtriageYamlOrConfigAndSaysHowManyWereSuppressed) {
  const std::string dir = ::testing::TempDir() + "/ktriage-suppress-cli";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/legacy");
  std::ofstream(dir + "/legacy/a.yaml") << cronjob("old");
  std::ofstream(dir + "/b.yaml") << cronjob("new");
  std::ofstream(dir + "/.ktriage.yaml")
      << "ignore:\n  - rule: upgrade-removed-api\n    paths: [legacy/**]\n";
  std::ofstream(dir + "/bad.yaml") << "ignore:\n  - rule: nope\n";
  auto r = testing::run_ktriage("lint . --target-version 1.25", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("1 finding suppressed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("CronJob old"), std::string::npos) << r.out;
  r = testing::run_ktriage("lint b.yaml --config bad.yaml", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ktriage: bad.yaml:2:11: `nope` is not a lint rule id\n");
  r = testing::run_ktriage("lint b.yaml -o json --target-version 1.25 --config .ktriage.yaml", dir);
  EXPECT_EQ(r.out.find("\"suppressed\""), std::string::npos) << "absent when 0";
}

}  // namespace
}  // namespace ktriage::lint
