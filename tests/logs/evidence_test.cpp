// Log evidence in `diagnose`: the snapshot's container and node logs scanned with the built-in
// signatures, each hit attached to the finding about the pod or node it explains.
#include "logs/evidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage::logs {
namespace {

using testing::cluster_from;

class LogEvidenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sigs = builtin_signatures();
    ASSERT_TRUE(sigs) << sigs.error();
    signatures_ = new std::vector<Signature>(std::move(*sigs));
    auto m = Matcher::compile(*signatures_);
    ASSERT_TRUE(m) << m.error();
    matcher_ = new Matcher(std::move(*m));
  }
  static void TearDownTestSuite() {
    delete matcher_;
    delete signatures_;
  }

  // Scans `files`' logs, adds log findings, then attaches evidence (as the pipeline does around
  // correlation) to `findings`.
  void run(const std::vector<std::pair<std::string, std::string>>& files,
           std::vector<Finding>& findings, std::optional<UnixSeconds> now = {}) {
    cluster_ = cluster_from(files, now);
    SnapshotLogs logs = scan_snapshot_logs(*cluster_, *signatures_, *matcher_);
    add_log_findings(logs, *signatures_, findings);
    attach_log_evidence(logs, *signatures_, findings);
  }

  static Finding finding(std::string rule, std::string catalog, ObjectRef object,
                         Severity severity = Severity::kCritical) {
    Finding f;
    f.rule = std::move(rule);
    f.catalog = std::move(catalog);
    f.object = std::move(object);
    f.id = f.rule + ":" + f.object.key();
    f.severity = severity;
    return f;
  }

  static std::vector<const Evidence*> logs_of(const Finding& f) {
    std::vector<const Evidence*> out;
    for (const Evidence& e : f.evidence) {
      if (e.kind == Evidence::Kind::kLog) out.push_back(&e);
    }
    return out;
  }
  static bool has_note(const Finding& f, std::string_view text) {
    return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& e) {
      return e.kind == Evidence::Kind::kNote && e.value.find(text) != std::string::npos;
    });
  }

  static std::vector<Signature>* signatures_;
  static Matcher* matcher_;
  std::unique_ptr<Cluster> cluster_;
};
std::vector<Signature>* LogEvidenceTest::signatures_ = nullptr;
Matcher* LogEvidenceTest::matcher_ = nullptr;

const ObjectRef kPod{"Pod", "shop", "api-1", ""};
const ObjectRef kNode{"Node", "", "n1", ""};

const std::string kJavaLog =
    "2026-11-29T10:39:00.000000000Z stdout F Started Application in 3.2 seconds\n"
    "2026-11-29T10:39:30.000000000Z stderr F Exception in thread \"main\" "
    "java.lang.OutOfMemoryError: Java heap space\n"
    "2026-11-29T10:39:30.000000001Z stderr F \tat java.util.Arrays.copyOf(Arrays.java:3512)\n";

const std::string kPlegLine =
    "E1129 10:41:02.123456    1234 kubelet.go:2386] \"Skipping pod synchronization\" "
    "err=\"PLEG is not healthy: pleg was last seen active 3m5.1s ago; threshold is 3m0s\"\n";

TEST_F(LogEvidenceTest, JavaOutOfMemoryLineBecomesEvidenceOnTheCrashLoopFinding) {
  std::vector<Finding> findings{finding("crash-app-error", "POD-CRASH-APP-ERROR", kPod)};
  run({{"snap/logs/shop/api-1/api.previous.log", kJavaLog}}, findings);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_TRUE(has_note(f, "log signature app-java-oom-heap")) << f.evidence.size();
  EXPECT_TRUE(has_note(f, "first 2026-11-29T10:39:30Z") || has_note(f, "2026-11-29T10:39:30Z"));
  auto lines = logs_of(f);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]->file, "snap/logs/shop/api-1/api.previous.log");
  EXPECT_EQ(lines[0]->line, 2u);
  EXPECT_NE(lines[0]->value.find("java.lang.OutOfMemoryError: Java heap space"), std::string::npos);
}

