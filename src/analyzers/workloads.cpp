// Workload controllers' own failures (fault catalog section 11): Deployment rollouts past their
// progress deadline, ReplicaSets/Jobs/StatefulSets/DaemonSets that cannot create pods, failed
// Jobs, CronJobs that miss schedules, HPAs without metrics or pinned at max, PDBs that block
// drains, and unavailable replicas that no pod finding explains. Pod faults stay with the pod
// analyzers: a controller failure that pod findings explain is caused_by them, so the pod cause
// stays the root. Runs after the pod analyzers (run_after) to see their findings, and before the
// events analyzer, which then counts the events these findings cite as explained. correlate.cpp
// adds the generic "workload has failing pods" symptom only where no finding here already is one.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "core/ascii.h"
#include "model/pod.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr std::string_view kDeployDoc =
    "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment";
constexpr std::string_view kQuotaDoc =
    "https://kubernetes.io/docs/concepts/policy/resource-quotas/";
constexpr std::string_view kAdmissionDoc =
    "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/";
constexpr std::string_view kJobDoc =
    "https://kubernetes.io/docs/concepts/workloads/controllers/job/";
constexpr std::string_view kCronDoc =
    "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/";
constexpr std::string_view kHpaDoc =
    "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/";
constexpr std::string_view kPdbDoc =
    "https://kubernetes.io/docs/tasks/run-application/configure-pdb/";

constexpr Rule kProgressDeadline{
    "deploy-progress-deadline-exceeded",
    "DEPLOY-PROGRESS-DEADLINE-EXCEEDED",
    Severity::kWarning,
    "Deployment rollout exceeded its progress deadline",
    "Fix what keeps the new ReplicaSet's pods from becoming available, or roll back with kubectl "
    "rollout undo.",
    kDeployDoc};
constexpr Rule kQuotaExceeded{
    "rs-failedcreate-quota-exceeded",
    "RS-FAILEDCREATE-QUOTA-EXCEEDED",
    Severity::kCritical,
    "Controller cannot create pods: the namespace ResourceQuota would be exceeded",
    "Raise the ResourceQuota's hard limits, lower the pods' requests/limits, or remove unused "
    "workloads.",
    kQuotaDoc};
constexpr Rule kQuotaMustSpecify{
    "rs-failedcreate-quota-must-specify",
    "RS-FAILEDCREATE-QUOTA-MUST-SPECIFY",
    Severity::kCritical,
    "Controller cannot create pods: a ResourceQuota requires requests/limits the template lacks",
    "Set requests and limits on every container (init and sidecars too), or add a LimitRange "
    "with defaults.",
    kQuotaDoc};
constexpr Rule kAdmissionDenied{
    "rs-failedcreate-admission-denied",
    "RS-FAILEDCREATE-ADMISSION-DENIED",
    Severity::kCritical,
    "Controller cannot create pods: an admission step (PodSecurity, webhook, ServiceAccount, "
    "LimitRange) denies the pod template",
    "Change the pod template to comply, create the missing ServiceAccount, or adjust the policy.",
    kAdmissionDoc};
constexpr Rule kBackoffLimit{"job-backoff-limit-exceeded",
                             "JOB-BACKOFF-LIMIT-EXCEEDED",
                             Severity::kCritical,
                             "Job failed: its pods failed more often than backoffLimit",
                             "Fix the failing pods (logs, exit codes); raise backoffLimit only for "
                             "transient failures.",
                             kJobDoc};
constexpr Rule kJobDeadline{
    "job-deadline-exceeded",
    "JOB-DEADLINE-EXCEEDED",
    Severity::kCritical,
    "Job failed: it ran longer than activeDeadlineSeconds",
    "Raise activeDeadlineSeconds, make the work faster, or fix what kept its pods Pending.",
    kJobDoc};
constexpr Rule kCronMissed{
    "cronjob-missed-schedules",
    "CRONJOB-MISSED-SCHEDULES",
    Severity::kWarning,
    "CronJob stopped starting Jobs: too many missed start times",
    "Set spec.startingDeadlineSeconds, clean up stuck Jobs, and check the controller's clock.",
    kCronDoc};
constexpr Rule kCronSuspended{"cronjob-suspended",
                              "CRONJOB-MISSED-SCHEDULES",
                              Severity::kInfo,
                              "CronJob is suspended: it starts no Jobs",
                              "Unsuspend it (spec.suspend: false) if the schedule should run.",
                              kCronDoc};
constexpr Rule kHpaMetrics{
    "hpa-metrics-unavailable",
    "HPA-METRICS-UNAVAILABLE",
    Severity::kWarning,
    "HorizontalPodAutoscaler cannot get its metrics, so it does not scale",
    "Restore the metrics pipeline (metrics-server, APIService v1beta1.metrics.k8s.io, kubelet "
    "port 10250) or fix the HPA's metric target.",
    kHpaDoc};
constexpr Rule kHpaRequest{
    "hpa-missing-resource-request",
    "HPA-MISSING-RESOURCE-REQUEST",
    Severity::kWarning,
    "HorizontalPodAutoscaler cannot compute utilisation: a container has no resource request",
    "Set the resource request on every container of the target pods (sidecars too), or use "
    "AverageValue targets.",
    kHpaDoc};
constexpr Rule kHpaMax{"hpa-at-max-replicas",
                       "HPA-AT-MAX-REPLICAS",
                       Severity::kWarning,
                       "HorizontalPodAutoscaler wants more replicas than maxReplicas allows",
                       "Raise maxReplicas (and make sure the cluster has the capacity).",
                       kHpaDoc};
constexpr Rule kPdb{"pdb-blocks-eviction",
                    "PDB-BLOCKS-EVICTION",
                    Severity::kWarning,
                    "PodDisruptionBudget allows 0 disruptions while its pods are healthy: drains "
                    "will hang",
                    "Scale the workload above minAvailable, or relax minAvailable/maxUnavailable.",
                    kPdbDoc};
constexpr Rule kUnavailable{
    "workload-replicas-unavailable",
    "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE",
    Severity::kWarning,
    "Workload has fewer ready replicas than it wants, and no pod finding explains why",
    "Look at the workload's pods (kubectl get pods -l <selector>, kubectl describe pod) to see why "
    "they are not Ready.",
    kDeployDoc};
constexpr Rule kCronForbid{
    "cronjob-run-skipped-still-active",
    "CRONJOB-MISSED-SCHEDULES",
    Severity::kWarning,
    "CronJob skips runs: the previous Job is still active and concurrencyPolicy is Forbid",
    "Make the Job finish within the schedule interval (activeDeadlineSeconds on the job "
    "template), delete a stuck Job, or use concurrencyPolicy Replace.",
    "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#concurrency-policy"};
constexpr Rule kHpaMin{
    "hpa-at-min-replicas",
    "",
    Severity::kInfo,
    "HorizontalPodAutoscaler wants fewer replicas than minReplicas allows: the floor, not the "
    "load, sets the size",
    "Lower minReplicas if the extra replicas are not needed for availability.",
    "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"};
