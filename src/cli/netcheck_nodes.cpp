#include "cli/netcheck_nodes.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "model/addon_pods.h"
#include "model/pod.h"

namespace ktriage {

std::function<std::optional<network::Hop>(std::string_view, bool)> node_health_hook(
    const Cluster& cluster, const Diagnosis& diagnosis) {
  // Findings by object, built once for every node the path visits.
  auto about = std::make_shared<std::multimap<std::string, const Finding*>>();
  for (const Finding& f : diagnosis.findings) {
    if (f.severity >= Severity::kWarning)
      about->emplace(object_key(f.object.kind, f.object.ns, f.object.name), &f);
  }
  return [&cluster, about](std::string_view name, bool kube_proxy) -> std::optional<network::Hop> {
    const Object* node = cluster.find("Node", "", name);
    network::Hop h;
    h.step = "node";
    h.subject = fmt::format("node/{}", name);
    if (node == nullptr) {
      h.verdict = network::Verdict::kUnknown;
      h.summary = "the Node object is not in the snapshot";
      return h;
    }
    auto add_findings = [&](const Object& o) {
      bool any = false;
      auto [a, b] = about->equal_range(object_key(o.kind, o.ns, o.name));
      for (auto it = a; it != b; ++it) {
        h.evidence.push_back(
            {fmt::format("{}/{}", it->second->rule, o.name), "", it->second->summary});
        any = true;
      }
      return any;
    };
    const std::string_view ready = node->condition("Ready")["status"].str();
    h.evidence.push_back({h.subject, ".status.conditions[Ready]",
                          ready.empty() ? "(not reported)" : std::string(ready)});
    bool trouble = ready != "True";
    trouble = add_findings(*node) || trouble;
    bool cni = false, proxy = false;
    for (const Object* pod : cluster.pods_on_node(name)) {
      const bool is_cni = is_cni_daemon(*pod), is_proxy = is_kube_proxy(*pod);
      if (!is_cni && !is_proxy) continue;
      const PodView v(*pod);
      if (v.terminated()) continue;
      cni = cni || is_cni;
      proxy = proxy || is_proxy;
      h.evidence.push_back({fmt::format("pod/{}/{}", pod->ns, pod->name),
                            ".status.conditions[Ready]", v.ready() ? "True" : "False"});
      trouble = !v.ready() || trouble;
      trouble = add_findings(*pod) || trouble;
    }
    if (trouble) {
      h.verdict = network::Verdict::kWarning;
      h.summary = "the node or its network add-ons are unhealthy (see below)";
    } else if (!cni || (kube_proxy && !proxy)) {
      h.verdict = network::Verdict::kUnknown;
      h.summary =
          fmt::format("Ready; no {} pod of this node in the snapshot", !cni ? "CNI" : "kube-proxy");
    } else {
      h.verdict = network::Verdict::kOk;
      h.summary = kube_proxy ? "Ready; CNI and kube-proxy pods Ready" : "Ready; CNI pod Ready";
    }
    return h;
  };
}

}  // namespace ktriage
