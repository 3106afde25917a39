// NetworkPolicy peer suite: the probe tables of ../shared/peers/netpol (Kubernetes documentation,
// cyclonus, np-guard netpol-analyzer), every probe evaluated by the network engine exactly as
// the table states it (pods by labels and container ports, a bare IPv4 as a host outside the
// cluster). A probe passes when ktriage's verdict equals the table's; every mismatch must be
// listed in kKnownDifferences with its reason. The per-case results become docs/peers/netpol.md;
// the test fails when that file is stale.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "load/document.h"
#include "network/evaluate.h"
#include "peers/peer_report.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using network::ContainerPort;
using network::Endpoint;
using network::Labels;
using network::PodEndpoint;

const std::string kDir = testing::shared_dir() + "/peers/netpol/";

// "folder/case/from->to port/proto" -> why ktriage answers differently. Empty: none do.
const std::map<std::string, std::string> kKnownDifferences = {};

// One case's world, owning everything the PodEndpoints view.
struct World {
  std::deque<Labels> labels;
  std::map<std::string, Labels, std::less<>> ns_labels;
  std::deque<std::vector<ContainerPort>> ports;
  std::map<std::string, PodEndpoint, std::less<>> pods;  // "ns/name"
};

std::vector<Value> read_docs(const std::string& path, Arena& arena) {
  std::vector<Value> docs;
  const std::string text = testing::read_file(path);
  auto errors = read_yaml(path, text, arena,
                          [&](const ParsedDocument& d, const Locator&) { docs.push_back(d.root); });
  EXPECT_TRUE(errors.empty()) << path;
  return docs;
}

struct CaseResult {
  int probes = 0, passed = 0, failed = 0, known = 0;
  std::vector<std::string> failures;
};

CaseResult run_case(const std::string& folder, const Value& c, Arena& arena) {
  CaseResult r;
  const std::string name(c["name"].str());
  // Policies: every NetworkPolicy document of the listed files (List items too).
  std::vector<network::Policy> policies;
  for (const Value& file : c["policies"].items()) {
    for (const Value& doc : read_docs(kDir + folder + "/" + std::string(file.str()), arena)) {
      std::vector<const Value*> objs;
      if (doc["kind"].str() == "NetworkPolicyList" || doc["kind"].str() == "List") {
        for (const Value& item : doc["items"].items()) objs.push_back(&item);
      } else {
        objs.push_back(&doc);
      }
      for (const Value* o : objs) {
        if ((*o)["kind"].str() != "NetworkPolicy") continue;
        std::string_view ns = (*o)["metadata"]["namespace"].str();
        if (ns.empty()) ns = "default";
        auto p = network::compile_policy((*o)["spec"], ns, (*o)["metadata"]["name"].str());
        EXPECT_TRUE(p.has_value()) << name << ": " << (p ? "" : p.error());
        if (p) policies.push_back(std::move(*p));
      }
    }
  }
  const network::PolicySet set(std::move(policies));
  World w;
  for (const Member& m : c["namespaces"].members())
    w.ns_labels[std::string(m.key)] = network::labels_of(m.value);
  for (const Value& p : c["pods"].items()) {
    const std::string ns(p["ns"].str());
    PodEndpoint pod;
    pod.ns = p["ns"].str();
    pod.labels = &w.labels.emplace_back(network::labels_of(p["labels"]));
    auto it = w.ns_labels.find(ns);
    if (it == w.ns_labels.end())  // the API server labels every namespace with its name
      it = w.ns_labels.emplace(ns, Labels{{"kubernetes.io/metadata.name", p["ns"].str()}}).first;
    pod.ns_labels = &it->second;
    auto& ports = w.ports.emplace_back();
    for (const Value& cp : p["ports"].items()) {
      ContainerPort port{cp["name"].str(), static_cast<std::int32_t>(cp["port"].as_int()),
                         cp["protocol"].str().empty() ? "TCP" : cp["protocol"].str()};
      ports.push_back(port);
    }
    pod.ports = ports;
    w.pods[ns + "/" + std::string(p["name"].str())] = pod;
  }
  auto endpoint = [&](std::string_view text, bool* ok) {
    Endpoint e;
    if (auto it = w.pods.find(text); it != w.pods.end()) {
      e.pod = &it->second;
      return e;
    }
    auto addr = network::parse_cidr(text);
    *ok = addr.has_value();
    if (addr) e.address = *addr;
    return e;
  };
  for (const Value& probe : c["probes"].items()) {
    ++r.probes;
    bool ok = true;
    const Endpoint from = endpoint(probe["from"].str(), &ok);
    const Endpoint to = endpoint(probe["to"].str(), &ok);
    const std::string proto(probe["protocol"].str().empty() ? "TCP" : probe["protocol"].str());
    const auto port = static_cast<std::int32_t>(probe["port"].as_int());
    const std::string key = fmt::format("{}/{}/{}->{} {}/{}", folder, name, probe["from"].str(),
                                        probe["to"].str(), port, proto);
    EXPECT_TRUE(ok) << key << ": an end is neither a pod of the case nor an address";
    const auto verdict = network::evaluate(set, from, to, port, proto);
    const bool want = probe["expect"].str() == "allow";
    if (verdict.allowed() == want) {
      ++r.passed;
      continue;
    }
    if (kKnownDifferences.count(key) > 0) {
      ++r.known;
      continue;
    }
    ++r.failed;
    r.failures.push_back(fmt::format("{}: expected {}, ktriage: {}; {}", key,
                                     want ? "allow" : "deny",
                                     network::describe(verdict.egress, "egress"),
                                     network::describe(verdict.ingress, "ingress")));
  }
  return r;
}

