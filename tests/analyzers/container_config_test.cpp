// Containers the kubelet cannot create or start: each rule of src/analyzers/container_config.cpp
// on a pod carrying the kubelet's exact message, a near miss for each, and real-world case 007.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_catalog;
using testing::with_rule;

constexpr std::string_view kRules[] = {
    "config-secret-missing",         "config-secret-key-missing",
    "config-configmap-missing",      "config-configmap-key-missing",
    "config-runasnonroot-violation", "create-container-config-error",
    "create-container-error",        "run-container-error",
    "init-container-failing"};

std::size_t config_findings(const std::vector<Finding>& f) {
  std::size_t n = 0;
  for (std::string_view rule : kRules) n += with_rule(f, rule).size();
  return n;
}

/// A YAML single-quoted scalar: kubelet messages hold both ": " and double quotes.
std::string q(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Deployment shop/api -> ReplicaSet api-6b8f7c9d54 -> Pod api-6b8f7c9d54-qx7tz on node-a. The
/// container `api` has `container_spec` (indented by 4) and the status lines `state` (indented
/// by 4 under its containerStatuses entry).
std::string api_pod(std::string_view container_spec, std::string_view state,
                    std::string_view phase = "Pending", std::string_view pod_spec = "") {
  return fmt::format(R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop, uid: dep-api}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: api}}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-6b8f7c9d54
  namespace: shop
  uid: rs-api
  ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: api, uid: dep-api, controller: true}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: api-6b8f7c9d54-qx7tz
  namespace: shop
  uid: pod-api
  labels: {{app: api, pod-template-hash: 6b8f7c9d54}}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: api-6b8f7c9d54, uid: rs-api, controller: true}}]
spec:
  nodeName: node-a
{3}  containers:
  - name: api
    image: registry.example.com/shop/api:3.2.0
{0}status:
  phase: {2}
  containerStatuses:
  - name: api
    image: registry.example.com/shop/api:3.2.0
    restartCount: 0
{1})",
                     container_spec, state, phase, pod_spec);
}

std::string waiting(std::string_view reason, std::string_view message) {
  return fmt::format(
      "    ready: false\n    state:\n      waiting:\n        reason: {}\n        message: {}\n",
      reason, q(message));
}

constexpr std::string_view kRunning =
    "    ready: true\n    state:\n      running: {startedAt: \"2026-11-29T10:30:00Z\"}\n";

std::string failed_event(std::string_view message, int count) {
  return fmt::format(R"(---
apiVersion: v1
kind: Event
metadata: {{name: api-6b8f7c9d54-qx7tz.{2:x}, namespace: shop}}
involvedObject: {{apiVersion: v1, kind: Pod, name: api-6b8f7c9d54-qx7tz, namespace: shop, uid: pod-api, fieldPath: "spec.containers{{api}}"}}
reason: Failed
type: Warning
source: {{component: kubelet, host: node-a}}
count: {1}
firstTimestamp: "2026-11-29T10:02:11Z"
lastTimestamp: "2026-11-29T10:41:37Z"
message: {0}
)",
                     q(message), count, std::hash<std::string_view>{}(message));
}

constexpr std::string_view kSecretEnv = R"(    env:
    - {name: DB_USER, valueFrom: {secretKeyRef: {name: db-credentials, key: username}}}
    - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials, key: postgres-password}}}
)";

constexpr std::string_view kDbCredentials = R"(---
apiVersion: v1
kind: Secret
metadata: {name: db-credentials, namespace: shop}
type: Opaque
data: {username: YXBp, postgresql-password: czNjcjN0}
)";

std::unique_ptr<Cluster> load(const std::string& yaml) {
  auto c = cluster_from_yaml(yaml);
  for (const InputIssue& i : c->issues()) ADD_FAILURE() << i.message;
  EXPECT_FALSE(c->of_kind("Pod").empty());
  return c;
}

