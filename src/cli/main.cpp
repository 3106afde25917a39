// ktriage entry point: flags and wiring only (ripgrep's crates/core shape). Also runs as the
// kubectl plugin `kubectl-triage` (same binary, linked under that name).
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "analyzers/common/catalog_gaps.h"
#include "analyzers/registry.h"
#include "cli/can_i.h"
#include "cli/huge_pages.h"
#include "cli/lint_config.h"
#include "cli/live.h"
#include "cli/live_options.h"
#include "cli/logs.h"
#include "cli/netcheck.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/rules.h"
#include "cli/schemas.h"
#include "core/ascii.h"
#include "core/edit_distance.h"
#include "correlate/correlate.h"
#include "lint/lint.h"
#include "lint/schema_store.h"
#include "lint/schema_validate.h"
#include "load/source.h"
#include "report/report.h"
#include "upgrade/check.h"

namespace ktriage {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

struct CommonFlags {
  std::string ns;
  bool all_namespaces = false;
  std::string selector;
  std::string kind;
  std::string output = "text";
  std::string fail_on = "warning";
  std::string color = "auto";
  bool no_color = false;
  std::string now;
  unsigned threads = 0;
  bool timings = false;
  RuleSet rules = RuleSet::kAnalyzers;  ///< not a flag: the command's rule records, for SARIF
};

// -o, --fail-on and colour: every command that prints findings.
void add_output(CLI::App& cmd, CommonFlags& f) {
  const auto formats = output_formats();
  cmd.add_option("-o,--output", f.output, "Output format: text, json, yaml, sarif (2.1.0) or junit")
      ->check(CLI::IsMember(std::vector<std::string>(formats.begin(), formats.end())));
  cmd.add_option("--fail-on", f.fail_on,
                 "Exit 1 when a finding is at or above: critical, warning or info")
      ->check(CLI::IsMember({"critical", "warning", "info"}))
      ->capture_default_str();
  cmd.add_option("--color", f.color, "Colour: auto (on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd.add_flag("--no-color", f.no_color, "Same as --color=never");
}

void add_common(CLI::App& cmd, CommonFlags& f) {
  cmd.add_option("-n,--namespace", f.ns,
                 "Only this namespace (default: all namespaces in the snapshot)");
  cmd.add_flag("-A,--all-namespaces", f.all_namespaces, "All namespaces (the default offline)");
  cmd.add_option("-l,--selector", f.selector,
                 "Only objects with these labels, as kubectl -l: key=value, key!=value, key, !key, "
                 "key in (a,b), key notin (a,b), comma-separated");
  cmd.add_option("--kind", f.kind, "Only findings about this kind (Pod, Service, Deployment, ...)");
  add_output(cmd, f);
  cmd.add_option(
      "--now", f.now,
      "The time to judge ages against (RFC 3339); default: the newest timestamp in the snapshot");
  cmd.add_option("--threads", f.threads,
                 "Threads for reading files (at most 8 by default) and for analyzers (default: the "
                 "number of cores; 1 reads files one after another)");
  cmd.add_flag("--timings", f.timings,
               "Print to stderr each phase's wall time, its CPU time summed over threads (user, "
               "system) and page faults, and each analyzer's wall time");
}

bool use_color(const CommonFlags& f) {
  if (f.no_color || f.color == "never") return false;
  if (f.color == "always") return true;
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

std::optional<std::string> kind_of_type(std::string type);

std::optional<RunOptions> make_options(const CommonFlags& f, std::vector<std::string> paths) {
  RunOptions o;
  o.paths = std::move(paths);
  o.ns = f.all_namespaces ? "" : f.ns;
  o.selector = f.selector;
  // --kind takes kubectl's names too (svc, deploy, po); other kinds are matched as given.
  o.kind = f.kind.empty() ? "" : kind_of_type(f.kind).value_or(f.kind);
  o.threads = f.threads > 0 ? f.threads : std::max(1u, std::thread::hardware_concurrency());
  o.load_threads = f.threads;
  o.progress = isatty(STDERR_FILENO) != 0;
  o.timings = f.timings;
  if (!f.now.empty()) {
    o.now = parse_rfc3339(f.now);
    if (!o.now) {
      std::cerr << fmt::format(
          "ktriage: --now \"{}\" is not an RFC 3339 time (e.g. 2026-11-29T10:42:00Z)\n", f.now);
      return std::nullopt;
    }
  }
  std::string err;
  if (!f.selector.empty() && !parse_selector(f.selector, &err)) {
    std::cerr << "ktriage: -l: " << err << "\n";
    return std::nullopt;
  }
  return o;
}

// Offline when paths are given, else the live cluster of the kubeconfig. nullopt when the live
// cluster could not be read (the reason is printed).
std::optional<RunResult> run_source(const RunOptions& options, const LiveFlags& live,
                                    const std::string& fetch_ns, std::string_view path_hint) {
  if (!options.paths.empty()) return run_pipeline(options);
  auto inputs = read_live(live, fetch_ns, options.progress, options.timings, path_hint);
  if (!inputs) return std::nullopt;
  return run_pipeline(options, std::move(*inputs));
}

// "; did you mean shop?" or "; it has 3 namespaces: default, kube-system, shop" for a
// namespace (or kind) the input has no object in: the names one or two edits away or that the
// given one begins, else the first few there are. "" when there are none.
std::string near_or_list(const std::set<std::string_view>& present, std::string_view given,
                         std::string_view noun) {
  // Short names are all one or two edits from each other (Foo, Job, Pod): fewer edits for them.
  const std::size_t edits = given.size() <= 4 ? 1 : 2;
  const bool prefix = given.size() >= 3;
  std::vector<std::string_view> near;
  for (std::string_view p : present) {
    if ((prefix && (p.starts_with(given) || given.starts_with(p))) ||
        osa_distance(p, given) <= edits)
      near.push_back(p);
  }
  if (!near.empty()) return fmt::format("; did you mean {}?", fmt::join(near, " or "));
  if (present.empty()) return "";
  std::vector<std::string_view> first(present.begin(), present.end());
  const std::size_t shown = std::min<std::size_t>(first.size(), 8);
  return fmt::format(
      "; it has {} {}{}: {}{}", present.size(), noun, present.size() == 1 ? "" : "s",
      fmt::join(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
      first.size() > shown ? ", ..." : "");
}

// A typo in -n, --kind or -l must not read as a clean bill of health ("No problems found in
// namespace shp", exit 0, passing a CI gate): an error naming what the input has instead. A
// namespace that exists (its Namespace object was read) but is empty, and a kind ktriage knows
// of that the input has none of, are fine: nothing there is wrong.
// Kinds of the Kubernetes API itself (any letter case): a --kind naming one is no typo, even
// when the input has none of it. https://kubernetes.io/docs/reference/kubernetes-api/
bool is_builtin_kind(std::string_view kind) {
  static constexpr std::string_view kKinds[] = {"Pod",
                                                "Service",
                                                "Endpoints",
                                                "EndpointSlice",
                                                "ConfigMap",
                                                "Secret",
                                                "ServiceAccount",
                                                "Namespace",
                                                "Node",
                                                "Event",
                                                "PersistentVolume",
                                                "PersistentVolumeClaim",
                                                "LimitRange",
                                                "ResourceQuota",
                                                "ReplicationController",
                                                "PodTemplate",
                                                "Binding",
                                                "ComponentStatus",
                                                "Deployment",
                                                "ReplicaSet",
                                                "StatefulSet",
                                                "DaemonSet",
                                                "ControllerRevision",
                                                "Job",
                                                "CronJob",
                                                "HorizontalPodAutoscaler",
                                                "PodDisruptionBudget",
                                                "Ingress",
                                                "IngressClass",
                                                "NetworkPolicy",
                                                "Role",
                                                "RoleBinding",
                                                "ClusterRole",
                                                "ClusterRoleBinding",
                                                "StorageClass",
                                                "VolumeAttachment",
                                                "CSIDriver",
                                                "CSINode",
                                                "CSIStorageCapacity",
                                                "PriorityClass",
                                                "RuntimeClass",
                                                "Lease",
                                                "CertificateSigningRequest",
                                                "MutatingWebhookConfiguration",
                                                "ValidatingWebhookConfiguration",
                                                "ValidatingAdmissionPolicy",
                                                "ValidatingAdmissionPolicyBinding",
                                                "CustomResourceDefinition",
                                                "APIService",
                                                "FlowSchema",
                                                "PriorityLevelConfiguration",
                                                "ResourceClaim",
                                                "ResourceClass",
                                                "DeviceClass",
                                                "VolumeAttributesClass"};
  return std::any_of(std::begin(kKinds), std::end(kKinds),
                     [&](std::string_view k) { return equal_ignoring_case(k, kind); });
}

// nullopt when some object's labels match `selector` (or it does not parse: the pipeline has
// said so); else what to say after "no object ... matching SELECTOR": about the first term no
// object satisfies on its own, the label keys there are ("; did you mean app?") or, for a key
// that is there, its labels ("; did you mean app=web?"); when each term alone matches some
// object, that no object matches them all. With `ns`, only the objects -n reads: that
// namespace, kube-system and cluster-scoped ones (what a live run fetches).
std::optional<std::string> unmatched_selector(const Cluster& cluster, const std::string& selector,
                                              std::string_view ns) {
  std::string error;
  const auto terms = parse_selector(selector, &error);
  if (!terms || terms->empty()) return std::nullopt;
  std::vector<std::vector<SelectorTerm>> singles;  // each term alone
  for (const SelectorTerm& t : *terms) singles.push_back({t});
  const auto in_scope = [ns](const Object& o) {
    return ns.empty() || o.ns == ns || o.ns == "kube-system" || o.ns.empty();
  };
  std::vector<bool> term_matches(terms->size(), false);
  std::set<std::string_view> keys;
  for (const Object& o : cluster.objects()) {
    if (!in_scope(o)) continue;
    const Value& labels = o.labels();
    if (selector_matches(*terms, labels)) return std::nullopt;
    for (std::size_t t = 0; t < terms->size(); ++t)
      term_matches[t] = term_matches[t] || selector_matches(singles[t], labels);
    for (const Member& m : labels.members()) keys.insert(m.key);
  }
  const auto unmatched = std::find(term_matches.begin(), term_matches.end(), false);
  if (unmatched == term_matches.end())
    return std::string(" (each term matches some object, but no object matches them all)");
  const SelectorTerm& term = (*terms)[static_cast<std::size_t>(unmatched - term_matches.begin())];
  if (!keys.contains(term.key)) {
    return term.op == SelectorTerm::Op::kNotExists || term.op == SelectorTerm::Op::kNotEq ||
                   term.op == SelectorTerm::Op::kNotIn
               ? std::string()
               : near_or_list(keys, term.key, "label key");
  }
  if (term.op != SelectorTerm::Op::kEq && (term.op != SelectorTerm::Op::kIn || term.values.empty()))
    return std::string();
  std::set<std::string> owned;  // "app=web": the key's labels, as the selector spells one
  for (const Object& o : cluster.objects()) {
    const Value& value = in_scope(o) ? o.labels()[term.key] : Value::null_value();
    if (value.is_string()) owned.insert(term.key + "=" + std::string(value.str()));
  }
  const std::set<std::string_view> labels(owned.begin(), owned.end());
  const std::string given =
      term.key + "=" + (term.op == SelectorTerm::Op::kEq ? term.value : term.values.front());
  return near_or_list(labels, given, "label");
}

std::optional<std::string> empty_selection(const Cluster& cluster, const Diagnosis& shown,
                                           const CommonFlags& f) {
  const std::string ns = f.all_namespaces ? "" : f.ns;
  if (!ns.empty() && cluster.pods_in(ns).empty() && cluster.find("Namespace", "", ns) == nullptr) {
    std::set<std::string_view> namespaces;
    bool any = false;
    for (const Object& o : cluster.objects()) {
      any = any || o.ns == ns;
      if (!o.ns.empty()) namespaces.insert(o.ns);
      if (o.kind == "Namespace") namespaces.insert(o.name);
    }
    if (!any)
      return fmt::format("the input has no objects in namespace {}{}", ns,
                         near_or_list(namespaces, ns, "namespace"));
  }
  // --kind matches any letter case (as the filter does); findings about it (a cloud
  // SecurityGroup has no object) mean it is there.
  if (!f.kind.empty() && shown.findings.empty() && !kind_of_type(f.kind) &&
      !is_builtin_kind(f.kind)) {
    std::set<std::string_view> kinds;
    bool any = false;
    for (const Object& o : cluster.objects()) {
      kinds.insert(o.kind);
      any = any || equal_ignoring_case(o.kind, f.kind);
    }
    if (!any)
      return fmt::format("the input has no objects of kind {}{}", f.kind,
                         near_or_list(kinds, f.kind, "kind"));
  }
  // -l that no object's labels match is the same kind of typo: name the label keys there are,
  // or the labels of a key that is there.
  if (!f.selector.empty() && shown.findings.empty()) {
    if (auto hint = unmatched_selector(cluster, f.selector, ns))
      return fmt::format("no object in the input has labels matching {}{}", f.selector, *hint);
  }
  return std::nullopt;
}

int finish(const RunResult& r, const CommonFlags& f) {
  // A path that does not exist explains an empty selection better: its error comes below.
  if (r.cluster != nullptr && !r.nothing_read && r.path_errors.empty()) {
    if (auto empty = empty_selection(*r.cluster, r.diagnosis, f)) {
      std::cerr << "ktriage: error: " << *empty << "\n";
      return kExitUsage;
    }
    if (!f.kind.empty() && r.diagnosis.findings.empty()) {
      const std::string kind = kind_of_type(f.kind).value_or(f.kind);
      const auto& objects = r.cluster->objects();
      if (std::none_of(objects.begin(), objects.end(),
                       [&](const Object& o) { return equal_ignoring_case(o.kind, kind); }))
        std::cerr << fmt::format("ktriage: note: the input has no objects of kind {}\n", kind);
    }
  }
  std::cout << render_report(r.diagnosis, f.output, use_color(f), f.rules);
  std::cout.flush();
  // lint reports a file that does not parse as a critical finding (exit 1, as the README
  // says), even when it was the only file; otherwise nothing read is an input error.
  if (r.nothing_read && r.diagnosis.findings.empty()) {
    std::cerr << "ktriage: nothing could be read from the input (the report on standard output "
                 "lists why)\n";
    return kExitUsage;
  }
  if (!r.path_errors.empty()) {
    for (const std::string& e : r.path_errors) std::cerr << "ktriage: error: " << e << "\n";
    std::cerr << "ktriage: the report covers only the inputs that could be read\n";
    return kExitUsage;
  }
  const Severity threshold = *parse_severity(f.fail_on);
  for (const Finding& finding : r.diagnosis.findings) {
    if (finding.severity >= threshold) return kExitFindings;
  }
  return kExitOk;
}

// A --to / --target-version value as a minor release of Kubernetes 1.x; says why not otherwise.
std::optional<int> parse_target(std::string_view flag, const std::string& text) {
  auto target = upgrade::minor_of(text);
  if (!target) {
    std::cerr << fmt::format("ktriage: {} \"{}\" is not a Kubernetes 1.x version (e.g. 1.31)\n",
                             flag, text);
  }
  return target;
}

// upgrade-check and lint: index what was read, run `check` on it (no analyzers: manifests have
// no status, and an upgrade is judged on versions) and print it as diagnose does.
int report_check(Inputs inputs, const std::vector<std::string>& paths, const CommonFlags& f,
                 const std::function<Diagnosis(const Cluster&)>& check) {
  const bool nothing = inputs.objects.empty() && inputs.duplicate_keys.empty();
  auto cluster = Cluster::build(std::move(inputs));
  RunResult r;
  r.diagnosis = check(*cluster);
  r.nothing_read = nothing;
  r.path_errors = path_errors(paths);
  return finish(r, f);
}

int run_upgrade_check(const std::string& to, const std::vector<std::string>& paths,
                      const CommonFlags& f, const LiveFlags& live) {
  const auto target = parse_target("--to", to);
  if (!target) return kExitUsage;
  const auto& apis = upgrade::builtin_deprecated_apis();
  if (const int newest = upgrade::newest_release(apis); *target > newest) {
    std::cerr << fmt::format(
        "ktriage: note: 1.{} is past 1.{}, the newest release the built-in API table knows: APIs "
        "removed after 1.{} are not checked\n",
        *target, newest, newest);
  }
  std::optional<Inputs> inputs;
  if (paths.empty()) {
    inputs = read_live(live, "", isatty(STDERR_FILENO) != 0, false,
                       "ktriage upgrade-check --to VERSION DIR|FILE|BUNDLE.tar.gz|-");
    if (!inputs) return kExitUsage;
  } else {
    inputs = load_sources(paths);
  }
  return report_check(std::move(*inputs), paths, f,
                      [&](const Cluster& c) { return upgrade::check(c, apis, *target); });
}

// The flags of `ktriage lint`.
struct LintFlags {
  std::string target;              ///< --target-version
  std::vector<std::string> paths;  ///< files, folders, "-"
  std::string schema_location;     ///< --schema-location
  std::vector<std::string> crds;   ///< --crd FILE (repeatable)
  std::string config;              ///< --config FILE (else ./.ktriage.yaml)
};

int run_lint(const LintFlags& lf, const CommonFlags& f) {
  const auto& apis = upgrade::builtin_deprecated_apis();
  const auto target = lf.target.empty() ? std::optional<int>(upgrade::newest_release(apis))
                                        : parse_target("--target-version", lf.target);
  if (!target) return kExitUsage;
  auto schemas = open_schemas(lf.schema_location, *target);
  if (!schemas) {
    std::cerr << "ktriage lint: " << schemas.error() << "\n";
    return kExitUsage;
  }
  // CRDs given with --crd validate custom resources but are not linted themselves; their
  // Cluster lives as long as the store reads their schemas.
  std::unique_ptr<Cluster> crds;
  if (!lf.crds.empty()) {
    if (!*schemas) *schemas = lint::SchemaStore::crds_only();
    crds = Cluster::build(load_sources(lf.crds, LoadOptions{{}, false, f.threads}));
    for (const InputIssue& i : crds->issues())
      std::cerr << fmt::format("ktriage lint: --crd {}: {}\n", i.where.to_string(), i.message);
    for (const Object* crd : crds->of_kind("CustomResourceDefinition")) {
      std::vector<lint::SchemaError> errors;
      if (lint::validate_crd_schemas(*crd, errors)) {
        (*schemas)->add_crd(*crd, crds->file_name(crd->file));
        continue;
      }
      for (const lint::SchemaError& e : errors)  // not used: say why, as for an input CRD
        std::cerr << fmt::format("ktriage lint: --crd {}: CustomResourceDefinition {}: {}: {}\n",
                                 crds->file_name(crd->file), crd->name, e.path.substr(1),
                                 e.message);
    }
  }
  const auto config = load_lint_config(lf.config);
  if (!config) {
    std::cerr << fmt::format("ktriage: {}\n", config.error());
    return kExitUsage;
  }
  const LoadOptions load{{}, /*keep_sources=*/true, f.threads};
  Inputs inputs = load_sources(lf.paths, load);
  inputs.merge_repeats = false;  // overlays may define the same object: lint each
  return report_check(std::move(inputs), lf.paths, f, [&](const Cluster& c) {
    return lint::lint(c, *target, schemas->get(), *config);
  });
}

// kubectl's resource names and short names ("svc", "deployments.apps") -> Kind; the Kind itself
// (any case) is accepted too. nullopt for a name it does not know.
std::optional<std::string> kind_of_type(std::string type) {
  type = ascii_lower(type);
  if (auto dot = type.find('.'); dot != std::string::npos)
    type = type.substr(0, dot);  // deployments.apps
  static const std::pair<std::string_view, std::string_view> kKinds[] = {
      {"pod", "Pod"},
      {"pods", "Pod"},
      {"po", "Pod"},
      {"deployment", "Deployment"},
      {"deployments", "Deployment"},
      {"deploy", "Deployment"},
      {"replicaset", "ReplicaSet"},
      {"replicasets", "ReplicaSet"},
      {"rs", "ReplicaSet"},
      {"statefulset", "StatefulSet"},
      {"statefulsets", "StatefulSet"},
      {"sts", "StatefulSet"},
      {"daemonset", "DaemonSet"},
      {"daemonsets", "DaemonSet"},
      {"ds", "DaemonSet"},
      {"job", "Job"},
      {"jobs", "Job"},
      {"cronjob", "CronJob"},
      {"cronjobs", "CronJob"},
      {"cj", "CronJob"},
      {"service", "Service"},
      {"services", "Service"},
      {"svc", "Service"},
      {"node", "Node"},
      {"nodes", "Node"},
      {"no", "Node"},
      {"ingress", "Ingress"},
      {"ingresses", "Ingress"},
      {"ing", "Ingress"},
      {"persistentvolumeclaim", "PersistentVolumeClaim"},
      {"persistentvolumeclaims", "PersistentVolumeClaim"},
      {"pvc", "PersistentVolumeClaim"},
      {"persistentvolume", "PersistentVolume"},
      {"persistentvolumes", "PersistentVolume"},
      {"pv", "PersistentVolume"},
      {"storageclass", "StorageClass"},
      {"storageclasses", "StorageClass"},
      {"sc", "StorageClass"},
      {"configmap", "ConfigMap"},
      {"configmaps", "ConfigMap"},
      {"cm", "ConfigMap"},
      {"secret", "Secret"},
      {"secrets", "Secret"},
      {"namespace", "Namespace"},
      {"namespaces", "Namespace"},
      {"ns", "Namespace"},
      {"serviceaccount", "ServiceAccount"},
      {"serviceaccounts", "ServiceAccount"},
      {"sa", "ServiceAccount"},
      {"horizontalpodautoscaler", "HorizontalPodAutoscaler"},
      {"horizontalpodautoscalers", "HorizontalPodAutoscaler"},
      {"hpa", "HorizontalPodAutoscaler"},
      {"poddisruptionbudget", "PodDisruptionBudget"},
      {"poddisruptionbudgets", "PodDisruptionBudget"},
      {"pdb", "PodDisruptionBudget"},
      {"networkpolicy", "NetworkPolicy"},
      {"networkpolicies", "NetworkPolicy"},
      {"netpol", "NetworkPolicy"},
      {"ingressclass", "IngressClass"},
      {"ingressclasses", "IngressClass"},
      {"endpoints", "Endpoints"},
      {"ep", "Endpoints"},
      {"resourcequota", "ResourceQuota"},
      {"resourcequotas", "ResourceQuota"},
      {"quota", "ResourceQuota"},
      {"mutatingwebhookconfiguration", "MutatingWebhookConfiguration"},
      {"mutatingwebhookconfigurations", "MutatingWebhookConfiguration"},
      {"validatingwebhookconfiguration", "ValidatingWebhookConfiguration"},
      {"validatingwebhookconfigurations", "ValidatingWebhookConfiguration"},
      {"apiservice", "APIService"},
      {"apiservices", "APIService"},
  };
  for (const auto& [alias, kind] : kKinds) {
    if (alias == type) return std::string(kind);
  }
  for (const auto& [alias, kind] : kKinds) {
    if (ascii_lower(kind) == type) return std::string(kind);
  }
  return std::nullopt;
}

// "pod/web", "deploy/web", "svc/web" -> (Kind, name), as kubectl accepts them.
std::optional<std::pair<std::string, std::string>> parse_resource(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size())
    return std::nullopt;
  auto kind = kind_of_type(std::string(text.substr(0, slash)));
  if (!kind) return std::nullopt;
  return std::make_pair(*kind, std::string(text.substr(slash + 1)));
}

// "; did you mean pod/web-7d9c5b8f6d-m8zvd?" for a `why` name not found: objects of the kind
// that the name begins, or one or two edits away, at most three, written as `type`/NAME (with
// -n NS when not in `ns`); in `ns` when given and any is there, else in every namespace. ""
// when none. Pod names end in generated suffixes, so a prefix (pod/web-7d9c) is the common case.
std::string near_names(const Cluster& cluster, std::string_view type, std::string_view kind,
                       std::string_view ns, std::string_view name) {
  auto collect = [&](bool in_ns_only) {
    std::vector<std::string> near;
    std::size_t total = 0;
    for (const Object* o : cluster.of_kind(kind)) {
      if (in_ns_only && o->ns != ns) continue;
      const std::string_view n = o->name;
      if (!(n.starts_with(name) || osa_distance(n, name) <= 2)) continue;
      if (++total > 3) continue;
      near.push_back(o->ns.empty() || (in_ns_only && o->ns == ns)
                         ? fmt::format("{}/{}", type, n)
                         : fmt::format("{}/{} -n {}", type, n, o->ns));
    }
    return std::make_pair(near, total);
  };
  auto [near, total] = collect(!ns.empty());
  if (near.empty() && !ns.empty()) std::tie(near, total) = collect(false);
  if (near.empty()) return "";
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < near.size(); ++i) out += (i == 0 ? "" : ", ") + near[i];
  if (total > near.size()) out += fmt::format(" (and {} more)", total - near.size());
  return out + "?";
}

int run_why(std::string resource, std::vector<std::string> paths, const CommonFlags& f,
            const LiveFlags& live) {
  // `why DIR pod/x`, the snapshot first as `diagnose DIR` is written: the object is the
  // argument that reads as TYPE/NAME, when the first one is an input that exists.
  if (!parse_resource(resource) && (resource == "-" || std::filesystem::exists(resource))) {
    auto named = std::find_if(paths.begin(), paths.end(),
                              [](const std::string& p) { return parse_resource(p).has_value(); });
    if (named != paths.end()) {
      // Paths keep their order (the first of two copies of an object wins): the one written
      // first goes back to the front.
      std::string first_path = std::move(resource);
      resource = std::move(*named);
      paths.erase(named);
      paths.insert(paths.begin(), std::move(first_path));
    }
  }
  auto parsed = parse_resource(resource);
  if (!parsed && (resource == "-" || std::filesystem::exists(resource))) {
    std::cerr << fmt::format(
        "ktriage why: name the object to explain as TYPE/NAME, e.g. ktriage why pod/NAME -n "
        "NAMESPACE {} (ktriage diagnose {} lists what is wrong)\n",
        resource, resource);
    return kExitUsage;
  }
  if (!parsed) {
    const auto slash = resource.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < resource.size()) {
      std::cerr << fmt::format(
          "ktriage why: \"{}\" is no resource type ktriage knows (pod, deploy, rs, sts, ds, job, "
          "cronjob, svc, ep, ing, ingressclass, node, pvc, pv, sc, cm, secret, ns, sa, hpa, pdb, "
          "netpol, quota, apiservice, mutating/validatingwebhookconfiguration)\n",
          resource.substr(0, slash));
    } else {
      std::cerr << fmt::format(
          "ktriage why: \"{}\" is not TYPE/NAME or TYPE/NAMESPACE/NAME (e.g. pod/web-1, "
          "deploy/web, svc/shop/web)\n",
          resource);
    }
    return kExitUsage;
  }
  static constexpr std::string_view kClusterScoped[] = {"Node",
                                                        "PersistentVolume",
                                                        "StorageClass",
                                                        "Namespace",
                                                        "IngressClass",
                                                        "APIService",
                                                        "MutatingWebhookConfiguration",
                                                        "ValidatingWebhookConfiguration"};
  const bool cluster_scoped = std::find(std::begin(kClusterScoped), std::end(kClusterScoped),
                                        parsed->first) != std::end(kClusterScoped);
  CommonFlags scoped = f;
  if (!f.selector.empty() || !f.kind.empty()) {
    // They choose among many objects; why explains the one named, so they would only hide it.
    std::cerr << "ktriage why: note: -l and --kind choose among objects; why explains the one "
                 "named, so they are ignored\n";
    scoped.selector.clear();
    scoped.kind.clear();
  }
  if (cluster_scoped && parsed->second.find('/') != std::string::npos) {
    std::cerr << fmt::format(
        "ktriage why: {} is cluster-scoped: name it {}/NAME, without a "
        "namespace\n",
        parsed->first, resource.substr(0, resource.find('/')));
    return kExitUsage;
  }
  if (cluster_scoped && !f.ns.empty()) {
    std::cerr << fmt::format("ktriage why: note: {} is cluster-scoped; -n {} is ignored\n",
                             parsed->first, f.ns);
    scoped.ns.clear();
  }
  std::string ns = scoped.ns;
  // TYPE/NS/NAME, as netcheck writes it, is TYPE/NAME -n NS (names hold no '/').
  if (const auto slash = parsed->second.find('/'); slash != std::string::npos) {
    const std::string in_ns = parsed->second.substr(0, slash);
    if (!ns.empty() && ns != in_ns) {
      std::cerr << fmt::format("ktriage why: \"{}\" names namespace {} but -n says {}\n", resource,
                               in_ns, ns);
      return kExitUsage;
    }
    ns = in_ns;
    parsed->second = parsed->second.substr(slash + 1);
  }
  auto options = make_options(scoped, std::move(paths));
  if (!options) return kExitUsage;
  options->ns.clear();  // the tree may cross namespaces (cluster-scoped causes)
  auto ran = run_source(*options, live, ns, "ktriage why TYPE/NAME DIR|FILE|BUNDLE.tar.gz|-");
  if (!ran) return kExitUsage;
  RunResult& r = *ran;
  const auto& [kind, name] = *parsed;
  const Object* target = r.cluster->find(kind, cluster_scoped ? "" : ns, name);
  if (target == nullptr && ns.empty()) {
    // No -n: accept the name in any namespace when it is unique.
    const Object* only = nullptr;
    int matches = 0;
    for (const Object* o : r.cluster->of_kind(kind)) {
      if (o->name == name) {
        only = o;
        ++matches;
      }
    }
    if (matches == 1) target = only;
    if (matches > 1) {
      std::cerr << fmt::format(
          "ktriage why: {} \"{}\" exists in {} namespaces; say which with -n\n", kind, name,
          matches);
      return kExitUsage;
    }
  }
  if (target == nullptr) {
    // A List item skipped for a syntax error, or a file that could not be read, may have held
    // it: say so rather than let "not found" read as "does not exist".
    const std::size_t lost = lost_input(r.diagnosis.input).total();
    std::cerr << fmt::format(
        "ktriage why: {} \"{}\" not found{} in the input{}{}\n", kind, name,
        ns.empty() || cluster_scoped ? "" : " in namespace " + ns,
        lost == 0 ? ""
                  : fmt::format(" (it may be in what could not be read: {} input problem{}; "
                                "ktriage diagnose lists them)",
                                lost, lost == 1 ? "" : "s"),
        near_names(*r.cluster, resource.substr(0, resource.find('/')), kind,
                   cluster_scoped ? "" : ns, name));
    return kExitUsage;
  }
  ObjectRef ref = target->ref();
  std::vector<Finding> tree = select_tree(r.diagnosis.findings, ref);
  if (tree.empty()) {
    // No finding names the object itself (a ReplicaSet under its Deployment's symptom): show
    // the trees of what it owns, its pods.
    std::set<std::string> ids;
    for (const Object* child : r.cluster->children(*target)) {
      for (Finding& f : select_tree(r.diagnosis.findings, child->ref())) {
        if (ids.insert(f.id).second) tree.push_back(std::move(f));
      }
    }
    // Keep the report's order (roots first).
    std::vector<Finding> ordered;
    for (const Finding& f : r.diagnosis.findings) {
      if (ids.count(f.id) > 0) ordered.push_back(f);
    }
    tree = std::move(ordered);
  }
  // Objects that others use rather than run: nothing may be wrong with one itself while
  // findings about others read it (a ConfigMap without the key a Pod asks for). Not Pods or
  // Services: a healthy Pod is quoted as a near miss by a Service that selects nothing.
  static constexpr std::string_view kReferencedKinds[] = {
      "ConfigMap",    "Secret", "ServiceAccount", "PersistentVolumeClaim", "PersistentVolume",
      "StorageClass", "Node"};
  bool quoted = false;
  if (tree.empty() && std::find(std::begin(kReferencedKinds), std::end(kReferencedKinds),
                                ref.kind) != std::end(kReferencedKinds)) {
    tree = select_mentions(r.diagnosis.findings, ref);
    quoted = !tree.empty();
    if (quoted) {
      r.diagnosis.input.notes.push_back(fmt::format(
          "no finding is about {} itself; below are the findings whose evidence reads it, "
          "and their causes",
          ref.kubectl_name()));
    }
  }
  // Replicas with the same fault share one finding (correlate/fold.h): say that the evidence
  // shown is the first replica's, or the report reads as being about another pod.
  for (const Finding& f : tree) {
    const auto is_ref = [&](const ObjectRef& o) { return o.key() == ref.key(); };
    if (is_ref(f.object) || std::none_of(f.also_affects.begin(), f.also_affects.end(), is_ref))
      continue;
    r.diagnosis.input.notes.push_back(
        fmt::format("{} has the same fault as {}, so they share one finding: its evidence is {}'s",
                    ref.kubectl_name(), f.object.kubectl_name(), f.object.name));
    break;
  }
  r.diagnosis.findings = std::move(tree);
  r.diagnosis.input.subject = ref;
  r.diagnosis.input.scope = fmt::format("{}{}/{}{}", quoted ? "what reads " : "", kind, name,
                                        ref.ns.empty() ? "" : " in namespace " + ref.ns);
  return finish(r, scoped);
}

int main_impl(int argc, char** argv) {
  CLI::App app{
      "ktriage: finds why a Kubernetes cluster or its workloads misbehave, and says what to "
      "change.",
      "ktriage"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("ktriage ") + "0.1.0");

  CommonFlags flags;
  LiveFlags live;
  std::vector<std::string> paths;
  auto* diagnose = app.add_subcommand(
      "diagnose",
      "Report every problem in a snapshot, or in the live cluster when no path is given, root "
      "causes first");
  diagnose->add_option("paths", paths,
                       "Files, folders, .tar.gz bundles, or - for standard input (none: the live "
                       "cluster of the kubeconfig)");
  add_common(*diagnose, flags);
  add_live_options(*diagnose, live);

  std::string resource;
  std::vector<std::string> why_paths;
  auto* why = app.add_subcommand(
      "why", "Explain one object (pod/NAME, deploy/NAME, svc/NAME, ...): its cause tree");
  why->add_option("resource", resource, "TYPE/NAME, e.g. pod/web-7d9c-x2b")->required();
  why->add_option("paths", why_paths,
                  "Files, folders, .tar.gz bundles, or - for standard input (none: the live "
                  "cluster)");
  add_common(*why, flags);
  add_live_options(*why, live);

  std::string upgrade_to;
  std::vector<std::string> upgrade_paths;
  CommonFlags upgrade_flags;
  upgrade_flags.rules = RuleSet::kLint;
  // Exit 1 on NO-GO (a blocker is critical), 0 on GO even with warnings to fix soon.
  upgrade_flags.fail_on = "critical";
  auto* upgrade = app.add_subcommand(
      "upgrade-check",
      "What breaks or blocks an upgrade to Kubernetes X.Y: objects at removed API versions "
      "(also in last-applied-configuration), kubelets the skew policy leaves behind, Docker "
      "nodes, PodDisruptionBudgets that block drains; a go / no-go verdict");
  upgrade->add_option("--to", upgrade_to, "Target Kubernetes version, e.g. 1.31")->required();
  upgrade->add_option("paths", upgrade_paths,
                      "Snapshots, manifests (files, folders, .tar.gz, - for standard input); "
                      "none: the live cluster");
  add_output(*upgrade, upgrade_flags);
  add_live_options(*upgrade, live);

  LintFlags lint_args;
  CommonFlags lint_flags;
  lint_flags.rules = RuleSet::kLint;
  // As kube-score: what the API server rejects or loses fails CI; practice warnings are shown.
  lint_flags.fail_on = "critical";
  auto* lint = app.add_subcommand(
      "lint",
      "Check manifests before they reach a cluster: fields against the OpenAPI schemas "
      "(misspelt, wrong type, missing, unsupported values, names and labels), YAML keys written "
      "twice, and apiVersions the target release removed or deprecated");
  lint->add_option("paths", lint_args.paths, "Files, folders, .tar.gz, or - for standard input")
      ->required();
  lint->add_option("--target-version", lint_args.target,
                   "Kubernetes version to judge apiVersions against (default: the newest the "
                   "built-in table knows)");
  lint->add_option("--schema-location", lint_args.schema_location,
                   "Folder of OpenAPI v3 documents (/openapi/v3 layout, one file per "
                   "group-version); default: $KTRIAGE_SCHEMA_DIR, else the `schema pull` cache");
  lint->add_option("--crd", lint_args.crds,
                   "File or folder of CustomResourceDefinitions to validate custom resources "
                   "against (repeatable); CRDs in the linted files count too")
      ->allow_extra_args(false);  // one path per --crd, so the paths to lint may follow it
  lint->add_option(
      "--config", lint_args.config,
      "Config file with ignores by rule and path (default: ./.ktriage.yaml if present)");
  add_output(*lint, lint_flags);
  lint->add_option("--threads", lint_flags.threads,
                   "Threads reading files (default: the number of cores, at most 8; 1 reads them "
                   "one after another)");

  std::string collect_out;
  std::string collect_ns;
  bool collect_all = false;
  auto* collect = app.add_subcommand(
      "collect",
      "Read the live cluster (read-only) into a .tar.gz bundle that `diagnose` reads anywhere; "
      "tokens, passwords and keys are masked");
  collect->add_option("-o,--output", collect_out,
                      "Bundle file (default: ktriage-<context>-<time>.tar.gz)");
  collect->add_option("-n,--namespace", collect_ns,
                      "Only this namespace (and kube-system, and cluster-scoped objects)");
  collect->add_flag("-A,--all-namespaces", collect_all, "All namespaces (the default)");
  CloudFlags cloud_flags;
  collect->add_flag("--cloud", cloud_flags.enabled,
                    "Also run the Alibaba Cloud CLI (aliyun, configured) and keep its answers in "
                    "cloud/ (docs/cloud.md)");
  collect->add_option("--cluster-id", cloud_flags.plan.cluster_id,
                      "ACK cluster id for --cloud (default: the nodes' ack.aliyun.com label)");
  collect->add_option("--region", cloud_flags.plan.region,
                      "Region for --cloud (default: from the nodes' providerID)");
  collect->add_option("--ram-user", cloud_flags.plan.ram_user,
                      "RAM user whose policies --cloud lists (default: the CLI's own user)");
  add_live_options(*collect, live, "Live cluster");
  collect->footer(
      "Examples:\n"
      "  ktriage collect -o prod.tar.gz                     the current context, all namespaces\n"
      "  ktriage collect --context prod -n shop -o shop.tar.gz\n"
      "  ktriage collect --cloud -o prod.tar.gz             plus the aliyun CLI's answers in "
      "cloud/\n"
      "  ktriage collect --cloud --cluster-id c1234 --region cn-hangzhou --ram-user dev-alice\n"
      "then, anywhere:  ktriage diagnose prod.tar.gz\n"
      "--cloud needs the aliyun CLI installed and configured (aliyun configure); without it the\n"
      "Kubernetes bundle is still written and the bundle's ktriage-collect.json says why cloud/ "
      "is\n"
      "empty. Exit codes: 0 bundle written, 2 usage error or the cluster could not be read.");

  std::string schema_dir;
  auto* schema = app.add_subcommand("schema", "OpenAPI schemas for `lint`");
  schema->require_subcommand(1);
  auto* schema_pull = schema->add_subcommand(
      "pull", "Save the live API server's /openapi/v3 documents to the cache `lint` reads");
  schema_pull->add_option("--dir", schema_dir,
                          "Write into DIR/v3 instead of ~/.cache/ktriage/openapi/<X.Y>");
  add_live_options(*schema_pull, live, "Live cluster");

  LogsFlags logs_flags;
  auto* logs = add_logs_command(app, logs_flags);

  CanIFlags can_i_flags;
  auto* can_i = add_can_i_command(app, can_i_flags);

  NetcheckFlags netcheck_flags;
  auto* netcheck = add_netcheck_command(app, netcheck_flags, live);

  bool rules_json = false;
  bool rules_markdown = false;
  auto* rules =
      app.add_subcommand("rules", "List every rule with its severity and fault-catalog id");
  std::string rules_output = "text";
  rules->add_option("-o,--output", rules_output, "text, json or markdown (that of docs/rules.md)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  rules->add_flag("--json", rules_json, "Same as -o json");
  rules->add_flag("--markdown", rules_markdown, "Same as -o markdown");

  // Set last: CLI11 copies a parent's footer into the subcommands made after it, and these
  // examples are the overview's, not any one command's.
  app.footer(
      "Examples:\n"
      "  ktriage diagnose snapshot/                    every problem, root causes first\n"
      "  ktriage diagnose bundle.tar.gz -n shop -o json\n"
      "  kubectl get pods,events -n shop -o yaml | ktriage diagnose -\n"
      "  ktriage why pod/web-7d9c-x2b -n shop snapshot/\n"
      "  ktriage diagnose --context prod -A             the live cluster, read-only\n"
      "  ktriage collect -o prod.tar.gz                 a bundle to diagnose anywhere\n"
      "  ktriage upgrade-check --to 1.31 snapshot/      what blocks the upgrade, go / no-go\n"
      "  ktriage lint k8s/ --target-version 1.31        manifests before they are applied\n"
      "  journalctl -u kubelet | ktriage logs -         known failures in logs\n"
      "  ktriage can-i list pods -n shop --sa shop/web snapshot/   RBAC, offline\n"
      "  ktriage netcheck pod/shop/web-1 svc/shop/db snapshot/   can one reach the other?\n"
      "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input "
      "error.");
  const std::string_view kFindingsExit =
      "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input "
      "error.";
  diagnose->footer(fmt::format(
      "Examples:\n"
      "  ktriage diagnose snapshot/                    every problem, root causes first\n"
      "  ktriage diagnose bundle.tar.gz -n shop -o json\n"
      "  kubectl get pods,events -n shop -o yaml | ktriage diagnose -\n"
      "  ktriage diagnose --context prod -A             the live cluster, read-only\n"
      "{} A -n namespace or --kind the input has no object of, or a -l no object's labels "
      "match, is an input error.",
      kFindingsExit));
  why->footer(
      fmt::format("Examples:\n"
                  "  ktriage why pod/web-7d9c-x2b -n shop snapshot/\n"
                  "  ktriage why deploy/web -n shop --context prod   the live cluster\n"
                  "{}",
                  kFindingsExit));
  upgrade->footer(
      "Examples:\n"
      "  ktriage upgrade-check --to 1.31 snapshot/\n"
      "  ktriage upgrade-check --to 1.31 --context prod\n"
      "Exit codes: 0 GO (no blocker; warnings may remain), 1 NO-GO (a blocker: a critical "
      "finding; --fail-on warning fails on warnings too), 2 usage or input error.");
  lint->footer(
      fmt::format("Examples:\n"
                  "  ktriage lint k8s/ --target-version 1.31\n"
                  "  helm template chart/ | ktriage lint -\n"
                  "{} (--fail-on defaults to critical for lint.)",
                  kFindingsExit));
  logs->footer(
      "Examples:\n"
      "  journalctl -u kubelet | ktriage logs -\n"
      "  ktriage logs bundle/nodes/ logs/\n"
      "  ktriage logs -f /var/log/containerd.log\n"
      "Exit codes: 0 nothing at or above warning, 1 such a finding, 2 usage error, bad signature "
      "file or nothing read.");

  // "ktriage frobnicate": name the unknown command (CLI11 would only say one is required).
  if (argc > 1 && argv[1][0] != '-') {
    std::set<std::string_view> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      names.insert(sub->get_name());
    if (std::string_view(argv[1]) == "help") {  // as git and kubectl take it
      std::cout << app.help();
      return kExitOk;
    }
    if (!names.contains(argv[1])) {
      const std::string near = near_or_list(names, argv[1], "command");
      std::cerr << fmt::format(
          "ktriage: unknown command \"{}\"{}; the commands are {} (ktriage --help)\n", argv[1],
          near.starts_with("; did you mean") ? " (" + near.substr(2) + ")" : "",
          fmt::join(names, ", "));
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (diagnose->parsed()) {
    auto options = make_options(flags, paths);
    if (!options) return kExitUsage;
    auto r = run_source(*options, live, options->ns, "ktriage diagnose DIR|FILE|BUNDLE.tar.gz|-");
    if (!r) return kExitUsage;
    return finish(*r, flags);
  }
  if (why->parsed()) return run_why(resource, why_paths, flags, live);
  if (upgrade->parsed()) return run_upgrade_check(upgrade_to, upgrade_paths, upgrade_flags, live);
  if (lint->parsed()) return run_lint(lint_args, lint_flags);
  if (collect->parsed()) {
    return run_collect(live, collect_all ? "" : collect_ns, collect_out, cloud_flags);
  }
  if (schema_pull->parsed()) return run_schema_pull(live, schema_dir);
  if (logs->parsed()) return run_logs(logs_flags);
  if (can_i->parsed()) return run_can_i(can_i_flags);
  if (netcheck->parsed()) {
    CommonFlags colour;
    colour.color = netcheck_flags.color;
    colour.no_color = netcheck_flags.no_color;
    netcheck_flags.color_enabled = use_color(colour);
    return run_netcheck(netcheck_flags, live);
  }
  if (rules->parsed()) {
    return rules_markdown || rules_output == "markdown"
               ? list_rules_markdown()
               : list_rules(rules_json || rules_output == "json");
  }
  return kExitUsage;
}

}  // namespace
}  // namespace ktriage

int main(int argc, char** argv) {
  if (ktriage::names_large_input(argc, argv)) ktriage::reexec_with_huge_pages(argv);
  try {
    const int code = ktriage::main_impl(argc, argv);
    // The loaded snapshot can hold millions of small allocations; freeing them one by one at exit
    // took 5% of a 150,000-pod run. Flush and leave without running destructors.
    std::cout.flush();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ktriage: internal error: %s\n", e.what());
    return 2;
  }
}
