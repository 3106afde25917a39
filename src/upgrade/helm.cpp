#include "upgrade/helm.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>

#include "upgrade/rules.h"

namespace ktriage::upgrade {
namespace {

// The latest deployed revision of each release, keyed by (namespace, name) so the order of the
// findings does not depend on the order the Secrets were read in.
std::map<std::pair<std::string_view, std::string_view>, const HelmRelease*> deployed(
    std::span<const HelmRelease> releases) {
  std::map<std::pair<std::string_view, std::string_view>, const HelmRelease*> latest;
  for (const HelmRelease& r : releases) {
    if (r.status != "deployed") continue;
    const HelmRelease*& slot = latest[{r.ns, r.name}];
    if (slot == nullptr || r.revision > slot->revision) slot = &r;
  }
  return latest;
}

struct Stale {
  const HelmManifestObject* object;
  const RemovedApi* api;
  bool removed;
};

std::string describe(const Stale& s) {
  return fmt::format("{} {} ({})", s.object->kind, s.object->name, s.object->api_version);
}

}  // namespace

void check_helm_releases(const Cluster& cluster, std::span<const RemovedApi> apis, int target,
                         std::vector<Finding>& out) {
  for (const auto& [key, release] : deployed(cluster.helm_releases())) {
    std::vector<Stale> stale;
    bool any_removed = false;
    for (const HelmManifestObject& o : release->objects) {
      const RemovedApi* a = find_removed_api(apis, o.api_version, o.kind);
      if (a == nullptr) continue;
      const bool removed = a->removed_in && *a->removed_in <= target;
      if (!removed && !(a->deprecated_in && *a->deprecated_in <= target)) continue;
      stale.push_back({&o, a, removed});
      any_removed = any_removed || removed;
    }
    if (stale.empty()) continue;
    std::string listed;
    for (const Stale& s : stale) {
      if (s.removed != any_removed) continue;  // the blockers first: the rest are in the evidence
      listed += (listed.empty() ? "" : ", ") + describe(s);
    }
    const UpgradeRule& rule = upgrade_rule(any_removed ? "upgrade-helm-release-removed-api"
                                                       : "upgrade-helm-release-deprecated-api");
    Finding f;
    f.rule = std::string(rule.id);
    f.id = fmt::format("{}:{}", f.rule, release->secret.key());
    f.catalog = std::string(rule.catalog);
    f.severity = rule.severity;
    f.object = release->secret;
    const std::string chart = release->chart.empty() ? "" : ", chart " + release->chart;
    f.summary = any_removed
                    ? fmt::format(
                          "Helm release {}/{} (revision {}{}) stores a manifest with API versions "
                          "Kubernetes 1.{} no longer serves: {}; after the upgrade every `helm "
                          "upgrade` of it fails (\"current release manifest contains removed "
                          "kubernetes api(s)\")",
                          release->ns, release->name, release->revision, chart, target, listed)
                    : fmt::format(
                          "Helm release {}/{} (revision {}{}) stores a manifest with API versions "
                          "deprecated at Kubernetes 1.{}: {}",
                          release->ns, release->name, release->revision, chart, target, listed);
    for (const Stale& s : stale) {
      Evidence e = Evidence::field(
          fmt::format("helm-release/{}", release->name),
          fmt::format(".manifest[{} {}].apiVersion", s.object->kind, s.object->name),
          s.object->api_version);
      e.file = std::string(cluster.file_name(release->file));
      e.line = release->pos.line;
      f.evidence.push_back(std::move(e));
      std::string note =
          fmt::format("{} {}: {} {}", s.object->kind, s.object->name, s.object->api_version,
                      s.removed ? fmt::format("removed in 1.{}", *s.api->removed_in)
                                : fmt::format("deprecated since 1.{}", *s.api->deprecated_in));
      if (!s.api->replacement.empty()) note += ", now " + s.api->replacement;
      if (!s.object->template_path.empty()) note += " (template " + s.object->template_path + ")";
      f.evidence.push_back(Evidence::note(std::move(note)));
    }
    f.fix = fmt::format(
        "Before the cluster upgrade, `helm upgrade {} -n {}` with a chart version whose templates "
        "render the current API versions; or rewrite the stored release in place with the "
        "helm-mapkubeapis plugin: `helm mapkubeapis {} --namespace {}` (it edits the deployed "
        "revision's manifest, also after the cluster upgrade).",
        release->name, release->ns, release->name, release->ns);
    f.links.emplace_back("https://helm.sh/docs/topics/kubernetes_apis/");
    f.links.emplace_back("https://github.com/helm/helm-mapkubeapis");
    out.push_back(std::move(f));
  }
}

}  // namespace ktriage::upgrade
