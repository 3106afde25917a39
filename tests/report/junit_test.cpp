// The JUnit XML writer (src/report/junit.cpp): structure, counts, escaping, scrubbing.
#include "report/junit.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace ktriage {
namespace {

Finding finding(std::string rule, Severity s, ObjectRef o, std::string summary, std::string file,
                std::uint32_t line) {
  Finding f;
  f.id = rule + ":" + o.key();
  f.rule = std::move(rule);
  f.severity = s;
  f.object = std::move(o);
  f.summary = std::move(summary);
  f.fix = "change it";
  if (!file.empty()) {
    Evidence e = Evidence::field("", ".apiVersion", "v");
    e.file = std::move(file);
    e.line = line;
    e.column = 3;
    f.evidence.push_back(std::move(e));
  }
  return f;
}

Diagnosis sample() {
  Diagnosis d;
  d.input.scope = "lint";
  const ObjectRef web{"Deployment", "shop", "web <&> \"q\" 'a'", ""};
  d.findings = {
      finding("lint-duplicate-key", Severity::kCritical, web,
              "first: token=abc123 \x01 \xff <b>&amp;</b>", "k8s/b.yaml", 7),
      finding("lint-duplicate-key", Severity::kCritical, web, "second", "k8s/b.yaml", 9),
      finding("upgrade-removed-api", Severity::kCritical, {"CronJob", "shop", "cron", ""},
              "removed", "k8s/a.yaml", 1),
      finding("practice-info", Severity::kInfo, {"Pod", "shop", "p", ""}, "fyi", "k8s/a.yaml", 4),
      finding("upgrade-kubelet-too-old", Severity::kWarning, {"Node", "", "n1", ""}, "old", "", 0),
  };
  InputIssue issue;
  issue.where.file = "k8s/c.yaml";
  issue.where.pos = {3, 1};
  issue.message = "YAML: bad indentation";
  d.input.issues.push_back(issue);
  return d;
}

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result ok = doc.load_string(xml.c_str());
  EXPECT_TRUE(ok) << ok.description() << " at " << ok.offset << "\n" << xml;
  return doc;
}

TEST(JunitTest, OneSuitePerFileOneCasePerObjectAndRule) {
  const std::string xml = render_junit(sample());
  const pugi::xml_document doc = parse(xml);
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_STREQ(root.attribute("name").value(), "ktriage");
  EXPECT_EQ(root.attribute("tests").as_int(), 5);
  EXPECT_EQ(root.attribute("failures").as_int(), 3);
  EXPECT_EQ(root.attribute("errors").as_int(), 1);
  std::vector<std::string> suites;
  for (pugi::xml_node s : root.children("testsuite")) suites.push_back(s.attribute("name").value());
  EXPECT_EQ(suites,
            (std::vector<std::string>{"(no file)", "k8s/a.yaml", "k8s/b.yaml", "k8s/c.yaml"}));

  const pugi::xml_node a = root.find_child_by_attribute("testsuite", "name", "k8s/a.yaml");
  EXPECT_EQ(a.attribute("tests").as_int(), 2);
  EXPECT_EQ(a.attribute("failures").as_int(), 1);
  const pugi::xml_node cron =
      a.find_child_by_attribute("testcase", "name", "CronJob shop/cron: upgrade-removed-api");
  ASSERT_TRUE(cron);
  EXPECT_STREQ(cron.attribute("classname").value(), "k8s/a.yaml");
  EXPECT_EQ(cron.attribute("line").as_int(), 1);
  EXPECT_STREQ(cron.child("failure").attribute("type").value(), "upgrade-removed-api");
  EXPECT_STREQ(cron.child("failure").attribute("message").value(), "removed");
  // Info: a passing case, its text in system-out.
  const pugi::xml_node info =
      a.find_child_by_attribute("testcase", "name", "Pod shop/p: practice-info");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info.child("failure"));
  EXPECT_NE(std::string(info.child("system-out").text().get()).find("fyi"), std::string::npos);

  const pugi::xml_node c = root.find_child_by_attribute("testsuite", "name", "k8s/c.yaml");
  EXPECT_STREQ(c.child("testcase").child("error").attribute("type").value(), "input");
  EXPECT_STREQ(c.child("testcase").attribute("name").value(), "input: k8s/c.yaml:3:1");
}

