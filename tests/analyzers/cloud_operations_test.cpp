// Failed cluster creation and node-add operations from the cs answers of a snapshot's cloud/
// folder: one positive case per rule (the catalog's exact code or message in a failed task, a
// cluster log or an event) and the negative cases (successful tasks, unrelated text).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_rule;

const std::string kDetail = R"({"cluster_id": "c8f2e1d", "name": "prod",
  "cluster_type": "ManagedKubernetes", "region_id": "cn-hangzhou", "state": "running"})";

// A DescribeTaskInfo answer of a failed node-pool scale-out whose error says `message`.
std::string failed_task(std::string_view state, std::string_view code, std::string_view message) {
  return fmt::format(R"({{"task_id": "T-5faa48fb31b6b8078d000006", "cluster_id": "c8f2e1d",
    "task_type": "nodepool_scaleout", "state": "{}", "created": "2026-12-01T08:00:00+08:00",
    "updated": "2026-12-01T08:03:06+08:00", "target": {{"id": "np-web", "type": "nodepool"}},
    "stages": [{{"state": "failed", "start_time": "2026-12-01 00:01:00",
                "end_time": "2026-12-01 00:03:00", "message": "{}"}}],
    "error": {{"code": "{}", "message": "{}"}}}})",
                     state, message, code, message);
}

std::vector<Finding> run_task(std::string_view code, std::string_view message,
                              std::string_view state = "fail") {
  auto c = cluster_from(
      {{"snap/cloud/cs-DescribeClusterDetail.json", kDetail},
       {"snap/cloud/cs-DescribeTaskInfo-T-5faa.json", failed_task(state, code, message)}});
  return diagnose(*c);
}

TEST(CloudOperationsTest, EachCatalogCauseInAFailedTaskHasItsRule) {
  struct Case {
    std::string_view rule, code, message;
  } cases[] = {
      {"ack-service-role-not-authorized", "ErrAutoScalerRoleNotAttach",
       "please complete the cluster addon's service ramrole authorization at https://x"},
      {"ack-console-feature-forbidden", "ForbiddenHelmUsage", "forbidden"},
      {"ack-node-add-forbidden-rbac", "ForbiddenAttachInstance", "forbidden"},
      {"ack-instance-type-unavailable", "OperationDenied.NoStock", "create ECS failed"},
      {"ack-nodepool-config-mismatch", "", "System disk and instance type mismatch"},
      {"ack-vswitch-ip-exhausted", "InvalidVSwitchId.IpNotEnough", "no free IP"},
      {"ack-quota-exceeded", "QuotaExceeded.PrivateIpAddress", "quota"},
      {"ack-account-overdue", "", "instance lock: LockReason: financial"},
      {"ack-node-login-credential-invalid", "", "You must specify this parameter or key_pair"},
      {"ack-node-cannot-reach-control-plane", "",
       "node init: dial tcp 192.168.0.10:6443: i/o timeout"},
      {"ack-invalid-parameters", "InvalidParameter", "bad request"},
  };
  for (const Case& c : cases) {
    auto f = run_task(c.code, c.message);
    auto r = with_rule(f, c.rule);
    ASSERT_EQ(r.size(), 1u) << c.rule;
    EXPECT_EQ(r[0]->object.key(), "ACKNodePool/np-web") << c.rule;
    EXPECT_NE(r[0]->summary.find("task T-5faa48fb31b6b8078d000006 (nodepool_scaleout) failed"),
              std::string::npos)
        << r[0]->summary;
    EXPECT_FALSE(r[0]->fix.empty());
    ASSERT_FALSE(r[0]->evidence.empty());
    EXPECT_EQ(r[0]->evidence[0].file, "snap/cloud/cs-DescribeTaskInfo-T-5faa.json");
    EXPECT_TRUE(r[0]->evidence[0].last_seen.has_value());
    EXPECT_TRUE(with_rule(f, "ack-task-failed").empty()) << c.rule;
  }
}

TEST(CloudOperationsTest, VswitchEvidenceNamesFieldTimeAndMessage) {
  auto f = run_task("InvalidVSwitchId.IpNotEnough",
                    "The specified VSwitch \\\"vsw-a\\\" has not enough IpAddress.");
  auto r = with_rule(f, "ack-vswitch-ip-exhausted");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->catalog, "ACK-CREATE-VSWITCH-OR-CIDR-PROBLEM");
  EXPECT_EQ(r[0]->evidence[0].path, ".error.code");
  EXPECT_EQ(r[0]->evidence[0].value, "2026-12-01 00:03 UTC: InvalidVSwitchId.IpNotEnough");
  EXPECT_NE(r[0]->fix.find("vSwitches"), std::string::npos);
}

