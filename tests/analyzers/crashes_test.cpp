// Crashing containers: the most specific cause per container (OOM, liveness kill, start errors,
// exit codes, log signatures, application error), when a restart is current, and the real cases.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_catalog;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-03-01T12:00:00Z");
constexpr std::string_view kLog = "logs/shop/web-1/web.previous.log";

// One pod "web-1" (container "web") of Deployment "web" in namespace shop, in CrashLoopBackOff by
// default. `container` lines go under the container spec (4 spaces of indent).
struct PodBuilder {
  std::string container;
  std::string state = "{waiting: {reason: CrashLoopBackOff}}";
  std::string last = "{}";
  int restarts = 4;
  bool ready = false;
  std::string phase = "Running";
  std::string policy = "Always";
  std::string owner = "Deployment";  // or "Job", or "" for a bare pod
  std::string extra;                 // more YAML documents (events)
  std::string job_status = "{}";     // status of the Job when owner is "Job"

  std::string yaml() const {
    std::string out;
    std::string owner_ref;
    if (owner == "Deployment") {
      out +=
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, uid: "
          "d-web}\n"
          "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-5d4f\n  namespace: "
          "shop\n  uid: rs-web\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: "
          "web, uid: d-web, controller: true}]\n---\n";
      owner_ref =
          "  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: "
          "rs-web, controller: true}]\n";
    } else if (owner == "StatefulSet (not in the snapshot)") {
      owner_ref =
          "  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: web, uid: s-web, "
          "controller: true}]\n";
    } else if (owner == "Job") {
      out +=
          "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop, uid: "
          "j-1}\nstatus: " +
          job_status + "\n---\n";
      owner_ref =
          "  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: migrate, uid: j-1, "
          "controller: true}]\n";
    }
    out +=
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: shop\n  uid: p-web-1\n" +
        owner_ref + "spec:\n  nodeName: n1\n  restartPolicy: " + policy +
        "\n  containers:\n  - name: web\n    image: shop/web:1.4\n" + container +
        "status:\n  phase: " + phase + "\n  conditions: [{type: Ready, status: \"" +
        (ready ? "True" : "False") +
        "\"}]\n  containerStatuses:\n  - name: web\n    ready: " + (ready ? "true" : "false") +
        "\n    restartCount: " + std::to_string(restarts) + "\n    state: " + state +
        "\n    lastState: " + last + "\n";
    return out + extra;
  }
};

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string terminated(std::string_view reason, int code,
                       std::string_view finished = "2026-03-01T11:58:00Z",
                       std::string_view message = "") {
  return "{terminated: {reason: " + std::string(reason) + ", exitCode: " + std::to_string(code) +
         ", startedAt: \"2026-03-01T11:57:00Z\", finishedAt: \"" + std::string(finished) + "\"" +
         (message.empty() ? "" : ", message: " + quoted(message)) + "}}";
}

std::string event(std::string_view name, std::string_view reason, std::string_view message,
                  int count = 1, std::string_view field = "spec.containers{web}") {
  return "---\napiVersion: v1\nkind: Event\nmetadata: {name: " + std::string(name) +
         ", namespace: shop}\ninvolvedObject: {kind: Pod, name: web-1, namespace: shop, uid: "
         "p-web-1, "
         "fieldPath: \"" +
         std::string(field) + "\"}\nreason: " + std::string(reason) +
         "\ntype: Warning\nsource: {component: kubelet, host: n1}\ncount: " +
         std::to_string(count) +
         "\nlastTimestamp: \"2026-03-01T11:59:00Z\"\nmessage: " + quoted(message) + "\n";
}

const std::string kBackOff =
    event("e-backoff", "BackOff",
          "Back-off restarting failed container web in pod web-1_shop(p-web-1)", 17);

std::vector<Finding> run(const PodBuilder& p, std::string_view log = {}) {
  std::vector<std::pair<std::string, std::string>> files = {{"pods.yaml", p.yaml()}};
  if (!log.empty()) files.emplace_back(std::string(kLog), std::string(log));
  return diagnose(*cluster_from(files, kNow));
}

// Findings of the crashes analyzer (its rule ids start with "crash-", plus the liveness rule).
std::vector<const Finding*> crash_findings(const std::vector<Finding>& all) {
  std::vector<const Finding*> out;
  for (const Finding& f : all) {
    if (f.rule.starts_with("crash-") || f.rule == "probe-liveness-failed") out.push_back(&f);
  }
  return out;
}

