// Add-ons and control plane: what breaks the whole cluster rather than one workload. Admission
// webhooks whose backend is gone (every matching create fails), aggregated APIServices that are
// unavailable (discovery, HPA, namespace deletion), cluster DNS down, control-plane pods not
// Ready, and the CNI daemon of a node down together with the sandbox failures it causes there.
// Runs after the other analyzers, so each add-on finding hangs under its pods' own faults.
// https://kubernetes.io/docs/tasks/debug/debug-cluster/
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "model/addon_pods.h"
#include "model/pod.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr Rule kWebhook{
    "webhook-backend-unavailable",
    "CP-ADMISSION-WEBHOOK-CALL-FAILED",
    Severity::kCritical,
    "Admission webhook with failurePolicy Fail has no ready backend: matching creates fail "
    "cluster-wide",
    "Restore the webhook's Service and pods, or delete the configuration of removed software.",
    "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/"};
constexpr Rule kApiService{
    "apiservice-unavailable",
    "CP-APISERVICE-UNAVAILABLE",
    Severity::kCritical,
    "Aggregated APIService is unavailable: discovery, HPA metrics and namespace deletion fail",
    "Restore the backing Service and pods, or delete the stale APIService.",
    "https://kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/"};
constexpr Rule kCoreDns{
    "coredns-unavailable",
    "DNS-COREDNS-UNAVAILABLE",
    Severity::kCritical,
    "No CoreDNS pod is Ready: every DNS lookup in the cluster fails",
    "Fix what keeps the CoreDNS pods from running (see the findings under it).",
    "https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/"};
constexpr Rule kControlPlane{
    "control-plane-component-unhealthy",
    "CP-COMPONENT-UNHEALTHY",
    Severity::kCritical,
    "A control-plane component (API server, scheduler, controller manager, etcd) is not healthy",
    "Read the component's log and fix what it reports; restart it on its master node.",
    "https://kubernetes.io/docs/tasks/debug/debug-cluster/"};
constexpr Rule kTerwayDown{
    "cni-terway-unavailable",
    "NET-TERWAY-DAEMON-UNAVAILABLE",
    Severity::kCritical,
    "The Terway daemon on a node is not Ready: pods there cannot get a network",
    "Fix the Terway pod on that node (terway-init and terway logs), then recreate the pods.",
    "https://github.com/AliyunContainerService/terway"};
constexpr Rule kSandbox{
    "sandbox-cni-failed",
    "POD-WAITING-SANDBOX-CNI-FAILED",
    Severity::kCritical,
    "Pod stays ContainerCreating: the CNI plugin cannot set up its network sandbox",
    "Fix the CNI plugin on the pod's node (its daemon pod, IP pool, configuration).",
    "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/"};
constexpr Rule kRules[] = {kWebhook, kApiService, kCoreDns, kControlPlane, kTerwayDown, kSandbox};

// Finding ids about an object, directly or as a folded sibling.
class FindingIndex {
 public:
  explicit FindingIndex(std::span<const Finding> findings) {
    for (const Finding& f : findings) {
      by_object_[f.object.key()].push_back(&f);
      for (const ObjectRef& o : f.also_affects) by_object_[o.key()].push_back(&f);
    }
  }
  std::vector<const Finding*> about(const ObjectRef& ref) const {
    auto it = by_object_.find(ref.key());
    return it == by_object_.end() ? std::vector<const Finding*>() : it->second;
  }

 private:
  std::map<std::string, std::vector<const Finding*>> by_object_;
};

void add_causes(Finding& f, const std::vector<const Finding*>& causes) {
  for (const Finding* c : causes) {
    if (c->id != f.id) f.add_cause(c->id);
  }
}

