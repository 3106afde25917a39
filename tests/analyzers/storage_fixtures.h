// Fixtures shared by the storage and volumes analyzer tests: claims, classes, events, pods stuck
// ContainerCreating, and a node, as small YAML documents.
#pragma once

#include <string>
#include <string_view>

#include "support/test_support.h"

namespace ktriage::storage_fixtures {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

inline std::string pvc(std::string_view name, std::string_view class_line,
                       std::string_view phase = "Pending", std::string_view extra_spec = "") {
  return std::string(R"(---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: )") +
         std::string(name) + R"(
  namespace: shop
  uid: uid-)" +
         std::string(name) + R"(
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
)" + std::string(class_line) +
         std::string(extra_spec) + R"(
status:
  phase: )" +
         std::string(phase) + "\n";
}

inline std::string storage_class(std::string_view name, bool is_default,
                                 std::string_view mode = "Immediate",
                                 std::string_view provisioner = "diskplugin.csi.alibabacloud.com") {
  return std::string(R"(---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: )") +
         std::string(name) +
         (is_default ? R"(
  annotations: {storageclass.kubernetes.io/is-default-class: "true"})"
                     : "") +
         R"(
provisioner: )" +
         std::string(provisioner) +
         R"(
volumeBindingMode: )" +
         std::string(mode) + "\n";
}

inline std::string event(std::string_view kind, std::string_view name, std::string_view reason,
                         std::string_view message, std::string_view type = "Warning",
                         std::string_view component = "kubelet") {
  return std::string(R"(---
apiVersion: v1
kind: Event
metadata: {name: ev-)") +
         std::string(name) + "-" + std::string(reason) + R"(, namespace: shop}
involvedObject: {kind: )" +
         std::string(kind) + ", name: " + std::string(name) + R"(, namespace: shop, uid: uid-)" +
         std::string(name) + R"(}
reason: )" +
         std::string(reason) +
         R"(
type: )" +
         std::string(type) +
         R"(
count: 7
lastTimestamp: "2026-11-29T10:41:00Z"
source: {component: )" +
         std::string(component) + R"(}
message: ")" +
         std::string(message) + "\"\n";
}

// How many findings of `rule` a full diagnosis of `c` gives.
inline std::size_t count_rule(const Cluster& c, std::string_view rule) {
  auto all = diagnose(c);
  return with_rule(all, rule).size();
}

// A pod stuck ContainerCreating on node n1, with one volume.
inline std::string creating_pod(std::string_view name, std::string_view volume_yaml,
                                std::string_view owner = "") {
  return std::string(R"(---
apiVersion: v1
kind: Pod
metadata:
  name: )") +
         std::string(name) + R"(
  namespace: shop
  uid: uid-)" +
         std::string(name) + "\n" + std::string(owner) + R"(
spec:
  nodeName: n1
  containers:
  - name: app
    image: nginx
  volumes:
)" + std::string(volume_yaml) +
         R"(
status:
  phase: Pending
  containerStatuses:
  - name: app
    ready: false
    state: {waiting: {reason: ContainerCreating}}
)";
}

constexpr std::string_view kNode = R"(---
apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {node.kubernetes.io/instance-type: ecs.g7.large, topology.kubernetes.io/zone: cn-beijing-h}
status: {conditions: [{type: Ready, status: "True"}]}
)";

}  // namespace ktriage::storage_fixtures
