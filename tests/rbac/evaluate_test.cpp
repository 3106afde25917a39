// RBAC evaluation, table-driven over tests/rbac/fixtures/policy.yaml: grants through
// ClusterRoleBindings and RoleBindings, RoleBinding to ClusterRole scoped to its namespace,
// aggregated ClusterRoles, subresources and "*/scale", resourceNames, nonResourceURLs, wildcards,
// service-account groups, and what a denial says is closest.
#include "rbac/evaluate.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/test_support.h"

namespace ktriage::rbac {
namespace {

struct Fixture {
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Policy> policy;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    out.cluster = testing::cluster_from_yaml(
        testing::read_file(testing::source_dir() + "/tests/rbac/fixtures/policy.yaml"));
    out.policy = std::make_unique<Policy>(*out.cluster);
    return out;
  }();
  return f;
}

UserInfo user_of(const std::string& who) {
  if (who.starts_with("sa:")) {
    const auto slash = who.find('/');
    return UserInfo::for_service_account(who.substr(3, slash - 3), who.substr(slash + 1));
  }
  if (const auto plus = who.find('+'); plus != std::string::npos)
    return UserInfo::for_user(who.substr(0, plus), {who.substr(plus + 1)});
  return UserInfo::for_user(who);
}

AccessRequest request_of(const std::string& verb, const std::string& resource,
                         const std::string& ns, const std::string& name = "") {
  AccessRequest r;
  r.verb = verb;
  EXPECT_FALSE(parse_resource_arg(resource, r).has_value()) << resource;
  r.ns = ns;
  r.name = name;
  return r;
}

struct Case {
  std::string what;
  std::string who;  ///< "sa:NS/NAME", "USER", "USER+GROUP"
  std::string verb, resource, ns, name;
  bool allowed;
  std::string via;   ///< allowed: "RoleBinding shop/web-pods" (binding_text of the grant)
  std::string role;  ///< allowed: the role whose rule grants it (the aggregated source too)
  std::size_t rule = 0;
  std::string miss;  ///< denied: a phrase the closest near miss contains ("" = no near miss)
};

const Case kCases[] = {
    {"RoleBinding to a ClusterRole grants in its namespace", "sa:shop/web", "list", "pods", "shop",
     "", true, "RoleBinding shop/web-pods", "pod-reader", 0, ""},
    {"... and not in another namespace", "sa:shop/web", "list", "pods", "other", "", false, "", "",
     0, "grants in namespace shop only, not in other"},
    {"... nor at the cluster scope", "sa:shop/web", "list", "pods", "", "", false, "", "", 0,
     "request is at the cluster scope"},
    {"subresource granted by pods/log", "sa:shop/web", "get", "pods/log", "other", "web-0", true,
     "RoleBinding other/web-logs", "log-reader", 0, ""},
    {"pods does not cover pods/log", "sa:shop/web", "get", "pods/log", "shop", "web-0", false, "",
     "", 0, "resource pods/log (the rule has pods)"},
    {"*/scale covers deployments/scale", "ops", "patch", "deployments.apps/scale", "shop", "web",
     true, "ClusterRoleBinding ops-scale", "scaler", 0, ""},
    {"*/scale does not cover the resource itself", "ops", "patch", "deployments.apps", "shop",
     "web", false, "", "", 0, "resource deployments (the rule has */scale)"},
    {"resourceNames: the named object", "anyone", "get", "configmaps", "shop", "app-config", true,
     "ClusterRoleBinding app-config-readers", "named-config", 0, ""},
    {"resourceNames: another object", "anyone", "get", "configmaps", "shop", "db-config", false, "",
     "", 0, "name \"db-config\""},
    {"resourceNames never allow list without a name", "anyone", "list", "configmaps", "shop", "",
     false, "", "", 0, "list names none"},
    {"... and say a list of one object carries its name", "anyone", "watch", "configmaps", "shop",
     "", false, "", "", 0, "field selector metadata.name=NAME, carries its name"},
    {"resourceNames: list of one named object (fieldSelector metadata.name)", "anyone", "list",
     "configmaps", "shop", "app-config", true, "ClusterRoleBinding app-config-readers",
     "named-config", 0, ""},
    {"nonResourceURLs in a Role are never effective", "jane", "get", "/metrics", "", "", false, "",
     "", 0, "nonResourceURLs in a Role (Role shop/url-role) are never effective"},
    {"a RoleBinding never grants a non-resource URL", "ops", "get", "/healthz", "", "", false, "",
     "", 0, "RoleBinding shop/ops-health never grants a non-resource URL"},
    {"nonResourceURL exact", "sa:monitoring/agent", "get", "/healthz", "", "", true,
     "ClusterRoleBinding monitoring-health", "health", 0, ""},
    {"nonResourceURL prefix with *", "sa:monitoring/agent", "get", "/metrics/cadvisor", "", "",
     true, "ClusterRoleBinding monitoring-health", "health", 0, ""},
    {"the prefix /metrics/* does not cover /metrics", "sa:monitoring/agent", "get", "/metrics", "",
     "", false, "", "", 0, "path /metrics"},
    {"nonResourceURL verb", "sa:monitoring/agent", "post", "/healthz", "", "", false, "", "", 0,
     "verb post"},
    {"service-account namespace group", "sa:shop/web", "get", "/healthz", "", "", false, "", "", 0,
     ""},
    {"aggregated ClusterRole with empty rules", "bob", "list", "widgets.example.com", "shop", "",
     true, "ClusterRoleBinding bob-view", "view-widgets", 0, ""},
    {"aggregation does not grant other groups", "bob", "list", "widgets", "shop", "", false, "", "",
     0, "API group \"\""},
    {"wildcards through a group", "carol+admins", "delete", "nodes", "", "n1", true,
     "ClusterRoleBinding admins", "everything", 0, ""},
    {"wildcard nonResourceURLs", "carol+admins", "get", "/anything/at/all", "", "", true,
     "ClusterRoleBinding admins", "everything", 1, ""},
    {"a Role grants get but not list", "jane", "list", "deployments.apps", "shop", "", false, "",
     "", 0, "verb list (the rule has get)"},
    {"a Role grants get", "jane", "get", "deployments.apps", "shop", "web", true,
     "RoleBinding shop/jane-deploys", "deploy-getter", 0, ""},
    {"system:authenticated is implied for users", "jane", "get", "configmaps", "other",
     "app-config", true, "ClusterRoleBinding app-config-readers", "named-config", 0, ""},
    {"same account name in another namespace", "sa:staging/web", "list", "pods", "shop", "", false,
     "", "", 0, "names ServiceAccount web of another namespace"},
    {"only system:authenticated binds this user", "mallory", "list", "secrets", "shop", "", false,
     "", "", 0, "resource secrets"},
    {"system:anonymous is in system:unauthenticated", "system:anonymous", "get", "/livez", "", "",
     true, "ClusterRoleBinding anonymous-info", "public-info", 0, ""},
    {"authenticated users are not in system:unauthenticated", "mallory", "get", "/livez", "", "",
     false, "", "", 0, ""},
    {"every trailing * of a nonResourceURL goes (TrimRight)", "system:anonymous", "get",
     "/openapi/v3", "", "", true, "ClusterRoleBinding anonymous-info", "public-info", 0, ""},
};

class EvaluateTest : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluateTest, AsTheAuthorizer) {
  const Case& c = GetParam();
  const Decision d =
      evaluate(*fixture().policy, user_of(c.who), request_of(c.verb, c.resource, c.ns, c.name));
  ASSERT_EQ(d.allowed, c.allowed) << c.what;
  if (c.allowed) {
    ASSERT_TRUE(d.grant.has_value());
    EXPECT_EQ(binding_text(d.grant->binding), c.via) << c.what;
    EXPECT_EQ(d.grant->rule.source->name, c.role) << c.what;
    EXPECT_EQ(d.grant->rule.index, c.rule) << c.what;
    return;
  }
  EXPECT_FALSE(d.grant.has_value());
  if (c.miss.empty()) {
    EXPECT_TRUE(d.closest.empty()) << c.what << ": " << d.closest[0].misses[0];
    return;
  }
  ASSERT_FALSE(d.closest.empty()) << c.what;
  std::string all;
  for (const NearMiss& n : d.closest) {
    for (const std::string& m : n.misses) all += m + "; ";
  }
  EXPECT_NE(all.find(c.miss), std::string::npos) << c.what << ": " << all;
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return "case" + std::to_string(info.index);
                         });

