// pod-connections-time-out (NET-POD-CROSS-NODE-UNREACHABLE): a client's logged connection
// timeouts to an in-cluster address, reported with the finding that explains them (a security
// group on the two-node cluster of tests/cloud/fixture.h, or NetworkPolicies that isolate the
// Service) or, between ECS nodes whose security groups cannot be judged, as not checked; silent
// when nothing explains them or the address is outside the cluster.
#include <gtest/gtest.h>

#include "cloud/fixture.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cloud_files;
using testing::CloudCluster;
using testing::cluster_from;
using testing::with_rule;

constexpr std::string_view kRule = "pod-connections-time-out";
constexpr std::string_view kLogPath = "snap/logs/shop/web/web.log";

// node-b's group admits neither the cluster group nor the pod CIDR: web (node-a) -> cart (node-b)
// is dropped; ping still works.
const std::vector<std::string> kBlocking = {"in accept TCP 22/22 203.0.113.0/24 1",
                                            "in accept ICMP -1/-1 0.0.0.0/0 1"};

const std::string kCartService = R"(---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  clusterIP: 192.168.34.120
  selector: {app: cart}
  ports: [{port: 80, targetPort: http}]
)";

std::vector<Finding> run_with_log(CloudCluster c, const std::string& log) {
  c.extra_files.emplace_back(std::string(kLogPath), log);
  return testing::diagnose(*cluster_from(cloud_files(c)));
}

// How many findings of the rule.
std::size_t count(const std::vector<Finding>& findings) {
  return with_rule(findings, kRule).size();
}

bool has_note(const Finding& f, std::string_view text) {
  for (const Evidence& e : f.evidence) {
    if (e.value.find(text) != std::string::npos) return true;
  }
  return false;
}

const std::string kGoTimeouts =
    "2026-12-03T06:38:02Z INFO GET /api/catalog 200\n"
    "2026-12-03T06:38:03Z ERROR upstream: dial tcp 172.20.0.140:8080: i/o timeout\n"
    "2026-12-03T06:38:04Z INFO GET /api/catalog 200\n"
    "2026-12-03T06:38:05Z ERROR upstream: dial tcp 172.20.0.140:8080: connect: connection timed "
    "out\n"
    "2026-12-03T06:38:06Z ERROR upstream: dial tcp 172.20.0.140:8080: i/o timeout\n"
    "2026-12-03T06:38:07Z ERROR upstream: dial tcp 172.20.0.140:8080: connect: no route to host\n";

TEST(ConnectTimeoutsTest, TimeoutsASecurityGroupExplainsAreItsSymptom) {
  CloudCluster c;
  c.sg_b = kBlocking;
  const auto findings = run_with_log(c, kGoTimeouts);
  const auto groups = with_rule(findings, "sg-intra-cluster-blocked");
  ASSERT_EQ(groups.size(), 1u);
  const auto hits = with_rule(findings, kRule);
  ASSERT_EQ(hits.size(), 1u);
  const Finding& f = *hits[0];
  EXPECT_EQ(f.catalog, "NET-POD-CROSS-NODE-UNREACHABLE");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.object.key(), "Pod/shop/web");  // no owner: the pod itself
  EXPECT_EQ(f.caused_by, std::vector<std::string>{groups[0]->id});
  EXPECT_NE(f.summary.find("connections to pod shop/cart (TCP 8080) time out: 4 failed "
                           "connections"),
            std::string::npos)
      << f.summary;
  EXPECT_NE(f.summary.find("security group sg-b drops them"), std::string::npos) << f.summary;
  // Three lines quoted with file and line, the rest counted.
  ASSERT_GE(f.evidence.size(), 4u);
  EXPECT_EQ(f.evidence[0].kind, Evidence::Kind::kLog);
  EXPECT_EQ(f.evidence[0].file, kLogPath);
  EXPECT_EQ(f.evidence[0].line, 2u);
  EXPECT_EQ(f.evidence[1].line, 4u);
  EXPECT_EQ(f.evidence[2].line, 5u);
  EXPECT_NE(f.evidence[3].kind, Evidence::Kind::kLog);
  EXPECT_TRUE(has_note(f, "4 such lines in all"));
  EXPECT_TRUE(has_note(f, "172.20.0.140:8080 is pod shop/cart on node node-b"));
  EXPECT_TRUE(has_note(f, "no rule of sg-b matches (default deny)"));
  EXPECT_NE(f.fix.find("security group sg-b (finding " + groups[0]->id + ")"), std::string::npos)
      << f.fix;
  EXPECT_NE(f.fix.find("ktriage netcheck pod/shop/web pod/shop/cart --port 8080"),
            std::string::npos)
      << f.fix;
  // The group stays the root.
  EXPECT_TRUE(groups[0]->caused_by.empty());
}

