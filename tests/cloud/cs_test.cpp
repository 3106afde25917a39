// Typed view of cs DescribeClusterDetail, and the network plugin.
#include "cloud/cs.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cluster_from;

TEST(CloudCsTest, ParsesClusterDetail) {
  auto cluster = cluster_from({{"s/cloud/cs-DescribeClusterDetail.json", R"({
    "cluster_id": "c8f2e1d", "name": "prod", "cluster_type": "ManagedKubernetes",
    "region_id": "cn-hangzhou", "state": "running", "current_version": "1.30.1-aliyun.1",
    "vpc_id": "vpc-bp1main", "vswitch_ids": ["vsw-a", "vsw-b"],
    "security_group_id": "sg-bp1nodes", "subnet_cidr": "172.20.0.0/16",
    "parameters": {"ServiceCIDR": "192.168.0.0/16", "Network": "flannel"}})"}});
  auto d = cluster_detail(*cluster);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->id, "c8f2e1d");
  EXPECT_EQ(d->region, "cn-hangzhou");
  EXPECT_EQ(d->security_group_id, "sg-bp1nodes");
  EXPECT_EQ(d->pod_cidr, "172.20.0.0/16");
  EXPECT_EQ(d->service_cidr, "192.168.0.0/16");
  EXPECT_EQ(d->vswitch_ids, (std::vector<std::string>{"vsw-a", "vsw-b"}));
  EXPECT_EQ(d->plugin, NetworkPlugin::kFlannel);
  EXPECT_EQ(network_plugin(*cluster, d), NetworkPlugin::kFlannel);
}

TEST(CloudCsTest, NetworkPluginFromMetaDataOrDaemonSets) {
  auto cluster = cluster_from({{"s/cloud/cs-DescribeClusterDetail.json",
                                R"({"cluster_id": "c1", "cluster_type": "ManagedKubernetes",
                                    "meta_data": "{\"Addons\":[{\"name\":\"terway-eniip\"}]}"})"}});
  EXPECT_EQ(cluster_detail(*cluster)->plugin, NetworkPlugin::kTerway);

  auto objects = cluster_from({{"ds.yaml", R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-system
)"}});
  EXPECT_FALSE(cluster_detail(*objects));
  EXPECT_EQ(network_plugin(*objects, std::nullopt), NetworkPlugin::kFlannel);
  EXPECT_EQ(to_string(NetworkPlugin::kTerway), "terway");
}

}  // namespace
}  // namespace ktriage::cloud
