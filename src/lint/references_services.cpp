// Selectors over the set's pod templates: a Service or PodDisruptionBudget whose selector matches
// no workload in its namespace, and a Service's targetPort that the containers it selects do not
// expose. Templates are indexed once per run (template_index.h); a namespace without any
// workload in the set is skipped, since its workloads may be applied from elsewhere.
#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "lint/checks.h"
#include "lint/locate.h"
#include "lint/template_index.h"
#include "model/ports.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDebugService =
    "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/";

constexpr LintRule kSelectsNothing{
    "lint-service-selects-nothing",
    "SVC-SELECTOR-MATCHES-NOTHING",
    Severity::kWarning,
    "A Service's selector matches no pod template in its namespace: it gets no endpoints",
    "Set the Service's selector to labels the workload's pod template carries",
    kDebugService};
constexpr LintRule kTargetPortMissing{
    "lint-target-port-missing",
    "SVC-TARGETPORT-MISMATCH",
    Severity::kCritical,
    "A Service's named targetPort is not a port name of the containers it selects",
    "Name the container port, or set targetPort to a declared name or number",
    kDebugService};
constexpr LintRule kTargetPortUndeclared{
    "lint-target-port-undeclared",
    "SVC-TARGETPORT-MISMATCH",
    Severity::kWarning,
    "A Service's numeric targetPort is not among the ports the selected containers declare",
    "Set targetPort to the port the container listens on",
    kDebugService};
constexpr LintRule kPdbSelectsNothing{
    "lint-pdb-selects-nothing",
    "",
    Severity::kWarning,
    "A PodDisruptionBudget's selector matches no pod template in its namespace: it protects "
    "nothing",
    "Set the PodDisruptionBudget's selector to labels the workload's pod template carries",
    "https://kubernetes.io/docs/tasks/run-application/configure-pdb/"};

std::string pairs_text(const Value& map) {
  std::string out;
  for (const Member& m : map.members())
    out += fmt::format("{}{}={}", out.empty() ? "" : ", ", m.key, m.value.str());
  return out.empty() ? "none" : out;
}

// Where a selector map goes wrong against the template it most likely meant: the first pair the
// template does not carry (its path under `prefix`), and the YAML map that would match it.
struct Suggestion {
  std::string path;
  std::string yaml;  // "{app: web, tier: api}"
};

Suggestion suggest(const Value& selector, const PodTemplate* nearest, std::string_view prefix) {
  Suggestion s{std::string(prefix), ""};
  if (nearest == nullptr) return s;
  const Value& labels = *nearest->labels;
  for (const Member& m : selector.members()) {
    const bool carried = labels.contains(m.key);
    if (carried && labels[m.key].str() == m.value.str()) {
      s.yaml += fmt::format("{}{}: {}", s.yaml.empty() ? "" : ", ", m.key, m.value.str());
      continue;
    }
    if (s.path == prefix) s.path += path_key(m.key);
    if (carried)
      s.yaml += fmt::format("{}{}: {}", s.yaml.empty() ? "" : ", ", m.key, labels[m.key].str());
  }
  if (s.yaml.empty()) {
    for (const Member& m : labels.members())
      s.yaml += fmt::format("{}{}: {}", s.yaml.empty() ? "" : ", ", m.key, m.value.str());
  }
  s.yaml = "{" + s.yaml + "}";
  return s;
}

void selects_nothing(const TemplateIndex& index, const Object& svc, const Value& selector,
                     std::vector<Finding>& out) {
  const PodTemplate* nearest = index.nearest(effective_namespace(svc), selector);
  const Suggestion s = suggest(selector, nearest, ".spec.selector");
  Finding& f = add_finding(
      out, kSelectsNothing, svc,
      fmt::format("Service {} selects {}, which no pod template in namespace {} carries{}: the "
                  "Service gets no endpoints and its clients are refused",
                  svc.name, pairs_text(selector), effective_namespace(svc),
                  nearest == nullptr
                      ? ""
                      : fmt::format(" (nearest: {} with {})", kubectl_name(*nearest->owner),
                                    pairs_text(*nearest->labels))));
  f.evidence.push_back(Evidence::field("", s.path, pairs_text(selector)));
  if (nearest != nullptr) {
    f.evidence.push_back(Evidence::field(kubectl_name(*nearest->owner), labels_path(*nearest),
                                         pairs_text(*nearest->labels)));
    f.fix = fmt::format(
        "Select the labels {}'s pods carry (change the Service, not the workload's selector, "
        "which is immutable): `spec: {{selector: {}}}`",
        kubectl_name(*nearest->owner), s.yaml);
  } else {
    f.fix = fmt::format(
        "No pod template in the namespace carries any of the selector's keys: set spec.selector "
        "of Service {} to the labels under spec.template.metadata.labels of the workload it "
        "serves, or apply the Service in that workload's namespace.",
        svc.name);
  }
}