// A Service's clusterIP resolves to the pods it selects, at their target port; the other
// wordings (Node.js, nginx, curl, Netty, Apache HttpClient) name the address too. A refused
// connection and a read timeout are not connection timeouts.
TEST(ConnectTimeoutsTest, AServiceAddressAndTheOtherWordings) {
  CloudCluster c;
  c.sg_b = kBlocking;
  c.extra_yaml = kCartService;
  const std::string log =
      "Error: connect ETIMEDOUT 192.168.34.120:80\n"
      "2026/12/03 06:38:05 [error] 7#7: *1 upstream timed out (110: Connection timed out) while "
      "connecting to upstream, client: 172.20.0.9, server: _, request: \"GET / HTTP/1.1\", "
      "upstream: \"http://192.168.34.120:80/\"\n"
      "curl: (28) Failed to connect to 192.168.34.120 port 80 after 130001 ms: Connection timed "
      "out\n"
      "io.netty.channel.ConnectTimeoutException: connection timed out after 5000 ms: "
      "cart.shop/192.168.34.120:80\n"
      "org.apache.http.conn.ConnectTimeoutException: Connect to cart.shop:80 "
      "[cart.shop/192.168.34.120] failed: connect timed out\n"
      "dial tcp 192.168.34.120:80: connect: connection refused\n"
      "java.net.SocketTimeoutException: Read timed out\n";
  const auto findings = run_with_log(c, log);
  const auto hits = with_rule(findings, kRule);
  ASSERT_EQ(hits.size(), 1u);
  const Finding& f = *hits[0];
  EXPECT_NE(f.summary.find("connections to Service shop/cart (TCP 80) time out: 5 failed"),
            std::string::npos)
      << f.summary;
  EXPECT_TRUE(has_note(f,
                       "192.168.34.120:80 is Service shop/cart (clusterIP); its pods: cart on "
                       "node node-b"));
  EXPECT_TRUE(has_note(f,
                       "TCP 8080 from 172.20.0.14 (pod shop/web) to 172.20.0.140 (pod "
                       "shop/cart)"));
  EXPECT_EQ(f.id, "pod-connections-time-out:Pod/shop/web#service/shop/cart");
  EXPECT_NE(f.fix.find("ktriage netcheck pod/shop/web svc/shop/cart"), std::string::npos) << f.fix;
}

TEST(ConnectTimeoutsTest, TimeoutsNothingExplainsAreNotReported) {
  // The groups let everything through: an app's timeouts alone are no finding.
  EXPECT_EQ(count(run_with_log(CloudCluster{}, kGoTimeouts)), 0u);
  // A blocking group, but the address is outside the cluster.
  CloudCluster c;
  c.sg_b = kBlocking;
  const auto findings = run_with_log(
      c,
      "dial tcp 8.8.8.8:53: i/o timeout\ndial tcp 203.0.113.7:443: connect: connection timed "
      "out\n");
  EXPECT_EQ(with_rule(findings, "sg-intra-cluster-blocked").size(), 1u);
  EXPECT_TRUE(with_rule(findings, kRule).empty());
  // A blocking group, but the flow (cart -> web) is not one it drops.
  CloudCluster back;
  back.sg_b = kBlocking;
  back.extra_files.emplace_back("snap/logs/shop/cart/cart.log",
                                "dial tcp 172.20.0.14:3000: i/o timeout\n");
  EXPECT_EQ(count(testing::diagnose(*cluster_from(cloud_files(back)))), 0u);
}

