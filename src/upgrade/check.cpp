#include "upgrade/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ascii.h"
#include "upgrade/helm.h"
#include "upgrade/rules.h"

namespace ktriage::upgrade {
namespace {

constexpr std::string_view kApiCatalog = "ACK-UPGRADE-PRECHECK-DEPRECATED-API";
constexpr std::string_view kGuide =
    "https://kubernetes.io/docs/reference/using-api/deprecation-guide/";
constexpr std::string_view kSkewDoc = "https://kubernetes.io/releases/version-skew-policy/";

std::string kubectl_ns(const Object& o) {
  return o.ns.empty() ? "" : fmt::format("kubectl -n {} ", o.ns);
}

Finding make(std::string rule, std::string_view catalog, Severity severity, ObjectRef object,
             std::string summary) {
  Finding f;
  f.id = fmt::format("{}:{}", rule, object.key());
  f.rule = std::move(rule);
  f.catalog = std::string(catalog);
  f.severity = severity;
  f.object = std::move(object);
  f.summary = std::move(summary);
  return f;
}

// A finding of one of upgrade_rules(): its catalog id and severity come from the record.
Finding make(std::string_view rule, ObjectRef object, std::string summary) {
  const UpgradeRule& r = upgrade_rule(rule);
  return make(std::string(r.id), r.catalog, r.severity, std::move(object), std::move(summary));
}

// Where an object's apiVersion was read: the object itself, its last-applied-configuration, or
// one managedFields entry (a client that still writes it at that version).
struct Origin {
  std::string where;         // words after the apiVersion in the summary; "" for the object itself
  std::string id_suffix;     // "" | "#applied" | "#managed:<manager>"
  std::string field;         // evidence path
  std::string_view manager;  // managedFields only
};

// Who a managedFields manager is, and what moves it to the new version.
std::string manager_fix(std::string_view manager, const RemovedApi& api) {
  if (manager.starts_with("kubectl"))
    return fmt::format(
        "it is kubectl ({}): apply the manifest rewritten as {}, which moves the "
        "entry to the new version",
        manager, api.replacement);
  if (manager == "helm" || manager.starts_with("helm"))
    return "it is Helm: upgrade the release with a chart that renders the new version (and run "
           "helm mapkubeapis for the stored release, see upgrade-helm-release-removed-api)";
  return fmt::format(
      "update the client or controller \"{}\" to a version that writes {}, or stop it writing "
      "this object",
      manager, api.replacement.empty() ? "a served version" : api.replacement);
}

// One object's apiVersion (from `origin`) against the table; the index of the finding added, or
// -1 when the version is neither removed nor deprecated at `target`.
long check_api(const Cluster& cluster, const Object& o, std::string_view api_version,
               const Origin& origin, const RemovedApi& api, int target, std::vector<Finding>& out) {
  const bool removed = api.removed_in && *api.removed_in <= target;
  const bool deprecated = api.deprecated_in && *api.deprecated_in <= target;
  if (!removed && !deprecated) return -1;
  // A target older than the replacement (extensions/v1beta1 Ingress at 1.16: networking.k8s.io/v1
  // is served from 1.19) cannot take it yet: the advice is when to move, not to move now.
  const bool replacement_not_yet = !api.replacement.empty() && api.replacement_available_in &&
                                   *api.replacement_available_in > target;
  // Removed before its replacement is served (flowcontrol v1beta1 at 1.26, v1 from 1.29): the
  // version to use at the target is an intermediate one the table does not name.
  const bool gap = removed && replacement_not_yet;
  const std::string to =
      api.replacement.empty()
          ? std::string("no replacement: remove the object or the feature that needs it")
      : gap ? fmt::format(
                  "its replacement {} is served only from 1.{}: move to the version of "
                  "{} that 1.{} serves",
                  api.replacement, *api.replacement_available_in, o.kind, target)
      : replacement_not_yet
          ? fmt::format("its replacement {} is served from 1.{}", api.replacement,
                        *api.replacement_available_in)
          : fmt::format("move to {}{}", api.replacement,
                        api.replacement_kind.empty() ? "" : " kind " + api.replacement_kind);
  Finding f = make(
      removed ? "upgrade-removed-api" : "upgrade-deprecated-api", kApiCatalog,
      removed ? Severity::kCritical : Severity::kWarning, o.ref(),
      removed ? fmt::format("{} {} uses {}{}, which Kubernetes 1.{} no longer serves "
                            "(removed in 1.{}): {}",
                            o.kind, o.name, api_version, origin.where, target, *api.removed_in, to)
              : fmt::format("{} {} uses {}{}, deprecated since 1.{}{}: {}", o.kind, o.name,
                            api_version, origin.where, *api.deprecated_in,
                            api.removed_in ? fmt::format(" and removed in 1.{}", *api.removed_in)
                                           : std::string(),
                            to));
  f.id += origin.id_suffix;
  Evidence e = Evidence::field(fmt::format("{}/{}", ascii_lower(o.kind), o.name), origin.field,
                               std::string(api_version));
  e.file = std::string(cluster.file_name(o.file));
  e.line = o.pos.line;
  f.evidence.push_back(std::move(e));
  if (const auto& server = cluster.server_version()) {
    f.evidence.push_back(Evidence::note(fmt::format("API server version {}", *server)));
  }
  if (!api.notes.empty()) f.evidence.push_back(Evidence::note("What else changes: " + api.notes));
  if (gap) {
    f.fix = fmt::format(
        "Rewrite {} {} at the version of {} that 1.{} serves (kubectl api-resources on a 1.{} "
        "cluster lists it; {} comes only in 1.{}){} before the upgrade.",
        o.kind, o.name, o.kind, target, target, api.replacement, *api.replacement_available_in,
        origin.manager.empty() ? ""
                               : fmt::format(", and update the writer named by managedFields "
                                             "manager \"{}\"",
                                             origin.manager));
  } else if (replacement_not_yet) {
    f.fix = fmt::format(
        "Nothing to change for 1.{}: {} is not served there yet. Rewrite {} {} as apiVersion: {} "
        "once the cluster runs 1.{}{}{}.",
        target, api.replacement, o.kind, o.name, api.replacement, *api.replacement_available_in,
        api.removed_in ? fmt::format(", before it reaches 1.{}", *api.removed_in) : std::string(),
        origin.manager.empty()
            ? ""
            : fmt::format(", and then the writer named by managedFields manager \"{}\"",
                          origin.manager));
  } else if (!origin.manager.empty()) {
    f.fix = fmt::format("Find the writer named by managedFields manager \"{}\": {}.",
                        origin.manager, manager_fix(origin.manager, api));
  } else if (api.replacement.empty()) {
    f.fix = fmt::format("Remove {} {} before the upgrade, or keep the cluster below 1.{}.", o.kind,
                        o.name, *api.removed_in);
  } else {
    f.fix = fmt::format(
        "Rewrite the manifest (or the Helm template) of {} {} as apiVersion: {}{}{} "
        "and apply it before the upgrade{}; the kubectl-convert plugin (`kubectl convert -f FILE "
        "--output-version {}`, a separate install since kubectl 1.21) does the mechanical part.",
        o.kind, o.name, api.replacement,
        api.replacement_kind.empty() ? "" : ", kind: " + api.replacement_kind,
        api.replacement_available_in
            ? fmt::format(" (served since 1.{})", *api.replacement_available_in)
            : std::string(),
        api.notes.empty() ? "" : "; mind the field changes in the evidence", api.replacement);
  }
  f.links.emplace_back(kGuide);
  out.push_back(std::move(f));
  return static_cast<long>(out.size() - 1);
}

// managedFields entries at a removed or deprecated version. A version already reported for the
// object (its own, its last-applied) gets the manager as evidence on that finding instead of a
// second finding about the same version.
void check_managed(const Cluster& cluster, const Object& o, const auto& lookup,
                   const std::vector<std::pair<std::string_view, long>>& reported, int target,
                   std::vector<Finding>& out) {
  for (const Value& entry : o.managed_fields->items()) {
    const std::string_view version = entry["apiVersion"].str();
    const std::string_view manager = entry["manager"].str();
    const std::string_view operation = entry["operation"].str();
    const RemovedApi* a = lookup(version, o.kind);
    if (a == nullptr) continue;
    bool merged = false;
    for (const auto& [seen, index] : reported) {
      if (seen != version || index < 0) continue;
      out[static_cast<std::size_t>(index)].evidence.push_back(Evidence::note(fmt::format(
          "managedFields: manager \"{}\" ({}) writes it at {}", manager, operation, version)));
      merged = true;
    }
    if (merged) continue;
    Origin origin{fmt::format(" in its managedFields (manager \"{}\", {})", manager, operation),
                  fmt::format("#managed:{}", manager),
                  fmt::format(".metadata.managedFields[manager={}].apiVersion", manager), manager};
    check_api(cluster, o, version, origin, *a, target, out);
  }
}

}  // namespace

void check_api_versions(const Cluster& cluster, std::span<const RemovedApi> apis, int target,
                        std::vector<Finding>& out) {
  std::unordered_map<std::string_view, std::vector<const RemovedApi*>> by_kind;
  for (const RemovedApi& a : apis) by_kind[a.kind].push_back(&a);
  auto lookup = [&](std::string_view api_version, std::string_view kind) -> const RemovedApi* {
    auto it = by_kind.find(kind);
    if (it == by_kind.end()) return nullptr;
    for (const RemovedApi* a : it->second) {
      if (a->api_version == api_version) return a;
    }
    return nullptr;
  };
  const Origin own{"", "", ".apiVersion", {}};
  const Origin applied_origin{
      " in its last-applied-configuration",
      "#applied",
      ".metadata.annotations[kubectl.kubernetes.io/last-applied-configuration].apiVersion",
      {}};
  std::vector<std::pair<std::string_view, long>> reported;
  for (const Object& o : cluster.objects()) {
    // What a controller writes, it rewrites at the API it knows: the endpoints controller keeps
    // a selector Service's Endpoints, owners their children. Users cannot move those.
    if (o.metadata()["ownerReferences"].size() > 0) continue;
    if (o.kind == "Endpoints") {
      const Object* svc = cluster.find("Service", o.ns, o.name);
      if (svc != nullptr && svc->spec()["selector"].size() > 0) continue;
    }
    reported.clear();
    if (const RemovedApi* a = lookup(o.api_version, o.kind)) {
      reported.emplace_back(o.api_version,
                            check_api(cluster, o, o.api_version, own, *a, target, out));
    }
    const std::string_view applied = (*o.last_applied)["apiVersion"].str();
    if (!applied.empty() && applied != o.api_version) {
      if (const RemovedApi* a = lookup(applied, o.kind)) {
        reported.emplace_back(applied,
                              check_api(cluster, o, applied, applied_origin, *a, target, out));
      }
    }
    check_managed(cluster, o, lookup, reported, target, out);
  }
}

int newest_release(std::span<const RemovedApi> apis) {
  int newest = 0;
  for (const RemovedApi& a : apis) {
    newest = std::max({newest, a.removed_in.value_or(0), a.deprecated_in.value_or(0)});
  }
  return newest;
}

namespace {

// Nodes grouped by a value, one finding per group with the rest in also_affects.
void add_nodes(Finding& f, const std::vector<const Object*>& nodes, std::string_view path,
               auto value_of) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i < 5)
      f.evidence.push_back(Evidence::field("node/" + std::string(nodes[i]->name), std::string(path),
                                           std::string(value_of(*nodes[i]))));
    if (i > 0) f.also_affects.push_back(nodes[i]->ref());
  }
}

