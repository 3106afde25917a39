// walk_path on small snapshots: each kind of Service, the Endpoints and selector fallbacks,
// named targetPorts, nodes, addresses, DNS, and the two hooks.
#include "network/path.h"
#include "network/path_render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <tuple>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage::network {
namespace {

const std::string kBase = R"(
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.0.0.1}], conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status: {addresses: [{type: InternalIP, address: 10.0.0.2}], conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {nodeName: n1, containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 172.16.0.10, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {nodeName: n2, containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
status: {phase: Running, podIP: 172.16.0.21, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
status: {phase: Running, podIP: 172.16.0.22, conditions: [{type: Ready, status: 'False'}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 192.168.0.10, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
)";

struct Walk {
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<NetworkSnapshot> net;
  Expected<PathResult> result = Unexpected(std::string("not run"));
  std::vector<std::string> steps;  // "verdict step"
  std::vector<std::string> node_calls, sg_calls;

  Walk(const std::string& yaml, std::string_view from, std::string_view to,
       std::string_view port = "") {
    cluster = testing::cluster_from_yaml(yaml);
    net = std::make_unique<NetworkSnapshot>(*cluster);
    PathHooks hooks;
    hooks.node_health = [this](std::string_view node, bool proxy) -> std::optional<Hop> {
      node_calls.push_back(std::string(node) + (proxy ? "+kube-proxy" : ""));
      return std::nullopt;
    };
    hooks.security_group = [this](std::string_view a, std::string_view b, int p,
                                  std::string_view proto) -> std::optional<Hop> {
      sg_calls.push_back(std::string(a) + "->" + std::string(b) + " " + std::to_string(p) + "/" +
                         std::string(proto));
      return Hop{"security-group", "sg-1", Verdict::kOk, "allowed", {}};
    };
    PathRequest req{*parse_target(from, "", false), *parse_target(to, "", true), {}};
    if (!port.empty()) req.port = *parse_port(port);
    result = walk_path(*cluster, *net, req, hooks);
    if (result) {
      for (const Hop& h : result->hops)
        steps.push_back(std::string(verdict_name(h.verdict)) + " " + h.step);
    }
  }
  const Hop* hop(std::string_view step) const {
    for (const Hop& h : result->hops) {
      if (h.step == step) return &h;
    }
    return nullptr;
  }
};

TEST(NetworkPathTest, ServiceBySelectorWithNamedTargetPort) {
  Walk w(kBase, "pod/shop/client", "web.shop.svc.cluster.local");
  ASSERT_TRUE(w.result.has_value()) << w.result.error();
  EXPECT_EQ(w.steps,
            (std::vector<std::string>{"ok source", "ok dns", "ok service", "ok endpoints",
                                      "ok pods", "ok network-policy", "ok security-group"}));
  EXPECT_EQ(w.result->port, 8080);  // targetPort http resolved on the pods
  EXPECT_TRUE(w.result->reachable);
  EXPECT_NE(w.hop("endpoints")->summary.find("no EndpointSlice or Endpoints"), std::string::npos);
  EXPECT_EQ(w.hop("pods")->summary, "1 of 2 pod(s) ready with targetPort http resolved");
  // The source node relies on kube-proxy for the ClusterIP; each node once; one SG pair, between
  // the pods' own IPs (a pod CIDR rule, not the nodes' group membership, admits Flannel pods).
  EXPECT_EQ(w.node_calls, (std::vector<std::string>{"n1+kube-proxy", "n2"}));
  EXPECT_EQ(w.sg_calls, (std::vector<std::string>{"172.16.0.10->172.16.0.21 8080/TCP"}));
}

TEST(NetworkPathTest, EndpointsFallbackAndNothingReady) {
  const std::string eps = R"(
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: shop}
subsets: [{notReadyAddresses: [{ip: 172.16.0.21, targetRef: {kind: Pod, name: web-1}}], ports: [{name: http, port: 8080}]}]
)";
  Walk w(kBase + eps, "pod/shop/client", "svc/shop/web");
  ASSERT_TRUE(w.result.has_value());
  EXPECT_EQ(w.hop("endpoints")->verdict, Verdict::kBlocked);
  EXPECT_EQ(w.hop("endpoints")->evidence[0].path, ".subsets[0]");
  EXPECT_FALSE(w.result->reachable);
  EXPECT_NE(w.hop("network-policy"), nullptr);  // still judged: both faults show
}

TEST(NetworkPathTest, ServiceKinds) {
  const std::string external =
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\nspec: {type: "
      "ExternalName, externalName: db.example.com}\n";
  Walk e(kBase + external, "pod/shop/client", "ext.shop");
  ASSERT_TRUE(e.result.has_value());
  EXPECT_EQ(e.hop("service")->verdict, Verdict::kWarning);
  EXPECT_NE(e.hop("service")->summary.find("db.example.com"), std::string::npos);
  EXPECT_EQ(e.hop("network-policy"), nullptr);

  Walk wrong(kBase, "pod/shop/client", "svc/shop/web", "443");
  EXPECT_EQ(wrong.hop("service")->verdict, Verdict::kBlocked);
  EXPECT_EQ(wrong.hop("service")->evidence.back().value, "80/TCP (http)");

  Walk missing(kBase, "pod/shop/client", "nope.shop");
  EXPECT_EQ(missing.steps.back(), "blocked dns");

  std::string headless = kBase;
  headless.replace(headless.find("clusterIP: 192.168.0.10"), 23, "clusterIP: None");
  Walk h(headless, "pod/shop/client", "svc/shop/web");
  EXPECT_NE(h.hop("service")->summary.find("headless"), std::string::npos);
}

// A port name alone matches the Service port (or container port) of that name whatever its
// protocol, and the path goes on with that protocol; with a protocol written, both must match.
TEST(NetworkPathTest, PortNameWithoutProtocolMatchesAnyProtocol) {
  const std::string dns = R"(
---
apiVersion: v1
kind: Pod
metadata: {name: dns-1, namespace: shop, labels: {app: dns}}
spec: {nodeName: n2, containers: [{name: c, image: i, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]}]}
status: {phase: Running, podIP: 172.16.0.53, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: shop}
spec: {clusterIP: 192.168.0.53, selector: {app: dns}, ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53}]}
)";
  Walk name(kBase + dns, "pod/shop/client", "svc/shop/dns", "dns");
  ASSERT_TRUE(name.result.has_value()) << name.result.error();
  EXPECT_EQ(name.hop("service")->verdict, Verdict::kOk);
  EXPECT_EQ(name.hop("service")->summary, "ClusterIP 192.168.0.53 port 53/UDP");
  EXPECT_EQ(name.result->protocol, "UDP");
  EXPECT_EQ(name.result->port, 53);
  EXPECT_EQ(name.sg_calls, (std::vector<std::string>{"172.16.0.10->172.16.0.53 53/UDP"}));
  Walk tcp(kBase + dns, "pod/shop/client", "svc/shop/dns", "dns-tcp");
  EXPECT_EQ(tcp.result->protocol, "TCP");
  // Written with a protocol that the named port does not have: no such port.
  Walk strict(kBase + dns, "pod/shop/client", "svc/shop/dns", "dns/TCP");
  EXPECT_EQ(strict.hop("service")->verdict, Verdict::kBlocked);
  EXPECT_EQ(strict.hop("service")->summary, "the Service has no port dns/TCP");
  Walk udp(kBase + dns, "pod/shop/client", "svc/shop/dns", "dns/UDP");
  EXPECT_EQ(udp.hop("service")->verdict, Verdict::kOk);
  Walk none(kBase + dns, "pod/shop/client", "svc/shop/dns", "grpc");
  EXPECT_EQ(none.hop("service")->summary, "the Service has no port named grpc");
  // TO a pod: its container port of that name.
  Walk pod(kBase + dns, "pod/shop/client", "pod/shop/dns-1", "dns");
  ASSERT_TRUE(pod.result.has_value()) << pod.result.error();
  EXPECT_EQ(pod.hop("destination")->verdict, Verdict::kOk);
  EXPECT_EQ(pod.result->port, 53);
  EXPECT_EQ(pod.result->protocol, "UDP");
  Walk pod_tcp(kBase + dns, "pod/shop/client", "pod/shop/dns-1", "dns/TCP");
  EXPECT_EQ(pod_tcp.hop("destination")->verdict, Verdict::kBlocked);
}

