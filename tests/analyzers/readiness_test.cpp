// Running but not working: failing readiness and startup probes, probe ports the container does
// not have, and applied fields the API server dropped (last-applied-configuration vs live).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzers/common/applied_diff.h"
#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-03-01T12:00:00Z");

// Pod "api-1" (container "api", port 8080 named "http") of Deployment "api" in namespace shop:
// Running, not Ready by default. `probes` go under the container spec (4 spaces of indent).
struct PodBuilder {
  std::string probes;
  std::string ports = "[{containerPort: 8080, name: http}]";
  std::string phase = "Running";
  std::string ready_condition =
      "{type: Ready, status: \"False\", reason: ContainersNotReady, message: "
      "\"containers with unready status: [api]\"}";
  bool container_ready = false;
  std::string state = "{running: {startedAt: \"2026-03-01T11:50:00Z\"}}";
  std::string started = "true";
  int restarts = 0;
  std::string extra;

  std::string yaml() const {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop, uid: "
           "d-api}\n"
           "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: api-7c9\n  namespace: "
           "shop\n"
           "  uid: rs-api\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, "
           "uid: "
           "d-api, controller: true}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: api-1\n  "
           "namespace: shop\n  uid: p-api-1\n  ownerReferences: [{apiVersion: apps/v1, kind: "
           "ReplicaSet, name: api-7c9, uid: rs-api, controller: true}]\nspec:\n  nodeName: n1\n  "
           "containers:\n  - name: api\n    image: shop/api:2.0\n    ports: " +
           ports + "\n" + probes + "status:\n  phase: " + phase + "\n  conditions: [" +
           ready_condition + "]\n  containerStatuses:\n  - name: api\n    ready: " +
           (container_ready ? "true" : "false") + "\n    started: " + started +
           "\n    restartCount: " + std::to_string(restarts) + "\n    state: " + state + "\n" +
           extra;
  }
};

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string event(std::string_view name, std::string_view reason, std::string_view message,
                  int count = 1) {
  return "---\napiVersion: v1\nkind: Event\nmetadata: {name: " + std::string(name) +
         ", namespace: shop}\ninvolvedObject: {kind: Pod, name: api-1, namespace: shop, uid: "
         "p-api-1, "
         "fieldPath: \"spec.containers{api}\"}\nreason: " +
         std::string(reason) + "\ntype: Warning\nsource: {component: kubelet, host: n1}\ncount: " +
         std::to_string(count) +
         "\nlastTimestamp: \"2026-03-01T11:59:00Z\"\nmessage: " + quoted(message) + "\n";
}

const std::string kReadinessProbe =
    "    readinessProbe:\n      httpGet: {path: /ready, port: 8080}\n      periodSeconds: 5\n";

