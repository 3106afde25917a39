// ClusterRole aggregation as the clusterrole-aggregation controller's fixed point: cycles give
// every member the same union whatever the names, long chains are evaluated in full without
// recursion, each rule is kept once, and selectors that match too much are capped.
#include "rbac/policy.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "rbac/evaluate.h"
#include "support/test_support.h"

namespace ktriage::rbac {
namespace {

std::string cluster_role(const std::string& name, const std::string& label,
                         const std::string& selects, const std::string& rules) {
  std::string out =
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: " + name +
      "\n";
  if (!label.empty()) out += "  labels: {link: \"" + label + "\"}\n";
  if (!selects.empty())
    out +=
        "aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {link: \"" + selects + "\"}\n";
  return out + "rules: " + rules + "\n---\n";
}

std::string binding_to(const std::string& role) {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "
         "b-" +
         role +
         "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: " + role +
         "}\nsubjects:\n- {kind: User, name: u-" + role + "}\n---\n";
}

std::string rule(const std::string& resource) {
  return "[{apiGroups: [\"\"], resources: [" + resource + "], verbs: [get]}]";
}

AccessRequest get(const std::string& resource, const std::string& name = "n",
                  const std::string& ns = "x") {
  AccessRequest r;
  r.verb = "get";
  r.resource = resource;
  r.name = name;
  r.ns = ns;
  return r;
}

// A <-> B aggregate each other; `first` also aggregates C (secrets). The controller's fixed point
// gives A and B the same union (pods, configmaps, secrets), so both users may get secrets, also
// when the role that aggregates C sorts before the other (the order a recursion meets them).
void expect_cycle_shares_one_union(const std::string& first, const std::string& second) {
  const std::string yaml =
      cluster_role(first, "l-" + first, "l-" + second, rule("pods")) +
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: " + first +
      "-x\n  labels: {link: extra}\nrules: " + rule("secrets") + "\n---\n" +
      cluster_role(second, "l-" + second, "l-" + first, rule("configmaps")) + binding_to(first) +
      binding_to(second);
  // `first` needs a second selector for the extra role: rewrite its aggregationRule.
  std::string with_extra = yaml;
  const std::string sel = "  - matchLabels: {link: \"l-" + second + "\"}\n";
  with_extra.replace(with_extra.find(sel), sel.size(), sel + "  - matchLabels: {link: extra}\n");
  auto cluster = testing::cluster_from_yaml(with_extra);
  const Policy policy(*cluster);
  for (const std::string& role : {first, second}) {
    EXPECT_EQ(policy.cluster_role_rules(role).size(), 3u) << role;
    for (const char* resource : {"pods", "configmaps", "secrets"}) {
      EXPECT_TRUE(evaluate(policy, UserInfo::for_user("u-" + role), get(resource)).allowed)
          << role << " " << resource;
    }
  }
  EXPECT_TRUE(policy.problems().empty());
}

TEST(PolicyTest, CycleGivesEveryMemberTheSameUnionInBothNameOrders) {
  expect_cycle_shares_one_union("alpha", "beta");
  expect_cycle_shares_one_union("beta", "alpha");
}

// r0 <- r1 <- ... <- r(N-1): each aggregates the previous one by label, one rule each. The last
// one holds all N rules (each once), one in the middle the rules up to it; no recursion, and the
// chain's unions share storage (the whole test runs in well under a second).
TEST(PolicyTest, LongChainAggregatesEveryLink) {
  constexpr int kN = 5000;
  for (const bool descending : {false, true}) {  // names ascending or descending along the chain
    std::string yaml;
    auto name = [&](int i) { return fmt::format("r{}", descending ? 100000 - i : 100000 + i); };
    for (int i = 0; i < kN; ++i) {
      yaml += cluster_role(
          name(i), fmt::format("c{}", i), i > 0 ? fmt::format("c{}", i - 1) : std::string(),
          fmt::format(
              "[{{apiGroups: [\"\"], resources: [pods], resourceNames: [p{}], verbs: [get]}}]", i));
    }
    yaml += binding_to(name(kN - 1)) + binding_to(name(kN / 2));
    auto cluster = testing::cluster_from_yaml(yaml);
    const Policy policy(*cluster);
    EXPECT_TRUE(policy.problems().empty());
    EXPECT_EQ(policy.cluster_role_rules(name(kN - 1)).size(), static_cast<std::size_t>(kN));
    EXPECT_EQ(policy.cluster_role_rules(name(kN / 2)).size(), static_cast<std::size_t>(kN / 2 + 1));
    EXPECT_EQ(policy.cluster_role_rules(name(0)).size(), 1u);
    AccessRequest r = get("pods", "p0");
    const Decision top = evaluate(policy, UserInfo::for_user("u-" + name(kN - 1)), r);
    ASSERT_TRUE(top.allowed);
    EXPECT_EQ(top.grant->rule.source->name, name(0));
    EXPECT_TRUE(evaluate(policy, UserInfo::for_user("u-" + name(kN / 2)), r).allowed);
    r.name = fmt::format("p{}", kN - 1);
    EXPECT_TRUE(evaluate(policy, UserInfo::for_user("u-" + name(kN - 1)), r).allowed);
    EXPECT_FALSE(evaluate(policy, UserInfo::for_user("u-" + name(kN / 2)), r).allowed);
    // roles_allowing answers from the shared storage: every role from the link up.
    r.name = fmt::format("p{}", kN - 3);
    EXPECT_EQ(policy.roles_allowing("", r).size(), 3u);
  }
}

// Two aggregated roles with the same rule (members in another order) and an aggregated role's
// own copy of it: the union holds it once.
TEST(PolicyTest, UnionKeepsEachRuleOnce) {
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\n"
      "aggregationRule: {clusterRoleSelectors: [{matchLabels: {to: agg}}]}\n"
      "rules: [{verbs: [get], resources: [pods], apiGroups: [\"\"]}]\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
      "metadata: {name: a, labels: {to: agg}}\n"
      "rules: [{apiGroups: [\"\"], resources: [pods], verbs: [get]}, "
      "{apiGroups: [\"\"], resources: [pods], verbs: [list]}]\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
      "metadata: {name: b, labels: {to: agg}}\n"
      "rules: [{resources: [pods], apiGroups: [\"\"], verbs: [get]}, "
      "{apiGroups: [\"\"], resources: [pods], verbs: [list, get]}]\n");
  const Policy policy(*cluster);
  const auto rules = policy.cluster_role_rules("agg");
  ASSERT_EQ(rules.size(), 3u);  // get, list, "list, get" (a different rule)
  EXPECT_EQ(rules[0].source->name, "a");
  EXPECT_EQ(rules[2].source->name, "b");
  EXPECT_EQ(rules[2].index, 1u);
}

// Every role selects every role ({} matches everything): quadratic selector tests, so the work
// stops at the cap, says so, and the answer is still given.
TEST(PolicyTest, SelectorsMatchingEverythingAreCapped) {
  std::string yaml;
  constexpr int kN = 2100;  // 2100 x 2099 tests > kMaxSelectorChecks
  static_assert(static_cast<std::size_t>(kN) * (kN - 1) > Policy::kMaxSelectorChecks);
  for (int i = 0; i < kN; ++i) {
    yaml += fmt::format(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: r{}}}\n"
        "aggregationRule: {{clusterRoleSelectors: [{{}}]}}\nrules: [{{apiGroups: [\"\"], "
        "resources: [pods], resourceNames: [p{}], verbs: [get]}}]\n---\n",
        10000 + i, i);
  }
  yaml += binding_to("r10000");
  auto cluster = testing::cluster_from_yaml(yaml);
  const Policy policy(*cluster);
  ASSERT_EQ(policy.problems().size(), 1u);
  EXPECT_NE(policy.problems()[0].find("selector tests"), std::string::npos) << policy.problems()[0];
  // Whatever was matched before the cap is aggregated: r10000 reaches every role.
  const AccessRequest r = get("pods", fmt::format("p{}", kN - 1));
  EXPECT_TRUE(evaluate(policy, UserInfo::for_user("u-r10000"), r).allowed);
}

}  // namespace
}  // namespace ktriage::rbac