constexpr Rule kRules[] = {kProgressDeadline, kQuotaExceeded, kQuotaMustSpecify, kAdmissionDenied,
                           kBackoffLimit,     kJobDeadline,   kCronMissed,       kCronSuspended,
                           kCronForbid,       kHpaMetrics,    kHpaRequest,       kHpaMax,
                           kHpaMin,           kPdb,           kUnavailable};

/// The condition of `type` in .status.conditions, or nullptr.
const Value* condition(const Object& obj, std::string_view type) {
  const Value& c = obj.condition(type);
  return c.is_null() ? nullptr : &c;
}

Evidence condition_evidence(const Object& obj, std::string_view type) {
  const Value* c = condition(obj, type);
  const auto i = static_cast<std::size_t>(c - obj.status()["conditions"].items().data());
  std::string value =
      fmt::format("{} ({}): {}", (*c)["status"].str(), (*c)["reason"].str(), (*c)["message"].str());
  return field_evidence(obj, fmt::format(".status.conditions[{}]", i), value);
}

/// Pod key -> ids of the findings about that pod (warning and worse), from the run analyzers.
using PodFindings = std::unordered_map<std::string, std::vector<std::string>>;

PodFindings pod_findings(std::span<const Finding> findings) {
  PodFindings out;
  for (const Finding& f : findings) {
    if (f.object.kind != "Pod" || f.severity < Severity::kWarning) continue;
    out[f.object.key()].push_back(f.id);
  }
  return out;
}

/// Adds the ids of the findings on `owner`'s pods to `f.caused_by`; returns how many pods had one.
std::size_t link_pod_causes(const Cluster& cluster, const Object& owner, const PodFindings& pods,
                            Finding& f) {
  std::size_t n = 0;
  for (const Object* child : cluster.children(owner)) {
    if (child->kind != "Pod") continue;
    auto it = pods.find(child->ref().key());
    if (it == pods.end()) continue;
    ++n;
    for (const std::string& id : it->second) {
      f.add_cause(id);
    }
  }
  return n;
}

// --- Pod creation failures --------------------------------------------------------------------

// The message the workload controllers of kube-controller-manager write when the API server
// refuses a pod: event reason FailedCreate, "Error creating: <apiserver error>"
// (pkg/controller/controller_utils.go, RealPodControl; all versions), and the ReplicaSet/
// Deployment condition ReplicaFailure=True reason FailedCreate with the same error
// (pkg/controller/replicaset/replica_set_utils.go, since v1.7). The error text comes from the
// kube-apiserver admission plugin that refused, matched below.
struct CreateFailure {
  const Rule* rule = nullptr;
  std::string cause;  // sub-cause for the summary
};

CreateFailure classify_create_failure(std::string_view message) {
  const std::string lower = ascii_lower(message);
  // ResourceQuota admission (k8s.io/apiserver/pkg/admission/plugin/resourcequota, v1.9+):
  // "exceeded quota: %s, requested: %s, used: %s, limited: %s"; before v1.9 "Exceeded quota".
  if (has(lower, "exceeded quota")) return {&kQuotaExceeded, "ResourceQuota exceeded"};
  // Same plugin: "failed quota: %s: must specify %s" (older: "must specify limits.cpu,...").
  if (has(message, "must specify limits") || has(message, "must specify requests"))
    return {&kQuotaMustSpecify, "ResourceQuota requires requests/limits"};
  // PodSecurity admission (kube-apiserver v1.23+): `violates PodSecurity "restricted:latest": ...`.
  if (has(message, "violates PodSecurity")) return {&kAdmissionDenied, "PodSecurity admission"};
  // Webhook admission (apiserver v1.9+): `admission webhook "%s" denied the request: %s`.
  if (has(message, "admission webhook") && has(message, "denied the request"))
    return {&kAdmissionDenied, "admission webhook"};
  // The webhook could not be called at all (kube-apiserver webhook dispatcher, v1.9+):
  // `Internal error occurred: failed calling webhook "%s": ...` with failurePolicy Fail.
  if (has(message, "failed calling webhook"))
    return {&kAdmissionDenied, "admission webhook unreachable"};
  // ServiceAccount admission: `error looking up service account ns/sa: serviceaccount "sa" not
  // found` (plugin/pkg/admission/serviceaccount).
  if (has(message, "serviceaccount") && has(message, "not found"))
    return {&kAdmissionDenied, "ServiceAccount missing"};
  // LimitRanger admission (plugin/pkg/admission/limitranger): "maximum cpu usage per Container
  // is %s, but limit is %s" (also memory, Pod, minimum).
  if (has(message, "usage per Container") || has(message, "usage per Pod"))
    return {&kAdmissionDenied, "LimitRange"};
  return {};
}

void add_quota_evidence(const Cluster& cluster, const Object& obj, std::string_view message,
                        Finding& f) {
  // "exceeded quota: compute, requested: ..." -> "compute"
  const std::string lower = ascii_lower(message);
  std::size_t at = lower.find("exceeded quota: ");
  std::string name;
  if (at != std::string::npos) {
    at += 16;
    std::size_t end = message.find_first_of(", ", at);
    name = std::string(message.substr(at, end == message.npos ? message.npos : end - at));
  } else if ((at = message.find("failed quota: ")) != message.npos) {
    at += 14;
    std::size_t end = message.find(':', at);
    name = std::string(message.substr(at, end == message.npos ? message.npos : end - at));
  }
  const Object* quota = name.empty() ? nullptr : cluster.find("ResourceQuota", obj.ns, name);
  if (quota == nullptr) return;
  std::string usage;
  for (const Member& m : quota->status()["hard"].members()) {
    usage += fmt::format("{}{}: used {} of {}", usage.empty() ? "" : ", ", m.key,
                         quota->status()["used"][m.key].str(), m.value.str());
  }
  if (!usage.empty()) f.evidence.push_back(field_evidence(*quota, ".status", usage));
}

// Whether the controller still misses pods (an old FailedCreate event on a workload that since
// created them all is history).
bool missing_pods(const Object& w) {
  const Value& st = w.status();
  if (w.kind == "ReplicaSet" || w.kind == "StatefulSet" || w.kind == "ReplicationController")
    return st["replicas"].as_int(0) < w.spec()["replicas"].as_int(1);
  if (w.kind == "DaemonSet")
    return st["currentNumberScheduled"].as_int(0) < st["desiredNumberScheduled"].as_int(0) ||
           st["numberUnavailable"].as_int(0) > 0;
  if (w.kind == "Job") {
    const Value* done = condition(w, "Complete");
    return done == nullptr || (*done)["status"].str() != "True";
  }
  return true;
}

