// Workload controllers: rollouts past their deadline, pod creation refused (quota, admission),
// failed Jobs, CronJobs, HPAs and PDBs. A positive and a negative case per rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-03-01T12:00:00Z");

std::vector<Finding> run(const std::string& yaml) {
  return diagnose(*cluster_from_yaml(yaml, kNow));
}

std::size_t count_rule(const std::string& yaml, std::string_view rule) {
  auto f = run(yaml);
  return with_rule(f, rule).size();
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != s.npos; }

bool evidence_has(const Finding& f, std::string_view part) {
  for (const Evidence& e : f.evidence) {
    if (contains(e.value, part) || contains(e.path, part)) return true;
  }
  return false;
}

const Finding* by_id(const std::vector<Finding>& all, std::string_view id) {
  for (const Finding& f : all) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string yaml_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string event(std::string_view kind, std::string_view name, std::string_view uid,
                  std::string_view reason, std::string_view message,
                  std::string_view component = "replicaset-controller", int count = 5,
                  std::string_view type = "Warning") {
  static int n = 0;
  return "---\napiVersion: v1\nkind: Event\nmetadata: {name: ev-" + std::to_string(++n) +
         ", namespace: shop}\ninvolvedObject: {kind: " + std::string(kind) +
         ", name: " + std::string(name) + ", namespace: shop, uid: " + std::string(uid) +
         "}\nreason: " + std::string(reason) + "\ntype: " + std::string(type) +
         "\nsource: {component: " + std::string(component) + "}\ncount: " + std::to_string(count) +
         "\nlastTimestamp: \"2026-03-01T11:59:00Z\"\nmessage: " + yaml_quoted(message) + "\n";
}

// Deployment web (3 replicas) with ReplicaSet web-5d4f whose status is `rs_status`.
std::string deployment(std::string_view deploy_status, std::string_view rs_status) {
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, uid: "
         "d-web}\nspec: {replicas: 3, progressDeadlineSeconds: 600}\nstatus: " +
         std::string(deploy_status) +
         "\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-5d4f\n  "
         "namespace: shop\n  uid: rs-web\n  annotations: {deployment.kubernetes.io/revision: "
         "\"2\"}\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: "
         "d-web, controller: true}]\nspec: {replicas: 3}\nstatus: " +
         std::string(rs_status) + "\n";
}

// --- Deployment progress deadline ---

const std::string kStuck =
    "{replicas: 4, availableReplicas: 3, conditions: [{type: Progressing, status: \"False\", "
    "reason: ProgressDeadlineExceeded, message: 'ReplicaSet \"web-5d4f\" has timed out "
    "progressing.'}]}";

std::string old_rs() {
  return "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-77aa\n  namespace: "
         "shop\n  uid: rs-old\n  annotations: {deployment.kubernetes.io/revision: \"1\"}\n  "
         "ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, "
         "controller: true}]\nspec: {replicas: 3}\nstatus: {replicas: 3, readyReplicas: 3}\n";
}

std::string crashing_pod() {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-5d4f-a\n  namespace: shop\n  "
         "uid: p-a\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, "
         "uid: rs-web, controller: true}]\nspec:\n  nodeName: n1\n  containers: [{name: web, "
         "image: shop/web:2}]\nstatus:\n  phase: Running\n  conditions: [{type: Ready, status: "
         "\"False\"}]\n  containerStatuses:\n  - name: web\n    ready: false\n    restartCount: "
         "7\n    state: {waiting: {reason: CrashLoopBackOff}}\n    lastState: {terminated: "
         "{reason: OOMKilled, exitCode: 137, startedAt: \"2026-03-01T11:57:00Z\", finishedAt: "
         "\"2026-03-01T11:58:00Z\"}}\n";
}

TEST(WorkloadsTest, ProgressDeadlineNamesBothReplicaSetsAndHangsUnderThePodCause) {
  auto f = run(deployment(kStuck, "{replicas: 1, readyReplicas: 0}") + old_rs() + crashing_pod() +
               event("Deployment", "web", "d-web", "ProgressDeadlineExceeded",
                     "Deployment \"web\" has timed out progressing.", "deployment-controller"));
  auto r = with_rule(f, "deploy-progress-deadline-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "DEPLOY-PROGRESS-DEADLINE-EXCEEDED");
  EXPECT_TRUE(contains(r[0]->summary, "new ReplicaSet web-5d4f 0/3 ready")) << r[0]->summary;
  EXPECT_TRUE(contains(r[0]->summary, "old web-77aa 3/3 ready")) << r[0]->summary;
  EXPECT_TRUE(evidence_has(*r[0], "ProgressDeadlineExceeded"));
  ASSERT_FALSE(r[0]->caused_by.empty());
  for (const std::string& id : r[0]->caused_by) {
    const Finding* cause = by_id(f, id);
    ASSERT_NE(cause, nullptr) << id;
    EXPECT_EQ(cause->object.kind, "Pod");
    EXPECT_TRUE(cause->caused_by.empty());  // the pod fault stays the root
  }
  EXPECT_TRUE(contains(r[0]->fix, "rollout undo deployment/web"));
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
}

// A Deployment at its first revision has nothing to roll back to: `rollout undo` would fail
// with "no rollout history found", so it is not offered.
TEST(WorkloadsTest, ProgressDeadlineOffersNoUndoWithoutAnEarlierRevision) {
  const std::string first =
      deployment(kStuck, "{replicas: 1, readyReplicas: 0}")
          .replace(deployment(kStuck, "{}").find("revision: \"2\""), 13, "revision: \"1\"");
  auto f = run(first + crashing_pod());
  auto r = with_rule(f, "deploy-progress-deadline-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(contains(r[0]->fix, "rollout undo")) << r[0]->fix;
  EXPECT_TRUE(contains(r[0]->fix, "first revision")) << r[0]->fix;
}

TEST(WorkloadsTest, ProgressingDeploymentIsNotReported) {
  auto f =
      run(deployment("{replicas: 3, availableReplicas: 3, conditions: [{type: Progressing, "
                     "status: \"True\", reason: NewReplicaSetAvailable}]}",
                     "{replicas: 3, readyReplicas: 3}"));
  EXPECT_TRUE(with_rule(f, "deploy-progress-deadline-exceeded").empty());
}

// --- FailedCreate ---

const std::string kQuotaMessage =
    "Error creating: pods \"web-5d4f-x\" is forbidden: exceeded quota: compute, requested: "
    "requests.cpu=500m, used: requests.cpu=1800m, limited: requests.cpu=2";

std::string quota() {
  return "---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: shop}\n"
         "spec: {hard: {requests.cpu: \"2\"}}\nstatus: {hard: {requests.cpu: \"2\"}, used: "
         "{requests.cpu: 1800m}}\n";
}

TEST(WorkloadsTest, QuotaExceededIsTheRootOfTheDeploymentsUnavailability) {
  auto f = run(deployment("{replicas: 0, availableReplicas: 0, conditions: [{type: "
                          "ReplicaFailure, status: \"True\", reason: FailedCreate, message: " +
                              yaml_quoted(kQuotaMessage) + "}]}",
                          "{replicas: 0}") +
               quota() + event("ReplicaSet", "web-5d4f", "rs-web", "FailedCreate", kQuotaMessage));
  auto r = with_rule(f, "rs-failedcreate-quota-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "RS-FAILEDCREATE-QUOTA-EXCEEDED");
  EXPECT_EQ(r[0]->object.key(), "ReplicaSet/shop/web-5d4f");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(evidence_has(*r[0], "requests.cpu: used 1800m of 2")) << r[0]->summary;
  EXPECT_TRUE(contains(r[0]->fix, "resourcequota"));
  // The Deployment's unavailability hangs under it; the event is explained, not "unexplained".
  auto w = with_rule(f, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]->object.key(), "Deployment/shop/web");
  ASSERT_EQ(w[0]->caused_by.size(), 1u);
  EXPECT_EQ(w[0]->caused_by[0], r[0]->id);
  EXPECT_TRUE(contains(w[0]->summary, "pods cannot be created")) << w[0]->summary;
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  // The Deployment mirrors the condition; it is not reported twice.
  EXPECT_EQ(with_rule(f, "rs-failedcreate-quota-exceeded").size(), 1u);
}

TEST(WorkloadsTest, DeploymentReplicaFailureIsReportedWhenItsReplicaSetIsNotInTheSnapshot) {
  auto f =
      run("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop, uid: "
          "d-api}\nspec: {replicas: 2}\nstatus: {replicas: 0, conditions: [{type: "
          "ReplicaFailure, status: \"True\", reason: FailedCreate, message: " +
          yaml_quoted("pods \"api-6f7d-\" is forbidden: error looking up service account "
                      "shop/api: serviceaccount \"api\" not found") +
          "}]}\n");
  auto r = with_rule(f, "rs-failedcreate-admission-denied");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Deployment/shop/api");
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop create serviceaccount api")) << r[0]->fix;
  // The finding is the Deployment's own: no second "replicas unavailable" about it.
  EXPECT_TRUE(with_rule(f, "workload-replicas-unavailable").empty());
}

TEST(WorkloadsTest, OldFailedCreateOnAReplicaSetThatHasAllItsPodsIsHistory) {
  auto f =
      run(deployment("{replicas: 3, availableReplicas: 3}", "{replicas: 3, readyReplicas: 3}") +
          event("ReplicaSet", "web-5d4f", "rs-web", "FailedCreate", kQuotaMessage));
  EXPECT_TRUE(with_rule(f, "rs-failedcreate-quota-exceeded").empty());
}

TEST(WorkloadsTest, QuotaRequiringRequestsIsReportedFromTheCondition) {
  auto f = run(deployment("{replicas: 0}",
                          "{replicas: 0, conditions: [{type: ReplicaFailure, status: \"True\", "
                          "reason: FailedCreate, message: 'pods \"web-5d4f-x\" is forbidden: "
                          "failed quota: compute: must specify limits.cpu,limits.memory'}]}") +
               quota());
  auto r = with_rule(f, "rs-failedcreate-quota-must-specify");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "RS-FAILEDCREATE-QUOTA-MUST-SPECIFY");
  EXPECT_TRUE(evidence_has(*r[0], ".status.conditions[0]"));
  EXPECT_TRUE(evidence_has(*r[0], "used 1800m of 2"));
  EXPECT_TRUE(contains(r[0]->fix, "LimitRange"));
}

TEST(WorkloadsTest, UnknownFailedCreateMessageIsNoCreationRule) {
  auto f =
      run(deployment("{replicas: 0}", "{replicas: 0}") +
          event("ReplicaSet", "web-5d4f", "rs-web", "FailedCreate",
                "Error creating: Internal error occurred: resource quota evaluation timed out"));
  EXPECT_TRUE(with_rule(f, "rs-failedcreate-quota-exceeded").empty());
  EXPECT_TRUE(with_rule(f, "rs-failedcreate-quota-must-specify").empty());
  EXPECT_TRUE(with_rule(f, "rs-failedcreate-admission-denied").empty());
  EXPECT_EQ(with_rule(f, "unexplained-warning-events").size(), 1u);  // still shown
}

struct AdmissionCase {
  std::string message, cause, fix;
};

TEST(WorkloadsTest, AdmissionDenialsNameTheirSubCause) {
  const AdmissionCase cases[] = {
      {"Error creating: pods \"web-5d4f-x\" is forbidden: violates PodSecurity "
       "\"restricted:latest\": allowPrivilegeEscalation != false",
       "PodSecurity admission", "pod-security.kubernetes.io/enforce"},
      {"Error creating: admission webhook \"validate.kyverno.svc\" denied the request: image tag "
       "latest is not allowed",
       "admission webhook", "validate.kyverno.svc"},
      {"Error creating: Internal error occurred: failed calling webhook "
       "\"validation.gatekeeper.sh\": "
       "failed to call webhook: Post \"https://gatekeeper-webhook.gatekeeper-system.svc:443/v1/"
       "admit?timeout=3s\": no endpoints available for service \"gatekeeper-webhook\"",
       "admission webhook unreachable", "cannot reach webhook validation.gatekeeper.sh"},
      {"Error creating: pods \"web-5d4f-\" is forbidden: error looking up service account "
       "shop/web-sa: serviceaccount \"web-sa\" not found",
       "ServiceAccount missing", "create serviceaccount web-sa"},
      {"Error creating: pods \"web-5d4f-x\" is forbidden: maximum cpu usage per Container is 1, "
       "but limit is 2",
       "LimitRange", "LimitRange"},
  };
  for (const AdmissionCase& c : cases) {
    auto f = run(deployment("{replicas: 0}", "{replicas: 0}") +
                 event("ReplicaSet", "web-5d4f", "rs-web", "FailedCreate", c.message));
    auto r = with_rule(f, "rs-failedcreate-admission-denied");
    ASSERT_EQ(r.size(), 1u) << c.cause;
    EXPECT_EQ(r[0]->catalog, "RS-FAILEDCREATE-ADMISSION-DENIED");
    EXPECT_TRUE(contains(r[0]->summary, c.cause)) << r[0]->summary;
    EXPECT_TRUE(contains(r[0]->fix, c.fix)) << r[0]->fix;
    EXPECT_TRUE(evidence_has(*r[0], "FailedCreate") || !r[0]->evidence.empty());
    EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty()) << c.cause;
  }
}

TEST(WorkloadsTest, StatefulSetFailedCreateIsReportedOnTheStatefulSet) {
  auto f = run(
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop, uid: s-db}\n"
      "spec: {replicas: 3}\nstatus: {replicas: 1, readyReplicas: 1}\n" +
      event("StatefulSet", "db", "s-db", "FailedCreate",
            "create Pod db-1 in StatefulSet db failed error: pods \"db-1\" is forbidden: violates "
            "PodSecurity \"baseline:latest\": privileged (container \"db\" must not set "
            "securityContext.privileged=true)",
            "statefulset-controller"));
  auto r = with_rule(f, "rs-failedcreate-admission-denied");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "StatefulSet/shop/db");
}