// The containers that serve a Service: app containers and restartable init containers (native
// sidecars, which the endpoints controller also searches for a named port since 1.29).
template <typename F>
void for_each_serving_container(const PodTemplate& t, F&& f) {
  int i = 0;
  for (const Value& c : (*t.spec)["containers"].items())
    f(c, fmt::format("{}.containers[{}]", t.spec_path, i++));
  i = 0;
  for (const Value& c : (*t.spec)["initContainers"].items()) {
    const int index = i++;
    if (c["restartPolicy"].str() == "Always")
      f(c, fmt::format("{}.initContainers[{}]", t.spec_path, index));
  }
}

// What the containers a Service selects declare: for messages, for "declares nothing", and the
// node to point at (the first container with ports, else the first container).
struct SelectedPorts {
  std::string declared;  // "8080/TCP (http), 9090/TCP"; "" when none
  std::string owner;     // "deployment/web"
  std::string path;      // ".spec.template.spec.containers[0].ports"
};

SelectedPorts selected_ports(const std::vector<const PodTemplate*>& matched) {
  SelectedPorts out{"", kubectl_name(*matched.front()->owner),
                    matched.front()->spec_path + ".containers[0]"};
  bool placed = false;
  for (const PodTemplate* t : matched) {
    for_each_serving_container(*t, [&](const Value& c, const std::string& path) {
      if (c["ports"].size() == 0) return;
      const std::string text = declared_ports_text(c);
      if (out.declared.find(text) == std::string::npos)
        out.declared += fmt::format("{}{}", out.declared.empty() ? "" : ", ", text);
      if (!placed) {
        out.owner = kubectl_name(*t->owner);
        out.path = path + ".ports";
        placed = true;
      }
    });
  }
  return out;
}

void report_target_port(const Object& svc, const Value& port, int i, const SelectedPorts& sel,
                        std::vector<Finding>& out) {
  const bool defaulted = port["targetPort"].is_null();
  const Value& target = defaulted ? port["port"] : port["targetPort"];
  const std::string_view protocol = protocol_of(port);
  const bool named = is_port_name(target);
  const std::string target_text =
      named ? std::string(target.str()) : std::to_string(target.as_int());
  Finding& f = add_finding(
      out, named ? kTargetPortMissing : kTargetPortUndeclared, svc,
      named ? fmt::format("Service {} port {} targets the port named `{}`/{}, which no container "
                          "of {} declares: the port gets no endpoints and its traffic goes "
                          "nowhere",
                          svc.name, port["port"].as_int(), target_text, protocol, sel.owner)
            : fmt::format("Service {} port {} targets port {}/{}, which the containers of {} do "
                          "not declare (they declare {}): most likely a typo",
                          svc.name, port["port"].as_int(), target_text, protocol, sel.owner,
                          sel.declared),
      std::to_string(i));
  f.evidence.push_back(Evidence::field(
      "", fmt::format(".spec.ports[{}].{}", i, defaulted ? "port" : "targetPort"), target_text));
  f.evidence.push_back(Evidence::field(
      sel.owner, sel.path, sel.declared.empty() ? "(no ports declared)" : sel.declared));
  f.fix = named ? fmt::format(
                      "Name the port the app listens on in {}'s container (`ports: [{{name: {}, "
                      "containerPort: <port>}}]`), or set spec.ports[{}].targetPort of Service {} "
                      "to a declared port{}.",
                      sel.owner, target_text, i, svc.name,
                      sel.declared.empty() ? "" : fmt::format(" ({})", sel.declared))
                : fmt::format(
                      "Set spec.ports[{}].targetPort of Service {} to the port the container "
                      "listens on (declared: {}), or, if the app does listen on {}, declare it in "
                      "{}: `- containerPort: {}`.",
                      i, svc.name, sel.declared, target_text, sel.owner, target_text);
}

