// Log scans as findings of diagnose's schema.
#include "logs/findings.h"

#include <gtest/gtest.h>

#include "logs/report_fixture.h"

namespace ktriage::logs {
namespace {

TEST(FindingsTest, ObjectOfALog) {
  EXPECT_EQ(object_of_log("snap/nodes/n1/kubelet.log").key(), "Node/n1");
  EXPECT_EQ(object_of_log("snap/logs/shop/web-1/web.log").key(), "Pod/shop/web-1");
  EXPECT_EQ(object_of_log("/var/log/syslog").key(), "File//var/log/syslog");
}

TEST(FindingsTest, OneFindingPerSignatureAndFile) {
  auto sigs = testing::fixture_signatures();
  Diagnosis d = to_diagnosis(testing::fixture_scan(), sigs);
  ASSERT_EQ(d.findings.size(), 3u);
  const Finding& f = d.findings[0];
  EXPECT_EQ(f.id, "log-1");
  EXPECT_EQ(f.rule, "kubelet-dead");
  EXPECT_EQ(f.catalog, "NODE-DEAD");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.object.key(), "Node/n1");
  EXPECT_EQ(f.summary, "The kubelet died (2 lines in nodes/n1/kubelet.log)");
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].value,
            "2 matching lines of nodes/n1/kubelet.log (kubelet), first 1970-01-01T00:50:00Z, "
            "last 1970-01-01T01:00:00Z");
  EXPECT_EQ(f.evidence[1].kind, Evidence::Kind::kLog);
  EXPECT_EQ(f.evidence[1].line, 2u);
  EXPECT_EQ(f.fix, "Restart it.");
  EXPECT_EQ(d.findings[1].summary, "It is slow (1 line in misc.txt)");  // File before Pod
  EXPECT_EQ(d.findings[2].object.key(), "Pod/shop/web-1");
  EXPECT_EQ(d.input.scope, "logs");
  EXPECT_EQ(d.input.files_read, 3u);
  ASSERT_EQ(d.input.issues.size(), 2u);  // the truncated .gz and the binary lines
  EXPECT_FALSE(d.input.issues[0].skipped_file);
}

}  // namespace
}  // namespace ktriage::logs
