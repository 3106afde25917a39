// lint: YAML keys written twice (with both lines) and apiVersions against a target release; the
// duplicate no longer costs diagnose the whole file.
#include "lint/lint.h"

#include <gtest/gtest.h>

#include <string>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::cluster_from;
using testing::with_rule;

const std::string kTwice =
    "apiVersion: apps/v1\n"  // 1
    "kind: Deployment\n"     // 2
    "metadata: {name: api, namespace: shop}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: api\n"
    "        envFrom:\n"  // 9
    "        - configMapRef: {name: api}\n"
    "        envFrom:\n"  // 11
    "        - secretRef: {name: api}\n";

TEST(YamlDuplicateKeysTest, TheLastValueIsKeptAndBothPlacesAreKnown) {
  Arena arena;
  int docs = 0;
  auto errors = read_yaml("d.yaml", kTwice, arena, [&](const ParsedDocument& d, const Locator&) {
    ++docs;
    ASSERT_EQ(d.duplicate_keys.size(), 1u);
    EXPECT_EQ(d.duplicate_keys[0].key, "envFrom");
    EXPECT_EQ(d.duplicate_keys[0].first.line, 9u);
    EXPECT_EQ(d.duplicate_keys[0].again.line, 11u);
    const Value& c = d.root["spec"]["template"]["spec"]["containers"][0];
    EXPECT_FALSE(c["envFrom"][0]["secretRef"].is_null()) << "the last value wins";
  });
  EXPECT_TRUE(errors.empty()) << errors[0].message;
  EXPECT_EQ(docs, 1);
}

TEST(LintTest, DuplicateKeyIsACriticalFindingOnItsObject) {
  auto cluster = cluster_from({{"k8s/api.yaml", kTwice}});
  auto d = lint(*cluster, 30);
  auto r = with_rule(d.findings, "lint-duplicate-key");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "POD-RUNNING-MANIFEST-DUPLICATE-KEY");
  EXPECT_EQ(r[0]->object.key(), "Deployment/shop/api");
  EXPECT_NE(r[0]->summary.find("`envFrom` twice (lines 9 and 11)"), std::string::npos)
      << r[0]->summary;
  ASSERT_EQ(r[0]->evidence.size(), 2u);
  EXPECT_EQ(r[0]->evidence[0].file, "k8s/api.yaml");
  EXPECT_TRUE(d.input.issues.empty()) << "a finding here, not an input problem";
  // The same object written once: nothing.
  std::string once = kTwice.substr(0, kTwice.find("        envFrom:\n        - secretRef"));
  auto clean = cluster_from({{"k8s/api.yaml", once}});
  const Diagnosis clean_d = lint(*clean, 30);
  EXPECT_TRUE(with_rule(clean_d.findings, "lint-duplicate-key").empty());
}

TEST(LintTest, AFileThatDoesNotParseIsACriticalFindingAtItsPosition) {
  auto cluster = cluster_from({{"k8s/bad.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                "  name: a\n data: {x: y}\n"},
                               {"k8s/ok.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: "
                                "{name: b}\n"}});
  const Diagnosis d = lint(*cluster, 30);
  auto hits = with_rule(d.findings, "lint-syntax-error");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->severity, Severity::kCritical);
  EXPECT_EQ(hits[0]->evidence[0].file, "k8s/bad.yaml");
  EXPECT_EQ(hits[0]->evidence[0].line, 5u);
  EXPECT_GT(hits[0]->evidence[0].column, 0u);
  EXPECT_TRUE(d.input.issues.empty()) << "a finding, not also an input problem";
  auto clean = cluster_from({{"k8s/ok.yaml",
                              "apiVersion: v1\nkind: ConfigMap\nmetadata: "
                              "{name: b}\n"}});
  const Diagnosis ok = lint(*clean, 30);
  EXPECT_TRUE(with_rule(ok.findings, "lint-syntax-error").empty());
}

// A JSON file's syntax error: placed at its first wrong byte, with a fix for JSON (jq, the path
// as one shell word), not yamllint's.
TEST(LintTest, JsonSyntaxErrorIsPlacedAndFixedAsJson) {
  auto cluster = cluster_from({{"k8s/my app.json", "{\"apiVersion\": \"v1\",\n \"kind\": x}\n"}});
  const Diagnosis d = lint(*cluster, 30);
  auto hits = with_rule(d.findings, "lint-syntax-error");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->evidence[0].line, 2u);
  EXPECT_EQ(hits[0]->evidence[0].column, 10u);
  EXPECT_NE(hits[0]->fix.find("`jq . 'k8s/my app.json'`"), std::string::npos) << hits[0]->fix;
  EXPECT_EQ(hits[0]->fix.find("yamllint"), std::string::npos) << hits[0]->fix;
}

TEST(LintTest, RemovedApiVersionsAgainstTheTarget) {
  auto cluster = cluster_from({{"ing.yaml",
                                "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: "
                                "{name: web, namespace: shop}\nspec: {}\n"}});
  const Diagnosis at22 = lint(*cluster, 22);
  ASSERT_EQ(with_rule(at22.findings, "upgrade-removed-api").size(), 1u);
  const Evidence& api = with_rule(at22.findings, "upgrade-removed-api")[0]->evidence[0];
  EXPECT_EQ(api.path, ".apiVersion");
  EXPECT_EQ(api.file, "ing.yaml");
  EXPECT_EQ(api.line, 1u);
  EXPECT_EQ(api.column, 13u);
  const Diagnosis at18 = lint(*cluster, 18);
  EXPECT_TRUE(with_rule(at18.findings, "upgrade-removed-api").empty());
}

TEST(LintTest, DiagnoseReadsAFileWithADuplicateKeyAndSaysSo) {
  auto cluster = cluster_from({{"k8s/api.yaml", kTwice}});
  ASSERT_EQ(cluster->objects().size(), 1u);
  ASSERT_EQ(cluster->issues().size(), 1u);
  EXPECT_NE(cluster->issues()[0].message.find("duplicate key `envFrom` (first at line 9)"),
            std::string::npos);
}

// Two files run together without `---` (cat a.yaml b.yaml): a second top-level apiVersion and
// kind. The issue says so; a duplicate key inside an object keeps its own message (above).
TEST(LintTest, FilesJoinedWithoutASeparatorAreNamedAsSuch) {
  const std::string joined =
      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n"
      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Event, metadata: {name: e}}\n";
  auto cluster = cluster_from({{"stdin.yaml", joined}});
  bool said = false;
  for (const auto& issue : cluster->issues()) {
    said = said || issue.message.find(
                       "second top-level `apiVersion` (first at line 1): this looks "
                       "like files joined without a `---` line between them") != std::string::npos;
  }
  EXPECT_TRUE(said);
  // lint words its findings the same way, with a fix that is a `---`, not a merge.
  const Diagnosis d = lint(*cluster, 30);
  const auto dups = with_rule(d.findings, "lint-duplicate-key");
  ASSERT_FALSE(dups.empty());
  for (const Finding* f : dups) {
    EXPECT_NE(f->summary.find("two documents run together without `---`"), std::string::npos)
        << f->summary;
    EXPECT_EQ(f->fix, "Start a new document with a `---` line before line 5.") << f->fix;
  }
  // The List's other top-level key written twice (items) says the same, not "duplicate key".
  for (const auto& issue : cluster->issues()) {
    if (issue.message.find("`items`") == std::string::npos) continue;
    EXPECT_NE(issue.message.find("joined without a `---`"), std::string::npos) << issue.message;
  }
}

}  // namespace
}  // namespace ktriage::lint
