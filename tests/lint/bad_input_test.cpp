// lint on input that is not a manifest, or is hostile: each a clear input issue (with
// file:line:col where the parser knows it), bounded time and memory, and the other files of the
// run still checked. Bounds are asserted as "completes and reports", never as a timing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lint/lint.h"
#include "lint/schema_store.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using testing::with_rule;

// A manifest with one known finding (a removed API), so "the rest is still checked" is visible.
const std::string kGood =
    "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
    "spec: {backend: {serviceName: web, servicePort: 80}}\n";

struct Run {
  Diagnosis report;
  std::vector<InputIssue> issues;  // about the bad file
};

// `bad` (as `name`) and the good manifest, loaded and linted as `ktriage lint` does.
Run lint_with_good(const std::string& name, const std::string& bad) {
  Inputs in;
  in.keep_sources = true;
  load_buffer(name, bad, in);
  load_buffer("good.yaml", kGood, in);
  auto cluster = Cluster::build(std::move(in));
  Run r;
  r.report = lint(*cluster, 33);
  for (const InputIssue& i : r.report.input.issues) {
    if (i.where.file == name) r.issues.push_back(i);
  }
  // Syntax errors are findings in lint (lint-syntax-error), at the same place.
  for (const Finding* f : with_rule(r.report.findings, "lint-syntax-error")) {
    const Evidence& e = f->evidence.front();
    if (e.file == name) r.issues.push_back(InputIssue{{e.file, {e.line, e.column}}, e.value});
  }
  EXPECT_EQ(with_rule(r.report.findings, "upgrade-removed-api").size(), 1u)
      << "good.yaml was not checked after " << name;
  return r;
}

TEST(LintBadInputTest, NotYamlIsAnIssueWithItsPosition) {
  auto r = lint_with_good("notes.yaml", "key: value\n  - broken: [unclosed\n\tmore: text\n");
  ASSERT_FALSE(r.issues.empty());
  EXPECT_GT(r.issues[0].where.pos.line, 0u) << r.issues[0].message;
  EXPECT_GT(r.issues[0].where.pos.column, 0u) << r.issues[0].message;
  EXPECT_NE(r.issues[0].where.to_string().find("notes.yaml:"), std::string::npos);
  // Binary bytes: not a crash, and said.
  auto bin = lint_with_good("blob.yaml", std::string("\x7f"
                                                     "ELF\x02\x01\x01\x00\xff\xfe\x00",
                                                     12));
  EXPECT_FALSE(bin.issues.empty());
}

TEST(LintBadInputTest, SyntaxErrorBesideAnchorsPrintsNothingOfItsOwn) {
  // The alias-bomb pre-pass parses files with anchors once more; its parser must not print
  // libfyaml's own diagnostics ("<memory-@0x...>:4:3: error: ...") to stderr.
  ::testing::internal::CaptureStderr();
  auto r = lint_with_good("anchors.yaml", "a: &x 1\nb: *x\nc:\n  imag redis:7\n  d: e\n");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_FALSE(r.issues.empty());
  EXPECT_EQ(r.issues[0].where.pos.line, 4u) << r.issues[0].message;
}

TEST(LintBadInputTest, AliasBombIsRefusedWithItsPosition) {
  std::string bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const char prev = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? "," : "") + "*" + prev;
    bomb += "]\n";
  }
  auto r = lint_with_good("bomb.yaml", bomb);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("alias bomb"), std::string::npos) << r.issues[0].message;
  EXPECT_EQ(r.issues[0].where.pos.line, 1u);
}