// --- Jobs ---

std::string job(std::string_view status) {
  return "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop, uid: "
         "j-1}\nspec: {backoffLimit: 2, activeDeadlineSeconds: 300}\nstatus: " +
         std::string(status) + "\n";
}

std::string job_pod() {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: migrate-x\n  namespace: shop\n  "
         "uid: p-m\n  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: migrate, uid: j-1, "
         "controller: true}]\nspec:\n  nodeName: n1\n  restartPolicy: Never\n  containers: [{name: "
         "m, image: x, resources: {limits: {memory: 1Gi}}}]\nstatus:\n  phase: Failed\n  "
         "containerStatuses:\n  - name: m\n    ready: false\n    restartCount: 0\n    state: "
         "{terminated: {reason: OOMKilled, exitCode: 137, startedAt: \"2026-03-01T11:57:00Z\", "
         "finishedAt: \"2026-03-01T11:58:00Z\"}}\n";
}

const std::string kBackoffFailed =
    "{failed: 3, conditions: [{type: Failed, status: \"True\", reason: BackoffLimitExceeded, "
    "message: Job has reached the specified backoff limit}]}";

TEST(WorkloadsTest, JobBackoffLimitIsCausedByThePodCrash) {
  auto f = run(job(kBackoffFailed) + job_pod() +
               event("Job", "migrate", "j-1", "BackoffLimitExceeded",
                     "Job has reached the specified backoff limit", "job-controller", 1));
  auto r = with_rule(f, "job-backoff-limit-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "JOB-BACKOFF-LIMIT-EXCEEDED");
  EXPECT_TRUE(contains(r[0]->summary, "3 pod failures reached backoffLimit 2")) << r[0]->summary;
  ASSERT_EQ(r[0]->caused_by.size(), 1u);
  const Finding* cause = by_id(f, r[0]->caused_by[0]);
  ASSERT_NE(cause, nullptr);
  EXPECT_EQ(cause->rule, "crash-oomkilled");
  EXPECT_TRUE(evidence_has(*r[0], "OOMKilled exit code 137"));
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
}

TEST(WorkloadsTest, JobBackoffLimitWithoutPodFindingsIsTheRootAndShowsExitCodes) {
  std::string pod = job_pod();
  pod.replace(pod.find("OOMKilled, exitCode: 137"), 24, "Error, exitCode: 3");
  auto f = run(job(kBackoffFailed) + pod);
  auto r = with_rule(f, "job-backoff-limit-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(evidence_has(*r[0], "Error exit code 3"));
  EXPECT_TRUE(contains(r[0]->fix, "logs job/migrate")) << r[0]->fix;
}

TEST(WorkloadsTest, CompletedJobIsNeverReported) {
  // A Job can carry an old Failed condition reading False, or complete after retries.
  auto f =
      run(job("{succeeded: 1, failed: 2, conditions: [{type: Complete, status: \"True\"}, "
              "{type: Failed, status: \"True\", reason: BackoffLimitExceeded}]}"));
  EXPECT_TRUE(with_rule(f, "job-backoff-limit-exceeded").empty());
  EXPECT_TRUE(with_rule(f, "job-deadline-exceeded").empty());
}

TEST(WorkloadsTest, JobDeadlineExceeded) {
  auto f =
      run(job("{failed: 1, startTime: \"2026-03-01T11:00:00Z\", conditions: [{type: Failed, "
              "status: \"True\", reason: DeadlineExceeded, message: Job was active longer "
              "than specified deadline}]}"));
  auto r = with_rule(f, "job-deadline-exceeded");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "JOB-DEADLINE-EXCEEDED");
  EXPECT_TRUE(evidence_has(*r[0], ".spec.activeDeadlineSeconds"));
  EXPECT_TRUE(contains(r[0]->fix, "activeDeadlineSeconds"));
}

TEST(WorkloadsTest, RunningJobIsNotReported) {
  auto f = run(job("{active: 1}"));
  EXPECT_TRUE(with_rule(f, "job-deadline-exceeded").empty());
  EXPECT_TRUE(with_rule(f, "job-backoff-limit-exceeded").empty());
}

// --- CronJobs ---

std::string cronjob(std::string_view spec_extra) {
  return "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report, namespace: shop, "
         "uid: c-1}\nspec: {schedule: \"*/5 * * * *\"" +
         std::string(spec_extra) + "}\nstatus: {lastScheduleTime: \"2026-02-20T10:00:00Z\"}\n";
}

TEST(WorkloadsTest, CronJobMissedSchedules) {
  auto f = run(cronjob("") + event("CronJob", "report", "c-1", "TooManyMissedTimes",
                                   "too many missed start times: 101. Set or decrease "
                                   ".spec.startingDeadlineSeconds or check clock skew",
                                   "cronjob-controller", 12));
  auto r = with_rule(f, "cronjob-missed-schedules");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "CRONJOB-MISSED-SCHEDULES");
  EXPECT_TRUE(evidence_has(*r[0], "(unset)"));
  EXPECT_TRUE(contains(r[0]->fix, "startingDeadlineSeconds"));
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  // The v1 controller's wording.
  auto old = run(cronjob("") + event("CronJob", "report", "c-1", "FailedNeedsStart",
                                     "Cannot determine if job needs to be started: too many "
                                     "missed start time (> 100). Set or decrease "
                                     ".spec.startingDeadlineSeconds or check clock skew.",
                                     "cronjob-controller"));
  EXPECT_EQ(with_rule(old, "cronjob-missed-schedules").size(), 1u);
}

