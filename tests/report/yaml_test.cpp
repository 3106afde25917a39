// The YAML report (src/report/yaml.cpp): the JSON report's document, with every string still a
// string when a YAML 1.1 or 1.2 reader loads it.
#include "report/yaml.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libfyaml.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "report/report.h"

namespace ktriage {
namespace {

// Strings a careless YAML writer turns into numbers, booleans, nulls, timestamps or syntax.
const std::vector<std::string> kTricky = {
    "137", "0x1F", "1e3", ".5", "-1", "+1", "true", "no", "Yes", "off", "y", "N", "null", "~", "",
    " lead", "trail ", "a: b", "a #b", "- x", "[x]", "{x}", "*alias", "&anchor", "!tag", "%dir",
    "@at", "`tick", "'q'", "\"dq\"", "|", ">", "line\nnext", "tab\t", "\x1b[31m", "naïve", ".inf",
    ".NaN", "2026-11-29T10:41:55Z", "1.30", "key:", "?q",
    // YAML 1.1 floats; characters YAML forbids unescaped
    // or 1.1 reads as line breaks; Latin-1.
    "._", ".e+5", "a\x7F",
    "a\xC2\x80"
    "b",
    "a\xC2\x85"
    "b",
    "a\xE2\x80\xA8"
    "b",
    "a\xE2\x80\xA9"
    "b",
    "a\xEF\xBF\xBE"
    "b",
    "caf\xE9"
    " latin-1"};

Diagnosis sample() {
  Diagnosis d;
  d.input.scope = "all namespaces";
  d.input.server_version = "1.30";
  Finding f;
  f.rule = "crash-oomkilled";
  f.id = "crash-oomkilled:Pod/shop/web";
  f.severity = Severity::kCritical;
  f.object = ObjectRef{"Pod", "shop", "web", ""};
  f.summary = "Container web was OOMKilled: exit 137";
  f.fix = "Raise .spec.containers[0].resources.limits.memory";
  for (const std::string& s : kTricky) f.evidence.push_back(Evidence::field("pod/web", ".x", s));
  f.evidence.push_back(Evidence::field("pod/web", "/dev/termination-log", "plain words"));
  d.findings.push_back(f);
  return d;
}

struct DocumentDeleter {
  void operator()(fy_document* d) const { fy_document_destroy(d); }
};

// The YAML text read back by libfyaml and written as JSON, then parsed: what a YAML 1.2 reader
// sees.
nlohmann::ordered_json as_json(const std::string& yaml) {
  std::unique_ptr<fy_document, DocumentDeleter> doc(
      fy_document_build_from_string(nullptr, yaml.data(), yaml.size()));
  EXPECT_TRUE(doc != nullptr);
  if (!doc) return {};
  char* text = fy_emit_document_to_string(
      doc.get(), static_cast<fy_emitter_cfg_flags>(FYECF_MODE_JSON | FYECF_WIDTH_INF));
  auto out = nlohmann::ordered_json::parse(text);
  std::free(text);  // NOLINT(cppcoreguidelines-no-malloc)
  return out;
}

TEST(YamlReportTest, ReadsBackAsTheJsonReport) {
  const Diagnosis d = sample();
  const std::string yaml = render_yaml(d);
  EXPECT_EQ(as_json(yaml), nlohmann::ordered_json::parse(render_json(d)));
}

TEST(YamlReportTest, IsBlockStyleWithPlainWordsAndQuotedLookalikes) {
  const std::string yaml = render_yaml(sample());
  EXPECT_EQ(yaml.rfind("schemaVersion: 1\n", 0), 0u) << yaml.substr(0, 200);
  EXPECT_NE(yaml.find("\n    kind: Pod\n"), std::string::npos);
  EXPECT_NE(yaml.find("    value: plain words\n"), std::string::npos);
  EXPECT_NE(yaml.find("    path: /dev/termination-log\n"), std::string::npos);
  EXPECT_NE(yaml.find("  serverVersion: \"1.30\"\n"), std::string::npos);
  // YAML 1.1 readers (PyYAML, go-yaml v2) read these plain words as booleans, numbers and
  // timestamps, so each must be quoted.
  for (const char* word : {"137", "no", "Yes", "off", "y", "N", "null", "~", "1e3", ".5", "-1",
                           "2026-11-29T10:41:55Z", ".inf"}) {
    EXPECT_NE(yaml.find(fmt::format("    value: \"{}\"\n", word)), std::string::npos) << word;
  }
  EXPECT_EQ(yaml.find("\x1b"), std::string::npos) << "control characters are escaped";
  for (const char* escaped :
       {"a\\x7F", "a\\x80b", "a\\Nb", "a\\Lb", "a\\Pb", "a\\uFFFEb", "._", ".e+5"}) {
    EXPECT_NE(yaml.find(fmt::format("    value: \"{}\"\n", escaped)), std::string::npos) << escaped;
  }
  // Ill-formed UTF-8 (a Latin-1 log line) is U+FFFD, as in the JSON report.
  EXPECT_NE(yaml.find("    value: \"caf\xEF\xBF\xBD latin-1\"\n"), std::string::npos);
}

TEST(YamlReportTest, EmptyReportIsAValidDocument) {
  const Diagnosis d;
  EXPECT_EQ(as_json(render_yaml(d)), nlohmann::ordered_json::parse(render_json(d)));
}

}  // namespace
}  // namespace ktriage