// Ready addresses of a Service: from its Endpoints or EndpointSlices when the snapshot has them,
// else from the readiness of the pods it selects. nullopt when nothing tells.
std::optional<std::size_t> ready_endpoints(const Cluster& cluster, const Object& svc) {
  std::optional<std::size_t> ready;
  if (const Object* ep = cluster.find("Endpoints", svc.ns, svc.name)) {
    ready = 0;
    for (const Value& subset : ep->root->operator[]("subsets").items())
      *ready += subset["addresses"].size();
  }
  for (const Object* s : cluster.of_kind("EndpointSlice")) {
    if (s->ns != svc.ns || s->metadata()["labels"]["kubernetes.io/service-name"].str() != svc.name)
      continue;
    if (!ready) ready = 0;
    for (const Value& e : (*s->root)["endpoints"].items()) {
      // conditions.ready is nil-as-true (discovery.k8s.io/v1 EndpointConditions).
      const Value& r = e["conditions"]["ready"];
      if (r.is_null() || r.as_bool()) ++*ready;
    }
  }
  if (ready) return ready;
  const Value& selector = svc.spec()["selector"];
  if (selector.size() == 0) return std::nullopt;
  std::size_t n = 0;
  for (const Object* pod : cluster.pods_in(svc.ns)) {
    if (map_selector_matches(selector, pod->labels()) && PodView(*pod).ready()) ++n;
  }
  return n;
}

std::vector<const Object*> pods_where(const Cluster& cluster, std::string_view ns,
                                      bool (*match)(const Object&)) {
  std::vector<const Object*> out;
  for (const Object* pod : cluster.pods_in(ns)) {
    if (!PodView(*pod).terminated() && match(*pod)) out.push_back(pod);
  }
  return out;
}

// --- admission webhooks -----------------------------------------------------------------------

// kube-apiserver (staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/{mutating,validating}
// /dispatcher.go, v1.9+) rejects a request with `failed calling webhook "<name>": ...`; the
// controllers copy that text into their FailedCreate events.
void check_webhooks(const AnalysisContext& ctx, const FindingIndex& index, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const bool services_known = !cluster.of_kind("Service").empty();
  for (std::string_view kind : {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}) {
    for (const Object* cfg : cluster.of_kind(kind)) {
      const auto hooks = (*cfg->root)["webhooks"].items();
      for (std::size_t i = 0; i < hooks.size(); ++i) {
        const Value& hook = hooks[i];
        const Value& ref = hook["clientConfig"]["service"];
        if (!ref.is_object()) continue;  // a URL webhook: outside the cluster's objects
        // admissionregistration.k8s.io/v1 defaults failurePolicy to Fail.
        const std::string_view policy =
            hook["failurePolicy"].str().empty() ? "Fail" : hook["failurePolicy"].str();
        if (policy != "Fail") continue;
        const std::string_view ns = ref["namespace"].str(), name = ref["name"].str();
        const Object* svc = cluster.find("Service", ns, name);
        std::string why;
        if (svc == nullptr) {
          if (!services_known) continue;
          why = fmt::format("its Service {}/{} does not exist", ns, name);
        } else {
          const auto ready = ready_endpoints(cluster, *svc);
          if (!ready || *ready > 0) continue;
          why = fmt::format("its Service {}/{} has no ready endpoints", ns, name);
        }
        const std::string_view hook_name = hook["name"].str();
        // Who it is blocking: events quoting this webhook, anywhere.
        const std::string quoted = fmt::format("failed calling webhook \"{}\"", hook_name);
        const Event* sample = nullptr;
        std::size_t blocked = 0;
        for (const Event& e : cluster.events()) {
          if (!has(e.message, quoted)) continue;
          ++blocked;
          if (sample == nullptr || e.last_seen.value_or(0) > sample->last_seen.value_or(0))
            sample = &e;
        }
        Finding& f = sink.add(
            kWebhook, *cfg,
            fmt::format("Webhook {} ({} {}) has failurePolicy Fail and {}: every "
                        "create or update it matches is rejected{}",
                        hook_name, kind, cfg->name, why,
                        blocked > 0 ? fmt::format(" ({} objects' events show it)", blocked) : ""),
            hook_name);
        f.evidence.push_back(Evidence::field(kubectl_name(*cfg),
                                             fmt::format(".webhooks[{}].clientConfig.service", i),
                                             fmt::format("{}/{}", ns, name)));
        f.evidence.push_back(Evidence::field(kubectl_name(*cfg),
                                             fmt::format(".webhooks[{}].failurePolicy", i),
                                             std::string(policy)));
        if (sample != nullptr) f.evidence.push_back(event_evidence(cluster, *sample));
        if (svc != nullptr) add_causes(f, index.about(svc->ref()));
        f.fix = fmt::format(
            "Restore the webhook's backend (kubectl -n {0} get endpoints {1}; fix the pods behind "
            "Service {1}). If the software that installed it was removed, delete the leftover "
            "configuration: kubectl delete {2} {3}. Exclude kube-system with a namespaceSelector "
            "so a broken webhook cannot block the control plane's own pods.",
            ns, name,
            kind == "ValidatingWebhookConfiguration" ? "validatingwebhookconfiguration"
                                                     : "mutatingwebhookconfiguration",
            cfg->name);
      }
    }
  }
}