TEST(EvaluateTest, MissingRoleIsTheAuthorizersReason) {
  const Decision d =
      evaluate(*fixture().policy, UserInfo::for_user("jane"), request_of("delete", "pods", "shop"));
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0], "clusterrole.rbac.authorization.k8s.io \"ghost\" not found");
}

TEST(EvaluateTest, ServiceAccountIdentity) {
  const UserInfo u = UserInfo::for_service_account("shop", "web");
  EXPECT_EQ(u.name, "system:serviceaccount:shop:web");
  EXPECT_TRUE(u.in_group("system:serviceaccounts"));
  EXPECT_TRUE(u.in_group("system:serviceaccounts:shop"));
  EXPECT_TRUE(u.in_group("system:authenticated"));
  EXPECT_TRUE(UserInfo::for_user("system:serviceaccount:a:b").in_group("system:serviceaccounts:a"));
  EXPECT_FALSE(UserInfo::for_user("system:anonymous").in_group("system:authenticated"));
  // The anonymous authenticator's groups, and impersonation's: --as-group system:unauthenticated
  // keeps a named user out of system:authenticated.
  EXPECT_TRUE(UserInfo::for_user("system:anonymous").in_group("system:unauthenticated"));
  EXPECT_FALSE(UserInfo::for_user("jane").in_group("system:unauthenticated"));
  const UserInfo unauth = UserInfo::for_user("jane", {"system:unauthenticated"});
  EXPECT_FALSE(unauth.in_group("system:authenticated"));
}

