// The registries of an image pull Secret, read before its values are zeroed
// (src/load/pull_secret.cpp).
#include "load/pull_secret.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

TEST(PullSecretTest, RegistryHostsFromEveryDockerConfigForm) {
  // data, base64 of {"auths":{"https://index.docker.io/v1/":{},"Registry.Example.com:5000/v2":{}}}
  auto c = testing::cluster_from_yaml(R"(apiVersion: v1
kind: Secret
metadata: {name: a, namespace: shop}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnt9LCJSZWdpc3RyeS5FeGFtcGxlLmNvbTo1MDAwL3YyIjp7fX19}
---
apiVersion: v1
kind: Secret
metadata: {name: b, namespace: shop}
type: kubernetes.io/dockerconfigjson
stringData: {.dockerconfigjson: '{"auths":{"ghcr.io":{"auth":"c2VjcmV0"}}}'}
---
apiVersion: v1
kind: Secret
metadata: {name: c, namespace: shop}
type: kubernetes.io/dockercfg
data: {.dockercfg: eyJxdWF5LmlvIjp7fX0=}
---
apiVersion: v1
kind: Secret
metadata: {name: d, namespace: shop}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: not-base64!}
---
apiVersion: v1
kind: Secret
metadata: {name: e, namespace: shop}
type: Opaque
data: {password: c2VjcmV0}
)");
  ASSERT_NE(c->pull_secret("shop", "a"), nullptr);
  EXPECT_EQ(c->pull_secret("shop", "a")->registries,
            (std::vector<std::string>{"index.docker.io", "registry.example.com:5000"}));
  ASSERT_NE(c->pull_secret("shop", "b"), nullptr);
  EXPECT_EQ(c->pull_secret("shop", "b")->registries, (std::vector<std::string>{"ghcr.io"}));
  ASSERT_NE(c->pull_secret("shop", "c"), nullptr);
  EXPECT_EQ(c->pull_secret("shop", "c")->registries, (std::vector<std::string>{"quay.io"}));
  // A value that does not decode says nothing: unknown, not "no registry".
  EXPECT_EQ(c->pull_secret("shop", "d"), nullptr);
  EXPECT_EQ(c->pull_secret("shop", "e"), nullptr);
  // The values themselves are still zeroed.
  const Object* b = c->find("Secret", "shop", "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["stringData"][".dockerconfigjson"].str(), "");
}

TEST(PullSecretTest, RegistryHostOfAnAuthsKey) {
  EXPECT_EQ(registry_host_of_key("https://index.docker.io/v1/"), "index.docker.io");
  EXPECT_EQ(registry_host_of_key("registry.example.com:5000/v2"), "registry.example.com:5000");
  EXPECT_EQ(registry_host_of_key("GHCR.IO"), "ghcr.io");
}

// The credentials are wiped in the reader's own copies only: the Secret's tree is untouched (a
// Secret's values are zeroed later by the loader's scrub, not here), so reading it again gives
// the same registries.
TEST(PullSecretTest, WipingItsCopiesLeavesTheSecretAsItWas) {
  Arena arena;
  const std::string_view config = arena.copy(R"({"auths":{"ghcr.io":{"auth":"c2VjcmV0"}}})");
  Member string_data[] = {{arena.key(".dockerconfigjson"), Value::string(config)}};
  Member secret[] = {
      {arena.key("type"), Value::string(arena.copy("kubernetes.io/dockerconfigjson"))},
      {arena.key("stringData"), Value::object(string_data, 1)}};
  const Value root = Value::object(secret, 2);
  for (int round = 0; round < 2; ++round) {
    const auto got = pull_secret_registries(root);
    ASSERT_TRUE(got.has_value()) << round;
    EXPECT_EQ(got->registries, std::vector<std::string>{"ghcr.io"}) << round;
  }
  EXPECT_EQ(config, R"({"auths":{"ghcr.io":{"auth":"c2VjcmV0"}}})");
}

}  // namespace
}  // namespace ktriage