std::vector<Finding> run(const PodBuilder& p) {
  return diagnose(*cluster_from_yaml(p.yaml(), kNow));
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

// No finding of `rule` (takes the findings by reference, so a temporary is fine).
bool none(const std::vector<Finding>& all, std::string_view rule) {
  return with_rule(all, rule).empty();
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::vector<const Finding*> probe_findings(const std::vector<Finding>& all) {
  std::vector<const Finding*> out;
  for (const Finding& f : all) {
    if (f.rule.starts_with("probe-")) out.push_back(&f);
  }
  return out;
}

// --- Readiness ---

TEST(ReadinessTest, ReadinessProbeFailingKeepsThePodOutOfService) {
  PodBuilder p;
  p.probes = kReadinessProbe;
  p.extra = event("e1", "Unhealthy",
                  "Readiness probe failed: HTTP probe failed with statuscode: 503", 40);
  auto f = run(p);
  auto r = with_rule(f, "probe-readiness-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-PROBE-READINESS-FAILED");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/api-1");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(has(r[0]->summary, "(HTTP probe failed with statuscode: 503)")) << r[0]->summary;
  ASSERT_NE(event_ev(*r[0], "Unhealthy"), nullptr);
  EXPECT_EQ(event_ev(*r[0], "Unhealthy")->count, 40);
  const Evidence* probe = field_ev(*r[0], ".spec.containers[0].readinessProbe");
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(has(probe->value, "httpGet HTTP :8080/ready")) << probe->value;
  EXPECT_TRUE(has(probe->value, "periodSeconds 5,")) << probe->value;
  EXPECT_TRUE(has(probe->value, "failureThreshold 3 (default)")) << probe->value;
  EXPECT_EQ(field_ev(*r[0], ".status.containerStatuses[0].ready")->value, "false");
  EXPECT_TRUE(has(field_ev(*r[0], ".status.conditions[Ready]")->value, "False ContainersNotReady"));
  EXPECT_TRUE(has(r[0]->fix, "health endpoint reports an error (503)")) << r[0]->fix;
  EXPECT_EQ(probe_findings(f).size(), 1u);
}

TEST(ReadinessTest, RefusedReadinessProbeNamesTheDeclaredPorts) {
  PodBuilder p;
  p.probes = "    readinessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 2}\n";
  p.extra = event("e1", "Unhealthy",
                  "Readiness probe failed: dial tcp 10.1.0.4:8080: connect: connection refused");
  auto f = run(p);
  auto r = with_rule(f, "probe-readiness-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(r[0]->fix,
                  "Nothing listens on port 8080 when the probe runs (container api declares "
                  "8080/TCP (http))"))
      << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "deployment/api")) << r[0]->fix;
}

