// Correlation of workloads with their pods' and ReplicaSets' faults (src/correlate/correlate.cpp).
#include "correlate/correlate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

// A Deployment rolling out revision 2 whose new ReplicaSet cannot create pods (quota), while
// `available` pods of revision 1 still serve.
std::string blocked_rollout(int available) {
  return R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec: {replicas: 3, selector: {matchLabels: {app: web}}}
status: {replicas: )" +
         std::to_string(available) +
         ", updatedReplicas: 0, availableReplicas: " + std::to_string(available) + R"(}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-2
  namespace: shop
  uid: rs2
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec: {replicas: 3}
status: {replicas: 0}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: ReplicaSet, name: web-2, namespace: shop, uid: rs2}
reason: FailedCreate
type: Warning
count: 7
lastTimestamp: "2026-11-29T10:00:00Z"
source: {component: replicaset-controller}
message: 'Error creating: pods "web-2-x" is forbidden: exceeded quota: compute, requested: cpu=2, used: cpu=9, limited: cpu=10'
)";
}

TEST(CorrelateTest, BlockedRolloutThatStillServesEverythingIsOnlyAWarning) {
  auto serving = diagnose(*cluster_from_yaml(blocked_rollout(3)));
  auto w = with_rule(serving, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]->severity, Severity::kWarning);
  EXPECT_NE(w[0]->summary.find("3/3 available from the previous revision"), std::string::npos)
      << w[0]->summary;
  EXPECT_FALSE(w[0]->caused_by.empty());
  // Nothing left serving: the symptom keeps its cause's severity.
  auto down = diagnose(*cluster_from_yaml(blocked_rollout(0)));
  auto d = with_rule(down, "workload-unhealthy");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->severity, Severity::kCritical);
  // MinimumReplicasUnavailable only when replicas are missing, not for a rollout that serves.
  EXPECT_EQ(d[0]->catalog, "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE");
  EXPECT_EQ(w[0]->catalog, "");
  // The replica count is evidence at the field it is read from, named as kubectl names objects.
  const bool counted =
      std::any_of(d[0]->evidence.begin(), d[0]->evidence.end(), [](const Evidence& e) {
        return e.object == "deployment/web" && e.path == ".status.availableReplicas" &&
               e.value == "0 (spec.replicas 3)";
      });
  EXPECT_TRUE(counted);
}

// A kube-system add-on Deployment with one crashing pod.
std::string addon(std::string_view ns, std::string_view name, int available) {
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + ", uid: d-" + std::string(name) +
         "}\nspec: {replicas: 1}\nstatus: {replicas: 1, availableReplicas: " +
         std::to_string(available) +
         "}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         "-5d4f-x, namespace: " + std::string(ns) +
         ", ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: " + std::string(name) +
         ", uid: d-" + std::string(name) +
         ", controller: true}]}\nspec: {nodeName: n1, containers: [{name: c, image: x}]}\n"
         "status:\n  phase: Running\n  containerStatuses: [{name: c, ready: false, restartCount: "
         "9, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, "
         "reason: Error}}}]\n";
}

TEST(CorrelateTest, AnAddOnThatIsDownSaysWhatItBreaks) {
  auto down = diagnose(*cluster_from_yaml(addon("kube-system", "metrics-server", 0)));
  auto w = with_rule(down, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0]->summary.find("1 pod failing; HPAs cannot read CPU and memory metrics"),
            std::string::npos)
      << w[0]->summary;
  // The same name outside kube-system, or a replica still available: no such clause.
  auto elsewhere = diagnose(*cluster_from_yaml(addon("monitoring", "metrics-server", 0)));
  auto e = with_rule(elsewhere, "workload-unhealthy");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]->summary.find("HPAs"), std::string::npos) << e[0]->summary;
}

