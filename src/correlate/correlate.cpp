#include "correlate/correlate.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "correlate/access_links.h"
#include "correlate/addon_impact.h"
#include "correlate/fold.h"
#include "correlate/nodes.h"
#include "correlate/storage_links.h"
#include "model/pod.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr CorrelationRule kWorkloadRule{"workload-unhealthy", "DEPLOY-MINIMUM-REPLICAS-UNAVAILABLE",
                                        "Workload has pods that fail; caused by their findings"};
constexpr CorrelationRule kCorrelationRules[] = {kWorkloadRule};

bool is_workload_kind(std::string_view kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "Job" ||
         kind == "CronJob" || kind == "ReplicaSet" || kind == "ReplicationController";
}

const Object* find_ref(const Cluster& cluster, const ObjectRef& ref) {
  return cluster.find(ref.kind, ref.ns, ref.name);
}

// Folds pod findings of one owner and rule into one: the first pod by name carries it.
void fold_siblings(const Cluster& cluster, std::vector<Finding>& findings,
                   std::unordered_map<std::string, std::string>& renamed) {
  auto key = [&cluster](const Finding& f) -> std::optional<std::string> {
    if (f.object.kind != "Pod") return std::nullopt;
    const Object* pod = find_ref(cluster, f.object);
    if (pod == nullptr) return std::nullopt;
    const Object& owner = cluster.top_owner(*pod);
    if (&owner == pod) return std::nullopt;
    return owner.ref().key() + '\0' + f.rule + '\0' + id_part(f);
  };
  fold_findings(findings, key, "pod", /*merge_causes=*/false, renamed);
}

// What a workload's status says of its replicas: `text` for the summary ("0/2 available,
// rollout stuck (ProgressDeadlineExceeded)"), `path` and `value` for the evidence (the field the
// count is read from, and its value against the count wanted), `short_of` when fewer are ready
// (available, for a Deployment) than wanted. Empty for kinds without replicas (CronJob).
struct ReplicaStatus {
  std::string text;
  std::string path;
  std::string value;
  bool short_of = false;
};

ReplicaStatus replica_status(const Object& w) {
  const Value& st = w.status();
  const Value& spec = w.spec();
  ReplicaStatus r;
  if (w.kind == "Deployment" || w.kind == "StatefulSet" || w.kind == "ReplicaSet") {
    const std::string_view field = w.kind == "Deployment" ? "availableReplicas" : "readyReplicas";
    const std::int64_t want = spec["replicas"].as_int(1);
    const std::int64_t ready = st[field].as_int(0);
    r.path = fmt::format(".status.{}", field);
    r.value = fmt::format("{} (spec.replicas {})", ready, want);
    r.short_of = ready < want;
    r.text = fmt::format("{}/{} {}", ready, want, w.kind == "Deployment" ? "available" : "ready");
    if (w.kind == "Deployment") {
      // The deployment controller sets Progressing=False/ProgressDeadlineExceeded when a new
      // revision makes no progress for spec.progressDeadlineSeconds (pkg/controller/deployment).
      bool stuck = false;
      for (const Value& c : st["conditions"].items()) {
        stuck = stuck || (c["type"].str() == "Progressing" &&
                          c["reason"].str() == "ProgressDeadlineExceeded");
      }
      // Old pods still serve: surge pods on top (status.replicas > spec.replicas), or a new
      // revision that has no updated pod yet (status.updatedReplicas < spec.replicas).
      const bool rollout_pending =
          st["replicas"].as_int(0) > want || st["updatedReplicas"].as_int(want) < want;
      const bool old_pods_serve = rollout_pending && ready >= want;
      if (stuck || old_pods_serve) {
        r.text = fmt::format("{}/{} available{}, rollout {}", ready, want,
                             old_pods_serve ? " from the previous revision" : "",
                             stuck ? "stuck (ProgressDeadlineExceeded)" : "in progress");
      }
    }
  } else if (w.kind == "DaemonSet") {
    const std::int64_t ready = st["numberReady"].as_int(0);
    const std::int64_t want = st["desiredNumberScheduled"].as_int(0);
    r.path = ".status.numberReady";
    r.value = fmt::format("{} (desiredNumberScheduled {})", ready, want);
    r.short_of = ready < want;
    r.text = fmt::format("{}/{} ready", ready, want);
  } else if (w.kind == "Job") {
    r.text = fmt::format("{} succeeded, {} failed, {} active", st["succeeded"].as_int(0),
                         st["failed"].as_int(0), st["active"].as_int(0));
    r.path = ".status";
    r.value = r.text;
  }
  return r;
}

