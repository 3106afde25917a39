// Alibaba Cloud CLI answers in a snapshot: cloud/<product>-<Action>[-<id>].json by name, renamed
// answers by content, bad JSON at its line and column, unknown cloud files skipped with why.
#include "load/cloud_files.h"

#include <gtest/gtest.h>

#include "live/temp_dir.h"
#include "load/source.h"
#include "model/cluster.h"

namespace ktriage {
namespace {

constexpr std::string_view kSecurityGroup = R"({
  "RegionId": "cn-hangzhou",
  "SecurityGroupId": "sg-bp1nodes",
  "SecurityGroupName": "ack-nodes",
  "VpcId": "vpc-bp1main",
  "InnerAccessPolicy": "Accept",
  "Permissions": {"Permission": [
    {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22",
     "SourceCidrIp": "10.0.0.0/8", "Policy": "Accept", "Priority": "1"}
  ]},
  "RequestId": "4B6A0F3E-0000-0000-0000-000000000001"
})";

constexpr std::string_view kInstances = R"({
  "Instances": {"Instance": [{"InstanceId": "i-bp1a", "Status": "Running"}]},
  "TotalCount": 1, "PageNumber": 1, "PageSize": 100
})";

const InputIssue* issue_for(const Inputs& in, std::string_view suffix) {
  for (const InputIssue& i : in.issues) {
    if (std::string_view(i.where.file).ends_with(suffix)) return &i;
  }
  return nullptr;
}

TEST(CloudFilesTest, SplitsProductActionAndIdFromTheFileName) {
  auto c = cloud_call_from_name("ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->product, "ecs");
  EXPECT_EQ(c->action, "DescribeSecurityGroupAttribute");
  EXPECT_EQ(c->id, "sg-bp1nodes");
  c = cloud_call_from_name("CS-DescribeClusterDetail.JSON");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->product, "cs");
  EXPECT_EQ(c->id, "");
  EXPECT_FALSE(cloud_call_from_name("web-deployment.json"));  // the "action" is not CamelCase
  EXPECT_FALSE(cloud_call_from_name("DescribeInstances.json"));
  EXPECT_FALSE(cloud_call_from_name("ecs-DescribeInstances-.json"));
  EXPECT_FALSE(cloud_call_from_name("ecs-DescribeInstances.yaml"));
  EXPECT_TRUE(known_cloud_product("ram"));
  EXPECT_FALSE(known_cloud_product("web"));
  EXPECT_TRUE(in_cloud_folder("snap/cloud/x.json"));
  EXPECT_TRUE(in_cloud_folder("cloud/x.json"));
  EXPECT_FALSE(in_cloud_folder("snap/cloudy/x.json"));
}

