// Nodes as an ACK cluster shows them: node-pool labels, CSI and flannel annotations, the
// ingress pool's taint, capacity/allocatable, kubelet and node-problem-detector conditions,
// a short image list and nodeInfo.
#include <string>

#include <fmt/format.h>

#include "plan_internal.h"
#include "render.h"

namespace gen {
namespace {

constexpr const char* kZones[] = {"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j",
                                  "cn-hangzhou-k"};

struct NodeImage {
  const char* repo;
  const char* tag;
  int64_t size;
};
constexpr NodeImage kNodeImages[] = {
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/terway", "v1.13.4", 131457689},
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/csi-plugin", "v1.33.1-b4d1e2f-aliyun",
     112340115},
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/logtail", "v2.1.9.0-aliyun", 98716532},
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/kube-proxy", "v1.33.3-aliyun.1", 31457328},
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/node-problem-detector",
     "v0.8.20-8c5f1a3-aliyun", 62981433},
    {"docker.io/envoyproxy/envoy", "v1.31.5", 68107220},
    {"registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/pause", "3.9", 321513},
};

struct NodeCondition {
  const char* type;
  const char* reason;
  const char* message;
  bool status;
};
constexpr NodeCondition kConditions[] = {
    {"FrequentUnregisterNetDevice", "NoFrequentUnregisterNetDevice", "node is functioning properly",
     false},
    {"KernelDeadlock", "KernelHasNoDeadlock", "kernel has no deadlock", false},
    {"NTPProblem", "NTPIsUp", "ntp service is up", false},
    {"ReadonlyFilesystem", "FilesystemIsNotReadOnly", "Filesystem is not read-only", false},
    {"MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
     false},
    {"DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", false},
    {"PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available", false},
    {"Ready", "KubeletReady", "kubelet is posting ready status", true},
};

void render_resources(Json& w, std::string_view key, const Node& n, bool allocatable) {
  const NodePool& pool = kNodePools[n.pool];
  const int64_t disk_ki = 123722704;
  w.kobj(key);
  w.kstr("cpu", allocatable ? cpu_quantity(n.cpu_alloc_m) : std::to_string(pool.cpu_cores));
  w.kstr("ephemeral-storage",
         allocatable ? std::to_string(disk_ki / 10 * 9 * 1024) : std::to_string(disk_ki) + "Ki");
  w.kstr("hugepages-1Gi", "0").kstr("hugepages-2Mi", "0");
  const int64_t mem = allocatable ? n.mem_alloc_ki : node_memory_capacity_ki(pool.mem_gib);
  w.kstr("memory", std::to_string(mem) + "Ki").kstr("pods", std::to_string(n.pods_alloc)).end();
}

void render_metadata(Json& w, const Plan& plan, const Node& n, const std::string& instance) {
  const NodePool& pool = kNodePools[n.pool];
  const char* zone = kZones[n.index % 4];
  Rng rng(plan.opt.seed, kSaltNode ^ 0x1000, n.index);
  w.kobj("metadata").kobj("annotations");
  w.kstr("csi.volume.kubernetes.io/nodeid",
         fmt::format("{{\"diskplugin.csi.alibabacloud.com\":\"{0}\",\"nasplugin.csi.alibabacloud."
                     "com\":\"{0}\",\"ossplugin.csi.alibabacloud.com\":\"{0}\"}}",
                     instance));
  w.kstr("node.alpha.kubernetes.io/ttl", "0");
  w.kstr("volumes.kubernetes.io/controller-managed-attach-detach", "true").end();
  w.kstr("creationTimestamp", Time(n.created).view());
  w.kobj("labels").kstr("alibabacloud.com/nodepool-id", pool.id);
  w.kstr("beta.kubernetes.io/arch", "amd64")
      .kstr("beta.kubernetes.io/instance-type", pool.instance_type);
  w.kstr("beta.kubernetes.io/os", "linux");
  if (pool.tainted) w.kstr("dedicated", "ingress");
  w.kstr("failure-domain.beta.kubernetes.io/region", "cn-hangzhou");
  w.kstr("failure-domain.beta.kubernetes.io/zone", zone);
  w.kstr("kubernetes.io/arch", "amd64").kstr("kubernetes.io/hostname", n.name);
  w.kstr("kubernetes.io/os", "linux").kstr("node.kubernetes.io/instance-type", pool.instance_type);
  w.kstr("topology.diskplugin.csi.alibabacloud.com/zone", zone);
  w.kstr("topology.kubernetes.io/region", "cn-hangzhou").kstr("topology.kubernetes.io/zone", zone);
  w.end();
  w.kstr("name", n.name).kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltNode, n.index).view()).end();
}