const Evidence* field_ev(const Finding& f, std::string_view path_end) {
  for (const Evidence& e : f.evidence) {
    if (e.kind == Evidence::Kind::kField && e.path.ends_with(path_end)) return &e;
  }
  return nullptr;
}

const Evidence* event_ev(const Finding& f, std::string_view reason) {
  for (const Evidence& e : f.evidence) {
    if (e.kind == Evidence::Kind::kEvent && e.reason == reason) return &e;
  }
  return nullptr;
}

const Evidence* log_ev(const Finding& f, std::uint32_t line) {
  for (const Evidence& e : f.evidence) {
    if (e.kind == Evidence::Kind::kLog && e.line == line) return &e;
  }
  return nullptr;
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// --- OOMKilled ---

TEST(CrashesTest, OomKilledNamesTheLimitAndRaisesItOnTheDeployment) {
  PodBuilder p;
  p.container = "    resources: {limits: {memory: 256Mi}, requests: {memory: 128Mi}}\n";
  p.last = terminated("OOMKilled", 137);
  p.extra = kBackOff;
  auto f = run(p);
  auto r = with_rule(f, "crash-oomkilled");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-OOMKILLED");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/web-1");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(has(r[0]->summary, "memory limit of 256Mi (request 128Mi)")) << r[0]->summary;
  ASSERT_NE(field_ev(*r[0], ".resources.limits.memory"), nullptr);
  EXPECT_EQ(field_ev(*r[0], ".resources.limits.memory")->value, "256Mi");
  EXPECT_EQ(field_ev(*r[0], ".lastState.terminated.reason")->value, "OOMKilled");
  EXPECT_EQ(field_ev(*r[0], ".lastState.terminated.exitCode")->value, "137");
  EXPECT_EQ(field_ev(*r[0], ".lastState.terminated.finishedAt")->value, "2026-03-01T11:58:00Z");
  EXPECT_EQ(field_ev(*r[0], ".state.waiting.reason")->value, "CrashLoopBackOff");
  EXPECT_EQ(field_ev(*r[0], ".restartCount")->value, "4");
  ASSERT_NE(event_ev(*r[0], "BackOff"), nullptr);
  EXPECT_EQ(event_ev(*r[0], "BackOff")->count, 17);
  EXPECT_TRUE(has(r[0]->fix, "from 256Mi to 512Mi in deployment/web")) << r[0]->fix;
  EXPECT_TRUE(
      has(r[0]->fix, "kubectl -n shop set resources deployment/web -c web --limits=memory=512Mi"))
      << r[0]->fix;
  EXPECT_EQ(crash_findings(f).size(), 1u);  // the most specific cause only
  EXPECT_FALSE(has(r[0]->fix, "--requests")) << "the request is below the limit: left alone";
}

// Request equal to the limit (Guaranteed QoS): the command raises both, as the text says.
TEST(CrashesTest, OomKilledWithRequestEqualToLimitRaisesBothInTheCommand) {
  PodBuilder p;
  p.container = "    resources: {limits: {memory: 256Mi}, requests: {memory: 256Mi}}\n";
  p.last = terminated("OOMKilled", 137);
  p.extra = kBackOff;
  auto f = run(p);
  auto r = with_rule(f, "crash-oomkilled");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(r[0]->fix,
                  "kubectl -n shop set resources deployment/web -c web --limits=memory=512Mi "
                  "--requests=memory=512Mi)"))
      << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "the request equals the limit, so the command raises it to 512Mi"))
      << r[0]->fix;
}

TEST(CrashesTest, OomKilledWithoutLimitBlamesNodeMemory) {
  PodBuilder p;
  p.last = terminated("OOMKilled", 137);
  auto f = run(p);
  auto r = with_rule(f, "crash-oomkilled");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(r[0]->summary, "without a memory limit")) << r[0]->summary;
  EXPECT_EQ(field_ev(*r[0], ".resources.limits.memory")->value, "(not set)");
  EXPECT_TRUE(has(r[0]->fix, "set resources.requests.memory")) << r[0]->fix;
}

TEST(CrashesTest, OldRestartOfAHealthyContainerIsNotAFault) {
  PodBuilder p;
  p.container = "    resources: {limits: {memory: 256Mi}}\n";
  p.state = "{running: {startedAt: \"2026-02-26T10:00:01Z\"}}";
  p.last = terminated("OOMKilled", 137, "2026-02-26T10:00:00Z");  // three days before
  p.restarts = 1;
  p.ready = true;
  auto f = run(p);
  EXPECT_TRUE(with_rule(f, "crash-oomkilled").empty());
  EXPECT_TRUE(crash_findings(f).empty());
}