const std::string kDenyAll =
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, "
    "namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n";

TEST(NetworkPathTest, NodesAndAddresses) {
  // A pod's own node always reaches it; another node's IP is an outside address.
  Walk own(kBase + kDenyAll, "node/n2", "pod/shop/web-1");
  ASSERT_TRUE(own.result.has_value());
  EXPECT_TRUE(own.result->reachable);
  EXPECT_EQ(own.result->port, 8080);  // no --port: the pod's first declared port
  Walk other(kBase + kDenyAll, "node/n1", "pod/shop/web-1");
  EXPECT_FALSE(other.result->reachable);
  // A hostNetwork pod sends as its node: to a pod on that node, never blocked.
  std::string host = kBase;
  const std::string client_spec = "spec: {nodeName: n1, containers: [{name: c, image: i}]}";
  host.replace(host.find(client_spec), client_spec.size(),
               "spec: {nodeName: n2, hostNetwork: true, containers: [{name: c, image: i}]}");
  Walk hn(host + kDenyAll, "pod/shop/client", "pod/shop/web-1");
  EXPECT_TRUE(hn.result->reachable);
  EXPECT_NE(hn.result->hops[0].summary.find("hostNetwork"), std::string::npos);
  // An IP that is a pod's is that pod.
  Walk ip(kBase, "172.16.0.10", "pod/shop/web-1");
  EXPECT_EQ(ip.result->hops[0].subject, "pod/shop/client");
  // Egress to an outside block under default deny, then with an ipBlock rule.
  Walk out(kBase + kDenyAll, "pod/shop/client", "203.0.113.0/24", "443");
  EXPECT_FALSE(out.result->reachable);
  const std::string allow =
      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, "
      "namespace: shop}\nspec: {podSelector: {}, policyTypes: [Egress], egress: [{to: "
      "[{ipBlock: {cidr: 203.0.113.0/24}}], ports: [{port: 443}]}]}\n";
  Walk ok(kBase + kDenyAll + allow, "pod/shop/client", "203.0.113.0/24", "443");
  EXPECT_TRUE(ok.result->reachable);
  EXPECT_NE(ok.hop("network-policy")->evidence[0].value.find("shop/out .spec.egress[0]"),
            std::string::npos);
}

