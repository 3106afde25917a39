// Services: selector versus pod labels, readiness of the selected pods, targetPort versus the
// containers' ports, and Endpoints/EndpointSlices. Runbook:
// https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"
#include "model/pod.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/";

constexpr Rule kNoMatch{"svc-selector-matches-nothing",
                        "SVC-SELECTOR-MATCHES-NOTHING",
                        Severity::kCritical,
                        "Service selector matches no pod",
                        "Align the Service's selector with the pods' labels (change the Service).",
                        kDoc};
constexpr Rule kNoSelector{"svc-no-selector-no-endpoints",
                           "SVC-SELECTOR-MATCHES-NOTHING",
                           Severity::kWarning,
                           "Service has no selector and no Endpoints",
                           "Add a selector, or create the Endpoints/EndpointSlice by hand.",
                           kDoc};
constexpr Rule kNotReady{"svc-no-ready-endpoints",
                         "SVC-ENDPOINTS-NOT-READY",
                         Severity::kCritical,
                         "Service has no ready endpoints: the pods it selects are not Ready",
                         "Fix what keeps the pods from being Ready (see the findings under it).",
                         kDoc};
constexpr Rule kPort{"svc-targetport-not-exposed",
                     "SVC-TARGETPORT-MISMATCH",
                     Severity::kWarning,
                     "Service targetPort is not a port of the selected containers",
                     "Set targetPort to a port the container listens on (number or port name).",
                     kDoc};
constexpr Rule kRules[] = {kNoMatch, kNoSelector, kNotReady, kPort};

std::string labels_text(const Value& labels) {
  std::string out;
  for (const Member& m : labels.members()) {
    if (m.key == "pod-template-hash" || m.key == "controller-revision-hash") continue;
    out += fmt::format("{}{}={}", out.empty() ? "" : ",", m.key, m.value.str());
  }
  return out.empty() ? "(no labels)" : out;
}

std::string selector_text(const Value& selector) {
  std::string out;
  for (const Member& m : selector.members())
    out += fmt::format("{}{}={}", out.empty() ? "" : ",", m.key, m.value.str());
  return out;
}

// Why `labels` fail `selector`, key by key: "name=nginx-ingress is missing (pods have
// app=nginx-ingress)", "app=cart-svc differs (pods have app=cart)".
std::string mismatch_text(const Value& selector, const Value& labels) {
  std::string out;
  for (const Member& m : selector.members()) {
    std::string_view want = m.value.str();
    if (labels.contains(m.key)) {
      if (labels[m.key].str() == want) continue;
      out += fmt::format("{}{}={} differs: the pod has {}={}", out.empty() ? "" : "; ", m.key, want,
                         m.key, labels[m.key].str());
      continue;
    }
    std::string same_value;
    for (const Member& l : labels.members()) {
      if (l.value.str() == want)
        same_value = fmt::format(" (the pod has {}={}: same value, other key)", l.key, want);
    }
    out += fmt::format("{}label {} is missing{}", out.empty() ? "" : "; ", m.key, same_value);
  }
  return out;
}

struct ServiceContext {
  const Cluster& cluster;
  const Object& svc;
  const Value& selector;
  std::vector<const Object*> pods;  // selected, not terminated
};

const Object* endpoints_of(const Cluster& cluster, const Object& svc) {
  return cluster.find("Endpoints", svc.ns, svc.name);
}

// Endpoint slices are found by label kubernetes.io/service-name; pods_in-style index is not kept
// for slices, so this scans the namespace's slices once per Service: O(slices of the cluster) in
// the worst case, only reached for Services that already look broken.
std::vector<const Object*> slices_of(const Cluster& cluster, const Object& svc) {
  std::vector<const Object*> out;
  for (const Object* s : cluster.of_kind("EndpointSlice")) {
    if (s->ns == svc.ns && s->label("kubernetes.io/service-name") == svc.name) out.push_back(s);
  }
  return out;
}

void add_endpoint_evidence(const Cluster& cluster, const Object& svc, Finding& f) {
  if (const Object* ep = endpoints_of(cluster, svc)) {
    std::size_t ready = 0, not_ready = 0;
    for (const Value& subset : (*ep)["subsets"].items()) {
      ready += subset["addresses"].size();
      not_ready += subset["notReadyAddresses"].size();
    }
    f.evidence.push_back(field_evidence(
        *ep, ".subsets", fmt::format("{} ready, {} not ready addresses", ready, not_ready)));
  }
}

