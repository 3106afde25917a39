// metadata.managedFields kept at load as distinct {apiVersion, manager, operation} only, by both
// readers; fieldsV1 and timestamps never reach the tree.
#include "load/managed_fields.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

constexpr std::string_view kYaml =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
    "  managedFields:\n"
    "  - apiVersion: apps/v1\n    manager: helm\n    operation: Update\n"
    "    time: \"2024-01-01T00:00:00Z\"\n    fieldsType: FieldsV1\n"
    "    fieldsV1: {f:spec: {f:replicas: {}}}\n"
    "  - apiVersion: extensions/v1beta1\n    manager: kubectl-client-side-apply\n"
    "    operation: Update\n    fieldsV1: {f:metadata: {}}\n"
    "  - apiVersion: apps/v1\n    manager: helm\n    operation: Update\n"
    "  - {manager: no-version, operation: Apply}\n"
    "spec: {replicas: 2}\n";

constexpr std::string_view kJson =
    "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"web\", "
    "\"namespace\": \"shop\", \"managedFields\": [{\"apiVersion\": \"apps/v1\", \"manager\": "
    "\"helm\", \"operation\": \"Update\", \"time\": \"2024-01-01T00:00:00Z\", \"fieldsType\": "
    "\"FieldsV1\", \"fieldsV1\": {\"f:spec\": {\"f:replicas\": {}}}}, {\"apiVersion\": "
    "\"extensions/v1beta1\", \"manager\": \"kubectl-client-side-apply\", \"operation\": "
    "\"Update\", \"fieldsV1\": {\"f:metadata\": {}}}, {\"apiVersion\": \"apps/v1\", \"manager\": "
    "\"helm\", \"operation\": \"Update\"}, {\"manager\": \"no-version\", \"operation\": "
    "\"Apply\"}, 7]}, \"spec\": {\"replicas\": 2}}";

void expect_compact(const Cluster& cluster) {
  const Object* d = cluster.find("Deployment", "shop", "web");
  ASSERT_NE(d, nullptr);
  const Value& mf = *d->managed_fields;
  ASSERT_EQ(mf.size(), 2u);
  EXPECT_EQ(mf[0]["apiVersion"].str(), "apps/v1");
  EXPECT_EQ(mf[0]["manager"].str(), "helm");
  EXPECT_EQ(mf[0]["operation"].str(), "Update");
  EXPECT_EQ(mf[1]["apiVersion"].str(), "extensions/v1beta1");
  EXPECT_EQ(mf[1]["manager"].str(), "kubectl-client-side-apply");
  for (const Value& e : mf.items()) {
    EXPECT_EQ(e.size(), 3u);  // no fieldsV1, time or fieldsType
    EXPECT_FALSE(e.contains("fieldsV1"));
  }
  // The same compact array is what the tree holds; the rest of the object is untouched.
  EXPECT_EQ(d->metadata()["managedFields"].size(), 2u);
  EXPECT_EQ(d->spec()["replicas"].as_int(), 2);
}

TEST(ManagedFieldsTest, YamlKeepsDistinctVersionsManagersAndOperations) {
  expect_compact(*testing::cluster_from({{"d.yaml", std::string(kYaml)}}));
}

TEST(ManagedFieldsTest, JsonKeepsDistinctVersionsManagersAndOperations) {
  expect_compact(*testing::cluster_from({{"d.json", std::string(kJson)}}));
}

TEST(ManagedFieldsTest, WithoutEntriesThereIsNoField) {
  auto cluster = testing::cluster_from(
      {{"d.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\", "
        "\"managedFields\": []}}"},
       {"e.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e, managedFields: x}\n"}});
  for (const Object& o : cluster->objects()) {
    EXPECT_TRUE(o.managed_fields->is_null()) << o.name;
    EXPECT_FALSE(o.metadata().contains("managedFields")) << o.name;
  }
}

}  // namespace
}  // namespace ktriage