// A block wider than one address is judged as hosts outside the pod network (ipBlock): one that
// holds pods or nodes of the snapshot would read "reachable" while the pod inside it is denied,
// so it is refused (exit 2), naming what it holds; a block holding none stays outside.
TEST(NetworkPathTest, BlockHoldingPodsOrNodesIsRefused) {
  Walk pods(kBase + kDenyAll, "pod/shop/client", "172.16.0.16/28", "8080");
  ASSERT_FALSE(pods.result.has_value());
  EXPECT_EQ(pods.result.error(),
            "TO 172.16.0.16/28 holds 2 pods of the input (pod/shop/web-1 at 172.16.0.21, "
            "pod/shop/web-2 at 172.16.0.22): a block is judged as addresses outside the pod "
            "network, which these are not; give one of them as pod/NS/NAME (node/NAME) or by its "
            "IP");
  Walk nodes(kBase + kDenyAll, "10.0.0.0/8", "pod/shop/web-1", "8080");
  ASSERT_FALSE(nodes.result.has_value());
  EXPECT_NE(nodes.result.error().find("FROM 10.0.0.0/8 holds 2 nodes of the input (node/n1 at "
                                      "10.0.0.1, node/n2 at 10.0.0.2)"),
            std::string::npos)
      << nodes.result.error();
  // One address of the block is the pod itself, and is judged as the pod: denied.
  Walk one(kBase + kDenyAll, "pod/shop/client", "172.16.0.21/32", "8080");
  ASSERT_TRUE(one.result.has_value()) << one.result.error();
  EXPECT_EQ(one.hop("destination")->subject, "pod/shop/web-1");
  EXPECT_FALSE(one.result->reachable);
  // A block of no pod and no node: outside the pod network, ipBlock rules apply.
  Walk outside(kBase, "pod/shop/client", "172.16.1.0/24", "8080");
  ASSERT_TRUE(outside.result.has_value()) << outside.result.error();
  EXPECT_NE(outside.hop("destination")->summary.find("outside the pod network"), std::string::npos);
  EXPECT_TRUE(outside.result->reachable);
  // 0.0.0.0/0 asks "can it reach the internet?": judged as outside addresses, not refused.
  Walk anywhere(kBase, "pod/shop/client", "0.0.0.0/0", "443");
  ASSERT_TRUE(anywhere.result.has_value()) << anywhere.result.error();
  EXPECT_NE(anywhere.hop("destination")->summary.find("outside the pod network"),
            std::string::npos);
}