void check_no_selector(const ServiceContext& sc, FindingSink& sink) {
  const Cluster& cluster = sc.cluster;
  // Without Endpoints data in the snapshot we cannot tell manual endpoints from none.
  if (cluster.of_kind("Endpoints").empty() && cluster.of_kind("EndpointSlice").empty()) return;
  if (sc.svc.spec()["type"].str() == "ExternalName") return;
  const Object* ep = endpoints_of(cluster, sc.svc);
  bool has_addresses = false;
  if (ep != nullptr) {
    for (const Value& subset : (*ep)["subsets"].items()) {
      has_addresses =
          has_addresses || subset["addresses"].size() > 0 || subset["notReadyAddresses"].size() > 0;
    }
  }
  for (const Object* s : slices_of(cluster, sc.svc))
    has_addresses = has_addresses || (*s)["endpoints"].size() > 0;
  if (has_addresses) return;
  Finding& f = sink.add(
      kNoSelector, sc.svc,
      fmt::format("Service {} has no selector and no endpoints: traffic to it goes nowhere",
                  sc.svc.name));
  f.evidence.push_back(field_evidence(sc.svc, ".spec.selector", "(none)"));
  f.evidence.push_back(Evidence::note(ep == nullptr ? "no Endpoints object of that name"
                                                    : "Endpoints object has no addresses"));
  f.fix = fmt::format(
      "Add a selector matching the backend pods ({}edit service {}), or create an "
      "Endpoints/EndpointSlice with the backend addresses.",
      kubectl_ns(sc.svc), sc.svc.name);
}

// The live pods of a namespace grouped by label set: replicas share one labels array
// (Arena::share), so a namespace of thousands of pods has a few hundred groups. A Service that
// selects nothing is compared with each group once, not with each pod: at 150,000 pods, scoring
// every pod for each of 230 such Services was this analyzer's main cost.
struct LabelGroup {
  Value labels;
  const Object* first_pod;  // the group's first pod; groups are in the order of pods_in()
};

class LabelGroups {
 public:
  explicit LabelGroups(const Cluster& cluster) : cluster_(cluster) {}

  const std::vector<LabelGroup>& of(std::string_view ns) {
    auto [it, added] = by_namespace_.try_emplace(ns);
    // A named reference, not the binding: clang 14 cannot capture structured bindings.
    std::vector<LabelGroup>& groups = it->second;
    if (!added) return groups;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_storage;
    const auto pods = cluster_.pods_in(ns);
    for (std::size_t i = 0; i < pods.size(); ++i) {
      if (PodView(*pods[i]).terminated()) continue;
      const Value& labels = pods[i]->labels();
      std::vector<std::size_t>& same_hash = by_storage[labels.storage_hash()];
      const auto found = std::find_if(same_hash.begin(), same_hash.end(), [&](std::size_t g) {
        return same_storage(groups[g].labels, labels);
      });
      if (found != same_hash.end()) continue;
      same_hash.push_back(groups.size());
      groups.push_back({labels, pods[i]});
    }
    return groups;
  }

 private:
  const Cluster& cluster_;
  std::unordered_map<std::string_view, std::vector<LabelGroup>> by_namespace_;
};

