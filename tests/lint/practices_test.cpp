// Practice checks (src/lint/practices_*.cpp): one hardened Deployment that passes every rule,
// and for each rule one line changed so that it fails, with the evidence's file:line:col. Then
// the kinds: CronJob and Job templates, bare Pods, init containers, single replicas.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "lint/check.h"
#include "lint/lint.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::cluster_from;
using testing::with_rule;

// Line numbers are the ones the cases below replace.
const std::vector<std::string> kGood = {
    "apiVersion: apps/v1",                          // 1
    "kind: Deployment",                             // 2
    "metadata:",                                    // 3
    "  name: web",                                  // 4
    "  namespace: shop",                            // 5
    "spec:",                                        // 6
    "  replicas: 3",                                // 7
    "  selector:",                                  // 8
    "    matchLabels: {app: web}",                  // 9
    "  template:",                                  // 10
    "    metadata:",                                // 11
    "      labels: {app: web}",                     // 12
    "    spec:",                                    // 13
    "      securityContext: {runAsNonRoot: true}",  // 14
    "      topologySpreadConstraints:",             // 15
    "      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: "
    "ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}",    // 16
    "      containers:",                                            // 17
    "      - name: web",                                            // 18
    "        image: nginx:1.27",                                    // 19
    "        imagePullPolicy: IfNotPresent",                        // 20
    "        readinessProbe: {httpGet: {path: /ready, port: 80}}",  // 21
    "        livenessProbe: {httpGet: {path: /live, port: 80}}",    // 22
    "        resources:",                                           // 23
    "          requests: {cpu: 100m, memory: 128Mi}",               // 24
    "          limits: {cpu: 500m, memory: 256Mi}",                 // 25
    "        securityContext:",                                     // 26
    "          allowPrivilegeEscalation: false",                    // 27
    "          readOnlyRootFilesystem: true",                       // 28
    "          capabilities: {drop: [ALL]}",                        // 29
    "---",                                                          // 30
    "apiVersion: policy/v1",                                        // 31
    "kind: PodDisruptionBudget",                                    // 32
    "metadata: {name: web, namespace: shop}",                       // 33
    "spec:",                                                        // 34
    "  maxUnavailable: 1",                                          // 35
    "  selector: {matchLabels: {app: web}}",                        // 36
    "---",                                                          // 37
    "apiVersion: networking.k8s.io/v1",                             // 38
    "kind: NetworkPolicy",                                          // 39
    "metadata: {name: web, namespace: shop}",                       // 40
    "spec:",                                                        // 41
    "  podSelector: {matchLabels: {app: web}}",                     // 42
    "  policyTypes: [Ingress, Egress]",                             // 43
};

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

// kGood with line `line` (1-based) replaced by `text`; an empty text drops lines `line`.. end.
std::string with_line(int line, const std::string& text) {
  std::vector<std::string> lines = kGood;
  if (text.empty()) {
    lines.resize(static_cast<std::size_t>(line - 1));
  } else {
    lines[static_cast<std::size_t>(line - 1)] = text;
  }
  return join(lines);
}

struct Case {
  const char* rule;
  int line;                          // the line of kGood replaced
  std::string text;                  // its replacement ("" = cut the file there)
  std::uint32_t at_line, at_column;  // where the finding's evidence points
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"practice-cpu-request-missing", 24, "          requests: {memory: 128Mi}", 24, 22},
      {"practice-memory-request-missing", 24, "          requests: {cpu: 100m}", 24, 22},
      {"practice-cpu-limit-missing", 25, "          limits: {memory: 256Mi}", 25, 20},
      {"practice-memory-limit-missing", 25, "          limits: {cpu: 500m}", 25, 20},
      {"practice-readiness-probe-missing", 21, "        ports: [{containerPort: 80}]", 18, 9},
      {"practice-liveness-probe-missing", 22, "        ports: [{containerPort: 80}]", 18, 9},
      {"practice-probes-identical", 22,
       "        livenessProbe: {httpGet: {path: /ready, port: 80}}", 22, 25},
      {"practice-image-tag-latest", 19, "        image: nginx:latest", 19, 16},
      {"practice-image-pull-policy-stale", 19, "        image: nginx", 20, 26},
      {"practice-privileged", 27, "          privileged: true", 27, 23},
      {"practice-run-as-root", 14, "      securityContext: {runAsUser: 0}", 14, 36},
      {"practice-run-as-non-root-missing", 14, "      securityContext: {}", 27, 11},
      {"practice-privilege-escalation-allowed", 27, "          allowPrivilegeEscalation: true", 27,
       37},
      {"practice-writable-root-filesystem", 28, "          readOnlyRootFilesystem: false", 28, 35},
      {"practice-capabilities-not-dropped", 29, "          capabilities: {drop: [NET_RAW]}", 29,
       33},
      {"practice-capabilities-dangerous", 29,
       "          capabilities: {drop: [ALL], add: [SYS_ADMIN]}", 29, 45},
      {"practice-host-network", 14, "      hostNetwork: true", 14, 20},
      {"practice-host-pid", 14, "      hostPID: true", 14, 16},
      {"practice-host-ipc", 14, "      hostIPC: true", 14, 16},
      {"practice-host-path", 14, "      volumes: [{name: data, hostPath: {path: /var/lib/data}}]",
       14, 41},
      {"practice-pdb-missing", 36, "  selector: {matchLabels: {app: api}}", 12, 16},
      {"practice-spread-missing", 16,
       "      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: "
       "ScheduleAnyway, labelSelector: {matchLabels: {app: api}}}",
       16, 10},
      {"practice-network-policy-missing", 37, "", 12, 16},
      {"practice-network-policy-not-selected", 42, "  podSelector: {matchLabels: {app: api}}", 12,
       16},
      {"practice-network-policy-one-direction", 43, "  policyTypes: [Ingress]", 12, 16},
  };
  return kCases;
}