TEST(ReadinessTest, WithoutAReadyConditionTheFindingIsAWarning) {
  PodBuilder p;
  p.probes = kReadinessProbe;
  p.ready_condition = "{type: PodScheduled, status: \"True\"}";
  p.extra = event("e1", "Unhealthy",
                  "Readiness probe failed: Get \"http://10.1.0.4:8080/ready\": context deadline "
                  "exceeded (Client.Timeout exceeded while awaiting headers)");
  auto f = run(p);
  auto r = with_rule(f, "probe-readiness-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_TRUE(has(r[0]->fix, "raise timeoutSeconds")) << r[0]->fix;
}

TEST(ReadinessTest, OldFailureOfAReadyPodIsNotReported) {
  PodBuilder p;
  p.probes = kReadinessProbe;
  p.ready_condition = "{type: Ready, status: \"True\"}";
  p.container_ready = true;
  p.extra =
      event("e1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 1);
  EXPECT_TRUE(probe_findings(run(p)).empty());
}

TEST(ReadinessTest, PodsThatAreNotRunningAreNotReported) {
  PodBuilder p;
  p.probes = kReadinessProbe;
  p.extra =
      event("e1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503");
  p.phase = "Pending";
  EXPECT_TRUE(probe_findings(run(p)).empty());
  p.phase = "Succeeded";  // a completed Job pod
  p.state = "{terminated: {reason: Completed, exitCode: 0}}";
  EXPECT_TRUE(probe_findings(run(p)).empty());
}

TEST(ReadinessTest, CrashingContainerIsLeftToTheCrashesAnalyzer) {
  PodBuilder p;
  p.probes = kReadinessProbe;
  p.state = "{waiting: {reason: CrashLoopBackOff}}";
  p.restarts = 5;
  p.extra =
      event("e1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503");
  auto f = run(p);
  EXPECT_TRUE(with_rule(f, "probe-readiness-failed").empty());
  EXPECT_EQ(with_rule(f, "crash-app-error").size(), 1u);
}

// --- Startup ---

TEST(ReadinessTest, StartupProbeKillsAreTheRootCauseNotACrash) {
  PodBuilder p;
  p.probes =
      "    startupProbe: {httpGet: {path: /started, port: http}, failureThreshold: 6, "
      "periodSeconds: 5}\n";
  p.state = "{waiting: {reason: CrashLoopBackOff}}";
  p.started = "false";
  p.restarts = 7;
  p.extra =
      "    lastState: {terminated: {reason: Error, exitCode: 137, finishedAt: "
      "\"2026-03-01T11:58:00Z\"}}\n" +
      event("e1", "Unhealthy",
            "Startup probe failed: Get \"http://10.1.0.4:8080/started\": dial tcp 10.1.0.4:8080: "
            "connect: "
            "connection refused",
            42) +
      event("e2", "Killing", "Container api failed startup probe, will be restarted", 7);
  auto f = run(p);
  auto r = with_rule(f, "probe-startup-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-PROBE-STARTUP-FAILED");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(has(r[0]->summary, "(7 restarts)")) << r[0]->summary;
  ASSERT_NE(event_ev(*r[0], "Killing"), nullptr);
  EXPECT_EQ(event_ev(*r[0], "Killing")->count, 7);
  EXPECT_TRUE(
      has(field_ev(*r[0], ".spec.containers[0].startupProbe")->value, "failureThreshold 6"));
  EXPECT_EQ(field_ev(*r[0], ".restartCount")->value, "7");
  EXPECT_TRUE(
      has(r[0]->fix, "raise startupProbe.failureThreshold (the app now has 6 x 5s = 30s to start)"))
      << r[0]->fix;
  for (const Finding& x : f) EXPECT_FALSE(x.rule.starts_with("crash-")) << x.rule;
}

TEST(ReadinessTest, StartupProbeStillFailingOnARunningContainer) {
  PodBuilder p;
  p.probes = "    startupProbe: {exec: {command: [cat, /tmp/started]}}\n";
  p.started = "false";
  p.extra = event("e1", "Unhealthy",
                  "Startup probe failed: cat: can't open '/tmp/started': No such file", 2);
  auto f = run(p);
  auto r = with_rule(f, "probe-startup-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has(field_ev(*r[0], ".startupProbe")->value, "exec [cat /tmp/started]"));
  EXPECT_TRUE(has(r[0]->fix, "The probe command (exec [cat /tmp/started]) exits non-zero"))
      << r[0]->fix;
}

TEST(ReadinessTest, AppExitingByItselfIsACrashNotAStartupFailure) {
  PodBuilder p;
  p.probes = "    startupProbe: {httpGet: {path: /started, port: 8080}}\n";
  p.state = "{waiting: {reason: CrashLoopBackOff}}";
  p.started = "false";
  p.restarts = 3;
  p.extra =
      "    lastState: {terminated: {reason: Error, exitCode: 1, finishedAt: "
      "\"2026-03-01T11:58:00Z\"}}\n" +
      event("e1", "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503");
  auto f = run(p);
  EXPECT_TRUE(none(f, "probe-startup-failed"));
  EXPECT_EQ(with_rule(f, "crash-app-error").size(), 1u);
}

TEST(ReadinessTest, StartupProbeThatPassedLaterIsNotReported) {
  PodBuilder p;
  p.probes = "    startupProbe: {httpGet: {path: /started, port: 8080}}\n";
  p.started = "true";
  p.extra =
      event("e1", "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503", 3);
  EXPECT_TRUE(none(run(p), "probe-startup-failed"));
}

// --- Probe ports ---

TEST(ReadinessTest, NamedProbePortMissingIsCritical) {
  PodBuilder p;
  p.probes = "    readinessProbe: {httpGet: {path: /ready, port: metrics}}\n";
  p.extra = event("e1", "Unhealthy",
                  "Readiness probe errored: strconv.Atoi: parsing \"metrics\": invalid syntax", 80);
  auto f = run(p);
  auto r = with_rule(f, "probe-named-port-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-PROBE-NAMED-PORT-MISSING");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(has(r[0]->summary, "targets port \"metrics\"")) << r[0]->summary;
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].readinessProbe.httpGet.port")->value, "metrics");
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].ports")->value, "8080/TCP (http)");
  ASSERT_NE(event_ev(*r[0], "Unhealthy"), nullptr);
  EXPECT_TRUE(has(r[0]->fix, "add `name: metrics` to the container port")) << r[0]->fix;
  EXPECT_TRUE(with_rule(f, "probe-readiness-failed").empty());  // the port is the cause
}

TEST(ReadinessTest, NamedLivenessPortMissingReplacesTheLivenessFinding) {
  PodBuilder p;
  p.probes = "    livenessProbe: {tcpSocket: {port: admin}}\n";
  p.state = "{waiting: {reason: CrashLoopBackOff}}";
  p.restarts = 9;
  p.extra = event("e1", "Unhealthy",
                  "Liveness probe errored: strconv.Atoi: parsing \"admin\": invalid syntax", 27) +
            event("e2", "Killing", "Container api failed liveness probe, will be restarted", 9);
  auto f = run(p);
  auto r = with_rule(f, "probe-named-port-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].livenessProbe.tcpSocket.port")->value, "admin");
  EXPECT_TRUE(with_rule(f, "probe-liveness-failed").empty());
  for (const Finding& x : f) EXPECT_FALSE(x.rule.starts_with("crash-")) << x.rule;
}

