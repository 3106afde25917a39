// The text report for `why` (src/report/text.cpp): the subject's own findings in full, with the
// causes that lead from them to their root.
#include <gtest/gtest.h>

#include <string>

#include "report/report.h"

namespace ktriage {
namespace {

Finding finding(std::string id, ObjectRef object, std::string summary,
                std::vector<std::string> caused_by) {
  Finding f;
  f.id = std::move(id);
  f.rule = f.id;
  f.severity = Severity::kCritical;
  f.object = std::move(object);
  f.summary = std::move(summary);
  f.caused_by = std::move(caused_by);
  f.evidence.push_back(Evidence::field(f.object.kind, ".own", "evidence of " + f.summary));
  f.fix = "fix " + f.summary;
  return f;
}

Diagnosis chain() {
  Diagnosis d;
  d.input.scope = "Service/web in namespace shop";
  d.findings = {
      finding("oom", {"Pod", "shop", "db-0", ""}, "db OOMKilled", {}),
      finding("db-svc", {"Service", "shop", "db", ""}, "db Service has no endpoints", {"oom"}),
      finding("web-svc", {"Service", "shop", "web", ""}, "web Service has no endpoints",
              {"db-svc"}),
  };
  return d;
}

TEST(TextSubjectTest, TheSubjectsSymptomComesFirstWithItsEvidenceAndChain) {
  Diagnosis d = chain();
  d.input.subject = ObjectRef{"Service", "shop", "web", ""};
  const std::string out = render_text(d, TextOptions{});
  const std::size_t own = out.find("web Service has no endpoints  [web-svc]\n");
  const std::size_t because = out.find(
      "  because:  db Service has no endpoints\n            db OOMKilled  (root cause, below)\n");
  const std::size_t evidence = out.find("evidence of web Service has no endpoints");
  const std::size_t root = out.find("db OOMKilled  [oom]\n");
  ASSERT_NE(own, std::string::npos) << out;
  ASSERT_NE(because, std::string::npos) << out;
  EXPECT_LT(own, because);
  EXPECT_LT(because, evidence);
  EXPECT_LT(evidence, root);
  EXPECT_NE(root, std::string::npos) << out;
  // The middle link is not the subject: it stays a line under the root, not a block.
  EXPECT_EQ(out.find("db Service has no endpoints  [db-svc]"), std::string::npos) << out;
}

// A finding grouped over sibling pods names the first; asking about another shows it too.
TEST(TextSubjectTest, ASiblingInAlsoAffectsIsTheSubjectToo) {
  Diagnosis d = chain();
  d.findings[2].also_affects.push_back(ObjectRef{"Service", "shop", "web-2", ""});
  d.input.subject = ObjectRef{"Service", "shop", "web-2", ""};
  const std::string out = render_text(d, TextOptions{});
  EXPECT_NE(out.find("web Service has no endpoints  [web-svc]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  because:  db Service has no endpoints\n"), std::string::npos) << out;
  d.input.subject = ObjectRef{"Service", "shop", "web-3", ""};
  EXPECT_EQ(render_text(d, TextOptions{}).find("because:"), std::string::npos);
}

TEST(TextSubjectTest, WithoutASubjectSymptomsAreLinesUnderTheirRoot) {
  const std::string out = render_text(chain(), TextOptions{});
  EXPECT_EQ(out.find("because:"), std::string::npos) << out;
  EXPECT_EQ(out.find("evidence of web Service"), std::string::npos) << out;
  EXPECT_NE(out.find("  explains: db Service has no endpoints\n            web Service has no "
                     "endpoints\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace ktriage
