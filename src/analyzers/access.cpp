// Requests the API server refused (HTTP 403) that pods logged or events recorded, checked against
// the snapshot's RBAC. One finding per workload (the pod's top owner), identity and refused
// request: the subject, what comes closest to granting it, and the smallest Role (or ClusterRole)
// and binding that would. When the snapshot grants it after all, an info finding says so: the
// log is older than the fix, or the request came through another path (a webhook, RAM).
// Catalog: fault-catalog.md section 5 (ACK-RAM-RBAC-FORBIDDEN, ACK-RAM-LEGACY-CSADMIN-NO-CRD).
//
// Where the texts come from: the API server's forbidden message (rbac/forbidden.h names the
// wordings and versions), quoted by client-go's reflector ("failed to list *v1.Pod: pods is
// forbidden: ..."), controller-runtime and most clients, often JSON-escaped in structured logs.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "rbac/evaluate.h"
#include "rbac/forbidden.h"
#include "rbac/grant.h"
#include "rbac/reuse.h"
#include "rbac/rule_match.h"

namespace ktriage {
namespace {

constexpr std::string_view kRbacDoc =
    "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";

// clang-format off
constexpr Rule kForbidden{"rbac-forbidden", "ACK-RAM-RBAC-FORBIDDEN", Severity::kWarning,
    "The API server refuses a request the workload makes: its identity lacks the RBAC permission",
    "Bind the workload's ServiceAccount (or the user) to a Role or ClusterRole that grants the "
    "verb on the resource, in the namespace it asks in.", kRbacDoc};
constexpr Rule kGrantedNow{"rbac-forbidden-now-granted", "ACK-RAM-RBAC-FORBIDDEN", Severity::kInfo,
    "A logged RBAC refusal that the snapshot's roles and bindings now grant",
    "Nothing to grant: restart the workload if it gave up after the refusal, and check that the "
    "refusal does not come back.", kRbacDoc};
constexpr Rule kLegacyCsAdmin{"rbac-legacy-cs-admin-no-crd", "ACK-RAM-LEGACY-CSADMIN-NO-CRD",
    Severity::kWarning,
    "The old ACK cs:admin ClusterRole does not cover CustomResourceDefinitions",
    "Bind cluster-admin instead of cs:admin, or give cs:admin the rule apiGroups ['*'], resources "
    "['*'], verbs ['*'] plus nonResourceURLs ['*'].",
    "https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/authorization-management-faq"};
// clang-format on
constexpr Rule kRules[] = {kForbidden, kGrantedNow, kLegacyCsAdmin};

// Lines of evidence kept per refusal: the first and the latest are enough to date it.
constexpr std::size_t kEvidenceLines = 2;

/// One refused request of one identity, seen from one workload.
struct Refusal {
  ObjectRef owner;
  rbac::Forbidden first;  ///< the request (its name cleared when names differ) and reason
  std::set<std::string> names;
  std::vector<ObjectRef> pods;
  const Object* pod = nullptr;     ///< the first pod object whose log shows it, for its identity
  std::vector<Evidence> evidence;  ///< log lines and events, in the order found
  std::size_t seen = 0;            ///< log lines plus event counts
  std::size_t kept_lines = 0;
  Evidence last_line;  ///< the latest log line beyond the first kEvidenceLines - 1
  bool has_last = false;
  bool leader_election = false;  ///< on a leader-election lock (rbac::is_leader_election_lock)
};

using Refusals = std::map<std::string, Refusal>;  // ordered: deterministic output

std::string refusal_key(const ObjectRef& owner, const rbac::Forbidden& f) {
  rbac::AccessRequest r = f.request;
  r.name.clear();
  return owner.key() + "|" + f.user + "|" + r.describe();
}

Refusal& note(Refusals& all, const ObjectRef& owner, const rbac::Forbidden& f) {
  auto [it, fresh] = all.try_emplace(refusal_key(owner, f));
  Refusal& r = it->second;
  if (fresh) {
    r.owner = owner;
    r.first = f;
  }
  if (!f.request.name.empty()) r.names.insert(f.request.name);
  return r;
}

void add_pod(Refusal& r, const ObjectRef& pod) {
  for (const ObjectRef& p : r.pods) {
    if (p.key() == pod.key()) return;
  }
  r.pods.push_back(pod);
}

ObjectRef owner_of(const Cluster& cluster, const Object* obj, const ObjectRef& fallback) {
  return obj == nullptr ? fallback : cluster.top_owner(*obj).ref();
}

// Every forbidden line of every container log (also of pods the snapshot has no object for).
void scan_logs(const Cluster& cluster, Refusals& all) {
  for (const ContainerLog& log : cluster.container_logs()) {
    if (!rbac::may_be_forbidden(log.text)) continue;
    const Object* pod = cluster.find("Pod", log.ns, log.pod);
    const ObjectRef pod_ref = pod != nullptr ? pod->ref() : ObjectRef{"Pod", log.ns, log.pod, ""};
    std::string_view text = log.text;
    std::uint32_t line = log.first_line;
    for (std::size_t at = 0; at < text.size(); ++line) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      const std::string_view l = text.substr(at, end - at);
      at = end + 1;
      auto f = rbac::parse_forbidden(l);
      if (!f) continue;
      Refusal& r = note(all, owner_of(cluster, pod, pod_ref), *f);
      r.leader_election = r.leader_election || rbac::is_leader_election_lock(f->request, l);
      add_pod(r, pod_ref);
      if (r.pod == nullptr) r.pod = pod;
      Evidence ev;
      ev.kind = Evidence::Kind::kLog;
      ev.object = pod_ref.kubectl_name();
      ev.file = log.file;
      ev.line = line;
      ev.value = shorten(l, 400);
      ++r.seen;
      if (r.kept_lines + 1 < kEvidenceLines) {
        r.evidence.push_back(std::move(ev));
        ++r.kept_lines;
      } else {
        r.last_line = std::move(ev);
        r.has_last = true;
      }
    }
  }
}

// Every event whose message is a forbidden message (controllers record their refusals).
void scan_events(const Cluster& cluster, Refusals& all) {
  for (const Event& e : cluster.events()) {
    if (!rbac::may_be_forbidden(e.message)) continue;
    auto f = rbac::parse_forbidden(e.message);
    if (!f) continue;
    const Object* obj = cluster.find(e.kind, e.ns, e.name);
    const ObjectRef ref = obj != nullptr ? obj->ref()
                                         : ObjectRef{std::string(e.kind), std::string(e.ns),
                                                     std::string(e.name), std::string(e.uid)};
    Refusal& r = note(all, owner_of(cluster, obj, ref), *f);
    r.leader_election = r.leader_election || rbac::is_leader_election_lock(f->request, e.message);
    add_pod(r, ref);  // also_affects: the events analyzer then leaves the event to this finding
    r.evidence.push_back(event_evidence(cluster, e));
    r.seen += static_cast<std::size_t>(std::max<std::int64_t>(e.count, 1));
  }
}

std::string who_text(std::string_view user) {
  if (auto sa = rbac::service_account_of(user))
    return fmt::format("ServiceAccount {}/{}", sa->first, sa->second);
  return fmt::format("User {}", user);
}

std::string closest_text(const rbac::NearMiss& m) {
  std::string out = fmt::format("closest grant: {} -> {}", rbac::binding_text(m.binding),
                                rbac::role_text(m.binding));
  if (m.rule) out += fmt::format(", rule {} ({})", m.rule->index, rbac::rule_text(*m.rule->rule));
  out += fmt::format(": lacks {}", fmt::join(m.misses, "; "));
  return out;
}

// Whether the user is bound to ACK's pre-2019 cs:admin ClusterRole (catalog
// ACK-RAM-LEGACY-CSADMIN-NO-CRD). O(bindings).
bool bound_to_cs_admin(const rbac::Policy& policy, const rbac::UserInfo& user) {
  auto bound = [&](const rbac::Binding& b) {
    if (b.role_kind != "ClusterRole" || b.role_name != "cs:admin") return false;
    const std::string_view ns = b.cluster_wide() ? std::string_view() : b.object->ns;
    for (const Value& s : (*b.object)["subjects"].items()) {
      if (rbac::subject_applies(s, user, ns)) return true;
    }
    return false;
  };
  for (const rbac::Binding& b : policy.cluster_role_bindings()) {
    if (bound(b)) return true;
  }
  for (const rbac::Binding& b : policy.all_role_bindings()) {
    if (bound(b)) return true;
  }
  return false;
}

std::string seen_text(const Refusal& r) {
  return fmt::format("refused {} time{}", r.seen, r.seen == 1 ? "" : "s");
}

// The fix text: reusing an existing role first (reuse.h), then the smallest new role for the
// refused request, or for the lock's whole cycle when it is leader election.
std::string grant_fix(const rbac::Policy& policy, const rbac::AccessRequest& request,
                      const std::string& user, const rbac::Decision& d, bool leader_election) {
  std::vector<std::string> reuse = rbac::reuse_fixes(policy, request, d);
  std::string out;
  // A binding to a missing role is the root cause: repointing it beats a new role.
  if (!reuse.empty() && !reuse[0].starts_with("Or "))
    out = reuse[0] + "\nOr grant ";
  else
    out = "Grant ";
  const std::string_view role_kind =
      request.is_resource() && !request.ns.empty() ? "Role" : "ClusterRole";
  if (leader_election) {
    // is_leader_election_lock: always a namespaced resource request.
    const std::string what =
        request.resource_text() +
        (request.name.empty() ? std::string() : fmt::format(" \"{}\"", request.name)) +
        fmt::format(" in namespace {}", request.ns);
    out += fmt::format(
        "{} leader election on its lock {} with the smallest {} and binding (review, then "
        "apply). Leader election (client-go leaderelection) gets the lock, creates it when it "
        "does not exist yet and updates it to renew; a create request carries no name, so "
        "resourceNames cannot limit create and it is granted on all {} of the namespace:\n"
        "kubectl apply -f - <<'EOF'\n{}EOF",
        who_text(user), what, role_kind, request.resource, rbac::grant_yaml(request, user, true));
  } else {
    out += fmt::format(
        "{} {} with the smallest {} and binding (review, then apply):\nkubectl apply -f - "
        "<<'EOF'\n{}EOF",
        who_text(user), request.describe(), role_kind, rbac::grant_yaml(request, user));
  }
  for (const std::string& r : reuse) {
    if (r.starts_with("Or ")) out += "\n" + r;
  }
  for (const std::string& e : d.errors)
    out += fmt::format("\nOr create the missing role the binding names ({}).", e);
  return out;
}

void report(const rbac::Policy& policy, Refusal& r, FindingSink& sink) {
  rbac::AccessRequest request = r.first.request;
  request.name = r.names.size() == 1 ? *r.names.begin() : std::string();
  const rbac::UserInfo user = rbac::UserInfo::for_user(r.first.user);
  const rbac::Decision d = rbac::evaluate(policy, user, request);
  const std::string who = who_text(user.name);
  const bool legacy = !d.allowed && request.resource == "customresourcedefinitions" &&
                      bound_to_cs_admin(policy, user);
  const Rule& rule = d.allowed ? kGrantedNow : legacy ? kLegacyCsAdmin : kForbidden;
  const std::string part = fmt::format("{}:{}", user.name, request.describe());
  Finding& f = sink.add(
      rule, r.owner,
      d.allowed ? fmt::format("{} was refused {} ({}), which the snapshot's RBAC now grants", who,
                              request.describe(), seen_text(r))
                : fmt::format("{} may not {}: the API server refused it ({})", who,
                              request.describe(), seen_text(r)),
      part);
  for (Evidence& e : r.evidence) f.evidence.push_back(std::move(e));
  if (r.has_last) f.evidence.push_back(std::move(r.last_line));
  f.evidence.push_back(Evidence::note(fmt::format("subject: {} (user {}, groups {})", who,
                                                  user.name, fmt::join(user.groups, ", "))));
  if (r.pod != nullptr) {
    // Which account the pod runs as: a log refused for another user means the process brings its
    // own credentials (a kubeconfig), and binding the pod's account would not help.
    const std::string_view sa = r.pod->spec()["serviceAccountName"].str();
    f.evidence.push_back(
        field_evidence(*r.pod, ".spec.serviceAccountName", sa.empty() ? "(not set: default)" : sa));
    const auto refused = rbac::service_account_of(user.name);
    const std::string_view pod_sa = sa.empty() ? std::string_view("default") : sa;
    if (!refused || refused->first != r.pod->ns || refused->second != pod_sa)
      f.evidence.push_back(Evidence::note(fmt::format(
          "the refused identity is not the pod's ServiceAccount {}/{}: the process uses other "
          "credentials (a kubeconfig or token of its own)",
          r.pod->ns, pod_sa)));
  }
  if (!r.first.reason.empty())
    f.evidence.push_back(Evidence::note("the API server's reason: " + r.first.reason));
  for (const ObjectRef& p : r.pods) {
    if (p.key() != r.owner.key()) f.also_affects.push_back(p);
  }
  if (d.allowed) {
    f.evidence.push_back(Evidence::note(
        fmt::format("granted now through {} -> {}, rule {} ({})",
                    rbac::binding_text(d.grant->binding), rbac::role_text(d.grant->binding),
                    d.grant->rule.index, rbac::rule_text(*d.grant->rule.rule))));
    return;
  }
  if (policy.empty())
    f.evidence.push_back(Evidence::note(
        "the snapshot has no Roles, ClusterRoles or bindings: collect them (kubectl get "
        "roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml) to see what is granted"));
  else if (d.closest.empty())
    f.evidence.push_back(Evidence::note(fmt::format(
        "no RoleBinding or ClusterRoleBinding names {} or its groups with a rule near this one",
        who)));
  for (const rbac::NearMiss& m : d.closest) f.evidence.push_back(Evidence::note(closest_text(m)));
  for (const std::string& e : d.errors) {  // the server's own reason may already say it
    if (r.first.reason.find(e) == std::string::npos)
      f.evidence.push_back(Evidence::note("RBAC: " + e));
  }
  for (const std::string& p : policy.problems()) f.evidence.push_back(Evidence::note(p));
  f.fix = grant_fix(policy, request, user.name, d, r.leader_election);
  if (legacy)
    f.fix =
        "ClusterRole cs:admin predates CustomResourceDefinitions in ACK (clusters created "
        "before May 2019): bind cluster-admin instead (kubectl create clusterrolebinding "
        "NAME --clusterrole=cluster-admin --user=...), or recreate cs:admin with apiGroups "
        "['*'], resources ['*'], verbs ['*'] and nonResourceURLs ['*']. Or:\n" +
        f.fix;
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  Refusals all;
  scan_logs(ctx.cluster, all);
  scan_events(ctx.cluster, all);
  if (all.empty()) return;
  const rbac::Policy policy(ctx.cluster);
  for (auto& [key, r] : all) report(policy, r, sink);
}

}  // namespace

const AnalyzerDef& access_analyzer() {
  static const AnalyzerDef kDef{"access", kRules, run};
  return kDef;
}

}  // namespace ktriage