// From outside the cluster a Service's clusterIP is not routed whatever the Service's type: a
// NodePort opens the nodes' ports, not its clusterIP. By name, a NodePort Service is not blocked
// at the service hop (its node ports are the way in).
TEST(NetworkPathTest, ClusterIpAddressFromOutsideIsBlockedWhateverTheType) {
  std::string node_port = kBase;
  const std::string cluster_ip_spec = "spec: {clusterIP: 192.168.0.10, selector:";
  ASSERT_NE(node_port.find(cluster_ip_spec), std::string::npos);
  node_port.replace(node_port.find(cluster_ip_spec), cluster_ip_spec.size(),
                    "spec: {type: NodePort, clusterIP: 192.168.0.10, selector:");
  Walk by_ip(node_port, "203.0.113.7", "192.168.0.10", "80");
  ASSERT_TRUE(by_ip.result.has_value()) << by_ip.result.error();
  EXPECT_EQ(by_ip.hop("service")->verdict, Verdict::kBlocked);
  EXPECT_FALSE(by_ip.result->reachable);
  Walk by_name(node_port, "203.0.113.7", "svc/shop/web", "80");
  ASSERT_TRUE(by_name.result.has_value()) << by_name.result.error();
  EXPECT_NE(by_name.hop("service")->verdict, Verdict::kBlocked);
  // From a pod the clusterIP is fine.
  Walk inside(node_port, "pod/shop/client", "192.168.0.10", "80");
  ASSERT_TRUE(inside.result.has_value()) << inside.result.error();
  EXPECT_NE(inside.hop("service")->verdict, Verdict::kBlocked);
}

// A hostNetwork pod is its node's network namespace: NetworkPolicy does not isolate it, and its
// IP (the node's) names the node, not one of the hostNetwork pods that share it.
TEST(NetworkPathTest, HostNetworkDestinationIsItsNode) {
  const std::string agent =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: kube-system, labels: "
      "{app: agent}}\nspec: {nodeName: n2, hostNetwork: true, containers: [{name: c, image: "
      "i}]}\nstatus: {phase: Running, podIP: 10.0.0.2, hostIP: 10.0.0.2, conditions: [{type: "
      "Ready, status: 'True'}]}\n"
      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, "
      "namespace: kube-system}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n";
  Walk pod(kBase + agent, "pod/shop/client", "pod/kube-system/agent", "9000");
  ASSERT_TRUE(pod.result.has_value()) << pod.result.error();
  EXPECT_TRUE(pod.result->reachable);
  EXPECT_EQ(pod.hop("network-policy")->verdict, Verdict::kOk);
  EXPECT_NE(pod.hop("destination")->summary.find("hostNetwork"), std::string::npos);
  bool said = false;
  for (const HopEvidence& e : pod.hop("network-policy")->evidence)
    said = said || (e.path == ".spec.hostNetwork" &&
                    e.value.find("NetworkPolicy does not isolate") != std::string::npos);
  EXPECT_TRUE(said);
  // The node's IP is the node, not the agent that shares it.
  Walk ip(kBase + agent, "pod/shop/client", "10.0.0.2", "9000");
  ASSERT_TRUE(ip.result.has_value()) << ip.result.error();
  EXPECT_EQ(ip.hop("destination")->subject, "node/n2");
  EXPECT_TRUE(ip.result->reachable);
  // ... as FROM too: node n2 reaches its own pod web-1 whatever shop's policies say.
  Walk from(kBase + agent + kDenyAll, "10.0.0.2", "pod/shop/web-1", "8080");
  ASSERT_TRUE(from.result.has_value()) << from.result.error();
  EXPECT_EQ(from.result->hops[0].subject, "node/n2");
  EXPECT_TRUE(from.result->reachable);
  // The source's egress still counts, against the node's IP.
  Walk egress(kBase + agent + kDenyAll, "pod/shop/client", "pod/kube-system/agent", "9000");
  EXPECT_FALSE(egress.result->reachable);
  EXPECT_EQ(egress.hop("network-policy")->verdict, Verdict::kBlocked);
}

