// The API server's forbidden messages in every wording, parsed back into the refused request.
#include "rbac/forbidden.h"

#include "rbac/grant.h"

#include <gtest/gtest.h>

#include <string>

namespace ktriage::rbac {
namespace {

struct Case {
  std::string text;
  std::string user, verb, group, resource, subresource, name, ns, path;
  std::string reason;
};

const Case kCases[] = {
    {R"(pods is forbidden: User "system:serviceaccount:shop:web" cannot list resource "pods" in API group "" in the namespace "shop")",
     "system:serviceaccount:shop:web", "list", "", "pods", "", "", "shop", "", ""},
    {R"(nodes is forbidden: User "system:serviceaccount:monitoring:agent" cannot list resource "nodes" in API group "" at the cluster scope)",
     "system:serviceaccount:monitoring:agent", "list", "", "nodes", "", "", "", "", ""},
    {R"(deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "shop")",
     "jane", "get", "apps", "deployments", "", "web", "shop", "", ""},
    {R"(pods "web-0" is forbidden: User "x" cannot create resource "pods/exec" in API group "" in the namespace "shop")",
     "x", "create", "", "pods", "exec", "web-0", "shop", "", ""},
    {R"(forbidden: User "x" cannot get path "/metrics")", "x", "get", "", "", "", "", "",
     "/metrics", ""},
    {R"(Error from server (Forbidden): User "x" cannot list pods in the namespace "y")", "x",
     "list", "", "pods", "", "", "y", "", ""},
    {R"(User "bob" cannot list deployments.extensions at the cluster scope)", "bob", "list",
     "extensions", "deployments", "", "", "", "", ""},
    {R"(User "bob" cannot update deployments.apps/scale in the namespace "shop")", "bob", "update",
     "apps", "deployments", "scale", "", "shop", "", ""},
    {R"(secrets "db" is forbidden: User "system:serviceaccount:shop:web" cannot get resource "secrets" in API group "" in the namespace "shop": RBAC: clusterrole.rbac.authorization.k8s.io "secret-reader" not found)",
     "system:serviceaccount:shop:web", "get", "", "secrets", "", "db", "shop", "",
     R"(RBAC: clusterrole.rbac.authorization.k8s.io "secret-reader" not found)"},
    {R"(E1129 10:41:02.123456       1 reflector.go:147] failed to list *v1.Endpoints: endpoints is forbidden: User "system:serviceaccount:ingress:ctrl" cannot list resource "endpoints" in API group "" at the cluster scope)",
     "system:serviceaccount:ingress:ctrl", "list", "", "endpoints", "", "", "", "", ""},
    {R"({"level":"error","msg":"leases.coordination.k8s.io \"op-lock\" is forbidden: User \"system:serviceaccount:ops:op\" cannot get resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"ops\"","ts":1})",
     "system:serviceaccount:ops:op", "get", "coordination.k8s.io", "leases", "", "op-lock", "ops",
     "", ""},
    {R"(forbidden: User "system:anonymous" cannot get path "/healthz": no RBAC policy matched)",
     "system:anonymous", "get", "", "", "", "", "", "/healthz", "no RBAC policy matched"},
};

class ForbiddenTest : public ::testing::TestWithParam<Case> {};

TEST_P(ForbiddenTest, ParsesEveryWording) {
  const Case& c = GetParam();
  const auto f = parse_forbidden(c.text);
  ASSERT_TRUE(f.has_value()) << c.text;
  EXPECT_EQ(f->user, c.user);
  EXPECT_EQ(f->request.verb, c.verb);
  EXPECT_EQ(f->request.group, c.group);
  EXPECT_EQ(f->request.resource, c.resource);
  EXPECT_EQ(f->request.subresource, c.subresource);
  EXPECT_EQ(f->request.name, c.name);
  EXPECT_EQ(f->request.ns, c.ns);
  EXPECT_EQ(f->request.path, c.path);
  EXPECT_EQ(f->reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(Table, ForbiddenTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return "case" + std::to_string(info.index);
                         });

TEST(ForbiddenTest, MissingRolesFromTheReason) {
  const auto f = parse_forbidden(
      R"(pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "a": RBAC: [clusterrole.rbac.authorization.k8s.io "c1" not found, role.rbac.authorization.k8s.io "r1" not found])");
  ASSERT_TRUE(f.has_value());
  ASSERT_EQ(f->missing_roles.size(), 2u);
  EXPECT_EQ(f->missing_roles[0], "ClusterRole c1");
  EXPECT_EQ(f->missing_roles[1], "Role r1");
}

TEST(ForbiddenTest, OtherTextIsNotAForbiddenMessage) {
  for (const char* text : {
           "",
           "User \"x\"",
           "User \"x\" cannot",
           "User \"x\" cannot list resource \"pods\" in API group",
           "User \"x\" cannot list resource \"pods\" in API group \"\" somewhere",
           "forbidden: User \"x\" cannot get path \"",
           "User \"x\" cannot list pods in the namespace \"\"",
           "pods \"p\" is forbidden: exceeded quota: compute, requested: cpu=1",
           "RAM policy Forbidden for action cs:DescribeEvents",
           "the User \"admin\" cannot be found",
       }) {
    EXPECT_FALSE(parse_forbidden(text).has_value()) << text;
  }
}

// Every prefix of every wording, and every one-byte change to a quote, backslash, space, NUL or
// 0xff, parses or is refused without throwing; what parses yields a well-formed grant.
TEST(ForbiddenTest, CutAndMutatedMessagesNeverThrow) {
  std::size_t parsed = 0;
  for (const Case& c : kCases) {
    std::string text = c.text;
    for (std::size_t n = 0; n <= text.size(); ++n) {
      auto f = parse_forbidden(std::string_view(text).substr(0, n));
      parsed += f.has_value();
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
      for (char m : {'"', '\\', ' ', '\0', '\xff'}) {
        std::string mutated = text;
        mutated[i] = m;
        ASSERT_NO_THROW({
          if (auto f = parse_forbidden(mutated)) {
            EXPECT_FALSE(grant_yaml(f->request, f->user).empty());
            EXPECT_FALSE(f->request.describe().empty());
            ++parsed;
          }
        }) << mutated;
      }
    }
  }
  EXPECT_GT(parsed, 0u);
}

TEST(ForbiddenTest, PrefilterIsCheap) {
  EXPECT_TRUE(may_be_forbidden(R"(x User "a" cannot list)"));
  EXPECT_TRUE(may_be_forbidden(R"(x User \"a\" cannot list)"));
  EXPECT_FALSE(may_be_forbidden("connection refused"));
}

}  // namespace
}  // namespace ktriage::rbac