TEST(CloudOperationsTest, SuccessfulTasksAndUnrelatedTextGiveNothing) {
  auto ok = run_task("InvalidVSwitchId.IpNotEnough", "no free IP", "success");
  EXPECT_TRUE(with_rule(ok, "ack-vswitch-ip-exhausted").empty());
  EXPECT_TRUE(with_rule(ok, "ack-task-failed").empty());
  auto c = cluster_from({{"snap/cloud/cs-DescribeClusterDetail.json", kDetail}});
  auto none = diagnose(*c);
  for (std::string_view rule :
       {"ack-service-role-not-authorized", "ack-console-feature-forbidden",
        "ack-node-add-forbidden-rbac", "ack-instance-type-unavailable",
        "ack-nodepool-config-mismatch", "ack-quota-exceeded", "ack-account-overdue",
        "ack-node-login-credential-invalid", "ack-node-cannot-reach-control-plane",
        "ack-invalid-parameters", "ack-node-add-instance-not-eligible",
        "ack-cluster-state-abnormal"}) {
    EXPECT_TRUE(with_rule(none, rule).empty()) << rule;
  }
}

TEST(CloudOperationsTest, UnknownCauseIsReportedAsAFailedTask) {
  auto f = run_task("Unknown", "something odd happened");
  auto r = with_rule(f, "ack-task-failed");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->fix.find("aliyun cs DescribeTaskInfo --task_id T-5faa48fb31b6b8078d000006"),
            std::string::npos);
}

TEST(CloudOperationsTest, FailedClusterIsExplainedByItsLogsAndEvents) {
  auto c = cluster_from(
      {{"snap/cloud/cs-DescribeClusterDetail.json",
        R"({"cluster_id": "c8f2e1d", "name": "prod", "cluster_type": "ManagedKubernetes",
            "state": "failed"})"},
       {"snap/cloud/cs-DescribeClusterLogs.json",
        R"([{"ID": 1, "cluster_id": "c8f2e1d", "cluster_log": "start to create cluster",
             "created": "2026-12-01T08:00:00+08:00"},
            {"ID": 2, "cluster_id": "c8f2e1d",
             "cluster_log": "create nat gateway failed: QuotaExceeded.Nat",
             "created": "2026-12-01T08:02:00+08:00"}])"},
       {"snap/cloud/cs-DescribeClusterEvents.json",
        R"({"events": [{"event_id": "e1", "type": "cluster_create", "cluster_id": "c8f2e1d",
             "time": "2026-12-01T08:02:10+08:00",
             "data": {"level": "error", "reason": "CreateFailed",
                      "message": "QuotaExceeded.Nat: quota of nat gateway exceeded"}}]})"}});
  auto f = diagnose(*c);
  auto state = with_rule(f, "ack-cluster-state-abnormal");
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0]->object.key(), "ACKCluster/prod");
  EXPECT_EQ(state[0]->evidence[0].path, ".state");
  auto quota = with_rule(f, "ack-quota-exceeded");
  ASSERT_EQ(quota.size(), 1u);
  EXPECT_EQ(quota[0]->object.key(), "ACKCluster/prod");
  EXPECT_EQ(quota[0]->evidence.size(), 2u);  // the log line and the event
  EXPECT_EQ(quota[0]->evidence[0].path, "[1].cluster_log");
  ASSERT_EQ(state[0]->caused_by.size(), 1u);
  EXPECT_EQ(state[0]->caused_by[0], quota[0]->id);
}

TEST(CloudOperationsTest, AttachAnswerListsIneligibleInstances) {
  auto c = cluster_from({{"snap/cloud/cs-DescribeClusterDetail.json", kDetail},
                         {"snap/cloud/cs-AttachInstances-c8f2e1d.json",
                          R"({"task_id": "T-attach", "list": [
            {"code": "200", "instanceId": "i-good", "message": "successful"},
            {"code": "400", "instanceId": "i-other",
             "message": "instance already belongs to another cluster"}]})"}});
  auto f = diagnose(*c);
  auto r = with_rule(f, "ack-node-add-instance-not-eligible");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0]->summary.find("i-other"), std::string::npos);
  EXPECT_EQ(r[0]->summary.find("i-good"), std::string::npos);
  EXPECT_EQ(r[0]->evidence[0].path, ".list[1]");
}

TEST(CloudOperationsTest, MalformedRecordsNeverCrash) {
  auto c = cluster_from({{"snap/cloud/cs-DescribeTaskInfo-T-1.json",
                          R"({"state": 7, "error": "x", "stages": {"a": 1}, "events": [1, null]})"},
                         {"snap/cloud/cs-DescribeClusterLogs.json", R"({"not": "a list"})"},
                         {"snap/cloud/cs-DescribeEvents.json", R"({"events": [null, 3]})"},
                         {"snap/cloud/cs-AttachInstances.json", R"({"list": [null, {"code": 5}]})"},
                         {"snap/cloud/cs-DescribeTaskInfo-T-2.json", "{not json"}});
  auto f = diagnose(*c);
  EXPECT_TRUE(with_rule(f, "ack-task-failed").empty());
}

