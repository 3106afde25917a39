#include "cloud/view.h"

#include <algorithm>
#include <cctype>

namespace ktriage::cloud {
namespace {

template <typename T>
const T* lookup(const std::unordered_map<std::string, std::size_t>& index,
                const std::vector<T>& items, std::string_view key) {
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : &items[it->second];
}

// The distinct quoted ids starting with `prefix` ("sg-", "vsw-") in a JSON text, in order:
// eni_conf is JSON inside a ConfigMap string, and only its ids are needed.
std::vector<std::string> quoted_ids(std::string_view text, std::string_view prefix) {
  std::vector<std::string> out;
  const std::string needle = "\"" + std::string(prefix);
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    std::size_t end = at + 1;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '-')) {
      ++end;
    }
    std::string id(text.substr(at + 1, end - at - 1));
    if (id.size() > prefix.size() && std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(std::move(id));
    }
  }
  return out;
}

}  // namespace

std::string_view internal_ip(const Object& node) {
  for (const Value& a : node.status()["addresses"].items()) {
    if (a["type"].str() == "InternalIP") return a["address"].str();
  }
  return {};
}

CloudView::CloudView(const Cluster& cluster)
    : has_data_(!cluster.cloud_documents().empty()),
      unreadable_(cluster.unreadable_cloud_answers()),
      groups_(security_groups(cluster)),
      instances_(cloud::instances(cluster)),
      vswitches_(cloud::vswitches(cluster)),
      detail_(cluster_detail(cluster)),
      plugin_(network_plugin(cluster, detail_)) {
  for (std::size_t i = 0; i < groups_.size(); ++i) group_by_id_.emplace(groups_[i].id, i);
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    instance_by_id_.emplace(instances_[i].id, i);
    for (const std::string& ip : instances_[i].private_ips) instance_by_ip_.emplace(ip, i);
  }
  for (std::size_t i = 0; i < vswitches_.size(); ++i) vswitch_by_id_.emplace(vswitches_[i].id, i);
  std::string provider_region;
  for (const Object* node : cluster.of_kind("Node")) {
    NodeInstance n;
    n.node = node;
    const std::string_view provider = node->spec()["providerID"].str();
    n.instance_id = instance_id_from_provider_id(provider);
    n.internal_ip = std::string(internal_ip(*node));
    if (provider_region.empty()) provider_region = region_from_provider_id(provider);
    n.instance = instance(n.instance_id);
    if (n.instance == nullptr && !n.internal_ip.empty()) n.instance = instance_by_ip(n.internal_ip);
    if (n.instance != nullptr && n.instance_id.empty()) n.instance_id = n.instance->id;
    nodes_.push_back(std::move(n));
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    node_by_key_.emplace(std::string(nodes_[i].node->name), i);
    if (!nodes_[i].internal_ip.empty()) node_by_key_.emplace(nodes_[i].internal_ip, i);
    if (nodes_[i].instance != nullptr) {
      for (const std::string& ip : nodes_[i].instance->private_ips) node_by_key_.emplace(ip, i);
    }
  }
  if (const Object* eni = cluster.find("ConfigMap", "kube-system", "eni-config")) {
    const std::string_view conf = (*eni)["data"]["eni_conf"].str();
    terway_groups_ = quoted_ids(conf, "sg-");
    terway_vswitches_ = quoted_ids(conf, "vsw-");
  }
  if (detail_ && !detail_->region.empty()) {
    region_ = detail_->region;
  } else if (!instances_.empty() && !instances_[0].region.empty()) {
    region_ = instances_[0].region;
  } else if (!groups_.empty() && !groups_[0].region.empty()) {
    region_ = groups_[0].region;
  } else {
    region_ = provider_region;
  }
}

const UnreadableCloudAnswer* CloudView::unreadable(std::string_view product,
                                                   std::string_view action,
                                                   std::string_view id) const {
  const UnreadableCloudAnswer* maybe = nullptr;
  for (const UnreadableCloudAnswer& u : unreadable_) {
    if (u.product != product || u.action != action) continue;
    if (id.empty() || u.id == id) return &u;
    if (u.id.empty() && maybe == nullptr) maybe = &u;
  }
  return maybe;
}

const SecurityGroup* CloudView::group(std::string_view id) const {
  return lookup(group_by_id_, groups_, id);
}
const Instance* CloudView::instance(std::string_view id) const {
  return id.empty() ? nullptr : lookup(instance_by_id_, instances_, id);
}
const VSwitch* CloudView::vswitch(std::string_view id) const {
  return lookup(vswitch_by_id_, vswitches_, id);
}
const Instance* CloudView::instance_by_ip(std::string_view ip) const {
  return lookup(instance_by_ip_, instances_, ip);
}
const NodeInstance* CloudView::node(std::string_view name_or_ip) const {
  return lookup(node_by_key_, nodes_, name_or_ip);
}

std::vector<const SecurityGroup*> CloudView::groups_of(const Instance& in,
                                                       std::vector<std::string>* missing) const {
  std::vector<const SecurityGroup*> out;
  for (const std::string& id : in.security_group_ids) {
    if (const SecurityGroup* g = group(id)) {
      out.push_back(g);
    } else if (missing != nullptr) {
      missing->push_back(id);
    }
  }
  return out;
}

}  // namespace ktriage::cloud
