// The text records of failed cs operations: which fields are read, with which time and path.
#include "cloud/cs_records.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage::cloud {
namespace {

using ktriage::testing::cluster_from;

TEST(CsRecordsTest, FailedTaskGivesCodeMessageStagesAndEvents) {
  auto c = cluster_from({{"s/cloud/cs-DescribeTaskInfo-T-1.json", R"({
    "task_id": "T-1", "cluster_id": "c1", "task_type": "cluster_scaleout", "state": "fail",
    "updated": "2026-12-01T16:05:00+08:00", "target": {"id": "np-1", "type": "nodepool"},
    "stages": [{"message": "ok", "end_time": "2026-12-01 08:01:00"}, {"message": ""}],
    "events": [{"message": "event text", "timestamp": "2026-12-01T08:02:00Z"}],
    "error": {"code": "E1", "message": "boom"}})"}});
  auto r = cs_records(*c);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].path, ".error.code");
  EXPECT_EQ(r[0].text, "E1");
  EXPECT_EQ(r[0].time, parse_rfc3339("2026-12-01T08:05:00Z"));
  EXPECT_EQ(r[1].path, ".error.message");
  EXPECT_EQ(r[2].path, ".stages[0].message");
  EXPECT_EQ(r[2].time, parse_rfc3339("2026-12-01T08:01:00Z"));
  EXPECT_EQ(r[3].path, ".events[0].message");
  EXPECT_EQ(r[3].target_type, "nodepool");
  EXPECT_EQ(r[3].target_id, "np-1");
  EXPECT_EQ(r[3].task_type, "cluster_scaleout");
  Evidence e = record_evidence(r[1]);
  EXPECT_EQ(e.file, "s/cloud/cs-DescribeTaskInfo-T-1.json");
  EXPECT_EQ(e.object, "task T-1");
  EXPECT_EQ(e.value, "2026-12-01 08:05 UTC: boom");
}

TEST(CsRecordsTest, RunningTasksLogsAndEvents) {
  auto c = cluster_from(
      {{"s/cloud/cs-DescribeTaskInfo-T-2.json",
        R"({"task_id": "T-2", "state": "running", "error": {"message": "not yet"}})"},
       {"s/cloud/cs-DescribeClusterLogs.json",
        R"([{"cluster_log": "log line", "created": "2026-12-01T08:00:00Z"}, {"ID": 2}])"},
       {"s/cloud/cs-DescribeClusterEvents.json",
        R"({"events": [{"time": "2026-12-01T08:00:00Z", "cluster_id": "c1",
                        "data": {"reason": "R", "message": "M"}}]})"}});
  auto r = cs_records(*c);
  ASSERT_EQ(r.size(), 3u);  // the running task is not a failure
  EXPECT_EQ(r[0].path, "[0].cluster_log");
  EXPECT_EQ(r[1].path, ".events[0].data.reason");
  EXPECT_EQ(r[2].path, ".events[0].data.message");
  EXPECT_EQ(r[2].cluster_id, "c1");
}

TEST(CsRecordsTest, TimesInBothForms) {
  EXPECT_EQ(parse_cs_time("2022-12-15 23:00:00"), parse_rfc3339("2022-12-15T23:00:00Z"));
  EXPECT_EQ(parse_cs_time("2020-11-10T16:02:04+08:00"), parse_rfc3339("2020-11-10T08:02:04Z"));
  EXPECT_FALSE(parse_cs_time("yesterday"));
  EXPECT_FALSE(parse_cs_time(""));
}

}  // namespace
}  // namespace ktriage::cloud