// Timeouts between pods on two ECS nodes whose security groups cannot be judged: the symptom is
// still reported from the log, its cause said to be unchecked and why (no cloud data, or which
// cloud file could not be read), with what to collect. Same-node and non-ECS flows stay silent.
TEST(ConnectTimeoutsTest, TimeoutsWhoseSecurityGroupsCannotBeCheckedAreReportedAsSuch) {
  auto files = cloud_files(CloudCluster{});
  const auto log = std::pair{std::string(kLogPath), kGoTimeouts};
  auto no_cloud = testing::diagnose(*cluster_from({files[0], log}));
  auto hits = with_rule(no_cloud, kRule);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0]->caused_by.empty());
  EXPECT_EQ(hits[0]->catalog, "NET-POD-CROSS-NODE-UNREACHABLE");
  EXPECT_EQ(hits[0]->severity, Severity::kInfo);  // shown, but no cause found: not a warning
  EXPECT_NE(hits[0]->summary.find("connections to pod shop/cart (TCP 8080) time out: 4 failed "
                                  "connections in its logs; cause not checked: the security "
                                  "groups between the nodes are unknown (the snapshot has no "
                                  "cloud data)"),
            std::string::npos)
      << hits[0]->summary;
  EXPECT_TRUE(has_note(*hits[0], "security groups not checked: the snapshot has no cloud/"));
  EXPECT_NE(hits[0]->fix.find("ktriage collect --cloud, docs/cloud.md"), std::string::npos)
      << hits[0]->fix;
  EXPECT_NE(hits[0]->fix.find("ktriage netcheck pod/shop/web pod/shop/cart --port 8080"),
            std::string::npos)
      << hits[0]->fix;

  // The cart side's group answer truncated: the file is named, with its error's position.
  for (auto& [name, text] : files) {
    if (name.ends_with("-sg-b.json")) text = text.substr(0, 60);
  }
  files.push_back(log);
  auto truncated = testing::diagnose(*cluster_from(files));
  hits = with_rule(truncated, kRule);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0]->summary.find("(snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json "
                                  "could not be read)"),
            std::string::npos)
      << hits[0]->summary;
  EXPECT_TRUE(has_note(*hits[0],
                       "skipped as unreadable: sg-b in "
                       "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json:1:"));
  EXPECT_NE(hits[0]->fix.find("Repair or collect again "
                              "snap/cloud/ecs-DescribeSecurityGroupAttribute-sg-b.json"),
            std::string::npos)
      << hits[0]->fix;

  // The answer saved is a permission error: the fix names the RAM action to grant, not just
  // "collect again".
  for (auto& [name, text] : files) {
    if (name.ends_with("-sg-b.json"))
      text = R"({"Code": "Forbidden.RAM", "Message": "User not authorized to operate on the )"
             R"(specified resource, or this API doesn't support RAM.", "RequestId": "r-1"})";
  }
  auto forbidden = testing::diagnose(*cluster_from(files));
  hits = with_rule(forbidden, kRule);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0]->fix.find("Grant ecs:DescribeSecurityGroupAttribute (a RAM policy Action) "
                              "to the RAM user or role that collects"),
            std::string::npos)
      << hits[0]->fix;
  EXPECT_NE(hits[0]->fix.find("is Forbidden.RAM"), std::string::npos) << hits[0]->fix;
  EXPECT_EQ(hits[0]->fix.find("Repair"), std::string::npos) << hits[0]->fix;

  // Both pods on node-a: no security group in between, nothing to say.
  CloudCluster same;
  same.extra_yaml = R"(---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  nodeName: node-a
  containers:
  - {name: api, image: api:1, ports: [{containerPort: 9000}]}
status: {phase: Running, podIP: 172.20.0.15}
)";
  auto same_files = cloud_files(same);
  EXPECT_EQ(
      count(testing::diagnose(*cluster_from(
          {same_files[0], {std::string(kLogPath), "dial tcp 172.20.0.15:9000: i/o timeout\n"}}))),
      0u);
  // Nodes that are no ECS instances (no ACK providerID, no cloud answers): not a cloud question.
  std::string objects = files[0].second;
  for (std::size_t at = objects.find("providerID"); at != std::string::npos;
       at = objects.find("providerID")) {
    objects.replace(at, std::string("providerID").size(), "unusedField");
  }
  EXPECT_EQ(count(testing::diagnose(*cluster_from({{"snap/objects.yaml", objects}, log}))), 0u);
  // With cloud answers, a destination node that is no ECS instance (virtual-kubelet, ECI):
  // collecting again could not judge it either.
  std::string one_virtual = files[0].second;
  const std::size_t last = one_virtual.rfind("providerID");
  ASSERT_NE(last, std::string::npos);
  one_virtual.replace(last, std::string("providerID").size(), "unusedField");
  auto with_virtual = files;
  with_virtual[0].second = one_virtual;
  EXPECT_EQ(count(testing::diagnose(*cluster_from(with_virtual))), 0u);
}