bool has_evidence(const Finding& f, std::string_view path, std::string_view value) {
  for (const Evidence& e : f.evidence) {
    if (e.path == path && e.value.find(value) != std::string::npos) return true;
  }
  return false;
}

bool has_note(const Finding& f, std::string_view text) {
  for (const Evidence& e : f.evidence) {
    if (e.kind == Evidence::Kind::kNote && e.value.find(text) != std::string::npos) return true;
  }
  return false;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

TEST(ContainerConfigTest, MissingSecretKeyNamesTheReferenceAndTheNearestKey) {
  const std::string msg = "couldn't find key postgres-password in Secret shop/db-credentials";
  auto c = load(api_pod(kSecretEnv, waiting("CreateContainerConfigError", msg)) +
                failed_event("Error: " + msg, 41) + std::string(kDbCredentials));
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-secret-key-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CONFIG-SECRET-MISSING");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/api-6b8f7c9d54-qx7tz");
  EXPECT_EQ(
      r[0]->summary,
      "Container api cannot start: Secret shop/db-credentials has no key \"postgres-password\""
      " (it has \"postgresql-password\")");
  EXPECT_TRUE(has_evidence(*r[0], ".status.containerStatuses[0].state.waiting.reason",
                           "CreateContainerConfigError"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].env[1].valueFrom.secretKeyRef",
                           "DB_PASSWORD (name db-credentials, key postgres-password)"));
  EXPECT_TRUE(has_evidence(*r[0], ".data", "keys: username, postgresql-password"));
  bool event = false;
  for (const Evidence& e : r[0]->evidence) {
    event = event || (e.kind == Evidence::Kind::kEvent && e.count == 41 && e.reason == "Failed");
    EXPECT_FALSE(contains(e.value, "czNjcjN0")) << "Secret values are never shown";
  }
  EXPECT_TRUE(event);
  EXPECT_TRUE(contains(r[0]->fix,
                       "change .spec.containers[0].env[1].valueFrom.secretKeyRef.key "
                       "from \"postgres-password\" to \"postgresql-password\""));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop edit deployment/api"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop patch secret db-credentials"));
  EXPECT_EQ(config_findings(f), 1u);
  EXPECT_TRUE(r[0]->caused_by.empty());
}

TEST(ContainerConfigTest, SecretReadAsMetadataOnlyHasUnknownKeysNotNone) {
  // A live run lists Secrets as metadata only and marks them (src/live/page.h).
  const std::string msg = "couldn't find key postgres-password in Secret shop/db-credentials";
  auto c = load(api_pod(kSecretEnv, waiting("CreateContainerConfigError", msg)) +
                failed_event("Error: " + msg, 41) + R"(
---
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: shop
  annotations: {ktriage.io/data: not-collected}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-secret-key-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has_note(*r[0], "was read as metadata only"));
  for (const Evidence& e : r[0]->evidence) EXPECT_FALSE(contains(e.value, "keys: (none)"));
}

TEST(ContainerConfigTest, ExistingKeyOfARunningPodIsFine) {
  auto c = load(api_pod(kSecretEnv, kRunning, "Running") + std::string(kDbCredentials));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "config-secret-key-missing").empty());
  EXPECT_EQ(config_findings(f), 0u);
}