// A StatefulSet with podManagementPolicy OrderedReady (the default) creates and updates pods one
// ordinal at a time: the lowest ordinal that is not Ready holds every later one back. When that
// pod has a finding, say so, and list its finding first among the causes.
void stuck_ordinal(const Cluster& cluster, const Object& w, const std::vector<Finding>& findings,
                   const std::vector<std::size_t>& causes, Finding& s) {
  if (w.kind != "StatefulSet" || w.spec()["podManagementPolicy"].str() == "Parallel") return;
  const std::int64_t want = w.spec()["replicas"].as_int(1);
  if (want <= 1 || w.status()["readyReplicas"].as_int(0) >= want) return;
  const Object* lowest = nullptr;
  std::int64_t lowest_ordinal = want;
  const std::string prefix = std::string(w.name) + "-";
  for (const Object* pod : cluster.children(w)) {
    if (pod->kind != "Pod" || !pod->name.starts_with(prefix)) continue;
    const std::string_view digits = pod->name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != digits.npos) continue;
    const std::int64_t ordinal = std::stoll(std::string(digits));
    if (PodView(*pod).ready() || ordinal >= lowest_ordinal) continue;
    lowest = pod;
    lowest_ordinal = ordinal;
  }
  if (lowest == nullptr) return;
  std::vector<std::string> first;
  for (std::size_t i : causes) {
    bool about = findings[i].object.name == lowest->name;
    for (const ObjectRef& o : findings[i].also_affects) about = about || o.name == lowest->name;
    if (about) first.push_back(findings[i].id);
  }
  if (first.empty()) return;
  s.summary += fmt::format("; stuck on ordinal {} (pod {}): pods after it wait for it",
                           lowest_ordinal, lowest->name);
  s.evidence.push_back(Evidence::note(fmt::format(
      "podManagementPolicy {}: pod {} is the lowest ordinal that is not Ready",
      w.spec()["podManagementPolicy"].str().empty() ? "OrderedReady"
                                                    : w.spec()["podManagementPolicy"].str(),
      lowest->name)));
  for (const std::string& id : s.caused_by) {
    if (std::find(first.begin(), first.end(), id) == first.end()) first.push_back(id);
  }
  s.caused_by = std::move(first);
}

// A DaemonSet runs one pod per node, so its failures are read per node: which node, which pod,
// and the pod's own finding (first 5 nodes).
void daemonset_nodes(const Cluster& cluster, const std::vector<Finding>& findings,
                     const std::vector<std::size_t>& causes, Finding& s) {
  std::map<std::string, std::string> by_node;  // node -> "pod: summary"
  for (std::size_t i : causes) {
    const Finding& f = findings[i];
    std::vector<ObjectRef> pods{f.object};
    pods.insert(pods.end(), f.also_affects.begin(), f.also_affects.end());
    for (const ObjectRef& ref : pods) {
      const Object* pod = find_ref(cluster, ref);
      if (pod == nullptr) continue;
      std::string_view node = pod->spec()["nodeName"].str();
      by_node.emplace(node.empty() ? std::string("(not scheduled)") : std::string(node),
                      fmt::format("pod {}: {}", ref.name, f.summary));
    }
  }
  std::size_t shown = 0;
  for (const auto& [node, text] : by_node) {
    if (shown++ >= 5) break;
    s.evidence.push_back(Evidence::note(fmt::format("node {}: {}", node, text)));
  }
}

