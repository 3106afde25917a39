// Typed views of the VPC answers in a snapshot's cloud/ folder: vSwitches (DescribeVSwitches)
// with their CIDR and free addresses. Never reads files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/cluster.h"

namespace ktriage::cloud {

/// One vSwitch.
struct VSwitch {
  std::string id, name, vpc_id, zone, cidr, status;
  std::int64_t available_ips = -1;  ///< AvailableIpAddressCount; -1 when absent
  std::string file;
  std::size_t index = 0;  ///< position in VSwitches.VSwitch
};

/// Every vSwitch of the DescribeVSwitches answers, one per id. O(vSwitches).
std::vector<VSwitch> vswitches(const Cluster& cluster);

}  // namespace ktriage::cloud