TEST(ContainerConfigTest, MissingSecretFoundInAnotherNamespace) {
  const std::string msg = R"(secret "db-credentials" not found)";
  auto c = load(api_pod("    envFrom:\n    - secretRef: {name: db-credentials}\n",
                        waiting("CreateContainerConfigError", msg)) +
                failed_event("Error: " + msg, 12) + R"(---
apiVersion: v1
kind: Secret
metadata: {name: db-credentials, namespace: staging}
type: Opaque
data: {username: YXBp}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-secret-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CONFIG-SECRET-MISSING");
  EXPECT_EQ(r[0]->summary,
            "Container api cannot start: Secret shop/db-credentials does not exist (it exists in "
            "namespace staging)");
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].envFrom[0].secretRef", "db-credentials"));
  EXPECT_TRUE(has_note(*r[0], "no Secret db-credentials in namespace shop"));
  EXPECT_TRUE(contains(r[0]->fix, "create db-credentials in namespace shop"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop create secret generic db-credentials"));
}

TEST(ContainerConfigTest, OldSecretErrorOfASucceededJobPodIsIgnored) {
  const std::string msg = R"(secret "db-credentials" not found)";
  auto c = load(R"(---
apiVersion: v1
kind: Pod
metadata:
  name: migrate-28912345-7xk2p
  namespace: shop
  uid: pod-migrate
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: migrate-28912345, uid: job-1, controller: true}]
spec:
  nodeName: node-a
  restartPolicy: Never
  containers:
  - name: migrate
    image: registry.example.com/shop/migrate:3.2.0
    envFrom: [{secretRef: {name: db-credentials}}]
status:
  phase: Succeeded
  containerStatuses:
  - name: migrate
    image: registry.example.com/shop/migrate:3.2.0
    ready: false
    restartCount: 0
    state:
      terminated: {exitCode: 0, reason: Completed, finishedAt: "2026-11-29T10:20:00Z"}
)" + failed_event("Error: " + msg, 3));
  auto f = diagnose(*c);
  EXPECT_EQ(config_findings(f), 0u);
}

TEST(ContainerConfigTest, MissingConfigMapKeySuggestsTheNearestKey) {
  const std::string msg = "couldn't find key app.yaml in ConfigMap shop/web-config";
  auto c = load(
      api_pod("    env:\n    - {name: APP_CONFIG, valueFrom: {configMapKeyRef: {name: web-config, "
              "key: app.yaml}}}\n",
              waiting("CreateContainerConfigError", msg)) +
      failed_event("Error: " + msg, 41) + R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {app.yml: "port: 8080", logging.yml: "level: info"}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-configmap-key-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CONFIG-CONFIGMAP-MISSING");
  EXPECT_TRUE(contains(r[0]->summary,
                       "ConfigMap shop/web-config has no key \"app.yaml\" (it has "
                       "\"app.yml\")"));
  EXPECT_TRUE(
      has_evidence(*r[0], ".spec.containers[0].env[0].valueFrom.configMapKeyRef", "key app.yaml"));
  EXPECT_TRUE(has_evidence(*r[0], ".data", "keys: app.yml, logging.yml"));
  EXPECT_TRUE(contains(r[0]->fix, "to \"app.yml\""));
  EXPECT_TRUE(contains(r[0]->fix, "patch configmap web-config --type merge"));
}

TEST(ContainerConfigTest, OptionalConfigMapKeyOfARunningPodIsFine) {
  auto c = load(
      api_pod("    env:\n    - {name: APP_CONFIG, valueFrom: {configMapKeyRef: {name: web-config, "
              "key: app.yaml, optional: true}}}\n",
              kRunning, "Running") +
      R"(---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {app.yml: "port: 8080"}
)");
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "config-configmap-key-missing").empty());
}

TEST(ContainerConfigTest, MissingConfigMapWithoutConfigMapsInTheSnapshot) {
  const std::string msg = R"(configmap "web-config" not found)";
  auto c = load(api_pod("    envFrom:\n    - configMapRef: {name: web-config}\n",
                        waiting("CreateContainerConfigError", msg)));
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-configmap-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CONFIG-CONFIGMAP-MISSING");
  EXPECT_TRUE(contains(r[0]->summary, "ConfigMap shop/web-config does not exist"));
  EXPECT_TRUE(has_note(*r[0], "the snapshot holds no ConfigMap objects"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].envFrom[0].configMapRef", "web-config"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop create configmap web-config"));
}

