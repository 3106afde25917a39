#include "model/cluster.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <limits>

#include "load/source.h"
#include "model/pod.h"
#include "model/scheduling.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;

TEST(ClusterTest, OwnerChainAndIndexes) {
  auto c = cluster_from_yaml(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d9c
  namespace: shop
  uid: r1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9c-x2b
  namespace: shop
  uid: p1
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9c, uid: r1, controller: true}]
spec: {nodeName: n1, containers: [{name: web, image: nginx}]}
)");
  const Object* pod = c->find("Pod", "shop", "web-7d9c-x2b");
  ASSERT_NE(pod, nullptr);
  EXPECT_EQ(c->top_owner(*pod).name, "web");
  EXPECT_EQ(c->controller(*pod)->name, "web-7d9c");
  EXPECT_EQ(c->pods_on_node("n1").size(), 1u);
  EXPECT_EQ(c->children(*c->find("ReplicaSet", "shop", "web-7d9c")).size(), 1u);
  EXPECT_EQ(c->find_uid("r1")->kind, "ReplicaSet");
}

// The loader's records are freed once the objects are indexed: each object still reads its own
// tree, applied configuration and managers, also when only some objects have them.
TEST(ClusterTest, ObjectsKeepTheirTreesAfterTheLoadersRecordsAreFreed) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: shop}
data: {k: one}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"ConfigMap","data":{"k":"two"}}'
  managedFields:
  - {apiVersion: v1, manager: kubectl-client-side-apply, operation: Update}
data: {k: two}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: managed
  namespace: shop
  managedFields:
  - {apiVersion: v1, manager: helm, operation: Update}
data: {k: three}
)");
  const Object* plain = c->find("ConfigMap", "shop", "plain");
  const Object* applied = c->find("ConfigMap", "shop", "applied");
  const Object* managed = c->find("ConfigMap", "shop", "managed");
  ASSERT_TRUE(plain != nullptr && applied != nullptr && managed != nullptr);
  EXPECT_EQ((*plain)["data"]["k"].str(), "one");
  EXPECT_EQ((*applied)["data"]["k"].str(), "two");
  EXPECT_EQ((*managed)["data"]["k"].str(), "three");
  EXPECT_TRUE(plain->last_applied->is_null());
  EXPECT_TRUE(plain->managed_fields->is_null());
  EXPECT_EQ((*applied->last_applied)["data"]["k"].str(), "two");
  EXPECT_EQ((*applied->managed_fields)[0]["manager"].str(), "kubectl-client-side-apply");
  EXPECT_TRUE(managed->last_applied->is_null());
  EXPECT_EQ((*managed->managed_fields)[0]["manager"].str(), "helm");
}

TEST(ClusterTest, TheSameEventReadTwiceCountsOnce) {
  const std::string event = R"(---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: BackOff
message: Back-off restarting failed container
type: Warning
count: 5
lastTimestamp: "2026-11-29T10:30:00Z"
)";
  const std::string other = R"(---
apiVersion: v1
kind: Event
metadata: {name: e2, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: BackOff
message: Back-off restarting failed container
type: Warning
count: 2
lastTimestamp: "2026-11-29T10:31:00Z"
)";
  // A folder and its own archive: e1 twice. A different Event of the same text still adds up.
  auto c =
      testing::cluster_from({{"dump/events.yaml", event + other}, {"dump.tgz:events.yaml", event}});
  ASSERT_EQ(c->events().size(), 1u);
  EXPECT_EQ(c->events()[0].count, 7);
}

// The same pod read from a folder and from stdin: one pod everywhere but objects(), and the
// first copy is the one indexed. Nameless objects are each their own.
TEST(ClusterTest, AnObjectReadTwiceIsIndexedOnceFirstCopyFirst) {
  const std::string pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, uid: p1, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: web, image: nginx:1}]}
)";
  std::string later = pod;
  later.replace(later.find("nginx:1"), 7, "nginx:2");
  const std::string nameless =
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: shop}\n";
  auto c =
      testing::cluster_from({{"dump/pods.yaml", pod + nameless}, {"stdin.yaml", later + nameless}});
  EXPECT_EQ(c->objects().size(), 4u);
  EXPECT_EQ(c->repeated_objects(), 1u);
  ASSERT_EQ(c->of_kind("Pod").size(), 1u);
  EXPECT_EQ(c->of_kind("Pod")[0]->spec()["containers"][0]["image"].str(), "nginx:1");
  EXPECT_EQ(c->pods_on_node("n1").size(), 1u);
  EXPECT_EQ(c->pods_in("shop").size(), 1u);
  EXPECT_EQ(c->pods_with_label("shop", "app", "web").size(), 1u);
  EXPECT_EQ(c->of_kind("ConfigMap").size(), 2u);
}

