// Namespaces stuck Terminating: the namespace controller's failure conditions, the objects whose
// finalizers hold the namespace, and the link to an unavailable APIService.
#include <gtest/gtest.h>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-12-01T08:30:00Z");

std::string ns(std::string_view name, std::string_view deleted, std::string_view conditions) {
  return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + std::string(name) +
         ", deletionTimestamp: '" + std::string(deleted) +
         "'}\nspec: {finalizers: [kubernetes]}\nstatus:\n  phase: Terminating\n" +
         std::string(conditions);
}

const std::string kFinalizersRemaining =
    "  conditions:\n  - {type: NamespaceFinalizersRemaining, status: 'True', reason: "
    "SomeFinalizersRemain, message: 'Some content in the namespace has finalizers remaining: "
    "example.com/backup-protection in 1 resource instances'}\n";

const std::string kHeldPvc =
    "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: old, "
    "deletionTimestamp: '2026-12-01T07:00:00Z', finalizers: [example.com/backup-protection]}\n"
    "spec: {accessModes: [ReadWriteOnce]}\nstatus: {phase: Bound}\n";

TEST(NamespacesTest, FinalizersRemainingNamesTheObjectsThatHoldIt) {
  auto f = diagnose(
      *cluster_from_yaml(ns("old", "2026-12-01T07:00:00Z", kFinalizersRemaining) + kHeldPvc, kNow));
  auto r = with_rule(f, "namespace-stuck-terminating");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->object.key(), "Namespace/old");
  EXPECT_NE(r[0]->summary.find("Terminating for 90m"), std::string::npos) << r[0]->summary;
  EXPECT_NE(r[0]->summary.find("example.com/backup-protection"), std::string::npos);
  bool pvc = false;
  for (const Evidence& e : r[0]->evidence) {
    pvc = pvc || (e.object == "persistentvolumeclaim/data" && e.path == ".metadata.finalizers" &&
                  e.value.find("example.com/backup-protection") != std::string::npos);
  }
  EXPECT_TRUE(pvc);
  EXPECT_NE(r[0]->fix.find("kubectl -n old patch <kind>/<name>"), std::string::npos);
}

TEST(NamespacesTest, DiscoveryFailureIsCausedByTheUnavailableApiService) {
  const std::string apiservice =
      "---\napiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: "
      "v1beta1.metrics.k8s.io}\nspec: {group: metrics.k8s.io, version: v1beta1, service: "
      "{namespace: kube-system, name: metrics-server}}\nstatus:\n  conditions:\n  - {type: "
      "Available, status: 'False', reason: MissingEndpoints, message: no endpoints}\n";
  const std::string discovery =
      "  conditions:\n  - {type: NamespaceDeletionDiscoveryFailure, status: 'True', reason: "
      "DiscoveryFailed, message: 'Discovery failed for some groups, 1 failing: unable to "
      "retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is "
      "currently unable to handle the request'}\n";
  auto f =
      diagnose(*cluster_from_yaml(apiservice + ns("old", "2026-12-01T08:29:00Z", discovery), kNow));
  auto r = with_rule(f, "namespace-stuck-terminating");
  ASSERT_EQ(r.size(), 1u) << "a failure condition counts at once, however recent the deletion";
  auto api = with_rule(f, "apiservice-unavailable");
  ASSERT_EQ(api.size(), 1u);
  ASSERT_EQ(r[0]->caused_by.size(), 1u);
  EXPECT_EQ(r[0]->caused_by[0], api[0]->id);
  EXPECT_NE(r[0]->fix.find("kubectl get apiservices"), std::string::npos);
}

TEST(NamespacesTest, LongTerminatingWithoutConditionsIsStuckRecentIsNot) {
  auto old = diagnose(*cluster_from_yaml(ns("old", "2026-12-01T08:00:00Z", ""), kNow));
  EXPECT_EQ(with_rule(old, "namespace-stuck-terminating").size(), 1u);
  auto recent = diagnose(*cluster_from_yaml(ns("old", "2026-12-01T08:28:00Z", ""), kNow));
  EXPECT_TRUE(with_rule(recent, "namespace-stuck-terminating").empty());
  auto active = diagnose(*cluster_from_yaml(
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\nstatus: {phase: Active}\n", kNow));
  EXPECT_TRUE(with_rule(active, "namespace-stuck-terminating").empty());
}

TEST(NamespacesTest, ContentStillRemainingRightAfterTheDeleteIsNormal) {
  const std::string remaining =
      "  conditions:\n  - {type: NamespaceContentRemaining, status: 'True', reason: "
      "SomeResourcesRemain, message: 'Some resources are remaining: pods. has 2 resource "
      "instances'}\n";
  auto fresh = diagnose(*cluster_from_yaml(ns("old", "2026-12-01T08:29:50Z", remaining), kNow));
  EXPECT_TRUE(with_rule(fresh, "namespace-stuck-terminating").empty());
  auto lasting = diagnose(*cluster_from_yaml(ns("old", "2026-12-01T08:00:00Z", remaining), kNow));
  EXPECT_EQ(with_rule(lasting, "namespace-stuck-terminating").size(), 1u);
}

}  // namespace
}  // namespace ktriage