// "1 node", "3 nodes".
std::string node_count(std::size_t n) { return fmt::format("{} node{}", n, n == 1 ? "" : "s"); }

void check_nodes(const Cluster& cluster, int target, std::vector<Finding>& out) {
  // Kubelets may be up to three minors older than the API server from 1.28 on, two before.
  const int allowed = target >= 28 ? 3 : 2;
  std::map<int, std::vector<const Object*>> old;
  std::vector<const Object*> docker;
  for (const Object* node : cluster.of_kind("Node")) {
    const auto kubelet = minor_of(node->status()["nodeInfo"]["kubeletVersion"].str());
    if (kubelet && target - *kubelet > allowed) old[*kubelet].push_back(node);
    if (node->status()["nodeInfo"]["containerRuntimeVersion"].str().starts_with("docker://"))
      docker.push_back(node);
  }
  for (const auto& [minor, nodes] : old) {
    Finding f =
        make("upgrade-kubelet-too-old", nodes.front()->ref(),
             fmt::format("{} run{} kubelet 1.{}, more than {} minor versions older than 1.{}: "
                         "the skew policy does not support them against the new control plane",
                         node_count(nodes.size()), nodes.size() == 1 ? "s" : "", minor, allowed,
                         target));
    f.id += fmt::format("#1.{}", minor);
    add_nodes(f, nodes, ".status.nodeInfo.kubeletVersion",
              [](const Object& n) { return n.status()["nodeInfo"]["kubeletVersion"].str(); });
    f.fix = fmt::format(
        "Upgrade these node pools to at least 1.{} first (drain with PDBs respected: kubectl "
        "drain NODE --ignore-daemonsets --delete-emptydir-data), then the control plane.",
        target - allowed);
    f.links.emplace_back(kSkewDoc);
    out.push_back(std::move(f));
  }
  if (target >= 24 && !docker.empty()) {
    Finding f = make("upgrade-docker-runtime", docker.front()->ref(),
                     fmt::format("{} run{} the Docker runtime, which Kubernetes 1.{} does not "
                                 "support (dockershim removed in 1.24; ACK node pools from 1.24 "
                                 "run containerd, and upstream runs Docker only through "
                                 "cri-dockerd)",
                                 node_count(docker.size()), docker.size() == 1 ? "s" : "", target));
    add_nodes(f, docker, ".status.nodeInfo.containerRuntimeVersion", [](const Object& n) {
      return n.status()["nodeInfo"]["containerRuntimeVersion"].str();
    });
    f.fix =
        "Move these nodes to containerd before the upgrade: create a containerd node pool, "
        "drain the Docker nodes into it, remove the old pool.";
    f.links.emplace_back(
        "https://kubernetes.io/docs/tasks/administer-cluster/migrating-from-dockershim/");
    out.push_back(std::move(f));
  }
}