// Same kind, namespace and name but another API group (a Knative Service beside a core
// Service), or another uid: two objects, both indexed. Lint keeps every copy.
TEST(ClusterTest, ObjectsOfAnotherGroupOrUidAreNotCopies) {
  const std::string core = R"(---
apiVersion: v1
kind: Service
metadata: {name: hello, namespace: default}
spec: {selector: {app: helo}}
)";
  const std::string knative = R"(---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: default}
)";
  auto c = testing::cluster_from({{"ksvc.yaml", knative}, {"services.yaml", core}});
  EXPECT_EQ(c->of_kind("Service").size(), 2u);
  EXPECT_EQ(c->repeated_objects(), 0u);
  const std::string a =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: s, uid: u1}\n";
  const std::string b =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: s, uid: u2}\n";
  EXPECT_EQ(testing::cluster_from({{"a.yaml", a}, {"b.yaml", b}})->of_kind("Pod").size(), 2u);
  EXPECT_EQ(testing::cluster_from({{"a.yaml", a}, {"b.yaml", a}})->of_kind("Pod").size(), 1u);

  Inputs manifests;
  manifests.merge_repeats = false;
  load_buffer("base/web.yaml", a, manifests);
  load_buffer("prod/web.yaml", a, manifests);
  auto lint = Cluster::build(std::move(manifests));
  EXPECT_EQ(lint->of_kind("Pod").size(), 2u);
  EXPECT_EQ(lint->repeated_objects(), 0u);
}

TEST(ClusterTest, EventsFromBothApisAreNormalisedAndAggregated) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, uid: p1}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: BackOff
message: Back-off restarting failed container
type: Warning
count: 5
firstTimestamp: "2026-11-29T10:00:00Z"
lastTimestamp: "2026-11-29T10:30:00Z"
source: {component: kubelet}
---
apiVersion: v1
kind: Event
metadata: {name: e2, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: BackOff
message: Back-off restarting failed container
type: Warning
count: 2
firstTimestamp: "2026-11-29T09:00:00Z"
lastTimestamp: "2026-11-29T10:40:00Z"
source: {component: kubelet}
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e3, namespace: shop}
regarding: {kind: Pod, name: web-1, namespace: shop, uid: p1}
reason: Unhealthy
note: "Readiness probe failed: HTTP probe failed with statuscode: 503"
type: Warning
reportingController: kubelet
eventTime: "2026-11-29T10:20:00.000000Z"
series: {count: 7, lastObservedTime: "2026-11-29T10:41:00.000000Z"}
)");
  const Object* pod = c->find("Pod", "shop", "web-1");
  auto events = c->events_for(*pod);
  ASSERT_EQ(events.size(), 2u);
  const Event* backoff = events[0].reason == "BackOff" ? &events[0] : &events[1];
  const Event* unhealthy = events[0].reason == "Unhealthy" ? &events[0] : &events[1];
  EXPECT_EQ(backoff->count, 7);
  EXPECT_EQ(format_rfc3339(*backoff->first_seen), "2026-11-29T09:00:00Z");
  EXPECT_EQ(format_rfc3339(*backoff->last_seen), "2026-11-29T10:40:00Z");
  EXPECT_EQ(unhealthy->count, 7);
  EXPECT_EQ(unhealthy->component, "kubelet");
  EXPECT_EQ(unhealthy->message, "Readiness probe failed: HTTP probe failed with statuscode: 503");
  EXPECT_EQ(format_rfc3339(*unhealthy->last_seen), "2026-11-29T10:41:00Z");
  // The snapshot's time is its newest timestamp, not the wall clock.
  EXPECT_EQ(format_rfc3339(c->now()), "2026-11-29T10:41:00Z");
}