/// Reports `w` when it cannot create pods; returns the finding's id ("" when none).
std::string check_failed_create(const AnalysisContext& ctx, const Object& w, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const Value* failure = condition(w, "ReplicaFailure");
  const bool failing_now = failure != nullptr && (*failure)["status"].str() == "True" &&
                           (*failure)["reason"].str() == "FailedCreate";
  if (!failing_now && !missing_pods(w)) return "";
  std::string_view message;
  const Event* event = nullptr;
  for (const Event& e : cluster.events_for(w)) {
    if (e.reason != "FailedCreate" || classify_create_failure(e.message).rule == nullptr) continue;
    if (event == nullptr || e.last_seen.value_or(0) >= event->last_seen.value_or(0)) event = &e;
  }
  if (failing_now && classify_create_failure((*failure)["message"].str()).rule != nullptr)
    message = (*failure)["message"].str();
  else if (event != nullptr)
    message = event->message;
  if (message.empty()) return "";
  const CreateFailure cf = classify_create_failure(message);
  // The API server's reason, without the controller's "Error creating: pods "x" is forbidden: ".
  std::string_view reason = message;
  if (std::size_t at = reason.find("is forbidden: "); at != reason.npos)
    reason.remove_prefix(at + 14);
  else if (reason.starts_with("Error creating: "))
    reason.remove_prefix(16);
  Finding& f = sink.add(
      *cf.rule, w,
      fmt::format("{} {} cannot create pods ({}): {}", w.kind, w.name, cf.cause, shorten(reason)));
  // The pod template to change belongs to the top of the owner chain (the Deployment of a
  // ReplicaSet, the CronJob of a Job).
  const std::string owner = kubectl_name(cluster.top_owner(w));
  if (failing_now) f.evidence.push_back(condition_evidence(w, "ReplicaFailure"));
  if (event != nullptr) f.evidence.push_back(event_evidence(cluster, *event));
  if (cf.rule == &kQuotaExceeded || cf.rule == &kQuotaMustSpecify)
    add_quota_evidence(cluster, w, message, f);
  if (cf.rule == &kQuotaExceeded) {
    f.fix = fmt::format(
        "{}describe resourcequota — raise the quota's hard limits or lower the requests of {}'s "
        "pod template (or free quota by scaling down unused workloads).",
        kubectl_ns(w), owner);
  } else if (cf.rule == &kQuotaMustSpecify) {
    f.fix = fmt::format(
        "Set resources.requests and resources.limits on every container of {}'s pod template "
        "(init containers and sidecars too), or create a LimitRange with defaults in namespace {}.",
        owner, w.ns);
  } else if (cf.cause == "ServiceAccount missing") {
    std::string sa(quoted_after(message, "serviceaccount"));
    f.fix = fmt::format(
        "{}create serviceaccount {} — or point {}'s serviceAccountName at an "
        "existing one.",
        kubectl_ns(w), sa.empty() ? "<name>" : sa, owner);
  } else if (cf.cause == "PodSecurity admission") {
    f.fix = fmt::format(
        "Make {}'s pod template meet the namespace's Pod Security level (the message lists each "
        "violation: securityContext runAsNonRoot, allowPrivilegeEscalation: false, capabilities "
        "drop ALL, seccompProfile), or relabel namespace {} (pod-security.kubernetes.io/enforce).",
        owner, w.ns);
  } else if (cf.cause == "admission webhook unreachable") {
    std::string hook(quoted_after(message, "failed calling webhook"));
    f.fix = fmt::format(
        "Nothing to change in {}: the API server cannot reach webhook {} and its failurePolicy "
        "is Fail. Restore the webhook's Service and pods, or delete its configuration if the "
        "software was removed: kubectl get validatingwebhookconfigurations,"
        "mutatingwebhookconfigurations.",
        owner, hook.empty() ? "(see message)" : hook);
  } else if (cf.cause == "admission webhook") {
    std::string hook(quoted_after(message, "admission webhook"));
    f.fix = fmt::format(
        "Change {}'s pod template to satisfy webhook {} (its reason is in the message), or fix "
        "the policy behind it: kubectl get validatingwebhookconfigurations,"
        "mutatingwebhookconfigurations.",
        owner, hook.empty() ? "(see message)" : hook);
  } else {
    f.fix = fmt::format(
        "Lower the container limits of {}'s pod template to within the LimitRange, or change the "
        "LimitRange: {}get limitrange -o yaml.",
        owner, kubectl_ns(w));
  }
  return f.id;
}

// --- Deployments ------------------------------------------------------------------------------

std::string_view revision(const Object& rs) {
  return rs.annotations()["deployment.kubernetes.io/revision"].str();
}

void check_deployment(const AnalysisContext& ctx, const Object& d, const PodFindings& pods,
                      const std::unordered_map<std::string, std::string>& create_failures,
                      FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  // kube-controller-manager deployment controller (pkg/controller/deployment/util/
  // deployment_util.go, v1.6+): Progressing=False, reason ProgressDeadlineExceeded, message
  // `ReplicaSet "<name>" has timed out progressing.`
  const Value* p = condition(d, "Progressing");
  if (p == nullptr || (*p)["status"].str() != "False" ||
      (*p)["reason"].str() != "ProgressDeadlineExceeded")
    return;
  std::vector<const Object*> sets;
  for (const Object* c : cluster.children(d)) {
    if (c->kind == "ReplicaSet") sets.push_back(c);
  }
  const std::string named(quoted_after((*p)["message"].str(), "ReplicaSet"));
  const Object* newest = nullptr;
  for (const Object* rs : sets) {
    if (rs->name == named) newest = rs;
  }
  if (newest == nullptr) {
    for (const Object* rs : sets) {
      if (newest == nullptr || revision(*rs).size() > revision(*newest).size() ||
          (revision(*rs).size() == revision(*newest).size() && revision(*rs) > revision(*newest)))
        newest = rs;
    }
  }
  const std::int64_t want = d.spec()["replicas"].as_int(1);
  const std::int64_t available = d.status()["availableReplicas"].as_int(0);
  std::string sets_text;
  if (newest != nullptr) {
    sets_text = fmt::format("; new ReplicaSet {} {}/{} ready", newest->name,
                            newest->status()["readyReplicas"].as_int(0),
                            newest->spec()["replicas"].as_int(0));
  } else if (!named.empty()) {
    sets_text = fmt::format("; new ReplicaSet {}", named);
  }
  for (const Object* rs : sets) {
    if (rs == newest || rs->spec()["replicas"].as_int(0) == 0) continue;
    sets_text +=
        fmt::format(", old {} {}/{} ready", rs->name, rs->status()["readyReplicas"].as_int(0),
                    rs->spec()["replicas"].as_int(0));
  }
  Finding& f = sink.add(kProgressDeadline, d,
                        fmt::format("Deployment {}/{} rollout stuck past its progress deadline "
                                    "({}s): {}/{} available{}",
                                    d.ns, d.name, d.spec()["progressDeadlineSeconds"].as_int(600),
                                    available, want, sets_text));
  if (available == 0) f.severity = Severity::kCritical;
  f.evidence.push_back(condition_evidence(d, "Progressing"));
  f.evidence.push_back(field_evidence(d, ".status.availableReplicas", std::to_string(available)));
  for (const Object* rs : sets) {
    if (rs != newest && rs->spec()["replicas"].as_int(0) == 0) continue;
    f.evidence.push_back(field_evidence(
        *rs, ".status.readyReplicas",
        fmt::format("{} of {} (revision {}{})", rs->status()["readyReplicas"].as_int(0),
                    rs->spec()["replicas"].as_int(0), revision(*rs),
                    rs == newest ? ", new" : ", old")));
  }
  if (const Event* e = latest_event(cluster, d, "ProgressDeadlineExceeded"))
    f.evidence.push_back(event_evidence(cluster, *e));
  std::size_t failing = 0;
  if (newest != nullptr) {
    failing = link_pod_causes(cluster, *newest, pods, f);
    if (auto it = create_failures.find(newest->ref().key()); it != create_failures.end())
      f.caused_by.push_back(it->second);
  }
  if (auto it = create_failures.find(d.ref().key()); it != create_failures.end())
    f.caused_by.push_back(it->second);
  // `rollout undo` needs an earlier revision: an older ReplicaSet in the snapshot, or the
  // Deployment's own revision past 1 (deployment controller's deployment.kubernetes.io/revision).
  // Without either it fails ("no rollout history found").
  // When the snapshot shows neither (no ReplicaSet of it, no revision), history decides.
  const bool earlier =
      std::any_of(sets.begin(), sets.end(), [&](const Object* rs) { return rs != newest; }) ||
      revision(d).size() > 1 || (revision(d).size() == 1 && revision(d) > "1");
  const bool unknown = sets.empty() && revision(d).empty();
  const std::string undo = earlier
                               ? fmt::format("{}rollout undo deployment/{}", kubectl_ns(d), d.name)
                           : unknown ? fmt::format(
                                           "{0}rollout undo deployment/{1} (if {0}rollout history "
                                           "deployment/{1} lists an earlier revision)",
                                           kubectl_ns(d), d.name)
                                     : "";
  if (!f.caused_by.empty()) {
    f.fix = fmt::format(
        "Fix the cause(s) listed under this finding{}; the rollout resumes by itself.{}",
        failing > 0 ? fmt::format(" ({} pod{} of the new ReplicaSet failing)", failing,
                                  failing == 1 ? "" : "s")
                    : "",
        undo.empty() ? std::string(" (This is its first revision: there is none to roll back to.)")
                     : " To restore the previous revision meanwhile: " + undo);
  } else {
    f.fix = fmt::format(
        "{}describe rs {} and its pods to see why they do not become available{}", kubectl_ns(d),
        newest != nullptr ? std::string(newest->name) : named,
        undo.empty() ? std::string(" (this is its first revision: there is none to roll back to)")
                     : "; to restore the previous revision: " + undo);
  }
}

