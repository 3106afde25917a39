// kubectl-style RESOURCE arguments and service-account user names.
#include "rbac/request.h"

#include <gtest/gtest.h>

namespace ktriage::rbac {
namespace {

TEST(RequestTest, ResourceArguments) {
  AccessRequest r;
  ASSERT_FALSE(parse_resource_arg("deployments.apps/scale", r).has_value());
  EXPECT_EQ(r.resource, "deployments");
  EXPECT_EQ(r.group, "apps");
  EXPECT_EQ(r.subresource, "scale");
  EXPECT_EQ(r.resource_text(), "deployments.apps/scale");
  ASSERT_FALSE(parse_resource_arg("/healthz", r).has_value());
  EXPECT_FALSE(r.is_resource());
  EXPECT_EQ(r.path, "/healthz");
  ASSERT_FALSE(parse_resource_arg("Pods", r).has_value());
  EXPECT_EQ(r.resource, "pods");
  EXPECT_TRUE(r.is_resource());
  for (const char* bad : {"", "pods/", "pods/log/x", ".apps", "a\"b"}) {
    AccessRequest x;
    EXPECT_TRUE(parse_resource_arg(bad, x).has_value()) << bad;
  }
}

TEST(RequestTest, ServiceAccountUserNames) {
  auto sa = service_account_of("system:serviceaccount:shop:web");
  ASSERT_TRUE(sa.has_value());
  EXPECT_EQ(sa->first, "shop");
  EXPECT_EQ(sa->second, "web");
  for (const char* not_sa : {"jane", "system:serviceaccount:shop", "system:serviceaccount::web",
                             "system:serviceaccount:a:b:c", "system:serviceaccounts:shop"}) {
    EXPECT_FALSE(service_account_of(not_sa).has_value()) << not_sa;
  }
}

TEST(RequestTest, Describe) {
  AccessRequest r;
  r.verb = "get";
  r.resource = "pods";
  r.subresource = "log";
  r.name = "web-0";
  r.ns = "shop";
  EXPECT_EQ(r.describe(), "get pods/log \"web-0\" in namespace shop");
  r.ns.clear();
  EXPECT_EQ(r.describe(), "get pods/log \"web-0\" at the cluster scope");
}

// kubectl auth can-i's known verbs: resource verbs for resources, HTTP methods for URLs.
TEST(RequestTest, KnownVerbsAndTypos) {
  AccessRequest r;
  r.resource = "pods";
  for (const char* v : {"get", "deletecollection", "escalate", "approve", "proxy", "*"}) {
    r.verb = v;
    EXPECT_TRUE(is_known_verb(r)) << v;
  }
  for (const char* v : {"lst", "post", "GET", "", "read"}) {
    r.verb = v;
    EXPECT_FALSE(is_known_verb(r)) << v;
  }
  r.verb = "lst";
  EXPECT_EQ(nearest_known_verb(r), "list");
  r.verb = "whatch";
  EXPECT_EQ(nearest_known_verb(r), "watch");
  r.verb = "frobnicate";
  EXPECT_EQ(nearest_known_verb(r), "");
  AccessRequest url;
  url.path = "/api";
  url.verb = "post";
  EXPECT_TRUE(is_known_verb(url));
  url.verb = "list";
  EXPECT_FALSE(is_known_verb(url));
}

}  // namespace
}  // namespace ktriage::rbac
