// Links between findings (src/core/diagnosis.cpp): symptoms of a cause, the chain to a root.
#include "core/diagnosis.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

Finding finding(std::string id, std::vector<std::string> caused_by) {
  Finding f;
  f.id = std::move(id);
  f.caused_by = std::move(caused_by);
  return f;
}

std::vector<std::string> ids(const std::vector<const Finding*>& fs) {
  std::vector<std::string> out;
  for (const Finding* f : fs) out.push_back(f->id);
  return out;
}

TEST(DiagnosisTest, CauseChainGoesFromNearestToRoot) {
  Diagnosis d;
  d.findings = {finding("root", {}), finding("db-svc", {"root"}), finding("app", {"db-svc"}),
                finding("app-svc", {"missing", "app"})};
  EXPECT_EQ(ids(cause_chain(d, d.findings[3])),
            (std::vector<std::string>{"app", "db-svc", "root"}));
  EXPECT_TRUE(cause_chain(d, d.findings[0]).empty());
  EXPECT_EQ(ids(all_symptoms_of(d, "root")),
            (std::vector<std::string>{"db-svc", "app", "app-svc"}));
}

TEST(DiagnosisTest, CauseChainStopsAtACycle) {
  Diagnosis d;
  d.findings = {finding("a", {"b"}), finding("b", {"a"})};
  EXPECT_EQ(ids(cause_chain(d, d.findings[0])), (std::vector<std::string>{"b"}));
}

}  // namespace
}  // namespace ktriage