// --- Jobs and CronJobs ------------------------------------------------------------------------

void check_job(const AnalysisContext& ctx, const Object& job, const PodFindings& pods,
               FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const Value* complete = condition(job, "Complete");
  if (complete != nullptr && (*complete)["status"].str() == "True") return;  // never report
  // kube-controller-manager job controller (pkg/controller/job/job_controller.go, v1.8+):
  // Failed=True with reason BackoffLimitExceeded "Job has reached the specified backoff limit"
  // or DeadlineExceeded "Job was active longer than specified deadline".
  const Value* failed = condition(job, "Failed");
  if (failed == nullptr || (*failed)["status"].str() != "True") return;
  const std::string_view reason = (*failed)["reason"].str();
  const Rule* rule = reason == "BackoffLimitExceeded" ? &kBackoffLimit
                     : reason == "DeadlineExceeded"   ? &kJobDeadline
                                                      : nullptr;
  if (rule == nullptr) return;
  const std::int64_t failed_pods = job.status()["failed"].as_int(0);
  std::string summary =
      rule == &kBackoffLimit
          ? fmt::format("Job {} failed: {} pod failure{} reached backoffLimit {}", job.name,
                        failed_pods, failed_pods == 1 ? "" : "s",
                        job.spec()["backoffLimit"].as_int(6))
          : fmt::format("Job {} failed: active longer than activeDeadlineSeconds {}", job.name,
                        job.spec()["activeDeadlineSeconds"].as_int(0));
  Finding& f = sink.add(*rule, job, std::move(summary));
  f.evidence.push_back(condition_evidence(job, "Failed"));
  f.evidence.push_back(field_evidence(job, ".status.failed", std::to_string(failed_pods)));
  if (rule == &kBackoffLimit) {
    f.evidence.push_back(field_evidence(job, ".spec.backoffLimit",
                                        std::to_string(job.spec()["backoffLimit"].as_int(6))));
  } else {
    f.evidence.push_back(
        field_evidence(job, ".spec.activeDeadlineSeconds",
                       std::to_string(job.spec()["activeDeadlineSeconds"].as_int(0))));
    if (!job.status()["startTime"].str().empty())
      f.evidence.push_back(
          field_evidence(job, ".status.startTime", std::string(job.status()["startTime"].str())));
  }
  if (const Event* e = latest_event(cluster, job, reason))
    f.evidence.push_back(event_evidence(cluster, *e));
  const std::size_t failing = link_pod_causes(cluster, job, pods, f);
  // How its failed pods ended (the crash analyzers leave a failed Job pod's exit to the Job).
  std::size_t shown = 0;
  for (const Object* pod : cluster.children(job)) {
    if (pod->kind != "Pod" || pod->status()["phase"].str() != "Failed" || shown >= 3) continue;
    std::size_t i = 0;
    for (const Value& cs : pod->status()["containerStatuses"].items()) {
      const Value& t = cs["state"]["terminated"];
      if (!t.is_null() && t["exitCode"].as_int(0) != 0) {
        f.evidence.push_back(field_evidence(
            *pod, fmt::format(".status.containerStatuses[{}].state.terminated", i),
            fmt::format(
                "{} exit code {}{}", t["reason"].str(), t["exitCode"].as_int(0),
                t["message"].str().empty() ? "" : ": " + shorten(t["message"].str(), 120))));
        ++shown;
        break;
      }
      ++i;
    }
  }
  if (rule == &kBackoffLimit) {
    f.fix = failing > 0 ? fmt::format(
                              "Fix the pod failure listed under this finding, then re-run the "
                              "Job ({}delete job {} and apply it again).",
                              kubectl_ns(job), job.name)
                        : fmt::format(
                              "{}logs job/{} (or kubectl logs POD for each failed pod) shows why "
                              "its pods failed; fix that, "
                              "then re-create the Job. Raise spec.backoffLimit only for transient "
                              "failures; use podFailurePolicy for non-retriable exit codes.",
                              kubectl_ns(job), job.name);
  } else {
    f.fix = fmt::format(
        "Raise spec.activeDeadlineSeconds of job/{} (or its CronJob's jobTemplate) if the work "
        "legitimately takes longer, or find what slowed it ({}describe job {}).",
        job.name, kubectl_ns(job), job.name);
  }
}

