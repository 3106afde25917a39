// Versions against the version skew policy (https://kubernetes.io/releases/version-skew-policy/)
// and what the next upgrade needs: kubelet and kube-proxy versions against kube-apiserver, and
// nodes still on the Docker runtime. Catalog: ACK-UPGRADE-VERSION-SKEW (ACK also asks node pools
// to be on the control plane's version before its next upgrade, and has no Docker from 1.24).
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"

namespace ktriage {
namespace {

constexpr Rule kKubeletSkew{
    "node-kubelet-version-skew",
    "ACK-UPGRADE-VERSION-SKEW",
    Severity::kWarning,
    "Kubelet version outside the supported skew of the API server",
    "Upgrade the node pool's kubelet to the control plane's minor version before the next "
    "control-plane upgrade.",
    "https://kubernetes.io/releases/version-skew-policy/#kubelet"};
constexpr Rule kProxySkew{
    "node-kube-proxy-version-skew",
    "ACK-UPGRADE-VERSION-SKEW",
    Severity::kWarning,
    "kube-proxy version outside the supported skew of the API server or of its node's kubelet",
    "Upgrade kube-proxy (the add-on or its DaemonSet image) with the control plane and node pools.",
    "https://kubernetes.io/releases/version-skew-policy/#kube-proxy"};
constexpr Rule kDocker{
    "node-docker-runtime",
    "ACK-UPGRADE-VERSION-SKEW",
    Severity::kInfo,
    "Nodes run the Docker runtime: Kubernetes 1.24 removed dockershim and ACK supports Docker "
    "nodes only up to 1.22",
    "Move the node pools to containerd (new pool, drain, delete the old one) before upgrading.",
    "https://kubernetes.io/docs/tasks/administer-cluster/migrating-from-dockershim/"};
constexpr Rule kRules[] = {kKubeletSkew, kProxySkew, kDocker};

// The API server's (major, minor) and the policy's allowance for older components: three minor
// versions from v1.28 on, two before.
struct Server {
  std::string version;
  std::pair<int, int> minor;
  int allowed_older = 2;
};

std::optional<Server> server_of(const Cluster& cluster) {
  const auto& v = cluster.server_version();
  if (!v) return std::nullopt;
  auto m = kubelet_minor_version(*v);
  if (!m) return std::nullopt;
  return Server{*v, *m, m->second >= 28 ? 3 : 2};
}

// One component version seen on one object (a Node's kubelet, a kube-proxy pod).
struct Seen {
  const Object* object;
  std::string path;
  std::string version;
  std::string reason;  ///< "" when within the policy
};

// One finding per version outside the policy, the first five objects as evidence.
void report(const Rule& rule, std::string_view component, const Server& server,
            std::vector<Seen> seen, FindingSink& sink) {
  std::map<std::string, std::vector<const Seen*>> by_version;
  std::sort(seen.begin(), seen.end(),
            [](const Seen& a, const Seen& b) { return a.object->name < b.object->name; });
  for (const Seen& s : seen) {
    if (!s.reason.empty()) by_version[s.version].push_back(&s);
  }
  for (const auto& [version, list] : by_version) {
    const Seen& first = *list.front();
    const bool newer = kubelet_minor_version(version)->second > server.minor.second;
    Finding& f = sink.add(
        rule, *first.object,
        fmt::format("{} {} on {} {}{} is {} (supported with API server {}: {}.{} to {}.{})",
                    component, version, list.size(), first.object->kind == "Node" ? "node" : "pod",
                    list.size() == 1 ? "" : "s", first.reason, server.version, server.minor.first,
                    std::max(0, server.minor.second - server.allowed_older), server.minor.first,
                    server.minor.second),
        version);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i < 5) f.evidence.push_back(field_evidence(*list[i]->object, list[i]->path, version));
      if (i > 0) f.also_affects.push_back(list[i]->object->ref());
    }
    f.evidence.push_back(Evidence::note(fmt::format("API server version {}", server.version)));
    f.fix = newer ? fmt::format(
                        "Upgrade the control plane to {}.{} first, or run {} {}.{}: it must never "
                        "be newer than the API server.",
                        server.minor.first, kubelet_minor_version(version)->second, component,
                        server.minor.first, server.minor.second)
                  : fmt::format(
                        "Upgrade {} to {}.{} (node pools: drain with PDBs respected, kubectl drain "
                        "NODE --ignore-daemonsets --delete-emptydir-data) before any further "
                        "control-plane upgrade.",
                        component, server.minor.first, server.minor.second);
  }
}

// Why `version` breaks the policy against the API server, or "".
std::string against_server(std::string_view version, const Server& server) {
  const auto v = kubelet_minor_version(version);
  if (!v || v->first != server.minor.first) return "";
  if (v->second > server.minor.second) return "newer than the API server";
  if (server.minor.second - v->second > server.allowed_older) return "too old for the API server";
  return "";
}