void add_workload_symptoms(const Cluster& cluster, std::vector<Finding>& findings) {
  std::map<std::string, std::pair<const Object*, std::vector<std::size_t>>> by_owner;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    // A controller that cannot create pods (ReplicaSet FailedCreate) makes its owner (the
    // Deployment) unavailable: the owner's symptom hangs under it like under pod faults.
    const bool create_failure = f.catalog.starts_with("RS-FAILEDCREATE-");
    if ((f.object.kind != "Pod" && !create_failure) || f.severity < Severity::kWarning) continue;
    // A group of warning events spans objects of several owners: not one workload's cause.
    if (f.rule == "unexplained-warning-events") continue;
    const Object* pod = find_ref(cluster, f.object);
    if (pod == nullptr) continue;
    // A pod being deleted no longer counts toward its controller's replicas (the ReplicaSet has
    // already made its replacement): a pod stuck Terminating is not its workload's fault.
    if (!pod->metadata()["deletionTimestamp"].is_null()) continue;
    const Object& owner = cluster.top_owner(*pod);
    if (&owner == pod || !is_workload_kind(owner.kind)) continue;
    auto& slot = by_owner[owner.ref().key()];
    slot.first = &owner;
    slot.second.push_back(i);
  }
  // An analyzer may already have reported the workload as a symptom of its pods (a rollout past
  // its deadline, a Job past its backoff limit): that finding, which says more, takes the pod
  // causes instead of a second symptom about the same object.
  std::unordered_map<std::string, std::size_t> existing;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (f.object.kind != "Pod" && !f.caused_by.empty() && f.severity >= Severity::kWarning)
      existing.emplace(f.object.key(), i);
  }
  for (auto& [key, entry] : by_owner) {
    const Object& w = *entry.first;
    if (auto it = existing.find(w.ref().key()); it != existing.end()) {
      Finding& symptom = findings[it->second];
      for (std::size_t i : entry.second) {
        const std::string& id = findings[i].id;
        symptom.add_cause(id);
      }
      continue;
    }
    Finding s;
    s.id = fmt::format("{}:{}", kWorkloadRule.id, key);
    s.rule = std::string(kWorkloadRule.id);
    const ReplicaStatus replicas = replica_status(w);
    // MinimumReplicasUnavailable, as workload-replicas-unavailable gives it: fewer replicas ready
    // than wanted. A rollout whose old replicas all serve, and a Job, have no entry of their own.
    if (replicas.short_of) s.catalog = std::string(kWorkloadRule.catalog);
    s.object = w.ref();
    Severity worst = Severity::kInfo;
    std::set<std::string> pods;
    for (std::size_t i : entry.second) {
      worst = std::max(worst, findings[i].severity);
      s.caused_by.push_back(findings[i].id);
      if (findings[i].object.kind != "Pod") continue;
      pods.insert(findings[i].object.name);
      for (const auto& o : findings[i].also_affects) pods.insert(o.name);
    }
    s.severity = worst;
    // Every replica still serves (from the previous revision): the rollout is blocked, the
    // service is not degraded, so the symptom is a warning whatever its cause's severity.
    if (w.kind == "Deployment" && !replicas.short_of && s.severity > Severity::kWarning) {
      s.severity = Severity::kWarning;
    }
    // A kube-system add-on that is down (a DaemonSet on some nodes) says what it breaks.
    const std::string_view impact = addon_impact(w);
    const bool down = w.kind == "DaemonSet" || w.status()["availableReplicas"].as_int(0) == 0;
    s.summary = fmt::format(
        "{} {}/{}{}: {}{}", w.kind, w.ns, w.name, replicas.text.empty() ? "" : " " + replicas.text,
        pods.empty() ? std::string("pods cannot be created")
                     : fmt::format("{} pod{} failing", pods.size(), pods.size() == 1 ? "" : "s"),
        impact.empty() || !down ? std::string() : fmt::format("; {}", impact));
    if (!replicas.path.empty())
      s.evidence.push_back(Evidence::field(kubectl_name(w), replicas.path, replicas.value));
    stuck_ordinal(cluster, w, findings, entry.second, s);
    if (w.kind == "DaemonSet") daemonset_nodes(cluster, findings, entry.second, s);
    s.fix =
        "Fix the cause(s) listed under this workload; the controller recovers on its own once its "
        "pods can run.";
    findings.push_back(std::move(s));
  }
}

void link_services(const Cluster& cluster, std::vector<Finding>& findings,
                   const std::unordered_map<std::string, std::string>& renamed) {
  // Pod key -> ids of its findings (after folding, through renamed).
  std::unordered_map<std::string, std::vector<std::string>> by_pod;
  for (const Finding& f : findings) {
    if (f.object.kind != "Pod") continue;
    by_pod[f.object.key()].push_back(f.id);
    for (const ObjectRef& o : f.also_affects) by_pod[o.key()].push_back(f.id);
  }
  for (Finding& f : findings) {
    if (f.rule != "svc-no-ready-endpoints") continue;
    const Object* svc = find_ref(cluster, f.object);
    if (svc == nullptr) continue;
    std::set<std::string> causes;
    const Value& selector = svc->spec()["selector"];
    if (selector.size() == 0) continue;
    const Member& first = selector.members().front();
    for (const Object* pod : cluster.pods_with_label(svc->ns, first.key, first.value.str())) {
      if (pod->ns != svc->ns || !map_selector_matches(selector, pod->labels())) continue;
      auto it = by_pod.find(pod->ref().key());
      if (it == by_pod.end()) continue;
      for (const std::string& id : it->second) {
        auto r = renamed.find(id);
        causes.insert(r == renamed.end() ? id : r->second);
      }
    }
    for (const std::string& id : causes) {
      f.add_cause(id);
    }
  }
}

