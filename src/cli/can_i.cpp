#include "cli/can_i.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "live/bundle.h"
#include "live/fetch.h"
#include "load/source.h"
#include "model/cluster.h"
#include "rbac/answer.h"

namespace ktriage {

namespace {

constexpr int kYes = 0;
constexpr int kNo = 1;
constexpr int kUsage = 2;

// kubectl's short names and singular kinds for the common resources, as discovery would map
// them (kubectl api-resources, v1.30). Anything else is taken as written: PLURAL[.GROUP].
struct Alias {
  std::string_view alias, resource;
};
constexpr Alias kAliases[] = {
    {"po", "pods"},
    {"pod", "pods"},
    {"svc", "services"},
    {"service", "services"},
    {"cm", "configmaps"},
    {"configmap", "configmaps"},
    {"secret", "secrets"},
    {"sa", "serviceaccounts"},
    {"ns", "namespaces"},
    {"namespace", "namespaces"},
    {"no", "nodes"},
    {"node", "nodes"},
    {"ep", "endpoints"},
    {"ev", "events"},
    {"pvc", "persistentvolumeclaims"},
    {"pv", "persistentvolumes"},
    {"deploy", "deployments.apps"},
    {"deployment", "deployments.apps"},
    {"deployments", "deployments.apps"},
    {"rs", "replicasets.apps"},
    {"replicasets", "replicasets.apps"},
    {"sts", "statefulsets.apps"},
    {"statefulsets", "statefulsets.apps"},
    {"ds", "daemonsets.apps"},
    {"daemonsets", "daemonsets.apps"},
    {"job", "jobs.batch"},
    {"jobs", "jobs.batch"},
    {"cj", "cronjobs.batch"},
    {"cronjobs", "cronjobs.batch"},
    {"ing", "ingresses.networking.k8s.io"},
    {"ingresses", "ingresses.networking.k8s.io"},
    {"netpol", "networkpolicies.networking.k8s.io"},
    {"networkpolicies", "networkpolicies.networking.k8s.io"},
    {"hpa", "horizontalpodautoscalers.autoscaling"},
    {"pdb", "poddisruptionbudgets.policy"},
    {"roles", "roles.rbac.authorization.k8s.io"},
    {"rolebindings", "rolebindings.rbac.authorization.k8s.io"},
    {"clusterroles", "clusterroles.rbac.authorization.k8s.io"},
    {"clusterrolebindings", "clusterrolebindings.rbac.authorization.k8s.io"},
    {"crd", "customresourcedefinitions.apiextensions.k8s.io"},
    {"customresourcedefinitions", "customresourcedefinitions.apiextensions.k8s.io"},
    {"leases", "leases.coordination.k8s.io"},
    {"sc", "storageclasses.storage.k8s.io"},
    {"storageclasses", "storageclasses.storage.k8s.io"},
};

// Cluster-scoped resources: asked at the cluster scope whatever -n says (kubectl knows this
// from discovery).
constexpr std::string_view kClusterScoped[] = {"nodes",
                                               "namespaces",
                                               "persistentvolumes",
                                               "clusterroles",
                                               "clusterrolebindings",
                                               "customresourcedefinitions",
                                               "storageclasses",
                                               "ingressclasses",
                                               "priorityclasses",
                                               "apiservices",
                                               "mutatingwebhookconfigurations",
                                               "validatingwebhookconfigurations",
                                               "certificatesigningrequests",
                                               "csidrivers",
                                               "csinodes",
                                               "volumeattachments",
                                               "runtimeclasses",
                                               "componentstatuses"};

std::string expand_alias(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view base = text.substr(0, slash);
  for (const Alias& a : kAliases) {
    if (a.alias == base)
      return std::string(a.resource) +
             (slash == std::string_view::npos ? "" : std::string(text.substr(slash)));
  }
  return std::string(text);
}

bool looks_like_source(const std::string& arg) {
  std::error_code ec;
  return arg == "-" || std::filesystem::exists(arg, ec);
}

// The identity asked about: --sa, else --as (with --as-group); nullopt with a message.
std::optional<rbac::UserInfo> identity(const CanIFlags& f) {
  if (!f.sa.empty()) {
    const auto slash = f.sa.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == f.sa.size() || !f.as.empty()) {
      std::cerr << fmt::format(
          "ktriage can-i: --sa \"{}\" is not NAMESPACE/NAME (and cannot go with --as)\n", f.sa);
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
  if (auto err = rbac::parse_resource_arg(expand_alias(f.args[1]), r)) {
    std::cerr << "ktriage can-i: " << *err << "\n";
    return false;
  }
  for (std::size_t i = 2; i < f.args.size(); ++i) {
    if (looks_like_source(f.args[i]) || !r.name.empty() || !r.is_resource()) {
      sources.push_back(f.args[i]);
    } else {
      r.name = f.args[i];
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
void scope_request(const CanIFlags& f, std::string_view context_ns, rbac::AccessRequest& r) {
  if (!r.is_resource()) return;
  bool cluster_scoped = false;
  for (std::string_view c : kClusterScoped) cluster_scoped = cluster_scoped || c == r.resource;
  if (f.all_namespaces || cluster_scoped) {
    r.ns.clear();
  } else {
    r.ns = !f.ns.empty() ? f.ns : context_ns.empty() ? std::string("default") : context_ns;
  }
}

// The live cluster's Roles, ClusterRoles and bindings (four paginated lists, no logs); nullptr
// after printing why. `context_ns` receives the kubeconfig context's namespace.
std::unique_ptr<Cluster> read_live_rbac(const CanIFlags& f, std::string& context_ns) {
  auto client = connect(f.live, f.ns);
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
                  "deployments.apps, a short name (deploy, svc) or a non-resource URL (/healthz); "
                  "SOURCE is a snapshot: files, folders, .tar.gz, - for standard input (none: "
                  "the live cluster's RBAC objects, read with GET)")
      ->required();
  cmd->add_option("-n,--namespace", f.ns,
                  "Namespace of the request (default: the kubeconfig context's live, else "
                  "default)");
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
  const char* group = "Live cluster (when no SOURCE is given)";
  cmd->add_option("--kubeconfig", f.live.kubeconfig,
                  "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)")
      ->group(group);
  cmd->add_option("--context", f.live.context, "kubeconfig context (default: current-context)")
      ->group(group);
  cmd->add_option("--user", f.live.user, "kubeconfig user to use instead of the context's")
      ->group(group);
  cmd->add_option("--request-timeout", f.live.request_timeout,
                  "Time limit of one API request: 30s, 2m, 0 for none (default 60s)")
      ->group(group);
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
      "A NAME that is also an existing path is read as a SOURCE; without SOURCE the Roles,\n"
      "ClusterRoles and bindings of the kubeconfig's cluster are listed. Cluster-scoped resources\n"
      "(nodes, namespaces, ...) are asked at the cluster scope whatever -n says.\n"
      "Exit codes: 0 yes (--who: someone may), 1 no, 2 usage or input error.");
  return cmd;
}

int run_can_i(const CanIFlags& f) {
  rbac::AccessRequest request;
  std::vector<std::string> sources;
  if (!read_args(f, request, sources)) return kUsage;
  std::optional<rbac::UserInfo> user;
  if (!f.who && !(user = identity(f))) return kUsage;
  std::string context_ns;
  auto cluster =
      sources.empty() ? read_live_rbac(f, context_ns) : Cluster::build(load_sources(sources));
  if (cluster == nullptr) return kUsage;
  scope_request(f, context_ns, request);
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
  const bool json = f.output == "json";
  if (f.who) {
    const auto holders = rbac::who_can(policy, request);
    std::cout << (json ? rbac::holders_json(request, holders)
                       : rbac::holders_text(request, holders));
    return holders.empty() ? kNo : kYes;
  }
  const rbac::Decision d = rbac::evaluate(policy, *user, request);
  std::cout << (json ? rbac::answer_json(*user, request, d) : rbac::answer_text(*user, request, d));
  return d.allowed ? kYes : kNo;
}

}  // namespace ktriage