TEST(CloudFilesTest, RecognisesEachAnswerByItsFieldsButNeverAKubernetesObject) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"SecurityGroupId": "sg-1", "Permissions": {"Permission": []}})",
       "ecs DescribeSecurityGroupAttribute"},
      {R"({"SecurityGroups": {"SecurityGroup": []}})", "ecs DescribeSecurityGroups"},
      {kInstances, "ecs DescribeInstances"},
      {R"({"NetworkInterfaceSets": {"NetworkInterfaceSet": []}})", "ecs DescribeNetworkInterfaces"},
      {R"({"VSwitches": {"VSwitch": []}, "TotalCount": 0})", "vpc DescribeVSwitches"},
      {R"({"Vpcs": {"Vpc": []}})", "vpc DescribeVpcs"},
      {R"({"cluster_id": "c1", "cluster_type": "ManagedKubernetes"})", "cs DescribeClusterDetail"},
      {R"({"task_id": "T1", "task_type": "cluster_scaleout", "state": "failed"})",
       "cs DescribeTaskInfo"},
      {R"({"tasks": [{"task_id": "T1"}], "page_info": {}})", "cs DescribeClusterTasks"},
      {R"({"events": [{"event_id": "E1"}], "page_info": {}})", "cs DescribeClusterEvents"},
      {R"({"nodepools": []})", "cs DescribeClusterNodePools"},
      {R"({"nodes": [{"instance_id": "i-1"}], "page": {}})", "cs DescribeClusterNodes"},
      {R"([{"ID": 1, "cluster_id": "c1", "cluster_log": "start to create"}])",
       "cs DescribeClusterLogs"},
      {R"({"Policies": {"Policy": []}})", "ram ListPoliciesForUser"},
      {R"({"PolicyVersion": {"PolicyDocument": "{}"}})", "ram GetPolicyVersion"},
      {R"({"Policy": {}, "DefaultPolicyVersion": {"PolicyDocument": "{}"}})", "ram GetPolicy"},
  };
  for (const auto& [json, call] : cases) {
    Inputs in;
    load_buffer("renamed.json", json, in);
    ASSERT_EQ(in.cloud.size(), 1u) << json;
    EXPECT_EQ(in.cloud[0].product + " " + in.cloud[0].action, call);
    EXPECT_EQ(in.cloud[0].file, "renamed.json");
    EXPECT_TRUE(in.issues.empty()) << in.issues[0].message;
    EXPECT_TRUE(in.objects.empty());
  }
  // A Kubernetes object that happens to carry such fields stays an object.
  Inputs in;
  load_buffer("cm.json",
              R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
                  "SecurityGroupId": "sg-1", "Permissions": {}})",
              in);
  EXPECT_TRUE(in.cloud.empty());
  EXPECT_EQ(in.objects.size(), 1u);
}

TEST(CloudFilesTest, ClusterFindsAnswersByCallAndId) {
  Inputs in;
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json", kSecurityGroup, in);
  load_buffer("snap/cloud/ecs-DescribeInstances.json", kInstances, in);
  // Renamed and outside cloud/: known by its fields, its id taken from them.
  load_buffer("snap/other-group.json",
              R"({"SecurityGroupId": "sg-bp1pods", "Permissions": {"Permission": []}})", in);
  EXPECT_TRUE(in.issues.empty());
  EXPECT_EQ(in.files_read, 3u);
  auto cluster = Cluster::build(std::move(in));
  ASSERT_EQ(cluster->cloud_documents().size(), 3u);
  EXPECT_EQ(cluster->cloud_documents("ecs", "DescribeSecurityGroupAttribute").size(), 2u);
  const CloudDocument* sg =
      cluster->cloud_document("ecs", "DescribeSecurityGroupAttribute", "sg-bp1pods");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->file, "snap/other-group.json");
  sg = cluster->cloud_document("ecs", "DescribeSecurityGroupAttribute", "sg-bp1nodes");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->root["SecurityGroupName"].str(), "ack-nodes");
  const CloudDocument* any = cluster->cloud_document("ecs", "DescribeInstances");
  ASSERT_NE(any, nullptr);
  EXPECT_EQ(any->root["Instances"]["Instance"][0]["InstanceId"].str(), "i-bp1a");
  EXPECT_EQ(cluster->cloud_document("ecs", "DescribeInstances", "i-other"), nullptr);
  EXPECT_EQ(cluster->cloud_document("vpc", "DescribeVSwitches"), nullptr);
  EXPECT_TRUE(cluster->cloud_documents("vpc", "DescribeVSwitches").empty());
}

TEST(CloudFilesTest, BadCloudJsonIsAnIssueAtItsLineAndColumnAndTheRunGoesOn) {
  Inputs in;
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-1.json",
              "{\n  \"SecurityGroupId\": \"sg-1\",\n  \"Permissions\": {\"Permission\": [\n"
              "    {\"Direction\": \"ingress\" \"Policy\": \"Accept\"}\n  ]}\n}\n",
              in);
  load_buffer("snap/cloud/ecs-DescribeInstances.json", kInstances, in);
  const InputIssue* bad = issue_for(in, "sg-1.json");
  ASSERT_NE(bad, nullptr);
  EXPECT_TRUE(bad->skipped_file);
  EXPECT_EQ(bad->where.pos.line, 4u) << bad->where.to_string();
  EXPECT_GT(bad->where.pos.column, 0u);
  EXPECT_NE(bad->message.find("`aliyun ecs DescribeSecurityGroupAttribute` answer"),
            std::string::npos)
      << bad->message;
  ASSERT_EQ(in.cloud.size(), 1u);
  EXPECT_EQ(in.cloud[0].action, "DescribeInstances");
}

