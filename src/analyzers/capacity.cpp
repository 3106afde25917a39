// Capacity that is there but cannot be used: nodes whose allocatable is far below their capacity
// (kube-reserved, system-reserved, eviction thresholds or hugepages set too high), and namespace
// ResourceQuotas already used up, so the next create that needs the resource is rejected.
// https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/
// https://kubernetes.io/docs/concepts/policy/resource-quotas/
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "core/quantity.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr Rule kAllocatable{
    "node-allocatable-low",
    "",
    Severity::kInfo,
    "Node allocatable far below capacity: reservations take much of the node from pods",
    "Lower kube-reserved, system-reserved or the eviction threshold in the kubelet configuration "
    "(ACK: the node pool's kubelet parameters), or the hugepages reservation.",
    "https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/"};
constexpr Rule kQuota{
    "resourcequota-exhausted",
    "RS-FAILEDCREATE-QUOTA-EXCEEDED",
    Severity::kWarning,
    "ResourceQuota used up: the next create that needs the resource is rejected",
    "Raise the quota's hard limit, or free what counts against it (delete finished pods, unused "
    "claims, lower requests).",
    "https://kubernetes.io/docs/concepts/policy/resource-quotas/"};
constexpr Rule kRules[] = {kAllocatable, kQuota};

// Pods may use less than this share of the node. Managed defaults keep 85-93% of a 16 GiB node
// for pods, but small nodes lose far more (AKS keeps about 57% of 4 GiB): only under half is a
// reservation out of proportion on any node.
constexpr double kLowShare = 0.50;

// The amount as written: "500m", 2, 0.5.
std::string text(const Value& v) {
  if (v.type() == Value::Type::kDouble) return fmt::format("{}", v.as_double());
  return v.is_number() ? std::to_string(v.as_int()) : std::string(v.str());
}

void check_allocatable(const Cluster& cluster, FindingSink& sink) {
  // Nodes of one pool have the same shape: one finding per (resource, capacity, allocatable).
  struct Group {
    MilliQuantity cap = 0, alloc = 0;
    std::vector<const Object*> nodes;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Group> groups;
  for (const Object* node : cluster.of_kind("Node")) {
    for (std::string_view resource : {"cpu", "memory"}) {
      const Value& cap = node->status()["capacity"][resource];
      const Value& alloc = node->status()["allocatable"][resource];
      const auto c = request_quantity(cap), a = request_quantity(alloc);
      if (!c || !a || *c <= 0) continue;
      if (static_cast<double>(*a) / static_cast<double>(*c) >= kLowShare) continue;
      Group& g = groups[{std::string(resource), text(cap), text(alloc)}];
      g.cap = *c;
      g.alloc = *a;
      g.nodes.push_back(node);
    }
  }
  for (const auto& [key, g] : groups) {
    const auto& [resource, cap, alloc] = key;
    const int percent =
        static_cast<int>(100.0 * static_cast<double>(g.alloc) / static_cast<double>(g.cap));
    const Object& first = *g.nodes.front();
    Finding& f = sink.add(
        kAllocatable, first,
        fmt::format("Node {}{}: pods may use only {}% of its {} (allocatable {} of capacity {})",
                    first.name,
                    g.nodes.size() > 1 ? fmt::format(" and {} more", g.nodes.size() - 1) : "",
                    percent, resource, alloc, cap),
        resource);
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
      if (i < 3) {
        f.evidence.push_back(
            field_evidence(*g.nodes[i], fmt::format(".status.capacity.{}", resource), cap));
        f.evidence.push_back(
            field_evidence(*g.nodes[i], fmt::format(".status.allocatable.{}", resource), alloc));
      }
      if (i > 0) f.also_affects.push_back(g.nodes[i]->ref());
    }
    f.evidence.push_back(Evidence::note(fmt::format(
        "{} reserved from pods (kube-reserved + system-reserved + eviction threshold{})",
        format_quantity(resource, g.cap - g.alloc), resource == "memory" ? " + hugepages" : "")));
    f.fix = fmt::format(
        "Read the kubelet's reservations on {0}: kubectl get --raw "
        "/api/v1/nodes/{0}/proxy/configz (kubeReserved, systemReserved, evictionHard); lower them "
        "in the kubelet configuration (ACK: the node pool's kubelet parameters){1}. About 10% of "
        "a node is normal.",
        first.name, resource == "memory" ? ", and check hugepages-* in .status.capacity" : "");
  }
}

// ResourceQuota status (kube-controller-manager resourcequota controller): used >= hard for a
// resource with a non-zero limit. A hard limit of 0 is a policy ("no LoadBalancers here"), not
// exhaustion. When a controller already fails to create pods on this quota
// (rs-failedcreate-quota-exceeded), that finding tells it and this one stays out.
void check_quotas(const Cluster& cluster, std::span<const Finding> findings, FindingSink& sink) {
  for (const Object* q : cluster.of_kind("ResourceQuota")) {
    std::vector<std::string> full;
    std::vector<Evidence> facts;
    for (const Member& m : q->status()["hard"].members()) {
      const auto hard = request_quantity(m.value);
      const auto used = request_quantity(q->status()["used"][m.key]);
      if (!hard || !used || *hard <= 0 || *used < *hard) continue;
      full.emplace_back(m.key);
      facts.push_back(field_evidence(
          *q, fmt::format(".status.used[{}]", m.key),
          fmt::format("{} of hard {}", text(q->status()["used"][m.key]), text(m.value))));
    }
    if (full.empty()) continue;
    const bool told = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
      if (f.rule != "rs-failedcreate-quota-exceeded" || f.object.ns != q->ns) return false;
      // The API server names the quota as "exceeded quota: NAME, requested: ...".
      const std::string named = fmt::format("exceeded quota: {},", q->name);
      if (has(f.summary, named)) return true;
      return std::any_of(f.evidence.begin(), f.evidence.end(),
                         [&](const Evidence& e) { return has(e.value, named); });
    });
    if (told) continue;
    Finding& f = sink.add(
        kQuota, *q,
        fmt::format("ResourceQuota {} in namespace {} is used up ({}): the next create that "
                    "needs {} is rejected",
                    q->name, q->ns, fmt::join(full, ", "), full.size() == 1 ? "it" : "them"));
    for (Evidence& e : facts) f.evidence.push_back(std::move(e));
    f.fix = fmt::format(
        "Raise the limit: kubectl -n {0} edit resourcequota {1} (spec.hard[{2}]), or free usage: "
        "kubectl -n {0} describe resourcequota {1}, then delete finished pods or unused claims, "
        "or lower requests.",
        q->ns, q->name, full.front());
  }
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  check_allocatable(ctx.cluster, sink);
  check_quotas(ctx.cluster, findings, sink);
}

}  // namespace

const AnalyzerDef& capacity_analyzer() {
  static const AnalyzerDef kDef{"capacity", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
