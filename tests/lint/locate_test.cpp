// locate: evidence paths inside objects become file:line:col, in YAML documents, JSON Lists and
// for evidence about another object than the finding's.
#include "lint/locate.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::cluster_from;

Finding finding_on(std::string kind, std::string ns, std::string name) {
  Finding f;
  f.object = ObjectRef{std::move(kind), std::move(ns), std::move(name), ""};
  return f;
}

TEST(ParsePathTest, KeysIndicesAndBracketedKeys) {
  auto steps = parse_path(".spec.containers[2].env[0][app.kubernetes.io/name]");
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0].key, "spec");
  EXPECT_EQ(steps[2].index, 2);
  EXPECT_EQ(steps[4].index, 0);
  EXPECT_EQ(steps[5].key, "app.kubernetes.io/name");
  EXPECT_EQ(parse_path("kind").size(), 1u);
  EXPECT_TRUE(parse_path("").empty());
}

const std::string kTwoDocs =
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: a, namespace: ns}\n"
    "---\n"
    "apiVersion: apps/v1\n"  // 5
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  namespace: ns\n"
    "spec:\n"  // 10
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: nginx:latest\n";  // 15

TEST(LocateFieldsTest, PathInTheSecondDocumentOfAFile) {
  auto cluster = cluster_from({{"k8s/app.yaml", kTwoDocs}});
  std::vector<Finding> fs{finding_on("Deployment", "ns", "web")};
  fs[0].evidence.push_back(
      Evidence::field("", ".spec.template.spec.containers[0].image", "nginx:latest"));
  fs[0].evidence.push_back(Evidence::field("", ".spec.template.spec.containers[0].resources", ""));
  fs[0].evidence.push_back(Evidence::field("configmap/a", ".metadata.name", "a"));
  fs[0].evidence.push_back(Evidence::note("no path"));
  locate_fields(*cluster, fs);
  EXPECT_EQ(fs[0].evidence[0].file, "k8s/app.yaml");
  EXPECT_EQ(fs[0].evidence[0].line, 15u);
  EXPECT_EQ(fs[0].evidence[0].column, 16u);
  // Absent: the nearest node that exists, the container.
  EXPECT_EQ(fs[0].evidence[1].line, 14u);
  EXPECT_EQ(fs[0].evidence[1].column, 9u);
  // Another object's field, in the same file.
  EXPECT_EQ(fs[0].evidence[2].line, 3u);
  EXPECT_EQ(fs[0].evidence[2].column, 18u);
  EXPECT_EQ(fs[0].evidence[3].line, 0u);
}

TEST(LocateFieldsTest, AnUnknownFieldPointsAtItsKey) {
  auto cluster = cluster_from({{"k8s/app.yaml", kTwoDocs}});
  std::vector<Finding> fs{finding_on("Deployment", "ns", "web")};
  fs[0].evidence.push_back(Evidence::field("", ".spec.template.spec.containers", ""));
  fs[0].evidence.back().at_key = true;
  fs[0].evidence.push_back(Evidence::field("", ".spec.template.spec.containers", ""));
  locate_fields(*cluster, fs);
  EXPECT_EQ(fs[0].evidence[0].line, 13u);
  EXPECT_EQ(fs[0].evidence[0].column, 7u);
  EXPECT_EQ(fs[0].evidence[1].line, 14u) << "without at_key: the value";
}

TEST(LocateFieldsTest, ItemsOfAJsonList) {
  const std::string list =
      "{\"kind\": \"List\", \"items\": [\n"
      "  {\"kind\": \"Service\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"a\"}},\n"
      "  {\"kind\": \"Service\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"b\"},\n"
      "   \"spec\": {\"type\": \"NodePort\"}}\n"
      "]}\n";
  auto cluster = cluster_from({{"svc.json", list}});
  std::vector<Finding> fs{finding_on("Service", "", "b")};
  fs[0].evidence.push_back(Evidence::field("", ".spec.type", "NodePort"));
  locate_fields(*cluster, fs);
  EXPECT_EQ(fs[0].evidence[0].line, 4u);
  EXPECT_EQ(fs[0].evidence[0].column, 21u);
}

TEST(LocateFieldsTest, UnknownObjectOrNoKeptTextLeavesEvidenceAlone) {
  auto cluster = cluster_from({{"k8s/app.yaml", kTwoDocs}});
  std::vector<Finding> fs{finding_on("Deployment", "ns", "nope")};
  fs[0].evidence.push_back(Evidence::field("", ".spec", ""));
  locate_fields(*cluster, fs);
  EXPECT_EQ(fs[0].evidence[0].line, 0u);
  EXPECT_TRUE(fs[0].evidence[0].file.empty());
}

TEST(PathKeyTest, KeysWithDotsOrSlashesAreBracketedAndParseBack) {
  EXPECT_EQ(path_key("app"), ".app");
  EXPECT_EQ(path_key("app.kubernetes.io/name"), "[app.kubernetes.io/name]");
  const std::string path = ".metadata.labels" + path_key("app.kubernetes.io/name");
  auto steps = parse_path(path);  // the steps view `path`
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[2].key, "app.kubernetes.io/name");
}

TEST(TextAtTest, RestOfTheLine) {
  EXPECT_EQ(text_at("a: 1\nb: \"on\"\r\n", SourcePos{2, 4}), "\"on\"");
  EXPECT_EQ(text_at("a: 1\n", SourcePos{3, 1}), "");
  EXPECT_EQ(text_at("a: 1\n", SourcePos{}), "");
}

}  // namespace
}  // namespace ktriage::lint
