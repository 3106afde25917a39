// kube-score's fixtures (../shared/peers/kube-score, zegl/kube-score 06dedc9) against lint's
// practice rules: for every kube-score check a practice rule covers, a fixture kube-score grades
// WARNING or CRITICAL must get one of the mapped rules on an object of the check's kind, and a
// fixture graded OK (or skipped) must not. Checks no practice rule covers are "not covered" rows
// with the reason. The table is docs/peers/kube-score.md; the counts below are exact, so any
// change in ktriage's answers shows here first.
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

const std::string kDir = testing::shared_dir() + "/peers/kube-score/";

// kube-score check → the practice rules that cover it, or why none does.
using Mapping = testing::PeerMapping;

const std::string kReference =
    "A reference check between objects (issue 6 part 2, "
    "src/lint/references.cpp), not a practice rule.";
const std::string kSchema =
    "Schema validation (issue 6 part 1, src/lint/schema*.cpp), not a practice rule.";

const std::vector<Mapping>& mappings() {
  static const std::vector<Mapping> kMappings = {
      {"container-resources",
       {"practice-cpu-request-missing", "practice-memory-request-missing",
        "practice-cpu-limit-missing", "practice-memory-limit-missing"}},
      {"container-image-tag", {"practice-image-tag-latest"}},
      {"container-security-context-privileged", {"practice-privileged"}},
      {"container-security-context-readonlyrootfilesystem", {"practice-writable-root-filesystem"}},
      {"pod-networkpolicy",
       {"practice-network-policy-missing", "practice-network-policy-not-selected",
        "practice-network-policy-one-direction"}},
      {"pod-probes", {"practice-readiness-probe-missing"}},
      {"pod-probes-identical", {"practice-probes-identical"}},
      {"deployment-has-poddisruptionbudget", {"practice-pdb-missing"}, "Deployment"},
      {"statefulset-has-poddisruptionbudget", {"practice-pdb-missing"}, "StatefulSet"},
      {"deployment-has-host-podantiaffinity", {"practice-spread-missing"}, "Deployment"},
      {"statefulset-has-host-podantiaffinity", {"practice-spread-missing"}, "StatefulSet"},
      {"container-image-pull-policy",
       {},
       "",
       "kube-score asks for imagePullPolicy Always on every image (so imagePullSecrets are "
       "re-checked); ktriage flags only IfNotPresent or Never with a mutable tag "
       "(practice-image-pull-policy-stale)."},
      {"container-security-context-user-group-id",
       {},
       "",
       "kube-score wants a UID and GID above 10000; ktriage asks for runAsNonRoot: true or a "
       "non-zero runAsUser (practice-run-as-non-root-missing, practice-run-as-root), the Pod "
       "Security Standards' restricted rule."},
      {"pod-topology-spread-constraints",
       {},
       "",
       "kube-score validates the constraints' fields (maxSkew, minDomains, topologyKey, "
       "whenUnsatisfiable, labelSelector): " +
           kSchema + " practice-spread-missing only asks that one exists."},
      {"deployment-strategy", {}, "", "Not asked: Recreate is a deliberate choice."},
      {"deployment-replicas",
       {},
       "",
       "Not asked: one replica is a valid choice; ktriage checks what multi-replica workloads "
       "need."},
      {"horizontalpodautoscaler-replicas", {}, "", "Not asked: minReplicas 1 is a valid choice."},
      {"service-type", {}, "", "Not asked: NodePort is a valid choice."},
      {"cronjob-has-deadline", {}, "", "Not in issue 6's practice set."},
      {"container-ephemeral-storage-request-and-limit",
       {},
       "",
       "Not in issue 6's practice set (cpu and memory only)."},
      {"container-ephemeral-storage-request-equals-limit",
       {},
       "",
       "kube-score optional check; not in issue 6's practice set."},
      {"container-resource-requests-equal-limits",
       {},
       "",
       "kube-score optional check (Guaranteed QoS); ktriage asks for requests and limits, not "
       "that they are equal."},
      {"container-cpu-requests-equal-limits",
       {},
       "",
       "kube-score optional check (Guaranteed QoS)."},
      {"container-memory-requests-equal-limits",
       {},
       "",
       "kube-score optional check (Guaranteed QoS)."},
      {"container-ports-check",
       {},
       "",
       "kube-score optional check; not in issue 6's practice set."},
      {"container-seccomp-profile",
       {},
       "",
       "kube-score optional check; not in issue 6's practice set."},
      {"cronjob-restartpolicy", {}, "", kSchema},
      {"poddisruptionbudget-has-policy", {}, "", kSchema},
      {"label-values", {}, "", kSchema},
      {"environment-variable-key-duplication", {}, "", kSchema},
      {"stable-version",
       {},
       "",
       "apiVersions are lint's apis check (upgrade-removed-api, upgrade-deprecated-api) against "
       "--target-version, not a practice rule."},
      {"ingress-targets-service", {}, "", kReference},
      {"networkpolicy-targets-pod", {}, "", kReference},
      {"service-targets-pod", {}, "", kReference},
      {"deployment-targeted-by-hpa-does-not-have-replicas-configured", {}, "", kReference},
      {"statefulset-has-servicename", {}, "", kReference},
      {"deployment-pod-selector-labels-match-template-metadata-labels", {}, "", kReference},
      {"statefulset-pod-selector-labels-match-template-metadata-labels", {}, "", kReference},
      {"horizontalpodautoscaler-has-target", {}, "", kReference},
  };
  return kMappings;
}

