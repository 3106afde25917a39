#include "upgrade/rules.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace ktriage::upgrade {
namespace {

constexpr std::string_view kSkew = "ACK-UPGRADE-VERSION-SKEW";
constexpr std::string_view kComponent = "ACK-UPGRADE-PRECHECK-COMPONENT-VERSION";
constexpr std::string_view kHelm = "UPGRADE-HELM-RELEASE-REMOVED-API";

constexpr std::array kRules{
    UpgradeRule{"upgrade-target-not-newer", kSkew, Severity::kCritical,
                "The target is not newer than the control plane (no downgrades)",
                "Give a newer minor release with --to."},
    UpgradeRule{"upgrade-skips-minor", kSkew, Severity::kCritical,
                "The target skips minor releases: the control plane upgrades one at a time",
                "Upgrade in steps of one minor release, node pools following each step."},
    UpgradeRule{"upgrade-kubelet-too-old", kSkew, Severity::kCritical,
                "Kubelets older than the version-skew policy allows against the target",
                "Upgrade those node pools first, then the control plane."},
    UpgradeRule{"upgrade-docker-runtime", kSkew, Severity::kCritical,
                "Nodes on the Docker runtime, unsupported from 1.24 (dockershim removed)",
                "Move the nodes to containerd before the upgrade."},
    UpgradeRule{"upgrade-pdb-blocks-drain", "PDB-BLOCKS-EVICTION", Severity::kWarning,
                "A PodDisruptionBudget allows no disruption: node drains hang on its pods",
                "Scale the workload up or relax the budget before the upgrade."},
    UpgradeRule{"upgrade-csi-plugin-notready-nodes", kComponent, Severity::kCritical,
                "NotReady nodes: ACK's csi-plugin upgrade fails while any node is NotReady",
                "Bring the nodes back or remove them, then upgrade csi-plugin."},
    UpgradeRule{"upgrade-csi-provisioner-one-node", kComponent, Severity::kCritical,
                "Fewer than two schedulable Ready nodes for csi-provisioner's two replicas",
                "Add or uncordon a node, then upgrade csi-provisioner."},
    UpgradeRule{"upgrade-helm-release-removed-api", kHelm, Severity::kCritical,
                "A Helm release's stored manifest uses APIs the target no longer serves",
                "Rewrite the release's stored manifest (helm mapkubeapis), then upgrade."},
    UpgradeRule{"upgrade-helm-release-deprecated-api", kHelm, Severity::kWarning,
                "A Helm release's stored manifest uses APIs the target deprecates",
                "Move the chart to the replacement APIs before they are removed."},
};

}  // namespace

std::span<const UpgradeRule> upgrade_rules() { return kRules; }

const UpgradeRule& upgrade_rule(std::string_view id) {
  const auto* it =
      std::find_if(kRules.begin(), kRules.end(), [id](const UpgradeRule& r) { return r.id == id; });
  if (it == kRules.end()) std::abort();  // a rule id without its record: a programming error
  return *it;
}

}  // namespace ktriage::upgrade
