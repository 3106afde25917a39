// The API server's default non-resource grants, and the notes can-i gives when a snapshot
// leaves the built-in roles out.
#include "rbac/defaults.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::rbac {
namespace {

AccessRequest url(std::string verb, std::string path) {
  AccessRequest r;
  r.verb = std::move(verb);
  r.path = std::move(path);
  return r;
}

std::vector<std::string_view> roles(const AccessRequest& r) {
  std::vector<std::string_view> out;
  for (const DefaultUrlGrant* g : default_url_grants(r)) out.push_back(g->role);
  return out;
}

TEST(DefaultsTest, DefaultUrlGrantsAsTheBootstrapPolicyWritesThem) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(roles(url("get", "/healthz")), (V{"system:public-info-viewer", "system:discovery"}));
  EXPECT_EQ(roles(url("get", "/version/")), (V{"system:public-info-viewer", "system:discovery"}));
  EXPECT_EQ(roles(url("get", "/apis/apps/v1")), V{"system:discovery"});
  EXPECT_EQ(roles(url("get", "/openapi/v2")), V{"system:discovery"});
  // Not granted by default: /metrics (system:monitoring is bound to system:monitoring only),
  // individual health checks, other verbs, resources.
  EXPECT_TRUE(roles(url("get", "/metrics")).empty());
  EXPECT_TRUE(roles(url("get", "/healthz/etcd")).empty());
  EXPECT_TRUE(roles(url("post", "/healthz")).empty());
  AccessRequest pods;
  pods.verb = "get";
  pods.resource = "pods";
  EXPECT_TRUE(roles(pods).empty());
}

TEST(DefaultsTest, NotesOnlyWhenTheInputLacksTheBuiltInRoles) {
  const auto without = testing::cluster_from_yaml(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: app}\n");
  const UserInfo jane = UserInfo::for_user("jane");
  const auto notes = bootstrap_notes(*without, url("get", "/livez"), &jane);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_TRUE(notes[0].starts_with("the input holds none of the API server's built-in "));
  EXPECT_NE(notes[1].find("ClusterRoleBinding system:public-info-viewer"), std::string::npos);
  EXPECT_NE(notes[1].find("and jane is in system:authenticated"), std::string::npos) << notes[1];
  // Anonymous: public-info-viewer covers it, discovery does not.
  const UserInfo anon = UserInfo::for_user("system:anonymous");
  const auto anon_notes = bootstrap_notes(*without, url("get", "/api"), &anon);
  ASSERT_EQ(anon_notes.size(), 2u);
  EXPECT_NE(anon_notes[1].find("and system:anonymous is in none of them"), std::string::npos)
      << anon_notes[1];
  const auto with = testing::cluster_from_yaml(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
      "metadata: {name: \"system:discovery\"}\n");
  EXPECT_TRUE(bootstrap_notes(*with, url("get", "/livez"), &jane).empty());
}

}  // namespace
}  // namespace ktriage::rbac
