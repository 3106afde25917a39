// upgrade-check on Helm v3 release records: the deployed revision's manifest against the target,
// superseded revisions ignored, and nothing of the Secret in any report.
#include "upgrade/helm.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.h"
#include "upgrade/check.h"
#include "upgrade/helm_fixture.h"

namespace ktriage::upgrade {
namespace {

using testing::helm_release_json;
using testing::helm_release_secret;
using testing::helm_release_value;
using testing::kNewManifest;
using testing::kOldManifest;
using testing::with_rule;

std::string record(int revision, const std::string& status, const std::string& manifest) {
  return helm_release_secret(
      "web", revision, status,
      helm_release_value(helm_release_json("web", revision, status, manifest)));
}

std::vector<Finding> run(const std::string& yaml, int target) {
  auto cluster = testing::cluster_from_yaml(yaml);
  std::vector<Finding> out;
  check_helm_releases(*cluster, builtin_deprecated_apis(), target, out);
  return out;
}

TEST(HelmUpgradeTest, DeployedRevisionWithRemovedApisBlocksTheUpgrade) {
  auto findings =
      run(record(1, "superseded", kNewManifest) + record(2, "deployed", kOldManifest), 25);
  auto r = with_rule(findings, "upgrade-helm-release-removed-api");
  ASSERT_EQ(r.size(), 1u);
  const Finding& f = *r[0];
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.catalog, "UPGRADE-HELM-RELEASE-REMOVED-API");
  EXPECT_EQ(f.object.kind, "Secret");
  EXPECT_EQ(f.object.name, "sh.helm.release.v1.web.v2");
  EXPECT_NE(f.summary.find("Helm release shop/web (revision 2, chart web-1.2.3)"),
            std::string::npos)
      << f.summary;
  EXPECT_NE(f.summary.find("Ingress web (extensions/v1beta1)"), std::string::npos) << f.summary;
  EXPECT_NE(f.summary.find("PodSecurityPolicy web (policy/v1beta1)"), std::string::npos);
  EXPECT_NE(f.fix.find("helm mapkubeapis web --namespace shop"), std::string::npos) << f.fix;
  bool template_named = false;
  for (const Evidence& e : f.evidence)
    template_named =
        template_named || e.value.find("template web/templates/ingress.yaml") != std::string::npos;
  EXPECT_TRUE(template_named);
  // Before 1.22 (Ingress) both are only deprecated: a warning.
  auto before = run(record(2, "deployed", kOldManifest), 21);
  EXPECT_TRUE(with_rule(before, "upgrade-helm-release-removed-api").empty());
  ASSERT_EQ(with_rule(before, "upgrade-helm-release-deprecated-api").size(), 1u);
  EXPECT_EQ(with_rule(before, "upgrade-helm-release-deprecated-api")[0]->severity,
            Severity::kWarning);
}

TEST(HelmUpgradeTest, SupersededAndFailedRevisionsAreIgnored) {
  // Revision 2 still has the old APIs but was superseded by a fixed revision 3; revision 4
  // failed (Helm diffs against the last deployed one).
  EXPECT_TRUE(run(record(2, "superseded", kOldManifest) + record(3, "deployed", kNewManifest) +
                      record(4, "failed", kOldManifest),
                  25)
                  .empty());
  EXPECT_TRUE(run(record(1, "superseded", kOldManifest), 25).empty());
}

TEST(HelmUpgradeTest, CheckReportsItAndTheVerdictCountsIt) {
  auto cluster = testing::cluster_from_yaml(record(2, "deployed", kOldManifest));
  Diagnosis d = check(*cluster, builtin_deprecated_apis(), 25);
  EXPECT_EQ(with_rule(d.findings, "upgrade-helm-release-removed-api").size(), 1u);
  EXPECT_NE(d.input.scope.find("NO-GO, 1 blocker"), std::string::npos) << d.input.scope;
}

TEST(HelmUpgradeTest, NoSecretContentInTheJsonReport) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ktriage-helm-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string value =
      helm_release_value(helm_release_json("web", 2, "deployed", kOldManifest));
  {
    std::ofstream(dir / "secrets.yaml") << record(2, "deployed", kOldManifest)
                                        << helm_release_secret("broken", 1, "deployed", "AAAA!");
  }
  auto r = testing::run_ktriage("upgrade-check --to 1.25 -o json '" +
                                (dir / "secrets.yaml").string() + "'");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("upgrade-helm-release-removed-api"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Helm release Secret shop/sh.helm.release.v1.broken.v1"), std::string::npos)
      << r.out;
  for (const std::string& secret : {value, value.substr(0, 40), std::string("hunter2"),
                                    std::string("aHVudGVy"), std::string("AAAA!")}) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace ktriage::upgrade
