#include "cli/can_i.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/live_options.h"
#include "core/ascii.h"
#include "live/bundle.h"
#include "live/fetch.h"
#include "load/source.h"
#include "model/cluster.h"
#include "rbac/answer.h"
#include "rbac/defaults.h"

namespace ktriage {

namespace {

constexpr int kYes = 0;
constexpr int kNo = 1;
constexpr int kUsage = 2;

// The built-in resources of Kubernetes v1.30 as `kubectl api-resources` lists them: plural
// name, API group, singular name and short names, and whether they are cluster-scoped. kubectl
// finds these by discovery; a snapshot has none, so they are written here, and a custom
// resource is looked up in the snapshot's CustomResourceDefinitions.
struct Builtin {
  std::string_view plural, group, singular, short1, short2;
  bool cluster_scoped;
};
constexpr Builtin kBuiltins[] = {
    {"bindings", "", "binding", "", "", false},
    {"componentstatuses", "", "componentstatus", "cs", "", true},
    {"configmaps", "", "configmap", "cm", "", false},
    {"endpoints", "", "endpoints", "ep", "", false},
    {"events", "", "event", "ev", "", false},
    {"limitranges", "", "limitrange", "limits", "", false},
    {"namespaces", "", "namespace", "ns", "", true},
    {"nodes", "", "node", "no", "", true},
    {"persistentvolumeclaims", "", "persistentvolumeclaim", "pvc", "", false},
    {"persistentvolumes", "", "persistentvolume", "pv", "", true},
    {"pods", "", "pod", "po", "", false},
    {"podtemplates", "", "podtemplate", "", "", false},
    {"replicationcontrollers", "", "replicationcontroller", "rc", "", false},
    {"resourcequotas", "", "resourcequota", "quota", "", false},
    {"secrets", "", "secret", "", "", false},
    {"serviceaccounts", "", "serviceaccount", "sa", "", false},
    {"services", "", "service", "svc", "", false},
    {"mutatingwebhookconfigurations", "admissionregistration.k8s.io",
     "mutatingwebhookconfiguration", "", "", true},
    {"validatingwebhookconfigurations", "admissionregistration.k8s.io",
     "validatingwebhookconfiguration", "", "", true},
    {"validatingadmissionpolicies", "admissionregistration.k8s.io", "validatingadmissionpolicy", "",
     "", true},
    {"validatingadmissionpolicybindings", "admissionregistration.k8s.io",
     "validatingadmissionpolicybinding", "", "", true},
    {"customresourcedefinitions", "apiextensions.k8s.io", "customresourcedefinition", "crd", "crds",
     true},
    {"apiservices", "apiregistration.k8s.io", "apiservice", "", "", true},
    {"controllerrevisions", "apps", "controllerrevision", "", "", false},
    {"daemonsets", "apps", "daemonset", "ds", "", false},
    {"deployments", "apps", "deployment", "deploy", "", false},
    {"replicasets", "apps", "replicaset", "rs", "", false},
    {"statefulsets", "apps", "statefulset", "sts", "", false},
    {"selfsubjectreviews", "authentication.k8s.io", "selfsubjectreview", "", "", true},
    {"tokenreviews", "authentication.k8s.io", "tokenreview", "", "", true},
    {"localsubjectaccessreviews", "authorization.k8s.io", "localsubjectaccessreview", "", "",
     false},
    {"selfsubjectaccessreviews", "authorization.k8s.io", "selfsubjectaccessreview", "", "", true},
    {"selfsubjectrulesreviews", "authorization.k8s.io", "selfsubjectrulesreview", "", "", true},
    {"subjectaccessreviews", "authorization.k8s.io", "subjectaccessreview", "", "", true},
    {"horizontalpodautoscalers", "autoscaling", "horizontalpodautoscaler", "hpa", "", false},
    {"cronjobs", "batch", "cronjob", "cj", "", false},
    {"jobs", "batch", "job", "", "", false},
    {"certificatesigningrequests", "certificates.k8s.io", "certificatesigningrequest", "csr", "",
     true},
    {"leases", "coordination.k8s.io", "lease", "", "", false},
    {"endpointslices", "discovery.k8s.io", "endpointslice", "", "", false},
    {"flowschemas", "flowcontrol.apiserver.k8s.io", "flowschema", "", "", true},
    {"prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io", "prioritylevelconfiguration",
     "", "", true},
    {"ingressclasses", "networking.k8s.io", "ingressclass", "", "", true},
    {"ingresses", "networking.k8s.io", "ingress", "ing", "", false},
    {"networkpolicies", "networking.k8s.io", "networkpolicy", "netpol", "", false},
    {"runtimeclasses", "node.k8s.io", "runtimeclass", "", "", true},
    {"poddisruptionbudgets", "policy", "poddisruptionbudget", "pdb", "", false},
    {"clusterrolebindings", "rbac.authorization.k8s.io", "clusterrolebinding", "", "", true},
    {"clusterroles", "rbac.authorization.k8s.io", "clusterrole", "", "", true},
    {"rolebindings", "rbac.authorization.k8s.io", "rolebinding", "", "", false},
    {"roles", "rbac.authorization.k8s.io", "role", "", "", false},
    {"priorityclasses", "scheduling.k8s.io", "priorityclass", "pc", "", true},
    {"csidrivers", "storage.k8s.io", "csidriver", "", "", true},
    {"csinodes", "storage.k8s.io", "csinode", "", "", true},
    {"csistoragecapacities", "storage.k8s.io", "csistoragecapacity", "", "", false},
    {"storageclasses", "storage.k8s.io", "storageclass", "sc", "", true},
    {"volumeattachments", "storage.k8s.io", "volumeattachment", "", "", true},
};

// What a RESOURCE argument names: "plural[.group]" and its scope; `known` false when neither a
// built-in nor a CustomResourceDefinition of the input defines it (taken as written).
struct Resolved {
  std::string text;
  bool cluster_scoped = false;
  bool known = false;
};

// Whether `base` is one of a CRD's names (spec.names: plural, singular, shortNames), any case.
bool crd_names_match(const Value& names, std::string_view base) {
  bool match = equal_ignoring_case(base, names["plural"].str()) ||
               equal_ignoring_case(base, names["singular"].str());
  for (const Value& s : names["shortNames"].items())
    match = match || equal_ignoring_case(base, s.str());
  return match;
}

// NAME[.GROUP][/SUBRESOURCE] by the built-ins, then by the CRDs of `cluster` (may be null).
Resolved resolve_resource(std::string_view text, const Cluster* cluster) {
  const auto slash = text.find('/');
  const std::string sub = slash == std::string_view::npos ? "" : std::string(text.substr(slash));
  std::string_view base = text.substr(0, slash);
  std::string_view group;
  bool has_group = false;
  if (const auto dot = base.find('.'); dot != std::string_view::npos) {
    group = base.substr(dot + 1);
    base = base.substr(0, dot);
    has_group = true;
  }
  auto full = [&](std::string_view plural, std::string_view g) {
    return std::string(plural) + (g.empty() ? "" : "." + std::string(g)) + sub;
  };
  for (const Builtin& b : kBuiltins) {
    if (has_group && !equal_ignoring_case(group, b.group)) continue;
    if (equal_ignoring_case(base, b.plural) || equal_ignoring_case(base, b.singular) ||
        (!b.short1.empty() && equal_ignoring_case(base, b.short1)) ||
        (!b.short2.empty() && equal_ignoring_case(base, b.short2)))
      return {full(b.plural, b.group), b.cluster_scoped, true};
  }
  if (cluster != nullptr) {
    for (const Object* crd : cluster->of_kind("CustomResourceDefinition")) {
      const Value& names = crd->spec()["names"];
      const std::string_view g = crd->spec()["group"].str();
      if (has_group && !equal_ignoring_case(group, g)) continue;
      if (crd_names_match(names, base) && !names["plural"].str().empty())
        return {full(names["plural"].str(), g), crd->spec()["scope"].str() == "Cluster", true};
    }
  }
  return {std::string(text), false, false};
}

// Where the input names the resource of `text` (NAME[.GROUP][/SUBRESOURCE]) in an API group
// other than the one asked: CustomResourceDefinitions of any group (by plural, singular or short
// name), then Role and ClusterRole rules that list the name. Maps "plural.group" to the first
// object that names it ("CustomResourceDefinition orders.shop.example.io", "Role shop/op").
// For a RESOURCE resolve_resource did not know, as kubectl's "the server doesn't have a resource
// type" hint: the likely fix is the group. `as_asked` is set when a rule lists the name in the
// group asked: a snapshot of RBAC objects alone has no CRDs, and a rule is enough evidence then.
// O(CRDs + rules).
std::map<std::string, std::string> other_groups_naming(std::string_view text,
                                                       const Cluster& cluster, bool& as_asked) {
  as_asked = false;
  std::string_view base = text.substr(0, text.find('/'));
  std::string_view asked_group;
  if (const auto dot = base.find('.'); dot != std::string_view::npos) {
    asked_group = base.substr(dot + 1);
    base = base.substr(0, dot);
  }
  std::map<std::string, std::string> out;
  for (const Object* crd : cluster.of_kind("CustomResourceDefinition")) {
    const Value& names = crd->spec()["names"];
    const std::string_view g = crd->spec()["group"].str();
    if (crd_names_match(names, base) && !g.empty() && !names["plural"].str().empty() &&
        !equal_ignoring_case(asked_group, g))
      out.try_emplace(fmt::format("{}.{}", names["plural"].str(), g),
                      fmt::format("CustomResourceDefinition {}", crd->name));
  }
  for (std::string_view kind : {"Role", "ClusterRole"}) {
    for (const Object* role : cluster.of_kind(kind)) {
      for (const Value& rule : (*role)["rules"].items()) {
        bool listed = false;
        for (const Value& r : rule["resources"].items())
          listed = listed || equal_ignoring_case(base, r.str());
        if (!listed) continue;
        for (const Value& g : rule["apiGroups"].items()) {
          if (equal_ignoring_case(asked_group, g.str())) as_asked = true;
          // "" is the core group (where an unknown name is asked anyway), "*" names no group.
          if (g.str().empty() || g.str() == "*" || equal_ignoring_case(asked_group, g.str()))
            continue;
          out.try_emplace(fmt::format("{}.{}", ascii_lower(base), g.str()),
                          role->ns.empty() ? fmt::format("{} {}", kind, role->name)
                                           : fmt::format("{} {}/{}", kind, role->ns, role->name));
        }
      }
    }
  }
  return out;
}

// A positional argument after VERB RESOURCE [NAME] is a SOURCE when it is "-", has a '/' (no
// object name has one: ./web-0, snapshot/, /tmp/x), or is an existing file or folder named like
// a snapshot (*.yaml, *.yml, *.json, *.tar.gz, *.tgz). Anything else in NAME's place is NAME.
bool looks_like_source(const std::string& arg) {
  if (arg == "-" || arg.find('/') != std::string::npos) return true;
  std::error_code ec;
  for (std::string_view ext : {".yaml", ".yml", ".json", ".tar.gz", ".tgz"}) {
    if (arg.ends_with(ext) && std::filesystem::exists(arg, ec)) return true;
  }
  return false;
}

// A ServiceAccount or namespace the snapshot does not hold (a typo, or a snapshot of another
// cluster) is said: RBAC answers for any name, so "no" alone would read as a verdict on a real
// subject. Only when the snapshot lists such objects at all (an RBAC-only file lists none).
void note_absent(const Cluster& cluster, const CanIFlags& f, const rbac::AccessRequest& request,
                 std::vector<std::string>& notes) {
  const auto slash = f.sa.find('/');
  if (!f.sa.empty() && slash != std::string::npos && !cluster.of_kind("ServiceAccount").empty() &&
      cluster.find("ServiceAccount", f.sa.substr(0, slash), f.sa.substr(slash + 1)) == nullptr) {
    notes.push_back(fmt::format(
        "ServiceAccount {} is not in the snapshot: the answer is for a ServiceAccount of that "
        "name, should one exist",
        f.sa));
  }
  // The Namespace objects when the snapshot has them, else the namespaces its objects name when
  // it has pods (a snapshot, not an RBAC-only file).
  const auto has_namespace = [&](std::string_view ns) {
    if (!cluster.of_kind("Namespace").empty()) return cluster.find("Namespace", "", ns) != nullptr;
    if (cluster.of_kind("Pod").empty()) return true;
    const auto objects = cluster.objects();
    return std::any_of(objects.begin(), objects.end(), [&](const Object& o) { return o.ns == ns; });
  };
  if (!request.ns.empty() && !has_namespace(request.ns)) {
    notes.push_back(fmt::format(
        "namespace {} is not in the snapshot: the answer is for a namespace of that name, "
        "should one exist",
        request.ns));
  }
}

// The identity asked about: --sa, else --as (with --as-group); nullopt with a message.
std::optional<rbac::UserInfo> identity(const CanIFlags& f) {
  if (!f.sa.empty()) {
    const auto slash = f.sa.find('/');
    if (!f.as.empty()) {
      std::cerr << "ktriage can-i: give --sa or --as, not both (--sa NS/NAME is --as "
                   "system:serviceaccount:NS:NAME)\n";
      return std::nullopt;
    }
    if (slash == std::string::npos || slash == 0 || slash + 1 == f.sa.size()) {
      std::cerr << fmt::format("ktriage can-i: --sa \"{}\" is not NAMESPACE/NAME\n", f.sa);
      return std::nullopt;
    }
    rbac::UserInfo u =
        rbac::UserInfo::for_service_account(f.sa.substr(0, slash), f.sa.substr(slash + 1));
    for (const std::string& g : f.as_groups) u.groups.push_back(g);
    return u;
  }
  if (f.as.empty()) {
    std::cerr << "ktriage can-i: say who asks: --as USER [--as-group G] or --sa NAMESPACE/NAME "
                 "(a snapshot has no current user), or use --who\n";
    return std::nullopt;
  }
  return rbac::UserInfo::for_user(f.as, f.as_groups);
}

// VERB RESOURCE [NAME] [SOURCE...] into the request and the sources; false after a message.
bool read_args(const CanIFlags& f, rbac::AccessRequest& r, std::vector<std::string>& sources) {
  if (f.args.size() < 2) {
    std::cerr << "ktriage can-i: expected VERB RESOURCE [NAME] SOURCE (see --help)\n";
    return false;
  }
  r.verb = f.args[0];
  if (auto err = rbac::parse_resource_arg(resolve_resource(f.args[1], nullptr).text, r)) {
    std::cerr << "ktriage can-i: " << *err << "\n";
    return false;
  }
  // [NAME] then SOURCE...: only the first extra argument may be NAME, and only when it does not
  // look like a source (looks_like_source); a non-resource URL takes no NAME.
  for (std::size_t i = 2; i < f.args.size(); ++i) {
    if (i == 2 && r.is_resource() && !looks_like_source(f.args[i])) {
      r.name = f.args[i];
    } else {
      sources.push_back(f.args[i]);
    }
  }
  if (!f.subresource.empty()) {
    if (!r.is_resource() || !r.subresource.empty()) {
      std::cerr << "ktriage can-i: --subresource needs a RESOURCE without one\n";
      return false;
    }
    r.subresource = f.subresource;
  }
  return true;
}

// The request's namespace: -n, else the kubeconfig context's (live) or "default" (a snapshot);
// none for -A, non-resource URLs and cluster-scoped resources.
void scope_request(const CanIFlags& f, std::string_view context_ns, bool cluster_scoped,
                   rbac::AccessRequest& r) {
  if (!r.is_resource()) return;
  if (f.all_namespaces || cluster_scoped) {
    r.ns.clear();
  } else {
    r.ns = !f.ns.empty() ? f.ns : context_ns.empty() ? std::string("default") : context_ns;
  }
}

// The live cluster's Roles, ClusterRoles and bindings (four paginated lists, no logs); nullptr
// after printing why. `context_ns` receives the kubeconfig context's namespace.
std::unique_ptr<Cluster> read_live_rbac(const CanIFlags& f, std::string& context_ns) {
  auto client = connect(f.live, f.ns,
                        "ktriage can-i VERB RESOURCE [NAME] --as USER DIR|FILE|BUNDLE.tar.gz|-");
  if (!client) return nullptr;
  context_ns = (*client)->config().ns;
  FetchOptions options;
  options.logs = false;
  options.page_size = std::max<std::size_t>(1, f.live.chunk_size);
  options.workers = std::max(1, f.live.max_inflight);
  options.only_resources = {"roles", "rolebindings", "clusterroles", "clusterrolebindings"};
  auto snap = fetch_snapshot(**client, options);
  if (!snap) {
    std::cerr << "ktriage can-i: " << snap.error() << "\n";
    return nullptr;
  }
  for (const std::string& p : snap->problems) std::cerr << "ktriage can-i: " << p << "\n";
  return Cluster::build(load_snapshot(*snap, "live/"));
}

}  // namespace

CLI::App* add_can_i_command(CLI::App& app, CanIFlags& f) {
  auto* cmd = app.add_subcommand(
      "can-i",
      "Whether a user or service account may do something, by the snapshot's RBAC (kubectl auth "
      "can-i offline): which binding, role and rule allow it, or what comes closest and the "
      "smallest Role and binding that would");
  cmd->add_option("args", f.args,
                  "VERB RESOURCE [NAME] [SOURCE...]: RESOURCE is pods, pods/log, "
                  "deployments.apps, a kubectl name, singular or short name (deploy, svc, role, "
                  "netpol), a custom resource of the input's CRDs, or a non-resource URL "
                  "(/healthz); SOURCE is a snapshot: files, folders, .tar.gz, - for standard "
                  "input (none: the live cluster's RBAC objects, read with GET)")
      ->required();
  cmd->add_option("-n,--namespace", f.ns,
                  "Namespace of the request (default: on a live cluster the kubeconfig "
                  "context's namespace, else \"default\")");
  cmd->add_flag("-A,--all-namespaces", f.all_namespaces,
                "Ask at the cluster scope (in all namespaces)");
  cmd->add_option("--as", f.as, "User to ask for (system:serviceaccount:NS:NAME too)");
  cmd->add_option("--as-group", f.as_groups, "Group of that user (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--sa", f.sa, "Service account to ask for: NAMESPACE/NAME");
  cmd->add_option("--subresource", f.subresource, "Subresource: log, exec, status, scale, ...");
  cmd->add_flag("--who", f.who, "List every subject that may do it, with the binding that lets it");
  cmd->add_option("-o,--output", f.output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  // The answer is plain text; the colour flags every other command takes are accepted, so that
  // a wrapper passing them everywhere works.
  cmd->add_option("--color", f.color, "Accepted for every command's sake: the answer has no colour")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-color", f.no_color, "Same as --color=never");
  add_live_connection_options(*cmd, f.live, "Live cluster (when no SOURCE is given)");
  cmd->footer(
      "Examples:\n"
      "  ktriage can-i list pods -n shop --sa shop/web snapshot/\n"
      "  ktriage can-i get pods/log web-0 -n shop --as jane --as-group devs bundle.tar.gz\n"
      "  ktriage can-i patch deployments.apps/scale -n shop --as ci dump/\n"
      "  ktriage can-i get /metrics --sa monitoring/agent snapshot/\n"
      "  ktriage can-i list nodes --who snapshot/         who may, and through which binding\n"
      "  ktriage can-i list secrets -n shop --as jane      the live cluster's RBAC (read-only)\n"
      "  kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml | ktriage "
      "can-i list secrets -n shop --as jane -\n"
      "NAME or SOURCE: the argument after RESOURCE is NAME unless it is -, contains a / "
      "(snapshot/,\n"
      "./dump) or is an existing *.yaml, *.yml, *.json, *.tar.gz or *.tgz; every later argument\n"
      "is a SOURCE. So write a folder as snapshot/ or ./snapshot. Without SOURCE the Roles,\n"
      "ClusterRoles and bindings of the kubeconfig's cluster are listed. A RESOURCE that is\n"
      "neither built in nor defined by a CRD of the snapshot is asked as written, with a warning.\n"
      "Cluster-scoped resources (nodes, namespaces, ...) are asked at the cluster scope whatever\n"
      "-n says.\n"
      "Exit codes: 0 yes (--who: someone may), 1 no, 2 usage or input error.");
  return cmd;
}

int run_can_i(const CanIFlags& f) {
  rbac::AccessRequest request;
  std::vector<std::string> sources;
  if (!read_args(f, request, sources)) return kUsage;
  std::optional<rbac::UserInfo> user;
  if (!f.who && !(user = identity(f))) return kUsage;
  // Caveats said in the answer itself, next to the decision and the grant they qualify.
  std::vector<std::string> notes;
  if (!rbac::is_known_verb(request)) {
    // kubectl auth can-i's warning, with the verb it most likely misspells, and still an
    // answer, as kubectl still asks the API server.
    const std::string typo = rbac::nearest_known_verb(request);
    const std::string hint = typo.empty() ? "" : fmt::format(" (did you mean {}?)", typo);
    std::cerr << fmt::format("ktriage can-i: warning: verb '{}' is not a known verb{}\n",
                             request.verb, hint);
    notes.push_back(fmt::format(
        "verb \"{}\" is not one the API server knows ({}), so no real request has it; this "
        "answer{} takes it as written{}",
        request.verb, rbac::known_verbs_text(request), f.who ? "" : " and any grant below",
        typo.empty() ? "" : fmt::format(" (did you mean {}?)", typo)));
  }
  // A SOURCE that does not exist is a usage error, said as such: the loader only notes it as a
  // skipped file, and the answer would then blame the input for having no RBAC objects.
  for (const std::string& source : sources) {
    std::error_code ec;
    if (source != "-" && !std::filesystem::exists(std::filesystem::status(source, ec))) {
      // status() sets ec for what is not "not found" (a parent folder without permission).
      std::cerr << fmt::format("ktriage can-i: {}: {}\n", source,
                               ec && ec != std::errc::no_such_file_or_directory
                                   ? ec.message()
                                   : "no such file or folder");
      return kUsage;
    }
  }
  std::string context_ns;
  auto cluster =
      sources.empty() ? read_live_rbac(f, context_ns) : Cluster::build(load_sources(sources));
  if (cluster == nullptr) return kUsage;
  bool cluster_scoped = false;
  if (request.is_resource()) {
    // Now that the input's CRDs are known: a custom resource's plural, group and scope.
    const Resolved resolved = resolve_resource(f.args[1], cluster.get());
    const std::string name = request.name;
    const std::string subresource = request.subresource;
    rbac::parse_resource_arg(resolved.text, request);
    if (!subresource.empty()) request.subresource = subresource;  // --subresource
    request.name = name;
    cluster_scoped = resolved.cluster_scoped;
    // kubectl warns so (from discovery); a live read lists no CRDs, so only a snapshot can tell.
    bool as_asked = false;
    const auto elsewhere = resolved.known || sources.empty()
                               ? std::map<std::string, std::string>()
                               : other_groups_naming(f.args[1], *cluster, as_asked);
    if (!resolved.known && !sources.empty() && !as_asked) {
      // Said on stderr as kubectl does, and in the answer when the input shows the group the
      // name most likely lives in, since the grant would otherwise name the core group.
      std::vector<std::string> hints;
      std::vector<std::string> wheres;
      for (const auto& [full, where] : elsewhere) {
        hints.push_back(full);
        wheres.push_back(fmt::format("{} names it in API group {}", where,
                                     std::string_view(full).substr(full.find('.') + 1)));
      }
      const std::string hint = hints.empty()
                                   ? std::string()
                                   : fmt::format("; {}: did you mean {}?", fmt::join(wheres, ", "),
                                                 fmt::join(hints, " or "));
      std::cerr << fmt::format(
          "ktriage can-i: warning: the server doesn't have a resource type \"{}\": neither a "
          "built-in resource of Kubernetes v1.30 nor a CustomResourceDefinition of the input; "
          "asking for it as written{}\n",
          request.resource_text(), hint);
      if (!hints.empty())
        notes.push_back(fmt::format(
            "\"{}\" is neither a built-in resource nor a CustomResourceDefinition of the input, "
            "so it is asked as written, in {}{}",
            request.resource_text(),
            request.group.empty() ? std::string("the core API group (\"\")")
                                  : fmt::format("API group \"{}\"", request.group),
            hint));
    }
  }
  scope_request(f, context_ns, cluster_scoped, request);
  for (const InputIssue& i : cluster->issues()) {
    if (i.skipped_file) continue;  // a snapshot's logs and notes: not RBAC's business
    std::cerr << fmt::format("ktriage can-i: {}: {}\n", i.where.to_string(), i.message);
  }
  const rbac::Policy policy(*cluster);
  if (policy.empty()) {
    std::cerr << "ktriage can-i: the input has no Role, ClusterRole, RoleBinding or "
                 "ClusterRoleBinding: nothing to evaluate\n";
    return kUsage;
  }
  for (const std::string& p : policy.problems()) std::cerr << "ktriage can-i: " << p << "\n";
  note_absent(*cluster, f, request, notes);
  const bool json = f.output == "json";
  // Without the built-in roles the input cannot say what every cluster grants: say so when it
  // matters, for a "no" and for --who's list (RBAC only adds, so a "yes" stands).
  if (f.who) {
    for (std::string& n : rbac::bootstrap_notes(*cluster, request, nullptr))
      notes.push_back(std::move(n));
    const auto holders = rbac::who_can(policy, request);
    std::cout << (json ? rbac::holders_json(request, holders, notes)
                       : rbac::holders_text(request, holders, notes));
    return holders.empty() ? kNo : kYes;
  }
  const rbac::Decision d = rbac::evaluate(policy, *user, request);
  if (!d.allowed) {
    for (std::string& n : rbac::bootstrap_notes(*cluster, request, &*user))
      notes.push_back(std::move(n));
  }
  std::cout << (json ? rbac::answer_json(policy, *user, request, d, notes)
                     : rbac::answer_text(policy, *user, request, d, notes));
  return d.allowed ? kYes : kNo;
}

}  // namespace ktriage