TEST(CrashesTest, RecentRestartOfARunningContainerIsReported) {
  PodBuilder p;
  p.state = "{running: {startedAt: \"2026-03-01T11:58:01Z\"}}";
  p.last = terminated("OOMKilled", 137);
  p.restarts = 1;
  p.ready = true;
  auto f = run(p);
  EXPECT_EQ(with_rule(f, "crash-oomkilled").size(), 1u);
}

TEST(CrashesTest, RestartAfterNodeRebootIsNotAFault) {
  PodBuilder p;
  p.state = "{running: {startedAt: \"2026-03-01T11:58:30Z\"}}";
  p.last = terminated("Unknown", 255);
  p.restarts = 1;
  p.ready = true;
  EXPECT_TRUE(crash_findings(run(p)).empty());
}

// --- Liveness kills ---

// The fix of a container killed by its liveness probe answered 404, with `container` (YAML).
std::string liveness_404_fix(const std::string& container) {
  PodBuilder p;
  p.container = container;
  p.last = terminated("Error", 143);
  p.extra = kBackOff +
            event("e-unhealthy", "Unhealthy",
                  "Liveness probe failed: HTTP probe failed with statuscode: 404", 12) +
            event("e-kill", "Killing", "Container web failed liveness probe, will be restarted", 4);
  auto f = run(p);
  auto r = with_rule(f, "probe-liveness-failed");
  EXPECT_EQ(r.size(), 1u);
  return r.empty() ? "" : r[0]->fix;
}

// A 404 on the liveness path while the readiness probe asks the same port for another path
// (frontend 4.2.0 moved /healthz to /api/healthz): that path is where to look first. One names
// the port, the other gives its number.
TEST(CrashesTest, LivenessNotFoundPointsAtTheReadinessPathOnTheSamePort) {
  const std::string fix = liveness_404_fix(
      "    ports: [{containerPort: 3000, name: http}]\n"
      "    livenessProbe:\n      httpGet: {path: /healthz, port: http}\n"
      "    readinessProbe:\n      httpGet: {path: /api/ready, port: 3000}\n");
  EXPECT_TRUE(has(fix, "readinessProbe asks the same port for /api/ready")) << fix;
}

// A readiness probe on another port says nothing about the liveness port's paths.
TEST(CrashesTest, LivenessNotFoundIgnoresProbesOfOtherPorts) {
  const std::string fix = liveness_404_fix(
      "    ports: [{containerPort: 3000, name: http}, {containerPort: 9090, name: metrics}]\n"
      "    livenessProbe:\n      httpGet: {path: /healthz, port: http}\n"
      "    readinessProbe:\n      httpGet: {path: /metrics, port: metrics}\n");
  EXPECT_FALSE(fix.empty());
  EXPECT_FALSE(has(fix, "/metrics")) << fix;
}

TEST(CrashesTest, LivenessKillIsTheRootCauseWithTheProbeDefinition) {
  PodBuilder p;
  p.container =
      "    ports: [{containerPort: 8080}]\n    livenessProbe:\n      httpGet: {path: /healthz, "
      "port: 8080}\n"
      "      initialDelaySeconds: 5\n      failureThreshold: 3\n";
  p.last = terminated("Error", 137);
  p.extra = kBackOff +
            event("e-unhealthy", "Unhealthy",
                  "Liveness probe failed: HTTP probe failed with statuscode: 404", 12) +
            event("e-kill", "Killing", "Container web failed liveness probe, will be restarted", 4);
  auto f = run(p);
  auto r = with_rule(f, "probe-liveness-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-PROBE-LIVENESS-FAILED");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(has(r[0]->summary, "HTTP probe failed with statuscode: 404")) << r[0]->summary;
  const Evidence* probe = field_ev(*r[0], ".spec.containers[0].livenessProbe");
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(has(probe->value, ":8080/healthz")) << probe->value;
  EXPECT_TRUE(has(probe->value, "initialDelaySeconds 5,")) << probe->value;
  EXPECT_TRUE(has(probe->value, "periodSeconds 10 (default)")) << probe->value;
  ASSERT_NE(event_ev(*r[0], "Unhealthy"), nullptr);
  EXPECT_EQ(event_ev(*r[0], "Unhealthy")->count, 12);
  ASSERT_NE(event_ev(*r[0], "Killing"), nullptr);
  EXPECT_TRUE(has(r[0]->fix, "GET /healthz on port 8080 returns 404")) << r[0]->fix;
  // The path that fails is never offered as the remedy.
  EXPECT_TRUE(has(r[0]->fix, "often /health or /)")) << r[0]->fix;
  EXPECT_FALSE(has(r[0]->fix, "asks the same port")) << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "set livenessProbe.httpGet.path of container web to")) << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "deployment/web")) << r[0]->fix;
  EXPECT_EQ(crash_findings(f).size(), 1u);  // not also a SIGKILL crash
}