// The newest kubelet version among the nodes and its node: without the API server's version it
// bounds the control plane's from below, as no kubelet may be newer than its API server
// (https://kubernetes.io/releases/version-skew-policy/#kubelet). nullopt without nodes.
struct NewestKubelet {
  int minor;
  std::string_view version, node;
};
std::optional<NewestKubelet> newest_kubelet(const Cluster& cluster) {
  std::optional<NewestKubelet> newest;
  for (const Object* node : cluster.of_kind("Node")) {
    // Only Ready nodes with a real kubelet: a virtual-kubelet node (ECI, remote clusters) reports
    // a version of its own, and a node that is down may be one upgraded ahead and failed.
    if (node->label("type") == "virtual-kubelet" ||
        node->condition("Ready")["status"].str() != "True")
      continue;
    const std::string_view version = node->status()["nodeInfo"]["kubeletVersion"].str();
    const auto minor = minor_of(version);
    if (minor && (!newest || *minor > newest->minor)) newest = {*minor, version, node->name};
  }
  return newest;
}

// Without the API server's version: a target no newer than the newest kubelet is no upgrade.
void check_control_plane_from_kubelets(const Cluster& cluster, int target,
                                       std::vector<Finding>& out) {
  const auto kubelet = newest_kubelet(cluster);
  if (!kubelet || target > kubelet->minor) return;
  Finding f = make("upgrade-target-not-newer", ObjectRef{"Cluster", "", "control-plane", ""},
                   fmt::format("The control plane runs at least 1.{} (node {} runs kubelet {}, "
                               "and no kubelet is newer than its API server): 1.{} is not an "
                               "upgrade (Kubernetes does not support downgrades)",
                               kubelet->minor, kubelet->node, kubelet->version, target));
  f.evidence.push_back(Evidence::field(fmt::format("node/{}", kubelet->node),
                                       ".status.nodeInfo.kubeletVersion",
                                       std::string(kubelet->version)));
  const auto& server = cluster.server_version();
  f.evidence.push_back(Evidence::note(
      server ? fmt::format("API server version: \"{}\" is not a version this check reads", *server)
             : std::string("API server version: not in the input (kubectl version -o json > "
                           "version.json adds it)")));
  f.fix = fmt::format("Give a release newer than the control plane with --to (at least 1.{}).",
                      kubelet->minor + 1);
  f.links.emplace_back(kSkewDoc);
  out.push_back(std::move(f));
}

