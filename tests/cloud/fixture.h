// A two-node ACK cluster with its cloud/ answers, for the tests of src/cloud and the cloud
// analyzers. Node node-a (10.0.1.21, pod CIDR 172.20.0.0/25) is in group sg-a, node-b
// (10.0.2.31, 172.20.0.128/25) in sg-b; pod shop/web on node-a listens on 3000, pod shop/cart on
// node-b on 8080; the API server is 10.0.1.250 and the cluster group sg-a (Flannel, pod CIDR
// 172.20.0.0/16). Rules are written compactly and turned into the CLI's JSON:
//   "in|out accept|drop PROTO a/b PEER PRIORITY"  (PEER: a CIDR or a sg- id)
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ktriage::testing {

inline std::string permission_json(const std::string& spec, int index) {
  std::istringstream in(spec);
  std::string dir, policy, proto, ports, peer, priority = "1";
  in >> dir >> policy >> proto >> ports >> peer >> priority;
  const bool ingress = dir == "in";
  const bool group = peer.rfind("sg-", 0) == 0;
  std::string json = "{\"SecurityGroupRuleId\": \"sgr-" + std::to_string(index) +
                     "\", \"Direction\": \"" + (ingress ? "ingress" : "egress") +
                     "\", \"IpProtocol\": \"" + proto + "\", \"PortRange\": \"" + ports +
                     "\", \"Policy\": \"" + (policy == "accept" ? "Accept" : "Drop") +
                     "\", \"Priority\": \"" + priority + "\", ";
  const std::string side = ingress ? "Source" : "Dest";
  json += "\"" + side + (group ? "GroupId" : "CidrIp") + "\": \"" + peer + "\"}";
  return json;
}

inline std::string group_json(const std::string& id, const std::vector<std::string>& rules,
                              const std::string& inner = "Accept") {
  std::string perms;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    perms += (i == 0 ? "" : ", ") + permission_json(rules[i], static_cast<int>(i));
  }
  return "{\"RegionId\": \"cn-hangzhou\", \"SecurityGroupId\": \"" + id +
         "\", \"VpcId\": \"vpc-1\", \"InnerAccessPolicy\": \"" + inner +
         "\", \"Permissions\": {\"Permission\": [" + perms + "]}}";
}

/// What a test changes in the two-node cluster.
struct CloudCluster {
  std::vector<std::string> sg_a = {"in accept ALL -1/-1 172.20.0.0/16 1",
                                   "in accept ALL -1/-1 sg-b 1",
                                   "in accept ICMP -1/-1 0.0.0.0/0 1"};
  std::vector<std::string> sg_b = {"in accept ALL -1/-1 172.20.0.0/16 1",
                                   "in accept ALL -1/-1 sg-a 1",
                                   "in accept ICMP -1/-1 0.0.0.0/0 1"};
  std::string type_a = "normal", type_b = "normal";
  std::string groups_b = "\"sg-b\"";  ///< node-b's SecurityGroupIds, JSON strings
  std::string status_b = "Running";
  std::string locks_b;     ///< LockReason JSON items
  std::string extra_yaml;  ///< more objects
  std::vector<std::pair<std::string, std::string>> extra_files;
};

inline std::vector<std::pair<std::string, std::string>> cloud_files(const CloudCluster& c) {
  const std::string objects = R"(apiVersion: v1
kind: Node
metadata:
  name: node-a
spec:
  podCIDR: 172.20.0.0/25
  providerID: cn-hangzhou.i-a
status:
  addresses:
  - {type: InternalIP, address: 10.0.1.21}
  conditions:
  - {type: Ready, status: "True"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
spec:
  podCIDR: 172.20.0.128/25
  providerID: cn-hangzhou.i-b
status:
  addresses:
  - {type: InternalIP, address: 10.0.2.31}
  conditions:
  - {type: Ready, status: "True"}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  nodeName: node-a
  containers:
  - {name: web, image: web:1, ports: [{containerPort: 3000}]}
status: {phase: Running, podIP: 172.20.0.14}
---
apiVersion: v1
kind: Pod
metadata: {name: cart, namespace: shop, labels: {app: cart}}
spec:
  nodeName: node-b
  containers:
  - {name: cart, image: cart:1, ports: [{containerPort: 8080, name: http}]}
status: {phase: Running, podIP: 172.20.0.140}
---
apiVersion: v1
kind: Endpoints
metadata: {name: kubernetes, namespace: default}
subsets:
- addresses: [{ip: 10.0.1.250}]
  ports: [{name: https, port: 6443}]
)" + c.extra_yaml;
  const std::string instances = R"({"Instances": {"Instance": [
    {"InstanceId": "i-a", "Status": "Running", "ZoneId": "cn-hangzhou-h", "RegionId": "cn-hangzhou",
     "VpcAttributes": {"VpcId": "vpc-1", "VSwitchId": "vsw-h", "PrivateIpAddress": {"IpAddress": ["10.0.1.21"]}},
     "SecurityGroupIds": {"SecurityGroupId": ["sg-a"]}},
    {"InstanceId": "i-b", "Status": ")" +
                                c.status_b +
                                R"(", "ZoneId": "cn-hangzhou-k", "RegionId": "cn-hangzhou",
     "VpcAttributes": {"VpcId": "vpc-1", "VSwitchId": "vsw-k", "PrivateIpAddress": {"IpAddress": ["10.0.2.31"]}},
     "OperationLocks": {"LockReason": [)" +
                                c.locks_b +
                                R"(]},
     "SecurityGroupIds": {"SecurityGroupId": [)" +
                                c.groups_b + R"(]}}]}})";
  const std::string types = R"({"SecurityGroups": {"SecurityGroup": [
    {"SecurityGroupId": "sg-a", "SecurityGroupType": ")" +
                            c.type_a + R"("},
    {"SecurityGroupId": "sg-b", "SecurityGroupType": ")" +
                            c.type_b + R"("}]}})";
  std::vector<std::pair<std::string, std::string>> files = {
      {"snap/objects.yaml", objects},
      {"snap/cloud/cs-DescribeClusterDetail.json",
       R"({"cluster_id": "c1", "cluster_type": "ManagedKubernetes", "region_id": "cn-hangzhou",
           "security_group_id": "sg-a", "subnet_cidr": "172.20.0.0/16", "vpc_id": "vpc-1",
           "parameters": {"Network": "flannel"}})"},
      {"snap/cloud/ecs-DescribeInstances.json", instances},
      {"snap/cloud/ecs-DescribeSecurityGroups.json", types},
      {"snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-a.json", group_json("sg-a", c.sg_a)},
      {"snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json", group_json("sg-b", c.sg_b)},
  };
  for (const auto& f : c.extra_files) files.push_back(f);
  return files;
}

}  // namespace ktriage::testing
