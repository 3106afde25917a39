// The NetworkPolicy semantics, one table row per rule of
// https://kubernetes.io/docs/concepts/services-networking/network-policies/ and the
// networking.k8s.io/v1 reference: isolation and policyTypes defaulting, empty selectors, the
// namespaceSelector+podSelector AND vs two-peer OR callout, ipBlock with except (IPv4, IPv6),
// numbered, named and ranged ports, protocol defaulting, unions, and both ends.
#include "network/evaluate.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "load/document.h"

namespace ktriage::network {
namespace {

// The world every row runs in: two namespaces, five pods, two outside hosts.
struct World {
  Arena arena;
  std::map<std::string, Labels, std::less<>> ns_labels = {
      {"prod", {{"env", "prod"}, {"kubernetes.io/metadata.name", "prod"}}},
      {"dev", {{"env", "dev"}, {"kubernetes.io/metadata.name", "dev"}}}};
  std::deque<Labels> labels;
  std::deque<std::vector<ContainerPort>> ports;
  std::map<std::string, PodEndpoint, std::less<>> pods;
  World() {
    add("prod", "web", {{"app", "web"}, {"tier", "front"}}, {{"http", 8080, "TCP"}});
    add("prod", "db", {{"app", "db"}}, {{"pg", 5432, "TCP"}, {"metrics", 9187, "UDP"}});
    add("prod", "client", {{"app", "client"}}, {});
    add("dev", "web", {{"app", "web"}}, {{"http", 8080, "TCP"}});
    add("dev", "client", {{"app", "client"}, {"canary", "1"}}, {});
  }
  void add(std::string_view ns, std::string_view name, Labels l, std::vector<ContainerPort> p) {
    PodEndpoint pod;
    pod.ns = ns_labels.find(ns)->first;
    pod.labels = &labels.emplace_back(std::move(l));
    pod.ns_labels = &ns_labels.find(ns)->second;
    pod.ports = ports.emplace_back(std::move(p));
    pods[std::string(ns) + "/" + std::string(name)] = pod;
  }
  Endpoint endpoint(std::string_view text) {
    Endpoint e;
    if (auto it = pods.find(text); it != pods.end()) {
      e.pod = &it->second;
    } else {
      e.address = *parse_cidr(text);
    }
    return e;
  }
  PolicySet policies(std::string_view yaml) {
    std::vector<Policy> out;
    auto errors = read_yaml("t.yaml", yaml, arena, [&](const ParsedDocument& d, const Locator&) {
      auto p = compile_policy(d.root["spec"], d.root["metadata"]["namespace"].str(),
                              d.root["metadata"]["name"].str());
      EXPECT_TRUE(p.has_value()) << (p ? "" : p.error());
      if (p) out.push_back(std::move(*p));
    });
    EXPECT_TRUE(errors.empty());
    return PolicySet(std::move(out));
  }
};

struct Row {
  const char* what;
  const char* policies;  // YAML documents; "" for none
  const char* from;
  const char* to;
  int port;
  const char* protocol;
  bool allowed;
  const char* because = "";  // expected substring of the deciding side's description
};

constexpr const char* kDenyIngressProd = R"(
metadata: {name: deny-in, namespace: prod}
spec: {podSelector: {}, policyTypes: [Ingress]}
)";

const Row kRows[] = {
    {"no policy: every pod is non-isolated", "", "dev/client", "prod/web", 8080, "TCP", true,
     "not isolated"},
    {"default deny ingress isolates every pod of the namespace", kDenyIngressProd, "prod/client",
     "prod/web", 8080, "TCP", false, "isolated by NetworkPolicy prod/deny-in"},
    {"default deny ingress leaves egress open", kDenyIngressProd, "prod/client", "dev/web", 8080,
     "TCP", true},
    {"default deny ingress also denies hosts outside the cluster", kDenyIngressProd, "203.0.113.10",
     "prod/web", 8080, "TCP", false},
    {"policyTypes defaulted: an egress section adds Egress",
     R"(
metadata: {name: eg, namespace: prod}
spec: {podSelector: {matchLabels: {app: client}}, egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]}
)",
     "prod/client", "prod/web", 8080, "TCP", false, "isolated by NetworkPolicy prod/eg"},
    {"policyTypes defaulted: an empty egress list adds nothing",
     R"(
metadata: {name: eg, namespace: prod}
spec: {podSelector: {matchLabels: {app: client}}, egress: []}
)",
     "prod/client", "prod/web", 8080, "TCP", true},
    {"policyTypes defaulted: Ingress always, so the pod is ingress-isolated",
     R"(
metadata: {name: eg, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, egress: [{}]}
)",
     "prod/client", "prod/web", 8080, "TCP", false},
    {"policyTypes [Egress]: ingress rules are ignored and ingress stays open",
     R"(
metadata: {name: eg-only, namespace: prod}
spec: {podSelector: {}, policyTypes: [Egress], ingress: [{from: [{podSelector: {matchLabels: {x: y}}}]}], egress: [{}]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
    {"a rule without from allows every source, outside ones too",
     R"(
metadata: {name: all-in, namespace: prod}
spec: {podSelector: {}, ingress: [{}]}
)",
     "203.0.113.10", "prod/web", 8080, "TCP", true, "prod/all-in .spec.ingress[0]"},
    {"podSelector {} peer: every pod of the policy's namespace",
     R"(
metadata: {name: same-ns, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}
)",
     "prod/client", "prod/web", 8080, "TCP", true},
    {"podSelector {} peer: not other namespaces",
     R"(
metadata: {name: same-ns, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false},
    {"namespaceSelector {} peer: every pod of every namespace",
     R"(
metadata: {name: all-ns, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
    {"namespaceSelector {} peer: not hosts outside the cluster",
     R"(
metadata: {name: all-ns, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}
)",
     "203.0.113.10", "prod/web", 8080, "TCP", false},
    {"namespaceSelector and podSelector in one peer: both must match (AND)",
     R"(
metadata: {name: and, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchLabels: {app: web}}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false},
    {"namespaceSelector and podSelector in one peer: a pod matching both",
     R"(
metadata: {name: and, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchLabels: {app: client}}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
    {"two peers: either may match (OR)",
     R"(
metadata: {name: or, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}}, {podSelector: {matchLabels: {app: client}}}]}]}
)",
     "dev/web", "prod/web", 8080, "TCP", true},
    {"podSelector-only peer means the policy's namespace, not the source's",
     R"(
metadata: {name: local, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false},
    {"matchExpressions In",
     R"(
metadata: {name: expr, namespace: prod}
spec: {podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}, ingress: []}
)",
     "prod/client", "prod/web", 8080, "TCP", false},
    {"matchExpressions NotIn selects pods without the key too",
     R"(
metadata: {name: expr, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: canary, operator: NotIn, values: ["1"]}]}}]}]}
)",
     "prod/client", "prod/web", 8080, "TCP", true},
    {"matchExpressions NotIn excludes the value",
     R"(
metadata: {name: expr, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: canary, operator: NotIn, values: ["1"]}]}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false},
    {"matchExpressions Exists",
     R"(
metadata: {name: expr, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: canary, operator: Exists}]}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
    {"matchExpressions DoesNotExist",
     R"(
metadata: {name: expr, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: canary, operator: DoesNotExist}]}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false},
    {"ipBlock: inside cidr", R"(
metadata: {name: ip, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]}]}
)",
     "172.17.0.5", "prod/web", 8080, "TCP", true},
    {"ipBlock: inside except", R"(
metadata: {name: ip, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]}]}
)",
     "172.17.1.5", "prod/web", 8080, "TCP", false},
    {"ipBlock: outside cidr", R"(
metadata: {name: ip, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16}}]}]}
)",
     "172.18.0.5", "prod/web", 8080, "TCP", false},
    {"ipBlock: never selects pods (cluster-external addresses)", R"(
metadata: {name: ip, namespace: prod}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}
)",
     "prod/client", "prod/web", 8080, "TCP", false},
    {"ipBlock IPv6 with except: inside", R"(
metadata: {name: ip6, namespace: prod}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}]}]}
)",
     "prod/web", "2001:db8::5", 443, "TCP", true},
    {"ipBlock IPv6 with except: in the except", R"(
metadata: {name: ip6, namespace: prod}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}]}]}
)",
     "prod/web", "2001:db8:1::5", 443, "TCP", false},
    {"ipBlock IPv4 never matches an IPv6 address", R"(
metadata: {name: ip, namespace: prod}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}
)",
     "prod/web", "2001:db8::5", 443, "TCP", false},
    {"numbered port matches", R"(
metadata: {name: port, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: 8080}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
    {"numbered port: another port is denied", R"(
metadata: {name: port, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: 8080}]}]}
)",
     "dev/client", "prod/web", 8081, "TCP", false},
    {"protocol defaults to TCP: UDP is denied", R"(
metadata: {name: port, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: 8080}]}]}
)",
     "dev/client", "prod/web", 8080, "UDP", false},
    {"a port entry with only a protocol admits every port of it", R"(
metadata: {name: port, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{protocol: UDP}]}]}
)",
     "dev/client", "prod/db", 9187, "UDP", true},
    {"endPort: inside the range", R"(
metadata: {name: range, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: 8000, endPort: 9000}]}]}
)",
     "dev/client", "prod/web", 9000, "TCP", true},
    {"endPort: past the range", R"(
metadata: {name: range, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: 8000, endPort: 9000}]}]}
)",
     "dev/client", "prod/web", 9001, "TCP", false},
    {"named port resolved on the destination pod", R"(
metadata: {name: named, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: pg}]}]}
)",
     "dev/client", "prod/db", 5432, "TCP", true},
    {"named port: a pod without that name", R"(
metadata: {name: named, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: pg}]}]}
)",
     "dev/client", "prod/web", 5432, "TCP", false},
    {"named port: the name with another protocol does not resolve", R"(
metadata: {name: named, namespace: prod}
spec: {podSelector: {}, ingress: [{ports: [{port: metrics, protocol: TCP}]}]}
)",
     "dev/client", "prod/db", 9187, "TCP", false},
    {"egress named port resolves on the destination pod, not the source", R"(
metadata: {name: eg-named, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], egress: [{ports: [{port: pg}]}]}
)",
     "prod/web", "prod/db", 5432, "TCP", true},
    {"egress named port never matches a host outside the cluster", R"(
metadata: {name: eg-named, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], egress: [{ports: [{port: http}]}]}
)",
     "prod/web", "203.0.113.10", 8080, "TCP", false},
    {"policies add up: deny-all plus one allow", R"(
metadata: {name: deny-in, namespace: prod}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
metadata: {name: allow-client, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 9999}]}, {from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: http}]}]}
)",
     "prod/client", "prod/web", 8080, "TCP", true, "prod/allow-client .spec.ingress[1]"},
    {"both ends: the source's egress denies though ingress allows", R"(
metadata: {name: client-egress, namespace: dev}
spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: [{to: [{podSelector: {}}]}]}
)",
     "dev/client", "prod/web", 8080, "TCP", false, "isolated by NetworkPolicy dev/client-egress"},
    {"policies of another namespace never select the pod", R"(
metadata: {name: deny-in, namespace: dev}
spec: {podSelector: {}, policyTypes: [Ingress]}
)",
     "dev/client", "prod/web", 8080, "TCP", true},
};

