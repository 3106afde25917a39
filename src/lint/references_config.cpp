// What a pod template names by name and the set should hold: ConfigMaps and Secrets (volumes,
// projected sources, env, envFrom, imagePullSecrets), PersistentVolumeClaims, the
// ServiceAccount and the PriorityClass, and the keys read from ConfigMaps and Secrets that are
// in the set. An object missing from the set may live in the cluster (a warning); a key missing
// from an object the set holds is certain (critical). `optional: true` references are skipped.
#include <fmt/format.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "lint/checks.h"
#include "lint/practices.h"
#include "lint/references.h"
#include "model/pod_template.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kConfigDoc =
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/";
constexpr std::string_view kSecretDoc = "https://kubernetes.io/docs/concepts/configuration/secret/";

constexpr LintRule kMissingConfigMap{
    "lint-missing-configmap",
    "POD-WAITING-CONFIG-CONFIGMAP-MISSING",
    Severity::kWarning,
    "A pod template uses a ConfigMap the manifests do not define",
    "Add the ConfigMap to the manifests (or make sure it exists), or mark the reference optional",
    kConfigDoc};
constexpr LintRule kMissingSecret{
    "lint-missing-secret",
    "POD-WAITING-CONFIG-SECRET-MISSING",
    Severity::kWarning,
    "A pod template uses a Secret the manifests do not define",
    "Make sure the Secret exists in the namespace before the pods start, or mark it optional",
    kSecretDoc};
