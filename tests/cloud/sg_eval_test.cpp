// ECS security-group semantics: priority, Drop over Accept at equal priority, pooled groups,
// the inner access policy, basic versus enterprise defaults, protocol/port/peer matching.
#include "cloud/sg_eval.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cloud/cidr.h"

namespace ktriage::cloud {
namespace {

SecurityGroupRule rule(std::string_view spec) {
  // "in|out accept|drop PROTO a/b PEER PRIORITY": PEER is a CIDR or a sg- id.
  SecurityGroupRule r;
  std::string dir, policy, proto, ports, peer;
  int priority = 1;
  std::istringstream(std::string(spec)) >> dir >> policy >> proto >> ports >> peer >> priority;
  r.direction = dir == "in" ? Direction::kIngress : Direction::kEgress;
  r.policy = policy == "accept" ? RulePolicy::kAccept : RulePolicy::kDrop;
  r.protocol = proto;
  r.ports = *parse_port_range(ports);
  r.priority = priority;
  std::string& g = r.direction == Direction::kIngress ? r.source_group : r.dest_group;
  std::string& c = r.direction == Direction::kIngress ? r.source_cidr : r.dest_cidr;
  (peer.starts_with("sg-") ? g : c) = peer;
  return r;
}

SecurityGroup group(std::string id, std::vector<std::string_view> rules, bool enterprise = false,
                    bool inner_accept = true) {
  SecurityGroup g;
  g.id = std::move(id);
  g.enterprise = enterprise;
  g.type_known = true;
  g.inner_accept = inner_accept;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    g.rules.push_back(rule(rules[i]));
    g.rules.back().index = i;
  }
  return g;
}

Flow in_flow(std::string proto, int port, std::string_view peer,
             std::vector<std::string> groups = {}) {
  Flow f;
  f.direction = Direction::kIngress;
  f.protocol = std::move(proto);
  f.port = port;
  if (!peer.empty()) f.peer = parse_cidr(peer);
  f.peer_groups = std::move(groups);
  return f;
}

Verdict eval(const SecurityGroup& g, const Flow& f) {
  const SecurityGroup* gs[] = {&g};
  return evaluate(gs, f);
}

TEST(SgEvalTest, SmallerPriorityDecides) {
  auto g = group(
      "sg-1", {"in drop TCP 10250/10250 0.0.0.0/0 100", "in accept TCP 10250/10250 10.0.0.0/8 1"});
  Verdict v = eval(g, in_flow("TCP", 10250, "10.0.1.5"));
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.basis, Basis::kRule);
  EXPECT_EQ(v.rule, &g.rules[1]);
  // From outside 10/8 only the Drop matches.
  v = eval(g, in_flow("TCP", 10250, "192.168.1.1"));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.rule, &g.rules[0]);
  EXPECT_EQ(v.shadowed_accept, nullptr);
}

TEST(SgEvalTest, DropWinsAtEqualPriorityAndNamesTheAcceptItShadows) {
  auto g = group("sg-1", {"in accept ALL -1/-1 sg-1 1", "in drop ALL -1/-1 0.0.0.0/0 1"}, false,
                 /*inner_accept=*/false);
  Verdict v = eval(g, in_flow("TCP", 8080, "10.0.1.5", {"sg-1"}));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.rule, &g.rules[1]);
  EXPECT_EQ(v.shadowed_accept, &g.rules[0]);
  EXPECT_EQ(v.shadowed_group, &g);
  const SecurityGroup* gs[] = {&g};
  EXPECT_EQ(v.explain(gs),
            "denied by sg-1 rule ingress Drop ALL -1/-1 from 0.0.0.0/0 priority 1, which decides "
            "before sg-1 rule ingress Accept ALL -1/-1 from sg-1 priority 1");
}