TEST_F(LogEvidenceTest, PlegLinesBecomeEvidenceOnTheNotReadyNodeWithTheFilesLineNumbers) {
  // More than the 1 MiB kept of a node log: line numbers must still be the file's.
  std::string log;
  const std::string filler =
      "I1129 10:40:00.000001    1234 kubelet.go:100] \"SyncLoop (housekeeping)\"\n";
  std::uint32_t lines = 0;
  while (log.size() < 2u * 1024 * 1024) {
    log += filler;
    ++lines;
  }
  log += kPlegLine;
  std::vector<Finding> findings{
      finding("node-not-ready", "NODE-NOT-READY-KUBELET-STOPPED-POSTING", kNode)};
  run({{"snap/nodes/n1/kubelet.log", log}}, findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(has_note(findings[0], "log signature kubelet-pleg-not-healthy"));
  auto ev = logs_of(findings[0]);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]->file, "snap/nodes/n1/kubelet.log");
  EXPECT_EQ(ev[0]->line, lines + 1);
}

TEST_F(LogEvidenceTest, TheFindingWithTheSignaturesCatalogEntryGetsTheLines) {
  std::vector<Finding> findings{
      finding("node-not-ready", "NODE-NOT-READY-KUBELET-STOPPED-POSTING", kNode),
      finding("node-pleg", "NODE-NOT-READY-PLEG", kNode, Severity::kWarning)};
  run({{"snap/nodes/n1/kubelet.log", kPlegLine}}, findings);
  EXPECT_TRUE(logs_of(findings[0]).empty());
  EXPECT_EQ(logs_of(findings[1]).size(), 1u);
}

TEST_F(LogEvidenceTest, WithoutACatalogMatchTheWorstFindingGetsThem) {
  std::vector<Finding> findings{
      finding("node-cordoned", "NODE-CORDONED", kNode, Severity::kWarning),
      finding("node-not-ready", "NODE-NOT-READY-KUBELET-STOPPED-POSTING", kNode)};
  run({{"snap/nodes/n1/kubelet.log", kPlegLine}}, findings);
  EXPECT_TRUE(logs_of(findings[0]).empty());
  EXPECT_EQ(logs_of(findings[1]).size(), 1u);
}

TEST_F(LogEvidenceTest, NodeLogLinesNamingAPodGoToThatPodsFinding) {
  // The four ways the kubelet and containerd name a pod in a line.
  const std::string journal =
      "E1203 06:02:34.118204    1402 kuberuntime_manager.go:1166] \"CreatePodSandbox for pod "
      "failed\" err=\"rpc error: code = Unknown desc = failed to setup network for sandbox "
      "\\\"0b3f\\\": plugin type=\\\"terway\\\" failed (add): dial unix "
      "/var/run/eni/eni.socket: connect: no such file or directory\" pod=\"shop/cart-1\"\n";
  const std::string containerd =
      "time=\"2026-12-03T06:02:34.118Z\" level=error msg=\"RunPodSandbox for "
      "&PodSandboxMetadata{Name:search-1,Uid:2e9f,Namespace:shop,Attempt:0,} failed, error\" "
      "error=\"failed to setup network for sandbox \\\"15a7\\\": plugin type=\\\"terway\\\" "
      "failed (add): dial unix /var/run/eni/eni.socket: connect: no such file or directory\"\n";
  const std::string mount =
      "E1202 08:04:30.233602    1954 nestedpendingoperations.go:348] Operation for "
      "\"{volumeName:kubernetes.io/configmap/d4e5-templates podName:d4e5 nodeName:}\" failed. No "
      "retries permitted until 2026-12-02 08:04:30.733572 +0000 UTC m=+8123.456789 "
      "(durationBeforeRetry 500ms). Error: MountVolume.SetUp failed for volume \"templates\" "
      "(UniqueName: \"kubernetes.io/configmap/d4e5-templates\") pod \"report-1\" (UID: \"d4e5\") "
      ": configmap \"report-templates\" not found\n";
  const std::string old =
      "E1111 11:01:00.000000    2301 pod_workers.go:1300] \"Error syncing pod, skipping\" "
      "err=\"failed to \\\"StartContainer\\\" for \\\"web\\\" with CrashLoopBackOff: "
      "\\\"back-off 5m0s restarting failed container=web pod=web-1_shop(8c1d)\\\"\"\n";
  std::vector<Finding> findings{
      finding("sandbox", "POD-WAITING-SANDBOX-CNI-FAILED", ObjectRef{"Pod", "shop", "cart-1", ""}),
      finding("sandbox", "POD-WAITING-SANDBOX-CNI-FAILED",
              ObjectRef{"Pod", "shop", "search-1", ""}),
      finding("mount", "POD-WAITING-MOUNT-SECRET-CONFIGMAP-MISSING",
              ObjectRef{"Pod", "shop", "report-1", "d4e5"}),
      // The same name in another namespace, another UID: not the pod the line is about.
      finding("crash", "POD-CRASH-APP-ERROR", ObjectRef{"Pod", "other", "report-1", "9f9f"}),
      finding("crash", "POD-CRASH-APP-ERROR", ObjectRef{"Pod", "shop", "web-1", ""}),
      finding("node-disk", "NODE-DISK-PRESSURE", kNode, Severity::kWarning)};
  findings[1].id += "x";  // same rule, other pod
  findings[3].id += "y";
  run({{"snap/nodes/n1/kubelet.log", journal + mount + old},
       {"snap/nodes/n1/containerd.log", containerd}},
      findings);
  ASSERT_EQ(findings.size(), 6u);
  ASSERT_EQ(logs_of(findings[0]).size(), 1u);
  EXPECT_EQ(logs_of(findings[0])[0]->line, 1u);
  ASSERT_FALSE(logs_of(findings[1]).empty());
  EXPECT_EQ(logs_of(findings[1])[0]->file, "snap/nodes/n1/containerd.log");
  ASSERT_EQ(logs_of(findings[2]).size(), 1u);
  EXPECT_EQ(logs_of(findings[2])[0]->line, 2u);
  EXPECT_TRUE(logs_of(findings[3]).empty()) << "found by UID, not by name";
  ASSERT_EQ(logs_of(findings[4]).size(), 1u);
  EXPECT_EQ(logs_of(findings[4])[0]->line, 3u);
  EXPECT_TRUE(logs_of(findings[5]).empty()) << "lines about pods are not the node's";
}

