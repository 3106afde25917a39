// References inside one workload: its selector against its own pod template's labels, and each
// probe's named port against the ports its container declares. Neither needs another object.
#include <fmt/format.h>

#include <array>
#include <string>

#include "lint/checks.h"
#include "lint/locate.h"
#include "lint/practices.h"
#include "model/pod_template.h"
#include "model/ports.h"
#include "model/scheduling.h"

namespace ktriage::lint {
namespace {

constexpr LintRule kSelectorMismatch{
    "lint-selector-mismatch",
    "",
    Severity::kCritical,
    "A workload's selector does not match its own pod template's labels",
    "Give the pod template the labels the selector requires (the selector is immutable)",
    "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector"};

constexpr LintRule kProbePortMissing{
    "lint-probe-port-missing",
    "POD-PROBE-NAMED-PORT-MISSING",
    Severity::kCritical,
    "A probe names a port its container does not declare: the probe errors every time",
    "Add `name:` to the container port the app listens on, or give the probe the port number",
    "https://kubernetes.io/docs/tasks/configure-pod-container/"
    "configure-liveness-readiness-startup-probes/"};

// The kinds whose selector the API server checks against the template
// (apps/validation ValidateDeploymentSpec and siblings, batch ValidateJobSpec).
bool checks_selector(std::string_view kind) {
  return kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet" ||
         kind == "DaemonSet" || kind == "Job";
}

std::string values_text(const Value& values) {
  std::string out;
  for (const Value& v : values.items())
    out += fmt::format("{}{}", out.empty() ? "" : ", ", v.str());
  return out;
}

// One selector term the template's labels fail, with the label line that would satisfy it.
struct FailedTerm {
  std::string path;  // in the workload: ".spec.selector.matchLabels[app]"
  std::string text;  // "app=web", "tier In (a, b)"
  std::string want;  // "app: web", or "" when a label must go instead
};

std::vector<FailedTerm> failed_terms(const Value& selector, const Value& labels) {
  std::vector<FailedTerm> out;
  for (const Member& m : selector["matchLabels"].members()) {
    if (labels.contains(m.key) && labels[m.key].str() == m.value.str()) continue;
    out.push_back({".spec.selector.matchLabels" + path_key(m.key),
                   fmt::format("{}={}", m.key, m.value.str()),
                   fmt::format("{}: {}", m.key, m.value.str())});
  }
  int i = 0;
  for (const Value& e : selector["matchExpressions"].items()) {
    const int index = i++;
    if (label_expression_matches(e, labels)) continue;
    const std::string_view key = e["key"].str();
    const std::string_view op = e["operator"].str();
    FailedTerm t{fmt::format(".spec.selector.matchExpressions[{}]", index),
                 op == "In" || op == "NotIn"
                     ? fmt::format("{} {} ({})", key, op, values_text(e["values"]))
                     : fmt::format("{} {}", key, op),
                 ""};
    if (op == "In") t.want = fmt::format("{}: {}", key, e["values"][0].str());
    if (op == "Exists") t.want = fmt::format("{}: <value>", key);
    out.push_back(std::move(t));
  }
  return out;
}

std::string labels_text(const Value& labels) {
  std::string out;
  for (const Member& m : labels.members())
    out += fmt::format("{}{}={}", out.empty() ? "" : ", ", m.key, m.value.str());
  return out.empty() ? "none" : out;
}

void check_selector(const Object& w, const PodTemplate& t, std::vector<Finding>& out) {
  const Value& selector = w.spec()["selector"];
  if (!selector.is_object() || label_selector_matches(selector, *t.labels)) return;
  const std::vector<FailedTerm> failed = failed_terms(selector, *t.labels);
  if (failed.empty()) return;
  std::string terms;
  std::string add;
  std::string drop;
  for (const FailedTerm& f : failed) {
    terms += fmt::format("{}`{}`", terms.empty() ? "" : ", ", f.text);
    if (!f.want.empty()) {
      add += fmt::format("{}{}", add.empty() ? "" : ", ", f.want);
    } else {
      drop += fmt::format("{}`{}`", drop.empty() ? "" : ", ", f.text);
    }
  }
  Finding& f = add_finding(
      out, kSelectorMismatch, w,
      fmt::format("{} {}'s selector term {} does not match its pod template's labels ({}): the "
                  "API server rejects it (`selector` does not match template `labels`)",
                  w.kind, w.name, terms, labels_text(*t.labels)));
  for (const FailedTerm& ft : failed) f.evidence.push_back(Evidence::field("", ft.path, ft.text));
  f.evidence.push_back(Evidence::field("", labels_path(t), labels_text(*t.labels)));
  f.fix = fmt::format(
      "Change the pod template's labels, not the selector (it is immutable once the {} "
      "exists){}{}",
      w.kind,
      add.empty() ? ""
                  : fmt::format(": `spec: {{template: {{metadata: {{labels: {{{}}}}}}}}}`", add),
      drop.empty() ? "" : fmt::format("; and change or remove the label so that {} holds", drop));
}

constexpr std::array<std::string_view, 3> kProbes = {"livenessProbe", "readinessProbe",
                                                     "startupProbe"};

std::string_view handler_of(const Value& probe) {
  for (std::string_view h : {"httpGet", "tcpSocket", "grpc"}) {
    if (probe[h].is_object()) return h;
  }
  return {};
}

// The fix for a probe naming `port`, which container `c` does not declare: a misspelt name
// (the container names its ports), a single unnamed port to name, or a port to declare.
std::string probe_port_fix(const Value& c, std::string_view port, std::string_view probe_field,
                           std::string_view handler) {
  const Value& ports = c["ports"];
  const std::string_view name = c["name"].str();
  std::string names;
  for (const Value& p : ports.items()) {
    if (!p["name"].str().empty())
      names += fmt::format("{}{}", names.empty() ? "" : ", ", p["name"].str());
  }
  if (!names.empty()) {
    return fmt::format(
        "Set {}.{}.port of container {} to one of its port names ({}), or add `name: {}` to the "
        "port the app listens on",
        probe_field, handler, name, names, port);
  }
  if (ports.size() == 1) {
    return fmt::format(
        "Name the container's port: under {}.ports[0] add `name: {}` (beside `containerPort: {}`), "
        "or set {}.{}.port: {}",
        name, port, ports[0]["containerPort"].as_int(), probe_field, handler,
        ports[0]["containerPort"].as_int());
  }
  return fmt::format(
      "Declare the port on container {} (`ports: [{{name: {}, containerPort: <the port the app "
      "listens on>}}]`), or set {}.{}.port to that number",
      name, port, probe_field, handler);
}

// A named port resolves only against the same container's ports (kubelet prober.go
// findPortByName); a name defined on another container does not count.
void check_probe_ports(const Object& w, const PodTemplate& t, std::vector<Finding>& out) {
  for (std::string_view list : {"initContainers", "containers"}) {
    int index = 0;
    for (const Value& c : (*t.spec)[list].items()) {
      const std::string container = fmt::format("{}.{}[{}]", t.spec_path, list, index++);
      for (std::string_view probe_field : kProbes) {
        const Value& probe = c[probe_field];
        if (match_probe_port(probe, c) != PortMatch::kNamedMissing) continue;
        const std::string_view port = probe_port(probe).str();
        const std::string_view name = c["name"].str();
        Finding& f = add_finding(
            out, kProbePortMissing, w,
            fmt::format("The {} of container {} in {} {} uses port `{}`, which the container does "
                        "not declare (its ports: {}): the kubelet cannot resolve it and the probe "
                        "errors every time",
                        probe_field, name, w.kind, w.name, port, declared_ports_text(c)),
            fmt::format("{}/{}", name, probe_field));
        f.evidence.push_back(Evidence::field(
            "", fmt::format("{}.{}.{}.port", container, probe_field, handler_of(probe)),
            std::string(port)));
        f.evidence.push_back(Evidence::field("", container + ".ports", declared_ports_text(c)));
        f.fix = probe_port_fix(c, port, probe_field, handler_of(probe));
      }
    }
  }
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    if (checks_selector(t.owner->kind)) check_selector(*t.owner, t, out);
    check_probe_ports(*t.owner, t, out);
  }
}

constexpr std::array kRules{kSelectorMismatch, kProbePortMissing};

}  // namespace

const LintCheck kWorkloadReferencesCheck{"references-workloads", kRules, run};

}  // namespace ktriage::lint
