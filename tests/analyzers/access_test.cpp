// Refused API requests in pod logs and events, checked against the snapshot's RBAC: the
// refusal with its subject, closest grant and fix; a refusal the snapshot now grants; ACK's old
// cs:admin role without CRDs; and lines that are not refusals.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-03-01T12:00:00Z");

// Deployment web -> ReplicaSet -> Pod web-1 (ServiceAccount web) in namespace shop, healthy.
const std::string kWorkload = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d-web}
spec: {replicas: 1}
status: {replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4f
  namespace: shop
  uid: rs-web
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  uid: p-web-1
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: rs-web, controller: true}]
spec:
  serviceAccountName: web
  nodeName: n1
  containers: [{name: web, image: shop/web:1.4}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
  containerStatuses: [{name: web, ready: true, restartCount: 0, state: {running: {startedAt: "2026-03-01T10:00:00Z"}}}]
)";

// RoleBinding shop/web-pods: ClusterRole pod-reader (get, list, watch pods) to ServiceAccount web.
const std::string kRbac = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-pods, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
)";

constexpr std::string_view kLogPath = "logs/shop/web-1/web.log";

std::vector<Finding> run(const std::string& log, const std::string& rbac = kRbac,
                         const std::string& extra = "") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"objects.yaml", kWorkload + "---\n" + rbac + extra}};
  if (!log.empty()) files.emplace_back(std::string(kLogPath), log);
  return diagnose(*cluster_from(files, kNow));
}

const std::string kClusterList =
    "I0301 11:00:00.000000 1 main.go:40] starting\n"
    "E0301 11:58:00.000000 1 reflector.go:147] failed to list *v1.Pod: pods is forbidden: User "
    "\"system:serviceaccount:shop:web\" cannot list resource \"pods\" in API group \"\" at the "
    "cluster scope\n"
    "E0301 11:59:00.000000 1 reflector.go:147] failed to list *v1.Pod: pods is forbidden: User "
    "\"system:serviceaccount:shop:web\" cannot list resource \"pods\" in API group \"\" at the "
    "cluster scope\n";

TEST(AccessTest, RbacForbiddenInALogNamesSubjectClosestGrantAndFix) {
  const auto findings = run(kClusterList);
  const auto found = with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(found.size(), 1u);
  const Finding& f = *found[0];
  EXPECT_EQ(f.catalog, "ACK-RAM-RBAC-FORBIDDEN");
  EXPECT_EQ(f.object.kind, "Deployment");
  EXPECT_EQ(f.object.name, "web");
  EXPECT_EQ(f.summary,
            "ServiceAccount shop/web may not list pods at the cluster scope: the API server "
            "refused it (refused 2 times)");
  ASSERT_GE(f.evidence.size(), 4u);
  EXPECT_EQ(f.evidence[0].kind, Evidence::Kind::kLog);
  EXPECT_EQ(f.evidence[0].file, kLogPath);
  EXPECT_EQ(f.evidence[0].line, 2u);
  EXPECT_EQ(f.evidence[1].line, 3u);
  std::string notes;
  for (const Evidence& e : f.evidence) notes += e.value + "\n";
  EXPECT_NE(notes.find("subject: ServiceAccount shop/web (user system:serviceaccount:shop:web, "
                       "groups system:serviceaccounts, system:serviceaccounts:shop, "
                       "system:authenticated)"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("closest grant: RoleBinding shop/web-pods -> ClusterRole pod-reader, rule 0 "
                       "(get,list,watch pods): lacks scope: RoleBinding shop/web-pods grants in "
                       "namespace shop only"),
            std::string::npos)
      << notes;
  EXPECT_NE(f.fix.find("kubectl apply -f - <<'EOF'\napiVersion: rbac.authorization.k8s.io/v1\n"
                       "kind: ClusterRole\nmetadata:\n  name: web-pods\n"),
            std::string::npos)
      << f.fix;
  EXPECT_NE(f.fix.find("kind: ClusterRoleBinding"), std::string::npos);
  EXPECT_NE(
      f.fix.find("\nOr bind ClusterRole pod-reader cluster-wide (it then grants all its rules "
                 "in every namespace): kubectl create clusterrolebinding web-pods "
                 "--clusterrole=pod-reader --serviceaccount=shop:web"),
      std::string::npos)
      << f.fix;
  EXPECT_NE(f.fix.find("- kind: ServiceAccount\n  name: web\n  namespace: shop\n"),
            std::string::npos);
}

TEST(AccessTest, RefusedIdentityOtherThanThePodsAccountIsSaid) {
  const auto findings = run("forbidden: User \"ci-bot\" cannot get path \"/metrics\"\n");
  const auto found = with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(found.size(), 1u);
  std::string all;
  for (const Evidence& e : found[0]->evidence) all += e.path + " " + e.value + "\n";
  EXPECT_NE(all.find(".spec.serviceAccountName web"), std::string::npos) << all;
  EXPECT_NE(all.find("the refused identity is not the pod's ServiceAccount shop/web"),
            std::string::npos)
      << all;
  EXPECT_NE(found[0]->fix.find("kind: ClusterRole\n"), std::string::npos);
  EXPECT_NE(found[0]->fix.find("kind: User\n  name: \"ci-bot\""), std::string::npos);
  // The pod's own account: no such note.
  const auto own = run(kClusterList);
  for (const Evidence& e : with_rule(own, "rbac-forbidden")[0]->evidence)
    EXPECT_EQ(e.value.find("the refused identity"), std::string::npos);
}

TEST(AccessTest, NoRefusalNoFinding) {
  const auto findings = run("I0301 11:00:00 1 main.go:40] User \"admin\" logged in\nall good\n");
  EXPECT_TRUE(with_rule(findings, "rbac-forbidden").empty());
  EXPECT_TRUE(with_rule(findings, "rbac-forbidden-now-granted").empty());
  EXPECT_TRUE(with_rule(findings, "rbac-legacy-cs-admin-no-crd").empty());
  const auto no_log = run("");
  EXPECT_TRUE(with_rule(no_log, "rbac-forbidden").empty());
}

TEST(AccessTest, RefusalTheSnapshotNowGrantsIsInfo) {
  const auto findings =
      run("{\"level\":\"error\",\"msg\":\"pods is forbidden: User "
          "\\\"system:serviceaccount:shop:web\\\" "
          "cannot watch resource \\\"pods\\\" in API group \\\"\\\" in the namespace "
          "\\\"shop\\\"\"}\n");
  EXPECT_TRUE(with_rule(findings, "rbac-forbidden").empty());
  const auto found = with_rule(findings, "rbac-forbidden-now-granted");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kInfo);
  bool granted = false;
  for (const Evidence& e : found[0]->evidence)
    granted = granted || e.value.starts_with("granted now through RoleBinding shop/web-pods");
  EXPECT_TRUE(granted);
  // The same refusal in another namespace is not granted: a plain rbac-forbidden.
  const auto other = run(kClusterList);
  EXPECT_TRUE(with_rule(other, "rbac-forbidden-now-granted").empty());
}