TEST(CrashesTest, LivenessRefusedAdvisesAStartupProbe) {
  PodBuilder p;
  p.container = "    livenessProbe: {tcpSocket: {port: 5432}, initialDelaySeconds: 1}\n";
  p.last = terminated("Completed", 0);  // the app handled SIGTERM
  p.extra = event("e-unhealthy", "Unhealthy",
                  "Liveness probe failed: dial tcp 10.1.2.3:5432: connect: connection refused", 9);
  auto f = run(p);
  auto r = with_rule(f, "probe-liveness-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(r[0]->fix, "Nothing listens on port 5432")) << r[0]->fix;
  EXPECT_TRUE(
      has(r[0]->fix, "add a startupProbe or raise livenessProbe.initialDelaySeconds (now 1)"))
      << r[0]->fix;
}

TEST(CrashesTest, AppErrorExitIsNotBlamedOnAnIncidentalLivenessFailure) {
  PodBuilder p;
  p.container = "    livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n";
  p.last = terminated("Error", 1);
  p.extra = event("e-unhealthy", "Unhealthy",
                  "Liveness probe failed: HTTP probe failed with statuscode: 500");
  auto f =
      run(p, "starting\npanic: runtime error: invalid memory address or nil pointer dereference\n");
  EXPECT_TRUE(with_rule(f, "probe-liveness-failed").empty());
  EXPECT_EQ(with_rule(f, "crash-log-go-panic").size(), 1u);
}

// --- Start errors ---

TEST(CrashesTest, ArgsWithoutCommandFromTheRuntimeMessage) {
  PodBuilder p;
  p.container = "    args: [\"--listen=:8080\", \"-v\"]\n";
  p.last = terminated(
      "StartError", 128, "2026-03-01T11:58:00Z",
      "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
      "runc create failed: unable to start container process: exec: \"--listen=:8080\": "
      "executable file not found in $PATH: unknown");
  auto f = run(p);
  auto r = with_rule(f, "crash-args-without-command");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-ARGS-WITHOUT-COMMAND");
  EXPECT_TRUE(has(r[0]->summary, "args[0] \"--listen=:8080\"")) << r[0]->summary;
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].args[0]")->value, "--listen=:8080");
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].command")->value, "(not set)");
  EXPECT_TRUE(
      has(field_ev(*r[0], ".lastState.terminated.message")->value, "executable file not found"));
  EXPECT_TRUE(has(r[0]->fix,
                  "Add command with the program in front of the args of container web in "
                  "deployment/web"))
      << r[0]->fix;
  EXPECT_EQ(crash_findings(f).size(), 1u);
}

TEST(CrashesTest, MissingCommandIsNotArgsWithoutCommand) {
  PodBuilder p;
  p.container = "    command: [\"/app/serve\"]\n    args: [\"--port=80\"]\n";
  p.last = terminated("StartError", 128, "2026-03-01T11:58:00Z",
                      "exec: \"/app/serve\": executable file not found in $PATH");
  auto f = run(p);
  EXPECT_TRUE(with_rule(f, "crash-args-without-command").empty());
  auto r = with_rule(f, "crash-command-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-COMMAND-NOT-FOUND");
  EXPECT_TRUE(has(r[0]->summary, "\"/app/serve\" is not found in image shop/web:1.4"))
      << r[0]->summary;
  EXPECT_TRUE(has(r[0]->fix, "set command/args of container web in deployment/web")) << r[0]->fix;
}

TEST(CrashesTest, ExitCode127IsCommandNotFound) {
  PodBuilder p;
  p.container = "    command: [\"sh\", \"-c\", \"serve --port 80\"]\n";
  p.last = terminated("Error", 127);
  auto f = run(p, "sh: serve: not found\n");
  auto r = with_rule(f, "crash-command-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].command")->value, "sh -c serve --port 80");
  ASSERT_NE(log_ev(*r[0], 1), nullptr);
  EXPECT_EQ(log_ev(*r[0], 1)->file, kLog);
}