// A denial that rests on what the snapshot cannot know is `unknown` (the path undecided, exit 3),
// not `blocked`.
TEST(NetworkPathTest, NamespaceSelectorOnANamespaceWithoutItsObjectIsUnknown) {
  const std::string web_from_team =
      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-in, "
      "namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: "
      "[{namespaceSelector: {matchLabels: {team: monitoring}}}]}]}\n";
  // kBase has no Namespace objects: shop's labels are unknown beyond its name.
  Walk unknown(kBase + web_from_team, "pod/shop/client", "pod/shop/web-1", "8080");
  ASSERT_TRUE(unknown.result.has_value()) << unknown.result.error();
  EXPECT_EQ(unknown.hop("network-policy")->verdict, Verdict::kUnknown);
  EXPECT_EQ(unknown.result->verdict, Verdict::kUnknown);  // undecided: neither way
  EXPECT_FALSE(unknown.result->reachable);
  bool said = false;
  for (const HopEvidence& e : unknown.hop("network-policy")->evidence)
    said = said || (e.path == ".spec.ingress[0].from[0].namespaceSelector" &&
                    e.value.find("no Namespace shop") != std::string::npos);
  EXPECT_TRUE(said);
  // With the Namespace object its labels are known: blocked for certain.
  const std::string shop_ns =
      "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n";
  Walk known(kBase + shop_ns + web_from_team, "pod/shop/client", "pod/shop/web-1", "8080");
  EXPECT_EQ(known.hop("network-policy")->verdict, Verdict::kBlocked);
  // A selector on kubernetes.io/metadata.name alone is decided without the object.
  std::string by_name = web_from_team;
  by_name.replace(by_name.find("team: monitoring"), 16, "kubernetes.io/metadata.name: monitoring");
  Walk name(kBase + by_name, "pod/shop/client", "pod/shop/web-1", "8080");
  EXPECT_EQ(name.hop("network-policy")->verdict, Verdict::kBlocked);
}