TEST(WorkloadsTest, CronJobSkipsRunsWhileTheForbiddenPreviousJobIsActive) {
  std::string cj = cronjob(", concurrencyPolicy: Forbid");
  cj.replace(cj.find("status: {"), 9,
             "status: {active: [{kind: Job, name: report-29931000, namespace: shop}], ");
  const std::string job =
      "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: report-29931000, namespace: "
      "shop}\nspec: {}\nstatus: {active: 1, startTime: \"2026-02-20T04:00:00Z\"}\n";
  auto f = run(cj + job +
               event("CronJob", "report", "c-1", "JobAlreadyActive",
                     "Not starting job because prior execution is running and concurrency policy "
                     "is Forbid",
                     "cronjob-controller", 70, "Normal"));
  auto r = with_rule(f, "cronjob-run-skipped-still-active");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, "Job report-29931000 is still active"));
  EXPECT_TRUE(evidence_has(*r[0], "started 2026-02-20T04:00:00Z"));
  EXPECT_TRUE(evidence_has(*r[0], "a hung run blocks every later one"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop delete job report-29931000"));
  // The policy is not Forbid (changed since the event): nothing to fix now.
  std::string allow = cj;
  allow.replace(allow.find("concurrencyPolicy: Forbid"), 25, "concurrencyPolicy: Allow");
  EXPECT_EQ(count_rule(allow + job +
                           event("CronJob", "report", "c-1", "JobAlreadyActive",
                                 "Not starting job because prior execution is running and "
                                 "concurrency policy is Forbid",
                                 "cronjob-controller", 1, "Normal"),
                       "cronjob-run-skipped-still-active"),
            0u);
  // The event without an active Job (it finished since): nothing to fix now.
  EXPECT_EQ(count_rule(cronjob(", concurrencyPolicy: Forbid") +
                           event("CronJob", "report", "c-1", "JobAlreadyActive",
                                 "Not starting job because prior execution is running and "
                                 "concurrency policy is Forbid",
                                 "cronjob-controller", 1, "Normal"),
                       "cronjob-run-skipped-still-active"),
            0u);
}

TEST(WorkloadsTest, CronJobWithoutMissedScheduleEventsIsFine) {
  auto f = run(cronjob(""));
  EXPECT_TRUE(with_rule(f, "cronjob-missed-schedules").empty());
  EXPECT_TRUE(with_rule(f, "cronjob-suspended").empty());
}

TEST(WorkloadsTest, SuspendedCronJobIsInfo) {
  auto f = run(cronjob(", suspend: true"));
  auto r = with_rule(f, "cronjob-suspended");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kInfo);
  EXPECT_TRUE(evidence_has(*r[0], ".spec.suspend"));
  EXPECT_EQ(count_rule(cronjob(", suspend: false"), "cronjob-suspended"), 0u);
}

