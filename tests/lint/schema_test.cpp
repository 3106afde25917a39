// The schema check against the Kubernetes 1.33 OpenAPI v3 documents in ../shared/k8s-openapi:
// each rule with a positive and a negative case, positions asserted as file:line:col.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lint/lint.h"
#include "lint/schema_store.h"
#include "lint/schema_validate.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::cluster_from;
using testing::with_rule;

std::unique_ptr<SchemaStore> schemas_133() {
  std::string error;
  auto store = SchemaStore::open(testing::source_dir() + "/../shared/k8s-openapi/1.33", error);
  EXPECT_NE(store, nullptr) << error;
  return store;
}

Diagnosis lint_text(const std::string& yaml, SchemaStore* store) {
  auto cluster = cluster_from({{"k8s/app.yaml", yaml}});
  return lint(*cluster, 33, store);
}

// The findings of the schema and manifest checks (practice rules, `practice-*`, are not asserted
// here: kGood is not hardened).
std::vector<const Finding*> lint_findings(const Diagnosis& d) {
  std::vector<const Finding*> out;
  for (const Finding& f : d.findings) {
    if (f.rule.rfind("lint-", 0) == 0) out.push_back(&f);
  }
  return out;
}

// Position of a finding's first evidence as "line:col".
std::string at(const Finding& f) {
  const Evidence& e = f.evidence.front();
  return e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column);
}

const std::string kGood =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  labels: {app.kubernetes.io/name: web}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n"
    "    metadata: {labels: {app: web}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: nginx:1.27\n"
    "        imagePullPolicy: IfNotPresent\n"
    "        env:\n"
    "        - {name: DEBUG, value: \"yes\"}\n"
    "        resources: {limits: {cpu: 500m, memory: 128Mi}}\n"
    "        ports: [{containerPort: 80, protocol: TCP}, {containerPort: 80, protocol: UDP}]\n";

TEST(SchemaCheckTest, AValidDeploymentHasNoFindings) {
  auto store = schemas_133();
  const Diagnosis d = lint_text(kGood, store.get());
  EXPECT_TRUE(lint_findings(d).empty()) << lint_findings(d).front()->summary;
  EXPECT_TRUE(d.input.notes.empty());
}

// One line of kGood replaced, for the positive cases.
std::string with(std::string_view from, std::string_view to) {
  std::string s = kGood;
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  s.replace(at, from.size(), to);
  return s;
}

struct Case {
  std::string_view rule, from, to, position, path;
};

TEST(SchemaCheckTest, EachRuleFiresOnItsFaultAtItsNode) {
  auto store = schemas_133();
  const Case cases[] = {
      {"lint-unknown-field", "imagePullPolicy:", "imagePulPolicy:", "k8s/app.yaml:15:9",
       ".spec.template.spec.containers[0].imagePulPolicy"},
      {"lint-wrong-type", "replicas: 2", "replicas: \"2\"", "k8s/app.yaml:7:14", ".spec.replicas"},
      {"lint-missing-required", "      - name: web\n", "      - workingDir: /app\n",
       "k8s/app.yaml:13:9", ".spec.template.spec.containers[0].name"},
      {"lint-unsupported-value", "protocol: TCP", "protocol: tcp", "k8s/app.yaml:19:47",
       ".spec.template.spec.containers[0].ports[0].protocol"},
      {"lint-invalid-quantity", "cpu: 500m", "cpu: 500 m", "k8s/app.yaml:18:35",
       ".spec.template.spec.containers[0].resources.limits[cpu]"},
      {"lint-invalid-name", "  name: web\n  labels", "  name: Web_1\n  labels", "k8s/app.yaml:4:9",
       ".metadata.name"},
      {"lint-invalid-label", "app.kubernetes.io/name: web", "app.kubernetes.io/name: -web",
       "k8s/app.yaml:5:36", ".metadata.labels[app.kubernetes.io/name]"},
      {"lint-yaml11-scalar", "value: \"yes\"", "value: yes", "k8s/app.yaml:17:32",
       ".spec.template.spec.containers[0].env[0].value"},
      {"lint-duplicate-entry", "protocol: UDP", "protocol: TCP", "k8s/app.yaml:19:54",
       ".spec.template.spec.containers[0].ports[1]"},
      {"lint-unknown-kind", "kind: Deployment", "kind: Deploymnet", "k8s/app.yaml:2:7", ".kind"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    const Diagnosis d = lint_text(with(c.from, c.to), store.get());
    auto hits = with_rule(d.findings, c.rule);
    ASSERT_EQ(hits.size(), 1u) << (d.findings.empty() ? "none" : d.findings.front().summary);
    EXPECT_EQ(hits[0]->evidence.front().path, c.path);
    EXPECT_EQ(at(*hits[0]), c.position);
    EXPECT_EQ(lint_findings(d).size(), 1u)
        << "only the planted fault: " << lint_findings(d).back()->summary;
  }
}

// kubeconform's missing_apiversion.yaml: the API server rejects the object before any schema
// applies; it must be a finding, not only a "not validated" note.
TEST(SchemaCheckTest, AnObjectWithoutApiVersionIsMissingRequired) {
  auto store = schemas_133();
  const Diagnosis d = lint_text(with("apiVersion: apps/v1\n", ""), store.get());
  auto hits = with_rule(d.findings, "lint-missing-required");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->evidence.front().path, ".apiVersion");
  EXPECT_EQ(at(*hits[0]), "k8s/app.yaml:1:1");
  EXPECT_EQ(lint_findings(d).size(), 1u) << lint_findings(d).back()->summary;
  EXPECT_TRUE(d.input.notes.empty()) << d.input.notes.front();
  // Without schemas too: the check needs none.
  const Diagnosis bare = lint_text(with("apiVersion: apps/v1\n", ""), nullptr);
  EXPECT_EQ(with_rule(bare.findings, "lint-missing-required").size(), 1u);
}