TEST(ContainerConfigTest, FixNamesTheDeploymentWhenOnlyThePodIsInTheSnapshot) {
  const std::string msg = R"(configmap "web-config" not found)";
  std::string yaml = api_pod("    envFrom:\n    - configMapRef: {name: web-config}\n",
                             waiting("CreateContainerConfigError", msg));
  yaml = yaml.substr(yaml.find("---\napiVersion: v1\nkind: Pod"));  // no Deployment, ReplicaSet
  auto c = load(yaml);
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-configmap-missing");
  ASSERT_EQ(r.size(), 1u);
  // ReplicaSet api-6b8f7c9d54 with pod-template-hash 6b8f7c9d54 belongs to Deployment api.
  EXPECT_TRUE(contains(r[0]->fix, "the pod template of deployment/api"));
}

TEST(ContainerConfigTest, ConfigMapMissingOnAnEvictedPodIsIgnored) {
  const std::string msg = R"(configmaps "web-config" not found)";
  auto c = load(api_pod("", waiting("CreateContainerConfigError", msg), "Failed"));
  auto f = diagnose(*c);
  EXPECT_EQ(config_findings(f), 0u);
}

TEST(ContainerConfigTest, RunAsNonRootWithARootImage) {
  const std::string msg =
      R"m(container has runAsNonRoot and image will run as root (pod: "api-6b8f7c9d54-qx7tz_shop(pod-api)", container: api))m";
  auto c = load(api_pod("", waiting("CreateContainerConfigError", msg), "Pending",
                        "  securityContext: {runAsNonRoot: true}\n") +
                failed_event("Error: " + msg, 8));
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-runasnonroot-violation");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-RUNASNONROOT-VIOLATION");
  EXPECT_EQ(r[0]->summary,
            "Container api cannot start: runAsNonRoot is set and the image runs as root (no "
            "runAsUser)");
  EXPECT_TRUE(has_evidence(*r[0], ".spec.securityContext.runAsNonRoot", "true"));
  EXPECT_TRUE(contains(r[0]->fix, "securityContext.runAsUser: 10001"));
  EXPECT_TRUE(contains(r[0]->fix, "deployment/api"));
  EXPECT_TRUE(with_rule(f, "create-container-config-error").empty());
}

TEST(ContainerConfigTest, RunAsNonRootWithANamedImageUser) {
  const std::string msg =
      R"m(container has runAsNonRoot and image has non-numeric user (appuser), cannot verify user is non-root (pod: "api-6b8f7c9d54-qx7tz_shop(pod-api)", container: api))m";
  auto c = load(api_pod("    securityContext: {runAsNonRoot: true}\n",
                        waiting("CreateContainerConfigError", msg)));
  auto f = diagnose(*c);
  auto r = with_rule(f, "config-runasnonroot-violation");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, "the image's user (appuser) is not numeric"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].securityContext.runAsNonRoot", "true"));
}

TEST(ContainerConfigTest, RunAsNonRootWithANumericUserIsFine) {
  auto c = load(api_pod("    securityContext: {runAsNonRoot: true, runAsUser: 10001}\n", kRunning,
                        "Running"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "config-runasnonroot-violation").empty());
}

TEST(ContainerConfigTest, OtherConfigErrorsKeepTheKubeletsWords) {
  const std::string msg = "failed to sync secret cache: timed out waiting for the condition";
  auto c = load(api_pod(kSecretEnv, waiting("CreateContainerConfigError", msg)) +
                failed_event("Error: " + msg, 2) + std::string(kDbCredentials));
  auto f = diagnose(*c);
  auto r = with_rule(f, "create-container-config-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CREATE-CONTAINER-ERROR");
  EXPECT_TRUE(contains(r[0]->summary, "Container api cannot start: failed to sync secret cache"));
  EXPECT_TRUE(contains(r[0]->fix, "it retries"));
  EXPECT_TRUE(with_rule(f, "config-secret-missing").empty());
}