// --- APIServices ------------------------------------------------------------------------------

// kube-aggregator's availability controller (v1.7+) sets Available=False with reason
// FailedDiscoveryCheck, MissingEndpoints, ServiceNotFound or ServiceAccessError.
void check_apiservices(const AnalysisContext& ctx, const FindingIndex& index, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  for (const Object* api : cluster.of_kind("APIService")) {
    const Value* available = &api->condition("Available");
    if ((*available)["status"].str() != "False") continue;
    const Value& ref = api->spec()["service"];
    Finding& f =
        sink.add(kApiService, *api,
                 fmt::format("APIService {} is unavailable ({}): kubectl discovery warns, "
                             "and whatever uses {} fails",
                             api->name, (*available)["reason"].str(), api->spec()["group"].str()));
    f.evidence.push_back(Evidence::field(kubectl_name(*api), ".status.conditions[Available]",
                                         fmt::format("False {}: {}", (*available)["reason"].str(),
                                                     shorten((*available)["message"].str(), 200))));
    if (ref.is_object()) {
      f.evidence.push_back(
          Evidence::field(kubectl_name(*api), ".spec.service",
                          fmt::format("{}/{}", ref["namespace"].str(), ref["name"].str())));
      if (const Object* svc = cluster.find("Service", ref["namespace"].str(), ref["name"].str())) {
        add_causes(f, index.about(svc->ref()));
      }
    }
    // The namespace controller cannot list this group, so namespaces being deleted stay
    // Terminating (condition NamespaceDeletionDiscoveryFailure, v1.16+).
    for (const Object* ns : cluster.of_kind("Namespace")) {
      if (ns->status()["phase"].str() != "Terminating") continue;
      for (const Value& c : ns->status()["conditions"].items()) {
        if (c["type"].str() == "NamespaceDeletionDiscoveryFailure" && c["status"].str() == "True" &&
            has(c["message"].str(), api->spec()["group"].str())) {
          f.evidence.push_back(Evidence::field(
              kubectl_name(*ns), ".status.conditions[NamespaceDeletionDiscoveryFailure]",
              fmt::format("True: {}", shorten(c["message"].str(), 160))));
        }
      }
    }
    f.fix =
        ref.is_object()
            ? fmt::format(
                  "Restore the pods behind Service {0}/{1} (kubectl -n {0} get endpoints {1}); if "
                  "the add-on was uninstalled, delete the stale registration: kubectl delete "
                  "apiservice {2}",
                  ref["namespace"].str(), ref["name"].str(), api->name)
            : fmt::format(
                  "Check the aggregated API server; delete the APIService if it was removed: "
                  "kubectl delete apiservice {}",
                  api->name);
  }
}