// --- HPA ---

std::string hpa(std::string_view status, std::int64_t max = 10) {
  return "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, "
         "namespace: shop, uid: h-1}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: "
         "Deployment, name: web}, minReplicas: 2, maxReplicas: " +
         std::to_string(max) + "}\nstatus: " + std::string(status) + "\n";
}

TEST(WorkloadsTest, HpaMetricsUnavailable) {
  auto f =
      run(hpa("{currentReplicas: 2, conditions: [{type: ScalingActive, status: \"False\", "
              "reason: FailedGetResourceMetric, message: 'the HPA was unable to compute the "
              "replica count: failed to get cpu utilization: unable to get metrics for "
              "resource cpu: no metrics returned from resource metrics API'}]}"));
  auto r = with_rule(f, "hpa-metrics-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "HPA-METRICS-UNAVAILABLE");
  EXPECT_TRUE(contains(r[0]->fix, "v1beta1.metrics.k8s.io"));
  EXPECT_TRUE(with_rule(f, "hpa-missing-resource-request").empty());
}

TEST(WorkloadsTest, HpaWhoseTargetDoesNotExist) {
  const std::string other =
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n"
      "spec: {replicas: 1}\nstatus: {replicas: 1, availableReplicas: 1}\n";
  auto f = run(hpa("{currentReplicas: 2}") + other);
  auto r = with_rule(f, "hpa-metrics-unavailable");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, "targets Deployment/web, which does not exist"));
  // The target exists, or the snapshot has no Deployments to judge by: not this finding.
  const std::string web =
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
      "spec: {replicas: 2}\nstatus: {replicas: 2, availableReplicas: 2}\n";
  EXPECT_EQ(count_rule(hpa("{currentReplicas: 2}") + web, "hpa-metrics-unavailable"), 0u);
  EXPECT_EQ(count_rule(hpa("{currentReplicas: 2}"), "hpa-metrics-unavailable"), 0u);
}