TEST(ContainerConfigTest, ParsedConfigErrorsAreNotTheGenericRule) {
  const std::string msg = R"(secrets "db-credentials" not found)";  // API server wording
  auto c = load(api_pod(kSecretEnv, waiting("CreateContainerConfigError", msg)));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "create-container-config-error").empty());
  auto r = with_rule(f, "config-secret-missing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].env[0].valueFrom.secretKeyRef",
                           "DB_USER (name db-credentials, key username)"));
  EXPECT_TRUE(contains(r[0]->fix,
                       "--from-literal=username=<value> --from-literal=postgres-password=<value>"));
}

TEST(ContainerConfigTest, CreateContainerErrorWithAReservedName) {
  const std::string msg =
      R"(failed to reserve container name "api_api-6b8f7c9d54-qx7tz_shop_pod-api_0": name "api_api-6b8f7c9d54-qx7tz_shop_pod-api_0" is reserved for "8f3c2b1d9e0a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b")";
  auto c =
      load(api_pod("", waiting("CreateContainerError", msg)) + failed_event("Error: " + msg, 17));
  auto f = diagnose(*c);
  auto r = with_rule(f, "create-container-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-CREATE-CONTAINER-ERROR");
  EXPECT_EQ(r[0]->summary,
            "Container api cannot be created by the runtime: the runtime still holds the name from "
            "an earlier attempt that timed out");
  EXPECT_TRUE(
      has_evidence(*r[0], ".status.containerStatuses[0].state.waiting.message", "is reserved for"));
  EXPECT_TRUE(contains(r[0]->fix, "restart containerd"));
  EXPECT_TRUE(contains(r[0]->fix, "journalctl -u containerd on node node-a"));
}

TEST(ContainerConfigTest, CreateContainerErrorGoneOnceRunning) {
  auto c = load(api_pod("", kRunning, "Running"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "create-container-error").empty());
}

constexpr std::string_view kStartError =
    R"(failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/server": stat /app/server: no such file or directory: unknown)";

TEST(ContainerConfigTest, RunContainerErrorExplainsTheRuntimeError) {
  const std::string state = waiting("RunContainerError", kStartError) +
                            "    lastState:\n      terminated: {exitCode: 128, reason: "
                            "StartError, message: " +
                            q(kStartError) + "}\n";
  auto c = load(api_pod("    command: [/app/server]\n", state));
  auto f = diagnose(*c);
  auto r = with_rule(f, "run-container-error");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-RUN-CONTAINER-ERROR");
  EXPECT_EQ(r[0]->summary,
            "Container api cannot be started by the runtime: the command does not exist in the "
            "image");
  EXPECT_TRUE(has_evidence(*r[0], ".status.containerStatuses[0].lastState.terminated",
                           "StartError exit code 128"));
  EXPECT_TRUE(contains(r[0]->fix, "fix command/args"));
}

TEST(ContainerConfigTest, RunningAfterAnEarlierStartErrorIsFine) {
  const std::string state = std::string(kRunning) +
                            "    lastState:\n      terminated: {exitCode: 128, reason: "
                            "StartError, message: " +
                            q(kStartError) + "}\n";
  auto c = load(api_pod("", state, "Running"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "run-container-error").empty());
}

/// StatefulSet shop/orders -> Pod orders-0 with init container `migrate` in `init_status` and
/// the app container waiting in PodInitializing.
std::string orders_pod(std::string_view init_status, std::string_view initialized = "False") {
  return fmt::format(R"(---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: orders, namespace: shop, uid: sts-orders}}
spec: {{replicas: 1, serviceName: orders}}
---
apiVersion: v1
kind: Pod
metadata:
  name: orders-0
  namespace: shop
  uid: pod-orders-0
  ownerReferences: [{{apiVersion: apps/v1, kind: StatefulSet, name: orders, uid: sts-orders, controller: true}}]
spec:
  nodeName: node-a
  initContainers:
  - name: migrate
    image: registry.example.com/shop/orders-migrate:5.0.1
    command: [/bin/migrate, up]
  containers:
  - name: orders
    image: registry.example.com/shop/orders:5.0.1
status:
  phase: Pending
  conditions:
  - {{type: Initialized, status: "{1}", reason: ContainersNotInitialized, message: "containers with incomplete status: [migrate]"}}
  - {{type: Ready, status: "False", reason: ContainersNotReady}}
  initContainerStatuses:
  - name: migrate
    image: registry.example.com/shop/orders-migrate:5.0.1
    ready: false
{0}  containerStatuses:
  - name: orders
    image: registry.example.com/shop/orders:5.0.1
    ready: false
    restartCount: 0
    state:
      waiting: {{reason: PodInitializing}}
)",
                     init_status, initialized);
}

