// `ktriage netcheck` on examples/network-policy (see its FAULTS.yaml): the hops printed for an
// allowed and a blocked path, JSON, --matrix, and usage errors (exit 2).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::run_ktriage;

std::string snapshot() { return "'" + testing::source_dir() + "/examples/network-policy'"; }

// The hop lines ("[ok]      service ...") in order: verdict and step.
std::vector<std::string> hops(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < out.size()) {
    const auto end = out.find('\n', at);
    const std::string line = out.substr(at, end - at);
    if (line.starts_with("[")) {
      const auto close = line.find(']');
      const auto step_end = line.find(' ', line.find_first_not_of(' ', close + 1));
      lines.push_back(line.substr(1, close - 1) + " " +
                      line.substr(line.find_first_not_of(' ', close + 1),
                                  step_end - line.find_first_not_of(' ', close + 1)));
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return lines;
}

TEST(NetcheckCliTest, BlockedPathNamesThePoliciesAndTheRuleThatMisses) {
  auto r =
      run_ktriage("netcheck pod/shop/api-5c7d9f8b6-q7r2t db.shop.svc.cluster.local " + snapshot());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> want = {"ok source",    "ok dns",  "ok service",
                                         "ok endpoints", "ok pods", "blocked network-policy",
                                         "ok node"};
  EXPECT_EQ(hops(r.out), want) << r.out;
  EXPECT_NE(r.out.find("isolated by NetworkPolicy shop/allow-api-to-db, "
                       "shop/default-deny-ingress; no rule of them allows it"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("networkpolicy/shop/allow-api-to-db .spec.ingress[0]: from podSelector "
                       "app=backend of the policy's namespace; ports TCP pg"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("targetPort pg -> 5432"), std::string::npos) << r.out;
  // The rule that would let it through, on the policy that isolates db, selecting the client as
  // it is labelled.
  EXPECT_NE(r.out.find("fix: allow it in NetworkPolicy shop/allow-api-to-db: add to "
                       ".spec.ingress: - {from: [{podSelector: {matchLabels: {app: api}}}], "
                       "ports: [{protocol: TCP, port: 5432}]}"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("denied by NetworkPolicy (the destination's ingress)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("blocked at network-policy"), std::string::npos) << r.out;
}

// A mistyped path beside a good one: no verdict on part of the input, exit 2, the path named.
TEST(NetcheckCliTest, AMissingPathStopsNetcheckBeforeAnyVerdict) {
  for (const char* args :
       {"netcheck --matrix ", "netcheck pod/shop/web-6d8f9c7b5-k2m4p svc/shop/db "}) {
    const auto r = run_ktriage(std::string(args) + snapshot() + " /nonexistent/typo");
    EXPECT_EQ(r.exit_code, 2) << args << r.out;
    EXPECT_NE(r.err.find("\"/nonexistent/typo\" does not exist"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(NetcheckCliTest, AllowedPathNamesTheAllowingRule) {
  auto r =
      run_ktriage("netcheck -n shop pod/web-6d8f9c7b5-k2m4p svc/api --port 8080/tcp " + snapshot());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> want = {"ok source", "ok service",        "ok endpoints",
                                         "ok pods",   "ok network-policy", "ok node",
                                         "ok node"};
  EXPECT_EQ(hops(r.out), want) << r.out;
  EXPECT_NE(r.out.find("ingress: allowed by NetworkPolicy shop/allow-web-to-api .spec.ingress[0] "
                       "(ports TCP 8080)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("kube-proxy-worker-7xk2p"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("reachable\n")) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos);  // no colour when piped
}

TEST(NetcheckCliTest, IngressPathIsCheckedFromTheController) {
  auto r = run_ktriage("netcheck 203.0.113.7 ingress/shop/web " + snapshot());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("allowed by NetworkPolicy shop/allow-ingress-controller-to-web"),
            std::string::npos)
      << r.out;
}

TEST(NetcheckCliTest, JsonHasEveryHopWithVerdictAndEvidence) {
  auto r = run_ktriage("netcheck pod/shop/api-5c7d9f8b6-q7r2t svc/shop/db -o json " + snapshot());
  EXPECT_EQ(r.exit_code, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["reachable"], false);
  EXPECT_EQ(j["verdict"], "blocked");
  EXPECT_EQ(j["port"], 5432);
  ASSERT_GE(j["hops"].size(), 5u);
  bool policy = false;
  for (const auto& h : j["hops"]) {
    EXPECT_FALSE(h["summary"].get<std::string>().empty());
    if (h["step"] == "network-policy") {
      policy = true;
      EXPECT_EQ(h["verdict"], "blocked");
      EXPECT_GE(h["evidence"].size(), 3u);
    }
  }
  EXPECT_TRUE(policy);
}

TEST(NetcheckCliTest, MatrixByNamespaceAndByWorkload) {
  auto ns = run_ktriage("netcheck --matrix " + snapshot());
  EXPECT_EQ(ns.exit_code, 0) << ns.err;
  EXPECT_NE(ns.out.find("monitoring     yes yes  no"), std::string::npos) << ns.out;
  auto wl = run_ktriage("netcheck --matrix -n shop " + snapshot());
  EXPECT_NE(wl.out.find("shop/deployment/web  yes  no  no"), std::string::npos) << wl.out;
  auto json = run_ktriage("netcheck --matrix -o json " + snapshot());
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["pods"], 5);
  EXPECT_EQ(j["destinations"][2]["to"], "shop");
  EXPECT_EQ(j["destinations"][2]["partialFrom"], nlohmann::json::array({"ingress-nginx", "shop"}));
}

TEST(NetcheckCliTest, BadInputIsAUsageError) {
  for (const std::string args :
       {"pod/web svc/shop/db", "pod/shop/nope svc/shop/db", "pod/shop/db-0 10.0.0.300",
        "pod/shop/db-0 svc/shop/api --port 99999",
        "pod/shop/web-6d8f9c7b5-k2m4p 10.0.0.1 --port 99999999999 -o json",
        "pod/shop/db-0 svc/shop/api --port 80/ICMP", "web.shop svc/shop/api",
        "thing/shop/x svc/shop/api", "pod/shop/db-0"}) {
    auto r = run_ktriage("netcheck " + args + " " + snapshot());
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.out;
    EXPECT_NE(r.err.find("ktriage netcheck: "), std::string::npos) << args << ": " << r.err;
  }
  EXPECT_EQ(run_ktriage("netcheck pod/a/b svc/a/b /nonexistent/path").exit_code, 2);
}

TEST(NetcheckCliTest, HelpHasExamples) {
  auto r = run_ktriage("netcheck --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("ktriage netcheck --matrix"), std::string::npos);
  EXPECT_NE(r.out.find("Exit codes: 0 reachable"), std::string::npos);
}

// With cloud answers in the snapshot (examples/cloud-failure, see its FAULTS.yaml) the path gains
// a security-group hop per node pair, judged between the pods' own IPs (Flannel: the pod CIDR
// rule is what admits them); the examples without cloud/ have none (the hop lists above).
TEST(NetcheckCliTest, SecurityGroupHopBlocksAcrossNodePoolsAndNamesTheRuleToAdd) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  auto blocked = run_ktriage("netcheck pod/shop/frontend-6d8f9c7b5-k2x9p svc/shop/cart " + cloud);
  EXPECT_EQ(blocked.exit_code, 1) << blocked.err;
  const std::vector<std::string> hops_blocked = hops(blocked.out);
  ASSERT_FALSE(hops_blocked.empty()) << blocked.out;
  EXPECT_EQ(hops_blocked.back(), "blocked security-group") << blocked.out;
  EXPECT_NE(blocked.out.find("from 172.20.0.14 (pod shop/frontend-6d8f9c7b5-k2x9p) to "
                             "172.20.0.140 (pod shop/cart-7b9c6d5f4-p8r2t)"),
            std::string::npos)
      << blocked.out;
  EXPECT_NE(blocked.out.find("no rule of sg-bp1h5t8r2p6yj0kze3wq matches (default deny)"),
            std::string::npos)
      << blocked.out;
  EXPECT_NE(blocked.out.find("aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou "
                             "--SecurityGroupId sg-bp1h5t8r2p6yj0kze3wq --IpProtocol TCP "
                             "--PortRange 8080/8080 --SourceCidrIp 172.20.0.0/16"),
            std::string::npos)
      << blocked.out;

  // The other way the cluster's own group admits the pod CIDR: allowed, with the rule.
  auto allowed = run_ktriage(
      "netcheck pod/shop/cart-7b9c6d5f4-p8r2t pod/shop/frontend-6d8f9c7b5-k2x9p " + cloud);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  const std::vector<std::string> hops_allowed = hops(allowed.out);
  ASSERT_FALSE(hops_allowed.empty()) << allowed.out;
  EXPECT_EQ(hops_allowed.back(), "ok security-group") << allowed.out;
  EXPECT_NE(allowed.out.find("ecs-DescribeSecurityGroupAttribute-sg-bp1c7qk3v2m9xw4ndf0a.json "
                             ".Permissions.Permission[1]: ingress sg-bp1c7qk3v2m9xw4ndf0a: ingress "
                             "Accept ALL -1/-1 from 172.20.0.0/16 priority 1"),
            std::string::npos)
      << allowed.out;
}

// A DNS name: the lookup itself crosses the security groups to the CoreDNS replicas on other
// nodes. From frontend, the replica on the cart pool's node is behind the group that drops the
// pod CIDR: some lookups time out (a warning naming the UDP 53 rule); from cart it is allowed.
TEST(NetcheckCliTest, TheDnsLookupCrossesTheSecurityGroupsToCoreDns) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  auto some = run_ktriage(
      "netcheck pod/shop/frontend-6d8f9c7b5-k2x9p cart.shop.svc.cluster.local " + cloud);
  const std::vector<std::string> hops_some = hops(some.out);
  ASSERT_GE(hops_some.size(), 2u) << some.out;
  EXPECT_EQ(hops_some[1], "warning dns") << some.out;
  EXPECT_NE(
      some.out.find("UDP 53 to 1 of 2 Ready CoreDNS replica(s) is blocked by a security group, so "
                    "some lookups time out"),
      std::string::npos)
      << some.out;
  EXPECT_NE(some.out.find("--IpProtocol UDP --PortRange 53/53"), std::string::npos) << some.out;
  auto fine = run_ktriage(
      "netcheck pod/shop/cart-7b9c6d5f4-p8r2t frontend.shop.svc.cluster.local " + cloud);
  const std::vector<std::string> hops_fine = hops(fine.out);
  ASSERT_GE(hops_fine.size(), 2u) << fine.out;
  EXPECT_EQ(hops_fine[1], "ok dns") << fine.out;
}

// A cloud answer the loader skipped is named, with its error, as why the hop is unknown: on a
// copy of examples/cloud-failure whose cart-side group file is cut at line 48, and one whose
// DescribeInstances answer is cut.
TEST(NetcheckCliTest, SecurityGroupHopNamesTheSkippedCloudFile) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "ktriage-netcheck-cloud-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const std::filesystem::path copy = std::filesystem::path(tmpl) / "cf";
  std::filesystem::copy(testing::source_dir() + "/examples/cloud-failure", copy,
                        std::filesystem::copy_options::recursive);
  const auto cut = [&](const std::string& name, std::size_t lines) {
    const std::filesystem::path file = copy / "cloud" / name;
    std::ifstream in(file);
    std::string text, line;
    for (std::size_t i = 0; i < lines && std::getline(in, line); ++i) text += line + "\n";
    in.close();
    std::ofstream(file, std::ios::trunc) << text;
  };
  const std::string group = "ecs-DescribeSecurityGroupAttribute-sg-bp1h5t8r2p6yj0kze3wq.json";
  cut(group, 48);
  const std::string path =
      "netcheck pod/shop/frontend-6d8f9c7b5-k2x9p svc/shop/cart '" + copy.string() + "'";
  auto r = run_ktriage(path);
  EXPECT_NE(r.out.find("[unknown] security-group"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipped as unreadable: sg-bp1h5t8r2p6yj0kze3wq in " +
                       (copy / "cloud" / group).string() + ":49:1 (unexpected end of JSON"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("are not in the snapshot: add"), std::string::npos) << r.out;
  // The DNS lookup crosses the same unreadable group: not known, never "ok".
  auto dns =
      run_ktriage("netcheck pod/shop/frontend-6d8f9c7b5-k2x9p cart.shop.svc.cluster.local '" +
                  copy.string() + "'");
  EXPECT_NE(dns.out.find("[unknown] dns"), std::string::npos) << dns.out;
  EXPECT_NE(dns.out.find("through the security groups is not known"), std::string::npos) << dns.out;

  std::filesystem::copy_file(testing::source_dir() + "/examples/cloud-failure/cloud/" + group,
                             copy / "cloud" / group,
                             std::filesystem::copy_options::overwrite_existing);
  cut("ecs-DescribeInstances.json", 20);
  r = run_ktriage(path);
  EXPECT_NE(r.out.find("'s ECS instance i-bp1d4k7m2q9t3w6x8z0a is unknown: the ecs "
                       "DescribeInstances answer " +
                       (copy / "cloud" / "ecs-DescribeInstances.json").string() + ":"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("has no ECS instance in the snapshot"), std::string::npos) << r.out;
  std::filesystem::remove_all(tmpl);
}

// The runbook's "ECS instances cannot ping each other": --port icmp between two nodes is judged
// by the security groups alone (ICMP from 0.0.0.0/0 is open in examples/cloud-failure); without
// a port the security groups are not guessed at.
TEST(NetcheckCliTest, PingBetweenNodesIsASecurityGroupQuestion) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  const std::string nodes = "netcheck node/cn-hangzhou.10.0.1.21 node/cn-hangzhou.10.0.2.31 ";
  auto ping = run_ktriage(nodes + "--port icmp " + cloud);
  EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  EXPECT_EQ(hops(ping.out), (std::vector<std::string>{"ok source", "ok destination", "ok node",
                                                      "ok node", "ok security-group"}))
      << ping.out;
  EXPECT_NE(ping.out.find("rule ingress Accept ICMP -1/-1 from 0.0.0.0/0 priority 1"),
            std::string::npos)
      << ping.out;

  auto no_port = run_ktriage(nodes + cloud);
  EXPECT_NE(no_port.out.find("[unknown] security-group  node/cn-hangzhou.10.0.1.21 -> "
                             "node/cn-hangzhou.10.0.2.31: not checked: no port"),
            std::string::npos)
      << no_port.out;
}

// Ping keeps its protocol whatever TO is (no port taken from the pod), is refused for a Service's
// virtual IP, and without cloud answers the security groups (which alone decide it) are "not
// checked" rather than silently passed: the path is undecided (exit 3, "reachable": null).
TEST(NetcheckCliTest, PingToAPodStaysIcmpAndIsNeverJudgedWithoutSecurityGroups) {
  auto r = run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p pod/shop/db-0 --port icmp -o json " +
                       snapshot());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["protocol"], "ICMP") << r.out;
  EXPECT_EQ(j["verdict"], "unknown") << r.out;
  EXPECT_TRUE(j["reachable"].is_null()) << r.out;
  bool unknown_policy = false, unknown_groups = false;
  for (const auto& h : j["hops"]) {
    if (h["step"] == "network-policy") unknown_policy = h["verdict"] == "unknown";
    if (h["step"] == "security-group")
      unknown_groups = h["verdict"] == "unknown" && h["summary"].get<std::string>().find(
                                                        "no cloud/ answers") != std::string::npos;
  }
  EXPECT_TRUE(unknown_policy) << r.out;
  EXPECT_TRUE(unknown_groups) << r.out;

  auto svc =
      run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p svc/shop/db --port icmp " + snapshot());
  EXPECT_EQ(svc.exit_code, 2);
  EXPECT_NE(svc.err.find("does not answer ping"), std::string::npos) << svc.err;
}

// Ping between two nodes without cloud answers: nothing decides it, so it is undecided (exit 3),
// not "reachable"; the verdict line names the hop that could not be judged.
TEST(NetcheckCliTest, PingWithoutSecurityGroupsIsUndecided) {
  auto r = run_ktriage(
      "netcheck node/cn-hangzhou.10.0.2.21 node/cn-hangzhou.10.0.2.22 --port icmp " + snapshot());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("\nundecided at security-group node/cn-hangzhou.10.0.2.21 -> "
                       "node/cn-hangzhou.10.0.2.22: not checked"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("reachable"), std::string::npos) << r.out;
  // examples/cloud-failure has no NetworkPolicy: between two pods ping is decided by the
  // security groups alone, and the policy hop says nothing isolates them.
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  auto pods = run_ktriage(
      "netcheck pod/shop/frontend-6d8f9c7b5-k2x9p pod/shop/cart-7b9c6d5f4-p8r2t --port icmp " +
      cloud);
  EXPECT_EQ(pods.exit_code, 0) << pods.out << pods.err;
  EXPECT_NE(pods.out.find("[ok]      network-policy  ICMP: no NetworkPolicy isolates either pod"),
            std::string::npos)
      << pods.out;
}

// From outside the cluster a ClusterIP Service is not routable (an Ingress or a NodePort is the
// way in; the Ingress path from outside is checked in IngressPathIsCheckedFromTheController).
TEST(NetcheckCliTest, ClusterIpFromOutsideTheClusterIsBlocked) {
  auto r = run_ktriage("netcheck 203.0.113.7 svc/shop/api --port 8080 " + snapshot());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("[blocked] service         svc/shop/api: from outside the cluster: a "
                       "ClusterIP is routed only inside the cluster"),
            std::string::npos)
      << r.out;
  // From a pod the same Service is no problem at that hop.
  auto inside =
      run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p svc/shop/api --port 8080 " + snapshot());
  EXPECT_EQ(inside.out.find("from outside the cluster"), std::string::npos) << inside.out;
}

// Through a Service whose endpoints sit on two nodes, a security group that drops one node's
// traffic fails some connections, not all: a warning (cloud-failure's CoreDNS: one replica on the
// client's node, one behind the blocking group).
TEST(NetcheckCliTest, SecurityGroupBlockingSomeEndpointNodesIsAWarning) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  auto r = run_ktriage(
      "netcheck pod/shop/frontend-6d8f9c7b5-k2x9p svc/kube-system/kube-dns --port 53/UDP " + cloud);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::vector<std::string> h = hops(r.out);
  ASSERT_FALSE(h.empty()) << r.out;
  EXPECT_EQ(h.back(), "warning security-group") << r.out;
  EXPECT_NE(r.out.find("1 of 2 endpoint node(s) blocked, so some connections fail"),
            std::string::npos)
      << r.out;
}

// examples/network-policy: 172.20.2.0/24 holds db-0, which shop's policies deny to web; judged
// as an outside block it read "reachable". Refused instead, naming the pods it holds.
TEST(NetcheckCliTest, BlockHoldingPodsIsAUsageError) {
  auto r =
      run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p 172.20.2.0/24 --port 5432 " + snapshot());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("TO 172.20.2.0/24 holds 2 pods of the input (pod/shop/api-5c7d9f8b6-q7r2t "
                       "at 172.20.2.31, pod/shop/db-0 at 172.20.2.41)"),
            std::string::npos)
      << r.err;
  auto outside =
      run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p 203.0.113.0/24 --port 5432 " + snapshot());
  EXPECT_EQ(outside.exit_code, 0) << outside.err;
  EXPECT_NE(outside.out.find("an address outside the pod network"), std::string::npos)
      << outside.out;
}

// kube-dns's port named dns is UDP 53: --port dns names it (and the path checks UDP), where it
// used to be read as dns/TCP, which the Service does not have.
TEST(NetcheckCliTest, PortNameMatchesWhateverItsProtocol) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  const std::string path = "netcheck pod/shop/frontend-6d8f9c7b5-k2x9p kube-dns.kube-system ";
  auto r = run_ktriage(path + "--port dns " + cloud);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("[ok]      service         svc/kube-system/kube-dns: ClusterIP "
                       "192.168.0.10 port 53/UDP"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--IpProtocol UDP --PortRange 53/53"), std::string::npos) << r.out;
  auto tcp = run_ktriage(path + "--port dns/TCP " + cloud);
  EXPECT_EQ(tcp.exit_code, 1) << tcp.out;
  EXPECT_NE(tcp.out.find("the Service has no port dns/TCP"), std::string::npos) << tcp.out;
}

// examples/cloud-failure has no NetworkPolicy, so the matrix says frontend reaches cart, while
// the path stops at a security group: the matrix says what it weighs and where the full path is.
TEST(NetcheckCliTest, MatrixSaysItWeighsNetworkPolicyOnly) {
  const std::string cloud = "'" + testing::source_dir() + "/examples/cloud-failure'";
  auto text = run_ktriage("netcheck --matrix -n shop " + cloud);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("shop/deployment/frontend  yes yes"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\nNetworkPolicy only: Services, readiness, nodes and cloud security "
                          "groups are not checked; for the full path of a pair: ktriage netcheck "
                          "FROM TO\n"),
            std::string::npos)
      << text.out;
  auto json = run_ktriage("netcheck --matrix -n shop -o json " + cloud);
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["scope"], "networkpolicy") << json.out;
}

// The header names the port FROM connects to: a Service's port (80), with the pods' targetPort
// (8080) when it differs, as the service hop shows; ping has no port, so it says ICMP, and JSON
// has "port": null rather than 0.
TEST(NetcheckCliTest, HeaderNamesTheServicePortAndPingsProtocol) {
  auto svc = run_ktriage("netcheck 203.0.113.7 svc/shop/web " + snapshot());
  EXPECT_TRUE(
      svc.out.starts_with("netcheck 203.0.113.7 -> svc/shop/web port 80/TCP (targetPort 8080)\n"))
      << svc.out;
  auto same = run_ktriage("netcheck pod/shop/web-6d8f9c7b5-k2m4p svc/shop/api " + snapshot());
  EXPECT_TRUE(
      same.out.starts_with("netcheck pod/shop/web-6d8f9c7b5-k2m4p -> svc/shop/api port 8080/TCP\n"))
      << same.out;
  auto json = run_ktriage("netcheck 203.0.113.7 svc/shop/web -o json " + snapshot());
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["servicePort"], 80) << json.out;
  EXPECT_EQ(j["port"], 8080) << json.out;

  const std::string ping = "netcheck pod/shop/web-6d8f9c7b5-k2m4p pod/shop/db-0 --port icmp ";
  auto text = run_ktriage(ping + snapshot());
  EXPECT_TRUE(text.out.starts_with("netcheck pod/shop/web-6d8f9c7b5-k2m4p -> pod/shop/db-0 ICMP\n"))
      << text.out;
  const auto p = nlohmann::json::parse(run_ktriage(ping + "-o json " + snapshot()).out);
  EXPECT_TRUE(p["port"].is_null()) << p.dump();
  EXPECT_FALSE(p.contains("servicePort")) << p.dump();
}

// -n compares the workloads of one namespace; with --by namespace it was silently grouped by
// workload anyway. The combination asks for two things at once: a usage error.
TEST(NetcheckCliTest, MatrixWithANamespaceAndByNamespaceIsAUsageError) {
  auto r = run_ktriage("netcheck --matrix -n shop --by namespace " + snapshot());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("--matrix -n shop compares the workloads of shop; --by namespace compares "
                       "every namespace"),
            std::string::npos)
      << r.err;
  auto workload = run_ktriage("netcheck --matrix -n shop --by workload " + snapshot());
  EXPECT_EQ(workload.exit_code, 0) << workload.err;
  EXPECT_NE(workload.out.find("shop/deployment/web  yes  no  no"), std::string::npos)
      << workload.out;
  auto ns = run_ktriage("netcheck --matrix --by namespace " + snapshot());
  EXPECT_EQ(ns.exit_code, 0) << ns.err;
  EXPECT_NE(ns.out.find("monitoring     yes yes  no"), std::string::npos) << ns.out;
}

TEST(NetcheckCliTest, MatrixOfANamespaceWithoutPodsIsAUsageError) {
  auto r = run_ktriage("netcheck --matrix -n nosuch " + snapshot());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no pod of that namespace"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ktriage