TEST(PracticesTest, TheHardenedDeploymentPassesEveryPracticeRule) {
  auto cluster = cluster_from({{"k8s/web.yaml", join(kGood)}});
  const Diagnosis d = lint(*cluster, 33);
  for (const Finding& f : d.findings) ADD_FAILURE() << f.rule << ": " << f.summary;
}

TEST(PracticesTest, EachRuleFailsOnItsLineAndPointsAtTheNode) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.rule);
    auto cluster = cluster_from({{"k8s/web.yaml", with_line(c.line, c.text)}});
    const Diagnosis d = lint(*cluster, 33);
    auto r = with_rule(d.findings, c.rule);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0]->object.key(), "Deployment/shop/web");
    EXPECT_FALSE(r[0]->fix.empty());
    ASSERT_EQ(r[0]->evidence.size(), 1u);
    EXPECT_EQ(r[0]->evidence[0].file, "k8s/web.yaml");
    EXPECT_EQ(r[0]->evidence[0].line, c.at_line) << r[0]->evidence[0].path;
    EXPECT_EQ(r[0]->evidence[0].column, c.at_column) << r[0]->evidence[0].path;
  }
}

TEST(PracticesTest, EveryPracticeRuleHasACase) {
  std::set<std::string> covered;
  for (const Case& c : cases()) covered.insert(c.rule);
  for (const LintCheck* check : lint_checks()) {
    if (!check->name.starts_with("practices-")) continue;
    for (const LintRule& r : check->rules) {
      EXPECT_TRUE(covered.count(std::string(r.id))) << r.id << " has no test case";
    }
  }
}

const std::string kCronJob =
    "apiVersion: batch/v1\n"  // 1
    "kind: CronJob\n"
    "metadata: {name: report, namespace: shop}\n"
    "spec:\n"
    "  schedule: '0 * * * *'\n"  // 5
    "  jobTemplate:\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          restartPolicy: OnFailure\n"  // 10
    "          initContainers:\n"
    "          - name: fetch\n"
    "            image: busybox\n"
    "          containers:\n"
    "          - name: report\n"  // 15
    "            image: report:2.0\n";

TEST(PracticesTest, CronJobTemplatesAreCheckedButNeedNoProbes) {
  auto cluster = cluster_from({{"k8s/cron.yaml", kCronJob}});
  const Diagnosis d = lint(*cluster, 33);
  EXPECT_TRUE(with_rule(d.findings, "practice-readiness-probe-missing").empty());
  EXPECT_TRUE(with_rule(d.findings, "practice-liveness-probe-missing").empty());
  // The init container's untagged image, at its line in the jobTemplate.
  auto tags = with_rule(d.findings, "practice-image-tag-latest");
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0]->evidence[0].path,
            ".spec.jobTemplate.spec.template.spec.initContainers[0].image");
  EXPECT_EQ(tags[0]->evidence[0].line, 13u);
  EXPECT_EQ(tags[0]->evidence[0].column, 20u);
  // Init containers need requests too: two containers, two findings.
  EXPECT_EQ(with_rule(d.findings, "practice-memory-request-missing").size(), 2u);
  EXPECT_TRUE(with_rule(d.findings, "practice-pdb-missing").empty());
}