TEST(CrashesTest, ExitCode126IsPermissionDeniedExec) {
  PodBuilder p;
  p.last = terminated("Error", 126);
  auto f = run(p);
  auto r = with_rule(f, "crash-permission-denied-exec");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-PERMISSION-DENIED-EXEC");
  EXPECT_TRUE(has(r[0]->fix, "chmod +x")) << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "defaultMode: 0755")) << r[0]->fix;
}

TEST(CrashesTest, ExecFormatErrorFromTheRuntimeNamesTheNodeArchitecture) {
  PodBuilder p;
  p.last = terminated("Error", 1, "2026-03-01T11:58:00Z", "exec /usr/bin/web: exec format error");
  p.extra =
      "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/arch: "
      "arm64}}\n";
  auto f = run(p);
  auto r = with_rule(f, "crash-exec-format-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-EXEC-FORMAT-ERROR");
  EXPECT_EQ(field_ev(*r[0], ".metadata.labels[kubernetes.io/arch]")->value, "arm64");
  EXPECT_TRUE(has(r[0]->fix, "docker buildx build --platform")) << r[0]->fix;
}

TEST(CrashesTest, ExecFormatErrorInTheLog) {
  PodBuilder p;
  p.last = terminated("Error", 1);
  auto f = run(p, "standard_init_linux.go:228: exec user process caused: exec format error\n");
  auto r = with_rule(f, "crash-exec-format-error");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_NE(log_ev(*r[0], 1), nullptr);
}

// --- Exit codes ---

TEST(CrashesTest, Exit137WithoutOomIsSigkill) {
  PodBuilder p;
  p.last = terminated("Error", 137);
  auto f = run(p);
  auto r = with_rule(f, "crash-sigkill-not-oom");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-SIGKILL-NOT-OOM");
  EXPECT_TRUE(has(r[0]->fix, "terminationGracePeriodSeconds (now 30s)")) << r[0]->fix;
}

TEST(CrashesTest, Exit139IsSegfault) {
  PodBuilder p;
  p.last = terminated("Error", 139);
  auto f = run(p, "loading model\nSegmentation fault (core dumped)\n");
  auto r = with_rule(f, "crash-segfault");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-SEGFAULT");
  ASSERT_NE(log_ev(*r[0], 2), nullptr);  // the log tail is evidence
  EXPECT_TRUE(has(r[0]->fix, "dmesg on node n1")) << r[0]->fix;
}

TEST(CrashesTest, Exit143IsSigterm) {
  PodBuilder p;
  p.last = terminated("Error", 143);
  auto f = run(p);
  auto r = with_rule(f, "crash-sigterm");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-SIGTERM");
  EXPECT_TRUE(has(r[0]->fix, "Killing events")) << r[0]->fix;
}

TEST(CrashesTest, ExitZeroUnderRestartPolicyAlways) {
  PodBuilder p;
  p.container = "    command: [\"echo\", \"done\"]\n";
  p.last = terminated("Completed", 0);
  auto f = run(p);
  auto r = with_rule(f, "crash-exits-zero");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-EXITS-ZERO");
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].command")->value, "echo done");
  EXPECT_TRUE(has(r[0]->fix, "move one-shot work to a Job")) << r[0]->fix;
}

TEST(CrashesTest, CompletedJobPodIsNotAFault) {
  PodBuilder p;
  p.owner = "Job";
  p.policy = "Never";
  p.phase = "Succeeded";
  p.state = terminated("Completed", 0);
  p.restarts = 0;
  EXPECT_TRUE(crash_findings(run(p)).empty());
  p.phase = "Failed";  // a failed Job pod is the Job's business
  p.state = terminated("Error", 1);
  EXPECT_TRUE(crash_findings(run(p, "Error: migration failed\n")).empty());
}

TEST(CrashesTest, FailedJobPodKilledByOomIsReportedUntilTheJobCompletes) {
  PodBuilder p;
  p.owner = "Job";
  p.policy = "Never";
  p.phase = "Failed";
  p.container = "    resources: {limits: {memory: 1Gi}}\n";
  p.state = terminated("OOMKilled", 137, "2026-03-01T11:50:00Z");
  p.restarts = 0;
  auto f = run(p);
  auto r = with_rule(f, "crash-oomkilled");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(field_ev(*r[0], ".state.terminated.reason")->value, "OOMKilled");
  EXPECT_TRUE(has(r[0]->fix, "from 1Gi to 2Gi in job/migrate")) << r[0]->fix;
  p.job_status = "{succeeded: 1, conditions: [{type: Complete, status: \"True\"}]}";
  EXPECT_TRUE(crash_findings(run(p)).empty());  // a later retry succeeded
}