// Events listed out of order, so that sorting them moves them along cycles longer than a swap:
// they come out grouped by object, each repeat folded into one with its counts summed.
TEST(ClusterTest, EventsListedOutOfOrderAreGroupedAndFolded) {
  auto event = [](std::string_view name, std::string_view pod, std::string_view reason, int count,
                  std::string_view last) {
    return fmt::format(R"(---
apiVersion: v1
kind: Event
metadata: {{name: {0}, namespace: shop}}
involvedObject: {{kind: Pod, name: {1}, namespace: shop, uid: u-{1}}}
reason: {2}
message: m-{2}
type: Warning
count: {3}
lastTimestamp: "2026-11-29T10:{4}:00Z"
)",
                       name, pod, reason, count, last);
  };
  auto c = cluster_from_yaml(event("e1", "c", "X", 1, "01") + event("e2", "a", "Y", 2, "02") +
                             event("e3", "b", "X", 3, "03") + event("e4", "a", "Y", 4, "04") +
                             event("e5", "c", "X", 5, "05") + event("e6", "b", "Z", 6, "06") +
                             event("e7", "a", "X", 7, "07"));
  std::vector<std::string> seen;
  for (const Event& e : c->events()) {
    seen.push_back(fmt::format("{}/{}x{}@{}", e.name, e.reason, e.count,
                               format_rfc3339(*e.last_seen).substr(14, 2)));
  }
  // Within an object oldest first, as kubectl describe lists them.
  EXPECT_EQ(seen,
            (std::vector<std::string>{"a/Yx6@04", "a/Xx7@07", "b/Xx3@03", "b/Zx6@06", "c/Xx6@05"}));
}

TEST(ClusterTest, NowFlagOverridesSnapshotTime) {
  auto c = cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a, creationTimestamp: '2020-01-01T00:00:00Z'}\n",
      parse_rfc3339("2026-01-01T00:00:00Z"));
  EXPECT_EQ(format_rfc3339(c->now()), "2026-01-01T00:00:00Z");
  EXPECT_TRUE(c->now_from_flag());
}

TEST(PodViewTest, EffectiveRequestsTakeTheLargestInitContainer) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  initContainers:
  - name: init
    resources: {requests: {cpu: "2", memory: 64Mi}}
  containers:
  - name: a
    resources: {requests: {cpu: 500m, memory: 128Mi}}
  - name: b
    resources: {limits: {cpu: 250m, nvidia.com/gpu: 1}}
)");
  auto req = PodView(*c->find("Pod", "", "a")).requests();
  EXPECT_EQ(req["cpu"], 2000);
  EXPECT_EQ(req["memory"], 128LL * 1024 * 1024 * 1000);
  EXPECT_EQ(req["nvidia.com/gpu"], 1000);
}

// Hand-written numbers too large for milli-units are no request (as parse_quantity says of
// such strings), and sums stop at the int64 limit: they used to overflow (UBSan, fuzzing).
TEST(PodViewTest, RequestsTooLargeForMilliUnitsNeitherWrapNorCount) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - name: a
    resources: {requests: {cpu: 9223372036854775807, memory: 9P}}
  - name: b
    resources: {requests: {cpu: 1, memory: 9P}}
)");
  auto req = PodView(*c->find("Pod", "", "a")).requests();
  EXPECT_EQ(req["cpu"], 1000);
  EXPECT_EQ(req["memory"], std::numeric_limits<MilliQuantity>::max());
}

TEST(SchedulingTest, TolerationsAndSelectors) {
  auto c = cluster_from_yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  tolerations:
  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
  nodeSelector: {pool: gpu}
---
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {pool: gpu}}
spec:
  taints:
  - {key: dedicated, value: gpu, effect: NoSchedule}
  - {key: other, effect: NoExecute}
)");
  const Object& pod = *c->find("Pod", "", "p");
  const Object& node = *c->find("Node", "", "n1");
  EXPECT_TRUE(tolerates(pod.spec()["tolerations"], node.spec()["taints"][0]));
  EXPECT_FALSE(tolerates(pod.spec()["tolerations"], node.spec()["taints"][1]));
  EXPECT_TRUE(node_affinity_admits(pod, node));
  EXPECT_EQ(taint_string(node.spec()["taints"][0]), "dedicated=gpu:NoSchedule");
}

}  // namespace
}  // namespace ktriage
