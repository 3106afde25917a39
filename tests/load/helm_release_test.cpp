// Helm v3 release Secrets decoded at load: identity of each manifest document kept, the Secret
// itself zeroed as any Secret, a corrupt record an input issue naming it.
#include "load/helm_release.h"

#include <gtest/gtest.h>

#include "support/test_support.h"
#include "upgrade/helm_fixture.h"

namespace ktriage {
namespace {

using testing::helm_release_json;
using testing::helm_release_secret;
using testing::helm_release_value;
using testing::kOldManifest;

TEST(HelmReleaseTest, ManifestDocumentsKeepOnlyTheirIdentity) {
  auto cluster = testing::cluster_from_yaml(helm_release_secret(
      "web", 3, "deployed",
      helm_release_value(helm_release_json("web", 3, "deployed", kOldManifest))));
  ASSERT_EQ(cluster->helm_releases().size(), 1u);
  const HelmRelease& r = cluster->helm_releases()[0];
  EXPECT_EQ(r.name, "web");
  EXPECT_EQ(r.ns, "shop");
  EXPECT_EQ(r.revision, 3);
  EXPECT_EQ(r.status, "deployed");
  EXPECT_EQ(r.chart, "web-1.2.3");
  EXPECT_EQ(r.secret.name, "sh.helm.release.v1.web.v3");
  EXPECT_EQ(r.pos.line, 2u);
  ASSERT_EQ(r.objects.size(), 4u);
  EXPECT_EQ(r.objects[2].api_version, "extensions/v1beta1");
  EXPECT_EQ(r.objects[2].kind, "Ingress");
  EXPECT_EQ(r.objects[2].name, "web");
  EXPECT_EQ(r.objects[2].template_path, "web/templates/ingress.yaml");
  EXPECT_EQ(r.objects[3].kind, "PodSecurityPolicy");
  // The record Secret itself is zeroed like every Secret: key kept, value gone.
  const Object* secret = cluster->find("Secret", "shop", "sh.helm.release.v1.web.v3");
  ASSERT_NE(secret, nullptr);
  EXPECT_TRUE((*secret)["data"].contains("release"));
  EXPECT_EQ((*secret)["data"]["release"].str(), "");
}

TEST(HelmReleaseTest, UncompressedReleaseIsReadAsHelmDoes) {
  const std::string value =
      base64_encode(base64_encode(helm_release_json("web", 1, "deployed", kOldManifest)));
  auto cluster = testing::cluster_from_yaml(helm_release_secret("web", 1, "deployed", value));
  ASSERT_EQ(cluster->helm_releases().size(), 1u);
  EXPECT_EQ(cluster->helm_releases()[0].objects.size(), 4u);
}

TEST(HelmReleaseTest, CorruptRecordIsAnInputIssueNamingTheSecret) {
  const std::string good =
      helm_release_value(helm_release_json("web", 2, "deployed", kOldManifest));
  const std::string not_gzip = base64_encode(base64_encode("\x1f\x8b garbage"));
  const std::string not_json = base64_encode(base64_encode("{\"name\": "));
  for (const std::string& value : {std::string("!!notbase64"), base64_encode("%%%%"), not_gzip,
                                   not_json, good.substr(0, good.size() / 2 / 4 * 4)}) {
    auto cluster = testing::cluster_from_yaml(helm_release_secret("web", 2, "deployed", value) +
                                              "---\napiVersion: v1\nkind: ConfigMap\n"
                                              "metadata: {name: next, namespace: shop}\n");
    EXPECT_TRUE(cluster->helm_releases().empty());
    ASSERT_EQ(cluster->issues().size(), 1u) << value;
    const InputIssue& issue = cluster->issues()[0];
    EXPECT_NE(issue.message.find("Helm release Secret shop/sh.helm.release.v1.web.v2"),
              std::string::npos)
        << issue.message;
    EXPECT_EQ(issue.where.pos.line, 2u);
    EXPECT_EQ(issue.message.find(value), std::string::npos);  // never the content
    // The rest of the input is still read.
    EXPECT_NE(cluster->find("ConfigMap", "shop", "next"), nullptr);
  }
}

TEST(HelmReleaseTest, OnlyReleaseTypedSecretsAreDecoded) {
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata: {name: sh.helm.release.v1.x.v1, "
      "namespace: shop}\ndata: {release: bm90IGhlbG0=}\n");
  EXPECT_TRUE(cluster->helm_releases().empty());
  EXPECT_TRUE(cluster->issues().empty());
}

}  // namespace
}  // namespace ktriage
