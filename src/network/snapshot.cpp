#include "network/snapshot.h"

#include <algorithm>

namespace ktriage::network {
namespace {

constexpr std::string_view kNameLabel = kNamespaceNameLabel;

void add_name_label(Labels& labels, std::string_view ns) {
  if (label(labels, kNameLabel) != nullptr) return;
  labels.emplace_back(kNameLabel, ns);
  std::sort(labels.begin(), labels.end());
}

std::vector<Policy> compile_all(const Cluster& cluster, std::vector<PolicyError>& errors) {
  std::vector<Policy> out;
  for (const Object* np : cluster.of_kind("NetworkPolicy")) {
    auto p = compile_policy(np->spec(), np->ns, np->name);
    if (p) {
      out.push_back(std::move(*p));
    } else {
      errors.push_back(PolicyError{np->ns, np->name, p.error()});
    }
  }
  return out;
}

}  // namespace

PodFacts pod_facts(const Object& pod) {
  PodFacts f;
  f.ns = pod.ns;
  f.labels = labels_of(pod.labels());
  auto add = [&](const Value& container) {
    for (const Value& p : container["ports"].items()) {
      const std::string_view proto = p["protocol"].str();
      f.ports.push_back(ContainerPort{p["name"].str(),
                                      static_cast<std::int32_t>(p["containerPort"].as_int()),
                                      proto.empty() ? std::string_view("TCP") : proto});
    }
  };
  for (const Value& c : pod.spec()["containers"].items()) add(c);
  for (const Value& i : pod.status()["podIPs"].items()) {
    if (auto c = parse_cidr(i["ip"].str())) f.ips.push_back(*c);
  }
  if (f.ips.empty()) {
    if (auto c = parse_cidr(pod.status()["podIP"].str())) f.ips.push_back(*c);
  }
  for (const Value& c : pod.spec()["initContainers"].items()) {
    if (c["restartPolicy"].str() == "Always") add(c);
  }
  return f;
}

NetworkSnapshot::NetworkSnapshot(const Cluster& cluster)
    : policies_([&] {
        std::vector<PolicyError> errors;
        auto p = compile_all(cluster, errors);
        errors_ = std::move(errors);
        return p;
      }()) {
  for (const Object* ns : cluster.of_kind("Namespace")) {
    Labels l = labels_of(ns->labels());
    add_name_label(l, ns->name);
    ns_labels_[std::string(ns->name)] = std::move(l);
    ns_known_[std::string(ns->name)] = true;
  }
  for (const Object* pod : cluster.of_kind("Pod")) {
    if (ns_labels_.find(pod->ns) != ns_labels_.end()) continue;
    ns_labels_[std::string(pod->ns)] = Labels{{kNameLabel, pod->ns}};
  }
}

bool NetworkSnapshot::namespace_labels_known(std::string_view ns) const {
  return ns_known_.find(ns) != ns_known_.end();
}

const Labels& NetworkSnapshot::namespace_labels(std::string_view ns) const {
  static const Labels kNone;
  auto it = ns_labels_.find(ns);
  return it != ns_labels_.end() ? it->second : kNone;
}

PodEndpoint NetworkSnapshot::endpoint(const PodFacts& facts) const {
  PodEndpoint e;
  e.ns = facts.ns;
  e.labels = &facts.labels;
  e.ns_labels = &namespace_labels(facts.ns);
  e.ports = facts.ports;
  e.ns_labels_known = namespace_labels_known(facts.ns);
  e.ips = facts.ips;
  return e;
}

}  // namespace ktriage::network
