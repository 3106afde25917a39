// references_config: ConfigMaps, Secrets, PVCs, ServiceAccounts and PriorityClasses a pod
// template names, missing from the set (warnings) or present without the key read (critical).
#include <gtest/gtest.h>

#include <string>

#include "lint/lint.h"
#include "lint_expect.h"
#include "support/test_support.h"

namespace ktriage::lint {
namespace {

using ::ktriage::testing::cluster_from;
using testing::count;
using testing::expect_at;
using testing::only;

const std::string kStatefulSet =
    "apiVersion: apps/v1\n"                                               // 1
    "kind: StatefulSet\n"                                                 // 2
    "metadata: {name: db, namespace: shop}\n"                             // 3
    "spec:\n"                                                             // 4
    "  selector: {matchLabels: {app: db}}\n"                              // 5
    "  serviceName: db\n"                                                 // 6
    "  template:\n"                                                       // 7
    "    metadata: {labels: {app: db}}\n"                                 // 8
    "    spec:\n"                                                         // 9
    "      serviceAccountName: db\n"                                      // 10
    "      priorityClassName: high\n"                                     // 11
    "      imagePullSecrets: [{name: regcred}]\n"                         // 12
    "      containers:\n"                                                 // 13
    "      - name: db\n"                                                  // 14
    "        image: postgres:16\n"                                        // 15
    "        envFrom:\n"                                                  // 16
    "        - configMapRef: {name: db-env}\n"                            // 17
    "        - secretRef: {name: db-extra, optional: true}\n"             // 18
    "        env:\n"                                                      // 19
    "        - name: PASSWORD\n"                                          // 20
    "          valueFrom:\n"                                              // 21
    "            secretKeyRef: {name: db-secret, key: password}\n"        // 22
    "        - name: MODE\n"                                              // 23
    "          valueFrom:\n"                                              // 24
    "            configMapKeyRef: {name: db-config, key: mode}\n"         // 25
    "      volumes:\n"                                                    // 26
    "      - name: config\n"                                              // 27
    "        configMap:\n"                                                // 28
    "          name: db-config\n"                                         // 29
    "          items: [{key: postgresql.conf, path: postgresql.conf}]\n"  // 30
    "      - name: certs\n"                                               // 31
    "        projected:\n"                                                // 32
    "          sources:\n"                                                // 33
    "          - secret: {name: db-tls}\n"                                // 34
    "      - name: data\n"                                                // 35
    "        persistentVolumeClaim: {claimName: data}\n"                  // 36
    "      - name: backup\n"                                              // 37
    "        persistentVolumeClaim: {claimName: backup}\n"                // 38
    "  volumeClaimTemplates:\n"                                           // 39
    "  - metadata: {name: data}\n"                                        // 40
    "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

// Everything the StatefulSet names; `config_data` and `secret_data` are the two key maps.
std::string objects(std::string_view config_data, std::string_view secret_data) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-config, namespace: shop}\n"
         "data: " +
         std::string(config_data) +
         "\n---\n"
         "apiVersion: v1\nkind: Secret\nmetadata: {name: db-secret, namespace: shop}\n"
         "stringData: " +
         std::string(secret_data) +
         "\n---\n"
         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-env, namespace: shop}\n---\n"
         "apiVersion: v1\nkind: Secret\nmetadata: {name: db-tls, namespace: shop}\n---\n"
         "apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: shop}\n---\n"
         "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: db, namespace: shop}\n---\n"
         "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\n"
         "value: 1000\n---\n"
         "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: backup, namespace: "
         "shop}\n";
}

constexpr std::string_view kRules[] = {
    "lint-missing-configmap",       "lint-missing-secret",         "lint-missing-pvc",
    "lint-missing-service-account", "lint-missing-priority-class", "lint-missing-key"};

TEST(MissingReferenceTest, EverythingPresentIsClean) {
  auto cluster = cluster_from(
      {{"k8s/db.yaml", kStatefulSet},
       {"k8s/config.yaml", objects("{mode: primary, postgresql.conf: x}", "{password: p}")}});
  const Diagnosis d = lint(*cluster, 33);
  for (std::string_view rule : kRules) EXPECT_EQ(count(d.findings, rule), 0) << rule;
}

