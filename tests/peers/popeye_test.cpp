// Popeye's linter fixtures (../shared/peers/popeye, derailed/popeye 5d078381) with the issues its
// own tests expect, restated as "ktriage reports the same condition on the same object". One row
// per Popeye check that describes a fault (or looks like one and is left out with the reason);
// Popeye's style and hygiene codes (probes, requests/limits, image tags, named ports, RBAC,
// network policies, unused objects, metrics thresholds) are listed in docs/peer-conformance.md
// only. Each row loads the files Popeye's test loads together (expectations.yaml, loaded_with).
#include <gtest/gtest.h>

#include <set>

#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using Files = std::vector<std::string>;

// The file sets of Popeye's linter tests, under internal/lint/testdata/.
const Files kNodeTest = {"core/node/1.yaml", "core/pod/1.yaml", "mx/node/1.yaml"};
const Files kNsTest = {"core/ns/1.yaml", "core/pod/1.yaml"};
const Files kDpTest = {"apps/dp/1.yaml", "core/sa/1.yaml", "core/pod/1.yaml", "mx/pod/1.yaml"};
const Files kDsTest = {"apps/ds/1.yaml", "core/sa/1.yaml", "core/pod/1.yaml", "mx/pod/1.yaml"};
const Files kStsTest = {"apps/sts/1.yaml", "core/sa/1.yaml", "core/pod/1.yaml", "mx/pod/1.yaml"};
const Files kRsTest = {"apps/rs/1.yaml", "core/pod/1.yaml"};
const Files kHpaTest = {"autoscaling/hpa/1.yaml", "apps/dp/1.yaml",   "apps/rs/1.yaml",
                        "apps/sts/1.yaml",        "core/node/1.yaml", "core/pod/2.yaml",
                        "core/sa/1.yaml",         "mx/pod/1.yaml",    "mx/node/1.yaml"};
const Files kCronJobTest = {"batch/cjob/1.yaml", "batch/job/1.yaml", "core/sa/1.yaml",
                            "core/pod/1.yaml", "mx/pod/1.yaml"};
const Files kJobTest = {"batch/job/1.yaml", "core/sa/1.yaml", "core/pod/1.yaml", "mx/pod/1.yaml"};
const Files kPodTest = {"core/pod/2.yaml", "core/sa/1.yaml", "pol/pdb/1.yaml", "net/np/1.yaml",
                        "mx/pod/1.yaml"};
const Files kSaTest = {"core/sa/1.yaml",    "core/pod/2.yaml",    "auth/rob/1.yaml",
                       "auth/crb/1.yaml",   "core/secret/1.yaml", "core/svc/1.yaml",
                       "net/ingress/1.yaml"};
const Files kSvcTest = {"core/svc/1.yaml", "core/pod/1.yaml", "core/ep/1.yaml"};
const Files kSvc2Test = {"core/svc/2.yaml", "core/pod/4.yaml", "core/ep/1.yaml"};
const Files kPvTest = {"core/pv/1.yaml", "core/pod/1.yaml"};
const Files kPvcTest = {"core/pvc/1.yaml", "core/pod/1.yaml"};
const Files kIngTest = {"net/ingress/1.yaml", "core/svc/1.yaml"};

struct PopeyeRow {
  const char* popeye_case;              // Popeye test (and subtest) and the object it reports
  const char* code;                     // POP code(s) Popeye expects on the object
  Files fixtures;                       // under internal/lint/testdata/
  const char* kind;                     // kind of `object`
  const char* object;                   // "ns/name", or "name" for cluster-scoped objects
  std::set<std::string> catalogs = {};  // acceptable ktriage catalog ids; empty = any finding
  Severity min_severity = Severity::kWarning;
  bool expect_none = false;           // Popeye expects no issue: none at warning or above either
  const char* not_covered = nullptr;  // why ktriage deliberately differs
  const char* fails = nullptr;        // a real fault ktriage misses (for the analyzer owner)
};