TEST(NetworkEvaluateTest, EveryRuleOfTheSemantics) {
  for (const Row& row : kRows) {
    World w;
    const PolicySet set = w.policies(row.policies);
    const auto v = evaluate(set, w.endpoint(row.from), w.endpoint(row.to), row.port, row.protocol);
    EXPECT_EQ(v.allowed(), row.allowed) << row.what;
    const std::string text = describe(v.egress, "egress") + " / " + describe(v.ingress, "ingress");
    EXPECT_NE(text.find(row.because), std::string::npos) << row.what << ": " << text;
  }
}

TEST(NetworkEvaluateTest, AnExternalEndIsNotChecked) {
  World w;
  const PolicySet set = w.policies(kDenyIngressProd);
  const auto v = evaluate(set, w.endpoint("prod/web"), w.endpoint("203.0.113.10"), 80, "TCP");
  EXPECT_TRUE(v.egress.checked);
  EXPECT_FALSE(v.ingress.checked);
  EXPECT_TRUE(v.allowed());
}

TEST(NetworkEvaluateTest, TheVerdictNamesEveryIsolatingPolicy) {
  World w;
  const PolicySet set = w.policies(R"(
metadata: {name: b-deny, namespace: prod}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
metadata: {name: a-deny, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 1}]}]}
)");
  const auto v = evaluate(set, w.endpoint("dev/web"), w.endpoint("prod/web"), 8080, "TCP");
  ASSERT_EQ(v.ingress.isolating.size(), 2u);
  EXPECT_EQ(v.ingress.isolating[0]->name, "a-deny");  // by name, whatever the input order
  EXPECT_FALSE(v.ingress.allowed_by.has_value());
}