TEST(MissingReferenceTest, EachKindMissingFromTheSetIsAWarningAtItsReference) {
  auto cluster = cluster_from({{"k8s/db.yaml", kStatefulSet}});
  const Diagnosis d = lint(*cluster, 33);
  // db-env and db-config; db-secret, db-tls, regcred (db-extra is optional); backup only (data
  // comes from volumeClaimTemplates).
  EXPECT_EQ(count(d.findings, "lint-missing-configmap"), 2);
  EXPECT_EQ(count(d.findings, "lint-missing-secret"), 3);
  const Finding* pvc = only(d.findings, "lint-missing-pvc");
  ASSERT_NE(pvc, nullptr);
  EXPECT_EQ(pvc->severity, Severity::kWarning);
  EXPECT_EQ(pvc->catalog, "POD-PENDING-UNBOUND-PVC");
  ASSERT_EQ(pvc->evidence.size(), 1u);
  expect_at(pvc->evidence[0], "k8s/db.yaml", 38, 44);
  const Finding* sa = only(d.findings, "lint-missing-service-account");
  ASSERT_NE(sa, nullptr);
  EXPECT_EQ(sa->catalog, "RS-FAILEDCREATE-ADMISSION-DENIED");
  expect_at(sa->evidence[0], "k8s/db.yaml", 10, 27);
  const Finding* pc = only(d.findings, "lint-missing-priority-class");
  ASSERT_NE(pc, nullptr);
  expect_at(pc->evidence[0], "k8s/db.yaml", 11, 26);
  EXPECT_NE(pc->fix.find("kind: PriorityClass, metadata: {name: high}"), std::string::npos);
  for (const Finding& f : d.findings) {
    if (f.rule == "lint-missing-configmap" && f.summary.find("db-config") != std::string::npos) {
      // Named twice (env and volume): one finding, both places.
      ASSERT_EQ(f.evidence.size(), 2u);
      EXPECT_EQ(f.evidence[0].path, ".spec.template.spec.volumes[0].configMap.name");
      expect_at(f.evidence[0], "k8s/db.yaml", 29, 17);
      expect_at(f.evidence[1], "k8s/db.yaml", 25, 37);
      EXPECT_EQ(f.catalog, "POD-WAITING-MOUNT-SECRET-CONFIGMAP-MISSING");
      EXPECT_NE(f.fix.find("optional: true"), std::string::npos);
    }
    if (f.rule == "lint-missing-secret" && f.summary.find("regcred") != std::string::npos) {
      EXPECT_EQ(f.catalog, "POD-WAITING-IMAGE-PULL-UNAUTHORIZED");
      expect_at(f.evidence[0], "k8s/db.yaml", 12, 33);
      EXPECT_NE(f.fix.find("create secret docker-registry regcred"), std::string::npos);
    }
    if (f.rule == "lint-missing-secret" && f.summary.find("db-tls") != std::string::npos) {
      EXPECT_EQ(f.evidence[0].path,
                ".spec.template.spec.volumes[1].projected.sources[0].secret.name");
      expect_at(f.evidence[0], "k8s/db.yaml", 34, 28);
    }
  }
}

TEST(MissingReferenceTest, DefaultAccountBuiltInPriorityAndOptionalAreSkipped) {
  auto cluster = cluster_from({{"pod.yaml",
                                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                "spec:\n"
                                "  serviceAccountName: default\n"
                                "  priorityClassName: system-node-critical\n"
                                "  containers:\n"
                                "  - name: a\n"
                                "    image: busybox:1\n"
                                "    envFrom: [{configMapRef: {name: x, optional: true}}]\n"
                                "  volumes:\n"
                                "  - {name: s, secret: {secretName: s, optional: true}}\n"}});
  const Diagnosis d = lint(*cluster, 33);
  for (std::string_view rule : kRules) EXPECT_EQ(count(d.findings, rule), 0) << rule;
}

TEST(MissingKeyTest, AKeyTheObjectInTheSetLacksIsCritical) {
  auto cluster = cluster_from({{"k8s/db.yaml", kStatefulSet},
                               {"k8s/config.yaml", objects("{postgresql.conf: x}", "{user: u}")}});
  const Diagnosis d = lint(*cluster, 33);
  ASSERT_EQ(count(d.findings, "lint-missing-key"), 2);
  for (const Finding& f : d.findings) {
    if (f.rule != "lint-missing-key") continue;
    EXPECT_EQ(f.severity, Severity::kCritical);
    ASSERT_EQ(f.evidence.size(), 2u);
    if (f.summary.find("`mode`") != std::string::npos) {
      EXPECT_EQ(f.catalog, "POD-WAITING-CONFIG-CONFIGMAP-MISSING");
      expect_at(f.evidence[0], "k8s/db.yaml", 25, 53);
      EXPECT_EQ(f.evidence[1].object, "configmap/db-config");
      expect_at(f.evidence[1], "k8s/config.yaml", 4, 8);
      EXPECT_NE(f.fix.find("data: {mode: <value>}"), std::string::npos) << f.fix;
    } else {
      EXPECT_NE(f.summary.find("`password` of Secret db-secret"), std::string::npos);
      EXPECT_EQ(f.catalog, "POD-WAITING-CONFIG-SECRET-MISSING");
      expect_at(f.evidence[0], "k8s/db.yaml", 22, 50);
      EXPECT_EQ(f.evidence[1].path, ".stringData");
      expect_at(f.evidence[1], "k8s/config.yaml", 9, 14);
    }
  }
  EXPECT_EQ(count(d.findings, "lint-missing-configmap"), 0);
}

}  // namespace
}  // namespace ktriage::lint
