#include "network/matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <unordered_map>

#include "core/ascii.h"
#include "model/pod.h"

namespace ktriage::network {
namespace {

using Bits = std::vector<std::uint64_t>;

void set_bit(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
void or_into(Bits& dst, const Bits& src) {
  for (std::size_t i = 0; i < dst.size(); ++i) dst[i] |= src[i];
}

// Ones in bits [a, b).
std::size_t count_range(const Bits& bits, std::size_t a, std::size_t b) {
  std::size_t n = 0;
  while (a < b) {
    const std::size_t word = a / 64, off = a % 64;
    const std::size_t take = std::min<std::size_t>(64 - off, b - a);
    std::uint64_t w = bits[word] >> off;
    if (take < 64) w &= (std::uint64_t{1} << take) - 1;
    n += static_cast<std::size_t>(std::popcount(w));
    a += take;
  }
  return n;
}

// One equivalence class: pods that no policy can tell apart.
struct Class {
  std::uint32_t group = 0;
  PodFacts facts;
  PodEndpoint endpoint;
  // The ports a connection may target: declared (port, protocol), or one "any port" entry.
  std::vector<ContainerPort> targets;
};

// A destination port key: a declared port or "any" (port 0) for a class declaring none.
bool admits(const Rule& r, const ContainerPort& target, const Class& dst) {
  if (target.port != 0) return rule_admits_port(r, target.port, target.protocol, dst.facts.ports);
  if (r.ports.empty()) return true;
  // "any port": admitted by an entry that is not a named port (a name needs a declaration).
  return std::any_of(r.ports.begin(), r.ports.end(),
                     [](const PortRule& p) { return p.name.empty(); });
}

struct Classes {
  std::vector<Class> classes;  // sorted by group, then namespace
  std::map<std::string_view, std::pair<std::uint32_t, std::uint32_t>> by_ns;  // class range
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_group;
};

// The workload of a pod: its top owner in the snapshot; without the owner object, the owner its
// ownerReference names (a ReplicaSet "<deployment>-<pod-template-hash>" reads as the Deployment).
std::string workload_of(const Cluster& cluster, const Object& pod) {
  const Object& top = cluster.top_owner(pod);
  std::string kind(top.kind), name(top.name);
  if (&top == &pod) {
    for (const Value& ref : pod.metadata()["ownerReferences"].items()) {
      kind = ref["kind"].str();
      name = ref["name"].str();
      const std::string_view hash = pod.label("pod-template-hash");
      const bool hashed = !hash.empty() && name.size() > hash.size() &&
                          std::string_view(name).ends_with(hash) &&
                          name[name.size() - hash.size() - 1] == '-';
      if (kind == "ReplicaSet" && hashed) {
        kind = "Deployment";
        name.resize(name.size() - hash.size() - 1);
      }
      break;
    }
  }
  return fmt::format("{}/{}/{}", pod.ns, ascii_lower(kind), name);
}

Classes classify(const Cluster& cluster, const NetworkSnapshot& net, const MatrixOptions& o,
                 Matrix& m) {
  // group name -> pods; then within a group, class key -> class.
  std::map<std::string, std::vector<const Object*>> groups;
  for (const Object* pod : cluster.of_kind("Pod")) {
    if (PodView(*pod).terminated()) continue;
    if (!o.ns.empty() && pod->ns != o.ns) continue;
    if (pod->spec()["hostNetwork"].as_bool()) {
      ++m.host_network_pods;
      continue;
    }
    groups[o.by_workload ? workload_of(cluster, *pod) : std::string(pod->ns)].push_back(pod);
    ++m.pods;
  }
  // Only label keys some selector reads can tell pods apart: a StatefulSet pod's unique
  // statefulset.kubernetes.io/pod-name, pod-template-hash and the like must not split classes.
  std::set<std::string_view> keys;
  auto add_keys = [&](const Selector& sel) {
    for (const auto& kv : sel.match_labels) keys.insert(kv.first);
    for (const Requirement& r : sel.expressions) keys.insert(r.key);
  };
  for (const Policy& p : net.policies().all()) {
    add_keys(p.pod_selector);
    for (const auto* rules : {&p.ingress_rules, &p.egress_rules}) {
      for (const Rule& r : *rules) {
        for (const Peer& peer : r.peers) {
          if (peer.pod_selector) add_keys(*peer.pod_selector);
        }
      }
    }
  }
  Classes out;
  std::uint32_t g = 0;
  for (auto& [name, pods] : groups) {
    m.groups.push_back(name);
    m.group_pods.push_back(static_cast<std::uint32_t>(pods.size()));
    const auto first = static_cast<std::uint32_t>(out.classes.size());
    std::unordered_map<std::string, std::uint32_t> seen;
    for (const Object* pod : pods) {
      PodFacts f = pod_facts(*pod);
      std::string key(f.ns);
      for (const auto& [k, v] : f.labels) {
        if (keys.count(k) > 0) key += fmt::format("\x1f{}={}", k, v);
      }
      key += '\x1e';
      for (const ContainerPort& p : f.ports)
        key += fmt::format("{}:{}/{},", p.name, p.port, p.protocol);
      if (seen.emplace(std::move(key), static_cast<std::uint32_t>(out.classes.size())).second) {
        Class c;
        c.group = g;
        c.facts = std::move(f);
        out.classes.push_back(std::move(c));
      }
    }
    out.by_group.emplace_back(first, static_cast<std::uint32_t>(out.classes.size()));
    ++g;
  }
  // Stable storage now: endpoints may view the facts.
  for (std::size_t i = 0; i < out.classes.size(); ++i) {
    Class& c = out.classes[i];
    c.endpoint = net.endpoint(c.facts);
    for (const ContainerPort& p : c.facts.ports) {
      if (std::none_of(c.targets.begin(), c.targets.end(), [&](const ContainerPort& t) {
            return t.port == p.port && t.protocol == p.protocol;
          }))
        c.targets.push_back(p);
    }
    if (c.targets.empty()) c.targets.push_back(ContainerPort{"", 0, "TCP"});
  }
  // Classes of one namespace are contiguous only when grouping by namespace; keep a list.
  return out;
}

// Classes per namespace (indices), for peers.
std::unordered_map<std::string_view, std::vector<std::uint32_t>> classes_by_ns(const Classes& cs) {
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> out;
  for (std::uint32_t i = 0; i < cs.classes.size(); ++i) out[cs.classes[i].facts.ns].push_back(i);
  return out;
}

struct Engine {
  const NetworkSnapshot& net;
  const Classes& cs;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> ns_classes;
  std::size_t words;
  std::unordered_map<std::string, Bits> peer_cache;
  std::unordered_map<std::string, std::vector<std::string_view>> ns_selector_cache;

  Bits empty() const { return Bits(words, 0); }
  Bits full() const {
    Bits b(words, ~std::uint64_t{0});
    if (const std::size_t rest = cs.classes.size() % 64; rest != 0 && !b.empty())
      b.back() = (std::uint64_t{1} << rest) - 1;
    return b;
  }

  const std::vector<std::string_view>& namespaces_matching(const Selector& s) {
    const std::string key = s.to_string();
    auto it = ns_selector_cache.find(key);
    if (it != ns_selector_cache.end()) return it->second;
    std::vector<std::string_view> out;
    for (const auto& [ns, labels] : net.namespaces()) {
      if (s.matches(labels)) out.push_back(ns);
    }
    return ns_selector_cache.emplace(key, std::move(out)).first->second;
  }

  // The classes a rule's peers select (pods only; ipBlock never selects pods). Cached by the
  // peers' text: many policies repeat the same peers.
  // The peers as text: equal text, equal classes.
  static std::string peers_key(const Rule& r, const Policy& p) {
    std::string key;
    for (const Peer& peer : r.peers) {
      if (peer.ip_block) continue;
      key += fmt::format("{}|{};",
                         peer.namespace_selector ? peer.namespace_selector->to_string()
                                                 : "own:" + std::string(p.ns),
                         peer.pod_selector ? peer.pod_selector->to_string() : "-");
    }
    return key;
  }

  const Bits& rule_peers(const Rule& r, const Policy& p) {
    std::string key = peers_key(r, p);
    auto it = peer_cache.find(key);
    if (it != peer_cache.end()) return it->second;
    Bits bits = empty();
    for (const Peer& peer : r.peers) {
      if (peer.ip_block) continue;
      auto add_ns = [&](std::string_view ns) {
        auto c = ns_classes.find(ns);
        if (c == ns_classes.end()) return;
        for (std::uint32_t i : c->second) {
          if (!peer.pod_selector || peer.pod_selector->matches(*cs.classes[i].endpoint.labels))
            set_bit(bits, i);
        }
      };
      if (peer.namespace_selector) {
        for (std::string_view ns : namespaces_matching(*peer.namespace_selector)) add_ns(ns);
      } else {
        add_ns(p.ns);
      }
    }
    return peer_cache.emplace(std::move(key), std::move(bits)).first->second;
  }
};

// Which policies select each class, per direction, and which classes each egress policy
// selects. O(classes * policies of their namespace).
struct Selection {
  std::vector<std::vector<const Policy*>> in_iso;    // per class: policies isolating its ingress
  std::unordered_map<const Policy*, Bits> selected;  // egress policy -> classes it selects
  Bits egress_open;                                  // classes not isolated for egress
};

Selection select_classes(const NetworkSnapshot& net, const Classes& cs, const Engine& e) {
  const std::size_t n = cs.classes.size();
  Selection out;
  out.in_iso.resize(n);
  out.egress_open = e.empty();
  for (std::uint32_t i = 0; i < n; ++i) {
    const Class& c = cs.classes[i];
    bool egress = false;
    for (const Policy& p : net.policies().in_namespace(c.facts.ns)) {
      if (!p.pod_selector.matches(c.facts.labels)) continue;
      if (p.ingress) out.in_iso[i].push_back(&p);
      if (!p.egress) continue;
      egress = true;
      auto [it, fresh] = out.selected.try_emplace(&p);
      if (fresh) it->second = e.empty();
      set_bit(it->second, i);
    }
    if (!egress) set_bit(out.egress_open, i);
  }
  return out;
}

// Egress, destination side: for each destination class and target port, the sources whose
// egress allows it. Rules with the same peers and ports (default policies stamped into every
// namespace) are merged first, so each distinct rule touches its destinations once.
std::vector<std::vector<Bits>> egress_to(const Classes& cs, const Selection& sel, Engine& e) {
  const std::size_t n = cs.classes.size();
  struct Folded {
    const Rule* rule;
    const Policy* policy;
    Bits sources;
  };
  std::map<std::string, Folded> folded;
  for (const auto& [p, sources] : sel.selected) {
    for (const Rule& r : p->egress_rules) {
      std::string key = r.peers.empty() ? "*" : e.peers_key(r, *p);
      key += '#';
      for (const PortRule& pr : r.ports) key += pr.to_string() + ",";
      auto [it, fresh] = folded.try_emplace(std::move(key), Folded{&r, p, {}});
      if (fresh) it->second.sources = e.empty();
      or_into(it->second.sources, sources);
    }
  }
  std::vector<std::vector<Bits>> eg_to(n);
  for (std::uint32_t d = 0; d < n; ++d)
    eg_to[d].assign(cs.classes[d].targets.size(), sel.egress_open);
  for (const auto& entry : folded) {
    const auto& f = entry.second;  // not a structured binding: clang 14 cannot capture those
    auto apply = [&](std::size_t d) {
      const Class& dc = cs.classes[d];
      for (std::size_t k = 0; k < dc.targets.size(); ++k)
        if (admits(*f.rule, dc.targets[k], dc)) or_into(eg_to[d][k], f.sources);
    };
    if (f.rule->peers.empty()) {
      for (std::size_t d = 0; d < n; ++d) apply(d);
      continue;
    }
    const Bits& peers = e.rule_peers(*f.rule, *f.policy);
    for (std::size_t w = 0; w < peers.size(); ++w) {
      for (std::uint64_t bits = peers[w]; bits != 0; bits &= bits - 1)
        apply(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
    }
  }
  return eg_to;
}

// The namespaceSelectors the snapshot cannot decide for the matrix's namespaces that have no
// Namespace object (path.h reports such a hop as unknown). O(peers * those namespaces).
std::vector<std::string> undecided_notes(const NetworkSnapshot& net, const Engine& e) {
  std::vector<std::string_view> unknown;
  for (const auto& [ns, classes] : e.ns_classes) {
    if (!net.namespace_labels_known(ns)) unknown.push_back(ns);
  }
  std::sort(unknown.begin(), unknown.end());
  std::vector<std::string> out;
  if (unknown.empty()) return out;
  std::size_t more = 0;
  for (const Policy& p : net.policies().all()) {
    for (const bool ingress : {true, false}) {
      const auto& rules = ingress ? p.ingress_rules : p.egress_rules;
      for (std::size_t i = 0; i < rules.size(); ++i) {
        for (std::size_t j = 0; j < rules[i].peers.size(); ++j) {
          const Peer& peer = rules[i].peers[j];
          if (!peer.namespace_selector) continue;
          std::string which;
          for (std::string_view ns : unknown) {
            if (!peer.namespace_selector->matches(net.namespace_labels(ns)) &&
                namespace_selector_undecided(*peer.namespace_selector, ns))
              which += fmt::format("{}{}", which.empty() ? "" : ", ", ns);
          }
          if (which.empty()) continue;
          if (out.size() >= 5) {
            ++more;
            continue;
          }
          out.push_back(fmt::format(
              "NetworkPolicy {}/{} .spec.{}[{}].{}[{}].namespaceSelector {} tests labels of "
              "namespace(s) {}, which the snapshot has no Namespace object for: its cells with "
              "them may be wrong (netcheck FROM TO says unknown)",
              p.ns, p.name, ingress ? "ingress" : "egress", i, ingress ? "from" : "to", j,
              peer.namespace_selector->to_string(), which));
        }
      }
    }
  }
  if (more > 0) out.push_back(fmt::format("and {} more such namespaceSelector(s)", more));
  return out;
}

}  // namespace

Matrix compute_matrix(const Cluster& cluster, const NetworkSnapshot& net,
                      const MatrixOptions& options) {
  Matrix m;
  m.policies = net.policies().all().size();
  const Classes cs = classify(cluster, net, options, m);
  m.classes = cs.classes.size();
  const std::size_t n = cs.classes.size();
  Engine e{net, cs, classes_by_ns(cs), (n + 63) / 64, {}, {}};

  m.notes = undecided_notes(net, e);
  const Selection sel = select_classes(net, cs, e);
  const auto eg_to = egress_to(cs, sel, e);
  const auto& in_iso = sel.in_iso;
  // Ingress per destination class and port, ANDed with egress, then folded into group pairs.
  // Classes come group by group, so one destination group is finished before the next starts.
  const Bits all = e.full();
  const std::size_t groups = m.groups.size();
  std::vector<std::uint32_t> reached(groups, 0);  // destination classes reached, per source group
  std::vector<bool> every(groups, true);          // ... by every class of the source group
  auto flush = [&](std::uint32_t to) {
    const auto& range = cs.by_group[to];
    for (std::uint32_t g = 0; g < groups; ++g) {
      if (reached[g] != 0)
        m.pairs.push_back({g, to, every[g] && reached[g] == range.second - range.first});
      reached[g] = 0;
      every[g] = true;  // also for groups that reached nothing: the next destination starts clean
    }
  };
  for (std::uint32_t d = 0; d < n; ++d) {
    const Class& dc = cs.classes[d];
    Bits reach = e.empty();
    for (std::size_t k = 0; k < dc.targets.size(); ++k) {
      Bits in = in_iso[d].empty() ? all : e.empty();
      for (const Policy* p : in_iso[d]) {
        for (const Rule& r : p->ingress_rules) {
          if (!admits(r, dc.targets[k], dc)) continue;
          or_into(in, r.peers.empty() ? all : e.rule_peers(r, *p));
        }
      }
      for (std::size_t w = 0; w < e.words; ++w) reach[w] |= in[w] & eg_to[d][k][w];
    }
    for (std::uint32_t g = 0; g < groups; ++g) {
      const auto& range = cs.by_group[g];
      const std::size_t c = count_range(reach, range.first, range.second);
      if (c == 0) {
        every[g] = false;
        continue;
      }
      ++reached[g];
      if (c != range.second - range.first) every[g] = false;
    }
    if (d + 1 == n || cs.classes[d + 1].group != dc.group) flush(dc.group);
  }
  return m;
}

}  // namespace ktriage::network