TEST(AccessTest, EventRefusalIsExplainedAndNotUnexplained) {
  const std::string event = R"(---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: p-web-1}
reason: FailedToRead
type: Warning
source: {component: web}
count: 7
lastTimestamp: "2026-03-01T11:59:00Z"
message: 'secrets "db" is forbidden: User "system:serviceaccount:shop:web" cannot get resource "secrets" in API group "" in the namespace "shop": RBAC: clusterrole.rbac.authorization.k8s.io "secret-reader" not found'
)";
  const std::string binding = R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-secrets, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: web}]
)";
  const auto findings = run("", kRbac, binding + event);
  const auto found = with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(found.size(), 1u);
  const Finding& f = *found[0];
  EXPECT_EQ(f.summary,
            "ServiceAccount shop/web may not get secrets \"db\" in namespace shop: the API server "
            "refused it (refused 7 times)");
  EXPECT_EQ(f.evidence[0].kind, Evidence::Kind::kEvent);
  EXPECT_EQ(f.evidence[0].count, 7);
  std::string notes;
  for (const Evidence& e : f.evidence) notes += e.value + "\n";
  EXPECT_NE(notes.find("RBAC: clusterrole.rbac.authorization.k8s.io \"secret-reader\" not found"),
            std::string::npos)
      << notes;
  EXPECT_NE(f.fix.find("resourceNames: [\"db\"]"), std::string::npos) << f.fix;
  EXPECT_NE(f.fix.find("Or create the missing role"), std::string::npos);
  // A Role of the namespace that grants it: recreating the binding with it comes first.
  const std::string role = R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secrets-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
)";
  const auto repointed = run("", kRbac, binding + role + event);
  const auto again = with_rule(repointed, "rbac-forbidden");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0]->fix.starts_with(
      "RoleBinding shop/web-secrets names ClusterRole secret-reader, which does not exist, and "
      "Role shop/secrets-reader grants this: recreate the binding with it (roleRef cannot be "
      "changed): kubectl -n shop delete rolebinding web-secrets && kubectl -n shop create "
      "rolebinding web-secrets --role=secrets-reader --serviceaccount=shop:web\nOr grant "))
      << again[0]->fix;
  EXPECT_TRUE(with_rule(findings, "unexplained-warning-events").empty());
}