TEST(EvaluateTest, WhoCanListsEverySubjectWithItsBinding) {
  const auto holders = who_can(*fixture().policy, request_of("list", "pods", "shop"));
  std::string all;
  for (const Holder& h : holders)
    all += h.kind + " " + (h.ns.empty() ? "" : h.ns + "/") + h.name + " via " +
           binding_text(h.binding) + "\n";
  EXPECT_EQ(all,
            "Group admins via ClusterRoleBinding admins\n"
            "ServiceAccount shop/web via RoleBinding shop/web-pods\n");
}

TEST(EvaluateTest, EmptySnapshotDeniesWithoutCrashing) {
  auto cluster =
      testing::cluster_from_yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
  const Policy policy(*cluster);
  EXPECT_TRUE(policy.empty());
  const Decision d = evaluate(policy, UserInfo::for_user("x"), request_of("get", "pods", "a", "p"));
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.closest.empty());
}

TEST(EvaluateTest, MalformedObjectsGrantNothing) {
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n"
      "roleRef: 7\nsubjects: {kind: User}\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, labels: "
      "{a: b}}\n"
      "rules: [{verbs: get}, 3, {apiGroups: [\"\"], resources: [pods], verbs: [get]}]\n"
      "aggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: s, labels: "
      "{a: b}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}\n");
  const Policy policy(*cluster);
  const Decision d = evaluate(policy, UserInfo::for_user("x"), request_of("get", "pods", "a", "p"));
  EXPECT_FALSE(d.allowed);
  // The mutual aggregation of r and s ends, and s gets r's rules (malformed ones kept, inert).
  EXPECT_EQ(policy.cluster_role_rules("s").size(), 3u);
}

}  // namespace
}  // namespace ktriage::rbac
