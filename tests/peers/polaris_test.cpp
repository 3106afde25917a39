// Polaris's check fixtures (../shared/peers/polaris, FairwindsOps/polaris c0e23a2) against lint's
// practice rules. Polaris judges a whole file: a failure fixture must give a danger result, a
// success fixture none. So for each Polaris check a practice rule covers, a failure fixture must
// get one of the mapped rules on some object of the file and a success fixture none. Mutated
// files (Polaris's own fix, applied) and check definitions are "not covered" rows, as are the
// checks no practice rule covers, each with the reason. The table is docs/peers/polaris.md;
// the counts below are exact.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "load/document.h"
#include "peers/peer_report.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::PeerResult;
using testing::PeerRow;
using Mapping = testing::PeerMapping;

const std::string kDir = testing::shared_dir() + "/peers/polaris/";

const std::string kNotAsked = "Not in issue 6's practice set.";
const std::string kRbac = "RBAC review is not in issue 6's practice set.";

const std::vector<Mapping>& mappings() {
  static const std::vector<Mapping> kMappings = {
      {"cpuRequestsMissing", {"practice-cpu-request-missing"}},
      {"memoryRequestsMissing", {"practice-memory-request-missing"}},
      {"cpuLimitsMissing", {"practice-cpu-limit-missing"}},
      {"memoryLimitsMissing", {"practice-memory-limit-missing"}},
      {"readinessProbeMissing", {"practice-readiness-probe-missing"}},
      {"livenessProbeMissing", {"practice-liveness-probe-missing"}},
      {"tagNotSpecified", {"practice-image-tag-latest"}},
      {"runAsPrivileged", {"practice-privileged"}},
      {"runAsRootAllowed", {"practice-run-as-non-root-missing", "practice-run-as-root"}},
      {"privilegeEscalationAllowed", {"practice-privilege-escalation-allowed"}},
      {"notReadOnlyRootFilesystem", {"practice-writable-root-filesystem"}},
      {"insecureCapabilities", {"practice-capabilities-not-dropped"}},
      {"dangerousCapabilities", {"practice-capabilities-dangerous"}},
      {"hostNetworkSet", {"practice-host-network"}},
      {"hostPIDSet", {"practice-host-pid"}},
      {"hostIPCSet", {"practice-host-ipc"}},
      {"hostPathSet", {"practice-host-path"}},
      {"missingNetworkPolicy",
       {"practice-network-policy-missing", "practice-network-policy-not-selected",
        "practice-network-policy-one-direction"}},
      {"missingPodDisruptionBudget", {"practice-pdb-missing"}},
      {"topologySpreadConstraint", {"practice-spread-missing"}},
      {"pullPolicyNotAlways",
       {},
       "",
       "Polaris asks for imagePullPolicy Always on every image; ktriage flags only IfNotPresent "
       "or Never with a mutable tag (practice-image-pull-policy-stale)."},
      {"automountServiceAccountToken", {}, "", kNotAsked},
      {"deploymentMissingReplicas",
       {},
       "",
       "Not asked: one replica is a valid choice; ktriage checks what multi-replica workloads "
       "need."},
      {"hostPortSet", {}, "", kNotAsked},
      {"hostProcess", {}, "", "Windows HostProcess containers: " + kNotAsked},
      {"procMount", {}, "", kNotAsked},
      {"linuxHardening", {}, "", "seccomp, AppArmor and SELinux profiles: " + kNotAsked},
      {"priorityClassNotSet", {}, "", kNotAsked},
      {"metadataAndInstanceMismatched", {}, "", "Label hygiene: " + kNotAsked},
      {"sensitiveConfigmapContent", {}, "", "Secret scanning: " + kNotAsked},
      {"sensitiveContainerEnvVar", {}, "", "Secret scanning: " + kNotAsked},
      {"tlsSettingsMissing", {}, "", kNotAsked},
      {"hpaMaxAvailability", {}, "", "HPA sizing: " + kNotAsked},
      {"hpaMinAvailability", {}, "", "HPA sizing: " + kNotAsked},
      {"pdbDisruptionsIsZero",
       {},
       "",
       "A PDB that allows no disruption: upgrade-check's drain-blocking PDBs judge it against "
       "live replicas; not a lint practice rule."},
      {"pdbMinAvailableGreaterThanHPAMinReplicas",
       {},
       "",
       "A reference check between objects (issue 6 part 2, src/lint/references.cpp)."},
      {"nakedPod", {}, "", "A custom check of the test suite (check.yaml), not a built-in one."},
      {"oneController",
       {},
       "",
       "A custom check of the test suite (check.yaml), not a built-in one."},
      {"resourceRange",
       {},
       "",
       "A custom check of the test suite (check.yaml), not a built-in one."},
      {"clusterrolePodExecAttach", {}, "", kRbac},
      {"clusterrolebindingClusterAdmin", {}, "", kRbac},
      {"clusterrolebindingPodExecAttach", {}, "", kRbac},
      {"rolePodExecAttach", {}, "", kRbac},
      {"rolebindingClusterAdminClusterRole", {}, "", kRbac},
      {"rolebindingClusterAdminRole", {}, "", kRbac},
      {"rolebindingClusterRolePodExecAttach", {}, "", kRbac},
      {"rolebindingRolePodExecAttach", {}, "", kRbac},
  };
  return kMappings;
}

