// Namespaces stuck Terminating, and what holds them. The namespace controller
// (pkg/controller/namespace/deletion/namespaced_resources_deleter.go, v1.16+) explains itself in
// status.conditions: NamespaceDeletionDiscoveryFailure (an aggregated API does not answer, so the
// controller cannot list everything to delete), NamespaceDeletionGroupVersionParsingFailure,
// NamespaceDeletionContentFailure, NamespaceContentRemaining (objects still there) and
// NamespaceFinalizersRemaining (objects whose finalizers no controller removes). After the other
// analyzers, a discovery failure naming a group/version links to that APIService's finding.
// https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "core/time.h"

namespace ktriage {
namespace {

constexpr Rule kStuck{
    "namespace-stuck-terminating",
    "",
    Severity::kWarning,
    "Namespace stuck Terminating: the namespace controller cannot delete everything in it",
    "Fix what its conditions name (an unavailable APIService, objects whose finalizers no "
    "controller removes), then the controller finishes on its own.",
    "https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace"};
constexpr Rule kRules[] = {kStuck};

// A namespace deleted this long ago without the controller reporting a failure is still stuck:
// deleting even thousands of objects takes the controller seconds to a few minutes.
constexpr UnixSeconds kStuckAfterSeconds = 10 * 60;

constexpr std::string_view kFailureConditions[] = {
    "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
    "NamespaceDeletionContentFailure", "NamespaceFinalizersRemaining", "NamespaceContentRemaining"};

bool is_failure(std::string_view type) {
  for (std::string_view t : kFailureConditions) {
    if (t == type) return true;
  }
  return false;
}

// Objects being deleted that wait for finalizers, by namespace; one pass over the snapshot, made
// only when some namespace is Terminating.
std::map<std::string_view, std::vector<const Object*>> held_objects(const Cluster& cluster) {
  std::map<std::string_view, std::vector<const Object*>> out;
  for (const Object& o : cluster.objects()) {
    if (!o.ns.empty() && !o.metadata()["deletionTimestamp"].is_null() &&
        o.metadata()["finalizers"].size() > 0) {
      out[o.ns].push_back(&o);
    }
  }
  return out;
}

std::string joined(const Value& list) {
  std::string out;
  for (const Value& v : list.items()) out += (out.empty() ? "" : ", ") + std::string(v.str());
  return out;
}

// The findings of unavailable APIServices that a discovery failure message names:
// "metrics.k8s.io/v1beta1: the server is currently unable to handle the request" names
// APIService v1beta1.metrics.k8s.io.
std::vector<std::string> apiservice_causes(std::string_view message,
                                           std::span<const Finding> findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    if (f.rule != "apiservice-unavailable" || f.object.kind != "APIService") continue;
    const std::string_view name = f.object.name;  // <version>.<group>
    const std::size_t dot = name.find('.');
    if (dot == std::string_view::npos) continue;
    const std::string gv = fmt::format("{}/{}", name.substr(dot + 1), name.substr(0, dot));
    if (has(message, gv)) out.push_back(f.id);
  }
  return out;
}

void report(const AnalysisContext& ctx, const Object& ns, std::span<const Object* const> held,
            std::span<const Finding> findings, FindingSink& sink) {
  const std::string_view deleted = ns.metadata()["deletionTimestamp"].str();
  const std::optional<UnixSeconds> since = parse_rfc3339(deleted);
  std::vector<std::size_t> failing;
  const auto conditions = ns.status()["conditions"].items();
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    if (is_failure(conditions[i]["type"].str()) && conditions[i]["status"].str() == "True")
      failing.push_back(i);
  }
  const bool old = since && ctx.now > 0 && ctx.now - *since >= kStuckAfterSeconds;
  // Content and finalizers remaining is every deletion's normal course (pods shutting down):
  // stuck only once it lasts. The controller's failures to discover or delete count at once.
  const bool failed_at_once = std::any_of(failing.begin(), failing.end(), [&](std::size_t i) {
    const std::string_view t = conditions[i]["type"].str();
    return t != "NamespaceContentRemaining" && t != "NamespaceFinalizersRemaining";
  });
  if (!failed_at_once && !old) return;
  std::string why;
  if (!failing.empty()) {
    why = std::string(conditions[failing.front()]["message"].str());
  } else if (!held.empty()) {
    why = fmt::format("{} object{} wait for finalizers", held.size(), held.size() == 1 ? "" : "s");
  } else {
    why = "its status names no cause";
  }
  Finding& f =
      sink.add(kStuck, ns,
               fmt::format("Namespace {} is stuck Terminating{}: {}", ns.name,
                           since && ctx.now > 0 ? " for " + format_duration(ctx.now - *since) : "",
                           shorten(why, 200)));
  f.evidence.push_back(field_evidence(ns, ".status.phase", "Terminating"));
  if (!deleted.empty())
    f.evidence.push_back(field_evidence(ns, ".metadata.deletionTimestamp", deleted));
  bool discovery = false;
  for (std::size_t i : failing) {
    const std::string_view type = conditions[i]["type"].str();
    const std::string_view message = conditions[i]["message"].str();
    f.evidence.push_back(field_evidence(ns, fmt::format(".status.conditions[{}]", type),
                                        fmt::format("{} {}: {}", conditions[i]["status"].str(),
                                                    conditions[i]["reason"].str(), message)));
    if (type == "NamespaceDeletionDiscoveryFailure") {
      discovery = true;
      for (const std::string& id : apiservice_causes(message, findings)) f.add_cause(id);
    }
  }
  if (const Value& fin = ns.spec()["finalizers"]; fin.size() > 0)
    f.evidence.push_back(field_evidence(ns, ".spec.finalizers", joined(fin)));
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < held.size() && i < kShown; ++i) {
    f.evidence.push_back(Evidence::field(
        kubectl_name(*held[i]), ".metadata.finalizers",
        fmt::format("{} (deletionTimestamp {})", joined(held[i]->metadata()["finalizers"]),
                    held[i]->metadata()["deletionTimestamp"].str())));
  }
  if (held.size() > kShown) {
    f.evidence.push_back(Evidence::note(
        fmt::format("and {} more objects waiting for finalizers", held.size() - kShown)));
  }
  if (discovery) {
    f.fix = fmt::format(
        "An aggregated API does not answer, so the namespace controller cannot list what to "
        "delete in {0}: kubectl get apiservices | grep False; restore that API's Service and "
        "pods, or delete the APIService if its software was removed (kubectl delete apiservice "
        "<name>); the deletion of {0} then completes on its own.",
        ns.name);
  } else {
    f.fix = fmt::format(
        "Find what is left: kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 "
        "kubectl get -n {0} --ignore-not-found --show-kind; fix or reinstall the controller that "
        "owns each finalizer ({1}) so it finishes its cleanup. Only when that controller is "
        "gone for good, remove the finalizer: kubectl -n {0} patch <kind>/<name> --type=merge -p "
        "'{{\"metadata\":{{\"finalizers\":null}}}}'.",
        ns.name, held.empty() ? "kubectl get -o yaml shows them" : "shown above");
  }
}

// After the add-ons analyzer, so a discovery failure can name its APIService's finding.
void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  std::vector<const Object*> terminating;
  for (const Object* ns : ctx.cluster.of_kind("Namespace")) {
    if (ns->status()["phase"].str() == "Terminating") terminating.push_back(ns);
  }
  if (terminating.empty()) return;
  const auto held = held_objects(ctx.cluster);
  for (const Object* ns : terminating) {
    auto it = held.find(ns->name);
    report(ctx, *ns,
           it == held.end() ? std::span<const Object* const>{}
                            : std::span<const Object* const>(it->second),
           findings, sink);
  }
}

}  // namespace

const AnalyzerDef& namespaces_analyzer() {
  static const AnalyzerDef kDef{"namespaces", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