// --- CoreDNS and control-plane pods ----------------------------------------------------------

bool is_coredns(const Object& pod) { return pod.labels()["k8s-app"].str() == "kube-dns"; }

void check_coredns(const AnalysisContext& ctx, const FindingIndex& index, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  const auto pods = pods_where(cluster, "kube-system", is_coredns);
  if (pods.empty()) return;  // not collected, or another DNS add-on
  std::size_t ready = 0;
  for (const Object* p : pods) ready += PodView(*p).ready() ? 1 : 0;
  if (ready > 0) return;
  const Object* anchor = cluster.find("Deployment", "kube-system", "coredns");
  if (anchor == nullptr) anchor = cluster.find("Service", "kube-system", "kube-dns");
  if (anchor == nullptr) anchor = pods.front();
  Finding& f = sink.add(kCoreDns, *anchor,
                        fmt::format("Cluster DNS is down: none of the {} CoreDNS pods is Ready, so "
                                    "every lookup of a Service name fails",
                                    pods.size()));
  for (const Object* p : pods) {
    f.evidence.push_back(
        Evidence::field(kubectl_name(*p), ".status.conditions[Ready]",
                        fmt::format("{} (phase {})", PodView(*p).condition("Ready")["status"].str(),
                                    PodView(*p).phase())));
    add_causes(f, index.about(p->ref()));
  }
  f.fix =
      "Fix what keeps the CoreDNS pods from running (the findings under this one); then check "
      "kubectl -n kube-system get endpoints kube-dns. Keep at least 2 replicas on different nodes.";
}

bool is_control_plane(const Object& pod) {
  const std::string_view c = pod.labels()["component"].str();
  return c == "kube-apiserver" || c == "kube-scheduler" || c == "kube-controller-manager" ||
         c == "etcd" || c == "cloud-controller-manager";
}

void check_control_plane(const AnalysisContext& ctx, const FindingIndex& index, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  for (const Object* pod : pods_where(cluster, "kube-system", is_control_plane)) {
    const PodView view(*pod);
    if (view.ready()) continue;
    const std::string_view component = pod->labels()["component"].str();
    Finding& f = sink.add(kControlPlane, *pod,
                          fmt::format("Control-plane component {} on node {} is not Ready",
                                      component, view.node_name()));
    f.evidence.push_back(Evidence::field(
        kubectl_name(*pod), ".status.conditions[Ready]",
        fmt::format("{} (phase {})", view.condition("Ready")["status"].str(), view.phase())));
    add_causes(f, index.about(pod->ref()));
    f.fix = fmt::format(
        "Read its log (kubectl -n kube-system logs {0} --previous, or on the master: crictl ps -a "
        "| "
        "grep {1}; crictl logs <id>) and fix what it reports; on ACK managed clusters read the "
        "control-plane logs in SLS.",
        pod->name, component);
  }
  // ComponentStatus (deprecated since v1.19, still served): Healthy False.
  for (const Object* cs : cluster.of_kind("ComponentStatus")) {
    for (const Value& c : (*cs->root)["conditions"].items()) {
      if (c["type"].str() != "Healthy" || c["status"].str() != "False") continue;
      Finding& f =
          sink.add(kControlPlane, *cs, fmt::format("Component {} reports unhealthy", cs->name));
      f.evidence.push_back(Evidence::field(
          kubectl_name(*cs), ".conditions[Healthy]",
          fmt::format(
              "False: {}",
              shorten(c["error"].str().empty() ? c["message"].str() : c["error"].str(), 200))));
      f.fix = fmt::format("Check {} on the master nodes (its log and health endpoint).", cs->name);
    }
  }
}

// --- CNI daemons and sandbox failures --------------------------------------------------------

