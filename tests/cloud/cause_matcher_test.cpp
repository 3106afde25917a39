// The cause matcher: table order decides, the matched text is returned, bad rows are listed.
#include "cloud/cause_matcher.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

constexpr CauseRow kRows[] = {
    {"SPECIFIC", R"(Quota\w+\.Eip)", "t", "f", "d"},
    {"BROKEN", R"((unclosed)", "t", "f", "d"},
    {"GENERAL", R"(Quota\w*)", "t", "f", "d"},
};

TEST(CauseMatcherTest, FirstRowInTableOrderWinsAndBadRowsAreListed) {
  CauseMatcher m(kRows);
  ASSERT_EQ(m.bad_rows(), std::vector<std::string>{"BROKEN"});
  auto hit = m.match("error QuotaExceeded.Eip here");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->row->catalog, "SPECIFIC");
  EXPECT_EQ(hit->matched, "QuotaExceeded.Eip");
  hit = m.match("QuotaExceeded.Nat");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->row->catalog, "GENERAL");
  EXPECT_FALSE(m.match("nothing"));
  EXPECT_FALSE(m.match(std::string_view()));
}

}  // namespace
}  // namespace ktriage::cloud