void check_control_plane(const Cluster& cluster, int target, std::vector<Finding>& out) {
  const auto& server = cluster.server_version();
  const auto current = server ? minor_of(*server) : std::nullopt;
  if (!current) {
    check_control_plane_from_kubelets(cluster, target, out);
    return;
  }
  if (target <= *current) {
    // Kubernetes has no downgrade path: a GO here would be a wrong answer to a typo.
    Finding f = make("upgrade-target-not-newer", ObjectRef{"Cluster", "", "control-plane", ""},
                     fmt::format("The control plane already runs {}: 1.{} is not an upgrade "
                                 "(Kubernetes does not support downgrades)",
                                 *server, target));
    f.evidence.push_back(Evidence::note(fmt::format("API server version {}", *server)));
    f.fix = fmt::format("Give the release to upgrade to: --to 1.{}.", *current + 1);
    f.links.emplace_back(kSkewDoc);
    out.push_back(std::move(f));
    return;
  }
  if (target == *current + 1) return;
  Finding f = make("upgrade-skips-minor", ObjectRef{"Cluster", "", "control-plane", ""},
                   fmt::format("The control plane runs {} and the target is 1.{}: it upgrades one "
                               "minor version at a time",
                               *server, target));
  f.evidence.push_back(Evidence::note(fmt::format("API server version {}", *server)));
  std::string steps;
  for (int m = *current + 1; m <= target; ++m) {
    // A long way is shown by its first steps and its end: "1.31 -> 1.32 -> 1.33 -> ... -> 1.40".
    if (target - *current > 6 && m > *current + 3 && m < target) {
      if (m == *current + 4) steps += " -> ...";
      continue;
    }
    steps += fmt::format("{}1.{}", steps.empty() ? "" : " -> ", m);
  }
  f.fix = fmt::format(
      "Upgrade in steps: {}, with the node pools following each step and this "
      "check run for each target.",
      steps);
  f.links.emplace_back(kSkewDoc);
  out.push_back(std::move(f));
}