TEST(PracticesTest, ASingleReplicaNeedsNoBudgetNorSpread) {
  // spec.replicas absent is 1: a PDB on one pod would block every drain of its node.
  std::string one = with_line(7, "  minReadySeconds: 5");
  one = one.substr(0, one.find("---"));
  auto cluster = cluster_from({{"k8s/web.yaml", one}});
  const Diagnosis d = lint(*cluster, 33);
  EXPECT_TRUE(with_rule(d.findings, "practice-pdb-missing").empty());
  EXPECT_TRUE(with_rule(d.findings, "practice-spread-missing").empty());
  EXPECT_EQ(with_rule(d.findings, "practice-network-policy-missing").size(), 1u);
}

TEST(PracticesTest, ABarePodIsCheckedAndControllerWrittenObjectsAreNot) {
  auto cluster = cluster_from({{"k8s/pods.yaml",
                                "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata: {name: debug}\n"
                                "spec:\n"
                                "  hostPID: true\n"  // 5
                                "  containers: [{name: sh, image: busybox:1.36}]\n"
                                "---\n"
                                "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata:\n"  // 10
                                "  name: web-1\n"
                                "  ownerReferences: [{kind: ReplicaSet, name: web, uid: u1}]\n"
                                "spec:\n"
                                "  hostPID: true\n"
                                "  containers: [{name: web, image: web:1}]\n"}});
  const Diagnosis d = lint(*cluster, 33);
  auto pid = with_rule(d.findings, "practice-host-pid");
  ASSERT_EQ(pid.size(), 1u);
  EXPECT_EQ(pid[0]->object.key(), "Pod/debug");
  EXPECT_EQ(pid[0]->evidence[0].line, 5u);
  EXPECT_EQ(pid[0]->evidence[0].column, 12u);
  // A bare Pod with the default restartPolicy is long-running: it needs probes.
  EXPECT_EQ(with_rule(d.findings, "practice-readiness-probe-missing").size(), 1u);
  // No namespace in the manifest is "default" for the NetworkPolicy lookup.
  auto np = with_rule(d.findings, "practice-network-policy-missing");
  ASSERT_EQ(np.size(), 1u);
  EXPECT_NE(np[0]->summary.find("namespace default"), std::string::npos) << np[0]->summary;
}

TEST(PracticesTest, ImageReferencesWithARegistryPortOrADigest) {
  auto lint_image = [](const std::string& image, const std::string& policy) {
    auto cluster =
        cluster_from({{"k8s/pod.yaml",
                       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                       "  - name: c\n    image: " +
                           image + "\n    imagePullPolicy: " + policy + "\n"}});
    return lint(*cluster, 33);
  };
  struct Want {
    std::string image;
    bool latest;
  };
  for (const Want& w : std::vector<Want>{{"registry:5000/team/app", true},
                                         {"registry:5000/team/app:1.4", false},
                                         {"app:latest", true},
                                         {"app@sha256:0123abcd", false},
                                         {"app:latest@sha256:0123abcd", false}}) {
    SCOPED_TRACE(w.image);
    const Diagnosis d = lint_image(w.image, "IfNotPresent");
    EXPECT_EQ(with_rule(d.findings, "practice-image-tag-latest").size(), w.latest ? 1u : 0u);
    EXPECT_EQ(with_rule(d.findings, "practice-image-pull-policy-stale").size(), w.latest ? 1u : 0u);
  }
  // Always fetches the current image: the tag is still mutable, the copy is not stale.
  const Diagnosis always = lint_image("app:latest", "Always");
  EXPECT_EQ(with_rule(always.findings, "practice-image-tag-latest").size(), 1u);
  EXPECT_TRUE(with_rule(always.findings, "practice-image-pull-policy-stale").empty());
}

TEST(PracticesTest, PodSecurityContextIsInheritedAndAContainerOverridesIt) {
  // runAsNonRoot on the pod covers both containers, except the one that sets runAsUser: 0.
  auto cluster = cluster_from({{"k8s/pod.yaml",
                                "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata: {name: p}\n"
                                "spec:\n"
                                "  securityContext: {runAsNonRoot: true}\n"  // 5
                                "  containers:\n"
                                "  - name: app\n"
                                "    image: app:1\n"
                                "  - name: tool\n"
                                "    image: tool:1\n"  // 10
                                "    securityContext: {runAsUser: 0}\n"}});
  const Diagnosis d = lint(*cluster, 33);
  EXPECT_TRUE(with_rule(d.findings, "practice-run-as-non-root-missing").empty());
  auto root = with_rule(d.findings, "practice-run-as-root");
  ASSERT_EQ(root.size(), 1u);
  EXPECT_NE(root[0]->summary.find("`tool`"), std::string::npos) << root[0]->summary;
  EXPECT_EQ(root[0]->evidence[0].line, 11u);
  EXPECT_EQ(root[0]->evidence[0].column, 34u);
}

}  // namespace
}  // namespace ktriage::lint