// A log line saying a connection failed, as Go's net package and most clients word it.
bool names_connection_failure(std::string_view line) {
  for (std::string_view words : {"connection refused", "i/o timeout", "no route to host",
                                 "no such host", "Connection refused", "timed out"}) {
    if (line.find(words) != std::string_view::npos) return true;
  }
  return false;
}

// A container that cannot reach a dependency (connection refused, no route, timeout) whose log
// names a Service of the cluster (its ClusterIP with a port, or its DNS name) is caused by what is
// wrong with that Service: its own finding, else the findings of the pods behind it.
// A note that a finding's address is a Service whose findings were made its causes; added
// once cycles are broken (break_cycles), and only if one of those causes is still there.
struct DependencyNote {
  std::size_t finding;  // index into the findings (stable until order_findings())
  std::vector<std::string> causes;
  std::string text;
};

void add_dependency_notes(std::vector<Finding>& findings, std::vector<DependencyNote>& notes) {
  for (DependencyNote& n : notes) {
    Finding& f = findings[n.finding];
    const bool kept = std::any_of(n.causes.begin(), n.causes.end(), [&](const std::string& c) {
      return std::find(f.caused_by.begin(), f.caused_by.end(), c) != f.caused_by.end();
    });
    if (kept) f.evidence.push_back(Evidence::note(std::move(n.text)));
  }
  notes.clear();
}

// `probes`: only probe findings, whose log lines are attached after correlation
// (link_log_dependencies); else only the dependency findings, which quote their logs themselves.
// Returns the notes to add after break_cycles (empty when no cause was added).
std::vector<DependencyNote> link_dependencies(const Cluster& cluster,
                                              std::vector<Finding>& findings, bool probes) {
  // A probe that fails because the app's own check of a dependency fails (a /ready handler
  // that dials another Service) says so in the container's log; only such lines count.
  auto wanted = [probes](const Finding& f) {
    if (probes)
      return f.catalog == "POD-PROBE-READINESS-FAILED" || f.catalog == "POD-PROBE-LIVENESS-FAILED";
    return f.catalog == "APP-DEPENDENCY-CONNECTION-REFUSED" ||
           f.catalog == "POD-CRASH-CONFIG-HOST-NOT-FOUND";
  };
  std::vector<DependencyNote> notes;
  if (std::none_of(findings.begin(), findings.end(), wanted)) return notes;
  std::unordered_map<std::string, std::vector<std::string>> by_object;
  for (const Finding& f : findings) {
    by_object[f.object.key()].push_back(f.id);
    for (const ObjectRef& o : f.also_affects) by_object[o.key()].push_back(f.id);
  }
  // ClusterIP -> Service, built once.
  std::unordered_map<std::string_view, const Object*> by_ip;
  for (const Object* svc : cluster.of_kind("Service")) {
    std::string_view ip = svc->spec()["clusterIP"].str();
    if (!ip.empty() && ip != "None") by_ip.emplace(ip, svc);
  }
  for (Finding& f : findings) {
    if (!wanted(f)) continue;
    std::set<const Object*> services;
    for (const Evidence& e : f.evidence) {
      if (e.kind != Evidence::Kind::kLog) continue;
      if (probes && !names_connection_failure(e.value)) continue;
      for (const auto& [ip, svc] : by_ip) {
        std::size_t at = e.value.find(ip);
        if (at != std::string::npos && at + ip.size() < e.value.size() &&
            e.value[at + ip.size()] == ':') {
          services.insert(svc);
        }
      }
      for (const Object* svc : cluster.of_kind("Service")) {
        if (svc->ns != f.object.ns) continue;
        const std::string dns = std::string(svc->name) + "." + std::string(svc->ns);
        if (e.value.find(dns) != std::string::npos) services.insert(svc);
      }
    }
    // In name order, not pointer order: the causes and notes are output.
    std::vector<const Object*> named(services.begin(), services.end());
    std::sort(named.begin(), named.end(), [](const Object* a, const Object* b) {
      return std::tie(a->ns, a->name) < std::tie(b->ns, b->name);
    });
    for (const Object* svc : named) {
      std::vector<std::string> causes;
      if (auto it = by_object.find(svc->ref().key()); it != by_object.end()) {
        causes = it->second;
      }
      for (const std::string& id : causes) {
        if (id != f.id) f.add_cause(id);
      }
      if (!causes.empty()) {
        notes.push_back(DependencyNote{
            static_cast<std::size_t>(&f - findings.data()), causes,
            fmt::format("the address is Service {}/{} (clusterIP {}), which has its own problem "
                        "listed as the cause",
                        svc->ns, svc->name, svc->spec()["clusterIP"].str())});
      }
    }
  }
  return notes;
}

