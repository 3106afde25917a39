#include "cli/netcheck_cloud.h"

#include <fmt/format.h>

#include <memory>

#include "cloud/sg_path.h"

namespace ktriage {
namespace {

void add_side(const char* direction, const cloud::HopSide& side, network::Hop& h) {
  if (!side.rule.empty()) {
    h.evidence.push_back(
        {side.file, side.path, fmt::format("{} {}: {}", direction, side.group, side.rule)});
  } else {
    h.evidence.push_back({side.instance, {}, fmt::format("{}: {}", direction, side.explain)});
  }
  if (!side.shadowed_rule.empty())
    h.evidence.push_back(
        {side.file, {}, fmt::format("overridden by the rule above: {}", side.shadowed_rule)});
  if (!side.missing_groups.empty())
    h.evidence.push_back({side.instance,
                          {},
                          fmt::format("security groups not in the snapshot: {}",
                                      fmt::join(side.missing_groups, ", "))});
}

network::Hop to_hop(const cloud::SecurityGroupHop& sg) {
  network::Hop h;
  h.step = "security-group";
  h.subject = sg.flow;
  switch (sg.status) {
    case cloud::HopStatus::kAllowed:
      h.verdict = network::Verdict::kOk;
      break;
    case cloud::HopStatus::kDenied:
      h.verdict = network::Verdict::kBlocked;
      break;
    case cloud::HopStatus::kUnknown:
      h.verdict = network::Verdict::kUnknown;
      break;
  }
  h.summary = sg.status == cloud::HopStatus::kUnknown ? sg.unknown_reason : sg.summary;
  if (sg.egress) add_side("egress", *sg.egress, h);
  if (sg.ingress) add_side("ingress", *sg.ingress, h);
  if (!sg.fix.empty()) h.evidence.push_back({{}, {}, "fix: " + sg.fix});
  if (!sg.unreadable_repair.empty()) h.evidence.push_back({{}, {}, "fix: " + sg.unreadable_repair});
  return h;
}

}  // namespace

std::function<std::optional<network::Hop>(std::string_view, std::string_view, int,
                                          std::string_view)>
security_group_hook(const Cluster& cluster) {
  auto paths = std::make_shared<const cloud::SecurityGroupPaths>(cluster);
  // Unreadable cloud answers still get the hop: it names them as why the verdict is unknown.
  if (cluster.cloud_documents().empty() && paths->view().unreadable().empty()) return {};
  return [paths](std::string_view from, std::string_view to, int port,
                 std::string_view protocol) -> std::optional<network::Hop> {
    return to_hop(paths->hop(from, to, protocol, port));
  };
}

}  // namespace ktriage