TEST(SchemaCheckTest, TwoContainersOfOneNameAreRejectedTwoEnvEntriesOnlyWarned) {
  auto store = schemas_133();
  const std::string twice =
      with("      - name: web\n", "      - {name: web, image: a}\n      - name: web\n");
  const Diagnosis d = lint_text(twice, store.get());
  auto hits = with_rule(d.findings, "lint-duplicate-item");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]->evidence.front().path, ".spec.template.spec.containers[1]");
  EXPECT_EQ(at(*hits[0]), "k8s/app.yaml:14:9");
  const std::string env =
      with("- {name: DEBUG, value: \"yes\"}",
           "- {name: DEBUG, value: \"yes\"}\n        - {name: DEBUG, value: b}");
  const Diagnosis e = lint_text(env, store.get());
  EXPECT_TRUE(with_rule(e.findings, "lint-duplicate-item").empty());
  auto warned = with_rule(e.findings, "lint-duplicate-entry");
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0]->severity, Severity::kWarning);
}

TEST(SchemaCheckTest, StatusRbacNamesAndDefaultedEmptyValuesAreNotFaults) {
  auto store = schemas_133();
  const Diagnosis d = lint_text(
      with("imagePullPolicy: IfNotPresent", "imagePullPolicy: \"\"") +
          "status: {replicas: x, bogus: 1}\n---\napiVersion: rbac.authorization.k8s.io/v1\n"
          "kind: ClusterRole\nmetadata: {name: \"system:controller:gc\"}\nrules: []\n",
      store.get());
  EXPECT_TRUE(lint_findings(d).empty()) << lint_findings(d).front()->summary;
  const Diagnosis bad = lint_text(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: a/b, namespace: "
      "x}\nrules: []\n",
      store.get());
  EXPECT_EQ(with_rule(bad.findings, "lint-invalid-name").size(), 1u);
}

TEST(SchemaCheckTest, UnknownFieldsSuggestTheNearestNameOrTheRightLevel) {
  auto store = schemas_133();
  Diagnosis typo = lint_text(with("      containers:", "      contAIN3rz:"), store.get());
  auto t = with_rule(typo.findings, "lint-unknown-field");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_NE(t[0]->fix.find("did you mean `containers`?"), std::string::npos) << t[0]->fix;
  EXPECT_EQ(t[0]->catalog, "POD-RUNNING-MANIFEST-FIELD-TYPO");
  // `containers` one level too high, directly under the template: the fix names `spec`.
  Diagnosis indent =
      lint_text(with("    spec:\n      containers:", "    containers:"), store.get());
  auto i = with_rule(indent.findings, "lint-unknown-field");
  ASSERT_FALSE(i.empty());
  EXPECT_NE(i[0]->fix.find("indent it under `spec:`"), std::string::npos) << i[0]->fix;
}

TEST(SchemaCheckTest, UnquotedNumbersKeepTheirWrittenFormInTheFix) {
  auto store = schemas_133();
  const Diagnosis d = lint_text(with("value: \"yes\"", "value: 1.10"), store.get());
  auto hits = with_rule(d.findings, "lint-wrong-type");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0]->fix.find("\"1.10\""), std::string::npos) << hits[0]->fix;
}

const std::string kCrd =
    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata: {name: widgets.example.com}\n"
    "spec:\n"
    "  group: example.com\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Namespaced\n"
    "  versions:\n"
    "  - name: v1\n"
    "    served: true\n"
    "    storage: true\n"
    "    schema:\n"
    "      openAPIV3Schema:\n"
    "        type: object\n"
    "        properties:\n"
    "          spec:\n"
    "            type: object\n"
    "            properties:\n"
    "              size: {type: integer}\n";

TEST(SchemaCheckTest, CustomResourcesValidateAgainstTheirCrdInTheInput) {
  auto store = schemas_133();
  const std::string widget =
      "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n";
  const Diagnosis bad = lint_text(kCrd + widget, store.get());
  auto hits = with_rule(bad.findings, "lint-wrong-type");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(at(*hits[0]), "k8s/app.yaml:24:14");
  const std::string good_widget = widget.substr(0, widget.find("big")) + "3}\n";
  EXPECT_TRUE(lint_findings(lint_text(kCrd + good_widget, store.get())).empty());
}