// policy/v1 status (disruption controller): a drain evicts nothing from these pods.
void check_pdbs(const Cluster& cluster, std::vector<Finding>& out) {
  for (const Object* pdb : cluster.of_kind("PodDisruptionBudget")) {
    const Value& st = pdb->status();
    if (!st.contains("disruptionsAllowed") || st["disruptionsAllowed"].as_int(0) > 0 ||
        st["expectedPods"].as_int(0) == 0)
      continue;
    Finding f = make("upgrade-pdb-blocks-drain", pdb->ref(),
                     fmt::format("PodDisruptionBudget {} allows no disruption ({} of {} pods "
                                 "healthy, {} needed): node drains in the upgrade hang on its pods",
                                 pdb->name, st["currentHealthy"].as_int(0),
                                 st["expectedPods"].as_int(0), st["desiredHealthy"].as_int(0)));
    f.evidence.push_back(Evidence::field(fmt::format("poddisruptionbudget/{}", pdb->name),
                                         ".status.disruptionsAllowed", "0"));
    f.fix = fmt::format(
        "Before the upgrade, scale the workload up or relax the budget ({}edit pdb {}: lower "
        "minAvailable or raise maxUnavailable); ACK's node pool upgrade waits on it otherwise.",
        kubectl_ns(*pdb), pdb->name);
    out.push_back(std::move(f));
  }
}

