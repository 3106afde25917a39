// Image pulls: each rule of src/analyzers/images.cpp on a pod built from the kubelet's and the
// runtime's exact messages, a near miss for each, and real-world case 004.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_catalog;
using testing::with_rule;

constexpr std::string_view kImageRules[] = {
    "image-pull-not-found",    "image-pull-unauthorized", "image-pull-network",
    "image-pull-rate-limited", "image-pull-tls",          "image-platform-mismatch",
    "image-invalid-name",      "image-never-pull-absent", "image-pull-backoff"};

/// A YAML single-quoted scalar: kubelet messages hold both ": " and double quotes.
std::string q(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Deployment shop/payments -> ReplicaSet -> Pod payments-7d9c6b5f4-x2kqp on node-a, whose one
/// container `payments` runs `image` and is waiting with `reason` and `message`.
std::string payments(std::string_view image, std::string_view reason, std::string_view message,
                     std::string_view extra_spec = "") {
  return fmt::format(R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: payments, namespace: shop, uid: dep-payments}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: payments}}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: payments-7d9c6b5f4
  namespace: shop
  uid: rs-payments
  ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: payments, uid: dep-payments, controller: true}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: payments-7d9c6b5f4-x2kqp
  namespace: shop
  uid: pod-payments
  labels: {{app: payments}}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: payments-7d9c6b5f4, uid: rs-payments, controller: true}}]
spec:
  nodeName: node-a
{3}  containers:
  - name: payments
    image: {0}
status:
  phase: Pending
  conditions:
  - {{type: PodScheduled, status: "True"}}
  - {{type: Ready, status: "False", reason: ContainersNotReady}}
  containerStatuses:
  - name: payments
    image: {0}
    imageID: ""
    ready: false
    restartCount: 0
    started: false
    state:
      waiting:
        reason: {1}
        message: {2}
)",
                     q(image), reason, q(message), extra_spec);
}

/// A kubelet event about the payments pod.
std::string event(std::string_view reason, std::string_view message, int count = 1,
                  std::string_view type = "Warning",
                  std::string_view pod = "payments-7d9c6b5f4-x2kqp",
                  std::string_view uid = "pod-payments") {
  return fmt::format(R"(---
apiVersion: v1
kind: Event
metadata: {{name: {4}.{6:x}, namespace: shop}}
involvedObject: {{apiVersion: v1, kind: Pod, name: {4}, namespace: shop, uid: {5}, fieldPath: "spec.containers{{payments}}"}}
reason: {0}
type: {3}
source: {{component: kubelet, host: node-a}}
count: {2}
firstTimestamp: "2026-11-29T10:02:11Z"
lastTimestamp: "2026-11-29T10:41:37Z"
message: {1}
)",
                     reason, q(message), count, type, pod, uid,
                     std::hash<std::string_view>{}(message));
}

/// The cluster of `yaml`, which must load cleanly and hold the payments pod (so that a negative
/// test cannot pass on a fixture that failed to load).
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