// A broken admission webhook rejects creates in every namespace; the controllers' FailedCreate
// events quote it (`failed calling webhook "<name>"`, kube-apiserver's webhook dispatcher). Any
// finding whose evidence quotes a webhook that has a webhook-backend-unavailable finding (the
// webhook's name is that finding's id part) is caused by it.
void link_webhooks(std::vector<Finding>& findings) {
  std::vector<std::pair<std::string, std::string>> hooks;  // quoted text, finding id
  for (const Finding& f : findings) {
    if (f.rule != "webhook-backend-unavailable") continue;
    const std::size_t hash = f.id.rfind('#');
    if (hash == std::string::npos) continue;
    hooks.emplace_back("failed calling webhook \"" + f.id.substr(hash + 1) + "\"", f.id);
  }
  if (hooks.empty()) return;
  for (Finding& f : findings) {
    for (const auto& [quoted, id] : hooks) {
      if (f.id == id) continue;
      bool quotes = false;
      for (const Evidence& e : f.evidence)
        quotes = quotes || e.value.find(quoted) != std::string::npos;
      if (quotes) f.add_cause(id);
    }
  }
}

// A cycle (A caused by B caused by A) would leave no root; break it by dropping the back link.
void break_cycles(std::vector<Finding>& findings) {
  std::unordered_map<std::string, Finding*> by_id;
  for (Finding& f : findings) by_id[f.id] = &f;
  for (Finding& f : findings) {
    std::vector<std::string> kept;
    for (const std::string& c : f.caused_by) {
      // Does c (transitively) depend on f?
      std::set<std::string> seen;
      std::vector<std::string> walk{c};
      bool cycle = false;
      while (!walk.empty() && !cycle) {
        std::string id = walk.back();
        walk.pop_back();
        if (id == f.id) cycle = true;
        if (!seen.insert(id).second) continue;
        if (auto it = by_id.find(id); it != by_id.end()) {
          for (const std::string& next : it->second->caused_by) walk.push_back(next);
        }
      }
      if (!cycle) kept.push_back(c);
    }
    f.caused_by = std::move(kept);
  }
}

// Names as a person sorts them: runs of digits by value, so pod-999 comes before pod-1001
// (StatefulSet ordinals, generated names); otherwise bytewise. Equal only when a == b.
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && a[ie] == '0') ++ie;  // leading zeros do not change the value
      while (je < b.size() && b[je] == '0') ++je;
      std::size_t ae = ie, be = je;
      while (ae < a.size() && digit(a[ae])) ++ae;
      while (be < b.size() && digit(b[be])) ++be;
      if (ae - ie != be - je) return ae - ie < be - je;
      if (const int c = a.substr(ie, ae - ie).compare(b.substr(je, be - je)); c != 0) return c < 0;
      if (ae - i != be - j) return ae - i < be - j;  // fewer leading zeros first
      i = ae;
      j = be;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

}  // namespace

std::span<const CorrelationRule> correlation_rules() { return kCorrelationRules; }

