// --matrix against brute force: every ordered pod pair evaluated one by one with evaluate() on
// each declared port of the destination, folded into group pairs, must equal the class-and-bitset
// computation (all / some / none).
#include "network/matrix.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "model/pod.h"
#include "network/matrix_render.h"
#include "support/test_support.h"

namespace ktriage::network {
namespace {

std::string pod(std::string_view ns, std::string_view name, std::string_view labels,
                std::string_view ports) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + ", labels: " + std::string(labels) +
         "}\nspec: {containers: [{name: c, image: i, ports: " + std::string(ports) +
         "}]}\nstatus: {phase: Running}\n";
}

std::string policy(std::string_view ns, std::string_view name, std::string_view spec) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " +
         std::string(name) + ", namespace: " + std::string(ns) + "}\nspec: " + std::string(spec) +
         "\n";
}

const std::string kWorld =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {team: x, env: prod}}\n"
    "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {team: x, env: dev}}\n"
    "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: c, labels: {team: y}}\n" +
    pod("a", "web-1", "{app: web}", "[{name: http, containerPort: 8080}]") +
    pod("a", "web-2", "{app: web}", "[{name: http, containerPort: 8080}]") +
    pod("a", "db", "{app: db}", "[{name: pg, containerPort: 5432}]") +
    pod("b", "web", "{app: web, canary: 'true'}", "[{name: http, containerPort: 8080}]") +
    pod("b", "api", "{app: api}",
        "[{name: http, containerPort: 9090}, {containerPort: 53, protocol: UDP}]") +
    pod("c", "client", "{app: client}", "[{containerPort: 80}]") +
    pod("c", "dns", "{k8s-app: kube-dns}", "[{name: dns, containerPort: 53, protocol: UDP}]") +
    policy("a", "deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}") +
    policy("a", "web-from-team-x",
           "{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: "
           "{matchLabels: {team: x}}, podSelector: {matchExpressions: [{key: canary, operator: "
           "DoesNotExist}]}}], ports: [{port: http}]}]}") +
    policy("a", "db-from-web",
           "{podSelector: {matchLabels: {app: db}}, ingress: [{from: "
           "[{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]}") +
    policy("a", "web-egress",
           "{podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], "
           "egress: [{to: [{podSelector: {}}]}, {to: [{namespaceSelector: {}, "
           "podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: "
           "53, protocol: UDP}]}]}") +
    policy("b", "api-range",
           "{podSelector: {matchLabels: {app: api}}, ingress: [{from: "
           "[{namespaceSelector: {matchLabels: {team: y}}}, {podSelector: {}}], "
           "ports: [{port: 9000, endPort: 9100}]}]}") +
    policy("c", "client-egress",
           "{podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], "
           "egress: [{to: [{namespaceSelector: {matchLabels: {env: dev}}}]}]}");

TEST(NetworkMatrixTest, EqualsPodByPodEvaluation) {
  auto cluster = testing::cluster_from_yaml(kWorld);
  const NetworkSnapshot net(*cluster);
  ASSERT_TRUE(net.errors().empty()) << net.errors()[0].message;
  const Matrix m = compute_matrix(*cluster, net, {});
  ASSERT_EQ(m.groups, (std::vector<std::string>{"a", "b", "c"}));

  // Brute force: reached[to][from] = pod pairs that connect on some declared port, out of all.
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> pairs;
  std::vector<PodFacts> facts;
  for (const Object* p : cluster->of_kind("Pod")) facts.push_back(pod_facts(*p));
  for (const PodFacts& s : facts) {
    for (const PodFacts& d : facts) {
      const PodEndpoint se = net.endpoint(s), de = net.endpoint(d);
      bool any = false;
      for (const ContainerPort& p : d.ports)
        any = any ||
              evaluate(net.policies(), Endpoint{&se, {}}, Endpoint{&de, {}}, p.port, p.protocol)
                  .allowed();
      auto& [ok, total] = pairs[{std::string(d.ns), std::string(s.ns)}];
      ok += any ? 1 : 0;
      ++total;
    }
  }
  for (std::uint32_t to = 0; to < 3; ++to) {
    for (std::uint32_t from = 0; from < 3; ++from) {
      const auto [ok, total] = pairs[{m.groups[to], m.groups[from]}];
      const MatrixPair* cell = nullptr;
      for (const MatrixPair& p : m.pairs) {
        if (p.to == to && p.from == from) cell = &p;
      }
      const std::string where = m.groups[from] + " -> " + m.groups[to];
      EXPECT_EQ(cell != nullptr, ok > 0) << where;
      if (cell != nullptr) {
        EXPECT_EQ(cell->all, ok == total) << where;
      }
    }
  }
  // The world is built to have all three kinds of cell.
  bool all = false, some = false;
  for (const MatrixPair& p : m.pairs) (p.all ? all : some) = true;
  EXPECT_TRUE(all);
  EXPECT_TRUE(some);
  EXPECT_LT(m.pairs.size(), 9u);
}