TEST(CrashesTest, CrashLoopingJobPodIsReported) {
  PodBuilder p;
  p.owner = "Job";
  p.policy = "OnFailure";
  p.last = terminated("Error", 1);
  auto f = run(p, "Error: migration failed\n");
  EXPECT_EQ(with_rule(f, "crash-app-error").size(), 1u);
}

TEST(CrashesTest, DeletedPodIsNotReported) {
  PodBuilder p;
  p.last = terminated("Error", 137);
  std::string yaml = p.yaml();
  yaml.replace(yaml.find("  uid: p-web-1\n"), 15,
               "  uid: p-web-1\n  deletionTimestamp: \"2026-03-01T11:59:00Z\"\n");
  EXPECT_TRUE(crash_findings(diagnose(*cluster_from({{"pods.yaml", yaml}}, kNow))).empty());
}

// --- Log signatures ---

struct SignatureCase {
  std::string rule, catalog, log, detail, fix;
  std::uint32_t line;
};

TEST(CrashesTest, EachLogSignatureNamesItsDetailAndLine) {
  const std::vector<SignatureCase> cases = {
      {"crash-log-connection-refused", "APP-DEPENDENCY-CONNECTION-REFUSED",
       "starting api v2\nfailed to connect: dial tcp 10.96.12.7:5432: connect: connection "
       "refused\n",
       "it cannot connect to 10.96.12.7:5432", "Check the dependency at 10.96.12.7:5432", 2},
      {"crash-log-connection-refused", "APP-DEPENDENCY-CONNECTION-REFUSED",
       "psql: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: Connection "
       "refused\n",
       "it cannot connect to db:5432", "kubectl get endpoints", 1},
      {"crash-log-address-in-use", "APP-ADDRESS-IN-USE",
       "level=fatal msg=\"listen tcp :8080: bind: address already in use\"\n",
       "another process already listens on :8080", "move web to a free port", 1},
      {"crash-log-missing-env", "POD-CRASH-APP-ERROR",
       "boot\nError: environment variable DATABASE_URL is not set\n",
       "environment variable DATABASE_URL", "Set DATABASE_URL on container web in deployment/web",
       2},
      {"crash-log-missing-env", "POD-CRASH-APP-ERROR",
       "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'SECRET_KEY'\n",
       "environment variable SECRET_KEY", "Set SECRET_KEY", 3},
      {"crash-log-missing-env", "POD-CRASH-APP-ERROR", "fatal: REDIS_URL must be set\n",
       "environment variable REDIS_URL", "Set REDIS_URL", 1},
      {"crash-log-java-out-of-memory", "APP-JAVA-OUT-OF-MEMORY",
       "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n",
       "java.lang.OutOfMemoryError (Java heap space)", "-XX:MaxRAMPercentage=75", 1},
      {"crash-log-python-module-not-found", "APP-PYTHON-MODULE-NOT-FOUND",
       "Traceback (most recent call last):\nModuleNotFoundError: No module named 'flask'\n",
       "Python cannot import flask", "import flask", 2},
      {"crash-log-go-panic", "APP-GO-PANIC",
       "panic: runtime error: invalid memory address or nil pointer dereference\ngoroutine 1 "
       "[running]:\n",
       "panicked: runtime error: invalid memory address", "first frame", 1},
      {"crash-log-nginx-host-not-found", "APP-NGINX-HOST-NOT-FOUND",
       "2026/03/01 11:58:00 [emerg] 1#1: host not found in upstream \"api:8080\" in "
       "/etc/nginx/conf.d/default.conf:12\n",
       "api:8080 in its configuration does not resolve", "create the Service for api:8080", 1},
      {"crash-log-host-not-found", "POD-CRASH-CONFIG-HOST-NOT-FOUND",
       "error: dial tcp: lookup orders-db on 10.96.0.10:53: no such host\n",
       "the host name orders-db", "a Service named orders-db", 1},
      {"crash-log-permission-denied", "POD-CRASH-FILESYSTEM-PERMISSION",
       "mkdir /var/lib/web/cache: permission denied\n", "may not access /var/lib/web/cache",
       "securityContext.fsGroup", 1},
      {"crash-log-no-such-file", "POD-CRASH-APP-ERROR",
       "config: open /etc/web/config.yaml: no such file or directory\n",
       "/etc/web/config.yaml does not exist", "check volumeMounts", 1},
      {"crash-exec-format-error", "POD-CRASH-EXEC-FORMAT-ERROR",
       "exec /usr/bin/web: exec format error\n", "cannot run /usr/bin/web",
       "nodeSelector kubernetes.io/arch", 1},
  };
  for (const SignatureCase& c : cases) {
    SCOPED_TRACE(c.log);
    PodBuilder p;
    p.last = terminated("Error", 1);
    auto f = run(p, c.log);
    auto r = with_rule(f, c.rule);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0]->catalog, c.catalog);
    EXPECT_TRUE(has(r[0]->summary, "exits (exit code 1)")) << r[0]->summary;
    EXPECT_TRUE(has(r[0]->summary, c.detail)) << r[0]->summary;
    EXPECT_TRUE(has(r[0]->fix, c.fix)) << r[0]->fix;
    const Evidence* line = log_ev(*r[0], c.line);
    ASSERT_NE(line, nullptr);
    EXPECT_EQ(line->file, kLog);
    EXPECT_EQ(field_ev(*r[0], ".lastState.terminated.exitCode")->value, "1");
    EXPECT_EQ(crash_findings(f).size(), 1u);
  }
}