// kube-controller-manager CronJob controller v2 (pkg/controller/cronjob/cronjob_controllerv2.go,
// v1.21+): Normal event JobAlreadyActive "Not starting job because prior execution is running
// and concurrency policy is Forbid" each time a start is skipped.
void check_cronjob_forbid(const Cluster& cluster, const Object& cj, FindingSink& sink) {
  if (cj.spec()["concurrencyPolicy"].str() != "Forbid" || cj.status()["active"].size() == 0) return;
  const Event* skipped = latest_event(cluster, cj, "JobAlreadyActive");
  if (skipped == nullptr) return;
  std::vector<std::string> active;
  for (const Value& ref : cj.status()["active"].items()) active.emplace_back(ref["name"].str());
  Finding& f = sink.add(
      kCronForbid, cj,
      fmt::format("CronJob {} skips its runs (schedule \"{}\"): Job {} is still active and "
                  "concurrencyPolicy is Forbid",
                  cj.name, cj.spec()["schedule"].str(), fmt::join(active, ", ")));
  f.evidence.push_back(event_evidence(cluster, *skipped));
  f.evidence.push_back(field_evidence(cj, ".spec.concurrencyPolicy",
                                      cj.spec()["concurrencyPolicy"].str().empty()
                                          ? "(unset)"
                                          : cj.spec()["concurrencyPolicy"].str()));
  for (const std::string& name : active) {
    const Object* job = cluster.find("Job", cj.ns, name);
    const std::string_view started = job == nullptr ? "" : job->status()["startTime"].str();
    f.evidence.push_back(
        field_evidence(cj, ".status.active",
                       started.empty() ? name : fmt::format("{} (started {})", name, started)));
  }
  const Value& deadline = cj.spec()["jobTemplate"]["spec"]["activeDeadlineSeconds"];
  f.evidence.push_back(field_evidence(cj, ".spec.jobTemplate.spec.activeDeadlineSeconds",
                                      deadline.is_null()
                                          ? "(unset: a hung run blocks every later one)"
                                          : std::to_string(deadline.as_int(0))));
  f.fix = fmt::format(
      "Find why Job {0} does not finish ({1}logs job/{0}); if it hangs, delete it ({1}delete job "
      "{0}) and set spec.jobTemplate.spec.activeDeadlineSeconds below the schedule interval; if "
      "a new run should replace a slow one, set concurrencyPolicy: Replace.",
      active.front(), kubectl_ns(cj));
}

void check_cronjob(const AnalysisContext& ctx, const Object& cj, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  if (cj.spec()["suspend"].as_bool()) {
    Finding& f = sink.add(kCronSuspended, cj,
                          fmt::format("CronJob {} is suspended: schedule \"{}\" starts no Jobs",
                                      cj.name, cj.spec()["schedule"].str()));
    f.evidence.push_back(field_evidence(cj, ".spec.suspend", "true"));
    if (!cj.status()["lastScheduleTime"].str().empty())
      f.evidence.push_back(field_evidence(cj, ".status.lastScheduleTime",
                                          std::string(cj.status()["lastScheduleTime"].str())));
    f.fix =
        fmt::format("If it should run: {}patch cronjob {} -p '{{\"spec\":{{\"suspend\":false}}}}'",
                    kubectl_ns(cj), cj.name);
  }
  // kube-controller-manager CronJob controller: v1 (up to v1.20) event FailedNeedsStart "Cannot
  // determine if job needs to be started: too many missed start time (> 100). Set or decrease
  // .spec.startingDeadlineSeconds or check clock skew."; v2 (v1.21+) event TooManyMissedTimes
  // "too many missed start times: N. Set or decrease .spec.startingDeadlineSeconds or check
  // clock skew".
  check_cronjob_forbid(cluster, cj, sink);
  const Event* missed = nullptr;
  for (const Event& e : cluster.events_for(cj)) {
    if (!(e.reason == "FailedNeedsStart" || e.reason == "TooManyMissedTimes" ||
          has(e.message, "too many missed start time") ||
          has(e.message, "Too many missed start time") ||
          has(e.message, "Cannot determine if job needs to be started")))
      continue;
    if (missed == nullptr || e.last_seen.value_or(0) >= missed->last_seen.value_or(0)) missed = &e;
  }
  if (missed == nullptr) return;
  Finding& f = sink.add(kCronMissed, cj,
                        fmt::format("CronJob {} starts no Jobs: too many missed start times "
                                    "(schedule \"{}\")",
                                    cj.name, cj.spec()["schedule"].str()));
  f.evidence.push_back(event_evidence(cluster, *missed));
  f.evidence.push_back(
      field_evidence(cj, ".spec.startingDeadlineSeconds",
                     cj.spec().contains("startingDeadlineSeconds")
                         ? std::to_string(cj.spec()["startingDeadlineSeconds"].as_int(0))
                         : "(unset)"));
  if (!cj.status()["lastScheduleTime"].str().empty())
    f.evidence.push_back(field_evidence(cj, ".status.lastScheduleTime",
                                        std::string(cj.status()["lastScheduleTime"].str())));
  const std::size_t active = cj.status()["active"].size();
  if (active > 0) {
    f.evidence.push_back(
        field_evidence(cj, ".status.active",
                       fmt::format("{} Job(s) still active, concurrencyPolicy {}", active,
                                   cj.spec()["concurrencyPolicy"].str().empty()
                                       ? "Allow"
                                       : cj.spec()["concurrencyPolicy"].str())));
  }
  f.fix = fmt::format(
      "{}patch cronjob {} -p '{{\"spec\":{{\"startingDeadlineSeconds\":200}}}}' so only recent "
      "misses count; delete stuck active Jobs; check the kube-controller-manager's clock.",
      kubectl_ns(cj), cj.name);
}

// --- HPA and PDB ------------------------------------------------------------------------------

// ScalingLimited=True reason TooFewReplicas "the desired replica count is less than the minimum
// replica count" (kube-controller-manager podautoscaler/horizontal.go, v1.6+): the floor sets
// the size. Only reported above one replica, where the floor costs something.
void check_hpa_min(const Object& hpa, std::string_view target_name, FindingSink& sink) {
  const Value* limited = condition(hpa, "ScalingLimited");
  const std::int64_t min = hpa.spec()["minReplicas"].as_int(1);
  const std::int64_t current = hpa.status()["currentReplicas"].as_int(0);
  if (limited == nullptr || (*limited)["status"].str() != "True" ||
      (*limited)["reason"].str() != "TooFewReplicas" || min <= 1 || current > min)
    return;
  Finding& f =
      sink.add(kHpaMin, hpa,
               fmt::format("HPA {} is pinned at minReplicas {} for {}: its metrics call for fewer "
                           "replicas than that floor",
                           hpa.name, min, target_name));
  f.evidence.push_back(condition_evidence(hpa, "ScalingLimited"));
  f.evidence.push_back(field_evidence(hpa, ".status.currentReplicas",
                                      fmt::format("{} (minReplicas {})", current, min)));
  f.fix = fmt::format(
      "If {} replicas are not needed for availability, lower the floor: {}patch hpa {} -p "
      "'{{\"spec\":{{\"minReplicas\":{}}}}}'; otherwise this is by design.",
      min, kubectl_ns(hpa), hpa.name, std::max<std::int64_t>(1, min / 2));
}

