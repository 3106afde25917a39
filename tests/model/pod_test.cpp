// PodView: containers joined with their statuses by name, and the paths evidence quotes.
#include "model/pod.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

TEST(PodViewTest, ContainersJoinTheirStatusesByNameWithTheStatusEntrysPath) {
  // Statuses in another order than the specs, one container without a status yet.
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec:\n"
      "  initContainers: [{name: setup}, {name: migrate}]\n"
      "  containers: [{name: app}, {name: sidecar}, {name: new}]\n"
      "status:\n"
      "  initContainerStatuses: [{name: migrate, restartCount: 2}, {name: setup}]\n"
      "  containerStatuses: [{name: sidecar, ready: true}, {name: app, restartCount: 5}]\n");
  const PodView pod(cluster->objects()[0]);
  const auto all = pod.containers();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].name, "setup");
  EXPECT_TRUE(all[0].init);
  EXPECT_EQ(all[0].spec_path(), ".spec.initContainers[0]");
  EXPECT_EQ(all[0].status_path(), ".status.initContainerStatuses[1]");
  EXPECT_EQ(all[1].name, "migrate");
  EXPECT_EQ(all[1].restarts(), 2);
  EXPECT_EQ(all[1].status_path(), ".status.initContainerStatuses[0]");
  EXPECT_EQ(all[2].name, "app");
  EXPECT_FALSE(all[2].init);
  EXPECT_EQ(all[2].spec_path(), ".spec.containers[0]");
  EXPECT_EQ(all[2].status_path(), ".status.containerStatuses[1]");
  EXPECT_EQ(all[2].restarts(), 5);
  EXPECT_EQ(all[3].status_path(), ".status.containerStatuses[0]");
  EXPECT_TRUE(all[3].ready());
  // No status entry: no path, and the status reads as null.
  EXPECT_EQ(all[4].name, "new");
  EXPECT_EQ(all[4].status_path(), "");
  EXPECT_TRUE(all[4].status->is_null());
  EXPECT_FALSE(all[4].ready());

  const auto apps = pod.app_containers();
  ASSERT_EQ(apps.size(), 3u);
  EXPECT_EQ(apps[0].name, "app");
  EXPECT_EQ(apps[0].status_path(), ".status.containerStatuses[1]");
  EXPECT_EQ(apps[2].status_path(), "");
}

// Hand-written manifests may give requests as plain numbers: 0.5 CPUs is 500m (as the API
// server reads it), not 0; init containers count by their largest; overhead adds on top.
TEST(PodViewTest, RequestsReadPlainNumbersWithTheirFractions) {
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec:\n"
      "  initContainers: [{name: init, resources: {requests: {cpu: 1.5}}}]\n"
      "  containers:\n"
      "  - {name: a, resources: {requests: {cpu: 0.5, memory: 64Mi}}}\n"
      "  - {name: b, resources: {limits: {cpu: 0.25}}}\n"
      "  overhead: {cpu: 100m}\n");
  const auto requests = PodView(cluster->objects()[0]).requests();
  ASSERT_EQ(requests.count("cpu"), 1u);
  EXPECT_EQ(requests.at("cpu"), 1500 + 100);  // max(0.5 + 0.25, 1.5) + overhead
  EXPECT_EQ(requests.at("memory"), 64LL * 1024 * 1024 * 1000);
  EXPECT_EQ(request_quantity(Value::number(1e300)), std::nullopt);
}

}  // namespace
}  // namespace ktriage
