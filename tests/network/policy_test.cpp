// compile_policy: what the API server would reject is an error naming the field, never a crash.
#include "network/policy.h"

#include <gtest/gtest.h>

#include "load/document.h"

namespace ktriage::network {
namespace {

Expected<Policy> compile(std::string_view yaml, Arena& arena) {
  Value spec;
  auto errors = read_yaml("t.yaml", yaml, arena,
                          [&](const ParsedDocument& d, const Locator&) { spec = d.root; });
  EXPECT_TRUE(errors.empty());
  return compile_policy(spec, "ns", "p");
}

TEST(NetworkPolicyTest, RejectsWhatTheApiServerRejects) {
  const std::pair<const char*, const char*> rows[] = {
      {"{podSelector: {matchExpressions: [{key: a, operator: Is}]}}", "not In, NotIn"},
      {"{podSelector: {matchExpressions: [{key: a, operator: In}]}}", "needs at least one value"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}", "over 32"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: nonsense}}]}]}", "not an IPv4"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: "
       "[11.0.0.0/8]}}]}]}",
       "not inside cidr"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}",
       "cannot be combined"},
      {"{podSelector: {}, ingress: [{from: [{}]}]}", "a peer needs"},
      {"{podSelector: {}, ingress: [{ports: [{port: 70000}]}]}", "outside 1-65535"},
      {"{podSelector: {}, ingress: [{ports: [{port: http, endPort: 90}]}]}", "needs a numbered"},
      {"{podSelector: {}, ingress: [{ports: [{port: 100, endPort: 90}]}]}", "must be between"},
      {"{podSelector: {}, ingress: [{ports: [{protocol: ICMP}]}]}", "not TCP, UDP or SCTP"},
      {"{podSelector: {}, policyTypes: [Both]}", "not Ingress or Egress"},
      {"{podSelector: [a]}", "must be a map"},
  };
  for (const auto& [yaml, message] : rows) {
    Arena arena;
    auto p = compile(yaml, arena);
    ASSERT_FALSE(p.has_value()) << yaml;
    EXPECT_NE(p.error().find(message), std::string::npos) << yaml << ": " << p.error();
  }
}

TEST(NetworkPolicyTest, DefaultsPolicyTypesAndProtocol) {
  Arena arena;
  auto p = compile("{podSelector: {}, egress: [{ports: [{port: \"53\"}]}]}", arena);
  ASSERT_TRUE(p.has_value()) << p.error();
  EXPECT_TRUE(p->ingress);
  EXPECT_TRUE(p->egress);
  ASSERT_EQ(p->egress_rules.size(), 1u);
  EXPECT_EQ(p->egress_rules[0].ports[0].protocol, "TCP");
  EXPECT_EQ(p->egress_rules[0].ports[0].port, 53);  // a numeric string is a number
  EXPECT_EQ(p->egress_rules[0].ports[0].to_string(), "TCP 53");
}

}  // namespace
}  // namespace ktriage::network
