// Pieces several renderers share: quantities, labels, owner references, digests, fault texts,
// and the version file.
#include <fmt/format.h>

#include "plan_internal.h"
#include "render.h"

namespace gen {

std::string cpu_quantity(int64_t millis) {
  return millis % 1000 == 0 ? fmt::format("{}", millis / 1000) : fmt::format("{}m", millis);
}

std::string mem_quantity(int64_t mebibytes) {
  return mebibytes % 1024 == 0 ? fmt::format("{}Gi", mebibytes / 1024)
                               : fmt::format("{}Mi", mebibytes);
}

std::string resource_version(Rng& rng) { return std::to_string(rng.range(100000000, 399999999)); }

std::string api_access_volume(const Plan& plan, size_t pod_index) {
  std::string name = "kube-api-access-";
  append_safe(name, hash3(plan.opt.seed, kSaltVolume, pod_index), 5);
  return name;
}

std::string image_digest(const Plan& plan, const Deployment& d, size_t ci) {
  Rng rng(plan.opt.seed, kSaltImage, uint64_t{d.id} << 4 | ci);
  std::string s = "sha256:";
  append_hex(s, rng, 4);
  return s;
}

void render_owner(Json& w, std::string_view api_version, std::string_view kind,
                  std::string_view name, std::string_view uid) {
  w.karr("ownerReferences").obj();
  w.kstr("apiVersion", api_version).kbool("blockOwnerDeletion", true).kbool("controller", true);
  w.kstr("kind", kind).kstr("name", name).kstr("uid", uid);
  w.end().end();
}

void render_pod_labels(Json& w, const Plan& plan, const Deployment& d, bool with_hash) {
  w.kobj("labels");
  w.kstr("app", d.name);
  w.kstr("app.kubernetes.io/instance", d.name);
  w.kstr("app.kubernetes.io/name", d.containers[0].name);
  w.kstr("app.kubernetes.io/part-of", plan.namespaces[d.ns]);
  w.kstr("app.kubernetes.io/version", d.version);
  if (with_hash) w.kstr("pod-template-hash", d.hash);
  w.kstr("team", kTeams[d.team]);
  w.kstr("tier", kTiers[d.tier]);
  w.end();
}

void render_pod_annotations(Json& w, const Deployment& d) {
  w.kobj("annotations");
  w.kstr("cluster-autoscaler.kubernetes.io/safe-to-evict", "true");
  if (d.revision > 1) w.kstr("kubectl.kubernetes.io/restartedAt", Time(d.rs_created - 3).view());
  w.kstr("prometheus.io/path", "/metrics");
  w.kstr("prometheus.io/port", "9090");
  w.kstr("prometheus.io/scrape", "true");
  w.end();
}

std::string image_pull_error(std::string_view image) {
  return fmt::format(
      "rpc error: code = NotFound desc = failed to pull and unpack image \"{0}\": failed to "
      "resolve reference \"{0}\": {0}: not found",
      image);
}

std::string config_key_error(const Plan& plan, const Deployment& d) {
  return fmt::format("couldn't find key app.yaml in ConfigMap {}/{}", plan.namespaces[d.ns],
                     config_map_name(d));
}

std::string render_version_json() {
  return R"({
  "clientVersion": {
    "major": "1",
    "minor": "33",
    "gitVersion": "v1.33.4",
    "gitCommit": "74cdb426e4b4d6d3f5a3d1e2c9b8f7a6e5d4c3b2",
    "gitTreeState": "clean",
    "buildDate": "2025-08-12T18:06:21Z",
    "goVersion": "go1.24.5",
    "compiler": "gc",
    "platform": "linux/amd64"
  },
  "kustomizeVersion": "v5.6.0",
  "serverVersion": {
    "major": "1",
    "minor": "33",
    "emulationMajor": "1",
    "emulationMinor": "33",
    "minCompatibilityMajor": "1",
    "minCompatibilityMinor": "32",
    "gitVersion": "v1.33.3-aliyun.1",
    "gitCommit": "b2c4d6e8f0a1c3e5a7b9d1f3e5c7a9b1d3f5e7c9",
    "gitTreeState": "clean",
    "buildDate": "2025-09-03T07:41:12Z",
    "goVersion": "go1.24.4",
    "compiler": "gc",
    "platform": "linux/amd64"
  }
}
)";
}

}  // namespace gen
