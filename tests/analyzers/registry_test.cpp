// Every rule record is well-formed (STYLE.md practice 3) and the registry lists every analyzer
// file (practice 4).
#include "analyzers/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <set>

#include "analyzers/common/catalog_gaps.h"
#include "correlate/correlate.h"
#include "load/source.h"
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
  const std::vector<std::string_view> expected_first = {"services"};
  for (std::size_t k = 0; k < expected_first.size(); ++k) {
    EXPECT_EQ(analyzers[order[k]].name, expected_first[k]);
  }
  // The rest keep registry order.
  for (std::size_t k = expected_first.size() + 1; k < order.size(); ++k) {
    EXPECT_LT(order[k - 1], order[k]);
  }
}

// One sweep for every pod pass on one thread; on more, scheduling sweeps alone beside the rest.
TEST(RegistryTest, SweepGroupsCoverEveryPodPassOnce) {
  const auto analyzers = all_analyzers();
  std::vector<std::size_t> with_pass;
  for (std::size_t i = 0; i < analyzers.size(); ++i) {
    if (analyzers[i].pod_pass != nullptr) with_pass.push_back(i);
  }
  ASSERT_GE(with_pass.size(), 2u);
  // A pass replaces run: with both, the sweep and run would fill one analyzer's findings at once.
  for (const AnalyzerDef& a : analyzers) {
    EXPECT_FALSE(a.run != nullptr && a.pod_pass != nullptr) << a.name;
  }
  const auto one = sweep_groups(analyzers, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], with_pass);
  const auto two = sweep_groups(analyzers, 2);
  ASSERT_EQ(two.size(), 2u);
  ASSERT_EQ(two[0].size(), 1u);
  EXPECT_EQ(analyzers[two[0][0]].name, "scheduling");
  std::vector<std::size_t> all = two[0];
  all.insert(all.end(), two[1].begin(), two[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, with_pass);
  EXPECT_TRUE(std::is_sorted(two[1].begin(), two[1].end()));
}

// Records what a pass is handed, in one log shared by several passes.
class RecordingPass final : public PodPass {
 public:
  RecordingPass(std::string name, std::vector<std::string>& log)
      : name_(std::move(name)), log_(log) {}
  void pod(const Object& pod, FindingSink& /*sink*/) override {
    log_.push_back(name_ + ":" + std::string(pod.name));
    // Takes at least a microsecond, so that the sweep's timing has something to add up.
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::microseconds(1)) {
    }
  }
  void finish(FindingSink& /*sink*/) override { log_.push_back(name_ + ":finish"); }

 private:
  std::string name_;
  std::vector<std::string>& log_;
};

TEST(RegistryTest, SweepHandsEachPodToEveryPassInTurnThenFinishesEach) {
  const auto cluster = testing::cluster_from_yaml(R"(
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: default}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: default}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: default}
)");
  std::vector<std::string> log;
  std::vector<std::unique_ptr<PodPass>> passes;
  passes.push_back(std::make_unique<RecordingPass>("first", log));
  passes.push_back(std::make_unique<RecordingPass>("second", log));
  std::vector<Finding> out_first, out_second;
  std::vector<std::unique_ptr<FindingSink>> sinks;
  sinks.push_back(std::make_unique<FindingSink>(out_first));
  sinks.push_back(std::make_unique<FindingSink>(out_second));
  std::vector<double> seconds(2, 1.0);
  sweep_pods(*cluster, passes, sinks, &seconds);
  // Pods only (not the Node or the Service), each once per pass, one Pod at a time.
  EXPECT_EQ(log, (std::vector<std::string>{"first:a", "second:a", "first:b", "second:b",
                                           "first:finish", "second:finish"}));
  // Added to what was there: two pods of at least a microsecond each.
  for (double s : seconds) EXPECT_GE(s, 1.0 + 2e-6);
}

TEST(RegistryTest, SweepOfAClusterWithoutPodsOnlyFinishes) {
  const auto cluster =
      testing::cluster_from_yaml("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n");
  std::vector<std::string> log;
  std::vector<std::unique_ptr<PodPass>> passes;
  passes.push_back(std::make_unique<RecordingPass>("only", log));
  std::vector<Finding> out;
  std::vector<std::unique_ptr<FindingSink>> sinks;
  sinks.push_back(std::make_unique<FindingSink>(out));
  sweep_pods(*cluster, passes, sinks);
  EXPECT_EQ(log, (std::vector<std::string>{"only:finish"}));
}

// The analyzers with a pod pass run in one sweep on one thread, the others beside it: the
// findings and their order must not depend on the number of threads.
TEST(RegistryTest, FindingsDoNotDependOnTheNumberOfThreads) {
  for (const std::string example : {"shop-broken", "node-failure", "storage-failure"}) {
    SCOPED_TRACE(example);
    const auto cluster = Cluster::build(
        load_sources(std::vector<std::string>{testing::source_dir() + "/examples/" + example}));
    const AnalysisContext ctx{*cluster, cluster->now()};
    // Each finding whole: id, summary, fix and every piece of evidence.
    auto ids = [&](unsigned threads) {
      std::vector<std::string> out;
      for (const Finding& f : run_analyzers(ctx, threads)) {
        std::string all = f.id + "|" + f.summary + "|" + f.fix;
        for (const Evidence& e : f.evidence) all += "|" + e.object + e.path + e.value + e.reason;
        out.push_back(std::move(all));
      }
      return out;
    };
    const std::vector<std::string> one = ids(1);
    EXPECT_GT(one.size(), 3u);
    EXPECT_EQ(ids(2), one);
    EXPECT_EQ(ids(3), one);
  }
}

}  // namespace
}  // namespace ktriage