void check_selector_matches_nothing(const ServiceContext& sc, LabelGroups& groups,
                                    FindingSink& sink) {
  const Cluster& cluster = sc.cluster;
  const auto candidates = cluster.pods_in(sc.svc.ns);
  // Without any pod in the snapshot, "matches nothing" would be a guess; an empty Endpoints
  // object is the API server's own word, so it is enough.
  const Object* ep = endpoints_of(cluster, sc.svc);
  const bool endpoints_empty = ep != nullptr && (*ep)["subsets"].size() == 0;
  if (cluster.of_kind("Pod").empty() && !endpoints_empty) return;

  Finding& f =
      sink.add(kNoMatch, sc.svc,
               fmt::format("Service {} selects no pod: selector {} matches nothing in namespace {}",
                           sc.svc.name, selector_text(sc.selector), sc.svc.ns));
  f.evidence.push_back(field_evidence(sc.svc, ".spec.selector", selector_text(sc.selector)));
  if (ep != nullptr) add_endpoint_evidence(cluster, sc.svc, f);
  // The nearest pods: most selector pairs matched, then a shared value under another key.
  struct Near {
    const LabelGroup* group;
    int score;
  };
  std::vector<Near> near;
  for (const LabelGroup& group : groups.of(sc.svc.ns)) {
    const Value& labels = group.labels;
    int score = 0;
    for (const Member& m : sc.selector.members()) {
      if (labels[m.key].str() == m.value.str() && labels.contains(m.key)) score += 2;
      for (const Member& l : labels.members()) {
        if (l.value.str() == m.value.str() && l.key != m.key) score += 1;
        if (l.key == m.key) score += 1;
      }
    }
    if (score > 0) near.push_back({&group, score});
  }
  // Highest score first; among equals, in the pods' order (groups are built in that order).
  std::stable_sort(near.begin(), near.end(),
                   [](const Near& a, const Near& b) { return a.score > b.score; });
  std::vector<std::string> shown_label_sets;
  std::string best_mismatch;
  for (const Near& n : near) {
    const Object* pod = n.group->first_pod;
    std::string labels = labels_text(n.group->labels);
    if (std::find(shown_label_sets.begin(), shown_label_sets.end(), labels) !=
        shown_label_sets.end())
      continue;
    if (shown_label_sets.size() >= 3) break;
    shown_label_sets.push_back(labels);
    std::string why = mismatch_text(sc.selector, n.group->labels);
    if (best_mismatch.empty()) best_mismatch = why;
    f.evidence.push_back(
        Evidence::field(kubectl_name(*pod), ".metadata.labels", labels + "  — " + why));
  }
  if (near.empty()) {
    f.evidence.push_back(Evidence::note(
        candidates.empty()
            ? fmt::format("namespace {} has no pods in the snapshot", sc.svc.ns)
            : fmt::format("no pod in namespace {} shares a label key or value with the selector",
                          sc.svc.ns)));
  }
  f.fix = best_mismatch.empty()
              ? fmt::format("Deploy the backend pods, or change the selector: {}edit service {}",
                            kubectl_ns(sc.svc), sc.svc.name)
              : fmt::format(
                    "Change the Service's selector to the pods' labels ({}): {}edit service {} "
                    "(a Deployment's selector is immutable, so fix the Service)",
                    best_mismatch, kubectl_ns(sc.svc), sc.svc.name);
}

void check_readiness(const ServiceContext& sc, FindingSink& sink) {
  std::size_t ready = 0;
  for (const Object* pod : sc.pods) ready += PodView(*pod).ready() ? 1 : 0;
  const Object* ep = endpoints_of(sc.cluster, sc.svc);
  std::size_t ep_ready = 0, ep_not_ready = 0;
  if (ep != nullptr) {
    for (const Value& subset : (*ep)["subsets"].items()) {
      ep_ready += subset["addresses"].size();
      ep_not_ready += subset["notReadyAddresses"].size();
    }
  }
  const bool endpoints_say_none = ep != nullptr && ep_ready == 0 && ep_not_ready > 0;
  if (ready > 0 && !endpoints_say_none) return;
  if (sc.svc.spec()["publishNotReadyAddresses"].as_bool()) return;  // by design
  Finding& f =
      sink.add(kNotReady, sc.svc,
               fmt::format("Service {} has no ready endpoints: {} of {} selected pods are Ready",
                           sc.svc.name, ready, sc.pods.size()));
  f.evidence.push_back(field_evidence(sc.svc, ".spec.selector", selector_text(sc.selector)));
  if (ep != nullptr) add_endpoint_evidence(sc.cluster, sc.svc, f);
  std::size_t shown = 0;
  for (const Object* pod : sc.pods) {
    if (shown++ >= 5) break;
    PodView pv(*pod);
    const Value& cond = pv.condition("Ready");
    f.evidence.push_back(Evidence::field(
        kubectl_name(*pod), ".status.conditions[Ready]",
        fmt::format("{}{}", cond.is_null() ? "Unknown" : condition_text(cond),
                    pv.phase().empty() ? "" : fmt::format(" (phase {})", pv.phase()))));
  }
  f.fix = fmt::format(
      "The Service itself is fine; its pods are not Ready. Fix the cause shown under "
      "this finding, then check: {}get endpoints {}",
      kubectl_ns(sc.svc), sc.svc.name);
}