constexpr std::string_view kMigrateLog =
    "2026-11-29T10:40:01Z INFO starting migrations (target version 57)\n"
    "2026-11-29T10:40:01Z INFO connecting to orders-db.shop.svc:5432\n"
    "2026-11-29T10:40:31Z ERROR dial tcp 10.96.14.7:5432: connect: connection refused\n"
    "2026-11-29T10:40:31Z FATAL could not connect to the database after 30s\n";

TEST(ContainerConfigTest, InitContainerInCrashLoopShowsItsLastLogLines) {
  const std::string status = R"(    restartCount: 5
    state:
      waiting:
        reason: CrashLoopBackOff
        message: back-off 2m40s restarting failed container=migrate pod=orders-0_shop(pod-orders-0)
    lastState:
      terminated: {exitCode: 1, reason: Error, startedAt: "2026-11-29T10:40:01Z", finishedAt: "2026-11-29T10:40:31Z"}
)";
  auto c = cluster_from(
      {{"snapshot/pods.yaml", orders_pod(status) + R"(---
apiVersion: v1
kind: Event
metadata: {name: orders-0.backoff, namespace: shop}
involvedObject: {apiVersion: v1, kind: Pod, name: orders-0, namespace: shop, uid: pod-orders-0, fieldPath: "spec.initContainers{migrate}"}
reason: BackOff
type: Warning
source: {component: kubelet, host: node-a}
count: 23
lastTimestamp: "2026-11-29T10:41:37Z"
message: Back-off restarting failed container migrate in pod orders-0_shop(pod-orders-0)
)"},
       {"snapshot/logs/shop/orders-0/migrate.previous.log", std::string(kMigrateLog)}});
  auto f = diagnose(*c);
  auto r = with_rule(f, "init-container-failing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-INIT-CONTAINER-FAILING");
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/orders-0");
  EXPECT_TRUE(contains(r[0]->summary,
                       "Init container migrate keeps failing (exit code 1, 5 "
                       "restarts): the pod stays in Init:CrashLoopBackOff"));
  EXPECT_TRUE(contains(r[0]->summary,
                       "; last log line: 2026-11-29T10:40:31Z FATAL could not connect to the "
                       "database after 30s"))
      << r[0]->summary;
  EXPECT_TRUE(has_evidence(*r[0], ".status.initContainerStatuses[0].lastState.terminated",
                           "Error exit code 1"));
  EXPECT_TRUE(has_evidence(*r[0], ".status.initContainerStatuses[0].restartCount", "5"));
  const Evidence* last = nullptr;
  bool backoff = false;
  for (const Evidence& e : r[0]->evidence) {
    if (e.kind == Evidence::Kind::kLog) last = &e;
    backoff =
        backoff || (e.kind == Evidence::Kind::kEvent && e.reason == "BackOff" && e.count == 23);
  }
  EXPECT_TRUE(backoff);
  ASSERT_NE(last, nullptr);
  EXPECT_TRUE(contains(last->file, "logs/shop/orders-0/migrate.previous.log"));
  EXPECT_EQ(last->line, 4u);
  EXPECT_TRUE(contains(last->value, "FATAL could not connect"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop logs orders-0 -c migrate --previous"));
}

// A last line that only closes a statement begun lines before ("); (details: ...)" after an
// echoed CREATE TABLE): the headline quotes the statement's opening line too, and the evidence
// starts there even when it is more than five lines back.
TEST(ContainerConfigTest, InitContainerLogStatementOverSeveralLinesIsQuotedFromItsStart) {
  const std::string status = R"(    restartCount: 6
    state:
      waiting: {reason: CrashLoopBackOff}
    lastState:
      terminated: {exitCode: 1, reason: Error, finishedAt: "2026-11-29T10:40:41Z"}
)";
  const std::string log =
      "2026/11/29 10:40:38 migrate: applying 42/u add_daily_margin\n"
      "error: migration failed in line 0: CREATE TABLE reporting.daily_margin (\n"
      "    day date NOT NULL,\n"
      "    sku text NOT NULL,\n"
      "    revenue_cents bigint NOT NULL,\n"
      "    cost_cents bigint NOT NULL,\n"
      "    PRIMARY KEY (day, sku)\n"
      "); (details: pq: permission denied for schema reporting)\n";
  auto c = cluster_from({{"snapshot/pods.yaml", orders_pod(status)},
                         {"snapshot/logs/shop/orders-0/migrate.previous.log", log}});
  auto f = diagnose(*c);
  auto r = with_rule(f, "init-container-failing");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary,
                       "; last log lines: error: migration failed in line 0: CREATE TABLE "
                       "reporting.daily_margin ( … ); (details: pq: permission denied for schema "
                       "reporting)"))
      << r[0]->summary;
  std::vector<std::uint32_t> lines;
  for (const Evidence& e : r[0]->evidence) {
    if (e.kind == Evidence::Kind::kLog) lines.push_back(e.line);
  }
  EXPECT_EQ(lines, (std::vector<std::uint32_t>{2, 3, 4, 5, 6, 7, 8}));
}