TEST(ReadinessTest, DeclaredNamedOrNumericStringPortIsFine) {
  PodBuilder p;
  p.probes =
      "    readinessProbe: {httpGet: {path: /ready, port: http}}\n    livenessProbe: {tcpSocket: "
      "{port: \"8080\"}}\n";
  p.ready_condition = "{type: Ready, status: \"True\"}";
  p.container_ready = true;
  EXPECT_TRUE(probe_findings(run(p)).empty());
}

TEST(ReadinessTest, UndeclaredNumericPortOfAFailingProbeIsAWarning) {
  PodBuilder p;
  p.probes = "    readinessProbe: {httpGet: {path: /ready, port: 8081}}\n";
  p.extra = event("e1", "Unhealthy",
                  "Readiness probe failed: Get \"http://10.1.0.4:8081/ready\": dial tcp "
                  "10.1.0.4:8081: connect: connection refused");
  auto f = run(p);
  auto r = with_rule(f, "probe-port-not-declared");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-PROBE-NAMED-PORT-MISSING");
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_TRUE(has(r[0]->summary,
                  "targets port 8081, which the container does not declare (it declares "
                  "8080/TCP (http))"))
      << r[0]->summary;
  EXPECT_TRUE(has(r[0]->fix,
                  "Set the port of readinessProbe of container api to the port the app listens on"))
      << r[0]->fix;
  EXPECT_TRUE(with_rule(f, "probe-readiness-failed").empty());
}

TEST(ReadinessTest, UndeclaredNumericPortIsFineWhenTheProbePasses) {
  PodBuilder p;
  p.probes = "    readinessProbe: {httpGet: {path: /ready, port: 9090}}\n";
  p.ready_condition = "{type: Ready, status: \"True\"}";
  p.container_ready = true;
  EXPECT_TRUE(probe_findings(run(p)).empty());
  p.ports = "[]";  // nothing declared: the number cannot be checked
  p.ready_condition = "{type: Ready, status: \"False\"}";
  p.container_ready = false;
  EXPECT_TRUE(none(run(p), "probe-port-not-declared"));
}

// --- Applied fields the API server dropped ---

std::string deployment_with_applied(std::string_view applied_container,
                                    std::string_view live_container,
                                    std::string_view api_version = "apps/v1") {
  return std::string(
             "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
             "  labels: {team: a}\n  annotations:\n    "
             "kubectl.kubernetes.io/last-applied-configuration: '{\"apiVersion\":\"") +
         std::string(api_version) +
         "\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"web\","
         "\"namespace\":\"shop\","
         "\"labels\":{\"team\":\"a\"},\"creationTimestamp\":null},\"spec\":{\"replicas\":2,"
         "\"selector\":{"
         "\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":"
         "\"web\"}},"
         "\"spec\":{\"hostNetwork\":false,\"containers\":[" +
         std::string(applied_container) +
         "]}}}}'\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    "
         "metadata: "
         "{labels: {app: web}}\n    spec:\n      dnsPolicy: ClusterFirst\n      containers:\n" +
         std::string(live_container) + "status: {replicas: 2}\n";
}

const Object& only_deployment(const Cluster& c) { return *c.of_kind("Deployment").front(); }

