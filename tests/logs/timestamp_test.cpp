// Log timestamps and --since/--until values.
#include "logs/timestamp.h"

#include <gtest/gtest.h>

namespace ktriage::logs {
namespace {

const UnixSeconds k104102 = *parse_rfc3339("2026-11-29T10:41:02Z");

TEST(TimestampTest, Klog) {
  EXPECT_EQ(parse_klog_time("1129 10:41:02.123456", 2026), k104102);
  EXPECT_EQ(parse_klog_time("1129 10:41:02", 2026), k104102);
  EXPECT_FALSE(parse_klog_time("1329 10:41:02", 2026));
  EXPECT_FALSE(parse_klog_time("1129 25:41:02", 2026));
  EXPECT_FALSE(parse_klog_time("1129", 2026));
}

TEST(TimestampTest, Syslog) {
  std::size_t n = 0;
  EXPECT_EQ(parse_syslog_time("Nov 29 10:41:02 host", 2026, n), k104102);
  EXPECT_EQ(n, 15u);
  EXPECT_EQ(parse_syslog_time("Nov 29 10:41:02.123456 host", 2026, n), k104102);
  EXPECT_EQ(n, 22u);
  EXPECT_TRUE(parse_syslog_time("Feb  3 00:00:00 h", 2026, n));
  EXPECT_FALSE(parse_syslog_time("Foo 29 10:41:02 host", 2026, n));
  EXPECT_FALSE(parse_syslog_time("ovN 29 10:41:02 host", 2026, n));
  EXPECT_FALSE(parse_syslog_time("Nov 29 10:41", 2026, n));
}

TEST(TimestampTest, IsoWithAnyFractionAndOffset) {
  EXPECT_EQ(parse_iso_time("2026-11-29T10:41:02Z"), k104102);
  EXPECT_EQ(parse_iso_time("2026-11-29T10:41:02.123456789Z"), k104102);
  EXPECT_EQ(parse_iso_time("2026-11-29T12:41:02+0200"), k104102);
  EXPECT_EQ(parse_iso_time("2026-11-29T12:41:02.5+02:00"), k104102);
  EXPECT_FALSE(parse_iso_time("2026-11-29 nope"));
  EXPECT_FALSE(parse_iso_time("1764412862"));  // unknown formats are no time
  EXPECT_FALSE(parse_iso_time(""));
}

TEST(TimestampTest, Bounds) {
  EXPECT_EQ(parse_time_bound("2026-11-29T10:41:02Z", 0), k104102);
  EXPECT_EQ(parse_time_bound("1h", k104102), k104102 - 3600);
  EXPECT_EQ(parse_time_bound("1h30m", k104102), k104102 - 5400);
  EXPECT_EQ(parse_time_bound("2d", k104102), k104102 - 2 * 86400);
  EXPECT_EQ(parse_time_bound("90s", k104102), k104102 - 90);
  EXPECT_FALSE(parse_time_bound("1", k104102));
  EXPECT_FALSE(parse_time_bound("1w", k104102));
  EXPECT_FALSE(parse_time_bound("", k104102));
  EXPECT_FALSE(parse_time_bound("yesterday", k104102));
}

}  // namespace
}  // namespace ktriage::logs