TEST(WorkloadsTest, HpaWithWorkingMetricsIsFine) {
  auto f = run(hpa("{currentReplicas: 2, conditions: [{type: ScalingActive, status: \"True\", "
                   "reason: ValidMetricFound}]}") +
               event("HorizontalPodAutoscaler", "web", "h-1", "FailedGetResourceMetric",
                     "unable to get metrics for resource cpu", "horizontal-pod-autoscaler", 1));
  EXPECT_TRUE(with_rule(f, "hpa-metrics-unavailable").empty());
  EXPECT_TRUE(with_rule(f, "hpa-at-max-replicas").empty());
}

TEST(WorkloadsTest, HpaMissingResourceRequestFromEvents) {
  auto f = run(hpa("{currentReplicas: 2}") +
               event("HorizontalPodAutoscaler", "web", "h-1", "FailedGetResourceMetric",
                     "failed to get cpu utilization: missing request for cpu in container "
                     "istio-proxy of Pod web-5d4f-a",
                     "horizontal-pod-autoscaler", 40));
  auto r = with_rule(f, "hpa-missing-resource-request");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "HPA-MISSING-RESOURCE-REQUEST");
  EXPECT_TRUE(contains(r[0]->fix, "Deployment/web"));
  EXPECT_TRUE(with_rule(f, "unexplained-warning-events").empty());
  EXPECT_TRUE(with_rule(f, "hpa-metrics-unavailable").empty());
}