TEST(SgEvalTest, RulesOfAllGroupsArePooled) {
  auto a = group("sg-a", {"in accept TCP 443/443 10.0.0.0/8 50"});
  auto b = group("sg-b", {"in drop TCP 1/65535 10.0.9.0/24 10"});
  const SecurityGroup* gs[] = {&a, &b};
  Verdict v = evaluate(gs, in_flow("TCP", 443, "10.0.9.7"));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.group, &b);
  EXPECT_EQ(v.shadowed_group, &a);
  EXPECT_TRUE(evaluate(gs, in_flow("TCP", 443, "10.0.8.7")).allowed);
}

TEST(SgEvalTest, BasicInnerAcceptLetsMembersTalkWhateverTheRules) {
  auto g = group("sg-nodes", {"in drop ALL -1/-1 0.0.0.0/0 1"});
  Verdict v = eval(g, in_flow("UDP", 53, "10.0.1.5", {"sg-nodes"}));
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.basis, Basis::kInnerAccept);
  // With InnerAccessPolicy Drop the rules decide, and no rule means default deny.
  auto isolated = group("sg-nodes", {}, false, /*inner_accept=*/false);
  v = eval(isolated, in_flow("UDP", 53, "10.0.1.5", {"sg-nodes"}));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.basis, Basis::kDefault);
  EXPECT_FALSE(v.enterprise_default);
}

TEST(SgEvalTest, EnterpriseGroupsDenyByDefaultBothWaysAndNeverImplicitlyBetweenMembers) {
  auto ent = group("sg-ent", {}, /*enterprise=*/true, /*inner_accept=*/true);
  Verdict v = eval(ent, in_flow("TCP", 80, "10.0.1.5", {"sg-ent"}));
  EXPECT_FALSE(v.allowed);
  EXPECT_TRUE(v.enterprise_default);
  Flow out = in_flow("TCP", 443, "100.100.2.136");
  out.direction = Direction::kEgress;
  EXPECT_FALSE(eval(ent, out).allowed);
  // A basic group lets everything out when no rule matches.
  auto basic = group("sg-basic", {"out drop TCP 25/25 0.0.0.0/0 1"});
  v = eval(basic, out);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.basis, Basis::kDefault);
  Flow smtp = out;
  smtp.port = 25;
  EXPECT_FALSE(eval(basic, smtp).allowed);
}

TEST(SgEvalTest, MatchesProtocolPortAndPeer) {
  auto g = group("sg-1",
                 {"in accept ICMP -1/-1 0.0.0.0/0 1", "in accept TCP 30000/32767 100.64.0.0/10 1",
                  "in accept ALL -1/-1 172.16.0.0/12 1", "in accept UDP 53/53 sg-dns 1"});
  EXPECT_TRUE(eval(g, in_flow("ICMP", -1, "8.8.8.8")).allowed);
  EXPECT_TRUE(eval(g, in_flow("TCP", 31080, "100.100.5.5")).allowed);
  EXPECT_FALSE(eval(g, in_flow("TCP", 29999, "100.100.5.5")).allowed);
  EXPECT_FALSE(eval(g, in_flow("UDP", 31080, "100.100.5.5")).allowed);
  // A whole pod CIDR is admitted only by a block holding all of it.
  EXPECT_TRUE(eval(g, in_flow("GRE", -1, "172.20.0.0/16")).allowed);
  auto narrow = group("sg-2", {"in accept ALL -1/-1 172.20.1.0/24 1"});
  EXPECT_FALSE(eval(narrow, in_flow("TCP", 80, "172.20.0.0/16")).allowed);
  // An unknown address: only 0.0.0.0/0 rules can match it.
  EXPECT_TRUE(eval(g, in_flow("ICMP", -1, "")).allowed);
  EXPECT_FALSE(eval(g, in_flow("TCP", 31080, "")).allowed);
  EXPECT_TRUE(eval(g, in_flow("UDP", 53, "10.9.9.9", {"sg-dns"})).allowed);
  EXPECT_FALSE(eval(g, in_flow("UDP", 53, "10.9.9.9", {"sg-other"})).allowed);
}

}  // namespace
}  // namespace ktriage::cloud