TEST(NetworkPathTest, IpBlockHoldingThePodIpIsUnknown) {
  auto egress = [](std::string_view block) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, "
           "namespace: shop}\nspec: {podSelector: {matchLabels: {app: client}}, policyTypes: "
           "[Egress], egress: [{to: [{ipBlock: " +
           std::string(block) + "}], ports: [{port: 8080}]}]}\n";
  };
  Walk pod_ip(kBase + egress("{cidr: 172.16.0.0/16}"), "pod/shop/client", "pod/shop/web-1", "8080");
  ASSERT_TRUE(pod_ip.result.has_value()) << pod_ip.result.error();
  EXPECT_EQ(pod_ip.hop("network-policy")->verdict, Verdict::kUnknown);
  EXPECT_NE(pod_ip.hop("network-policy")->summary.find("Calico matches pod IPs"),
            std::string::npos);
  EXPECT_EQ(pod_ip.result->verdict, Verdict::kUnknown);
  EXPECT_FALSE(pod_ip.result->reachable);
  // Through the Service too (both backends undecided).
  Walk svc(kBase + egress("{cidr: 172.16.0.0/16}"), "pod/shop/client", "svc/shop/web");
  EXPECT_EQ(svc.hop("network-policy")->verdict, Verdict::kUnknown);
  // A block that misses the pod, the pod's IP in an except, another port: blocked.
  Walk other(kBase + egress("{cidr: 10.9.0.0/16}"), "pod/shop/client", "pod/shop/web-1", "8080");
  EXPECT_EQ(other.hop("network-policy")->verdict, Verdict::kBlocked);
  Walk except(kBase + egress("{cidr: 172.16.0.0/16, except: [172.16.0.21/32]}"), "pod/shop/client",
              "pod/shop/web-1", "8080");
  EXPECT_EQ(except.hop("network-policy")->verdict, Verdict::kBlocked);
  Walk port(kBase + egress("{cidr: 172.16.0.0/16}"), "pod/shop/client", "pod/shop/web-1", "9090");
  EXPECT_EQ(port.hop("network-policy")->verdict, Verdict::kBlocked);
}

// The rules a fix text says to add, as {".spec.ingress", "- {from: ...}"}: "add to FIELD: RULE",
// several joined by "; and ".
std::vector<std::pair<std::string, std::string>> fix_rules(std::string_view fix) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t at = fix.find("add to ");
  while (at != std::string_view::npos) {
    const auto colon = fix.find(": ", at);
    const auto end = fix.find("; and ", colon);
    out.emplace_back(fix.substr(at + 7, colon - at - 7), fix.substr(colon + 2, end - colon - 2));
    at = end == std::string_view::npos ? end : fix.find("add to ", end);
  }
  return out;
}

// Whether `rule` reads, with the project's YAML reader, as one item of a rule list: a sequence
// of one mapping with `key` (from or to) and, when given, ports. "" when it does, else why not.
std::string check_rule_yaml(const std::string& rule, std::string_view key) {
  Arena arena;
  std::string why = "no document";
  const auto errors = read_yaml("fix", rule, arena, [&](const ParsedDocument& d, const Locator&) {
    const Value& r = d.root;
    if (!r.is_array() || r.size() != 1 || !r[0].is_object()) {
      why = "not a sequence of one mapping";
    } else if (!r[0][key].is_array()) {
      why = fmt::format("no {} list", key);
    } else {
      why.clear();
    }
  });
  return errors.empty() ? why : errors.front().message;
}

// The fix a blocked network-policy hop names parses as YAML and, added to the policy it names,
// lets the connection through: a pod source by its labels, a node by its IP as a /32 ipBlock
// (a cidr without a prefix length is rejected by the API server).
TEST(NetworkPathTest, PolicyFixIsYamlThatAllowsTheConnection) {
  auto deny_with = [](const std::vector<std::pair<std::string, std::string>>& rules) {
    std::string ingress, egress;
    for (const auto& [field, rule] : rules)
      (field == ".spec.ingress" ? ingress : egress) += "  " + rule + "\n";
    return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, "
           "namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  "
           "ingress:\n" +
           ingress + "  egress:\n" + egress;
  };
  auto fix_of = [](const Walk& w) {
    for (const HopEvidence& e : w.hop("network-policy")->evidence) {
      if (e.value.starts_with("fix: ")) return e.value;
    }
    return std::string();
  };
  std::string client_007 = kBase;  // a label value YAML would read as a number unless quoted
  client_007.replace(client_007.find("labels: {app: client}"), 21, "labels: {app: '007'}");
  for (const auto& [base, from, ip_block] :
       {std::tuple{kBase, "pod/shop/client", ""}, std::tuple{client_007, "pod/shop/client", ""},
        std::tuple{kBase, "node/n1", "{ipBlock: {cidr: 10.0.0.1/32}}"}}) {
    Walk blocked(base + kDenyAll, from, "pod/shop/web-1", "8080");
    ASSERT_TRUE(blocked.result.has_value()) << blocked.result.error();
    ASSERT_FALSE(blocked.result->reachable) << from;
    const std::string fix = fix_of(blocked);
    const auto rules = fix_rules(fix);
    ASSERT_EQ(rules.size(), std::string_view(from).starts_with("pod/") ? 2u : 1u) << fix;
    for (const auto& [field, rule] : rules) {
      EXPECT_TRUE(rule.starts_with("- {")) << rule;
      EXPECT_EQ(check_rule_yaml(rule, field == ".spec.ingress" ? "from" : "to"), "") << rule;
    }
    if (*ip_block != '\0') {
      EXPECT_NE(fix.find(ip_block), std::string::npos) << fix;
    }
    Walk fixed(base + deny_with(rules), from, "pod/shop/web-1", "8080");
    ASSERT_TRUE(fixed.result.has_value()) << fixed.result.error();
    EXPECT_TRUE(fixed.result->reachable) << from << ": " << fix;
    EXPECT_EQ(fixed.hop("network-policy")->verdict, Verdict::kOk) << from << ": " << fix;
  }
}