TEST(WorkloadsTest, HpaAtMaxReplicas) {
  auto f =
      run(hpa("{currentReplicas: 10, desiredReplicas: 14, currentMetrics: [{type: Resource, "
              "resource: {name: cpu, current: {averageUtilization: 135}}}], conditions: "
              "[{type: ScalingLimited, status: \"True\", reason: TooManyReplicas, message: "
              "the desired replica count is more than the maximum replica count}]}"));
  auto r = with_rule(f, "hpa-at-max-replicas");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "HPA-AT-MAX-REPLICAS");
  EXPECT_TRUE(evidence_has(*r[0], "135% cpu"));
  EXPECT_TRUE(contains(r[0]->fix, "maxReplicas\":20"));
  // Below max, the condition alone is not a finding.
  auto below =
      run(hpa("{currentReplicas: 5, conditions: [{type: ScalingLimited, status: "
              "\"True\", reason: TooManyReplicas}]}"));
  EXPECT_TRUE(with_rule(below, "hpa-at-max-replicas").empty());
}

TEST(WorkloadsTest, HpaPinnedAtMinReplicas) {
  const std::string limited =
      ", conditions: [{type: ScalingLimited, status: \"True\", reason: TooFewReplicas, message: "
      "the desired replica count is less than the minimum replica count}]}";
  auto f = run(hpa("{currentReplicas: 2, desiredReplicas: 1" + limited));
  auto r = with_rule(f, "hpa-at-min-replicas");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kInfo);
  EXPECT_TRUE(contains(r[0]->summary, "pinned at minReplicas 2"));
  EXPECT_TRUE(contains(r[0]->summary, "metrics call for fewer replicas")) << r[0]->summary;
  EXPECT_TRUE(evidence_has(*r[0], "TooFewReplicas"));
  EXPECT_TRUE(contains(r[0]->fix, "minReplicas\":1"));
  // Above the floor, or a floor of one replica: nothing to say.
  EXPECT_EQ(
      count_rule(hpa("{currentReplicas: 4, desiredReplicas: 4" + limited), "hpa-at-min-replicas"),
      0u);
  std::string one = hpa("{currentReplicas: 1, desiredReplicas: 1" + limited);
  one.replace(one.find("minReplicas: 2"), 14, "minReplicas: 1");
  EXPECT_EQ(count_rule(one, "hpa-at-min-replicas"), 0u);
}

// --- PDB ---

std::string pdb(std::string_view status) {
  return "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db, namespace: "
         "shop, uid: b-1}\nspec: {minAvailable: 1, selector: {matchLabels: {app: db}}}\nstatus: " +
         std::string(status) + "\n";
}

TEST(WorkloadsTest, PdbBlockingEveryEviction) {
  auto f =
      run(pdb("{disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: "
              "1}"));
  auto r = with_rule(f, "pdb-blocks-eviction");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "PDB-BLOCKS-EVICTION");
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_TRUE(contains(r[0]->summary, "minAvailable 1")) << r[0]->summary;
  EXPECT_TRUE(evidence_has(*r[0], ".status.disruptionsAllowed"));
}

TEST(WorkloadsTest, PdbAllowingDisruptionsOrWithUnhealthyPodsIsNotThisRule) {
  EXPECT_EQ(count_rule(pdb("{disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, "
                           "expectedPods: 3}"),
                       "pdb-blocks-eviction"),
            0u);
  EXPECT_EQ(count_rule(pdb("{disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, "
                           "expectedPods: 1}"),
                       "pdb-blocks-eviction"),
            0u);
  EXPECT_EQ(count_rule(pdb("{disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, "
                           "expectedPods: 0}"),
                       "pdb-blocks-eviction"),
            0u);
}

// --- Unavailable replicas nothing explains ---

TEST(WorkloadsTest, UnavailableReplicaSetWithoutPodsInTheSnapshotIsReported) {
  auto f = run(
      "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: mds-b, namespace: shop, uid: r-1}\n"
      "spec: {replicas: 1}\nstatus: {replicas: 1, fullyLabeledReplicas: 1}\n---\n"
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: pg, namespace: shop, uid: s-1}\n"
      "spec: {replicas: 1}\nstatus: {replicas: 2, readyReplicas: 1}\n");
  auto r = with_rule(f, "workload-replicas-unavailable");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]->catalog, "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE");
  for (const Finding* x : r) {
    if (x->object.kind == "ReplicaSet") {
      EXPECT_EQ(x->severity, Severity::kCritical);
      EXPECT_TRUE(contains(x->summary, "0/1 ready")) << x->summary;
      EXPECT_TRUE(evidence_has(*x, "the snapshot has none of its pods"));
    } else {
      EXPECT_TRUE(contains(x->summary, "1/2 ready")) << x->summary;
      EXPECT_TRUE(evidence_has(*x, ".status.replicas"));
    }
  }
}

TEST(WorkloadsTest, UnavailabilityExplainedByPodFindingsOrAllReadyIsNotThisRule) {
  // The crashing pod explains the Deployment: correlate.cpp's workload-unhealthy covers it.
  auto f = run(deployment("{replicas: 1, availableReplicas: 0}", "{replicas: 1}") + crashing_pod());
  EXPECT_TRUE(with_rule(f, "workload-replicas-unavailable").empty());
  EXPECT_EQ(with_rule(f, "workload-unhealthy").size(), 1u);
  auto ok = run(deployment("{replicas: 3, availableReplicas: 3}",
                           "{replicas: 3, readyReplicas: 3, availableReplicas: 3}"));
  EXPECT_TRUE(with_rule(ok, "workload-replicas-unavailable").empty());
}