TEST(CloudFilesTest, UnknownAndFailedCloudFilesAreSkippedWithTheReason) {
  Inputs in;
  load_buffer("snap/cloud/notes.json", R"({"owner": "ops", "ticket": 42})", in);
  load_buffer("snap/cloud/ecs-DescribeInstances.json",
              R"({"Code": "Forbidden.RAM", "Message": "User not authorized to operate",
                  "RequestId": "R1"})",
              in);
  load_buffer("snap/cloud/README.txt", "how these were collected\n", in);
  EXPECT_TRUE(in.cloud.empty());
  const InputIssue* notes = issue_for(in, "notes.json");
  ASSERT_NE(notes, nullptr);
  EXPECT_TRUE(notes->skipped_file);
  EXPECT_NE(notes->message.find("<product>-<Action>[-<id>].json"), std::string::npos);
  const InputIssue* failed = issue_for(in, "ecs-DescribeInstances.json");
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->message.find("Forbidden.RAM: User not authorized"), std::string::npos)
      << failed->message;
  ASSERT_NE(issue_for(in, "README.txt"), nullptr);
}

TEST(CloudFilesTest, AnswersThatCannotBeUsedAreRecordedWithTheirCallAndError) {
  // What cloud verdicts name when an answer they need was there but unusable: the loader
  // records the call (from the file name), where, and why, for every way a whole answer fails.
  Inputs in;
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-1.json",
              "{\n  \"SecurityGroupId\": \"sg-1\",\n  \"Permissions\": {\"Permission\": [\n", in);
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-2.json",
              R"({"SecurityGroupId": "sg-2", "Permissions": {"Permission": "none"}})", in);
  load_buffer("snap/cloud/ecs-DescribeInstances.json",
              R"({"Code": "Forbidden.RAM", "Message": "User not authorized", "RequestId": "R1"})",
              in);
  load_buffer("snap/cloud/vpc-DescribeVSwitches.json", "", in);
  ASSERT_EQ(in.unreadable_cloud.size(), 4u);
  const UnreadableCloudAnswer& truncated = in.unreadable_cloud[0];
  EXPECT_EQ(truncated.file, "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-1.json");
  EXPECT_EQ(truncated.product, "ecs");
  EXPECT_EQ(truncated.action, "DescribeSecurityGroupAttribute");
  EXPECT_EQ(truncated.id, "sg-1");
  EXPECT_EQ(truncated.pos.line, 4u);
  EXPECT_NE(truncated.error.find("unexpected end of JSON"), std::string::npos) << truncated.error;
  EXPECT_EQ(truncated.error.find("aliyun"), std::string::npos) << "the error alone, not the call";
  const UnreadableCloudAnswer& no_rules = in.unreadable_cloud[1];
  EXPECT_EQ(no_rules.id, "sg-2");
  EXPECT_NE(no_rules.error.find("expected an array at .Permissions.Permission"), std::string::npos);
  EXPECT_EQ(no_rules.pos.line, 1u);
  EXPECT_EQ(in.unreadable_cloud[2].action, "DescribeInstances");
  EXPECT_NE(in.unreadable_cloud[2].error.find("Forbidden.RAM"), std::string::npos);
  EXPECT_EQ(in.unreadable_cloud[3].product, "vpc");
  EXPECT_EQ(in.unreadable_cloud[3].error, "empty file");
  EXPECT_EQ(in.unreadable_cloud[3].text(), "snap/cloud/vpc-DescribeVSwitches.json (empty file)");
}