void check_kubelets(const Cluster& cluster, const Server& server, FindingSink& sink) {
  std::vector<Seen> seen;
  for (const Object* node : cluster.of_kind("Node")) {
    const std::string_view v = node->status()["nodeInfo"]["kubeletVersion"].str();
    seen.push_back(
        {node, ".status.nodeInfo.kubeletVersion", std::string(v), against_server(v, server)});
  }
  report(kKubeletSkew, "Kubelet", server, std::move(seen), sink);
}

// kube-proxy's version: the tag of its pods' image (the kube-proxy DaemonSet, ACK's
// kube-proxy-worker), "v1.30.1-aliyun.1" -> v1.30. kube-proxy must not be newer than the API
// server nor more than the allowance older; and at most three minors from its node's kubelet.
void check_kube_proxy(const Cluster& cluster, const Server& server, FindingSink& sink) {
  std::vector<Seen> seen;
  for (const Object* pod : cluster.pods_in("kube-system")) {
    if (pod->label("k8s-app") != "kube-proxy" && !pod->name.starts_with("kube-proxy")) continue;
    const auto containers = pod->spec()["containers"].items();
    for (std::size_t i = 0; i < containers.size(); ++i) {
      std::string_view image = containers[i]["image"].str();
      image = image.substr(0, image.find('@'));  // a digest pin: the tag is before it
      if (!has(image, "kube-proxy")) continue;
      const std::size_t colon = image.rfind(':');
      if (colon == std::string_view::npos || image.find('/', colon) != std::string_view::npos)
        continue;
      const std::string_view tag = image.substr(colon + 1);
      std::string reason = against_server(tag, server);
      if (reason.empty()) {
        const Object* node = cluster.find("Node", "", pod->spec()["nodeName"].str());
        const auto k =
            node == nullptr
                ? std::nullopt
                : kubelet_minor_version(node->status()["nodeInfo"]["kubeletVersion"].str());
        const auto p = kubelet_minor_version(tag);
        // Three minors either way from v1.25 (two before, for the older of the two).
        const int allowed = p && k && std::min(p->second, k->second) >= 25 ? 3 : 2;
        if (k && p && k->first == p->first && std::abs(k->second - p->second) > allowed)
          reason = fmt::format("more than {} minor versions from its node's kubelet {}",
                               allowed == 3 ? "three" : "two",
                               node->status()["nodeInfo"]["kubeletVersion"].str());
      }
      seen.push_back(
          {pod, fmt::format(".spec.containers[{}].image", i), std::string(tag), std::move(reason)});
    }
  }
  report(kProxySkew, "kube-proxy", server, std::move(seen), sink);
}

// Nodes whose status.nodeInfo.containerRuntimeVersion is docker://...: from 1.24 they only run
// through cri-dockerd, which ACK does not support; before 1.24 they block the upgrade to it.
void check_docker(const Cluster& cluster, const Server& server, FindingSink& sink) {
  std::vector<const Object*> docker;
  for (const Object* node : cluster.of_kind("Node")) {
    if (node->status()["nodeInfo"]["containerRuntimeVersion"].str().starts_with("docker://"))
      docker.push_back(node);
  }
  if (docker.empty()) return;
  const bool removed = server.minor.first == 1 && server.minor.second >= 24;
  Finding& f =
      sink.add(kDocker, *docker.front(),
               fmt::format("{} node{} run{} the Docker runtime ({}): {}", docker.size(),
                           docker.size() == 1 ? "" : "s", docker.size() == 1 ? "s" : "",
                           docker.front()->status()["nodeInfo"]["containerRuntimeVersion"].str(),
                           removed ? "Kubernetes " + server.version +
                                         " has no dockershim, so only cri-dockerd runs them"
                                   : "they cannot follow an upgrade to 1.24 or later"));
  for (std::size_t i = 0; i < docker.size(); ++i) {
    if (i < 5)
      f.evidence.push_back(
          field_evidence(*docker[i], ".status.nodeInfo.containerRuntimeVersion",
                         docker[i]->status()["nodeInfo"]["containerRuntimeVersion"].str()));
    if (i > 0) f.also_affects.push_back(docker[i]->ref());
  }
  f.evidence.push_back(Evidence::note(fmt::format("API server version {}", server.version)));
  f.fix =
      "Create a node pool with the containerd runtime, drain these nodes into it (kubectl drain "
      "NODE --ignore-daemonsets --delete-emptydir-data), then remove the Docker node pool; "
      "images built with Docker run unchanged on containerd.";
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const auto server = server_of(ctx.cluster);
  if (!server) return;
  check_kubelets(ctx.cluster, *server, sink);
  check_kube_proxy(ctx.cluster, *server, sink);
  check_docker(ctx.cluster, *server, sink);
}

}  // namespace

const AnalyzerDef& versions_analyzer() {
  static const AnalyzerDef kDef{"versions", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
