// pod_template: where each workload kind keeps its pod spec, its replica count with the API's
// default, and which pods run to completion.
#include "model/pod_template.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;

TEST(PodTemplateTest, EachKindsSpecPathReplicasAndCompletion) {
  auto cluster = cluster_from_yaml(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\n"
      "spec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c}]}}}\n"
      "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s, namespace: a}\n"
      "spec: {replicas: 3, template: {spec: {}}}\n"
      "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: a}\n"
      "spec: {template: {spec: {}}}\n"
      "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\n"
      "spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: cj}}, spec: {}}}}}\n"
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\n"
      "spec: {restartPolicy: Never}\n"
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n");
  auto of = [&](std::string_view kind) { return pod_template(*cluster->of_kind(kind)[0]); };

  auto d = of("Deployment");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->spec_path, ".spec.template.spec");
  EXPECT_EQ(d->replicas, 1) << "an absent spec.replicas is 1";
  EXPECT_EQ((*d->labels)["app"].str(), "d");
  EXPECT_EQ((*d->spec)["containers"].size(), 1u);
  EXPECT_FALSE(d->runs_to_completion);

  EXPECT_EQ(of("StatefulSet")->replicas, 3);
  EXPECT_EQ(of("DaemonSet")->replicas, 0) << "one per node, not set by the user";

  auto cj = of("CronJob");
  ASSERT_TRUE(cj);
  EXPECT_EQ(cj->spec_path, ".spec.jobTemplate.spec.template.spec");
  EXPECT_EQ((*cj->labels)["app"].str(), "cj");
  EXPECT_EQ(labels_path(*cj), ".spec.jobTemplate.spec.template.metadata.labels");
  EXPECT_TRUE(cj->runs_to_completion);
  EXPECT_EQ(effective_namespace(*cluster->of_kind("CronJob")[0]), "default");

  auto p = of("Pod");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->spec_path, ".spec");
  EXPECT_EQ((*p->labels)["app"].str(), "p");
  EXPECT_EQ(labels_path(*p), ".metadata.labels");
  EXPECT_TRUE(p->runs_to_completion) << "restartPolicy Never";

  EXPECT_FALSE(of("Service"));
}

}  // namespace
}  // namespace ktriage