// Where ktriage answers differently on purpose: fixture (under test/checks/) → why.
const std::string kPdbReplicas =
    "Polaris checks every workload; this one has no spec.replicas, which the API defaults to 1, "
    "and a PodDisruptionBudget on a single pod blocks every drain of its node "
    "(PDB-BLOCKS-EVICTION): ktriage asks for one only above 1 replica.";
const std::string kSpreadReplicas =
    "Polaris asks for topologySpreadConstraints on every workload; this one has no spec.replicas "
    "(1 by the API's default), and one pod has nothing to spread: ktriage asks only above 1 "
    "replica, and takes pod anti-affinity as well.";
const std::string kDenyAll =
    "A policy that lists a direction in policyTypes without rules denies all of it: ktriage counts "
    "the pod as covered; Polaris asks for at least one rule.";

const std::map<std::string, std::string>& differences() {
  static const std::map<std::string, std::string> kDifferences = {
      {"missingPodDisruptionBudget/failure-bad-ns.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.bad-name.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.empty-labels.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.no-labels.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.no-metadata.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.wrong-place.yaml", kPdbReplicas},
      {"missingPodDisruptionBudget/failure.yaml", kPdbReplicas},
      {"topologySpreadConstraint/failure.empty.yaml", kSpreadReplicas},
      {"topologySpreadConstraint/failure.nospreadconstraint.yaml", kSpreadReplicas},
      {"missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml", kDenyAll},
      {"missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml", kDenyAll}};
  return kDifferences;
}

const Mapping* mapping(std::string_view check) {
  for (const Mapping& m : mappings()) {
    if (m.check == check) return &m;
  }
  return nullptr;
}

PeerRow judge(std::string_view fixture, const Value& e) {
  PeerRow row;
  constexpr std::string_view kPrefix = "test/checks/";
  row.fixture =
      std::string(fixture.starts_with(kPrefix) ? fixture.substr(kPrefix.size()) : fixture);
  row.check = std::string(e["check"].str());
  const std::string verdict(e["verdict"].str());
  row.peer_expects = verdict;
  const Mapping* m = mapping(row.check);
  if (m == nullptr) {
    row.reason = "A check this suite does not know.";
    return row;
  }
  if (verdict != "failure" && verdict != "success") {
    row.reason = verdict == "mutated"
                     ? "Polaris's mutation test (its own fix applied to the failure file); "
                       "ktriage rewrites no manifests."
                     : "A check definition, not a fixture.";
    return row;
  }
  if (m->rules.empty()) {
    row.reason = m->not_covered;
    return row;
  }
  const std::set<std::string> rules(m->rules.begin(), m->rules.end());
  std::set<std::string> found;
  for (const Finding& f : testing::lint_fixture(kDir + std::string(fixture))) {
    if (rules.count(f.rule)) found.insert(f.rule + " on " + f.object.kind + "/" + f.object.name);
  }
  for (const std::string& s : found) {
    row.ktriage_reports += (row.ktriage_reports.empty() ? "" : ", ") + s;
  }
  if (row.ktriage_reports.empty()) row.ktriage_reports = "nothing";
  const bool agree = (verdict == "failure") == !found.empty();
  row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
  if (auto d = differences().find(row.fixture); d != differences().end()) {
    row.reason = d->second;
    EXPECT_FALSE(agree) << row.fixture << " agrees now: take it out of differences()";
  } else {
    EXPECT_TRUE(agree) << row.fixture << ": Polaris expects " << verdict << ", ktriage reports "
                       << row.ktriage_reports << " (a difference without a reason)";
  }
  return row;
}

std::string intro() {
  return "Polaris's check fixtures (FairwindsOps/polaris c0e23a2, Apache-2.0), read from "
         "../shared/peers/polaris/expectations.yaml. Polaris judges a whole file, so a covered "
         "check passes a fixture when ktriage reports one of the mapped rules on some object of "
         "the file exactly when the fixture is a failure one. Each file is linted alone at "
         "target 1.33. Fixtures whose workload has no spec.replicas pass the PodDisruptionBudget "
         "and spread checks without exercising the selector match (ktriage checks only above 1 "
         "replica); tests/lint/practices_test.cpp covers that match.\n\n" +
         testing::render_mapping("Polaris", mappings());
}

TEST(PolarisPeerTest, PracticeRulesFailTheFilesPolarisFails) {
  Arena arena;
  std::vector<PeerRow> rows;
  const std::string text = testing::read_file(kDir + "expectations.yaml");
  auto errors =
      read_yaml("expectations.yaml", text, arena, [&](const ParsedDocument& d, const Locator&) {
        for (const Member& f : d.root["fixtures"].members()) rows.push_back(judge(f.key, f.value));
      });
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  const testing::PeerCounts c = testing::count_rows(rows);
  EXPECT_EQ(rows.size(), 325u);
  EXPECT_EQ(c.passed, 65);
  EXPECT_EQ(c.failed, 11);
  EXPECT_EQ(c.not_covered, 249);
  testing::check_peer_doc("polaris", testing::render_peer_doc("Polaris conformance", intro(), rows),
                          "PolarisPeerTest.*");
}

}  // namespace
}  // namespace ktriage
