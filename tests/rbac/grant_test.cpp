// The smallest Role/ClusterRole and binding for a refused request, as YAML.
#include "rbac/grant.h"

#include <gtest/gtest.h>

#include "model/cluster.h"
#include "rbac/evaluate.h"
#include "support/test_support.h"

namespace ktriage::rbac {
namespace {

AccessRequest req(std::string verb, std::string resource, std::string ns, std::string name = "") {
  AccessRequest r;
  r.verb = std::move(verb);
  EXPECT_FALSE(parse_resource_arg(resource, r).has_value());
  r.ns = std::move(ns);
  r.name = std::move(name);
  return r;
}

TEST(GrantTest, NamespacedRequestGetsRoleAndRoleBindingForTheServiceAccount) {
  const std::string yaml =
      grant_yaml(req("list", "pods", "shop"), "system:serviceaccount:shop:web");
  EXPECT_EQ(yaml,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: web-pods\n"
            "  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n"
            "  verbs: [\"list\", \"watch\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: RoleBinding\nmetadata:\n  name: web-pods\n  namespace: shop\nroleRef:\n"
            "  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: web-pods\nsubjects:\n"
            "- kind: ServiceAccount\n  name: web\n  namespace: shop\n");
}

TEST(GrantTest, ClusterScopeAndNonResourceGetClusterRoles) {
  const std::string nodes = grant_yaml(req("list", "nodes", ""), "system:serviceaccount:mon:agent");
  EXPECT_NE(nodes.find("kind: ClusterRole\n"), std::string::npos);
  EXPECT_NE(nodes.find("kind: ClusterRoleBinding\n"), std::string::npos);
  EXPECT_EQ(nodes.find("namespace: mon\nroleRef"), std::string::npos);
  const std::string path = grant_yaml(req("get", "/metrics", ""), "jane");
  EXPECT_NE(path.find("- nonResourceURLs: [\"/metrics\"]\n  verbs: [\"get\"]\n"),
            std::string::npos);
  EXPECT_NE(path.find("kind: User\n  name: \"jane\"\n"), std::string::npos);
}

TEST(GrantTest, NamedSubresourceRequestIsLimitedToTheObject) {
  const std::string yaml = grant_yaml(req("create", "pods/exec", "shop", "web-0"), "x");
  EXPECT_NE(yaml.find("resources: [\"pods/exec\"]\n  resourceNames: [\"web-0\"]\n  verbs: "
                      "[\"create\"]"),
            std::string::npos);
  EXPECT_EQ(grant_name(req("get", "deployments.apps", "a"), "Jane@Example.com"),
            "jane-example-com-deployments");
}

// What grant_yaml writes, applied to the snapshot, grants the request: the fix is right.
TEST(GrantTest, TheGrantAllowsTheRequest) {
  for (const AccessRequest& r :
       {req("list", "pods", "shop"), req("watch", "nodes", ""),
        req("get", "pods/log", "shop", "web-0"), req("get", "/metrics/x", ""),
        req("patch", "deployments.apps/scale", "shop", "web")}) {
    const std::string user = "system:serviceaccount:shop:web";
    auto cluster = testing::cluster_from_yaml(grant_yaml(r, user));
    const Policy policy(*cluster);
    EXPECT_TRUE(evaluate(policy, UserInfo::for_user(user), r).allowed) << r.describe();
  }
}

// Leader election's grant lets the whole lock cycle through (get, create when missing, update)
// and nothing else: not another lease's update, not delete.
TEST(GrantTest, LeaderElectionGrantAllowsGetCreateUpdateOfTheLock) {
  const std::string user = "system:serviceaccount:shop:op";
  const AccessRequest refused = req("get", "leases.coordination.k8s.io", "shop", "op-lock");
  ASSERT_TRUE(is_leader_election_lock(refused, ""));
  auto cluster = testing::cluster_from_yaml(grant_yaml(refused, user, true));
  const Policy policy(*cluster);
  const UserInfo who = UserInfo::for_user(user);
  for (const AccessRequest& r :
       {refused, req("update", "leases.coordination.k8s.io", "shop", "op-lock"),
        req("create", "leases.coordination.k8s.io", "shop")})
    EXPECT_TRUE(evaluate(policy, who, r).allowed) << r.describe();
  for (const AccessRequest& r : {req("update", "leases.coordination.k8s.io", "shop", "other"),
                                 req("delete", "leases.coordination.k8s.io", "shop", "op-lock"),
                                 req("create", "leases.coordination.k8s.io", "kube-system")})
    EXPECT_FALSE(evaluate(policy, who, r).allowed) << r.describe();
  // The plain grant of the same request would never let the lease be created.
  auto plain_cluster = testing::cluster_from_yaml(grant_yaml(refused, user));
  const Policy plain(*plain_cluster);
  EXPECT_FALSE(evaluate(plain, who, req("create", "leases.coordination.k8s.io", "shop")).allowed);
}

TEST(GrantTest, WhatIsALeaderElectionLock) {
  EXPECT_TRUE(is_leader_election_lock(req("update", "leases.coordination.k8s.io", "a", "l"), ""));
  // Listing leases is no leader election; neither is a lease at the cluster scope.
  EXPECT_FALSE(is_leader_election_lock(req("list", "leases.coordination.k8s.io", "a"), ""));
  EXPECT_FALSE(is_leader_election_lock(req("get", "leases.coordination.k8s.io", ""), ""));
  // ConfigMaps and Endpoints only when the message says they are a lock.
  const AccessRequest cm = req("get", "configmaps", "a", "l");
  EXPECT_FALSE(is_leader_election_lock(cm, "failed to load settings: configmaps ..."));
  EXPECT_TRUE(is_leader_election_lock(cm, "error retrieving resource lock a/l: configmaps ..."));
  EXPECT_TRUE(is_leader_election_lock(req("create", "endpoints", "a"), "Leader Election failed"));
  EXPECT_FALSE(is_leader_election_lock(req("get", "secrets", "a", "l"), "resource lock"));
}

}  // namespace
}  // namespace ktriage::rbac
