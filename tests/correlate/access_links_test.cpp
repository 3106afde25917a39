// A container that exits after an RBAC refusal: the refusal is the root cause of the crash.
#include "correlate/access_links.h"

#include <gtest/gtest.h>

#include <string>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

const std::string kPod = R"(apiVersion: v1
kind: Pod
metadata: {name: sync-0, namespace: shop, uid: p-sync-0}
spec:
  serviceAccountName: sync
  containers: [{name: sync, image: shop/sync:2.0}]
status:
  phase: Running
  conditions: [{type: Ready, status: "False"}]
  containerStatuses:
  - name: sync
    ready: false
    restartCount: 6
    state: {waiting: {reason: CrashLoopBackOff}}
    lastState: {terminated: {reason: Error, exitCode: 1, finishedAt: "2026-03-01T11:58:00Z"}}
)";

constexpr std::string_view kRefusal =
    "F0301 11:58:00.000000 1 main.go:31] cannot start: configmaps is forbidden: User "
    "\"system:serviceaccount:shop:sync\" cannot list resource \"configmaps\" in API group \"\" in "
    "the namespace \"shop\"\n";

std::vector<Finding> run(std::string_view log) {
  return testing::diagnose(*testing::cluster_from(
      {{"pods.yaml", kPod}, {"logs/shop/sync-0/sync.previous.log", std::string(log)}},
      *parse_rfc3339("2026-03-01T12:00:00Z")));
}

TEST(AccessLinksTest, CrashAfterARefusalIsCausedByIt) {
  const auto findings =
      run("I0301 11:57:59.000000 1 main.go:20] starting\n" + std::string(kRefusal));
  const auto refusals = testing::with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(refusals.size(), 1u);
  bool linked = false;
  for (const Finding& f : findings) {
    if (f.rule == "rbac-forbidden") {
      EXPECT_TRUE(f.caused_by.empty());
      continue;
    }
    for (const std::string& c : f.caused_by) linked = linked || c == refusals[0]->id;
  }
  EXPECT_TRUE(linked) << "the crash finding should name the refusal as its cause";
}

TEST(AccessLinksTest, ACrashWithoutARefusalIsNotLinked) {
  const auto findings = run("panic: nil map\n");
  EXPECT_TRUE(testing::with_rule(findings, "rbac-forbidden").empty());
  for (const Finding& f : findings) EXPECT_TRUE(f.caused_by.empty()) << f.id;
}

TEST(AccessLinksTest, OnlyTheSameObjectIsLinked) {
  Finding refusal;
  refusal.id = "r";
  refusal.rule = "rbac-forbidden";
  refusal.object = ObjectRef{"Deployment", "shop", "a", ""};
  Finding crash;
  crash.id = "c";
  crash.rule = "crash-app-error";
  crash.object = ObjectRef{"Pod", "shop", "b-1", ""};
  Evidence e;
  e.kind = Evidence::Kind::kLog;
  e.value = "pods is forbidden: User \"x\" cannot list resource \"pods\"";
  crash.evidence.push_back(e);
  std::vector<Finding> findings{refusal, crash};
  link_refusals(findings);
  EXPECT_TRUE(findings[1].caused_by.empty());
  findings[0].also_affects.push_back(ObjectRef{"Pod", "shop", "b-1", ""});
  link_refusals(findings);
  ASSERT_EQ(findings[1].caused_by.size(), 1u);
  EXPECT_EQ(findings[1].caused_by[0], "r");
}

}  // namespace
}  // namespace ktriage