TEST_F(LogEvidenceTest, APodNamedInANodeLogWithoutAFindingIsNotTheNodes) {
  const std::string line =
      "E1203 06:02:34.118204    1402 kuberuntime_manager.go:1166] \"CreatePodSandbox for pod "
      "failed\" err=\"rpc error: code = DeadlineExceeded\" pod=\"shop/cart-1\"\n";
  std::vector<Finding> findings{finding("node-not-ready", "NODE-NOT-READY", kNode)};
  run({{"snap/nodes/n1/kubelet.log", line}}, findings);
  EXPECT_TRUE(logs_of(findings[0]).empty()) << "a healthy or gone pod's line does not explain n1";
}

TEST_F(LogEvidenceTest, OldLinesMakeNoFindingAndNoEvidence) {
  // Journal lines of October in a December snapshot: a past hiccup, not today's state.
  const std::string old_pleg =
      "Oct 01 00:10:00 n1 kubelet[1234]: E1001 00:10:00.000001    1234 kubelet.go:2386] "
      "\"Skipping pod synchronization\" err=\"PLEG is not healthy: pleg was last seen active "
      "3m5.1s ago; threshold is 3m0s\"\n";
  const UnixSeconds dec = *parse_rfc3339("2026-12-01T08:30:00Z");
  std::vector<Finding> none;
  run({{"snap/nodes/n1/kubelet.log", old_pleg}}, none, dec);
  EXPECT_TRUE(none.empty());
  std::vector<Finding> findings{finding("node-not-ready", "NODE-NOT-READY", kNode)};
  run({{"snap/nodes/n1/kubelet.log", old_pleg}}, findings, dec);
  EXPECT_TRUE(logs_of(findings[0]).empty());
  // The same line on the snapshot's day counts.
  std::string today = old_pleg;
  today.replace(today.find("Oct 01 00:10:00"), 15, "Dec 01 08:10:00");
  std::vector<Finding> fresh;
  run({{"snap/nodes/n1/kubelet.log", today}}, fresh, dec);
  EXPECT_EQ(fresh.size(), 1u);
}

TEST_F(LogEvidenceTest, AFindingOfASiblingPodCarriesItThroughAlsoAffects) {
  Finding f =
      finding("crash-app-error", "POD-CRASH-APP-ERROR", ObjectRef{"Pod", "shop", "api-0", ""});
  f.also_affects.push_back(kPod);
  std::vector<Finding> findings{f};
  run({{"snap/logs/shop/api-1/api.log", kJavaLog}}, findings);
  EXPECT_EQ(logs_of(findings[0]).size(), 1u);
}

TEST_F(LogEvidenceTest, SiblingsAndPreviousRunsRepeatingASignatureAddItOnce) {
  Finding f =
      finding("crash-app-error", "POD-CRASH-APP-ERROR", ObjectRef{"Pod", "shop", "api-0", ""});
  f.also_affects.push_back(kPod);
  std::vector<Finding> findings{f};
  run({{"snap/logs/shop/api-0/api.log", kJavaLog},
       {"snap/logs/shop/api-0/api.previous.log", kJavaLog},
       {"snap/logs/shop/api-1/api.log", kJavaLog}},
      findings);
  EXPECT_EQ(logs_of(findings[0]).size(), 1u);
}

