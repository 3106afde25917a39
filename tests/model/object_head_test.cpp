// ObjectHead: identity and newest timestamp read at load, the same as Cluster reads them itself.
#include "model/object_head.h"

#include <gtest/gtest.h>

#include "load/source.h"
#include "model/cluster.h"

namespace ktriage {
namespace {

constexpr std::string_view kObjects = R"({"kind": "PodList", "apiVersion": "v1", "items": [
  {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u1",
                "creationTimestamp": "2026-11-29T10:00:00Z"},
   "status": {"conditions": [{"type": "Ready", "lastTransitionTime": "2026-11-29T10:05:00Z"}],
              "containerStatuses": [{"name": "app", "state": {"running": {
                  "startedAt": "2026-11-29T10:04:00Z"}},
                "lastState": {"terminated": {"finishedAt": "2026-11-29T10:07:30Z"}}}]}},
  {"kind": "ConfigMap", "apiVersion": "v1",
   "metadata": {"name": "settings", "namespace": "shop",
                "creationTimestamp": "2026-11-29T09:00:00Z"},
   "status": {"conditions": [{"lastTransitionTime": "2026-11-30T00:00:00Z"}]}}
]})";

TEST(ObjectHeadTest, ReadsIdentityAndTheNewestTimestampOfPodsAndNodesOnly) {
  Inputs in;
  load_buffer("pods.json", kObjects, in);
  ASSERT_EQ(in.objects.size(), 2u);
  const ObjectHead& pod = in.objects[0].head;
  EXPECT_TRUE(pod.read);
  EXPECT_EQ(in.objects[0].kind, "Pod");  // from the List's kind
  EXPECT_EQ(pod.api_version, "");
  EXPECT_EQ(pod.ns, "shop");
  EXPECT_EQ(pod.name, "web-1");
  EXPECT_EQ(pod.uid, "u1");
  EXPECT_EQ(pod.newest, *parse_rfc3339("2026-11-29T10:07:30Z"));  // lastState's end
  // Any other kind: its creation only, not what its status says.
  const ObjectHead& cm = in.objects[1].head;
  EXPECT_EQ(cm.name, "settings");
  EXPECT_EQ(cm.api_version, "v1");
  EXPECT_EQ(cm.newest, *parse_rfc3339("2026-11-29T09:00:00Z"));
  EXPECT_EQ(read_object_head(Value(), "Pod").newest, 0);
}

// Objects whose loader read no head (helm releases, log-made objects, tests) are read by
// Cluster::build the same way.
TEST(ObjectHeadTest, ClusterReadsTheSameHeadWhenTheLoaderDidNot) {
  Inputs with_heads;
  load_buffer("pods.json", kObjects, with_heads);
  Inputs without_heads;
  load_buffer("pods.json", kObjects, without_heads);
  for (RawObject& raw : without_heads.objects) raw.head = ObjectHead{};
  const auto a = Cluster::build(std::move(with_heads));
  const auto b = Cluster::build(std::move(without_heads));
  ASSERT_EQ(a->objects().size(), b->objects().size());
  for (std::size_t i = 0; i < a->objects().size(); ++i) {
    const Object& x = a->objects()[i];
    const Object& y = b->objects()[i];
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.api_version, y.api_version);
    EXPECT_EQ(x.ns, y.ns);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.uid, y.uid);
  }
  EXPECT_EQ(a->objects()[0].kind, "Pod");
  EXPECT_EQ(a->newest_timestamp(), *parse_rfc3339("2026-11-29T10:07:30Z"));
  EXPECT_EQ(a->newest_timestamp(), b->newest_timestamp());
}

}  // namespace
}  // namespace ktriage