void check_hpa(const AnalysisContext& ctx, const Object& hpa, const PodFindings& pods,
               FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const Value& target = hpa.spec()["scaleTargetRef"];
  const std::string target_name = fmt::format("{}/{}", target["kind"].str(), target["name"].str());
  // A target that does not exist (judged only when the snapshot holds objects of its kind): the
  // controller sets AbleToScale=False FailedGetScale ("... deployments/scale.apps \"x\" not
  // found") and never computes a replica count — the catalog's "wrong target reference".
  const std::string_view target_kind = target["kind"].str();
  if (!target_kind.empty() && !cluster.of_kind(target_kind).empty() &&
      cluster.find(target_kind, hpa.ns, target["name"].str()) == nullptr) {
    Finding& f = sink.add(kHpaMetrics, hpa,
                          fmt::format("HPA {} targets {}, which does not exist in namespace {}: "
                                      "it cannot read or change any replica count",
                                      hpa.name, target_name, hpa.ns),
                          "target");
    f.evidence.push_back(field_evidence(hpa, ".spec.scaleTargetRef", target_name));
    if (const Value* able = condition(hpa, "AbleToScale"); able != nullptr)
      f.evidence.push_back(
          field_evidence(hpa, ".status.conditions[AbleToScale]",
                         fmt::format("{} {}: {}", (*able)["status"].str(), (*able)["reason"].str(),
                                     shorten((*able)["message"].str(), 160))));
    f.fix = fmt::format(
        "Point spec.scaleTargetRef of HPA {} at the workload it should scale ({}edit hpa {}), "
        "or delete the HPA if that workload is gone.",
        hpa.name, kubectl_ns(hpa), hpa.name);
    return;
  }
  // kube-controller-manager horizontal-pod-autoscaler controller (pkg/controller/podautoscaler,
  // autoscaling/v2 conditions since v1.6): ScalingActive=False reason FailedGetResourceMetric
  // (also FailedGetPodsMetric, FailedGetExternalMetric, ...), message "the HPA was unable to
  // compute the replica count: failed to get cpu utilization: ..."; replica_calculator.go writes
  // "missing request for cpu" (v1.27+: "... in container X of Pod Y").
  const Value* active = condition(hpa, "ScalingActive");
  std::string_view message;
  if (active != nullptr && (*active)["status"].str() == "False" &&
      (*active)["reason"].str().starts_with("FailedGet"))
    message = (*active)["message"].str();
  const Event* event = nullptr;
  for (const Event& e : cluster.events_for(hpa)) {
    if (!e.is_warning() ||
        !(e.reason.starts_with("FailedGet") || e.reason == "FailedComputeMetricsReplicas"))
      continue;
    if (event == nullptr || e.last_seen.value_or(0) >= event->last_seen.value_or(0)) event = &e;
  }
  // An old event while the condition says metrics work again is history.
  const bool active_ok = active != nullptr && (*active)["status"].str() == "True";
  if (message.empty() && event != nullptr && !active_ok) message = event->message;
  if (!message.empty()) {
    const bool request = has(message, "missing request for");
    const Rule& rule = request ? kHpaRequest : kHpaMetrics;
    Finding& f = sink.add(
        rule, hpa,
        request ? fmt::format("HPA {} cannot scale {}: a container has no resource request ({})",
                              hpa.name, target_name, shorten(message, 120))
                : fmt::format("HPA {} cannot get metrics for {}: {}", hpa.name, target_name,
                              shorten(message, 120)));
    if (active != nullptr && !active_ok)
      f.evidence.push_back(condition_evidence(hpa, "ScalingActive"));
    if (event != nullptr) f.evidence.push_back(event_evidence(cluster, *event));
    if (request) {
      f.fix = fmt::format(
          "Set resources.requests for the metric's resource on every container of {} (sidecars "
          "included): {}set resources {} --requests=cpu=100m (per container with -c), or use "
          "an AverageValue target.",
          target_name, kubectl_ns(hpa), target_name);
    } else {
      f.fix =
          "Check the metrics pipeline: kubectl get apiservice v1beta1.metrics.k8s.io; kubectl "
          "-n kube-system get pods -l k8s-app=metrics-server; kubectl top pods -n " +
          std::string(hpa.ns) + " (kubelet port 10250 must be reachable).";
      // metrics-server's own pods (label k8s-app=metrics-server, as its manifests and ACK's
      // add-on set it) failing explain the missing metrics.
      for (const Object* pod :
           cluster.pods_with_label("kube-system", "k8s-app", "metrics-server")) {
        if (pod->ns != "kube-system" || pod->label("k8s-app") != "metrics-server") continue;
        auto it = pods.find(pod->ref().key());
        if (it == pods.end()) continue;
        for (const std::string& id : it->second) {
          f.add_cause(id);
        }
      }
      if (!f.caused_by.empty())
        f.fix =
            "Fix metrics-server's pods (the cause listed under this finding); the HPA scales "
            "again once the metrics API answers.";
    }
  }
  // ScalingLimited=True reason TooManyReplicas "the desired replica count is more than the
  // maximum replica count" (same controller, v1.6+).
  check_hpa_min(hpa, target_name, sink);
  const Value* limited = condition(hpa, "ScalingLimited");
  const std::int64_t max = hpa.spec()["maxReplicas"].as_int(0);
  const std::int64_t current = hpa.status()["currentReplicas"].as_int(0);
  if (limited != nullptr && (*limited)["status"].str() == "True" &&
      (*limited)["reason"].str() == "TooManyReplicas" && max > 0 && current >= max) {
    Finding& f = sink.add(
        kHpaMax, hpa,
        fmt::format("HPA {} is pinned at maxReplicas {} for {}: load needs more "
                    "(desired {})",
                    hpa.name, max, target_name, hpa.status()["desiredReplicas"].as_int(current)));
    f.evidence.push_back(condition_evidence(hpa, "ScalingLimited"));
    f.evidence.push_back(field_evidence(hpa, ".status.currentReplicas",
                                        fmt::format("{} (maxReplicas {})", current, max)));
    std::size_t i = 0;
    for (const Value& m : hpa.status()["currentMetrics"].items()) {
      const Value& res = m["resource"];
      if (!res.is_null() && res["current"].contains("averageUtilization")) {
        f.evidence.push_back(field_evidence(
            hpa, fmt::format(".status.currentMetrics[{}].resource.current.averageUtilization", i),
            fmt::format("{}% {}", res["current"]["averageUtilization"].as_int(0),
                        res["name"].str())));
      }
      ++i;
    }
    f.fix = fmt::format(
        "{}patch hpa {} -p '{{\"spec\":{{\"maxReplicas\":{}}}}}' (check node capacity first), "
        "or make {} cheaper per request.",
        kubectl_ns(hpa), hpa.name, max * 2, target_name);
  }
}

