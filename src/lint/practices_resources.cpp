// Practice: every container (init containers too) states its cpu and memory requests and limits.
// Requests are what the scheduler places pods by and what an HPA scales on; limits bound a
// container that leaks. A CPU limit is only info: it throttles a busy container even when the
// node has idle CPU, so leaving it out is a defensible choice; a missing memory limit lets one
// container push the node into memory pressure and evict its neighbours.
#include <fmt/format.h>

#include <array>

#include "lint/checks.h"
#include "lint/practices.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
constexpr std::array kRules{
    LintRule{"practice-cpu-request-missing", "", Severity::kWarning,
             "A container without a CPU request", "Set resources.requests.cpu", kDoc},
    LintRule{"practice-memory-request-missing", "", Severity::kWarning,
             "A container without a memory request", "Set resources.requests.memory", kDoc},
    LintRule{"practice-cpu-limit-missing", "", Severity::kInfo, "A container without a CPU limit",
             "Set resources.limits.cpu if the container must not use idle CPU", kDoc},
    LintRule{"practice-memory-limit-missing", "", Severity::kWarning,
             "A container without a memory limit", "Set resources.limits.memory", kDoc},
};

struct Want {
  const LintRule& rule;
  std::string_view group;     // "requests" or "limits"
  std::string_view resource;  // "cpu" or "memory"
  std::string_view example;
};
constexpr std::array<Want, 4> kWants{{
    {kRules[0], "requests", "cpu", "100m"},
    {kRules[1], "requests", "memory", "128Mi"},
    {kRules[2], "limits", "cpu", "500m"},
    {kRules[3], "limits", "memory", "256Mi"},
}};

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    for (const TemplateContainer& c : template_containers(t)) {
      const Value& resources = (*c.spec)["resources"];
      for (const Want& w : kWants) {
        if (!resources[w.group][w.resource].is_null()) continue;
        const std::string what = c.init ? "init container" : "container";
        add_practice_finding(
            out, w.rule, t,
            fmt::format("{} {} {} `{}` sets no {} {}", t.owner->kind, t.owner->name, what, c.name,
                        w.resource, w.group == "requests" ? "request" : "limit"),
            c.name, fmt::format("{}.resources.{}.{}", c.path, w.group, w.resource), "(not set)",
            fmt::format("Set {}.resources.{}.{} (for example {}) from the container's measured "
                        "use (`kubectl top pod` under load)",
                        c.path, w.group, w.resource, w.example));
      }
    }
  }
}

}  // namespace

const LintCheck kPracticesResourcesCheck{"practices-resources", kRules, run};

}  // namespace ktriage::lint