// A readiness probe fails because the app's /ready handler dials another Service, whose
// targetPort is wrong: the probe finding is caused by that Service's finding when the container's
// log shows the dial failing to its clusterIP, and by nothing when the log only mentions it.
std::vector<Finding> probe_behind_dependency(const std::string& log_line,
                                             const std::string& more_yaml = "") {
  const std::string yaml = R"(---
apiVersion: v1
kind: Service
metadata: {name: inventory, namespace: shop}
spec:
  clusterIP: 10.96.88.41
  selector: {app: inventory}
  ports: [{port: 80, targetPort: 8081}]
---
apiVersion: v1
kind: Pod
metadata: {name: inventory-1, namespace: shop, labels: {app: inventory}}
spec:
  nodeName: n1
  containers: [{name: inventory, image: inventory:1, ports: [{name: http, containerPort: 8080}]}]
status:
  phase: Running
  podIP: 10.1.0.9
  conditions: [{type: Ready, status: "True"}]
  containerStatuses: [{name: inventory, ready: true, restartCount: 0, state: {running: {}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: catalog-1, namespace: shop, uid: c1, labels: {app: catalog}}
spec:
  nodeName: n1
  containers:
  - name: catalog
    image: catalog:1
    ports: [{name: http, containerPort: 8080}]
    readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 10}
status:
  phase: Running
  podIP: 10.1.0.4
  conditions: [{type: Ready, status: "False", reason: ContainersNotReady}]
  containerStatuses: [{name: catalog, ready: false, restartCount: 0, state: {running: {}}}]
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: catalog-1, namespace: shop, uid: c1, fieldPath: "spec.containers{catalog}"}
reason: Unhealthy
type: Warning
count: 30
lastTimestamp: "2026-11-29T10:40:00Z"
message: "Readiness probe failed: HTTP probe failed with statuscode: 503"
)" + more_yaml;
  auto cluster = cluster_from_yaml(yaml);
  std::vector<Finding> findings = diagnose(*cluster);
  // As logs::attach_log_evidence quotes the container's log after correlation.
  for (Finding& f : findings) {
    if (f.rule != "probe-readiness-failed") continue;
    Evidence e;
    e.kind = Evidence::Kind::kLog;
    e.file = "snap/logs/shop/catalog-1/catalog.log";
    e.line = 1;
    e.value = log_line;
    f.evidence.push_back(e);
  }
  link_log_dependencies(*cluster, findings);
  return findings;
}

TEST(CorrelateTest, ReadinessFailingOnADependencyIsCausedByThatServicesFinding) {
  std::vector<Finding> findings = probe_behind_dependency(
      R"(level=WARN msg="readiness check failed" check=inventory err="Get \"http://inventory.)"
      R"(shop.svc.cluster.local/api\": dial tcp 10.96.88.41:80: connect: connection refused")");
  auto mismatch = with_rule(findings, "svc-targetport-not-exposed");
  ASSERT_EQ(mismatch.size(), 1u);
  auto probe = with_rule(findings, "probe-readiness-failed");
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_EQ(probe[0]->caused_by, std::vector<std::string>{mismatch[0]->id});
  // Roots first: the Service's finding comes before the probe it explains.
  EXPECT_EQ(findings.front().id, mismatch[0]->id);

  // The same address in a line that reports no failure is no evidence of cause.
  findings = probe_behind_dependency(
      R"(level=INFO msg="dependency configured" check=inventory url=http://10.96.88.41:80/api)");
  probe = with_rule(findings, "probe-readiness-failed");
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_TRUE(probe[0]->caused_by.empty());
}

// Two Services in one failing line: their findings become causes in name order, whatever the
// order the Services were read in (accounts is read after inventory here).
TEST(CorrelateTest, DependencyCausesAndNotesFollowServiceNames) {
  const std::vector<Finding> findings = probe_behind_dependency(
      R"(msg="readiness check failed" err="dial tcp 10.96.88.41:80: connect: connection refused; )"
      R"(dial tcp 10.96.88.40:80: connect: connection refused")",
      R"(---
apiVersion: v1
kind: Service
metadata: {name: accounts, namespace: shop}
spec:
  clusterIP: 10.96.88.40
  selector: {app: accounts}
  ports: [{port: 80, targetPort: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: accounts-1, namespace: shop, labels: {app: accounts}}
spec:
  nodeName: n1
  containers: [{name: accounts, image: accounts:1, ports: [{name: http, containerPort: 8080}]}]
status:
  phase: Running
  podIP: 10.1.0.8
  conditions: [{type: Ready, status: "True"}]
  containerStatuses: [{name: accounts, ready: true, restartCount: 0, state: {running: {}}}]
)");
  auto mismatch = with_rule(findings, "svc-targetport-not-exposed");
  ASSERT_EQ(mismatch.size(), 2u);
  const Finding* accounts = mismatch[0]->object.name == "accounts" ? mismatch[0] : mismatch[1];
  const Finding* inventory = mismatch[0]->object.name == "accounts" ? mismatch[1] : mismatch[0];
  ASSERT_EQ(inventory->object.name, "inventory");
  auto probe = with_rule(findings, "probe-readiness-failed");
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_EQ(probe[0]->caused_by, (std::vector<std::string>{accounts->id, inventory->id}));
  std::vector<std::string> notes;
  for (const Evidence& e : probe[0]->evidence) {
    if (e.value.starts_with("the address is Service")) notes.push_back(e.value);
  }
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("shop/accounts"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("shop/inventory"), std::string::npos) << notes[1];
}