// What the snapshot cannot decide leaves a denial undecided, never allowed: a namespaceSelector
// on labels of a namespace without its object, an ipBlock holding the far pod's IP.
TEST(NetworkEvaluateTest, UndecidedDenials) {
  const std::pair<std::string_view, std::string_view> team{"team", "x"};
  const std::pair<std::string_view, std::string_view> prod{kNamespaceNameLabel, "prod"};
  EXPECT_TRUE(namespace_selector_undecided(Selector{{team}, {}}, "dev"));
  EXPECT_FALSE(namespace_selector_undecided(Selector{{prod}, {}}, "dev"));  // decided by name
  EXPECT_FALSE(namespace_selector_undecided(Selector{{prod, team}, {}}, "dev"));
  const Requirement in_dev{kNamespaceNameLabel, Requirement::Op::kIn, {"dev"}};
  EXPECT_TRUE(namespace_selector_undecided(Selector{{team}, {in_dev}}, "dev"));
  EXPECT_FALSE(namespace_selector_undecided(Selector{{team}, {in_dev}}, "prod"));

  World w;
  const PolicySet set = w.policies(R"(
metadata: {name: web-from-team, namespace: prod}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: x}}}]}]}
---
metadata: {name: client-out, namespace: prod}
spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.9.0/24]}}], ports: [{port: 5432}]}]}
)");
  PodEndpoint dev_client = *w.endpoint("dev/client").pod;
  const auto known = evaluate(set, Endpoint{&dev_client, {}}, w.endpoint("prod/web"), 8080, "TCP");
  EXPECT_FALSE(known.allowed());
  EXPECT_FALSE(known.undecided());  // dev's labels are known: no team
  dev_client.ns_labels_known = false;
  const auto unknown =
      evaluate(set, Endpoint{&dev_client, {}}, w.endpoint("prod/web"), 8080, "TCP");
  EXPECT_FALSE(unknown.allowed());
  EXPECT_TRUE(unknown.undecided());
  ASSERT_EQ(unknown.ingress.doubts.size(), 1u);
  EXPECT_EQ(unknown.ingress.doubts[0].kind, Doubt::Kind::kNamespaceLabels);

  PodEndpoint db = *w.endpoint("prod/db").pod;
  const Cidr ips[] = {*parse_cidr("10.1.2.3")};
  db.ips = ips;
  const auto in_block = evaluate(set, w.endpoint("prod/client"), Endpoint{&db, {}}, 5432, "TCP");
  EXPECT_FALSE(in_block.egress.allowed);
  EXPECT_TRUE(in_block.undecided());
  EXPECT_EQ(in_block.egress.doubts[0].kind, Doubt::Kind::kIpBlock);
  EXPECT_NE(describe(in_block.egress, "egress").find("undecided"), std::string::npos);
  // Another port than the rule's, or an IP in an except block: blocked for certain.
  EXPECT_FALSE(
      evaluate(set, w.endpoint("prod/client"), Endpoint{&db, {}}, 9187, "UDP").undecided());
  const Cidr excepted[] = {*parse_cidr("10.1.9.9")};
  db.ips = excepted;
  EXPECT_FALSE(
      evaluate(set, w.endpoint("prod/client"), Endpoint{&db, {}}, 5432, "TCP").undecided());
}

}  // namespace
}  // namespace ktriage::network