TEST(JunitTest, TwoFindingsOfOneRuleOnOneObjectShareACase) {
  const pugi::xml_document doc = parse(render_junit(sample()));
  const pugi::xml_node b =
      doc.child("testsuites").find_child_by_attribute("testsuite", "name", "k8s/b.yaml");
  EXPECT_EQ(b.attribute("tests").as_int(), 1);
  const pugi::xml_node tc = b.child("testcase");
  // Odd characters round-trip through the XML escaping.
  EXPECT_STREQ(tc.attribute("name").value(),
               "Deployment shop/web <&> \"q\" 'a': lint-duplicate-key");
  const std::string body = tc.child("failure").text().get();
  EXPECT_NE(body.find("second"), std::string::npos) << body;
  EXPECT_NE(body.find("at k8s/b.yaml:9:3"), std::string::npos) << body;
  EXPECT_NE(body.find("fix: change it"), std::string::npos) << body;
}

TEST(JunitTest, SecretsScrubbedControlCharactersShownInvalidUtf8Replaced) {
  const std::string xml = render_junit(sample());
  EXPECT_EQ(xml.find("abc123"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  const pugi::xml_document doc = parse(xml);
  const pugi::xml_node b =
      doc.child("testsuites").find_child_by_attribute("testsuite", "name", "k8s/b.yaml");
  EXPECT_STREQ(b.child("testcase").child("failure").attribute("message").value(),
               "first: token=*** \\x01 \xEF\xBF\xBD <b>&amp;</b>");
}

// A file skipped by choice is a skipped case; one that could not be read is an error.
TEST(JunitTest, FileSkippedByChoiceIsSkippedUnreadableFileIsAnError) {
  Diagnosis d;
  d.input.scope = "snapshot";
  InputIssue notes;
  notes.where.file = "snap/notes.txt";
  notes.message = "not a Kubernetes object file (.yaml, .yml, .json) or a known log layout";
  notes.skipped_file = true;
  InputIssue broken = notes;
  broken.where.file = "snap/pods.json";
  broken.message = "cannot read: Permission denied";
  broken.unreadable = true;
  d.input.issues = {notes, broken};
  const pugi::xml_document doc = parse(render_junit(d));
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("errors").as_int(), 1);
  const pugi::xml_node n = root.find_child_by_attribute("testsuite", "name", "snap/notes.txt");
  EXPECT_EQ(n.attribute("skipped").as_int(), 1);
  EXPECT_EQ(n.attribute("errors").as_int(), 0);
  EXPECT_FALSE(n.child("testcase").child("error"));
  EXPECT_STREQ(n.child("testcase").child("skipped").attribute("message").value(),
               notes.message.c_str());
  const pugi::xml_node p = root.find_child_by_attribute("testsuite", "name", "snap/pods.json");
  EXPECT_EQ(p.attribute("skipped").as_int(), 0);
  EXPECT_EQ(p.attribute("errors").as_int(), 1);
  // A whole-file problem has no line: no ":0:0" in the body.
  EXPECT_STREQ(p.child("testcase").child("error").text().get(),
               "snap/pods.json: cannot read: Permission denied\n");
}

TEST(JunitTest, NothingFoundIsOnePassingCase) {
  Diagnosis d;
  d.input.scope = "2 objects checked against Kubernetes 1.33";
  const pugi::xml_document doc = parse(render_junit(d));
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), 1);
  EXPECT_EQ(root.attribute("failures").as_int(), 0);
  EXPECT_STREQ(root.child("testsuite").child("testcase").attribute("name").value(),
               "no findings (2 objects checked against Kubernetes 1.33)");
}

TEST(JunitTest, XmlSafeUtf8) {
  EXPECT_EQ(xml_safe_utf8("héllo ✓ 🙂"), "héllo ✓ 🙂");
  EXPECT_EQ(xml_safe_utf8("a\xff"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(xml_safe_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(xml_safe_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(xml_safe_utf8("\xEF\xBF\xBF"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFF
}

}  // namespace
}  // namespace ktriage
