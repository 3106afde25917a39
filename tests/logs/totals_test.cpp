// Per-signature totals, their order and the timeline.
#include "logs/totals.h"

#include <gtest/gtest.h>

#include "logs/report_fixture.h"

namespace ktriage::logs {
namespace {

TEST(TotalsTest, AddsUpPerSignatureWorstFirst) {
  auto sigs = testing::fixture_signatures();
  auto all = totals(testing::fixture_scan(), sigs);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(sigs[all[0].signature].id, "kubelet-dead");  // critical before warning
  EXPECT_EQ(all[1].count, 4u);
  EXPECT_EQ(all[1].first, 2000);
  EXPECT_EQ(all[1].last, 2500);
  EXPECT_EQ(all[1].files.size(), 2u);
  EXPECT_EQ(all[1].samples.size(), 2u);
  EXPECT_EQ(all[1].earliest.line, 4u);  // the timed one, not the unknown-time one
  EXPECT_TRUE(any_at_or_above(all, sigs, Severity::kCritical));
  EXPECT_FALSE(any_at_or_above(std::span(all).subspan(1), sigs, Severity::kCritical));
}

TEST(TotalsTest, TimelineIsInTimeOrder) {
  auto sigs = testing::fixture_signatures();
  auto all = totals(testing::fixture_scan(), sigs);
  auto t = timeline(all, sigs);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(sigs[t[0].first->signature].id, "app-slow");  // 2000 before 3000
  EXPECT_EQ(*t[0].second->time, 2000);
}

TEST(TotalsTest, NothingFound) {
  auto sigs = testing::fixture_signatures();
  LogScan empty;
  EXPECT_TRUE(totals(empty, sigs).empty());
  EXPECT_TRUE(timeline({}, sigs).empty());
}

}  // namespace
}  // namespace ktriage::logs