// kubelet (pkg/kubelet/kuberuntime, v1.10+): event FailedCreatePodSandBox, message
// "Failed to create pod sandbox: rpc error: ... failed to setup network for sandbox ...: plugin
// type=\"terway\" failed (add): ..." (containerd) or "NetworkPlugin cni failed to set up pod ..."
// (dockershim).
void check_cni(const AnalysisContext& ctx, const FindingIndex& index, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  // Node -> ids of the findings that explain a dead CNI there.
  std::map<std::string, std::vector<std::string>, std::less<>> cni_causes;
  for (const Object* pod : pods_where(cluster, "kube-system", is_cni_daemon)) {
    const PodView view(*pod);
    if (view.ready() || view.node_name().empty()) continue;
    auto& causes = cni_causes[std::string(view.node_name())];
    for (const Finding* f : index.about(pod->ref())) causes.push_back(f->id);
    if (!is_terway(*pod)) continue;
    Finding& f = sink.add(kTerwayDown, *pod,
                          fmt::format("Terway on node {} is not Ready: pods scheduled there cannot "
                                      "get an IP",
                                      view.node_name()));
    f.evidence.push_back(Evidence::field(
        kubectl_name(*pod), ".status.conditions[Ready]",
        fmt::format("{} (phase {})", view.condition("Ready")["status"].str(), view.phase())));
    add_causes(f, index.about(pod->ref()));
    f.fix = fmt::format(
        "Fix the Terway pod on {0}: kubectl -n kube-system logs {1} -c terway-init; kubectl -n "
        "kube-system logs {1} -c terway (see NET-TERWAY-INIT-CONFIG-ERROR); then delete the pods "
        "stuck in ContainerCreating on {0} so they are recreated.",
        view.node_name(), pod->name);
    causes.push_back(f.id);
  }
  for (const Object* pod : cluster.of_kind("Pod")) {
    // The event first: it is found through the events index, while the other tests read the
    // pod's tree, which at 150,000 pods is not in any cache when this runs after the others.
    const Event* e = latest_event(cluster, *pod, "FailedCreatePodSandBox");
    if (e == nullptr) continue;
    const PodView view(*pod);
    if (view.terminated() || view.ready() || is_cni_daemon(*pod)) continue;
    const std::string_view msg = e->message;
    const bool network =
        has(msg, "network") || has(msg, "cni") || has(msg, "CNI") || has(msg, "IP");
    if (!network)
      continue;  // sandbox errors of the runtime itself (name reserved, image) are others'
    std::string plugin;
    if (const auto at = msg.find("plugin type=\""); at != std::string_view::npos) {
      const auto from = at + 13;
      plugin = std::string(msg.substr(from, msg.find('"', from) - from));
    }
    Finding& f =
        sink.add(kSandbox, *pod,
                 fmt::format("Pod {} on node {} stays ContainerCreating: the {}CNI plugin "
                             "cannot set up its network",
                             pod->name, view.node_name(), plugin.empty() ? "" : plugin + " "));
    f.evidence.push_back(event_evidence(cluster, *e));
    auto it = cni_causes.find(view.node_name());
    if (it != cni_causes.end()) {
      for (const std::string& id : it->second) {
        f.add_cause(id);
      }
    }
    f.fix = fmt::format(
        "Fix the CNI plugin on node {0}: kubectl -n kube-system get pods -o wide --field-selector "
        "spec.nodeName={0}, read the CNI daemon's log; for IP exhaustion free or add addresses "
        "(Terway: add vSwitches). Then delete this pod so it is recreated.",
        view.node_name());
  }
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  const FindingIndex index(findings);
  check_webhooks(ctx, index, sink);
  check_apiservices(ctx, index, sink);
  check_coredns(ctx, index, sink);
  check_control_plane(ctx, index, sink);
  check_cni(ctx, index, sink);
}

}  // namespace

const AnalyzerDef& addons_analyzer() {
  static const AnalyzerDef kDef{"addons", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