TEST(CrashesTest, SpecificSignatureBeatsTheGenericOneAfterIt) {
  PodBuilder p;
  p.last = terminated("Error", 2);
  auto f = run(p,
               "retrying: dial tcp 10.0.0.9:6379: connect: connection refused\n"
               "panic: cannot reach cache\n\ngoroutine 1 [running]:\nmain.main()\n");
  EXPECT_EQ(with_rule(f, "crash-log-connection-refused").size(), 1u);
  EXPECT_TRUE(with_rule(f, "crash-log-go-panic").empty());
}

TEST(CrashesTest, LogLineNumbersFollowTheTailOffset) {
  PodBuilder p;
  p.last = terminated("Error", 1);
  std::string log;
  for (int i = 1; i <= 300; ++i) log += "request " + std::to_string(i) + " ok\n";
  log += "FATAL: environment variable API_TOKEN is not set\n";
  auto f = run(p, log);
  auto r = with_rule(f, "crash-log-missing-env");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_NE(log_ev(*r[0], 301), nullptr);
}

TEST(CrashesTest, CurrentLogIsUsedWithoutAPreviousOne) {
  PodBuilder p;
  p.last = terminated("Error", 1);
  auto c = cluster_from(
      {{"pods.yaml", p.yaml()},
       {"logs/shop/web-1/web.log", "Error: listen EADDRINUSE: address already in use :::3000\n"}},
      kNow);
  auto f = diagnose(*c);
  auto r = with_rule(f, "crash-log-address-in-use");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(log_ev(*r[0], 1)->file, "logs/shop/web-1/web.log");
  EXPECT_TRUE(has(r[0]->summary, ":::3000")) << r[0]->summary;
}

TEST(CrashesTest, UnknownLogFallsBackToAppErrorWithTheLastLines) {
  PodBuilder p;
  p.last = terminated("Error", 3);
  p.extra = kBackOff;
  auto f = run(p, "one\ntwo\nthree\nfour\nwidget factory gave up\n");
  auto r = with_rule(f, "crash-app-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-CRASH-APP-ERROR");
  EXPECT_TRUE(has(r[0]->summary, "exits with code 3")) << r[0]->summary;
  EXPECT_EQ(log_ev(*r[0], 2), nullptr);
  ASSERT_NE(log_ev(*r[0], 3), nullptr);
  ASSERT_NE(log_ev(*r[0], 5), nullptr);
  EXPECT_EQ(log_ev(*r[0], 5)->value, "widget factory gave up");
  ASSERT_NE(event_ev(*r[0], "BackOff"), nullptr);
  EXPECT_TRUE(has(r[0]->fix, "kubectl -n shop logs web-1 -c web --previous")) << r[0]->fix;
  EXPECT_EQ(crash_findings(f).size(), 1u);
}

