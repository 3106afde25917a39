// Nodes a kube-system DaemonSet does not run on although nothing in its spec excludes them: a
// taint its pods do not tolerate (a GPU or dedicated node pool's taint is the usual one). The
// DaemonSet's status cannot show it: desiredNumberScheduled already leaves such nodes out. What
// that breaks depends on the add-on: no CNI daemon means no pod network on the node, no
// kube-proxy means no Service routing from it, no CSI node plugin means no volume mounts there.
// https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "core/time.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr Rule kMissing{
    "daemonset-missing-on-nodes",
    "",
    Severity::kWarning,
    "A kube-system DaemonSet does not run on some nodes because of taints it does not tolerate",
    "Add tolerations for those taints to the DaemonSet's pod template (add-ons usually tolerate "
    "everything: operator Exists), or remove the taint.",
    "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations"};
constexpr Rule kRules[] = {kMissing};

// Taints the DaemonSet controller tolerates on its own (pkg/controller/daemon/util
// AddOrUpdateDaemonPodTolerations, v1.12+); network-unavailable only for hostNetwork pods.
bool tolerated_by_default(std::string_view key, bool host_network) {
  return key == "node.kubernetes.io/not-ready" || key == "node.kubernetes.io/unreachable" ||
         key == "node.kubernetes.io/disk-pressure" || key == "node.kubernetes.io/memory-pressure" ||
         key == "node.kubernetes.io/pid-pressure" || key == "node.kubernetes.io/unschedulable" ||
         (host_network && key == "node.kubernetes.io/network-unavailable");
}

// What a missing pod breaks on its node, from the add-on's name.
std::string_view consequence(std::string_view name) {
  for (std::string_view cni : {"terway", "flannel", "calico", "cilium", "weave", "canal"}) {
    if (has(name, cni)) return "pods there get no network";
  }
  if (has(name, "kube-proxy")) return "Services are not routed from pods there";
  if (has(name, "csi")) return "volumes of this driver cannot be mounted there";
  if (has(name, "log") || has(name, "fluent") || has(name, "filebeat"))
    return "logs of pods there are not collected";
  return "its function is missing there";
}

bool critical_addon(std::string_view consequence_text) {
  return consequence_text != "its function is missing there" &&
         consequence_text != "logs of pods there are not collected";
}

void check(const Cluster& cluster, const Object& ds, FindingSink& sink) {
  const Value& pod_spec = ds.spec()["template"]["spec"];
  const bool host_network = pod_spec["hostNetwork"].as_bool();
  std::unordered_set<std::string_view> running_on;
  for (const Object* pod : cluster.children(ds)) running_on.insert(pod->spec()["nodeName"].str());
  struct Gap {
    const Object* node;
    std::string taint;
  };
  std::vector<Gap> gaps;
  for (const Object* node : cluster.of_kind("Node")) {
    if (node->spec()["taints"].size() == 0) continue;  // most nodes: nothing can keep it off
    if (running_on.count(node->name) > 0) continue;
    if (!spec_admits(pod_spec, *node)) continue;  // excluded on purpose
    for (const Value& taint : node->spec()["taints"].items()) {
      const std::string_view effect = taint["effect"].str();
      if (effect != "NoSchedule" && effect != "NoExecute") continue;
      if (tolerated_by_default(taint["key"].str(), host_network)) continue;
      // Control-plane nodes are kept free of add-ons on purpose more often than not.
      if (taint["key"].str() == "node-role.kubernetes.io/control-plane" ||
          taint["key"].str() == "node-role.kubernetes.io/master")
        break;
      if (tolerates(pod_spec["tolerations"], taint)) continue;
      gaps.push_back({node, taint_string(taint)});
      break;
    }
  }
  if (gaps.empty()) return;
  const std::string_view breaks = consequence(ds.name);
  Finding& f = sink.add(
      kMissing, ds,
      fmt::format("DaemonSet {} does not run on {} node{} ({}{}): taint {} is not tolerated, so {}",
                  ds.name, gaps.size(), gaps.size() == 1 ? "" : "s", gaps.front().node->name,
                  gaps.size() > 1 ? fmt::format(" and {} more", gaps.size() - 1) : "",
                  gaps.front().taint, breaks));
  if (!critical_addon(breaks)) f.severity = Severity::kInfo;
  for (std::size_t i = 0; i < gaps.size() && i < 5; ++i) {
    f.evidence.push_back(
        Evidence::field("node/" + std::string(gaps[i].node->name), ".spec.taints",
                        gaps[i].taint + " (no " + std::string(ds.name) + " pod on this node)"));
  }
  const Value& tolerations = pod_spec["tolerations"];
  std::string listed;
  for (const Value& t : tolerations.items()) {
    listed +=
        (listed.empty() ? "" : ", ") +
        (t["operator"].str() == "Exists" && t["key"].str().empty()
             ? std::string("everything")
             : fmt::format("{}{}", t["key"].str(),
                           t["effect"].str().empty() ? "" : ":" + std::string(t["effect"].str())));
  }
  f.evidence.push_back(
      field_evidence(ds, ".spec.template.spec.tolerations", listed.empty() ? "(none)" : listed));
  for (std::size_t i = 1; i < gaps.size(); ++i) f.also_affects.push_back(gaps[i].node->ref());
  const std::string_view key_end = gaps.front().taint;
  const std::string key(key_end.substr(0, key_end.find_first_of("=:")));
  // A JSON-patch "add" to tolerations/- needs the list to exist: without one, add the list.
  const std::string op =
      tolerations.size() > 0
          ? fmt::format(
                "{{\"op\":\"add\",\"path\":\"/spec/template/spec/tolerations/-\","
                "\"value\":{{\"key\":\"{}\",\"operator\":\"Exists\"}}}}",
                key)
          : fmt::format(
                "{{\"op\":\"add\",\"path\":\"/spec/template/spec/tolerations\","
                "\"value\":[{{\"key\":\"{}\",\"operator\":\"Exists\"}}]}}",
                key);
  f.fix = fmt::format(
      "Let {0} tolerate the taint: kubectl -n {1} patch daemonset {0} --type json -p '[{2}]' (for "
      "an ACK-managed add-on, set the tolerations in its add-on configuration instead, or the "
      "next add-on upgrade reverts it); or remove the taint from the nodes if it was not meant "
      "for add-ons.",
      ds.name, ds.ns, op);
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  for (const Object* ds : ctx.cluster.of_kind("DaemonSet")) {
    if (ds->ns == "kube-system" && ds->metadata()["deletionTimestamp"].is_null())
      check(ctx.cluster, *ds, sink);
  }
}

}  // namespace

const AnalyzerDef& daemonsets_analyzer() {
  static const AnalyzerDef kDef{"daemonsets", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