// --- StatefulSet stuck on an ordinal (correlate.cpp's workload symptom) ---

std::string statefulset(std::string_view policy) {
  std::string out =
      "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop, uid: "
      "s-db}\nspec: {replicas: 3" +
      std::string(policy) + "}\nstatus: {replicas: 2, readyReplicas: 1}\n";
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i);
    out += "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: db-" + n +
           "\n  namespace: shop\n  uid: p-db-" + n +
           "\n  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s-db, "
           "controller: true}]\nspec:\n  nodeName: n1\n  containers: [{name: db, image: pg, "
           "resources: {limits: {memory: 256Mi}}}]\nstatus:\n  phase: Running\n  conditions: "
           "[{type: Ready, status: \"" +
           (i == 0 ? "True" : "False") + "\"}]\n  containerStatuses:\n  - name: db\n    ready: " +
           (i == 0 ? "true\n    restartCount: 0\n    state: {running: {}}\n"
                   : "false\n    restartCount: 5\n    state: {waiting: {reason: "
                     "CrashLoopBackOff}}\n    lastState: {terminated: {reason: OOMKilled, "
                     "exitCode: 137, startedAt: \"2026-03-01T11:57:00Z\", finishedAt: "
                     "\"2026-03-01T11:58:00Z\"}}\n");
  }
  return out;
}

TEST(WorkloadsTest, StatefulSetStuckOnAnOrdinalNamesThePodThatHoldsItBack) {
  auto f = run(statefulset(""));
  auto w = with_rule(f, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(contains(w[0]->summary, "stuck on ordinal 1 (pod db-1)")) << w[0]->summary;
  // Short of ready replicas, as workload-replicas-unavailable says of a StatefulSet.
  EXPECT_EQ(w[0]->catalog, "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE");
  ASSERT_FALSE(w[0]->caused_by.empty());
  const Finding* cause = by_id(f, w[0]->caused_by[0]);
  ASSERT_NE(cause, nullptr);
  EXPECT_EQ(cause->object.name, "db-1");
  EXPECT_TRUE(with_rule(f, "workload-replicas-unavailable").empty());  // explained by the pod
}

TEST(WorkloadsTest, ParallelStatefulSetIsNotStuckOnAnOrdinal) {
  auto f = run(statefulset(", podManagementPolicy: Parallel"));
  auto w = with_rule(f, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_FALSE(contains(w[0]->summary, "stuck on ordinal")) << w[0]->summary;
}

TEST(WorkloadsTest, DaemonSetSymptomReadsPerNode) {
  std::string yaml =
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: shop, uid: "
      "ds-1}\nspec: {}\nstatus: {desiredNumberScheduled: 2, numberReady: 1}\n";
  std::string pod = statefulset("").substr(statefulset("").rfind("---\napiVersion: v1\nkind: Pod"));
  pod.replace(pod.find("kind: StatefulSet, name: db, uid: s-db"), 38,
              "kind: DaemonSet, name: agent, uid: ds-1");
  pod.replace(pod.find("nodeName: n1"), 12, "nodeName: n7");
  auto f = run(yaml + pod);
  auto w = with_rule(f, "workload-unhealthy");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]->object.key(), "DaemonSet/shop/agent");
  EXPECT_EQ(w[0]->catalog, "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE");
  EXPECT_TRUE(std::any_of(w[0]->evidence.begin(), w[0]->evidence.end(), [](const Evidence& e) {
    return e.object == "daemonset/agent" && e.path == ".status.numberReady" &&
           e.value == "1 (desiredNumberScheduled 2)";
  }));
  EXPECT_TRUE(evidence_has(*w[0], "node n7: pod db-1: ")) << w[0]->summary;
  // A DaemonSet with every pod Ready has no symptom and no unavailability finding.
  auto ok =
      run("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: shop, "
          "uid: ds-1}\nspec: {}\nstatus: {desiredNumberScheduled: 2, numberReady: 2}\n");
  EXPECT_TRUE(with_rule(ok, "workload-unhealthy").empty());
  EXPECT_TRUE(with_rule(ok, "workload-replicas-unavailable").empty());
}

TEST(WorkloadsTest, HpaMetricsUnavailableIsCausedByAFailingMetricsServer) {
  std::string ms = statefulset("").substr(statefulset("").rfind("---\napiVersion: v1\nkind: Pod"));
  const std::string from = "name: db-1\n  namespace: shop";
  ms.replace(ms.find(from), from.size(),
             "name: metrics-server-1\n  namespace: kube-system\n  labels: {k8s-app: "
             "metrics-server}");
  auto f = run(ms + hpa("{conditions: [{type: ScalingActive, status: \"False\", reason: "
                        "FailedGetResourceMetric, message: 'the HPA was unable to compute the "
                        "replica count: unable to get metrics for resource cpu: unable to fetch "
                        "metrics from resource metrics API: the server is currently unable to "
                        "handle the request (get pods.metrics.k8s.io)'}]}"));
  auto r = with_rule(f, "hpa-metrics-unavailable");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]->caused_by.size(), 1u);
  const Finding* cause = by_id(f, r[0]->caused_by[0]);
  ASSERT_NE(cause, nullptr);
  EXPECT_EQ(cause->object.key(), "Pod/kube-system/metrics-server-1");
}