// ACK's upgrade pre-check of add-ons (catalog ACK-UPGRADE-PRECHECK-COMPONENT-VERSION): the
// component-specific blockers it names. The catalog lists no minimum versions, so versions are
// not judged here.
void check_components(const Cluster& cluster, std::vector<Finding>& out) {
  constexpr std::string_view kDoc =
      "https://www.alibabacloud.com/help/en/document_detail/2381509.html";
  std::vector<const Object*> not_ready;
  std::size_t schedulable = 0;
  for (const Object* node : cluster.of_kind("Node")) {
    const bool ready = node->condition("Ready")["status"].str() == "True";
    if (!ready) not_ready.push_back(node);
    if (ready && !node->spec()["unschedulable"].as_bool()) ++schedulable;
  }
  const std::size_t nodes = cluster.of_kind("Node").size();
  if (nodes == 0) return;  // manifests only: nothing to judge
  if (const Object* plugin = cluster.find("DaemonSet", "kube-system", "csi-plugin");
      plugin != nullptr && !not_ready.empty()) {
    Finding f =
        make("upgrade-csi-plugin-notready-nodes", plugin->ref(),
             fmt::format("{} node{} NotReady: the csi-plugin upgrade fails while any node is "
                         "NotReady, and the cluster upgrade waits on it",
                         not_ready.size(), not_ready.size() == 1 ? " is" : "s are"));
    add_nodes(f, not_ready, ".status.conditions[Ready].status", [](const Object& n) {
      return n.condition("Ready")["status"].str().empty() ? std::string_view("(none)")
                                                          : n.condition("Ready")["status"].str();
    });
    f.fix =
        "Bring the NotReady nodes back (ktriage diagnose shows why each is NotReady) or remove "
        "them from the cluster, then upgrade csi-plugin before the cluster.";
    f.links.emplace_back(kDoc);
    out.push_back(std::move(f));
  }
  if (const Object* provisioner = cluster.find("Deployment", "kube-system", "csi-provisioner");
      provisioner != nullptr && schedulable < 2) {
    Finding f =
        make("upgrade-csi-provisioner-one-node", provisioner->ref(),
             fmt::format("{} schedulable Ready node{}: the csi-provisioner upgrade needs two "
                         "(its two replicas may not share a node)",
                         schedulable, schedulable == 1 ? "" : "s"));
    f.evidence.push_back(
        Evidence::note(fmt::format("{} Ready and schedulable of {} nodes", schedulable, nodes)));
    f.fix =
        "Add a node (or uncordon one) so that at least two are Ready and schedulable, then "
        "upgrade csi-provisioner before the cluster.";
    f.links.emplace_back(kDoc);
    out.push_back(std::move(f));
  }
}

}  // namespace

Diagnosis check(const Cluster& cluster, std::span<const RemovedApi> apis, int target) {
  Diagnosis d;
  std::vector<Finding>& out = d.findings;
  check_control_plane(cluster, target, out);
  check_api_versions(cluster, apis, target, out);
  check_helm_releases(cluster, apis, target, out);
  check_nodes(cluster, target, out);
  check_pdbs(cluster, out);
  check_components(cluster, out);
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  const auto blockers = static_cast<std::size_t>(std::count_if(
      out.begin(), out.end(), [](const Finding& f) { return f.severity == Severity::kCritical; }));
  d.input.scope =
      fmt::format("an upgrade to Kubernetes 1.{} ({}{})", target, blockers == 0 ? "GO" : "NO-GO, ",
                  blockers == 0 ? std::string()
                                : fmt::format("{} blocker{}", blockers, blockers == 1 ? "" : "s"));
  if (cluster.now() > 0) d.input.snapshot_time = cluster.now();
  if (cluster.server_version()) {
    d.input.server_version = *cluster.server_version();
  } else {
    // Said, so that a GO is not read as "the control plane's step was checked".
    d.input.notes.push_back(fmt::format(
        "the API server version is not in the input (kubectl version -o json > version.json adds "
        "it): whether the target skips a minor version was not checked, {}",
        newest_kubelet(cluster) ? "and that it is newer only against the newest Ready kubelet"
                                : "nor that it is newer (no Ready node gives a kubelet version)"));
  }
  d.input.files_read = cluster.files_read();
  d.input.objects = cluster.objects().size();
  d.input.bytes = cluster.bytes_read();
  d.input.issues.assign(cluster.issues().begin(), cluster.issues().end());
  return d;
}

}  // namespace ktriage::upgrade