TEST(ReadinessTest, MisspeltFieldDroppedByTheApiServer) {
  auto c = cluster_from_yaml(deployment_with_applied(
      R"({"name":"web","image":"shop/web:1","imagePullPolice":"Always","args":[]})",
      "      - {name: web, image: \"shop/web:1\", imagePullPolicy: IfNotPresent, resources: "
      "{}}\n"));
  ASSERT_FALSE(only_deployment(*c).last_applied->is_null()) << "the loader parses the annotation";
  auto f = diagnose(*c);
  auto r = with_rule(f, "manifest-field-typo");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-RUNNING-MANIFEST-FIELD-TYPO");
  EXPECT_EQ(r[0]->severity, Severity::kWarning);
  EXPECT_EQ(r[0]->object.key(), "Deployment/shop/web");
  EXPECT_EQ(r[0]->summary,
            "spec.template.spec.containers[0].imagePullPolice is not a field: the API server "
            "dropped it; did you "
            "mean imagePullPolicy?");
  const Evidence* applied =
      field_ev(*r[0], ".metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(applied->value, "spec.template.spec.containers[0].imagePullPolice: \"Always\"");
  const Evidence* live = field_ev(*r[0], ".spec.template.spec.containers[0].imagePullPolicy");
  ASSERT_NE(live, nullptr);
  EXPECT_TRUE(
      has(live->value, "\"IfNotPresent\" (live value; the applied \"Always\" never reached it)"))
      << live->value;
  EXPECT_TRUE(
      has(r[0]->fix,
          "Rename imagePullPolice to imagePullPolicy at spec.template.spec.containers[0] in "
          "the manifest of deployment/web"))
      << r[0]->fix;
  EXPECT_TRUE(has(r[0]->fix, "kubectl apply --validate=strict")) << r[0]->fix;
}

TEST(ReadinessTest, MisspeltFieldOnAPodWithoutALiveSibling) {
  auto c = cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\n  namespace: shop\n  annotations:\n"
      "    kubectl.kubernetes.io/last-applied-configuration: "
      "'{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
      "\"metadata\":{\"name\":\"tool\",\"namespace\":\"shop\"},\"spec\":{\"containers\":[{\"name\":"
      "\"t\","
      "\"image\":\"busybox\",\"comand\":[\"sleep\",\"3600\"]}]}}'\n"
      "spec:\n  containers:\n  - {name: t, image: busybox}\nstatus: {phase: Running}\n");
  ASSERT_FALSE(c->of_kind("Pod").front()->last_applied->is_null());
  auto f = diagnose(*c);
  auto r = with_rule(f, "manifest-field-typo");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/tool");
  EXPECT_TRUE(has(r[0]->summary, "spec.containers[0].comand is not a field")) << r[0]->summary;
  EXPECT_TRUE(has(r[0]->summary, "did you mean command?")) << r[0]->summary;
  EXPECT_EQ(field_ev(*r[0], ".spec.containers[0].comand")->value, "(absent from the live object)");
}

TEST(ReadinessTest, MisspeltEnvFieldNamesTheFieldButNotItsValue) {
  auto c = cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\n  namespace: shop\n  annotations:\n"
      "    kubectl.kubernetes.io/last-applied-configuration: "
      "'{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
      "\"metadata\":{\"name\":\"tool\",\"namespace\":\"shop\"},\"spec\":{\"containers\":[{\"name\":"
      "\"t\",\"image\":\"busybox\",\"env\":[{\"name\":\"TOKEN\",\"valu\":\"s3cr3t-val\"}]}]}}'\n"
      "spec:\n  containers:\n  - {name: t, image: busybox, env: [{name: TOKEN}]}\n"
      "status: {phase: Running}\n");
  auto f = diagnose(*c);
  auto r = with_rule(f, "manifest-field-typo");
  ASSERT_EQ(r.size(), 1u);
  for (const Evidence& e : r[0]->evidence) EXPECT_FALSE(has(e.value, "s3cr3t-val")) << e.value;
  EXPECT_TRUE(has(r[0]->evidence[0].value, "env[0].valu: (value hidden)"))
      << r[0]->evidence[0].value;
}