TEST(LintBadInputTest, DeepNestingIsAnIssueNotAStackOverflow) {
  // 100,000 unclosed `[`: a syntax error at the end, with its position.
  const std::string deep(100000, '[');
  for (const char* name : {"deep.yaml", "deep.json"}) {
    auto r = lint_with_good(name, deep);
    ASSERT_FALSE(r.issues.empty()) << name;
    EXPECT_EQ(r.issues[0].where.pos.line, 1u) << name << ": " << r.issues[0].message;
    EXPECT_GT(r.issues[0].where.pos.column, 0u) << name << ": " << r.issues[0].message;
  }
  // Closed, it is valid: JSON refuses the depth plainly; YAML is not a crash either.
  const std::string closed = std::string(100000, '[') + std::string(100000, ']');
  auto json = lint_with_good("closed.json", closed);
  ASSERT_FALSE(json.issues.empty());
  EXPECT_NE(json.issues[0].message.find("nested too deeply"), std::string::npos)
      << json.issues[0].message;
  auto yaml = lint_with_good("closed.yaml", closed);
  ASSERT_FALSE(yaml.issues.empty());
  EXPECT_NE(yaml.issues[0].message.find("depth"), std::string::npos)  // libfyaml's limit, 64
      << yaml.issues[0].message;
}

TEST(LintBadInputTest, FiftyMegabyteDocumentCompletesAndReports) {
  // One ConfigMap of 50 MB: 400,000 keys, the last one written twice (a finding with its line).
  std::string big =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\ndata:\n";
  big.reserve(52u << 20);
  const std::string filler(100, 'x');
  int keys = 0;
  while (big.size() < (50u << 20)) {
    big += "  key-" + std::to_string(keys++) + ": " + filler + "\n";
  }
  big += "  key-0: again\n";
  const auto last_line = static_cast<std::uint32_t>(4 + keys + 1);
  auto r = lint_with_good("big.yaml", big);
  const Finding* dup = nullptr;
  for (const Finding& f : r.report.findings) {
    if (f.object.name == "big") dup = &f;
  }
  ASSERT_NE(dup, nullptr) << "the duplicate key of the 50 MB document was not reported";
  bool at_line = false;
  for (const Evidence& e : dup->evidence) at_line = at_line || e.line == last_line;
  EXPECT_TRUE(at_line) << dup->summary;
}

// A CRD whose schema is not a valid schema (a misspelt type, a schema that is a list): a finding
// or an input issue naming it, the CRD is not used, and the other file is still checked.
TEST(LintBadInputTest, CrdWithAnInvalidSchema) {
  std::string error;
  auto store = SchemaStore::open(testing::source_dir() + "/../shared/k8s-openapi/1.33", error);
  ASSERT_NE(store, nullptr) << error;
  const std::string crd =
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
      "metadata: {name: widgets.example.com}\n"
      "spec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n"
      "  scope: Namespaced\n  versions:\n"
      "  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, "
      "properties: {spec: {type: strign}}}}}\n"
      "  - {name: v2, served: true, storage: false, schema: {openAPIV3Schema: [1, 2]}}\n";
  auto cluster = testing::cluster_from(
      {{"crd.yaml", crd},
       {"cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndat: {}\n"}});
  const Diagnosis d = lint(*cluster, 33, store.get());
  auto bad_schema = with_rule(d.findings, "lint-invalid-crd-schema");
  ASSERT_EQ(bad_schema.size(), 1u);
  EXPECT_EQ(bad_schema[0]->evidence.front().file, "crd.yaml");
  EXPECT_EQ(bad_schema[0]->evidence.front().line, 9u);
  EXPECT_EQ(with_rule(d.findings, "lint-unknown-field").size(), 1u) << "cm.yaml still checked";
  // The CRD was not registered: a Widget is counted as not validated, not judged by it.
  auto widget = testing::cluster_from({{"crd.yaml", crd},
                                       {"w.yaml",
                                        "apiVersion: example.com/v1\nkind: Widget\nmetadata: "
                                        "{name: w}\nspec: 3\n"}});
  const Diagnosis w = lint(*widget, 33, store.get());
  for (const Finding* f : with_rule(w.findings, "lint-wrong-type"))
    EXPECT_NE(f->object.kind, "Widget") << "judged by a schema that was refused: " << f->summary;
  ASSERT_FALSE(w.input.notes.empty());
  EXPECT_NE(w.input.notes.back().find("example.com/v1 Widget"), std::string::npos);
}

}  // namespace
}  // namespace ktriage::lint
