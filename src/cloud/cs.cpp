#include "cloud/cs.h"

namespace ktriage::cloud {
namespace {

std::string first_of(std::initializer_list<const Value*> values) {
  for (const Value* v : values) {
    if (!v->str().empty()) return std::string(v->str());
  }
  return {};
}

NetworkPlugin plugin_named(std::string_view text) {
  if (text.find("terway") != std::string_view::npos) return NetworkPlugin::kTerway;
  if (text.find("flannel") != std::string_view::npos) return NetworkPlugin::kFlannel;
  return NetworkPlugin::kUnknown;
}

}  // namespace

std::string_view to_string(NetworkPlugin p) {
  switch (p) {
    case NetworkPlugin::kFlannel:
      return "flannel";
    case NetworkPlugin::kTerway:
      return "terway";
    case NetworkPlugin::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<ClusterDetail> cluster_detail(const Cluster& cluster) {
  const CloudDocument* doc = cluster.cloud_document("cs", "DescribeClusterDetail");
  if (doc == nullptr) return std::nullopt;
  const Value& r = doc->root;
  const Value& params = r["parameters"];
  ClusterDetail d;
  d.id = std::string(r["cluster_id"].str());
  d.name = std::string(r["name"].str());
  d.type = std::string(r["cluster_type"].str());
  d.region = std::string(r["region_id"].str());
  d.state = std::string(r["state"].str());
  d.version = std::string(r["current_version"].str());
  d.vpc_id = std::string(r["vpc_id"].str());
  d.security_group_id = std::string(r["security_group_id"].str());
  for (const Value& v : r["vswitch_ids"].items()) {
    if (!v.str().empty()) d.vswitch_ids.emplace_back(v.str());
  }
  if (d.vswitch_ids.empty() && !r["vswitch_id"].str().empty()) {
    d.vswitch_ids.emplace_back(r["vswitch_id"].str());
  }
  d.pod_cidr = first_of({&r["container_cidr"], &r["subnet_cidr"], &params["ContainerCIDR"]});
  d.service_cidr = first_of({&r["service_cidr"], &params["ServiceCIDR"]});
  // parameters.Network ("flannel", "terway-eniip"), else the add-on list in meta_data (a JSON
  // string the CLI does not decode).
  d.plugin = plugin_named(params["Network"].str());
  if (d.plugin == NetworkPlugin::kUnknown) d.plugin = plugin_named(r["meta_data"].str());
  d.file = doc->file;
  return d;
}

NetworkPlugin network_plugin(const Cluster& cluster, const std::optional<ClusterDetail>& detail) {
  if (detail && detail->plugin != NetworkPlugin::kUnknown) return detail->plugin;
  for (const Object* ds : cluster.of_kind("DaemonSet")) {
    if (ds->ns != "kube-system") continue;
    if (NetworkPlugin p = plugin_named(ds->name); p != NetworkPlugin::kUnknown) return p;
  }
  return NetworkPlugin::kUnknown;
}

}  // namespace ktriage::cloud