TEST(CloudOperationsTest, FinancialLockOnInstancesMeansAnOverdueAccount) {
  auto locked = cluster_from({{"snap/cloud/cs-DescribeClusterDetail.json", kDetail},
                              {"snap/cloud/ecs-DescribeInstances.json",
                               R"({"Instances": {"Instance": [
            {"InstanceId": "i-ok", "Status": "Running", "OperationLocks": {"LockReason": []}},
            {"InstanceId": "i-locked", "Status": "Stopped",
             "OperationLocks": {"LockReason": [{"LockReason": "financial"}]}}]}})"}});
  auto f = diagnose(*locked);
  auto r = with_rule(f, "ack-account-overdue");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "ACKCluster/prod");
  ASSERT_EQ(r[0]->evidence.size(), 1u);
  EXPECT_EQ(r[0]->evidence[0].object, "instance i-locked");
  EXPECT_NE(r[0]->evidence[0].path.find("OperationLocks.LockReason"), std::string::npos);

  auto security = cluster_from({{"snap/cloud/ecs-DescribeInstances.json",
                                 R"({"Instances": {"Instance": [{"InstanceId": "i-1",
             "OperationLocks": {"LockReason": [{"LockReason": "security"}]}}]}})"}});
  auto none = diagnose(*security);
  EXPECT_TRUE(with_rule(none, "ack-account-overdue").empty());
}

TEST(CloudOperationsTest, DockerDefaultNodePoolOnNewClusterBreaksAttach) {
  const std::string pools = R"({"nodepools": [
      {"nodepool_info": {"nodepool_id": "np-default", "name": "default-nodepool", "is_default": true},
       "kubernetes_config": {"runtime": "docker", "runtime_version": "19.03.15"}},
      {"nodepool_info": {"nodepool_id": "np-web", "name": "web", "is_default": false},
       "kubernetes_config": {"runtime": "containerd", "runtime_version": "1.6.28"}}]})";
  auto detail = [](std::string_view version) {
    return std::string(
               R"({"cluster_id": "c8f2e1d", "name": "prod", "cluster_type": "ManagedKubernetes", "current_version": ")") +
           std::string(version) + R"("})";
  };
  auto f = diagnose(
      *cluster_from({{"snap/cloud/cs-DescribeClusterDetail.json", detail("1.30.1-aliyun.1")},
                     {"snap/cloud/cs-DescribeClusterNodePools.json", pools}}));
  auto r = with_rule(f, "ack-default-nodepool-docker-runtime");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "ACKNodePool/np-default");
  EXPECT_EQ(r[0]->evidence[0].value, "docker 19.03.15");
  auto old = diagnose(
      *cluster_from({{"snap/cloud/cs-DescribeClusterDetail.json", detail("1.22.15-aliyun.1")},
                     {"snap/cloud/cs-DescribeClusterNodePools.json", pools}}));
  EXPECT_TRUE(with_rule(old, "ack-default-nodepool-docker-runtime").empty());
}

TEST(CloudOperationsTest, TaskListsAreReadUnderEitherName) {
  for (std::string_view file :
       {"snap/cloud/cs-DescribeClusterTasks.json", "snap/cloud/cs-DescribeTasks.json"}) {
    auto c = cluster_from(
        {{"snap/cloud/cs-DescribeClusterDetail.json", kDetail},
         {std::string(file),
          R"({"tasks": [{"task_id": "T-1", "cluster_id": "c8f2e1d", "task_type": "cluster_scaleout",
               "state": "success"},
              {"task_id": "T-2", "cluster_id": "c8f2e1d", "task_type": "cluster_scaleout",
               "state": "fail", "updated": "2026-12-01T08:00:00Z",
               "error": {"code": "QuotaExceeded.Eip", "message": "eip quota"}}]})"}});
    auto f = diagnose(*c);
    auto r = with_rule(f, "ack-quota-exceeded");
    ASSERT_EQ(r.size(), 1u) << file;
    EXPECT_EQ(r[0]->object.key(), "ACKCluster/prod");
    EXPECT_EQ(r[0]->evidence[0].path, ".tasks[1].error.code");
  }
}

TEST(CloudOperationsTest, ServiceRoleFixNamesTheRolesOfTheLink) {
  auto f = run_task("ErrManagedKuberneteRoleNotAttach",
                    "please complete the cluster addon's service ramrole authorization at "
                    "https://ram.console.aliyun.com/role/"
                    "authorize?request=%7B%22Services%22%3A%5B%7B%22Roles%22%3A%5B%7B%22RoleName%"
                    "22%3A%22AliyunCSManagedLogRole%22%7D%2C%7B%22RoleName%22%3A%"
                    "22AliyunCSManagedCmsRole%22%7D%5D%7D%5D%7D");
  auto r = with_rule(f, "ack-service-role-not-authorized");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(
      r[0]->fix.find("Roles the error names: AliyunCSManagedLogRole, AliyunCSManagedCmsRole."),
      std::string::npos)
      << r[0]->fix;
}

}  // namespace
}  // namespace ktriage