void render_status(Json& w, const Plan& plan, const Node& n) {
  Rng rng(plan.opt.seed, kSaltNode ^ 0x2000, n.index);
  const std::string ip = ip_string(n.ip);
  w.kobj("status").karr("addresses");
  w.obj().kstr("address", ip).kstr("type", "InternalIP").end();
  w.obj().kstr("address", n.name).kstr("type", "Hostname").end().end();
  render_resources(w, "allocatable", n, true);
  render_resources(w, "capacity", n, false);
  w.karr("conditions");
  const int64_t heartbeat = kSnapshot - rng.range(5, 60);
  for (const NodeCondition& c : kConditions) {
    w.obj().kstr("lastHeartbeatTime", Time(heartbeat).view());
    w.kstr("lastTransitionTime", Time(n.created + 45).view()).kstr("message", c.message);
    w.kstr("reason", c.reason).kstr("status", c.status ? "True" : "False").kstr("type", c.type);
    w.end();
  }
  w.end();
  w.kobj("daemonEndpoints").kobj("kubeletEndpoint").knum("Port", 10250).end().end();
  w.kobj("features").kbool("supplementalGroupsPolicy", true).end();
  w.karr("images");
  for (const NodeImage& img : kNodeImages) {
    Rng digest(plan.opt.seed, kSaltImage ^ 0x1000, img.size);
    std::string with_digest = std::string(img.repo) + "@sha256:";
    append_hex(with_digest, digest, 4);
    w.obj().karr("names").str(with_digest).str(std::string(img.repo) + ":" + img.tag).end();
    w.knum("sizeBytes", img.size).end();
  }
  w.end();
  Uid boot(plan.opt.seed, kSaltNode ^ 0x3000, n.index),
      system(plan.opt.seed, kSaltNode ^ 0x4000, n.index);
  std::string machine;
  append_hex(machine, rng, 2);
  w.kobj("nodeInfo").kstr("architecture", "amd64").kstr("bootID", boot.view());
  w.kstr("containerRuntimeVersion", "containerd://1.6.39");
  w.kstr("kernelVersion", "5.10.134-19.1.al8.x86_64").kstr("kubeProxyVersion", "");
  w.kstr("kubeletVersion", "v1.33.3-aliyun.1").kstr("machineID", machine);
  w.kstr("operatingSystem", "linux");
  w.kstr("osImage", "Alibaba Cloud Linux 3.2104 U12 (OpenAnolis Edition)");
  w.kstr("systemUUID", system.view()).end();
  w.end();
}

}  // namespace

void render_node(Json& w, const Plan& plan, size_t i) {
  const Node& n = plan.nodes[i];
  Rng rng(plan.opt.seed, kSaltNode ^ 0x5000, n.index);
  std::string instance = "i-bp1";
  append_safe(instance, rng.next(), 12);
  const uint32_t cidr = pod_cidr_base(n.index);
  const std::string pod_cidr = ip_string(cidr) + "/24";
  w.obj().kstr("apiVersion", "v1").kstr("kind", "Node");
  render_metadata(w, plan, n, instance);
  w.kobj("spec").kstr("podCIDR", pod_cidr).karr("podCIDRs").str(pod_cidr).end();
  w.kstr("providerID", "cn-hangzhou." + instance);
  if (kNodePools[n.pool].tainted) {
    w.karr("taints").obj().kstr("effect", "NoSchedule").kstr("key", "dedicated");
    w.kstr("value", "ingress").end().end();
  }
  w.end();
  render_status(w, plan, n);
  w.end();
}

}  // namespace gen