// Ping between pods: NetworkPolicy names no ICMP, so a pod that a policy isolates (in the
// direction concerned) may or may not answer: unknown, the path undecided. With no policy
// isolating either end, nothing filters it: ok.
TEST(NetworkPathTest, PingIsUnknownOnlyWhenAPolicyIsolatesAnEnd) {
  Walk open(kBase, "pod/shop/client", "pod/shop/web-1", "icmp");
  ASSERT_TRUE(open.result.has_value()) << open.result.error();
  EXPECT_EQ(open.hop("network-policy")->verdict, Verdict::kOk);
  EXPECT_EQ(open.hop("network-policy")->summary, "no NetworkPolicy isolates either pod");
  // The Walk's security-group hook allows everything: reachable.
  EXPECT_EQ(open.result->verdict, Verdict::kOk);
  EXPECT_TRUE(open.result->reachable);
  // Isolated for ingress by a policy selecting web only: unknown, and undecided.
  const std::string web_in =
      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-in, "
      "namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}}\n";
  Walk isolated(kBase + web_in, "pod/shop/client", "pod/shop/web-1", "icmp");
  ASSERT_TRUE(isolated.result.has_value()) << isolated.result.error();
  EXPECT_EQ(isolated.hop("network-policy")->verdict, Verdict::kUnknown);
  EXPECT_EQ(isolated.hop("network-policy")->evidence[0].value,
            "isolated for ingress by NetworkPolicy shop/web-in");
  EXPECT_EQ(isolated.result->verdict, Verdict::kUnknown);
  EXPECT_FALSE(isolated.result->reachable);
  // The other way that policy isolates web-1 for ingress only: client's ingress and web-1's
  // egress are open.
  Walk back(kBase + web_in, "pod/shop/web-1", "pod/shop/client", "icmp");
  EXPECT_EQ(back.hop("network-policy")->verdict, Verdict::kOk);
}

TEST(NetworkPathTest, InvalidPoliciesAndMissingObjects) {
  const std::string bad =
      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, "
      "namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "
      "300.0.0.0/8}}]}]}\n";
  Walk w(kBase + bad, "pod/shop/client", "svc/shop/web");
  ASSERT_TRUE(w.result.has_value());
  EXPECT_EQ(w.hop("network-policy")->subject, "networkpolicy/shop/bad");
  EXPECT_EQ(w.hop("network-policy")->verdict, Verdict::kWarning);
  Walk gone(kBase, "pod/shop/nope", "svc/shop/web");
  ASSERT_FALSE(gone.result.has_value());
  EXPECT_EQ(gone.result.error(), "pod shop/nope not found in the input");
}