void check_pdb(const Object& pdb, FindingSink& sink) {
  // policy/v1 status written by kube-controller-manager's disruption controller
  // (pkg/controller/disruption, v1.5+). Eviction refusals read "Cannot evict pod as it would
  // violate the pod's disruption budget." (pkg/registry/core/pod/storage/eviction.go).
  const Value& st = pdb.status();
  if (!st.contains("disruptionsAllowed")) return;
  const std::int64_t allowed = st["disruptionsAllowed"].as_int(0);
  const std::int64_t expected = st["expectedPods"].as_int(0);
  const std::int64_t healthy = st["currentHealthy"].as_int(0);
  const std::int64_t desired = st["desiredHealthy"].as_int(0);
  // Unhealthy pods are their own findings; this rule is about a budget that is 0 by design.
  if (allowed != 0 || expected <= 0 || healthy < expected) return;
  const std::string rule_text =
      pdb.spec().contains("minAvailable")
          ? fmt::format("minAvailable {}",
                        pdb.spec()["minAvailable"].is_string()
                            ? std::string(pdb.spec()["minAvailable"].str())
                            : std::to_string(pdb.spec()["minAvailable"].as_int(0)))
          : fmt::format("maxUnavailable {}",
                        pdb.spec()["maxUnavailable"].is_string()
                            ? std::string(pdb.spec()["maxUnavailable"].str())
                            : std::to_string(pdb.spec()["maxUnavailable"].as_int(0)));
  Finding& f = sink.add(kPdb, pdb,
                        fmt::format("PodDisruptionBudget {} allows 0 disruptions with all {} pods "
                                    "healthy ({}): kubectl drain and node pool upgrades will hang",
                                    pdb.name, expected, rule_text));
  f.evidence.push_back(field_evidence(pdb, ".status.disruptionsAllowed", "0"));
  f.evidence.push_back(
      field_evidence(pdb, ".status",
                     fmt::format("currentHealthy {}, desiredHealthy {}, expectedPods {}", healthy,
                                 desired, expected)));
  f.fix = fmt::format(
      "Scale the workload so that more pods than {} run, or relax the budget ({}edit pdb {}); "
      "a budget that never allows a disruption blocks every drain.",
      rule_text, kubectl_ns(pdb), pdb.name);
}

// A pod selected by more than one PodDisruptionBudget cannot be evicted at all: the eviction
// subresource answers "This pod has more than one PodDisruptionBudget, which the eviction
// subresource does not support." (pkg/registry/core/pod/storage/eviction.go, v1.5+), so every
// drain of its node hangs. One finding per pod, naming the budgets.
void check_pdb_overlap(const Cluster& cluster, FindingSink& sink) {
  std::map<std::string_view, std::vector<const Object*>> by_ns;
  for (const Object* pdb : cluster.of_kind("PodDisruptionBudget")) by_ns[pdb->ns].push_back(pdb);
  for (const auto& [ns, pdbs] : by_ns) {
    if (pdbs.size() < 2) continue;
    for (const Object* pod : cluster.pods_in(ns)) {
      if (PodView(*pod).terminated()) continue;
      std::vector<std::string_view> names;
      for (const Object* pdb : pdbs) {
        const Value& selector = pdb->spec()["selector"];
        // policy/v1: an empty selector selects every pod of the namespace; a missing one none.
        if (!selector.is_object()) continue;
        if (label_selector_matches(selector, pod->labels())) names.push_back(pdb->name);
      }
      if (names.size() < 2) continue;
      Finding& f = sink.add(kPdb, *pod,
                            fmt::format("Pod {} is selected by {} PodDisruptionBudgets ({}): the "
                                        "eviction API refuses to evict it, so draining its node "
                                        "hangs",
                                        pod->name, names.size(), fmt::join(names, ", ")),
                            "overlap");
      f.evidence.push_back(Evidence::note(
          fmt::format("PodDisruptionBudgets in {} whose selector matches the pod's labels: {}", ns,
                      fmt::join(names, ", "))));
      f.fix = fmt::format(
          "Keep one PodDisruptionBudget per pod: narrow the selectors of {} so they do not "
          "overlap, or delete the extra one ({}delete pdb NAME).",
          fmt::join(names, ", "), kubectl_ns(*pod));
    }
  }
}

// --- Unavailable replicas that nothing else explains -------------------------------------------

// Whether any pod of `w` (directly, or through its ReplicaSets) has a finding: then correlate.cpp
// already reports the workload as a symptom of it.
bool pods_explained(const Cluster& cluster, const Object& w, const PodFindings& pods) {
  for (const Object* c : cluster.children(w)) {
    if (c->kind == "Pod" && pods.count(c->ref().key()) > 0) return true;
    if (c->kind == "ReplicaSet" && pods_explained(cluster, *c, pods)) return true;
  }
  return false;
}

// Ready versus wanted, as the controllers write them in .status: Deployment availableReplicas,
// ReplicaSet/StatefulSet readyReplicas (against the larger of spec and status replicas: a
// StatefulSet with status.replicas 2 has a pod that is not Ready), DaemonSet numberReady against
// desiredNumberScheduled.
struct Readiness {
  std::int64_t ready = 0, want = 0;
  std::string_view ready_path, want_path;
};

Readiness readiness_of(const Object& w) {
  const Value& st = w.status();
  if (w.kind == "Deployment")
    return {st["availableReplicas"].as_int(0), w.spec()["replicas"].as_int(1),
            ".status.availableReplicas", ".spec.replicas"};
  if (w.kind == "DaemonSet")
    return {st["numberReady"].as_int(0), st["desiredNumberScheduled"].as_int(0),
            ".status.numberReady", ".status.desiredNumberScheduled"};
  const std::int64_t spec = w.spec()["replicas"].as_int(1);
  const std::int64_t status = st["replicas"].as_int(0);
  // A ReplicaSet's pods count once available (Ready for minReadySeconds), as its Deployment
  // counts them.
  const std::int64_t ready =
      w.kind == "ReplicaSet" ? st["availableReplicas"].as_int(0) : st["readyReplicas"].as_int(0);
  return {ready, std::max(spec, status),
          w.kind == "ReplicaSet" ? ".status.availableReplicas" : ".status.readyReplicas",
          status > spec ? ".status.replicas" : ".spec.replicas"};
}

// The ServiceAccount a pod template names when the namespace does not have it (judged only when
// the snapshot holds some of the namespace's ServiceAccounts), else "".
std::string_view missing_service_account(const Cluster& cluster, const Object& w,
                                         const Value& pod_spec) {
  const std::string_view sa = !pod_spec["serviceAccountName"].str().empty()
                                  ? pod_spec["serviceAccountName"].str()
                                  : pod_spec["serviceAccount"].str();
  if (sa.empty() || cluster.find("ServiceAccount", w.ns, sa) != nullptr) return {};
  for (const Object* a : cluster.of_kind("ServiceAccount")) {
    if (a->ns == w.ns) return sa;
  }
  return {};
}