TEST(ContainerConfigTest, InitContainerThatFailedOnceAndRunsAgainIsNotYetFailing) {
  const std::string status = R"(    restartCount: 1
    state:
      running: {startedAt: "2026-11-29T10:41:00Z"}
    lastState:
      terminated: {exitCode: 1, reason: Error, finishedAt: "2026-11-29T10:40:31Z"}
)";
  auto c = load(orders_pod(status));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "init-container-failing").empty());
}

TEST(ContainerConfigTest, CompletedInitContainerIsFine) {
  const std::string status = R"(    restartCount: 0
    state:
      terminated: {exitCode: 0, reason: Completed, finishedAt: "2026-11-29T10:40:31Z"}
)";
  auto c = load(orders_pod(status, "True"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "init-container-failing").empty());
}

TEST(ContainerConfigTest, ImagePullFailuresAreLeftToTheImagesAnalyzer) {
  auto c = load(api_pod(
      "",
      waiting(
          "ErrImagePull",
          R"(rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/api:3.2.0": failed to resolve reference "registry.example.com/shop/api:3.2.0": registry.example.com/shop/api:3.2.0: not found)")));
  auto f = diagnose(*c);
  EXPECT_EQ(config_findings(f), 0u);
  EXPECT_EQ(with_rule(f, "image-pull-not-found").size(), 1u);
}

TEST(ContainerConfigTest, RealCase007SecretLacksTheKey) {
  const std::vector<std::string> paths = {testing::shared_dir() +
                                          "/cases/007-config-secret-missing-key"};
  auto c = Cluster::build(load_sources(paths));
  auto f = diagnose(*c);
  auto r = with_catalog(f, "POD-WAITING-CONFIG-SECRET-MISSING");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Pod/schemahero-tutorial/postgresql-0");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(contains(r[0]->summary,
                       "Secret schemahero-tutorial/postgresql has no key "
                       "\"postgresql-postgres-password\""));
  EXPECT_TRUE(has_note(*r[0], "is not in the snapshot"));
  // The StatefulSet is not in the snapshot; its ownerReference still names it.
  EXPECT_TRUE(contains(r[0]->fix, "statefulset/postgresql"));
}

}  // namespace
}  // namespace ktriage