TEST(CrashesTest, AppErrorWithoutLogSaysSo) {
  PodBuilder p;
  p.last = terminated("Error", 1);
  auto f = run(p);
  auto r = with_rule(f, "crash-app-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(r[0]->summary, "no log")) << r[0]->summary;
}

// `rollout undo` works on Deployments, StatefulSets and DaemonSets only; a bare Pod cannot be
// changed in place, so its fix says to change the manifest and create the pod again.
TEST(CrashesTest, FixesFitWhatRunsThePod) {
  PodBuilder owned;
  owned.last = terminated("Error", 1);
  auto fo = run(owned);
  auto ro = with_rule(fo, "crash-app-error");
  ASSERT_EQ(ro.size(), 1u);
  EXPECT_TRUE(has(ro[0]->fix, "kubectl -n shop rollout undo deployment/web restores"))
      << ro[0]->fix;
  EXPECT_FALSE(has(ro[0]->fix, "has no controller")) << ro[0]->fix;

  PodBuilder bare = owned;
  bare.owner = "";
  auto fb = run(bare);
  auto rb = with_rule(fb, "crash-app-error");
  ASSERT_EQ(rb.size(), 1u);
  EXPECT_FALSE(has(rb[0]->fix, "rollout undo")) << rb[0]->fix;
  EXPECT_TRUE(has(rb[0]->fix,
                  "has no controller, and a Pod's spec cannot be changed in place: "
                  "change its manifest, then kubectl -n shop delete pod"))
      << rb[0]->fix;

  PodBuilder job = owned;
  job.owner = "Job";
  auto fj = run(job);
  for (const Finding& f : fj) EXPECT_FALSE(has(f.fix, "rollout undo")) << f.fix;

  // The owner its ownerReferences declare, when the snapshot lacks it (kubectl get pods).
  PodBuilder declared = owned;
  declared.owner = "StatefulSet (not in the snapshot)";
  auto fd = run(declared);
  auto rd = with_rule(fd, "crash-app-error");
  ASSERT_EQ(rd.size(), 1u);
  EXPECT_TRUE(has(rd[0]->fix, "rollout undo statefulset/web")) << rd[0]->fix;

  // A bare pod whose fix changes nothing in it (the health endpoint's dependency) needs no new
  // pod.
  PodBuilder failing = bare;
  failing.container =
      "    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n"
      "    ports: [{containerPort: 8080}]\n";
  failing.last = terminated("Error", 137);
  failing.extra =
      kBackOff +
      event("e-unhealthy", "Unhealthy",
            "Liveness probe failed: HTTP probe failed with statuscode: 503", 12) +
      event("e-kill", "Killing", "Container web failed liveness probe, will be restarted", 4);
  auto fl = run(failing);
  auto rl = with_rule(fl, "probe-liveness-failed");
  ASSERT_EQ(rl.size(), 1u);
  EXPECT_TRUE(has(rl[0]->fix, "reports an error (503)")) << rl[0]->fix;
  EXPECT_FALSE(has(rl[0]->fix, "has no controller")) << rl[0]->fix;
}

TEST(CrashesTest, HealthyPodHasNoFindings) {
  PodBuilder p;
  p.state = "{running: {startedAt: \"2026-03-01T10:00:00Z\"}}";
  p.restarts = 0;
  p.ready = true;
  EXPECT_TRUE(crash_findings(run(p, "connection refused\npanic: x\n")).empty());
}

// --- Real cases (../shared/cases) ---

const Finding* case_finding(const std::vector<Finding>& all, std::string_view catalog,
                            std::string_view object) {
  for (const Finding* f : with_catalog(all, catalog)) {
    if (f->object.key() == object) return f;
  }
  return nullptr;
}

std::vector<Finding> diagnose_case(std::string_view name) {
  const std::vector<std::string> paths = {testing::shared_dir() + "/cases/" + std::string(name)};
  return diagnose(*Cluster::build(load_sources(paths)));
}

TEST(CrashesTest, Case010ArgsWithoutCommand) {
  auto f = diagnose_case("010-crash-args-without-command");
  const Finding* r =
      case_finding(f, "POD-CRASH-ARGS-WITHOUT-COMMAND", "Pod/sock-shop/catalogue-pod");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->caused_by.empty());
  EXPECT_TRUE(has(r->summary, "\"-port=80\"")) << r->summary;
}

TEST(CrashesTest, Case011OomKilledAt90Mi) {
  auto f = diagnose_case("011-crash-oomkilled-operator-90mi");
  const Finding* r = case_finding(
      f, "POD-CRASH-OOMKILLED",
      "Pod/memcached-operator-system/memcached-operator-controller-manager-6d57f5fd7-gfnxw");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->caused_by.empty());
  EXPECT_TRUE(has(r->fix, "from 90Mi to 180Mi")) << r->fix;
}

TEST(CrashesTest, Case016LivenessProbe404) {
  auto f = diagnose_case("016-probe-liveness-404-wrong-path");
  const Finding* r = case_finding(f, "POD-PROBE-LIVENESS-FAILED", "Pod/default/flower-pod");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->caused_by.empty());
  EXPECT_TRUE(has(r->fix, "GET /flower/ on port 5555 returns 404")) << r->fix;
}

}  // namespace
}  // namespace ktriage