std::vector<Finding> run(const Files& fixtures) {
  std::vector<std::string> paths;
  for (const auto& f : fixtures)
    paths.push_back(testing::shared_dir() + "/peers/popeye/internal/lint/testdata/" + f);
  Inputs in = load_sources(paths);
  auto cluster = Cluster::build(std::move(in));
  return testing::diagnose(*cluster);
}

std::string key(const ObjectRef& o) { return o.ns.empty() ? o.name : o.ns + "/" + o.name; }

const std::vector<PopeyeRow>& rows() {
  static const std::vector<PopeyeRow> kRows = {
      // Nodes (TestNodeSanitizer).
      {.popeye_case = "TestNodeSanitizer n2",
       .code = "POP-707",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n2",
       .catalogs = {"NET-FLANNEL-ROUTE-NOT-CREATED"}},
      {.popeye_case = "TestNodeSanitizer n3",
       .code = "POP-704",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n3",
       .catalogs = {"NODE-MEMORY-PRESSURE"}},
      {.popeye_case = "TestNodeSanitizer n3",
       .code = "POP-705",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n3",
       .catalogs = {"NODE-DISK-PRESSURE"}},
      {.popeye_case = "TestNodeSanitizer n3",
       .code = "POP-706",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n3",
       .catalogs = {"NODE-PID-PRESSURE"}},
      {.popeye_case = "TestNodeSanitizer n3",
       .code = "POP-707",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n3",
       .catalogs = {"NET-FLANNEL-ROUTE-NOT-CREATED"}},
      // ktriage reports a cordoned node at info: a deliberate state, not a failure by itself.
      {.popeye_case = "TestNodeSanitizer n4",
       .code = "POP-711",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n4",
       .catalogs = {"POD-PENDING-NODES-UNSCHEDULABLE"},
       .min_severity = Severity::kInfo},
      {.popeye_case = "TestNodeSanitizer n4",
       .code = "POP-702",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n4",
       .catalogs = {"NODE-NOT-READY-KUBELET-STOPPED-POSTING", "NODE-NOT-READY-PLEG",
                    "NODE-NOT-READY-RUNTIME-DOWN", "POD-WAITING-NETWORK-NOT-READY",
                    ""}},  // node-not-ready: Ready=False for another reason ("blee")
      {.popeye_case = "TestNodeSanitizer n4",
       .code = "POP-701",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n4",
       .not_covered = "the condition has an empty type (status Unknown), which no kubelet writes"},
      {.popeye_case = "TestNodeSanitizer n2",
       .code = "POP-700",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n2",
       .not_covered = "a taint no pod tolerates is how taints reserve nodes, not a fault; "
                      "ktriage reports taints when a Pending pod cannot tolerate them"},
      {.popeye_case = "TestNodeSanitizer n3, n4 (POP-708); n5 (POP-709, POP-710)",
       .code = "POP-708, POP-709, POP-710",
       .fixtures = kNodeTest,
       .kind = "Node",
       .object = "n5",
       .not_covered = "no node metrics, and usage over a user threshold from metrics.k8s.io: "
                      "capacity planning, not a fault"},

      // Namespaces (TestNSSanitizer).
      {.popeye_case = "TestNSSanitizer ns2",
       .code = "POP-800",
       .fixtures = kNsTest,
       .kind = "Namespace",
       .object = "ns2",
       .not_covered = "the fixture's namespace has no status at all (Kubernetes always writes "
                      "phase Active or Terminating) and no deletionTimestamp; ktriage reports "
                      "namespaces stuck Terminating"},

      // Deployments (TestDPLint).
      {.popeye_case = "TestDPLint default/dp2",
       .code = "POP-501",
       .fixtures = kDpTest,
       .kind = "Deployment",
       .object = "default/dp2",
       .catalogs = {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE", "RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestDPLint default/dp2",
       .code = "POP-508",
       .fixtures = kDpTest,
       .kind = "Deployment",
       .object = "default/dp2",
       .catalogs = {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE", "RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestDPLint default/dp2",
       .code = "POP-507",
       .fixtures = kDpTest,
       .kind = "Deployment",
       .object = "default/dp2",
       .catalogs = {"RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestDPLint default/dp3",
       .code = "POP-500",
       .fixtures = kDpTest,
       .kind = "Deployment",
       .object = "default/dp3",
       .not_covered = "replicas: 0 is a deliberate scale to zero, not a fault"},
      {.popeye_case = "TestDPLint default/dp3",
       .code = "POP-666",
       .fixtures = kDpTest,
       .kind = "Deployment",
       .object = "default/dp3",
       .not_covered = "Popeye's internal error on a Deployment without a selector, which the API "
                      "server rejects"},

      // DaemonSets (TestDSLint).
      {.popeye_case = "TestDSLint default/ds2",
       .code = "POP-507",
       .fixtures = kDsTest,
       .kind = "DaemonSet",
       .object = "default/ds2",
       .catalogs = {"RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestDSLint default/ds2",
       .code = "POP-508",
       .fixtures = kDsTest,
       .kind = "DaemonSet",
       .object = "default/ds2",
       .not_covered = "the status says 2/2 scheduled, ready and available; the pods are only "
                      "missing from the fixture, and ktriage trusts the controller's status "
                      "over a partial pod list"},

      // StatefulSets (TestSTSLint).
      {.popeye_case = "TestSTSLint default/sts3",
       .code = "POP-501",
       .fixtures = kStsTest,
       .kind = "StatefulSet",
       .object = "default/sts3",
       .catalogs = {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE", "RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestSTSLint default/sts3",
       .code = "POP-508",
       .fixtures = kStsTest,
       .kind = "StatefulSet",
       .object = "default/sts3",
       .catalogs = {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE", "RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestSTSLint default/sts3",
       .code = "POP-507",
       .fixtures = kStsTest,
       .kind = "StatefulSet",
       .object = "default/sts3",
       .catalogs = {"RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestSTSLint default/sts2",
       .code = "POP-508",
       .fixtures = kStsTest,
       .kind = "StatefulSet",
       .object = "default/sts2",
       .not_covered = "the status says 1/1 ready; the pod is only missing from the fixture, and "
                      "ktriage trusts the controller's status over a partial pod list"},

      // ReplicaSets (TestRSLint).
      {.popeye_case = "TestRSLint default/rs2",
       .code = "POP-1120",
       .fixtures = kRsTest,
       .kind = "ReplicaSet",
       .object = "default/rs2",
       .catalogs = {"DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE"}},

      // HorizontalPodAutoscalers (TestHPALint).
      {.popeye_case = "TestHPALint default/hpa2",
       .code = "POP-600",
       .fixtures = kHpaTest,
       .kind = "HorizontalPodAutoscaler",
       .object = "default/hpa2",
       .catalogs = {"HPA-METRICS-UNAVAILABLE"}},
      {.popeye_case = "TestHPALint default/hpa3",
       .code = "POP-600",
       .fixtures = kHpaTest,
       .kind = "HorizontalPodAutoscaler",
       .object = "default/hpa3",
       .catalogs = {"HPA-METRICS-UNAVAILABLE"}},
      {.popeye_case = "TestHPALint default/hpa4",
       .code = "POP-600",
       .fixtures = kHpaTest,
       .kind = "HorizontalPodAutoscaler",
       .object = "default/hpa4",
       .catalogs = {"HPA-METRICS-UNAVAILABLE"}},
      {.popeye_case = "TestHPALint default/hpa1, hpa5, hpa6",
       .code = "(one issue each, code not asserted)",
       .fixtures = kHpaTest,
       .kind = "HorizontalPodAutoscaler",
       .object = "default/hpa1",
       .not_covered = "the test asserts one issue without its code; the HPA linter's other "
                      "codes (602-605) project cluster capacity at maxReplicas, not a fault"},

      // CronJobs (TestCronJobLint).
      {.popeye_case = "TestCronJobLint default/cj2",
       .code = "POP-1500",
       .fixtures = kCronJobTest,
       .kind = "CronJob",
       .object = "default/cj2",
       .catalogs = {"CRONJOB-MISSED-SCHEDULES"},
       .min_severity = Severity::kInfo},
      {.popeye_case = "TestCronJobLint default/cj2",
       .code = "POP-1502",
       .fixtures = kCronJobTest,
       .kind = "CronJob",
       .object = "default/cj2",
       .catalogs = {"CRONJOB-MISSED-SCHEDULES"},
       .min_severity = Severity::kInfo},
      {.popeye_case = "TestCronJobLint default/cj2",
       .code = "POP-307",
       .fixtures = kCronJobTest,
       .kind = "CronJob",
       .object = "default/cj2",
       .catalogs = {"RS-FAILEDCREATE-ADMISSION-DENIED"}},
      {.popeye_case = "TestCronJobLint default/cj2",
       .code = "POP-1501",
       .fixtures = kCronJobTest,
       .kind = "CronJob",
       .object = "default/cj2",
       .not_covered = "no active Job is the normal state between runs (Popeye: info)"},

      // Pods (TestPodLint).
      {.popeye_case = "TestPodLint default/p4",
       .code = "POP-204 (x2)",
       .fixtures = kPodTest,
       .kind = "Pod",
       .object = "default/p4",
       .catalogs = {}},
      {.popeye_case = "TestPodLint default/p2",
       .code = "POP-207",
       .fixtures = kPodTest,
       .kind = "Pod",
       .object = "default/p2",
       .not_covered = "the fixture's pod has no status and no containers (phase \"\", which "
                      "Kubernetes never writes)"},
      {.popeye_case = "TestPodLint default/p5",
       .code = "POP-209",
       .fixtures = kPodTest,
       .kind = "Pod",
       .object = "default/p5",
       .catalogs = {"PDB-BLOCKS-EVICTION"}},

      // ServiceAccounts (TestSALint).
      {.popeye_case = "TestSALint default/sa4, default/sa5",
       .code = "POP-304",
       .fixtures = kSaTest,
       .kind = "ServiceAccount",
       .object = "default/sa4",
       .not_covered = "the ServiceAccount's secrets list names legacy token Secrets; since "
                      "v1.24 pods get projected tokens and a dangling entry breaks no pod"},
      {.popeye_case = "TestSALint default/sa4, default/sa5",
       .code = "POP-305",
       .fixtures = kSaTest,
       .kind = "ServiceAccount",
       .object = "default/sa5",
       .not_covered = "a missing imagePullSecret breaks nothing until a registry refuses the "
                      "anonymous pull (p5 shows no pull failure); ktriage then names the "
                      "missing pull secret (image-pull-unauthorized)"},

      // Services (Test_svcCheckEndpoints, TestSVCLint, TestSVCLint2).
      {.popeye_case = "Test_svcCheckEndpoints/no-subset default/svc4",
       .code = "POP-1110",
       .fixtures = kSvcTest,
       .kind = "Service",
       .object = "default/svc4",
       .catalogs = {"SVC-SELECTOR-MATCHES-NOTHING", "SVC-ENDPOINTS-NOT-READY"}},
      {.popeye_case = "Test_svcCheckEndpoints/external (ExternalName svc3)",
       .code = "(none)",
       .fixtures = kSvcTest,
       .kind = "Service",
       .object = "default/svc3",
       .expect_none = true},
      {.popeye_case = "Test_svcCheckEndpoints/no-ep default/svc3",
       .code = "POP-1105",
       .fixtures = kSvcTest,
       .kind = "Service",
       .object = "default/svc3",
       .not_covered = "the case passes type NodePort by hand; the fixture's svc3 is an "
                      "ExternalName Service, which has no endpoints by design (see the row above)"},
      {.popeye_case = "Test_svcCheckEndpoints/empty",
       .code = "POP-1105",
       .fixtures = kSvcTest,
       .kind = "Service",
       .object = "",
       .not_covered = "the case names no Service (empty name), so there is no object to compare"},
      {.popeye_case = "Test_svcCheckEndpoints/nodeport default/svc2 + TestSVCLint2 default/svc1",
       .code = "POP-1109",
       .fixtures = kSvc2Test,
       .kind = "Service",
       .object = "default/svc1",
       .not_covered = "a single endpoint is a redundancy preference, not a fault"},
      {.popeye_case = "TestSVCLint",
       .code = "(none asserted)",
       .fixtures = kSvcTest,
       .kind = "Service",
       .object = "",
       .not_covered = "the test runs the Service linter under the v1/pods section and asserts "
                      "only that default/p1 has no issue: nothing about a Service to compare"},

      // PersistentVolumes (TestPVLint); the fixture gives its PVs a namespace.
      {.popeye_case = "TestPVLint default/pv2",
       .code = "POP-1002",
       .fixtures = kPvTest,
       .kind = "PersistentVolume",
       .object = "default/pv2",
       .catalogs = {"POD-PENDING-NO-PV-TO-BIND"}},
      {.popeye_case = "TestPVLint default/pv4",
       .code = "POP-1001",
       .fixtures = kPvTest,
       .kind = "PersistentVolume",
       .object = "default/pv4",
       .catalogs = {"POD-PENDING-NO-PV-TO-BIND"}},
      {.popeye_case = "TestPVLint default/pv3",
       .code = "POP-1000",
       .fixtures = kPvTest,
       .kind = "PersistentVolume",
       .object = "default/pv3",
       .not_covered = "an Available volume is unused capacity, not a fault (Popeye: info)"},

      // PersistentVolumeClaims (TestPVCLint).
      {.popeye_case = "TestPVCLint default/pvc2",
       .code = "POP-1004",
       .fixtures = kPvcTest,
       .kind = "PersistentVolumeClaim",
       .object = "default/pvc2",
       .catalogs = {""}},  // pvc-lost: a fault the catalog does not list
      {.popeye_case = "TestPVCLint default/pvc3",
       .code = "POP-1003",
       .fixtures = kPvcTest,
       .kind = "PersistentVolumeClaim",
       .object = "default/pvc3",
       .catalogs = {},
       .fails = "Pending and pre-bound (spec.volumeName) to a PersistentVolume, and the "
                "fixture has no PersistentVolumes at all: a missing PV cannot be told from one "
                "that was not collected, so pvc-pending-prebound-volume-missing stays silent"},

      // Ingresses (TestIngLint).
      {.popeye_case = "TestIngLint default/ing3",
       .code = "POP-1401",
       .fixtures = kIngTest,
       .kind = "Ingress",
       .object = "default/ing3",
       .catalogs = {"INGRESS-BACKEND-SERVICE-NOT-FOUND"}},
      {.popeye_case = "TestIngLint default/ing6",
       .code = "POP-1402",
       .fixtures = kIngTest,
       .kind = "Ingress",
       .object = "default/ing6",
       .catalogs = {"INGRESS-BACKEND-SERVICE-PORT-NOT-FOUND"}},
      {.popeye_case = "TestIngLint default/ing4",
       .code = "POP-1402, POP-1404",
       .fixtures = kIngTest,
       .kind = "Ingress",
       .object = "default/ing4",
       .not_covered = "a service backend without a port name or number, which the API server's "
                      "validation rejects"},
      {.popeye_case = "TestIngLint default/ing5",
       .code = "POP-1400",
       .fixtures = kIngTest,
       .kind = "Ingress",
       .object = "default/ing5",
       .catalogs = {"SVC-LOADBALANCER-SYNC-FAILED"}},
      {.popeye_case = "TestIngLint default/ing5",
       .code = "POP-666",
       .fixtures = kIngTest,
       .kind = "Ingress",
       .object = "default/ing5",
       .not_covered = "Popeye's internal error on a resource backend it does not support"},
  };
  return kRows;
}

// Whether ktriage has a finding about row.object of row.kind (as object or sibling) at or above
// row.min_severity with an acceptable catalog; `seen` lists every rule[catalog] found on it.
bool reports(const std::vector<Finding>& findings, const PopeyeRow& row, std::string& seen) {
  bool found = false;
  for (const Finding& f : findings) {
    bool about = f.object.kind == row.kind && key(f.object) == row.object;
    for (const auto& o : f.also_affects)
      about = about || (o.kind == row.kind && key(o) == row.object);
    if (!about) continue;
    seen += " " + f.rule + "[" + f.catalog + "]";
    if (f.severity < row.min_severity) continue;
    if (row.catalogs.empty() || row.catalogs.count(f.catalog) > 0) found = true;
  }
  return found;
}

class PopeyePeer : public ::testing::TestWithParam<PopeyeRow> {};

void PrintTo(const PopeyeRow& r, std::ostream* os) { *os << r.popeye_case << " " << r.code; }

TEST_P(PopeyePeer, ReportsTheSameCondition) {
  const PopeyeRow& row = GetParam();
  if (row.not_covered != nullptr) GTEST_SKIP() << "not covered: " << row.not_covered;
  auto findings = run(row.fixtures);
  std::string seen;
  const bool found = reports(findings, row, seen);
  if (row.expect_none) {
    EXPECT_FALSE(found) << row.popeye_case << ": unexpected" << seen;
    return;
  }
  if (row.fails != nullptr) {
    // An expected failure must keep failing, so that a fix is noticed and the row updated here
    // and in docs/peer-conformance.md.
    EXPECT_FALSE(found) << row.popeye_case << " " << row.code
                        << " now passes: drop its `fails` mark; found:" << seen;
    if (!found) GTEST_SKIP() << "fails: " << row.fails;
    return;
  }
  EXPECT_TRUE(found) << row.popeye_case << " " << row.code << ": no matching finding on "
                     << row.kind << " " << row.object << "; found:" << seen;
}

INSTANTIATE_TEST_SUITE_P(Popeye, PopeyePeer, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<PopeyeRow>& info) {
                           return "row" + std::to_string(info.index);
                         });

// The objects Popeye's tests find no fault on (no issue, or only style codes) get nothing at
// warning or above from ktriage either.
TEST(PopeyePeerHealthy, ObjectsWithoutFaultsAreNotReported) {
  struct Healthy {
    const Files* fixtures;
    std::set<std::string> objects;  // ObjectRef::key(): "Kind/ns/name", "Kind/name"
  };
  const std::vector<Healthy> cases = {
      {&kNodeTest, {"Node/n1", "Node/n5"}},
      {&kDpTest, {"Deployment/default/dp1"}},
      {&kDsTest, {"DaemonSet/default/ds1"}},
      {&kStsTest, {"StatefulSet/default/sts1"}},
      {&kRsTest, {"ReplicaSet/default/rs1"}},
      {&kJobTest, {"Job/default/j1", "Job/default/j2"}},
      {&kCronJobTest, {"CronJob/default/cj1"}},
      {&kPodTest, {"Pod/default/p1"}},
      {&kPvTest, {"PersistentVolume/default/pv1"}},
      {&kPvcTest, {"PersistentVolumeClaim/default/pvc1"}},
      {&kIngTest, {"Ingress/default/ing1", "Ingress/default/ing2"}},
  };
  for (const Healthy& c : cases) {
    for (const Finding& f : run(*c.fixtures)) {
      if (f.severity < Severity::kWarning) continue;
      EXPECT_EQ(c.objects.count(f.object.key()), 0u) << f.id;
    }
  }
}

}  // namespace
}  // namespace ktriage