const Evidence* event_of(const Finding& f, std::string_view reason) {
  for (const Evidence& e : f.evidence) {
    if (e.kind == Evidence::Kind::kEvent && e.reason == reason) return &e;
  }
  return nullptr;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

std::size_t image_findings(const std::vector<Finding>& f) {
  std::size_t n = 0;
  for (std::string_view rule : kImageRules) n += with_rule(f, rule).size();
  return n;
}

constexpr std::string_view kPayments = "registry.example.com/shop/payments:v2.4.1";

TEST(ImagesTest, TagNotFoundIsReadFromTheFailedEventBehindTheBackOff) {
  auto c = load(
      payments(kPayments, "ImagePullBackOff",
               R"(Back-off pulling image "registry.example.com/shop/payments:v2.4.1")") +
      event(
          "Failed",
          R"(Failed to pull image "registry.example.com/shop/payments:v2.4.1": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": registry.example.com/shop/payments:v2.4.1: not found)",
          7) +
      event("Failed", "Error: ErrImagePull", 7) +
      event("BackOff", R"(Back-off pulling image "registry.example.com/shop/payments:v2.4.1")", 140,
            "Normal"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-NOT-FOUND");
  EXPECT_EQ(r[0]->severity, Severity::kCritical);
  EXPECT_EQ(r[0]->object.key(), "Pod/shop/payments-7d9c6b5f4-x2kqp");
  EXPECT_EQ(r[0]->summary,
            "Container payments cannot pull image \"registry.example.com/shop/payments:v2.4.1\": "
            "the tag \"v2.4.1\" does not exist in registry.example.com/shop/payments");
  EXPECT_TRUE(
      has_evidence(*r[0], ".status.containerStatuses[0].state.waiting.reason", "ImagePullBackOff"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].image", kPayments));
  const Evidence* failed = event_of(*r[0], "Failed");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->count, 7);
  EXPECT_TRUE(failed->last_seen.has_value());
  EXPECT_TRUE(contains(failed->value, ": not found"));
  ASSERT_NE(event_of(*r[0], "BackOff"), nullptr);
  EXPECT_EQ(event_of(*r[0], "BackOff")->count, 140);
  EXPECT_TRUE(contains(r[0]->fix,
                       "kubectl -n shop set image deployment/payments "
                       "payments=registry.example.com/shop/payments:<existing-tag>"));
  EXPECT_TRUE(contains(r[0]->fix, "crane ls registry.example.com/shop/payments"));
  EXPECT_EQ(image_findings(f), 1u);
  // The pod's finding explains the Deployment's, not the other way round.
  EXPECT_TRUE(r[0]->caused_by.empty());
}

TEST(ImagesTest, NewerKubeletsCarryThePullErrorInTheBackOffMessage) {
  // v1.32+: the waiting message appends the last pull error; no event is needed.
  auto c = load(payments(
      "nginx:1.99", "ImagePullBackOff",
      R"(Back-off pulling image "nginx:1.99": ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: manifest unknown)"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(
      contains(r[0]->summary, "the tag \"1.99\" does not exist in docker.io/library/nginx"));
  EXPECT_TRUE(contains(r[0]->fix, "set image deployment/payments payments=nginx:<existing-tag>"));
}

TEST(ImagesTest, UntaggedImageMatchesEventsNamingTheDefaultTag) {
  // Recent kubelets name "busybox" as "busybox:latest" in their events.
  auto c = load(
      payments("busybx", "ImagePullBackOff", R"(Back-off pulling image "busybx:latest")") +
      event(
          "Failed",
          R"(Failed to pull image "busybx:latest": failed to pull and unpack image "docker.io/library/busybx:latest": failed to resolve reference "docker.io/library/busybx:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed)",
          4));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-not-found");
  ASSERT_EQ(r.size(), 1u) << "Docker Hub denies missing repositories like private ones";
  EXPECT_TRUE(
      contains(r[0]->summary, "repository docker.io/library/busybx does not exist (or is private"));
  ASSERT_NE(event_of(*r[0], "Failed"), nullptr);
  EXPECT_TRUE(with_rule(f, "image-pull-unauthorized").empty());
}

TEST(ImagesTest, RunningPodWithAnOldPullErrorIsNotReported) {
  std::string yaml = payments(kPayments, "ImagePullBackOff", "x");
  yaml = yaml.substr(0, yaml.find("  containerStatuses:")) + R"(  containerStatuses:
  - name: payments
    image: registry.example.com/shop/payments:v2.4.1
    ready: true
    restartCount: 0
    state:
      running: {startedAt: "2026-11-29T10:30:00Z"}
)";
  auto c = load(
      yaml +
      event(
          "Failed",
          R"(Failed to pull image "registry.example.com/shop/payments:v2.4.1": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": registry.example.com/shop/payments:v2.4.1: not found)",
          3));
  auto f = diagnose(*c);
  EXPECT_EQ(image_findings(f), 0u);
}

TEST(ImagesTest, FinishedPodIsSkipped) {
  // A Job pod stopped by activeDeadlineSeconds keeps its last waiting state; it is the Job's
  // business, not a current pull fault.
  std::string yaml = payments(kPayments, "ErrImagePull",
                              "rpc error: code = NotFound desc = failed to pull and unpack image: "
                              "not found");
  const auto phase = yaml.find("phase: Pending");
  yaml.replace(phase, 14, "phase: Failed\n  reason: DeadlineExceeded");
  auto c = load(yaml);
  auto f = diagnose(*c);
  EXPECT_EQ(image_findings(f), 0u);
}

constexpr std::string_view kUnauthorizedMessage =
    R"(Failed to pull image "registry.example.com/shop/payments:v2.4.1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://registry.example.com/service/token?scope=repository%3Ashop%2Fpayments%3Apull&service=harbor-registry: 401 Unauthorized)";

TEST(ImagesTest, UnauthorizedPullNamesAPullSecretLeftInAnotherNamespace) {
  auto c = load(
      payments(kPayments, "ErrImagePull",
               std::string(kUnauthorizedMessage.substr(kUnauthorizedMessage.find("rpc error"))),
               "  imagePullSecrets: [{name: regcred}]\n") +
      event("Failed", kUnauthorizedMessage, 5) + R"(---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: default}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: eyJhdXRocyI6e319}
---
apiVersion: v1
kind: Secret
metadata: {name: payments-db, namespace: shop}
type: Opaque
data: {password: c2VjcmV0}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PULL-UNAUTHORIZED");
  EXPECT_TRUE(
      contains(r[0]->summary, "registry registry.example.com refuses access (401 Unauthorized)"));
  EXPECT_TRUE(contains(r[0]->summary,
                       "pull Secret regcred does not exist in namespace shop; it exists in "
                       "namespace default only"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.imagePullSecrets", "regcred"));
  EXPECT_TRUE(contains(r[0]->fix,
                       "kubectl -n shop create secret docker-registry regcred "
                       "--docker-server=registry.example.com"));
  for (const Evidence& e : r[0]->evidence) {
    EXPECT_FALSE(contains(e.value, "eyJhdXRocyI6e319")) << "Secret data must never be shown";
  }
}

// The pod's pull Secret exists but the registry refuses it: the fix adds a Secret for this
// registry next to it. Recreating the Secret (kubectl create secret docker-registry | apply)
// would replace every registry it holds with this one and break the other images' pulls.
TEST(ImagesTest, RefusedCredentialsAddASecretNextToTheOneThePodHas) {
  auto c = load(
      payments(kPayments, "ErrImagePull",
               std::string(kUnauthorizedMessage.substr(kUnauthorizedMessage.find("rpc error"))),
               "  imagePullSecrets: [{name: regcred}]\n") +
      event("Failed", kUnauthorizedMessage, 5) + R"(---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: shop}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: eyJhdXRocyI6e319}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  // regcred holds {"auths":{}}: no registry, as its registries read at load show.
  EXPECT_TRUE(contains(r[0]->summary, "its pull Secret regcred holds credentials for no registry"))
      << r[0]->summary;
  EXPECT_TRUE(has_evidence(*r[0], ".data registries (read at load)", "(none)"));
  EXPECT_TRUE(
      contains(r[0]->fix, "No pull Secret of the pod holds credentials for registry.example.com"))
      << r[0]->fix;
  EXPECT_TRUE(contains(r[0]->fix,
                       "kubectl -n shop create secret docker-registry pull-registry "
                       "--docker-server=registry.example.com"))
      << r[0]->fix;
  EXPECT_TRUE(
      contains(r[0]->fix, "list pull-registry under imagePullSecrets in deployment/payments"))
      << r[0]->fix;
  EXPECT_FALSE(contains(r[0]->fix, "create secret docker-registry regcred")) << r[0]->fix;
  EXPECT_FALSE(contains(r[0]->fix, "kubectl apply")) << r[0]->fix;
}

// The pod's pull Secret for `config` (the .dockerconfigjson, base64) and a refused pull.
std::vector<Finding> refused_with(std::string_view config) {
  auto c = load(
      payments(kPayments, "ErrImagePull",
               std::string(kUnauthorizedMessage.substr(kUnauthorizedMessage.find("rpc error"))),
               "  imagePullSecrets: [{name: regcred}]\n") +
      event("Failed", kUnauthorizedMessage, 5) +
      "---\napiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: shop}\ntype: "
      "kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: " +
      std::string(config) + "}\n");
  return diagnose(*c);
}

// The Secret holds this very registry: the credentials themselves are refused. Holding only it,
// the Secret is renewed whole; holding others too, only its entry.
TEST(ImagesTest, RefusedCredentialsOfTheRightRegistryAreRenewed) {
  // {"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNz"}}}
  auto only = refused_with(
      "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiZFhObGNqcHdZWE56In19fQ==");
  auto r = with_rule(only, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->fix,
                       "Secret regcred holds credentials for registry.example.com, "
                       "and registry.example.com refuses them"))
      << r[0]->fix;
  EXPECT_TRUE(contains(r[0]->fix, "Renew them: kubectl -n shop delete secret regcred;"))
      << r[0]->fix;
  EXPECT_TRUE(has_evidence(*r[0], ".data registries (read at load)", "registry.example.com"));
  for (const Evidence& e : r[0]->evidence) EXPECT_FALSE(contains(e.value, "dXNlcjpwYXNz"));
  // ... and ghcr.io too.
  auto two = refused_with(
      "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiZFhObGNqcHdZWE56In0sImdoY3IuaW8i"
      "OnsiYXV0aCI6ImVBPT0ifX19");
  auto t = with_rule(two, "image-pull-unauthorized");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(contains(t[0]->fix, "it holds other registries too")) << t[0]->fix;
  EXPECT_FALSE(contains(t[0]->fix, "delete secret regcred")) << t[0]->fix;
}

// An image on an ACR instance's VPC endpoint with a Secret for its public endpoint: the same
// credentials, but a docker config entry serves one host.
TEST(ImagesTest, AcrPublicEndpointSecretForAVpcEndpointImage) {
  std::string yaml = payments(
      "acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com/shop/payments:v2.4.1", "ErrImagePull",
      "rpc error: code = Unknown desc = failed to pull and unpack image: pull access denied, "
      "repository does not exist or may require authorization: insufficient_scope",
      "  imagePullSecrets: [{name: regcred}]\n");
  // {"auths":{"https://acme-registry.cn-hangzhou.cr.aliyuncs.com/v2/":{"auth":"dXNlcjpwYXNz"}}}
  yaml +=
      "---\napiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: shop}\ntype: "
      "kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: "
      "eyJhdXRocyI6eyJodHRwczovL2FjbWUtcmVnaXN0cnkuY24taGFuZ3pob3UuY3IuYWxpeXVuY3MuY29tL3YyLyI6eyJh"
      "dXRoIjoiZFhObGNqcHdZWE56In19fQ==}\n";
  auto f = diagnose(*load(yaml));
  auto r = with_rule(f, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary,
                       "its pull Secret regcred holds credentials for "
                       "acme-registry.cn-hangzhou.cr.aliyuncs.com only"))
      << r[0]->summary;
  EXPECT_TRUE(contains(r[0]->fix, "regcred holds the other endpoint of the same ACR instance"))
      << r[0]->fix;
}

TEST(ImagesTest, UnauthorizedPullWithoutAnyPullSecretAttachesOneToTheServiceAccount) {
  auto c = load(payments(kPayments, "ImagePullBackOff",
                         R"(Back-off pulling image "registry.example.com/shop/payments:v2.4.1")") +
                event("Failed", kUnauthorizedMessage, 2) + R"(---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(
      contains(r[0]->summary, "neither the pod nor ServiceAccount default lists imagePullSecrets"));
  EXPECT_TRUE(has_evidence(*r[0], ".imagePullSecrets", "(none)"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop patch serviceaccount default"));
  EXPECT_TRUE(with_rule(f, "image-pull-not-found").empty());
}

TEST(ImagesTest, PrivateRegistryWithoutCredentialsAndNoErrorIsInferredUnauthorized) {
  auto c = load(payments(kPayments, "ImagePullBackOff",
                         R"(Back-off pulling image "registry.example.com/shop/payments:v2.4.1")"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-unauthorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, "is private and neither the pod nor ServiceAccount default"));
  EXPECT_TRUE(contains(r[0]->summary, "no pull error recorded"));
}

TEST(ImagesTest, ManifestNotFoundIsNotAnAuthProblem) {
  auto c = load(payments(
      kPayments, "ErrImagePull",
      R"(rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": registry.example.com/shop/payments:v2.4.1: not found)"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "image-pull-unauthorized").empty());
  EXPECT_TRUE(with_rule(f, "image-pull-rate-limited").empty());
  EXPECT_TRUE(with_rule(f, "image-platform-mismatch").empty())
      << "\"manifest\" alone is no platform";
  EXPECT_EQ(with_rule(f, "image-pull-not-found").size(), 1u);
}

TEST(ImagesTest, UnreachableRegistry) {
  auto c = load(payments(
      kPayments, "ErrImagePull",
      R"(rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": failed to do request: Head "https://registry.example.com/v2/shop/payments/manifests/v2.4.1": dial tcp 10.20.0.15:443: i/o timeout)"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-network");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PULL-NETWORK");
  EXPECT_TRUE(
      contains(r[0]->summary,
               "registry registry.example.com is unreachable from node node-a (i/o timeout)"));
  EXPECT_TRUE(
      has_evidence(*r[0], ".status.containerStatuses[0].state.waiting.message", "dial tcp"));
  EXPECT_TRUE(contains(r[0]->fix, "curl -sv https://registry.example.com/v2/"));
  EXPECT_TRUE(with_rule(f, "image-pull-tls").empty());
}

TEST(ImagesTest, UntrustedCertificateIsTlsNotNetwork) {
  auto c = load(payments(
      kPayments, "ErrImagePull",
      R"(rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/payments:v2.4.1": failed to resolve reference "registry.example.com/shop/payments:v2.4.1": failed to do request: Head "https://registry.example.com/v2/shop/payments/manifests/v2.4.1": tls: failed to verify certificate: x509: certificate signed by unknown authority)"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-tls");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PULL-TLS");
  EXPECT_TRUE(
      contains(r[0]->summary, "does not trust registry registry.example.com's TLS certificate"));
  EXPECT_TRUE(contains(r[0]->fix, "/etc/containerd/certs.d/registry.example.com/hosts.toml"));
  EXPECT_TRUE(with_rule(f, "image-pull-network").empty());
}

TEST(ImagesTest, DockerHubRateLimit) {
  auto c = load(
      payments("redis:7.2", "ImagePullBackOff", R"(Back-off pulling image "redis:7.2")") +
      event(
          "Failed",
          R"(Failed to pull image "redis:7.2": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/redis:7.2": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/redis/manifests/sha256:5a93f6b2e391b78e8bd3f9e7e1e1e06aeb5295043b4703fb88392835cec924a0: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit)",
          12));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-rate-limited");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PULL-NETWORK");
  EXPECT_TRUE(contains(r[0]->summary, "rate limit: registry docker.io refuses more pulls"));
  EXPECT_TRUE(contains(r[0]->fix, "pull-through cache"));
  EXPECT_TRUE(with_rule(f, "image-pull-not-found").empty())
      << "\"manifests\" in the URL is no not-found";
}

TEST(ImagesTest, PlatformMismatchNamesTheNodeArchitecture) {
  auto c = load(
      payments("shop/legacy-billing:3.1", "ErrImagePull",
               "rpc error: code = Unknown desc = Error response from daemon: no matching manifest "
               "for linux/arm64 in the manifest list entries") +
      R"(---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/arch: arm64, kubernetes.io/os: linux}
status:
  nodeInfo: {architecture: arm64, operatingSystem: linux}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-platform-mismatch");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PLATFORM-MISMATCH");
  EXPECT_TRUE(contains(r[0]->summary, "no variant for linux/arm64 (node node-a is arm64)"));
  EXPECT_TRUE(has_evidence(*r[0], ".metadata.labels[kubernetes.io/arch]", "arm64"));
  EXPECT_TRUE(contains(r[0]->fix, "--platform linux/amd64,linux/arm64"));
}

TEST(ImagesTest, UppercaseRepositoryIsAnInvalidName) {
  const std::string image = "registry.example.com/Shop/Payments:v2.4.1";
  auto c = load(
      payments(
          image, "InvalidImageName",
          R"(Failed to apply default image tag "registry.example.com/Shop/Payments:v2.4.1": couldn't parse image reference "registry.example.com/Shop/Payments:v2.4.1": invalid reference format: repository name must be lowercase)") +
      event(
          "InspectFailed",
          R"(Failed to apply default image tag "registry.example.com/Shop/Payments:v2.4.1": couldn't parse image reference "registry.example.com/Shop/Payments:v2.4.1": invalid reference format: repository name must be lowercase)",
          9) +
      event("Failed", "Error: InvalidImageName", 9));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-invalid-name");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-INVALID-IMAGE-NAME");
  EXPECT_TRUE(contains(r[0]->summary, "repository name must be lowercase (\"Shop/Payments\")"));
  ASSERT_NE(event_of(*r[0], "InspectFailed"), nullptr);
  EXPECT_EQ(event_of(*r[0], "InspectFailed")->count, 9);
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop set image deployment/payments"));
}

TEST(ImagesTest, UnrenderedTemplateIsAnInvalidName) {
  auto c = load(payments(
      "registry.example.com/shop/payments:{{ .Values.image.tag }}", "InvalidImageName",
      R"(Failed to apply default image tag "registry.example.com/shop/payments:{{ .Values.image.tag }}": couldn't parse image name "registry.example.com/shop/payments:{{ .Values.image.tag }}": invalid reference format)"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-invalid-name");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, "the reference is invalid: it holds an unrendered template"));
}

TEST(ImagesTest, ValidImagesOfRunningPodsAreNoInvalidName) {
  std::string yaml =
      payments("registry.example.com/shop/payments@sha256:4f1c2d", "InvalidImageName", "");
  yaml = yaml.substr(0, yaml.find("    state:")) +
         "    state:\n      running: {startedAt: \"2026-11-29T10:30:00Z\"}\n";
  auto c = load(yaml);
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "image-invalid-name").empty());
}

TEST(ImagesTest, NeverPullPolicyWithTheImageAbsent) {
  std::string yaml =
      payments("shop/payments:dev", "ErrImageNeverPull",
               R"(Container image "shop/payments:dev" is not present with pull policy of Never)");
  const std::string image_line = "    image: 'shop/payments:dev'\n";
  yaml.insert(yaml.find(image_line) + image_line.size(), "    imagePullPolicy: Never\n");
  auto c = load(
      yaml +
      event("ErrImageNeverPull",
            R"(Container image "shop/payments:dev" is not present with pull policy of Never)", 6));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-never-pull-absent");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-ERR-IMAGE-NEVER-PULL");
  EXPECT_TRUE(contains(r[0]->summary,
                       "imagePullPolicy is Never and the image is not present on node node-a"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.containers[0].imagePullPolicy", "Never"));
  ASSERT_NE(event_of(*r[0], "ErrImageNeverPull"), nullptr);
  EXPECT_TRUE(contains(r[0]->fix, "imagePullPolicy: IfNotPresent"));
}

TEST(ImagesTest, NeverPullPolicyWithTheImagePresentIsFine) {
  std::string yaml = payments("shop/payments:dev", "ErrImageNeverPull", "");
  yaml = yaml.substr(0, yaml.find("    state:")) +
         "    state:\n      running: {startedAt: \"2026-11-29T10:30:00Z\"}\n";
  auto c = load(yaml + event("Pulled",
                             R"(Container image "shop/payments:dev" already present on machine)", 1,
                             "Normal"));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "image-never-pull-absent").empty());
}

TEST(ImagesTest, BackOffWithoutAnyErrorOnAPublicRegistry) {
  auto c =
      load(payments("quay.io/prometheus/node-exporter:v1.8.1", "ImagePullBackOff",
                    R"(Back-off pulling image "quay.io/prometheus/node-exporter:v1.8.1")") +
           event("BackOff", R"(Back-off pulling image "quay.io/prometheus/node-exporter:v1.8.1")",
                 33, "Normal"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-backoff");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-WAITING-IMAGE-PULL-BACKOFF");
  EXPECT_TRUE(contains(r[0]->summary, "backing off and the snapshot holds no pull error"));
  EXPECT_TRUE(contains(r[0]->fix, "kubectl -n shop describe pod payments-7d9c6b5f4-x2kqp"));
  EXPECT_EQ(image_findings(f), 1u);
}

TEST(ImagesTest, UnrecognisedErrorIsQuotedByTheUmbrellaRule) {
  auto c = load(payments(
      "quay.io/prometheus/node-exporter:v1.8.1", "ImagePullBackOff",
      R"(Back-off pulling image "quay.io/prometheus/node-exporter:v1.8.1": ErrImagePull: failed to pull and unpack image "quay.io/prometheus/node-exporter:v1.8.1": failed to extract layer sha256:1b9c6b1e: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/118/fs/bin/node_exporter: no space left on device: unknown)"));
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-backoff");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(contains(r[0]->summary, ": ErrImagePull: failed to pull and unpack image"))
      << r[0]->summary;
  EXPECT_FALSE(contains(r[0]->summary, "holds no pull error"));
}

TEST(ImagesTest, BackOffWithAKnownCauseIsNotTheUmbrellaRule) {
  auto c = load(
      payments("quay.io/prometheus/node-exporter:v9.9.9", "ImagePullBackOff",
               R"(Back-off pulling image "quay.io/prometheus/node-exporter:v9.9.9")") +
      event(
          "Failed",
          R"(Failed to pull image "quay.io/prometheus/node-exporter:v9.9.9": rpc error: code = NotFound desc = failed to pull and unpack image "quay.io/prometheus/node-exporter:v9.9.9": failed to resolve reference "quay.io/prometheus/node-exporter:v9.9.9": quay.io/prometheus/node-exporter:v9.9.9: not found)",
          3));
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "image-pull-backoff").empty());
  EXPECT_EQ(with_rule(f, "image-pull-not-found").size(), 1u);
}

TEST(ImagesTest, InitContainerPullFailureUsesItsStatusPath) {
  auto c = load(R"(---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop, uid: pod-api-0}
spec:
  nodeName: node-a
  initContainers:
  - {name: wait-db, image: "busybox:1.36.9"}
  containers:
  - {name: api, image: "registry.example.com/shop/api:1.0.0"}
status:
  phase: Pending
  initContainerStatuses:
  - name: wait-db
    image: busybox:1.36.9
    ready: false
    restartCount: 0
    state:
      waiting:
        reason: ErrImagePull
        message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:1.36.9": failed to resolve reference "docker.io/library/busybox:1.36.9": docker.io/library/busybox:1.36.9: not found'
  containerStatuses:
  - name: api
    image: registry.example.com/shop/api:1.0.0
    ready: false
    restartCount: 0
    state:
      waiting: {reason: PodInitializing}
)");
  auto f = diagnose(*c);
  auto r = with_rule(f, "image-pull-not-found");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(
      contains(r[0]->summary, "Init container wait-db cannot pull image \"busybox:1.36.9\""));
  EXPECT_TRUE(
      has_evidence(*r[0], ".status.initContainerStatuses[0].state.waiting.reason", "ErrImagePull"));
  EXPECT_TRUE(has_evidence(*r[0], ".spec.initContainers[0].image", "busybox:1.36.9"));
  EXPECT_TRUE(
      contains(r[0]->fix, "kubectl -n shop set image pod/api-0 wait-db=busybox:<existing-tag>"));
  EXPECT_TRUE(with_rule(f, "init-container-failing").empty()) << "images.cpp covers it";
}

TEST(ImagesTest, RealCase004ChartBuildsANonexistentTag) {
  const std::vector<std::string> paths = {testing::shared_dir() +
                                          "/cases/004-imagepull-chart-builds-nonexistent-tag"};
  auto c = Cluster::build(load_sources(paths));
  auto f = diagnose(*c);
  auto r = with_catalog(f, "POD-WAITING-IMAGE-NOT-FOUND");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Pod/default/px-hook-preinstall-clean-djmb2");
  EXPECT_TRUE(r[0]->caused_by.empty());
  EXPECT_TRUE(contains(r[0]->summary,
                       "the tag \"v1.8.7-rancher1\" does not exist in "
                       "docker.io/lachlanevenson/k8s-kubectl"));
  EXPECT_TRUE(
      contains(r[0]->fix, "kubectl -n default set image pod/px-hook-preinstall-clean-djmb2"));
}

}  // namespace
}  // namespace ktriage