TEST(WorkloadsTest, PodSelectedByTwoDisruptionBudgetsCannotBeEvicted) {
  auto pdb = [](std::string_view name, std::string_view labels) {
    return "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: " +
           std::string(name) +
           ", namespace: shop}\nspec: {minAvailable: 1, selector: "
           "{matchLabels: " +
           std::string(labels) + "}}\n";
  };
  const std::string pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: shop, uid: p1, "
      "labels: {app: web, tier: front}}\nspec: {nodeName: n1, containers: [{name: c, image: x}]}\n"
      "status: {phase: Running, conditions: [{type: Ready, status: \"True\"}]}\n";
  auto both =
      diagnose(*cluster_from_yaml(pod + pdb("web", "{app: web}") + pdb("front", "{tier: front}")));
  auto r = with_rule(both, "pdb-blocks-eviction");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/web-1");
  EXPECT_NE(r[0]->summary.find("2 PodDisruptionBudgets (web, front)"), std::string::npos)
      << r[0]->summary;
  // One budget, or a second one that selects other pods: nothing.
  auto one = diagnose(*cluster_from_yaml(pod + pdb("web", "{app: web}") + pdb("db", "{app: db}")));
  EXPECT_TRUE(with_rule(one, "pdb-blocks-eviction").empty());
}

TEST(WorkloadsTest, TemplateServiceAccountMissingFromTheNamespaceExplainsUnavailableReplicas) {
  auto snapshot = [](std::string_view accounts) {
    return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop, "
           "uid: "
           "d1}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    "
           "metadata: {labels: {app: api}}\n    spec: {serviceAccountName: api-sa, containers: "
           "[{name: c, image: x}]}\nstatus: {replicas: 0, availableReplicas: 0}\n" +
           std::string(accounts);
  };
  const std::string default_sa =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\n";
  const std::string api_sa =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api-sa, namespace: shop}\n";
  auto missing = diagnose(*cluster_from_yaml(snapshot(default_sa)));
  auto r = with_rule(missing, "rs-failedcreate-admission-denied");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("ServiceAccount api-sa, which does not exist"), std::string::npos);
  EXPECT_NE(r[0]->fix.find("create serviceaccount api-sa"), std::string::npos);
  EXPECT_TRUE(with_rule(missing, "workload-replicas-unavailable").empty());
  // The account exists, or the snapshot has no ServiceAccounts to judge by: not this cause.
  for (const std::string& accounts : {default_sa + api_sa, std::string()}) {
    auto other = diagnose(*cluster_from_yaml(snapshot(accounts)));
    EXPECT_TRUE(with_rule(other, "rs-failedcreate-admission-denied").empty());
    EXPECT_EQ(with_rule(other, "workload-replicas-unavailable").size(), 1u);
  }
}

TEST(WorkloadsTest, MissingTemplateServiceAccountWarnsBeforeAnyPodFails) {
  const std::string default_sa =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\n";
  // A DaemonSet whose pods all run: the next pod (a new node) is refused.
  const std::string ds =
      "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: shop}\n"
      "spec:\n  template:\n    spec: {serviceAccountName: agent-sa, containers: [{name: c, "
      "image: x}]}\nstatus: {desiredNumberScheduled: 2, numberReady: 2}\n";
  auto f = diagnose(*cluster_from_yaml(ds + default_sa));
  auto r = with_rule(f, "rs-failedcreate-admission-denied");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_TRUE(contains(r[0]->summary, "the next pod it creates is refused")) << r[0]->summary;
  // A CronJob's job template: critical while it runs on schedule, a warning while suspended.
  auto cron = [](std::string_view suspend) {
    return "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report, namespace: "
           "shop}\nspec:\n  schedule: '0 * * * *'\n  suspend: " +
           std::string(suspend) +
           "\n  jobTemplate:\n    spec:\n      template:\n        spec: {serviceAccountName: "
           "report-sa, containers: [{name: c, image: x}]}\n";
  };
  auto running_findings = diagnose(*cluster_from_yaml(cron("false") + default_sa));
  auto c = with_rule(running_findings, "rs-failedcreate-admission-denied");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]->severity, Severity::kCritical);
  auto suspended_findings = diagnose(*cluster_from_yaml(cron("true") + default_sa));
  auto sus = with_rule(suspended_findings, "rs-failedcreate-admission-denied");
  ASSERT_EQ(sus.size(), 1u);
  EXPECT_EQ(sus[0]->severity, Severity::kWarning);
  // The account exists: nothing.
  const std::string agent_sa =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: agent-sa, namespace: shop}\n";
  auto fine = diagnose(*cluster_from_yaml(ds + default_sa + agent_sa));
  EXPECT_TRUE(with_rule(fine, "rs-failedcreate-admission-denied").empty());
}

}  // namespace
}  // namespace ktriage