TEST(NetpolPeerTest, EveryProbeMatchesTheTable) {
  std::vector<testing::PeerRow> rows;
  int total = 0;
  for (const std::string folder : {"kubernetes-docs", "cyclonus", "np-guard-netpol-analyzer"}) {
    Arena arena;
    const auto docs = read_docs(kDir + folder + "/expectations.yaml", arena);
    ASSERT_EQ(docs.size(), 1u) << folder;
    for (const Value& c : docs[0].items()) {
      const CaseResult r = run_case(folder, c, arena);
      total += r.probes;
      for (const std::string& f : r.failures) ADD_FAILURE() << f;
      testing::PeerRow row;
      row.fixture = folder + "/" + std::string(c["name"].str());
      row.check = fmt::format("{} probes", r.probes);
      row.peer_expects = "allow/deny per probe";
      row.ktriage_reports = fmt::format("{} equal{}{}", r.passed,
                                        r.known ? fmt::format(", {} differ (known)", r.known) : "",
                                        r.failed ? fmt::format(", {} differ", r.failed) : "");
      row.result =
          r.failed + r.known == 0 ? testing::PeerResult::kPassed : testing::PeerResult::kFailed;
      rows.push_back(row);
    }
  }
  EXPECT_EQ(total, 2837);
  const std::string intro = fmt::format(
      "Every probe of `../shared/peers/netpol/*/expectations.yaml` ({} in all) is evaluated by "
      "`src/network` (the engine behind `ktriage netcheck`): the destination's ingress and the "
      "source's egress, pods matched by labels only, a bare IPv4 address as a host outside the "
      "cluster (ipBlock). One row per case; a case passes when every probe's verdict equals the "
      "table's. Differences would be listed with their reason in tests/peers/netpol_test.cpp "
      "(kKnownDifferences); there are none.\n",
      total);
  testing::check_peer_doc("netpol",
                          testing::render_peer_doc("NetworkPolicy peers (netpol)", intro, rows),
                          "NetpolPeerTest.*");
}

}  // namespace
}  // namespace ktriage
