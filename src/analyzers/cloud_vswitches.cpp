// Terway's pod vSwitches against their free addresses (fault catalog NET-TERWAY-VSWITCH-IP-
// EXHAUSTED): a vSwitch of kube-system/eni-config (or, without one, of the cluster) whose
// AvailableIpAddressCount in the snapshot's vpc DescribeVSwitches answer is 0 leaves new pods in
// its zone without an address; a handful left is a warning. Reads only the snapshot.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "cloud/view.h"

namespace ktriage {
namespace {

constexpr std::string_view kDoc =
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "virtual-switch-remaining-ip-state-aware-scheduling";

constexpr Rule kExhausted{
    "terway-vswitch-ip-exhausted",
    "NET-TERWAY-VSWITCH-IP-EXHAUSTED",
    Severity::kCritical,
    "A Terway pod vSwitch has no free IP addresses left",
    "Add a pod vSwitch with a new CIDR for the zone to eni-config (vswitches), release leaked "
    "IPs, or reduce pod density.",
    kDoc};
constexpr Rule kRules[] = {kExhausted};

// Fewer free addresses than this is a warning: a burst of pods (a rollout) takes them.
constexpr std::int64_t kLowIps = 16;

// Pods on `node` that have no sandbox yet: ContainerCreating, or Pending though scheduled.
std::size_t waiting_pods(const Cluster& cluster, const Object& node) {
  std::size_t n = 0;
  for (const Object* pod : cluster.pods_on_node(node.name)) {
    if (pod->status()["phase"].str() != "Pending") continue;
    for (const Value& c : pod->status()["containerStatuses"].items()) {
      if (c["state"]["waiting"]["reason"].str() == "ContainerCreating") {
        ++n;
        break;
      }
    }
    if (pod->status()["containerStatuses"].size() == 0) ++n;
  }
  return n;
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const cloud::CloudView view(ctx.cluster);
  if (view.vswitches().empty()) return;
  std::vector<std::string> ids = view.terway_vswitches();
  std::string_view source = "kube-system/eni-config";
  if (ids.empty()) {
    if (view.plugin() != cloud::NetworkPlugin::kTerway || !view.detail()) return;
    ids = view.detail()->vswitch_ids;
    source = "the cluster (DescribeClusterDetail vswitch_ids)";
  }
  for (const std::string& id : ids) {
    const cloud::VSwitch* v = view.vswitch(id);
    if (v == nullptr || v->available_ips < 0 || v->available_ips >= kLowIps) continue;
    std::vector<std::string> others;
    for (const std::string& o : ids) {
      const cloud::VSwitch* w = view.vswitch(o);
      if (w != nullptr && w != v && w->zone == v->zone && w->available_ips != 0) {
        others.push_back(fmt::format("{} ({} free)", w->id, w->available_ips));
      }
    }
    std::vector<std::string> nodes;
    std::size_t waiting = 0;
    for (const cloud::NodeInstance& n : view.nodes()) {
      if (n.instance == nullptr || n.instance->zone != v->zone) continue;
      nodes.emplace_back(n.node->name);
      waiting += waiting_pods(ctx.cluster, *n.node);
    }
    const ObjectRef ref{"VSwitch", "", v->id, ""};
    Finding& f = sink.add(
        kExhausted, ref,
        v->available_ips == 0
            ? fmt::format("Terway pod vSwitch {} ({}, zone {}) has no free IP address: new pods "
                          "on nodes in {} get none{}",
                          v->id, v->cidr, v->zone, v->zone,
                          others.empty() ? "" : " unless Terway uses the zone's other vSwitches")
            : fmt::format("Terway pod vSwitch {} ({}, zone {}) has only {} free IP addresses",
                          v->id, v->cidr, v->zone, v->available_ips));
    if (v->available_ips > 0) f.severity = Severity::kWarning;
    Evidence e = Evidence::field(
        "vswitch/" + v->id, fmt::format(".VSwitches.VSwitch[{}].AvailableIpAddressCount", v->index),
        std::to_string(v->available_ips));
    e.file = v->file;
    f.evidence.push_back(std::move(e));
    f.evidence.push_back(Evidence::note(fmt::format("a pod vSwitch of {}", source)));
    if (!nodes.empty()) {
      f.evidence.push_back(Evidence::note(
          fmt::format("nodes in zone {}: {}; {} pods on them wait for a sandbox (an IP)", v->zone,
                      fmt::join(nodes, ", "), waiting)));
    }
    if (!others.empty()) {
      f.evidence.push_back(Evidence::note(
          fmt::format("other pod vSwitches in zone {}: {}", v->zone, fmt::join(others, ", "))));
    }
    f.fix = fmt::format(
        "create a vSwitch with a free CIDR in zone {} (aliyun vpc CreateVSwitch --RegionId {} "
        "--VpcId {} --ZoneId {} --CidrBlock <free CIDR>) and add it to the zone's list in "
        "eni-config (kubectl -n kube-system edit configmap eni-config: \"vswitches\": {{\"{}\": "
        "[\"{}\", \"<new vsw-id>\"]}}), then restart the terway pods; or release leaked IPs and "
        "lower pod density",
        v->zone, view.region().empty() ? "<region>" : view.region(),
        v->vpc_id.empty() ? "<vpc-id>" : v->vpc_id, v->zone, v->zone, v->id);
  }
}

}  // namespace

const AnalyzerDef& cloud_vswitches_analyzer() {
  static const AnalyzerDef kDef{"cloud_vswitches", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