// A workload whose pods all run, or a CronJob, whose template names a missing ServiceAccount:
// nothing fails yet, but the next pod it creates (scale-up, rollout, a replaced node, the next
// scheduled Job) is refused. Unavailable workloads get the critical finding in check_unavailable.
void check_template_service_account(const Cluster& cluster, const Object& w,
                                    std::span<const Finding> findings, FindingSink& sink) {
  const bool cron = w.kind == "CronJob";
  const Value& pod_spec =
      cron ? w.spec()["jobTemplate"]["spec"]["template"]["spec"] : w.spec()["template"]["spec"];
  const std::string_view sa = missing_service_account(cluster, w, pod_spec);
  if (sa.empty()) return;
  const std::string key = w.ref().key();
  for (const Finding& f : findings) {
    if (f.object.key() == key && f.rule == kAdmissionDenied.id) return;
  }
  if (!cron) {
    const Readiness r = readiness_of(w);
    if (w.status().is_null() || (r.want > 0 && r.ready < r.want)) return;  // check_unavailable's
  }
  const bool suspended = cron && w.spec()["suspend"].as_bool();
  Finding& f =
      sink.add(kAdmissionDenied, w,
               fmt::format("{} {}'s pod template uses ServiceAccount {}, which does not exist in "
                           "namespace {}: {}",
                           w.kind, w.name, sa, w.ns,
                           cron ? (suspended ? "its Jobs cannot create pods once it is resumed"
                                             : "its next Job cannot create pods")
                                : "the next pod it creates is refused"),
               "serviceaccount");
  if (!(cron && !suspended)) f.severity = Severity::kWarning;
  f.evidence.push_back(
      field_evidence(w,
                     cron ? ".spec.jobTemplate.spec.template.spec.serviceAccountName"
                          : ".spec.template.spec.serviceAccountName",
                     sa));
  f.fix = fmt::format(
      "{}create serviceaccount {} — or point {}'s serviceAccountName at an existing one.",
      kubectl_ns(w), sa, kubectl_name(w));
}

void check_unavailable(const AnalysisContext& ctx, const Object& w, const PodFindings& pods,
                       const std::unordered_map<std::string, std::string>& explained,
                       FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  if (w.status().is_null()) return;  // a manifest, not a live object
  const Readiness r = readiness_of(w);
  if (r.want <= 0 || r.ready >= r.want) return;
  if (explained.count(w.ref().key()) > 0 || pods_explained(cluster, w, pods)) return;
  for (const Object* c : cluster.children(w)) {
    if (explained.count(c->ref().key()) > 0) return;  // its ReplicaSet cannot create pods
  }
  // A ReplicaSet of a Deployment in the snapshot is the Deployment's business.
  if (const Object* owner = cluster.controller(w); owner != nullptr && owner->kind == "Deployment")
    return;
  // The pod template names a ServiceAccount the namespace does not have: the ServiceAccount
  // admission plugin refuses every pod, even when the FailedCreate events have expired.
  const std::string_view sa = missing_service_account(cluster, w, w.spec()["template"]["spec"]);
  if (!sa.empty()) {
    Finding& f = sink.add(kAdmissionDenied, w,
                          fmt::format("{} {} has {}/{} replicas: its pod template uses "
                                      "ServiceAccount {}, which does not exist in namespace {}",
                                      w.kind, w.name, r.ready, r.want, sa, w.ns),
                          "serviceaccount");
    f.evidence.push_back(field_evidence(w, ".spec.template.spec.serviceAccountName", sa));
    f.evidence.push_back(field_evidence(w, std::string(r.ready_path), std::to_string(r.ready)));
    f.fix = fmt::format(
        "{}create serviceaccount {} — or point {}'s serviceAccountName at an existing one.",
        kubectl_ns(w), sa, kubectl_name(w));
    return;
  }
  Finding& f = sink.add(
      kUnavailable, w,
      fmt::format("{} {} has {}/{} {} replicas; no pod finding explains it", w.kind, w.name,
                  r.ready, r.want, w.kind == "Deployment" ? "available" : "ready"));
  if (r.ready == 0) f.severity = Severity::kCritical;
  f.evidence.push_back(field_evidence(w, std::string(r.ready_path), std::to_string(r.ready)));
  f.evidence.push_back(field_evidence(w, std::string(r.want_path), std::to_string(r.want)));
  std::size_t in_snapshot = 0;
  for (const Object* c : cluster.children(w)) in_snapshot += c->kind == "Pod" ? 1 : 0;
  if (in_snapshot == 0 && w.kind != "Deployment")
    f.evidence.push_back(Evidence::note("the snapshot has none of its pods"));
  f.fix = fmt::format(
      "{}describe {} and its pods: the reason they are not Ready (probe failures, Pending, "
      "crashes) is there; the pods were not in the snapshot or showed no known fault.",
      kubectl_ns(w), kubectl_name(w));
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const PodFindings pods = pod_findings(findings);
  // Creation failures first, so the Deployment's deadline can name them as its cause.
  std::unordered_map<std::string, std::string> create_failures;  // workload key -> finding id
  for (std::string_view kind :
       {"ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"}) {
    for (const Object* w : cluster.of_kind(kind)) {
      std::string id = check_failed_create(ctx, *w, sink);
      if (!id.empty()) create_failures.emplace(w->ref().key(), std::move(id));
    }
  }
  // A Deployment copies its ReplicaSet's ReplicaFailure condition; report it on the Deployment
  // only when the snapshot lacks that ReplicaSet's own finding.
  for (const Object* d : cluster.of_kind("Deployment")) {
    bool covered = false;
    for (const Object* c : cluster.children(*d))
      covered = covered || create_failures.count(c->ref().key()) > 0;
    const Value* failure = condition(*d, "ReplicaFailure");
    if (!covered && failure != nullptr && (*failure)["status"].str() == "True") {
      std::string id = check_failed_create(ctx, *d, sink);
      if (!id.empty()) create_failures.emplace(d->ref().key(), std::move(id));
    }
  }
  for (const Object* d : cluster.of_kind("Deployment"))
    check_deployment(ctx, *d, pods, create_failures, sink);
  // Deployments whose rollout deadline finding already says it all.
  std::unordered_map<std::string, std::string> explained = create_failures;
  for (const Object* d : cluster.of_kind("Deployment")) {
    const Value* p = condition(*d, "Progressing");
    if (p != nullptr && (*p)["reason"].str() == "ProgressDeadlineExceeded")
      explained.emplace(d->ref().key(), "");
  }
  for (std::string_view kind : {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}) {
    for (const Object* w : cluster.of_kind(kind)) check_unavailable(ctx, *w, pods, explained, sink);
  }
  for (std::string_view kind : {"Deployment", "StatefulSet", "DaemonSet", "CronJob"}) {
    for (const Object* w : cluster.of_kind(kind))
      check_template_service_account(cluster, *w, findings, sink);
  }
  for (const Object* job : cluster.of_kind("Job")) check_job(ctx, *job, pods, sink);
  for (const Object* cj : cluster.of_kind("CronJob")) check_cronjob(ctx, *cj, sink);
  for (const Object* hpa : cluster.of_kind("HorizontalPodAutoscaler"))
    check_hpa(ctx, *hpa, pods, sink);
  for (const Object* pdb : cluster.of_kind("PodDisruptionBudget")) check_pdb(*pdb, sink);
  check_pdb_overlap(cluster, sink);
}

}  // namespace

const AnalyzerDef& workloads_analyzer() {
  static const AnalyzerDef kDef{"workloads", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