// hostNetwork pods are their nodes: left out of the matrix (and counted), as the path treats
// them (tests/network/path_test.cpp HostNetworkDestinationIsItsNode).
TEST(NetworkMatrixTest, HostNetworkPodsAreLeftOutAndCounted) {
  const std::string host =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: c}\nspec: "
      "{hostNetwork: true, containers: [{name: c, image: i}]}\nstatus: {phase: Running}\n";
  auto cluster = testing::cluster_from_yaml(kWorld + host);
  const NetworkSnapshot net(*cluster);
  const Matrix m = compute_matrix(*cluster, net, {});
  EXPECT_EQ(m.pods, 7u);
  EXPECT_EQ(m.host_network_pods, 1u);
}

// A namespace known only from its pods: the namespaceSelectors on other labels than its name
// cannot be decided for it, and the matrix says so.
TEST(NetworkMatrixTest, NotesNamespaceSelectorsOnNamespacesWithoutTheirObject) {
  auto known = testing::cluster_from_yaml(kWorld);
  const NetworkSnapshot known_net(*known);
  EXPECT_TRUE(compute_matrix(*known, known_net, {}).notes.empty());
  auto cluster = testing::cluster_from_yaml(kWorld + pod("d", "x", "{app: x}", "[]"));
  const NetworkSnapshot net(*cluster);
  const Matrix m = compute_matrix(*cluster, net, {});
  ASSERT_FALSE(m.notes.empty());
  EXPECT_NE(m.notes[0].find("NetworkPolicy a/web-from-team-x .spec.ingress[0].from[0]."
                            "namespaceSelector team=x tests labels of namespace(s) d"),
            std::string::npos)
      << m.notes[0];
}

TEST(NetworkMatrixTest, WorkloadsOfOneNamespace) {
  auto cluster = testing::cluster_from_yaml(kWorld);
  const NetworkSnapshot net(*cluster);
  const Matrix m = compute_matrix(*cluster, net, {true, "a"});
  EXPECT_EQ(m.groups, (std::vector<std::string>{"a/pod/db", "a/pod/web-1", "a/pod/web-2"}));
  EXPECT_EQ(m.pods, 3u);
  EXPECT_EQ(m.classes, 3u);  // web-1 and web-2 are one class per workload: groups keep them apart
}

// The matrix weighs NetworkPolicy only: both the grid and the per-destination list end by saying
// so and pointing to netcheck FROM TO, and JSON carries it as a field, so a "yes" is not read as
// "reachable" (a security group may still drop the traffic).
TEST(NetworkMatrixTest, OutputsSayTheyWeighNetworkPolicyOnly) {
  const std::string scope =
      "NetworkPolicy only: Services, readiness, nodes and cloud security groups are not checked; "
      "for the full path of a pair: ktriage netcheck FROM TO\n";
  auto cluster = testing::cluster_from_yaml(kWorld);
  const NetworkSnapshot net(*cluster);
  const Matrix grid = compute_matrix(*cluster, net, {});
  EXPECT_TRUE(render_matrix_text(grid, false).ends_with("none\n" + scope));
  Matrix list;  // over 24 groups: one line per destination
  for (int i = 0; i < 30; ++i) {
    list.groups.push_back(fmt::format("ns{:02}", i));
    list.group_pods.push_back(1);
  }
  EXPECT_TRUE(render_matrix_text(list, false).ends_with("\n\n" + scope));
  const auto j = nlohmann::json::parse(render_matrix_json(grid));
  EXPECT_EQ(j["scope"], "networkpolicy");
  EXPECT_EQ(j["scopeNote"].get<std::string>() + "\n", scope);
}

}  // namespace
}  // namespace ktriage::network
