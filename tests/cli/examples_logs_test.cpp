// The bundled examples' logs: `ktriage logs` finds exactly the failures planted in them (see each
// example's FAULTS.yaml story), and `diagnose` shows those lines under the pod and node findings
// they explain.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

Value parse(const std::string& out, Arena& arena, std::string& padded) {
  padded = out + std::string(kJsonPadding, '\0');
  Value root;
  auto errors = read_json(std::string_view(padded.data(), out.size()), arena,
                          [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  EXPECT_TRUE(errors.empty()) << out;
  return root;
}

std::string object_key(const Value& o) {
  std::string ns(o["namespace"].str());
  return std::string(o["kind"].str()) + "/" + (ns.empty() ? "" : ns + "/") +
         std::string(o["name"].str());
}

// "signature object" per example: what its logs hold, no more and no less.
const std::map<std::string, std::set<std::string>> kPlanted = {
    {"addon-failure",
     {"containerd-cni-add-failed Node/cn-hangzhou.10.0.2.22",
      "kubelet-crashloop-backoff Node/cn-hangzhou.10.0.2.22",
      "kubelet-create-pod-sandbox-failed Node/cn-hangzhou.10.0.2.22",
      "terway-daemon-socket-unavailable Node/cn-hangzhou.10.0.2.22"}},
    {"cluster-info-dump",
     {"app-python-module-not-found Pod/blog/blog-api-7f5b9c8d46-mk8rd",
      "app-python-traceback Pod/blog/blog-api-7f5b9c8d46-mk8rd"}},
    {"healthy", {}},
    {"rbac-forbidden",
     {"app-rbac-forbidden Pod/monitoring/metrics-agent-7c9f6d5b8-k2x9p",
      "app-rbac-forbidden Pod/shop/order-operator-5d8b7f9c6-q7m4t"}},
    {"node-failure",
     {"kubelet-node-status-update-failed Node/cn-hangzhou.10.0.1.12",
      "kubelet-pleg-not-healthy Node/cn-hangzhou.10.0.1.12",
      "kubelet-runtime-call-timeout Node/cn-hangzhou.10.0.1.12"}},
    {"shop-broken",
     {"app-connection-refused Pod/shop/catalog-69d7f8c5b4-c5t8v",
      "app-connection-refused Pod/shop/catalog-69d7f8c5b4-jw7pm",
      "app-connection-refused Pod/shop/checkout-84f6b9d7c5-2kdwq",
      "app-connection-refused Pod/shop/checkout-84f6b9d7c5-r9jnx",
      // Not also app-permission-denied: it yields "permission denied for schema" to this one.
      "app-db-permission-denied Pod/shop/report-nightly-29932470-5hx9q",
      "kubelet-readiness-probe-failed File/examples/shop-broken/describe.txt"}},
    {"storage-failure",
     {"kubelet-mount-object-not-found Node/cn-beijing.10.20.1.21",
      "kubelet-volume-mount-timeout Node/cn-beijing.10.20.1.21",
      "kubelet-volume-mount-timeout Node/cn-beijing.10.20.2.34"}},
};

TEST(ExampleLogsTest, LogsCommandFindsThePlantedFailuresOfEveryExample) {
  for (const auto& [example, planted] : kPlanted) {
    auto r = testing::run_ktriage("logs examples/" + example + " -o json", testing::source_dir());
    EXPECT_EQ(r.exit_code, planted.empty() ? 0 : 1) << example << r.err;
    Arena arena;
    std::string padded;
    Value root = parse(r.out, arena, padded);
    std::set<std::string> seen;
    for (const Value& f : root["findings"].items()) {
      seen.insert(std::string(f["rule"].str()) + " " + object_key(f["object"]));
    }
    EXPECT_EQ(seen, planted) << example;
  }
}

// The log lines `diagnose` attaches: finding (rule and object) -> signature ids in its evidence.
TEST(ExampleLogsTest, DiagnoseShowsLogEvidenceUnderTheFindingsItExplains) {
  const std::map<std::string, std::set<std::string>> expected = {
      {"node-failure",
       {"node-kubelet-stopped-posting Node/cn-hangzhou.10.0.1.12 kubelet-pleg-not-healthy",
        // The cause behind PLEG: the runtime's CRI calls time out.
        "node-kubelet-stopped-posting Node/cn-hangzhou.10.0.1.12 kubelet-runtime-call-timeout",
        "node-kubelet-stopped-posting Node/cn-hangzhou.10.0.1.12 "
        "kubelet-node-status-update-failed"}},
      {"storage-failure",
       {"mount-secret-configmap-missing Pod/billing/report-worker-5b6c7d8e9f-h4ncz "
        "kubelet-mount-object-not-found",
        "mount-secret-configmap-missing Pod/billing/report-worker-5b6c7d8e9f-h4ncz "
        "kubelet-volume-mount-timeout",
        "volume-multi-attach Pod/billing/invoice-api-7c9d8b6f4-tq9wm "
        "kubelet-volume-mount-timeout"}},
      {"addon-failure",
       {"crash-app-error Pod/kube-system/terway-eniip-7kq2x kubelet-crashloop-backoff",
        "sandbox-cni-failed Pod/shop/cart-6d9f8b7c45-zx8kp terway-daemon-socket-unavailable",
        "sandbox-cni-failed Pod/shop/search-84b7c6d9f5-w7gjs terway-daemon-socket-unavailable"}},
  };
  for (const auto& [example, want] : expected) {
    auto r =
        testing::run_ktriage("diagnose examples/" + example + " -o json", testing::source_dir());
    EXPECT_EQ(r.exit_code, 1) << example << r.err;
    Arena arena;
    std::string padded;
    Value root = parse(r.out, arena, padded);
    std::set<std::string> seen;
    for (const Value& f : root["findings"].items()) {
      bool lines = false;
      for (const Value& e : f["evidence"].items()) lines |= e["type"].str() == "log";
      for (const Value& e : f["evidence"].items()) {
        const std::string_view v = e["value"].str();
        const std::size_t at = v.find("; log signature ");
        if (e["type"].str() != "note" || at == std::string_view::npos) continue;
        EXPECT_TRUE(lines) << "a log note without its lines";
        std::string_view id = v.substr(at + 16);
        id = id.substr(0, id.find(')'));
        seen.insert(std::string(f["rule"].str()) + " " + object_key(f["object"]) + " " +
                    std::string(id));
      }
    }
    // Every expected attachment is there (a line quoted by one signature is not repeated for
    // another, so which generic signatures show depends on the samples), and nothing of these
    // logs lands on a finding about another object.
    for (const std::string& w : want) EXPECT_EQ(seen.count(w), 1u) << example << ": " << w;
    std::set<std::string> objects;
    for (const std::string& w : want) objects.insert(w.substr(0, w.rfind(' ')));
    for (const std::string& s : seen) {
      EXPECT_EQ(objects.count(s.substr(0, s.rfind(' '))), 1u) << example << ": " << s;
    }
  }
}

}  // namespace
}  // namespace ktriage