void check_target_ports(const ServiceContext& sc, FindingSink& sink) {
  if (sc.pods.empty()) return;
  int index = 0;
  for (const Value& port : sc.svc.spec()["ports"].items()) {
    const int i = index++;
    const Value& target = port["targetPort"].is_null() ? port["port"] : port["targetPort"];
    std::string_view protocol = port["protocol"].str().empty() ? "TCP" : port["protocol"].str();
    const bool named = target.is_string() && target.as_int(-1) < 0;
    bool any_declared = false;
    bool found = false;
    std::vector<std::string> declared;
    const Object* sample = sc.pods.front();
    for (const ContainerView& c : PodView(*sample).app_containers()) {
      for (const Value& cp : (*c.spec)["ports"].items()) {
        any_declared = true;
        std::string_view cproto = cp["protocol"].str().empty() ? "TCP" : cp["protocol"].str();
        declared.push_back(cp["name"].str().empty()
                               ? fmt::format("{}/{}", cp["containerPort"].as_int(), cproto)
                               : fmt::format("{} ({}/{})", cp["name"].str(),
                                             cp["containerPort"].as_int(), cproto));
        if (cproto != protocol) continue;
        if (named ? cp["name"].str() == target.str()
                  : cp["containerPort"].as_int() == target.as_int())
          found = true;
      }
    }
    if (found) continue;
    // An undeclared numeric port may still be served (containerPort is informational); a named
    // targetPort must exist, or the endpoints controller cannot resolve it.
    if (!named && !any_declared) continue;
    std::string target_text = named ? std::string(target.str()) : std::to_string(target.as_int());
    Finding& f = sink.add(
        kPort, sc.svc,
        fmt::format("Service {} port {} sends traffic to targetPort {}, which the selected "
                    "containers do not expose",
                    sc.svc.name, port["port"].as_int(), target_text),
        fmt::format("{}", i));
    if (named) f.severity = Severity::kCritical;
    f.evidence.push_back(
        field_evidence(sc.svc, fmt::format(".spec.ports[{}].targetPort", i), target_text));
    std::string all;
    for (const auto& d : declared) all += (all.empty() ? "" : ", ") + d;
    f.evidence.push_back(Evidence::field(kubectl_name(*sample), ".spec.containers[*].ports",
                                         all.empty() ? "(none declared)" : all));
    f.fix =
        declared.empty()
            ? fmt::format(
                  "Name the container port \"{}\" or set targetPort to the port number the app "
                  "listens on: {}edit service {}",
                  target_text, kubectl_ns(sc.svc), sc.svc.name)
            : fmt::format(
                  "Set .spec.ports[{}].targetPort of Service {} to a port the container listens "
                  "on ({}): {}edit service {}",
                  i, sc.svc.name, all, kubectl_ns(sc.svc), sc.svc.name);
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  LabelGroups label_groups(cluster);
  for (const Object* svc : cluster.of_kind("Service")) {
    if (svc->spec()["type"].str() == "ExternalName") continue;
    const Value& selector = svc->spec()["selector"];
    ServiceContext sc{cluster, *svc, selector, {}};
    if (selector.size() == 0) {
      check_no_selector(sc, sink);
      continue;
    }
    // Candidates from the label index on the first selector pair, then the full match.
    const Member& first = selector.members().front();
    for (const Object* pod : cluster.pods_with_label(svc->ns, first.key, first.value.str())) {
      if (pod->ns != svc->ns || PodView(*pod).terminated() || PodView(*pod).being_deleted())
        continue;
      if (map_selector_matches(selector, pod->labels())) sc.pods.push_back(pod);
    }
    if (sc.pods.empty()) {
      check_selector_matches_nothing(sc, label_groups, sink);
      continue;
    }
    check_readiness(sc, sink);
    check_target_ports(sc, sink);
  }
}

}  // namespace

const AnalyzerDef& services_analyzer() {
  static const AnalyzerDef kDef{"services", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