// Roots first: worst severity of the root and what it explains, then most symptoms explained,
// then its own severity, then object; symptoms after. So a warning whose consequence is a
// critical outage comes before a critical fault that explains nothing.
// A root counts every finding under it, however deep: an OOMKilled database under which a
// StatefulSet, two Services and the crashing clients of one of them hang explains five, not
// the two that name it directly. Symptoms count their direct symptoms only (they sort after
// the roots, and a walk from each would cost more than it tells).
void order_findings(std::vector<Finding>& findings) {
  // Views into the findings' ids: read only before the sort below moves the findings (the
  // sort reads `explains`, which owns its keys).
  std::unordered_map<std::string_view, std::vector<std::string_view>> symptoms;  // direct
  for (const Finding& f : findings) {
    for (const std::string& c : f.caused_by) symptoms[c].push_back(f.id);
  }
  std::unordered_map<std::string_view, Severity> severity_of;
  for (const Finding& f : findings) severity_of[f.id] = f.severity;
  std::unordered_map<std::string, std::size_t> explains;
  // A root ranks by the worst of itself and everything under it: a warning whose consequence
  // is a critical outage comes before a critical fault that stands alone.
  std::unordered_map<std::string, Severity> impact;
  for (const Finding& f : findings) {
    auto direct = symptoms.find(f.id);
    if (direct == symptoms.end()) continue;
    if (!f.caused_by.empty()) {
      explains[f.id] = direct->second.size();
      continue;
    }
    std::unordered_set<std::string_view> seen;
    std::vector<std::string_view> walk(direct->second.begin(), direct->second.end());
    while (!walk.empty()) {
      const std::string_view id = walk.back();
      walk.pop_back();
      if (!seen.insert(id).second) continue;
      if (auto below = symptoms.find(id); below != symptoms.end())
        walk.insert(walk.end(), below->second.begin(), below->second.end());
    }
    explains[f.id] = seen.size();
    Severity worst = f.severity;
    for (std::string_view id : seen) worst = std::max(worst, severity_of[id]);
    impact[f.id] = worst;
  }
  auto rank = [&](const Finding& f) {
    auto it = impact.find(f.id);
    return it == impact.end() ? f.severity : it->second;
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
    const bool ra = a.caused_by.empty(), rb = b.caused_by.empty();
    if (ra != rb) return ra;
    const Severity sa = rank(a), sb = rank(b);
    if (sa != sb) return sa > sb;
    std::size_t ea = explains[a.id], eb = explains[b.id];
    if (ea != eb) return ea > eb;
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.object.ns != b.object.ns) return natural_less(a.object.ns, b.object.ns);
    if (a.object.kind != b.object.kind) return a.object.kind < b.object.kind;
    if (a.object.name != b.object.name) return natural_less(a.object.name, b.object.name);
    return a.id < b.id;
  });
}

void link_log_dependencies(const Cluster& cluster, std::vector<Finding>& findings) {
  auto notes = link_dependencies(cluster, findings, /*probes=*/true);
  if (notes.empty()) return;
  break_cycles(findings);
  add_dependency_notes(findings, notes);
  order_findings(findings);
}

std::vector<Finding> correlate(const Cluster& cluster, std::vector<Finding> findings) {
  std::unordered_map<std::string, std::string> renamed;
  fold_siblings(cluster, findings, renamed);
  link_pods_to_nodes(cluster, findings);
  fold_nodes(findings);
  add_workload_symptoms(cluster, findings);
  link_services(cluster, findings, renamed);
  auto notes = link_dependencies(cluster, findings, /*probes=*/false);
  link_pods_to_claims(cluster, findings);
  link_webhooks(findings);
  link_refusals(findings);
  break_cycles(findings);
  add_dependency_notes(findings, notes);
  order_findings(findings);
  return findings;
}

namespace {

// The findings `about` picks, everything that explains them (transitively), in report order.
std::vector<Finding> tree_of(const std::vector<Finding>& findings,
                             const std::function<bool(const Finding&)>& about) {
  std::unordered_map<std::string, const Finding*> by_id;
  for (const Finding& f : findings) by_id[f.id] = &f;
  std::set<std::string> keep;
  std::vector<std::string> walk;
  for (const Finding& f : findings) {
    if (about(f) && keep.insert(f.id).second) walk.push_back(f.id);
  }
  while (!walk.empty()) {
    std::string id = walk.back();
    walk.pop_back();
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    for (const std::string& c : it->second->caused_by) {
      if (keep.insert(c).second) walk.push_back(c);
    }
  }
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (keep.count(f.id) > 0) out.push_back(f);
  }
  return out;
}

}  // namespace

std::vector<Finding> select_tree(const std::vector<Finding>& findings, const ObjectRef& target) {
  return tree_of(findings, [&](const Finding& f) {
    if (f.object == target) return true;
    return std::any_of(f.also_affects.begin(), f.also_affects.end(),
                       [&](const ObjectRef& o) { return o == target; });
  });
}

std::vector<Finding> select_mentions(const std::vector<Finding>& findings,
                                     const ObjectRef& target) {
  const std::string name = target.kubectl_name();
  return tree_of(findings, [&](const Finding& f) {
    // Evidence names another object by kubectl's TYPE/NAME; its namespace is the finding's.
    if (!target.ns.empty() && f.object.ns != target.ns) return false;
    return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& e) {
      return e.kind == Evidence::Kind::kField && e.object == name;
    });
  });
}

}  // namespace ktriage