// A refused leader-election lock: the new Role must let client-go's leader election run, which
// gets the lease, creates it when missing (no name: resourceNames cannot limit create) and
// updates it; a Role with only `get` on the lease would be refused again at the create.
TEST(AccessTest, LeaderElectionLockGetsTheWholeLockCycle) {
  const auto findings =
      run("E0301 11:58:00.000000 1 leaderelection.go:332] error retrieving resource lock "
          "shop/web-lock: leases.coordination.k8s.io \"web-lock\" is forbidden: User "
          "\"system:serviceaccount:shop:web\" cannot get resource \"leases\" in API group "
          "\"coordination.k8s.io\" in the namespace \"shop\"\n");
  const auto found = with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(found.size(), 1u);
  const std::string& fix = found[0]->fix;
  EXPECT_NE(fix.find("Grant ServiceAccount shop/web leader election on its lock "
                     "leases.coordination.k8s.io \"web-lock\" in namespace shop"),
            std::string::npos)
      << fix;
  EXPECT_NE(fix.find("resourceNames cannot limit create"), std::string::npos) << fix;
  EXPECT_NE(fix.find("  resources: [\"leases\"]\n  resourceNames: [\"web-lock\"]\n"
                     "  verbs: [\"get\", \"update\"]\n- apiGroups: [\"coordination.k8s.io\"]\n"
                     "  resources: [\"leases\"]\n  verbs: [\"create\"]\n"),
            std::string::npos)
      << fix;
  EXPECT_NE(fix.find("name: web-leases-leader-election\n"), std::string::npos) << fix;
}

// A ConfigMap that is not said to be a lock gets just the refused verb on it; one the log line
// calls a resource lock (client-go's old ConfigMapLock) gets the lock cycle.
TEST(AccessTest, ConfigMapIsALockOnlyWhenTheLogSaysSo) {
  const std::string refusal =
      "configmaps \"web-lock\" is forbidden: User \"system:serviceaccount:shop:web\" cannot "
      "get resource \"configmaps\" in API group \"\" in the namespace \"shop\"\n";
  const auto plain_findings = run("failed to read flags: " + refusal);
  const auto plain = with_rule(plain_findings, "rbac-forbidden");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_NE(plain[0]->fix.find("  resourceNames: [\"web-lock\"]\n  verbs: [\"get\"]\n---"),
            std::string::npos)
      << plain[0]->fix;
  EXPECT_EQ(plain[0]->fix.find("leader election"), std::string::npos) << plain[0]->fix;
  const auto lock_findings = run("error retrieving resource lock shop/web-lock: " + refusal);
  const auto lock = with_rule(lock_findings, "rbac-forbidden");
  ASSERT_EQ(lock.size(), 1u);
  EXPECT_NE(lock[0]->fix.find("  verbs: [\"create\"]\n"), std::string::npos) << lock[0]->fix;
  // A multilock (configmapsleases) is refused on both resources: the two Roles must not share a
  // name, or applying one fix would undo the other.
  EXPECT_NE(lock[0]->fix.find("name: web-configmaps-leader-election\n"), std::string::npos)
      << lock[0]->fix;
  EXPECT_EQ(lock[0]->fix.find("name: web-leases-leader-election\n"), std::string::npos)
      << lock[0]->fix;
}

TEST(AccessTest, LegacyCsAdminWithoutCrds) {
  const std::string rbac = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "cs:admin"}
rules: [{apiGroups: ["", apps, batch, extensions], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "cs:admin"}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
)";
  const std::string log =
      "customresourcedefinitions.apiextensions.k8s.io is forbidden: User "
      "\"system:serviceaccount:shop:web\" cannot create resource \"customresourcedefinitions\" "
      "in API group \"apiextensions.k8s.io\" at the cluster scope\n";
  const auto legacy = run(log, rbac);
  const auto found = with_rule(legacy, "rbac-legacy-cs-admin-no-crd");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->catalog, "ACK-RAM-LEGACY-CSADMIN-NO-CRD");
  EXPECT_NE(found[0]->fix.find("cluster-admin"), std::string::npos);
  // Without the cs:admin binding the same refusal is a plain rbac-forbidden.
  const auto plain = run(log);
  EXPECT_TRUE(with_rule(plain, "rbac-legacy-cs-admin-no-crd").empty());
  EXPECT_EQ(with_rule(plain, "rbac-forbidden").size(), 1u);
}

TEST(AccessTest, SnapshotWithoutRbacSaysSo) {
  const auto findings =
      run(kClusterList, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  const auto found = with_rule(findings, "rbac-forbidden");
  ASSERT_EQ(found.size(), 1u);
  bool said = false;
  for (const Evidence& e : found[0]->evidence)
    said = said || e.value.starts_with("the snapshot has no Roles");
  EXPECT_TRUE(said);
}

TEST(AccessTest, TruncatedAndGarbledLinesDoNotCrash) {
  const auto findings = run(
      "pods is forbidden: User \"x\" cannot\nUser \"\nUser \\\" cannot \\\nforbidden: User \"a\" "
      "cannot get path \"\n\xff\xfe User \"b\" cannot list pods in the namespace \"\xff\"\n");
  // Only the last line is a complete (old-style) refusal.
  EXPECT_EQ(with_rule(findings, "rbac-forbidden").size(), 1u);
}

}  // namespace
}  // namespace ktriage