constexpr LintRule kMissingClaim{
    "lint-missing-pvc",
    "POD-PENDING-UNBOUND-PVC",
    Severity::kWarning,
    "A pod template mounts a PersistentVolumeClaim the manifests do not define",
    "Add the PersistentVolumeClaim (or a StatefulSet volumeClaimTemplate) to the manifests",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims"};
constexpr LintRule kMissingServiceAccount{
    "lint-missing-service-account",
    "RS-FAILEDCREATE-ADMISSION-DENIED",
    Severity::kWarning,
    "A pod template runs as a ServiceAccount the manifests do not define",
    "Add the ServiceAccount to the manifests, or use one that exists",
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"};
constexpr LintRule kMissingPriorityClass{
    "lint-missing-priority-class",
    "RS-FAILEDCREATE-ADMISSION-DENIED",
    Severity::kWarning,
    "A pod template names a PriorityClass the manifests do not define",
    "Add the PriorityClass to the manifests, or use one that exists",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/"};
// The catalog entry depends on where the key is read (env: CreateContainerConfigError; volume
// items: FailedMount), so each finding carries its own.
constexpr LintRule kMissingKey{
    "lint-missing-key",
    "",
    Severity::kCritical,
    "A pod template reads a key its ConfigMap or Secret does not have",
    "Add the key to the ConfigMap or Secret, correct the key, or mark the reference optional",
    kConfigDoc};

// Where a reference sits; it decides how the pod fails and so the catalog entry.
enum class Place { kEnv, kVolume, kPullSecret, kPod };

struct KeyRef {
  std::string_view key;
  std::string path;
};

// One reference by name from a pod template.
struct Reference {
  std::string_view kind;  // "ConfigMap", "Secret", "PersistentVolumeClaim", ...
  std::string_view name;
  std::string path;  // of the name node, in the workload
  Place place = Place::kPod;
  std::vector<KeyRef> keys;
};

// Collects the references of one pod template; optional ones are left out.
class Collector {
 public:
  explicit Collector(const PodTemplate& t) : t_(t), spec_(t.spec_path) {}

  std::vector<Reference> collect() {
    const Value& spec = *t_.spec;
    int i = 0;
    for (const Value& v : spec["volumes"].items())
      volume(v, fmt::format("{}.volumes[{}]", spec_, i++));
    for (std::string_view list : {"initContainers", "containers"}) {
      i = 0;
      for (const Value& c : spec[list].items())
        container(c, fmt::format("{}.{}[{}]", spec_, list, i++));
    }
    i = 0;
    for (const Value& s : spec["imagePullSecrets"].items()) {
      add("Secret", s["name"], fmt::format("{}.imagePullSecrets[{}].name", spec_, i++),
          Place::kPullSecret);
    }
    const bool sa_new = !spec["serviceAccountName"].str().empty();
    const Value& sa = sa_new ? spec["serviceAccountName"] : spec["serviceAccount"];
    if (sa.str() != "default") {
      add("ServiceAccount", sa, spec_ + (sa_new ? ".serviceAccountName" : ".serviceAccount"),
          Place::kPod);
    }
    const std::string_view priority = spec["priorityClassName"].str();
    if (priority != "system-cluster-critical" && priority != "system-node-critical") {
      add("PriorityClass", spec["priorityClassName"], spec_ + ".priorityClassName", Place::kPod);
    }
    return std::move(refs_);
  }

 private:
  Reference* add(std::string_view kind, const Value& name, std::string path, Place place) {
    if (name.str().empty()) return nullptr;
    refs_.push_back(Reference{kind, name.str(), std::move(path), place, {}});
    return &refs_.back();
  }

  // configMap / secret volume or projected source: name, optional, items[].key.
  void source(std::string_view kind, const Value& src, std::string_view name_field,
              const std::string& path) {
    if (!src.is_object() || src["optional"].as_bool()) return;
    Reference* r = add(kind, src[name_field], path + "." + std::string(name_field), Place::kVolume);
    if (r == nullptr) return;
    int i = 0;
    for (const Value& item : src["items"].items()) {
      r->keys.push_back({item["key"].str(), fmt::format("{}.items[{}].key", path, i++)});
    }
  }

  void volume(const Value& v, const std::string& path) {
    source("ConfigMap", v["configMap"], "name", path + ".configMap");
    source("Secret", v["secret"], "secretName", path + ".secret");
    int i = 0;
    for (const Value& s : v["projected"]["sources"].items()) {
      const std::string p = fmt::format("{}.projected.sources[{}]", path, i++);
      source("ConfigMap", s["configMap"], "name", p + ".configMap");
      source("Secret", s["secret"], "name", p + ".secret");
    }
    const Value& claim = v["persistentVolumeClaim"]["claimName"];
    if (!claim.str().empty() && !claim_template(claim.str())) {
      add("PersistentVolumeClaim", claim, path + ".persistentVolumeClaim.claimName",
          Place::kVolume);
    }
  }

  void container(const Value& c, const std::string& path) {
    int i = 0;
    for (const Value& e : c["env"].items()) {
      const std::string p = fmt::format("{}.env[{}].valueFrom", path, i++);
      key_ref("ConfigMap", e["valueFrom"]["configMapKeyRef"], p + ".configMapKeyRef");
      key_ref("Secret", e["valueFrom"]["secretKeyRef"], p + ".secretKeyRef");
    }
    i = 0;
    for (const Value& e : c["envFrom"].items()) {
      const std::string p = fmt::format("{}.envFrom[{}]", path, i++);
      for (auto [kind, field] :
           {std::pair{"ConfigMap", "configMapRef"}, std::pair{"Secret", "secretRef"}}) {
        const Value& ref = e[field];
        if (ref.is_object() && !ref["optional"].as_bool())
          add(kind, ref["name"], fmt::format("{}.{}.name", p, field), Place::kEnv);
      }
    }
  }

  void key_ref(std::string_view kind, const Value& ref, const std::string& path) {
    if (!ref.is_object() || ref["optional"].as_bool()) return;
    Reference* r = add(kind, ref["name"], path + ".name", Place::kEnv);
    if (r != nullptr && !ref["key"].str().empty())
      r->keys.push_back({ref["key"].str(), path + ".key"});
  }

  // A StatefulSet's volumeClaimTemplates create their claims; a volume naming one is present.
  bool claim_template(std::string_view name) const {
    if (t_.owner->kind != "StatefulSet") return false;
    for (const Value& c : t_.owner->spec()["volumeClaimTemplates"].items()) {
      if (c["metadata"]["name"].str() == name) return true;
    }
    return false;
  }

  const PodTemplate& t_;
  std::string spec_;
  std::vector<Reference> refs_;
};

const LintRule& rule_for(std::string_view kind) {
  if (kind == "ConfigMap") return kMissingConfigMap;
  if (kind == "Secret") return kMissingSecret;
  if (kind == "PersistentVolumeClaim") return kMissingClaim;
  if (kind == "ServiceAccount") return kMissingServiceAccount;
  return kMissingPriorityClass;
}

std::string_view catalog_for(std::string_view kind, Place place) {
  if (place == Place::kVolume && (kind == "ConfigMap" || kind == "Secret"))
    return "POD-WAITING-MOUNT-SECRET-CONFIGMAP-MISSING";
  if (place == Place::kPullSecret) return "POD-WAITING-IMAGE-PULL-UNAUTHORIZED";
  return rule_for(kind).catalog;
}

// The object to add, as one line of flow-style YAML (fixes are one line in every report).
std::string create_text(std::string_view kind, std::string_view name, std::string_view ns) {
  const std::string meta = ns.empty() ? fmt::format("{{name: {}}}", name)
                                      : fmt::format("{{name: {}, namespace: {}}}", name, ns);
  if (kind == "ConfigMap")
    return fmt::format("{{apiVersion: v1, kind: ConfigMap, metadata: {}, data: {{KEY: value}}}}",
                       meta);
  if (kind == "Secret")
    return fmt::format("{{apiVersion: v1, kind: Secret, metadata: {}, stringData: {{KEY: value}}}}",
                       meta);
  if (kind == "PersistentVolumeClaim")
    return fmt::format(
        "{{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {}, spec: {{accessModes: "
        "[ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}}}",
        meta);
  if (kind == "ServiceAccount")
    return fmt::format("{{apiVersion: v1, kind: ServiceAccount, metadata: {}}}", meta);
  return fmt::format(
      "{{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {{name: {}}}, value: "
      "1000}}",
      name);
}

// What happens to the pods when the object is not there.
std::string_view consequence(const Reference& r) {
  if (r.kind == "ServiceAccount" || r.kind == "PriorityClass")
    return "the API server refuses its pods";
  if (r.place == Place::kPullSecret) return "image pulls that need credentials are refused";
  return "its pods do not start";
}

void report_missing(const Object& w, const std::vector<const Reference*>& refs,
                    std::vector<Finding>& out) {
  const Reference& first = *refs.front();
  const bool cluster_scoped = first.kind == "PriorityClass";
  Finding& f = add_finding(
      out, rule_for(first.kind), w,
      fmt::format("{} {} uses {} {}, which the manifests do not define{}: unless it exists in "
                  "the cluster already, {}",
                  w.kind, w.name, first.kind, first.name,
                  cluster_scoped ? "" : fmt::format(" in namespace {}", effective_namespace(w)),
                  consequence(first)),
      fmt::format("{}/{}", first.kind, first.name));
  f.catalog = std::string(catalog_for(first.kind, first.place));
  for (const Reference* r : refs)
    f.evidence.push_back(Evidence::field("", r->path, std::string(r->name)));
  if (first.place == Place::kPullSecret) {
    f.fix = fmt::format(
        "Create the registry credentials in the namespace (they do not belong in the manifests): "
        "`kubectl{} create secret docker-registry {} --docker-server=<registry> "
        "--docker-username=<user> --docker-password=<password>`, or drop the imagePullSecrets "
        "entry if the images are public.",
        w.ns.empty() ? "" : fmt::format(" -n {}", w.ns), first.name);
    return;
  }
  const bool optional_allowed = first.kind == "ConfigMap" || first.kind == "Secret";
  f.fix = fmt::format("Add it to the manifests (or create it before applying): `{}`{}",
                      create_text(first.kind, first.name, w.ns),
                      optional_allowed ? "; or, if the pods can run without it, add `optional: "
                                         "true` beside the reference."
                                       : "");
}

std::string keys_text(const Object& holder) {
  std::string out;
  for (std::string_view field : {"data", "binaryData", "stringData"}) {
    for (const Member& m : holder[field].members())
      out += fmt::format("{}{}", out.empty() ? "" : ", ", m.key);
  }
  return out.empty() ? "none" : out;
}

bool has_key(const Object& holder, std::string_view key) {
  // ConfigMap: data and binaryData; Secret: data and (write-only) stringData.
  for (std::string_view field : {"data", "binaryData", "stringData"}) {
    if (holder[field].contains(key)) return true;
  }
  return false;
}

void check_keys(const Object& w, const Reference& r, const Object& holder,
                std::vector<Finding>& out) {
  for (const KeyRef& k : r.keys) {
    if (k.key.empty() || has_key(holder, k.key)) continue;
    Finding& f = add_finding(
        out, kMissingKey, w,
        fmt::format("{} {} reads key `{}` of {} {}, which has no such key (it has: {}): {}", w.kind,
                    w.name, k.key, r.kind, r.name, keys_text(holder),
                    r.place == Place::kVolume ? "the volume cannot be mounted"
                                              : "the container cannot be created"),
        fmt::format("{}/{}/{}", r.kind, r.name, k.path));
    f.catalog = r.place == Place::kVolume
                    ? "POD-WAITING-MOUNT-SECRET-CONFIGMAP-MISSING"
                    : (r.kind == "Secret" ? "POD-WAITING-CONFIG-SECRET-MISSING"
                                          : "POD-WAITING-CONFIG-CONFIGMAP-MISSING");
    f.evidence.push_back(Evidence::field("", k.path, std::string(k.key)));
    const bool string_data = holder["data"].is_null() && !holder["stringData"].is_null();
    f.evidence.push_back(Evidence::field(kubectl_name(holder),
                                         string_data ? ".stringData" : ".data", keys_text(holder)));
    f.fix = fmt::format(
        "Add the key to {} {} (`{}: {{{}: <value>}}`), or set the reference's key to one it has "
        "({}), or mark the reference `optional: true`.",
        r.kind, r.name, r.kind == "Secret" ? "stringData" : "data", k.key, keys_text(holder));
  }
}

void check_template(const Cluster& cluster, const PodTemplate& t, std::vector<Finding>& out) {
  const Object& w = *t.owner;
  // Missing objects, grouped by (kind, name): one finding per object named, with every place.
  std::map<std::pair<std::string_view, std::string_view>, std::vector<const Reference*>> missing;
  const std::vector<Reference> refs = Collector(t).collect();
  for (const Reference& r : refs) {
    const Object* target =
        find_referenced(cluster, r.kind, w, r.name, /*cluster_scoped=*/r.kind == "PriorityClass");
    if (target == nullptr) {
      missing[{r.kind, r.name}].push_back(&r);
    } else {
      check_keys(w, r, *target, out);
    }
  }
  for (const auto& [key, group] : missing) report_missing(w, group, out);
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) check_template(ctx.cluster, t, out);
}

constexpr std::array kRules{kMissingConfigMap,      kMissingSecret,        kMissingClaim,
                            kMissingServiceAccount, kMissingPriorityClass, kMissingKey};

}  // namespace

const LintCheck kConfigReferencesCheck{"references-config", kRules, run};

}  // namespace ktriage::lint