// NetworkPolicies that isolate a Service (service-isolated-by-networkpolicy) explain the
// timeouts of a client calling it, by its clusterIP or its pods' addresses.
const std::string kPolicyCluster = R"(
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop, labels: {app: db}}
spec:
  nodeName: n1
  containers: [{name: db, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
status: {phase: Running, podIP: 10.1.0.7, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop, labels: {app: api}}
spec:
  nodeName: n1
  containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]
status: {phase: Running, podIP: 10.1.0.8, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: 10.96.0.50, selector: {app: db}, ports: [{port: 5432, targetPort: pg}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
)";

TEST(ConnectTimeoutsTest, TimeoutsANetworkPolicyExplainsAreItsSymptom) {
  const std::string log =
      "level=error msg=\"db ping\" err=\"dial tcp 10.96.0.50:5432: i/o timeout\"\n"
      "level=error msg=\"db ping\" err=\"dial tcp 10.1.0.7:5432: i/o timeout\"\n"
      "level=error msg=\"other\" err=\"dial tcp 10.1.0.7:9999: i/o timeout\"\n";
  const auto findings = testing::diagnose(
      *cluster_from({{"objects.yaml", kPolicyCluster}, {"logs/shop/api-1/api.log", log}}));
  const auto policy = with_rule(findings, "service-isolated-by-networkpolicy");
  ASSERT_EQ(policy.size(), 1u);
  const auto hits = with_rule(findings, kRule);
  ASSERT_EQ(hits.size(), 2u);  // the Service, and its pod by address
  for (const Finding* f : hits) {
    EXPECT_EQ(f->object.key(), "Pod/shop/api-1");
    EXPECT_EQ(f->caused_by, std::vector<std::string>{policy[0]->id});
    EXPECT_NE(f->summary.find("NetworkPolicies isolate Service shop/db"), std::string::npos)
        << f->summary;
    EXPECT_NE(f->summary.find("(TCP 5432) time out: 1 failed connection in its logs"),
              std::string::npos)
        << f->summary;  // port 9999 is not the Service's target port
  }
  EXPECT_NE(hits[0]->fix.find("the NetworkPolicies of Service shop/db"), std::string::npos);
  // Without the policy, nothing.
  std::string open = kPolicyCluster;
  open.resize(open.find("---\napiVersion: networking.k8s.io/v1"));
  EXPECT_EQ(count(testing::diagnose(
                *cluster_from({{"objects.yaml", open}, {"logs/shop/api-1/api.log", log}}))),
            0u);
}

// The snapshot of the user's tryout: the frontend's timeouts hang under the security group, so
// `-n shop` and `why pod/...` show them with their cause.
TEST(ConnectTimeoutsTest, CloudFailureExampleShowsTheFrontendUnderTheSecurityGroup) {
  // Run in the source tree, as the golden tests do: paths in the report are relative.
  const std::string dir = testing::source_dir();
  const std::string snap = "examples/cloud-failure";
  auto shop = testing::run_ktriage("diagnose " + snap + " -n shop --no-color", dir);
  EXPECT_EQ(shop.exit_code, 1) << shop.err;
  EXPECT_EQ(shop.out.find("No problems found"), std::string::npos) << shop.out;
  EXPECT_NE(shop.out.find("1 root cause explains 2 problems in namespace shop"), std::string::npos)
      << shop.out;
  EXPECT_NE(shop.out.find("Security group sg-bp1h5t8r2p6yj0kze3wq blocks traffic"),
            std::string::npos)
      << shop.out;
  EXPECT_NE(shop.out.find("explains: Deployment shop/frontend's connections to pods of Deployment "
                          "shop/cart (TCP 8080) time out: 8 failed connections"),
            std::string::npos)
      << shop.out;

  auto why =
      testing::run_ktriage("why pod/frontend-6d8f9c7b5-k2x9p -n shop " + snap + " -o json", dir);
  EXPECT_EQ(why.exit_code, 1) << why.err;
  EXPECT_NE(why.out.find("\"causedBy\": [\"sg-intra-cluster-blocked:SecurityGroup/"
                         "sg-bp1h5t8r2p6yj0kze3wq\"]"),
            std::string::npos)
      << why.out;
  EXPECT_NE(why.out.find("\"file\": \"examples/cloud-failure/logs/shop/frontend-6d8f9c7b5-k2x9p/"
                         "frontend.log\", \"line\": 2}"),
            std::string::npos)
      << why.out;
  auto text = testing::run_ktriage("why pod/frontend-6d8f9c7b5-k2x9p -n shop " + snap, dir);
  EXPECT_NE(text.out.find("1 root cause explains 2 problems in Pod/frontend-6d8f9c7b5-k2x9p"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("explains: Deployment shop/frontend's connections"), std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace ktriage