TEST(ReadinessTest, AppliedManifestMatchingTheLiveObjectHasNoTypo) {
  // Zero values (args: [], hostNetwork: false, creationTimestamp: null), labels, status and
  // server defaults (dnsPolicy) are not typos.
  auto c = cluster_from_yaml(deployment_with_applied(
      R"({"name":"web","image":"shop/web:1","imagePullPolicy":"Always","args":[],)"
      R"("ports":[{"containerPort":80}]})",
      "      - {name: web, image: \"shop/web:1\", imagePullPolicy: Always, ports: [{containerPort: "
      "80, "
      "protocol: TCP}]}\n"));
  ASSERT_FALSE(only_deployment(*c).last_applied->is_null());
  EXPECT_TRUE(none(diagnose(*c), "manifest-field-typo"));
}

TEST(ReadinessTest, SidecarInjectedBeforeTheAppContainerIsMatchedByName) {
  auto c = cluster_from_yaml(
      deployment_with_applied(R"({"name":"web","image":"shop/web:1","workingDir":"/srv"})",
                              "      - {name: istio-proxy, image: proxy}\n      - {name: web, "
                              "image: \"shop/web:1\", workingDir: /srv}\n"));
  ASSERT_FALSE(only_deployment(*c).last_applied->is_null());
  EXPECT_TRUE(none(diagnose(*c), "manifest-field-typo"));
}

TEST(ReadinessTest, OtherApiVersionIsNotCompared) {
  auto c = cluster_from_yaml(deployment_with_applied(
      R"({"name":"web","image":"shop/web:1","imagePullPolice":"Always"})",
      "      - {name: web, image: \"shop/web:1\"}\n", "extensions/v1beta1"));
  EXPECT_TRUE(none(diagnose(*c), "manifest-field-typo"));
}

TEST(ReadinessTest, DroppedFieldsWalkOnlySchemaFields) {
  // The comparison itself, on two Values: free-form maps and server-cleared Service fields are
  // skipped; a mis-indented known field is reported without a suggestion.
  auto applied = cluster_from_yaml(
      "apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {tier: x}}\nspec:\n  type: "
      "ClusterIP\n"
      "  selector: {app: s}\n  externalTrafficPolicy: Local\n  ports: [{port: 80, nodePort: "
      "30080}]\n"
      "  sessionAfinity: ClientIP\n  protocol: TCP\n");
  auto live = cluster_from_yaml(
      "apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {tier: y}}\nspec:\n  type: "
      "ClusterIP\n  selector: {app: "
      "other}\n  sessionAffinity: None\n  ports: [{port: 80, protocol: TCP}]\n");
  auto dropped = dropped_fields(*applied->objects()[0].root, *live->objects()[0].root);
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].path, "spec.sessionAfinity");
  EXPECT_EQ(dropped[0].suggestion, "sessionAffinity");
  EXPECT_EQ(dropped[0].live_suggestion->str(), "None");
  EXPECT_EQ(dropped[1].path, "spec.protocol");  // a field of ports[], not of spec
  EXPECT_TRUE(is_known_field_name(dropped[1].key));
}

TEST(ReadinessTest, NearestFieldNameKeepsShortKeysStrict) {
  EXPECT_EQ(nearest_field_name("comand", Value::null_value()), "command");
  EXPECT_EQ(nearest_field_name("imagePullPolcy", Value::null_value()), "imagePullPolicy");
  EXPECT_EQ(nearest_field_name("readinesProbe", Value::null_value()), "readinessProbe");
  EXPECT_EQ(nearest_field_name("evn", Value::null_value()), "env");  // transposition
  EXPECT_EQ(nearest_field_name("xyz", Value::null_value()), "");
  EXPECT_EQ(nearest_field_name("completelyUnrelated", Value::null_value()), "");
  EXPECT_TRUE(is_known_field_name("terminationGracePeriodSeconds"));
  EXPECT_FALSE(is_known_field_name("terminationGracePeriod"));
}

}  // namespace
}  // namespace ktriage