TEST(SchemaCheckTest, AV1beta1CrdValidatesThroughItsSharedSchema) {
  auto store = schemas_133();
  const std::string crd =
      "apiVersion: apiextensions.k8s.io/v1beta1\n"
      "kind: CustomResourceDefinition\n"
      "metadata: {name: gadgets.example.com}\n"
      "spec:\n"
      "  group: example.com\n"
      "  version: v1\n"
      "  names: {kind: Gadget, plural: gadgets}\n"
      "  validation:\n"
      "    openAPIV3Schema:\n"
      "      type: object\n"
      "      properties:\n"
      "        spec: {type: object, properties: {size: {type: integer}}}\n"
      "---\n"
      "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: big}\n";
  const Diagnosis bad = lint_text(crd, store.get());
  auto hits = with_rule(bad.findings, "lint-wrong-type");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(at(*hits[0]), "k8s/app.yaml:17:14");
  std::string good = crd;
  good.replace(good.find("big"), 3, "3");
  EXPECT_TRUE(lint_findings(lint_text(good, store.get())).empty());
}

TEST(SchemaCheckTest, ACrdWithAnInvalidSchemaIsReportedAndNotUsed) {
  auto store = schemas_133();
  std::string broken = kCrd;
  broken.replace(broken.find("{type: integer}"), 15, "{type: integr}");
  const Diagnosis d = lint_text(broken, store.get());
  auto hits = with_rule(d.findings, "lint-invalid-crd-schema");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(at(*hits[0]), "k8s/app.yaml:19:28");
  EXPECT_NE(hits[0]->fix.find("write `integer`"), std::string::npos);
  const Diagnosis good = lint_text(kCrd, store.get());
  EXPECT_TRUE(with_rule(good.findings, "lint-invalid-crd-schema").empty());
}

TEST(SchemaCheckTest, WithoutSchemasTheSchemaFreeChecksRunAndANoteSaysHowToEnable) {
  const Diagnosis d = lint_text(with("  name: web\n  labels", "  name: Web_1\n  labels"), nullptr);
  EXPECT_EQ(with_rule(d.findings, "lint-invalid-name").size(), 1u);
  ASSERT_EQ(d.input.notes.size(), 1u);
  EXPECT_NE(d.input.notes[0].find("--schema-location"), std::string::npos);
  EXPECT_NE(d.input.notes[0].find("ktriage schema pull"), std::string::npos);
}

TEST(SchemaCheckTest, KindsWithoutASchemaAreCountedInOneNote) {
  auto store = schemas_133();
  const Diagnosis d = lint_text(
      "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {x: 1}\n", store.get());
  EXPECT_TRUE(lint_findings(d).empty());
  ASSERT_EQ(d.input.notes.size(), 1u);
  EXPECT_NE(d.input.notes[0].find("example.com/v1 Gadget (1)"), std::string::npos)
      << d.input.notes[0];
}

TEST(SchemaStoreTest, ACorruptDocumentIsAnIssueAndTheOthersStillWork) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "ktriage-schema-corrupt";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path src = fs::path(testing::source_dir()) / "../shared/k8s-openapi/1.33/v3";
  fs::copy_file(src / "api__v1_openapi.json", dir / "api__v1_openapi.json");
  std::ofstream(dir / "apis__apps__v1_openapi.json") << "{\"components\": {\"schemas\": [1,";
  std::string error;
  auto store = SchemaStore::open(dir.string(), error);
  ASSERT_NE(store, nullptr) << error;
  const Diagnosis d = lint_text(kGood +
                                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
                                    "c}\ndat: {}\n",
                                store.get());
  EXPECT_EQ(with_rule(d.findings, "lint-unknown-field").size(), 1u) << "v1 still validated";
  ASSERT_FALSE(d.input.issues.empty());
  EXPECT_NE(d.input.issues[0].where.file.find("apis__apps__v1_openapi.json"), std::string::npos);
  EXPECT_GT(d.input.issues[0].where.pos.line, 0u);
  fs::remove_all(dir);
}

TEST(SchemaStoreTest, AFolderWithoutDocumentsIsAnError) {
  std::string error;
  EXPECT_EQ(SchemaStore::open("/nonexistent-ktriage", error), nullptr);
  EXPECT_NE(error.find("not a folder"), std::string::npos);
  EXPECT_EQ(SchemaStore::open(testing::source_dir() + "/src", error), nullptr);
  EXPECT_NE(error.find("no OpenAPI v3 documents"), std::string::npos);
}

TEST(QuantityTest, TheApiServersSyntax) {
  for (const char* ok : {"1", "500m", "1.5", "128Mi", "2Gi", "1e3", "-1", "+2k", ".5", "1E-2"})
    EXPECT_TRUE(is_quantity(ok)) << ok;
  for (const char* bad : {"", "500 m", "2 cores", "1.2.3", "Mi", "1MB", "1e", "0x10"})
    EXPECT_FALSE(is_quantity(bad)) << bad;
}

}  // namespace
}  // namespace ktriage::lint