// select_mentions: findings whose field evidence reads the object, in its namespace, and their
// causes; not notes that merely name it, nor findings in another namespace.
TEST(CorrelateTest, SelectMentionsFindsFieldEvidenceInTheSameNamespace) {
  auto finding = [](std::string id, std::string ns, Evidence e) {
    Finding f;
    f.id = std::move(id);
    f.object = ObjectRef{"Pod", std::move(ns), "p", ""};
    f.evidence.push_back(std::move(e));
    return f;
  };
  const Evidence keys = Evidence::field("configmap/cfg", ".data", "keys: a.yml");
  std::vector<Finding> findings;
  findings.push_back(finding("cause", "shop", Evidence::note("node n1 is NotReady")));
  findings.push_back(finding("reads-it", "shop", keys));
  findings.back().caused_by = {"cause"};
  findings.push_back(finding("other-namespace", "web", keys));
  findings.push_back(finding("only-a-note", "shop", Evidence::note("configmap/cfg")));
  const ObjectRef cfg{"ConfigMap", "shop", "cfg", ""};
  std::vector<std::string> ids;
  for (const Finding& f : select_mentions(findings, cfg)) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"cause", "reads-it"}));
  EXPECT_TRUE(select_mentions(findings, ObjectRef{"ConfigMap", "shop", "other", ""}).empty());
}

// A root counts what it explains at any depth: "db" explains one finding directly, and
// through it two more; "web" explains two directly. db comes first; without the chain, web.
TEST(CorrelateTest, RootsRankByEverythingTheyExplainNotOnlyDirectly) {
  auto finding = [](std::string id, std::vector<std::string> causes) {
    Finding f;
    f.id = id;
    f.severity = Severity::kCritical;
    f.object = ObjectRef{"Pod", "shop", id, ""};
    f.caused_by = std::move(causes);
    return f;
  };
  std::vector<Finding> chain{finding("web", {}),
                             finding("web-svc", {"web"}),
                             finding("web-deploy", {"web"}),
                             finding("db", {}),
                             finding("db-sts", {"db"}),
                             finding("client", {"db-sts"}),
                             finding("client-svc", {"client"})};
  order_findings(chain);
  EXPECT_EQ(chain[0].id, "db");
  EXPECT_EQ(chain[1].id, "web");

  std::vector<Finding> flat{finding("web", {}), finding("web-svc", {"web"}),
                            finding("web-deploy", {"web"}), finding("db", {}),
                            finding("db-sts", {"db"})};
  order_findings(flat);
  EXPECT_EQ(flat[0].id, "web");
  EXPECT_EQ(flat[1].id, "db");
}

// A warning root whose consequence is critical (a NetworkPolicy cutting a database off, and the
// app crashing for it) comes before a critical root that explains nothing, and before a warning
// that explains more but only warnings (negative); lone warnings come last.
TEST(CorrelateTest, RootsRankByTheWorstOfWhatTheyExplain) {
  auto finding = [](std::string id, Severity s, std::vector<std::string> causes) {
    Finding f;
    f.id = id;
    f.severity = s;
    f.object = ObjectRef{"Pod", "shop", id, ""};
    f.caused_by = std::move(causes);
    return f;
  };
  using enum Severity;
  std::vector<Finding> findings{finding("a-lone-warning", kWarning, {}),
                                finding("b-netpol", kWarning, {}),
                                finding("c-crash", kCritical, {"b-netpol"}),
                                finding("d-oom", kCritical, {}),
                                finding("e-mild", kWarning, {}),
                                finding("f-mild-symptom", kWarning, {"e-mild"}),
                                finding("g-mild-symptom", kWarning, {"e-mild"})};
  order_findings(findings);
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.id);
  // e-mild explains more (two) than b-netpol (one): by count alone it would come first; d-oom
  // is critical itself: by own severity it would.
  EXPECT_EQ(ids, (std::vector<std::string>{"b-netpol", "d-oom", "e-mild", "a-lone-warning",
                                           "c-crash", "f-mild-symptom", "g-mild-symptom"}));
}

// Findings of equal rank sort by name as a person reads them: pod-2 < pod-10 < pod-999 <
// pod-1001, not as bytes ("pod-1001" < "pod-2").
TEST(CorrelateTest, FindingsOfEqualRankSortByNameWithNumbersByValue) {
  std::string yaml;
  for (const char* name : {"pod-1001", "pod-2", "pod-999", "pod-10", "pod-a"}) {
    yaml += std::string(R"(---
apiVersion: v1
kind: Pod
metadata: {name: )") +
            name + R"(, namespace: shop}
spec:
  nodeName: n1
  containers: [{name: app, image: app:1}]
status:
  phase: Pending
  containerStatuses:
  - name: app
    ready: false
    restartCount: 0
    state: {waiting: {reason: CreateContainerConfigError, message: 'configmap "cfg" not found'}}
)";
  }
  const auto findings = diagnose(*cluster_from_yaml(yaml));
  ASSERT_FALSE(findings.empty());
  std::vector<std::string> names;
  for (const Finding& f : findings) {
    if (f.object.kind == "Pod" && f.rule == findings.front().rule) names.push_back(f.object.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"pod-2", "pod-10", "pod-999", "pod-1001", "pod-a"}));
}

}  // namespace
}  // namespace ktriage
