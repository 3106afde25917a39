#include "cloud/vpc.h"

#include <set>

namespace ktriage::cloud {

std::vector<VSwitch> vswitches(const Cluster& cluster) {
  std::vector<VSwitch> out;
  std::set<std::string> seen;
  for (const CloudDocument* d : cluster.cloud_documents("vpc", "DescribeVSwitches")) {
    const auto list = d->root["VSwitches"]["VSwitch"].items();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Value& v = list[i];
      VSwitch s;
      s.id = std::string(v["VSwitchId"].str());
      if (s.id.empty() || !seen.insert(s.id).second) continue;
      s.name = std::string(v["VSwitchName"].str());
      s.vpc_id = std::string(v["VpcId"].str());
      s.zone = std::string(v["ZoneId"].str());
      s.cidr = std::string(v["CidrBlock"].str());
      s.status = std::string(v["Status"].str());
      if (v.contains("AvailableIpAddressCount")) {
        s.available_ips = v["AvailableIpAddressCount"].as_int(-1);
      }
      s.file = d->file;
      s.index = i;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace ktriage::cloud