TEST(CloudFilesTest, CloudAnswersOutsideACloudFolderAndInArchivesAreRecordedToo) {
  // Whatever the loader takes for a cloud answer counts: a known product's file name anywhere,
  // an answer recognised by its content (with the id the content names), and archive entries.
  Inputs in;
  load_buffer("snap/ecs-DescribeInstances.json", "", in);
  load_buffer("snap/sg.json", R"({"SecurityGroupId": "sg-9", "Permissions": {"Permission": 7}})",
              in);
  load_buffer("bundle.tgz:cloud/vpc-DescribeVSwitches.json", "", in);
  ASSERT_EQ(in.unreadable_cloud.size(), 3u);
  EXPECT_EQ(in.unreadable_cloud[0].action, "DescribeInstances");
  EXPECT_EQ(in.unreadable_cloud[0].error, "empty file");
  EXPECT_EQ(in.unreadable_cloud[1].action, "DescribeSecurityGroupAttribute");
  EXPECT_EQ(in.unreadable_cloud[1].id, "sg-9");
  EXPECT_EQ(in.unreadable_cloud[2].file, "bundle.tgz:cloud/vpc-DescribeVSwitches.json");
  // An unknown product outside a cloud folder is no cloud answer.
  Inputs other;
  load_buffer("snap/foo-Bar.json", "", other);
  EXPECT_TRUE(other.unreadable_cloud.empty());
}

TEST(CloudFilesTest, UsableAnswersAndOtherFilesAreNotRecordedAsUnreadable) {
  Inputs in;
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-bp1nodes.json", kSecurityGroup, in);
  // One unreadable rule leaves the rest of the group usable.
  load_buffer("snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-3.json",
              R"({"SecurityGroupId": "sg-3", "Permissions": {"Permission": [
                   {"Direction": "sideways", "Policy": "Accept", "Priority": "1",
                    "PortRange": "22/22"}]}})",
              in);
  // Not cloud answers: an empty Kubernetes file, a note in the cloud folder.
  load_buffer("snap/default-Pods.json", "", in);
  load_buffer("snap/cloud/notes.json", R"({"owner": "ops"})", in);
  EXPECT_EQ(in.cloud.size(), 2u);
  EXPECT_FALSE(in.issues.empty());
  EXPECT_TRUE(in.unreadable_cloud.empty()) << in.unreadable_cloud.front().text();
}

TEST(CloudFilesTest, KubernetesObjectsInACloudFolderStayObjects) {
  Inputs in;
  load_buffer("work/cloud/deploy.json",
              R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})", in);
  load_buffer("work/cloud/web-deployment.json",
              R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web"}})", in);
  EXPECT_EQ(in.objects.size(), 2u);
  EXPECT_TRUE(in.cloud.empty());
  EXPECT_TRUE(in.issues.empty());
}

TEST(CloudFilesTest, ArchivesAndThreadedFolderReadsKeepCloudAnswersInOrder) {
  Inputs in;
  load_buffer("bundle.tar.gz:ktriage-prod/cloud/vpc-DescribeVSwitches.json",
              R"({"VSwitches": {"VSwitch": [{"VSwitchId": "vsw-1"}]}})", in);
  ASSERT_EQ(in.cloud.size(), 1u);
  EXPECT_EQ(in.cloud[0].product, "vpc");

  testing::TempDir dir;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "sg-" + std::to_string(100 + i);
    dir.write("cloud/ecs-DescribeSecurityGroupAttribute-" + id + ".json",
              R"({"SecurityGroupId": ")" + id + R"(", "Permissions": {"Permission": []}})");
    names.push_back(id);
  }
  LoadOptions options;
  options.threads = 2;
  const std::vector<std::string> paths = {dir.path()};
  Inputs read = load_sources(paths, options);
  ASSERT_EQ(read.cloud.size(), 20u);
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(read.cloud[i].id, names[i]);
  EXPECT_EQ(read.files_read, 20u);
}

}  // namespace
}  // namespace ktriage