// Where ktriage answers differently on purpose: "fixture|check" → why.
const std::string kPdbReplicas =
    "kube-score checks a workload without spec.replicas; ktriage takes the API's default of 1, and "
    "a PodDisruptionBudget on a single pod blocks every drain of its node (PDB-BLOCKS-EVICTION).";
const std::string kSpreadReplicas =
    "kube-score checks a workload without spec.replicas; ktriage takes the API's default of 1: one "
    "pod has nothing to spread.";
const std::string kProbesService =
    "kube-score skips pods no Service in the file selects; ktriage asks for readiness on every "
    "long-running pod, since the Service often lives in another file or chart.";

const std::map<std::string, std::string>& differences() {
  static const std::map<std::string, std::string> kDifferences = {
      {"statefulset-poddisruptionbudget-v1beta1-expression-no-match.yaml|statefulset-has-"
       "poddisruptionbudget",
       kPdbReplicas},
      {"statefulset-poddisruptionbudget-v1beta1-no-match.yaml|statefulset-has-poddisruptionbudget",
       kPdbReplicas},
      {"deployment-poddisruptionbudget-v1beta1-expression-no-match.yaml|deployment-has-"
       "poddisruptionbudget",
       kPdbReplicas},
      {"deployment-poddisruptionbudget-v1beta1-no-match.yaml|deployment-has-poddisruptionbudget",
       kPdbReplicas},
      {"deployment-poddisruptionbudget-v1-no-match.yaml|deployment-has-poddisruptionbudget",
       kPdbReplicas},
      {"deployment-poddisruptionbudget-v1-different-namespace.yaml|deployment-has-"
       "poddisruptionbudget",
       kPdbReplicas},
      {"statefulset-host-antiaffinity-undefined-replicas.yaml|statefulset-has-host-podantiaffinity",
       kSpreadReplicas},
      {"pod-probes-targeted-by-service-different-namespace.yaml|pod-probes", kProbesService},
      {"pod-probes-not-targeted-by-service.yaml|pod-probes", kProbesService},
      {"pod-probes-not-targeted-by-service-multi-labels.yaml|pod-probes", kProbesService}};
  return kDifferences;
}

const Mapping* mapping(std::string_view check) {
  for (const Mapping& m : mappings()) {
    if (m.check == check) return &m;
  }
  return nullptr;
}

std::string short_name(std::string_view fixture) {
  constexpr std::string_view kPrefix = "score/testdata/";
  return std::string(fixture.starts_with(kPrefix) ? fixture.substr(kPrefix.size()) : fixture);
}