TEST_F(LogEvidenceTest, LinesTheAnalyzerQuotedAreNotRepeated) {
  std::vector<Finding> findings{finding("crash-app-error", "POD-CRASH-APP-ERROR", kPod)};
  Evidence quoted;
  quoted.kind = Evidence::Kind::kLog;
  quoted.file = "snap/logs/shop/api-1/api.log";
  quoted.line = 2;
  quoted.value = "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space";
  findings[0].evidence.push_back(quoted);
  run({{"snap/logs/shop/api-1/api.log", kJavaLog}}, findings);
  EXPECT_EQ(findings[0].evidence.size(), 1u) << "no note and no second copy of the line";
}

// An analyzer that parsed a log for the same fault (same catalog entry, lines of that file
// quoted) gets no signature note repeating it with other lines; a finding of another catalog
// entry does.
TEST_F(LogEvidenceTest, AFindingThatReadTheLogForTheSameFaultGetsNoRepeat) {
  const std::string log =
      "E1204 01:12:41.331000       1 reflector.go:150] failed to list *v1.Node: nodes is "
      "forbidden: User \"system:serviceaccount:shop:api\" cannot list resource \"nodes\" in API "
      "group \"\" at the cluster scope\n"
      "E1204 01:13:41.331000       1 reflector.go:150] failed to list *v1.Node: nodes is "
      "forbidden: User \"system:serviceaccount:shop:api\" cannot list resource \"nodes\" in API "
      "group \"\" at the cluster scope\n";
  auto rbac_finding = [](std::string catalog) {
    Finding f = finding("rbac-forbidden", std::move(catalog), kPod, Severity::kWarning);
    Evidence quoted;
    quoted.kind = Evidence::Kind::kLog;
    quoted.file = "snap/logs/shop/api-1/api.log";
    quoted.line = 2;
    f.evidence.push_back(quoted);
    return f;
  };
  std::vector<Finding> same{rbac_finding("ACK-RAM-RBAC-FORBIDDEN")};
  run({{"snap/logs/shop/api-1/api.log", log}}, same, parse_rfc3339("2026-12-04T01:20:00Z"));
  EXPECT_EQ(same[0].evidence.size(), 1u);
  std::vector<Finding> other{rbac_finding("POD-CRASH-APP-ERROR")};
  run({{"snap/logs/shop/api-1/api.log", log}}, other, parse_rfc3339("2026-12-04T01:20:00Z"));
  EXPECT_TRUE(has_note(other[0], "log signature app-rbac-forbidden"));
}

TEST_F(LogEvidenceTest, HealthyLogsAddNothing) {
  std::vector<Finding> findings{finding("crash-app-error", "POD-CRASH-APP-ERROR", kPod)};
  run({{"snap/logs/shop/api-1/api.log", "started\nserving on :8080\nGET /healthz 200\n"},
       {"snap/nodes/n1/kubelet.log",
        "I1129 10:40:00.000001    1234 kubelet.go:100] \"Starting kubelet\"\n"}},
      findings);
  EXPECT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].evidence.empty());
}

TEST_F(LogEvidenceTest, ACriticalLineOnAnObjectWithoutFindingsBecomesAFinding) {
  std::vector<Finding> findings;
  run({{"snap/nodes/n1/kubelet.log", kPlegLine}}, findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "kubelet-pleg-not-healthy");
  EXPECT_EQ(findings[0].id, "kubelet-pleg-not-healthy:Node/n1");
  EXPECT_EQ(findings[0].catalog, "NODE-NOT-READY-PLEG");
  EXPECT_EQ(findings[0].object, kNode);
  EXPECT_EQ(logs_of(findings[0]).size(), 1u);
  EXPECT_FALSE(findings[0].fix.empty());
}

TEST_F(LogEvidenceTest, AWarningLineOnAnObjectWithoutFindingsIsNotAFinding) {
  std::vector<Finding> findings;
  run({{"snap/nodes/n1/kubelet.log",
        "E0606 06:06:07.000000    1300 kubelet_node_status.go:527] \"Unable to update node "
        "status\" err=\"update node status exceeds retry count\"\n"}},
      findings);
  EXPECT_TRUE(findings.empty());
}

}  // namespace
}  // namespace ktriage::logs