// A DNS name is looked up first: an egress policy on the client without a rule to CoreDNS on UDP
// 53 blocks the path at the dns hop (the classic "default-deny egress breaks DNS"), with the rule
// to add; with the rule, or without CoreDNS in the snapshot, the hop passes.
TEST(NetworkPathTest, EgressPolicyWithoutDnsBlocksTheLookup) {
  const std::string coredns = R"(
---
apiVersion: v1
kind: Pod
metadata: {name: coredns-1, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {nodeName: n2, containers: [{name: c, image: i, ports: [{containerPort: 53, protocol: UDP}]}]}
status: {phase: Running, podIP: 172.16.0.53, conditions: [{type: Ready, status: 'True'}]}
)";
  const std::string egress_web_only = R"(
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
)";
  const std::string dns_rule = R"(
  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{protocol: UDP, port: 53}]
)";
  Walk blocked(kBase + coredns + egress_web_only, "pod/shop/client", "web.shop");
  ASSERT_TRUE(blocked.result) << blocked.result.error();
  EXPECT_EQ(blocked.steps.front(), "ok source");
  ASSERT_NE(blocked.hop("dns"), nullptr);
  EXPECT_EQ(blocked.hop("dns")->verdict, Verdict::kBlocked);
  EXPECT_NE(blocked.hop("dns")->summary.find("UDP 53 to CoreDNS"), std::string::npos);
  std::string fix;
  for (const HopEvidence& e : blocked.hop("dns")->evidence) {
    if (e.value.starts_with("fix: ")) fix = e.value;
  }
  EXPECT_NE(fix.find("k8s-app: kube-dns"), std::string::npos) << fix;
  EXPECT_FALSE(blocked.result->reachable);
  // The rule is YAML that, added to the client's egress policy, lets the lookup through.
  const auto rules = fix_rules(fix);
  ASSERT_EQ(rules.size(), 1u) << fix;
  EXPECT_EQ(rules[0].first, ".spec.egress");
  EXPECT_EQ(check_rule_yaml(rules[0].second, "to"), "") << rules[0].second;
  Walk fixed(kBase + coredns + egress_web_only + "  " + rules[0].second + "\n", "pod/shop/client",
             "web.shop");
  ASSERT_TRUE(fixed.result) << fixed.result.error();
  EXPECT_EQ(fixed.hop("dns")->verdict, Verdict::kOk) << rules[0].second;

  Walk allowed(kBase + coredns + egress_web_only + dns_rule, "pod/shop/client", "web.shop");
  ASSERT_TRUE(allowed.result) << allowed.result.error();
  EXPECT_EQ(allowed.hop("dns")->verdict, Verdict::kOk);

  Walk no_coredns(kBase + egress_web_only, "pod/shop/client", "web.shop");
  ASSERT_TRUE(no_coredns.result) << no_coredns.result.error();
  EXPECT_EQ(no_coredns.hop("dns")->verdict, Verdict::kOk);
  EXPECT_NE(no_coredns.hop("dns")->evidence.back().value.find("no CoreDNS pod"), std::string::npos);
}

// The closing line of an undecided path names the hop that would decide it: a security group
// whose answer could not be read, not a node that merely lacks a kube-proxy pod in the snapshot
// (which comes first on the path). A node hop is named as "node/a", not "node node/a".
TEST(NetworkPathTest, UndecidedLineNamesTheDecidingHopBeforeANodeNote) {
  PathResult path;
  path.from = "pod/shop/a";
  path.to = "pod/shop/b";
  path.port = 80;
  path.protocol = "TCP";
  path.verdict = Verdict::kUnknown;
  path.hops.push_back({"node", "node/n1", Verdict::kUnknown, "Ready; no kube-proxy pod", {}});
  path.hops.push_back({"security-group",
                       "TCP 80 from 10.0.0.1 to 10.0.0.2",
                       Verdict::kUnknown,
                       "cloud/ecs-x.json could not be read",
                       {}});
  std::string text = render_path_text(path, false);
  EXPECT_NE(text.find("\nundecided at security-group TCP 80 from 10.0.0.1 to 10.0.0.2: "
                      "cloud/ecs-x.json could not be read\n"),
            std::string::npos)
      << text;
  // Only the node is unknown: it is named, once.
  path.hops.pop_back();
  text = render_path_text(path, false);
  EXPECT_NE(text.find("\nundecided at node/n1: Ready; no kube-proxy pod\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace ktriage::network