PeerRow judge(std::string_view fixture, const Value& e) {
  PeerRow row;
  row.fixture = short_name(fixture);
  row.check = std::string(e["check_id"].str());
  const std::string grade(e["grade"].str());
  row.peer_expects = grade.empty()
                         ? "skipped: " + std::string(e["skipped"].as_bool() ? "yes" : "no")
                     : grade.starts_with("NONE") ? "skipped (grade 0)"
                                                 : grade;
  const Value& run = e["run_config"];
  for (const Member& m : run.members()) {
    if (m.key == "KubernetesVersion") continue;
    std::string value(m.value.str());
    if (m.value.is_bool()) value = m.value.as_bool() ? "true" : "false";
    if (m.value.is_array()) value = std::to_string(m.value.size()) + " listed";
    row.peer_expects += " (" + std::string(m.key) + ": " + value + ")";
  }
  const Mapping* m = mapping(row.check);
  if (m == nullptr) {
    row.reason = "A check this suite does not know.";
    return row;
  }
  if (m->rules.empty()) {
    row.reason = m->not_covered;
    return row;
  }
  if (grade.empty()) {
    row.reason =
        "Asserts only kube-score's own ignore annotation (kube-score/ignore); "
        "ktriage's suppression is its own annotation.";
    return row;
  }
  std::set<std::string> rules(m->rules.begin(), m->rules.end());
  // kube-score's run options that turn a part of the check off.
  if (run["IgnoreContainerCpuLimitRequirement"].as_bool())
    rules.erase("practice-cpu-limit-missing");
  if (run["IgnoreContainerMemoryLimitRequirement"].as_bool()) {
    rules.erase("practice-memory-limit-missing");
  }
  std::set<std::string> found;
  for (const Finding& f : testing::lint_fixture(kDir + std::string(fixture))) {
    if (!rules.count(f.rule) || (!m->kind.empty() && f.object.kind != m->kind)) continue;
    found.insert(f.rule + " on " + f.object.kind + "/" + f.object.name);
  }
  for (const std::string& s : found) {
    row.ktriage_reports += (row.ktriage_reports.empty() ? "" : ", ") + s;
  }
  if (row.ktriage_reports.empty()) row.ktriage_reports = "nothing";
  const bool peer_fails = grade == "CRITICAL" || grade == "WARNING";
  const bool agree = peer_fails == !found.empty();
  row.result = agree ? PeerResult::kPassed : PeerResult::kFailed;
  if (auto d = differences().find(row.fixture + "|" + row.check); d != differences().end()) {
    row.reason = d->second;
    EXPECT_FALSE(agree) << row.fixture << " " << row.check
                        << " agrees now: take it out of differences()";
  } else {
    EXPECT_TRUE(agree) << row.fixture << " " << row.check << ": kube-score expects " << grade
                       << ", ktriage reports " << row.ktriage_reports
                       << " (a difference without a reason)";
  }
  return row;
}

std::string mapping_section() {
  std::string s =
      "kube-score's fixtures (zegl/kube-score 06dedc9, MIT), read from "
      "../shared/peers/kube-score/expectations.yaml. A covered check passes a fixture "
      "when ktriage reports one of the mapped rules on an object of the check's kind "
      "exactly when kube-score grades it WARNING or CRITICAL (OK and skipped: none). "
      "Each file is linted alone at target 1.33. Fixtures whose workload has no spec.replicas pass "
      "the PodDisruptionBudget and spread checks without exercising the selector match (ktriage "
      "checks only above 1 replica); tests/lint/practices_test.cpp covers that match.\n\n";
  s += testing::render_mapping("kube-score", mappings());
  return s;
}

TEST(KubeScorePeerTest, PracticeRulesFlagTheObjectsKubeScoreFlags) {
  Arena arena;
  std::vector<PeerRow> rows;
  const std::string text = testing::read_file(kDir + "expectations.yaml");
  auto errors =
      read_yaml("expectations.yaml", text, arena, [&](const ParsedDocument& d, const Locator&) {
        for (const Member& fixture : d.root["fixtures"].members()) {
          for (const Value& e : fixture.value.items()) rows.push_back(judge(fixture.key, e));
        }
      });
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  const testing::PeerCounts c = testing::count_rows(rows);
  EXPECT_EQ(rows.size(), 213u);
  EXPECT_EQ(c.passed, 53);
  EXPECT_EQ(c.failed, 10);
  EXPECT_EQ(c.not_covered, 150);
  testing::check_peer_doc(
      "kube-score", testing::render_peer_doc("kube-score conformance", mapping_section(), rows),
      "KubeScorePeerTest.*");
}

}  // namespace
}  // namespace ktriage