void check_target_ports(const Object& svc, const std::vector<const PodTemplate*>& matched,
                        std::vector<Finding>& out) {
  const SelectedPorts sel = selected_ports(matched);
  int index = 0;
  for (const Value& port : svc.spec()["ports"].items()) {
    const int i = index++;
    const Value& target = port["targetPort"].is_null() ? port["port"] : port["targetPort"];
    if (target.is_null()) continue;
    const std::string_view protocol = protocol_of(port);
    bool found = false;
    for (const PodTemplate* t : matched) {
      for_each_serving_container(*t, [&](const Value& c, const std::string&) {
        found = found || declares_port(c, target, protocol);
      });
    }
    // A number no container declares may still be served (containerPort is informational);
    // judge it only when the containers declare some ports.
    if (found || (!is_port_name(target) && sel.declared.empty())) continue;
    report_target_port(svc, port, i, sel, out);
  }
}

void check_services(const Cluster& cluster, const TemplateIndex& index, std::vector<Finding>& out) {
  for (const Object* svc : cluster.of_kind("Service")) {
    const Value& selector = svc->spec()["selector"];
    if (svc->spec()["type"].str() == "ExternalName" || selector.size() == 0) continue;
    const std::string_view ns = effective_namespace(*svc);
    if (!index.has_templates(ns)) continue;
    const std::vector<const PodTemplate*> matched = index.matching_map(ns, selector);
    if (matched.empty()) {
      selects_nothing(index, *svc, selector, out);
    } else {
      check_target_ports(*svc, matched, out);
    }
  }
}

void check_pdbs(const Cluster& cluster, const TemplateIndex& index, std::vector<Finding>& out) {
  for (const Object* pdb : cluster.of_kind("PodDisruptionBudget")) {
    const std::string_view ns = effective_namespace(*pdb);
    if (!index.has_templates(ns)) continue;
    const Value& selector = pdb->spec()["selector"];
    // policy/v1: an empty selector selects every pod of the namespace, a null one none;
    // policy/v1beta1: an empty selector selects none.
    const bool empty =
        selector["matchLabels"].size() == 0 && selector["matchExpressions"].size() == 0;
    const bool none = selector.is_null() || (empty && pdb->api_version == "policy/v1beta1");
    if (!none && !index.matching_label_selector(ns, selector).empty()) continue;
    const Value& match_labels = selector["matchLabels"];
    const PodTemplate* nearest = index.nearest(ns, match_labels);
    const Suggestion s = suggest(match_labels, nearest, ".spec.selector.matchLabels");
    Finding& f = add_finding(
        out, kPdbSelectsNothing, *pdb,
        fmt::format("PodDisruptionBudget {} selects {}, which no pod template in namespace {} "
                    "carries: it protects no pods from eviction",
                    pdb->name,
                    selector.is_null() ? "nothing (no selector)" : pairs_text(match_labels), ns));
    f.evidence.push_back(
        Evidence::field("", match_labels.size() > 0 ? s.path : std::string(".spec.selector"),
                        selector.is_null() ? "none" : pairs_text(match_labels)));
    if (nearest != nullptr) {
      f.evidence.push_back(Evidence::field(kubectl_name(*nearest->owner), labels_path(*nearest),
                                           pairs_text(*nearest->labels)));
      f.fix = fmt::format(
          "Select the labels {}'s pods carry: `spec: {{selector: {{matchLabels: {}}}}}`",
          kubectl_name(*nearest->owner), s.yaml);
    } else {
      f.fix = fmt::format(
          "Set spec.selector.matchLabels of PodDisruptionBudget {} to the labels under "
          "spec.template.metadata.labels of the workload it protects.",
          pdb->name);
    }
  }
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  const TemplateIndex index(ctx.cluster);
  check_services(ctx.cluster, index, out);
  check_pdbs(ctx.cluster, index, out);
}

constexpr std::array kRules{kSelectsNothing, kTargetPortMissing, kTargetPortUndeclared,
                            kPdbSelectsNothing};

}  // namespace

const LintCheck kServiceReferencesCheck{"references-services", kRules, run};

}  // namespace ktriage::lint
