// Connections that time out in the pods' own logs, tied to the finding that explains them
// (run_after: it sees the findings of the analyzers before it). A client's `dial tcp IP:PORT:
// i/o timeout` (Go), `connect ETIMEDOUT IP:PORT` (Node.js), `(110: Connection timed out) while
// connecting to upstream` (nginx, glibc's strerror), curl's `Failed to connect to IP port N:
// Connection timed out` and Java's Netty / Apache HttpClient wordings name an address; resolved to
// a pod (status.podIP/podIPs) or a Service (spec.clusterIP, then the pods it selects), the flow is
// judged against the earlier findings: a security-group finding whose group drops it
// (cloud::SecurityGroupPaths::hop between the two pods' addresses decides which group) or a
// NetworkPolicy finding about the destination Service. A timeout with such a cause is reported,
// about the client's workload (its pods in also_affects), caused_by the cause. So is one between
// pods on two ECS nodes whose security groups could not be judged (no cloud/ answers, or the
// answer holding the groups' rules or the instances unreadable): the catalog's usual cause,
// ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED, is then unknown rather than absent, and the finding says
// so and what to collect instead of vanishing with the cloud data. Any other timeout nothing
// explains is not a finding: apps log timeouts for many reasons. Catalog
// NET-POD-CROSS-NODE-UNREACHABLE (client side `re: (i/o timeout|no route to host|Connection timed
// out|...)`); the causes are ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED and NET-NETWORKPOLICY-DENY.
//
// Cost: nothing at all unless a security-group or NetworkPolicy finding exists or the Nodes are
// ECS instances; then the address maps are built once (O(pods + Services)) and each log is
// searched for a few failure words (memmem) before any line is parsed; hops are cached per
// (source, destination, port).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "cloud/ecs.h"
#include "cloud/sg_path.h"
#include "core/ascii.h"
#include "model/pod.h"
#include "model/ports.h"
#include "model/scheduling.h"

namespace ktriage {
namespace {

constexpr Rule kTimeouts{
    "pod-connections-time-out",
    "NET-POD-CROSS-NODE-UNREACHABLE",
    Severity::kWarning,
    "A pod's connections to other pods or Services time out (its logs say so) because a security "
    "group or a NetworkPolicy drops them, or across ECS nodes whose security groups could not be "
    "checked",
    "Nothing to change in the client: apply the fix of the cause it is listed under (the security "
    "group or NetworkPolicy finding), then check the path with ktriage netcheck pod/NS/CLIENT "
    "pod/NS/SERVER --port PORT. When the security groups were not checked, collect the cloud "
    "answers (ktriage collect --cloud, docs/cloud.md) or repair the unreadable one, and diagnose "
    "again.",
    "https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "faq-about-network-management"};
constexpr Rule kRules[] = {kTimeouts};

constexpr std::size_t kShownLines = 3;  // log lines quoted per finding; the rest are counted
constexpr std::size_t kShownNotes = 4;  // resolved addresses listed per finding

// ---- The failure lines ------------------------------------------------------------------------

struct Address {
  std::string_view ip;
  int port = 0;
};

bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex_or_colon(char c) {
  return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

// An IPv4 address at the start of `s`: its length, 0 when there is none.
std::size_t ipv4_length(std::string_view s) {
  std::size_t i = 0;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) {
      if (i >= s.size() || s[i] != '.') return 0;
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && digit(s[i]) && i - start < 3) ++i;
    if (i == start) return 0;
  }
  return i < s.size() && (digit(s[i]) || s[i] == '.') ? 0 : i;
}

// Digits at the start of `s` as a port (1-65535): its length, 0 when there is none.
std::size_t port_length(std::string_view s, int* port) {
  std::size_t i = 0;
  int value = 0;
  while (i < s.size() && digit(s[i]) && i < 5) value = value * 10 + (s[i++] - '0');
  if (i == 0 || value == 0 || value > 65535 || (i < s.size() && digit(s[i]))) return 0;
  *port = value;
  return i;
}

// "10.0.0.1:8080" or "[fd00::1]:8080" at the start of `s`; `*used` is its length.
std::optional<Address> parse_address(std::string_view s, std::size_t* used) {
  Address a;
  std::size_t i = 0;
  if (!s.empty() && s[0] == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    for (std::size_t k = 1; k < close; ++k) {
      if (!hex_or_colon(s[k])) return std::nullopt;
    }
    a.ip = s.substr(1, close - 1);
    i = close + 1;
  } else {
    const std::size_t n = ipv4_length(s);
    if (n == 0) return std::nullopt;
    a.ip = s.substr(0, n);
    i = n;
  }
  if (i >= s.size() || s[i] != ':') return std::nullopt;
  const std::size_t p = port_length(s.substr(i + 1), &a.port);
  if (p == 0) return std::nullopt;
  *used = i + 1 + p;
  return a;
}

// Go: `dial tcp[46] [LOCAL->]IP:PORT: i/o timeout` (or `: connect: connection timed out`,
// `: connect: no route to host`), as net.OpError prints it.
std::optional<Address> go_dial(std::string_view line) {
  for (std::size_t at = line.find("dial tcp"); at != std::string_view::npos;
       at = line.find("dial tcp", at + 1)) {
    std::size_t p = at + 8;
    if (p < line.size() && (line[p] == '4' || line[p] == '6')) ++p;
    if (p >= line.size() || line[p] != ' ') continue;
    std::size_t used = 0;
    auto a = parse_address(line.substr(p + 1), &used);
    if (!a) continue;
    p += 1 + used;
    if (line.substr(p).starts_with("->")) {  // a dialer with a local address
      a = parse_address(line.substr(p + 2), &used);
      if (!a) continue;
      p += 2 + used;
    }
    const std::string_view rest = line.substr(p);
    if (rest.starts_with(": i/o timeout") || rest.starts_with(": connect: connection timed out") ||
        rest.starts_with(": connect: no route to host"))
      return a;
  }
  return std::nullopt;
}

// Node.js: `connect ETIMEDOUT IP:PORT`, `connect EHOSTUNREACH IP:PORT`.
std::optional<Address> node_connect(std::string_view line) {
  for (std::string_view word : {"connect ETIMEDOUT ", "connect EHOSTUNREACH "}) {
    const std::size_t at = line.find(word);
    if (at == std::string_view::npos) continue;
    std::size_t used = 0;
    if (auto a = parse_address(line.substr(at + word.size()), &used)) return a;
  }
  return std::nullopt;
}

// nginx (glibc's strerror): `(110: Connection timed out) while connecting to upstream, ...,
// upstream: "http://IP:PORT/..."`, also `(113: No route to host)`.
std::optional<Address> nginx_upstream(std::string_view line) {
  if (line.find("(110: Connection timed out) while connecting to upstream") ==
          std::string_view::npos &&
      line.find("(113: No route to host) while connecting to upstream") == std::string_view::npos)
    return std::nullopt;
  const std::size_t at = line.find("upstream: \"");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t scheme = line.find("://", at);
  if (scheme == std::string_view::npos) return std::nullopt;
  std::size_t used = 0;
  return parse_address(line.substr(scheme + 3), &used);
}

// curl: `Failed to connect to IP port PORT[ after N ms]: Connection timed out` (or `No route to
// host`).
std::optional<Address> curl_connect(std::string_view line) {
  constexpr std::string_view kWord = "Failed to connect to ";
  const std::size_t at = line.find(kWord);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view s = line.substr(at + kWord.size());
  const std::size_t n = ipv4_length(s);
  if (n == 0 || !s.substr(n).starts_with(" port ")) return std::nullopt;
  Address a{s.substr(0, n), 0};
  const std::size_t p = port_length(s.substr(n + 6), &a.port);
  if (p == 0) return std::nullopt;
  s = s.substr(n + 6 + p);
  if (s.starts_with(" after ")) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    s = s.substr(colon);
  }
  if (s.starts_with(": Connection timed out") || s.starts_with(": No route to host")) return a;
  return std::nullopt;
}

// Java. Netty: `connection timed out[ after N ms]: [host]/IP:PORT`, `Connection timed out:
// /IP:PORT`, `No route to host: /IP:PORT`. Apache HttpClient: `Connect to HOST:PORT [host/IP]
// failed: Connect timed out` (or `Connection timed out`, `No route to host`).
std::optional<Address> java_connect(std::string_view line) {
  for (std::string_view word : {"onnection timed out", "No route to host"}) {
    for (std::size_t at = line.find(word); at != std::string_view::npos;
         at = line.find(word, at + 1)) {
      std::string_view s = line.substr(at + word.size());
      if (s.starts_with(" after ")) {
        const std::size_t colon = s.find(':');
        if (colon == std::string_view::npos) break;
        s = s.substr(colon);
      }
      if (!s.starts_with(": ")) continue;
      s = s.substr(2);
      const std::size_t slash = s.find('/');
      if (slash == std::string_view::npos || s.substr(0, slash).find(' ') != std::string_view::npos)
        continue;
      std::size_t used = 0;
      if (auto a = parse_address(s.substr(slash + 1), &used)) return a;
    }
  }
  constexpr std::string_view kWord = "Connect to ";
  for (std::size_t at = line.find(kWord); at != std::string_view::npos;
       at = line.find(kWord, at + 1)) {
    const std::string_view s = line.substr(at + kWord.size());
    const std::size_t space = s.find(" [");
    const std::size_t close = s.find("] failed: ");
    if (space == std::string_view::npos || close == std::string_view::npos || close < space)
      continue;
    const std::string_view host_port = s.substr(0, space);
    const std::size_t colon = host_port.rfind(':');
    Address a;
    if (colon == std::string_view::npos || port_length(host_port.substr(colon + 1), &a.port) == 0)
      continue;
    const std::string_view failure = s.substr(close + 10);
    if (!failure.starts_with("Connect timed out") && !failure.starts_with("connect timed out") &&
        !failure.starts_with("Connection timed out") && !failure.starts_with("No route to host"))
      continue;
    const std::string_view first = s.substr(space + 2, close - space - 2);
    const std::size_t slash = first.find('/');
    std::string_view ip = first.substr(slash == std::string_view::npos ? 0 : slash + 1);
    ip = ip.substr(0, ip.find(','));
    if (ipv4_length(ip) != ip.size()) continue;
    a.ip = ip;
    return a;
  }
  return std::nullopt;
}

std::optional<Address> failed_connection(std::string_view line) {
  if (auto a = go_dial(line)) return a;
  if (auto a = node_connect(line)) return a;
  if (auto a = nginx_upstream(line)) return a;
  if (auto a = curl_connect(line)) return a;
  return java_connect(line);
}

// Words every wording above contains: a log without any of them is not parsed.
constexpr std::string_view kFailureWords[] = {"i/o timeout", "timed out", "o route to host",
                                              "ETIMEDOUT", "EHOSTUNREACH"};

struct FailedLine {
  std::size_t offset = 0;  // of the line in the log's text
  std::string_view text;
  Address address;
};

// Where `word` occurs in `text` at or after `from`; npos when it does not. glibc's memmem skips
// through long texts much faster than string_view::find, which stops at every first character.
std::size_t find_word(std::string_view text, std::string_view word, std::size_t from) {
  if (from >= text.size()) return std::string_view::npos;
  const void* at = ::memmem(text.data() + from, text.size() - from, word.data(), word.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
}

// The failed connections of one log, in line order. O(len(text) * failure words).
std::vector<FailedLine> failed_lines(std::string_view text) {
  std::vector<std::size_t> starts;  // of the lines with a failure word
  for (std::string_view word : kFailureWords) {
    for (std::size_t at = find_word(text, word, 0); at != std::string_view::npos;) {
      const std::size_t nl = text.rfind('\n', at);
      starts.push_back(nl == std::string_view::npos ? 0 : nl + 1);
      const std::size_t end = text.find('\n', at);
      at = end == std::string_view::npos ? end : find_word(text, word, end);
    }
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<FailedLine> out;
  for (std::size_t start : starts) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (auto a = failed_connection(line)) out.push_back(FailedLine{start, line, *a});
  }
  return out;
}

// ---- Addresses and causes ---------------------------------------------------------------------

std::string pod_name(const Object& pod) { return fmt::format("{}/{}", pod.ns, pod.name); }

// The pods a Service sends `port` to, with the port on each (targetPort resolved on the pod).
std::vector<std::pair<const Object*, int>> service_targets(const Cluster& cluster,
                                                           const Object& svc, int port) {
  std::vector<std::pair<const Object*, int>> out;
  const Value& selector = svc.spec()["selector"];
  if (selector.size() == 0) return out;
  const Value* target = nullptr;
  for (const Value& sp : svc.spec()["ports"].items()) {
    if (sp["port"].as_int() == port && protocol_of(sp) == "TCP")
      target = sp["targetPort"].is_null() ? &sp["port"] : &sp["targetPort"];
  }
  if (target == nullptr) return out;
  const Member& first = selector.members()[0];
  for (const Object* pod : cluster.pods_with_label(svc.ns, first.key, first.value.str())) {
    if (!map_selector_matches(selector, pod->labels()) || PodView(*pod).terminated()) continue;
    int number = is_port_name(*target) ? 0 : static_cast<int>(target->as_int());
    for (const Value& c : pod->spec()["containers"].items()) {
      for (const Value& p : c["ports"].items()) {
        if (number == 0 && p["name"].str() == target->str() && protocol_of(p) == "TCP")
          number = static_cast<int>(p["containerPort"].as_int());
      }
    }
    if (number != 0) out.emplace_back(pod, number);
  }
  return out;
}

// The evidence note for a NetworkPolicy cause.
std::string policy_note(const Object& svc, const Finding& f) {
  return fmt::format("Service {}/{}: {}", svc.ns, svc.name, f.summary);
}

// What explains one flow to one destination pod.
struct Explained {
  const Finding* cause = nullptr;
  std::string how;  // a note: the hop or the policy
};

// A flow between two ECS nodes whose security groups could not be judged.
struct Unchecked {
  std::string why;     // the hop's unknown_reason
  std::string file;    // the unreadable cloud answer, "" when the data is simply absent
  std::string repair;  // for `file`: UnreadableCloudAnswer::repair()
};

class Causes {
 public:
  Causes(const Cluster& cluster, std::span<const Finding> findings) : cluster_(cluster) {
    for (const Finding& f : findings) {
      if (f.object.kind == "SecurityGroup" && f.rule != "sg-icmp-blocked")
        groups_[f.object.name].push_back(&f);
      if (f.rule == "service-isolated-by-networkpolicy" && f.object.kind == "Service")
        policies_[f.object.key()] = &f;
    }
    // Security groups matter only between ECS instances: cloud answers, or ACK providerIDs.
    ecs_ = !cluster.cloud_documents().empty();
    for (const Object* node : cluster.of_kind("Node")) {
      if (ecs_) break;
      ecs_ = !cloud::instance_id_from_provider_id(node->spec()["providerID"].str()).empty();
    }
  }
  bool any() const { return !groups_.empty() || !policies_.empty() || ecs_; }
  bool has_cloud_data() const { return !cluster_.cloud_documents().empty(); }

  // Why the security groups between `source` and `dest` (pods on two ECS nodes) could not be
  // judged, when that is so because cloud answers are missing or unreadable.
  std::optional<Unchecked> unchecked(const Object& source, const Object& dest, int port) {
    if (!ecs_) return std::nullopt;
    const std::string_view a = source.spec()["nodeName"].str();
    const std::string_view b = dest.spec()["nodeName"].str();
    if (a.empty() || b.empty() || a == b) return std::nullopt;  // one instance: nothing between
    // A node that is no ECS instance (virtual-kubelet/ECI, another cloud) has no security group
    // that collecting could show.
    for (const std::string_view node : {a, b}) {
      const Object* n = cluster_.find("Node", "", node);
      if (n == nullptr ||
          cloud::instance_id_from_provider_id(n->spec()["providerID"].str()).empty())
        return std::nullopt;
    }
    const cloud::SecurityGroupHop* h = hop_of(source, dest, port);
    if (h == nullptr || h->status != cloud::HopStatus::kUnknown || !h->cloud_data_missing)
      return std::nullopt;
    return Unchecked{h->unknown_reason, h->unreadable_file, h->unreadable_repair};
  }

  // The cause of `port` from `source` to `dest` (a pod); `svc` when the address was its
  // clusterIP. Both kinds are looked at; the security group comes first (it drops all traffic).
  std::optional<Explained> explain(const Object& source, const Object& dest, int port,
                                   const Object* svc) {
    if (auto e = security_group(source, dest, port)) return e;
    return policy(dest, port, svc);
  }

 private:
  // The security-group hop between two pods, cached; nullptr when an address is missing.
  const cloud::SecurityGroupHop* hop_of(const Object& source, const Object& dest, int port) {
    std::string from(source.status()["podIP"].str());
    if (from.empty()) from = std::string(source.spec()["nodeName"].str());
    const std::string to(dest.status()["podIP"].str());
    if (from.empty() || to.empty()) return nullptr;
    const std::string key = fmt::format("{}>{}:{}", from, to, port);
    if (auto it = hop_cache_.find(key); it != hop_cache_.end()) return &it->second;
    if (!paths_) paths_ = std::make_unique<cloud::SecurityGroupPaths>(cluster_);
    return &hop_cache_.emplace(key, paths_->hop(from, to, "TCP", port)).first->second;
  }

  std::optional<Explained> security_group(const Object& source, const Object& dest, int port) {
    if (groups_.empty()) return std::nullopt;
    const cloud::SecurityGroupHop* hop = hop_of(source, dest, port);
    if (hop == nullptr) return std::nullopt;
    const std::string key =
        fmt::format("{}/{}>{}/{}:{}", source.ns, source.name, dest.ns, dest.name, port);
    if (auto it = hops_.find(key); it != hops_.end()) return it->second;
    const cloud::SecurityGroupHop& h = *hop;
    std::optional<Explained> out;
    if (h.status == cloud::HopStatus::kDenied) {
      const bool egress = h.egress && !h.egress->allowed;
      const cloud::HopSide& side = egress ? *h.egress : *h.ingress;
      std::vector<std::string> judges;
      if (!side.group.empty()) judges.push_back(side.group);
      for (const std::string& g : side.groups) judges.push_back(g);
      const Finding* best = nullptr;
      for (const std::string& g : judges) {
        auto it = groups_.find(g);
        if (it == groups_.end()) continue;
        // The group's finding about this direction, else another one of it (an enterprise
        // group's default deny covers both).
        for (const Finding* f : it->second) {
          const bool fits =
              egress ? f->rule == "sg-outbound-restricted" : f->rule == "sg-intra-cluster-blocked";
          if (fits) {
            best = f;
            break;
          }
          if (best == nullptr) best = f;
        }
        if (best != nullptr) break;
      }
      if (best != nullptr)
        out = Explained{best, fmt::format("security groups: {}: {}", h.flow, h.summary)};
    }
    hops_.emplace(key, out);
    return out;
  }

  std::optional<Explained> policy(const Object& dest, int port, const Object* svc) {
    if (policies_.empty()) return std::nullopt;
    if (svc != nullptr) {
      auto it = policies_.find(svc->ref().key());
      if (it == policies_.end()) return std::nullopt;
      return Explained{it->second, policy_note(*svc, *it->second)};
    }
    // A pod address: the isolated Services that send this port to this pod (cached per pod and
    // port: a client logs the same address many times).
    const std::string key = fmt::format("{}/{}:{}", dest.ns, dest.name, port);
    if (auto it = pod_policies_.find(key); it != pod_policies_.end()) return it->second;
    std::optional<Explained> out = pod_policy(dest, port);
    pod_policies_.emplace(key, out);
    return out;
  }

  std::optional<Explained> pod_policy(const Object& dest, int port) const {
    for (const auto& [key, f] : policies_) {
      const Object* s = cluster_.find("Service", f->object.ns, f->object.name);
      if (s == nullptr || s->ns != dest.ns) continue;
      for (const Value& sp : s->spec()["ports"].items()) {
        for (const auto& [pod, target] :
             service_targets(cluster_, *s, static_cast<int>(sp["port"].as_int()))) {
          if (pod == &dest && target == port) return Explained{f, policy_note(*s, *f)};
        }
      }
    }
    return std::nullopt;
  }

  const Cluster& cluster_;
  std::unordered_map<std::string, std::vector<const Finding*>> groups_;  // group id -> findings
  std::map<std::string, const Finding*> policies_;                       // Service key -> finding
  bool ecs_ = false;  // the Nodes are ECS instances: security groups apply
  std::unique_ptr<cloud::SecurityGroupPaths> paths_;
  std::unordered_map<std::string, cloud::SecurityGroupHop> hop_cache_;  // "from>to:port"
  std::unordered_map<std::string, std::optional<Explained>> hops_;
  std::unordered_map<std::string, std::optional<Explained>> pod_policies_;
};

// ---- Grouping ---------------------------------------------------------------------------------

// The failed connections of one client workload to one destination.
struct Group {
  const Object* owner = nullptr;  // the client's top owner
  std::string dest;               // "Service shop/cart", "pods of Deployment shop/cart"
  std::string part;               // id part: "service/shop/cart", "deployment/shop/cart"
  std::vector<ObjectRef> pods;    // the clients that logged them
  const Object* first_pod = nullptr;
  const Object* first_dest = nullptr;
  const Object* svc = nullptr;  // when the address was a Service's clusterIP
  int first_port = 0;
  std::set<int> ports;
  std::vector<const Finding*> causes;
  std::vector<std::string> cause_notes;
  std::vector<std::string> unchecked;  // why the security groups were not judged (no cause)
  std::string unreadable_file;         // the cloud answer that could not be read, if one
  std::string unreadable_repair;       // and what to do about it
  std::vector<std::string> resolved;
  std::vector<Evidence> lines;
  std::size_t count = 0;
  std::size_t previous = 0;  // of count, in logs of previous runs
};

void add_unique(std::vector<std::string>& v, std::string s) {
  if (v.size() < kShownNotes && std::find(v.begin(), v.end(), s) == v.end())
    v.push_back(std::move(s));
}

std::string node_of(const Object& pod) {
  const std::string_view node = pod.spec()["nodeName"].str();
  return node.empty() ? std::string("no node") : "node " + std::string(node);
}

// The finding for `g`: its summary and fix are the caller's; the pods, log lines, addresses and
// notes are the same for every kind of cause.
Finding& add_group(const Group& g, const std::string& why, FindingSink& sink) {
  Finding& f = sink.add(
      kTimeouts, g.owner->ref(),
      fmt::format("{} {}/{}'s connections to {} (TCP {}) time out: {} failed connection{} in its "
                  "logs; {}",
                  g.owner->kind, g.owner->ns, g.owner->name, g.dest, fmt::join(g.ports, ", "),
                  g.count, g.count == 1 ? "" : "s", why),
      g.part);
  for (const ObjectRef& p : g.pods) {
    if (p.key() != f.object.key()) f.also_affects.push_back(p);
  }
  for (const Evidence& e : g.lines) f.evidence.push_back(e);
  if (g.count > g.lines.size() || g.previous > 0) {
    f.evidence.push_back(Evidence::note(
        fmt::format("{} such line{} in all{}", g.count, g.count == 1 ? "" : "s",
                    g.previous > 0 ? fmt::format(" ({} in logs of previous runs)", g.previous)
                                   : std::string())));
  }
  for (const std::string& r : g.resolved) f.evidence.push_back(Evidence::note(r));
  return f;
}

std::string netcheck_command(const Group& g) {
  return g.svc != nullptr
             ? fmt::format("ktriage netcheck pod/{} svc/{}/{}", pod_name(*g.first_pod), g.svc->ns,
                           g.svc->name)
             : fmt::format("ktriage netcheck pod/{} pod/{} --port {}", pod_name(*g.first_pod),
                           pod_name(*g.first_dest), g.first_port);
}

// Timeouts between ECS nodes whose security groups could not be judged: the log is the evidence,
// the cause is said to be unchecked (and why), and the fix is what to collect or repair.
void report_unchecked(const Group& g, bool has_cloud_data, FindingSink& sink) {
  const std::string why =
      !g.unreadable_file.empty()
          ? fmt::format(
                "cause not checked: the security groups between the nodes are unknown "
                "({} could not be read)",
                g.unreadable_file)
      : has_cloud_data ? "cause not checked: the security groups between the nodes are unknown "
                         "(not in the snapshot's cloud answers)"
                       : "cause not checked: the security groups between the nodes are unknown "
                         "(the snapshot has no cloud data)";
  Finding& f = add_group(g, why, sink);
  // Info, not the rule's warning: with no cause found, a timeout may as well be a slow peer
  // (the rule's own premise: a timeout nothing explains is no finding), so it is shown but does
  // not fail --fail-on warning on every ACK snapshot collected without --cloud.
  f.severity = Severity::kInfo;
  for (const std::string& n : g.unchecked) f.evidence.push_back(Evidence::note(n));
  // Catalog ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED: a node security group without the cluster
  // group's (or, with Flannel, the pod CIDR's) rule is the usual cause of these timeouts.
  const std::string collect =
      !g.unreadable_repair.empty()
          ? g.unreadable_repair
          : "Collect the cloud answers (ktriage collect --cloud, docs/cloud.md)";
  f.fix = fmt::format(
      "{} and diagnose again, so the security groups of both nodes are judged: a group that "
      "admits neither the cluster security group nor the pod CIDR "
      "(ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED) is the usual cause of timeouts between pods on "
      "different nodes; then check the path with {}.",
      collect, netcheck_command(g));
}

void run_after(const AnalysisContext& ctx, std::span<const Finding> findings, FindingSink& sink) {
  const Cluster& cluster = ctx.cluster;
  Causes causes(cluster, findings);
  if (!causes.any() || cluster.container_logs().empty()) return;

  // Addresses, once: pod IPs (hostNetwork pods share their node's) and Service clusterIPs.
  std::unordered_map<std::string_view, const Object*> pods;
  for (const Object* pod : cluster.of_kind("Pod")) {
    if (pod->spec()["hostNetwork"].as_bool() || PodView(*pod).terminated()) continue;
    if (std::string_view ip = pod->status()["podIP"].str(); !ip.empty()) pods.emplace(ip, pod);
    for (const Value& ip : pod->status()["podIPs"].items()) {
      if (!ip["ip"].str().empty()) pods.emplace(ip["ip"].str(), pod);
    }
  }
  std::unordered_map<std::string_view, const Object*> services;
  for (const Object* svc : cluster.of_kind("Service")) {
    if (std::string_view ip = svc->spec()["clusterIP"].str(); !ip.empty() && ip != "None")
      services.emplace(ip, svc);
    for (const Value& ip : svc->spec()["clusterIPs"].items()) {
      if (!ip.str().empty() && ip.str() != "None") services.emplace(ip.str(), svc);
    }
  }

  // A Service's clusterIP:port -> its pods and their ports, resolved once.
  std::unordered_map<std::string, std::vector<std::pair<const Object*, int>>> targets_of;
  std::map<std::string, Group> groups;  // owner key + destination -> group, in a stable order
  for (const ContainerLog& log : cluster.container_logs()) {
    const Object* source = cluster.find("Pod", log.ns, log.pod);
    if (source == nullptr) continue;
    const std::string_view text = log.text;
    std::size_t counted = 0;
    std::uint32_t line = log.first_line;
    for (const FailedLine& failed : failed_lines(text)) {
      line += static_cast<std::uint32_t>(
          std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                     text.begin() + static_cast<std::ptrdiff_t>(failed.offset), '\n'));
      counted = failed.offset;
      const Object* svc = nullptr;
      std::vector<std::pair<const Object*, int>> targets;
      if (auto it = pods.find(failed.address.ip); it != pods.end()) {
        targets.emplace_back(it->second, failed.address.port);
      } else if (auto s = services.find(failed.address.ip); s != services.end()) {
        svc = s->second;
        const std::string key = fmt::format("{}:{}", failed.address.ip, failed.address.port);
        auto cached = targets_of.find(key);
        if (cached == targets_of.end())
          cached =
              targets_of.emplace(key, service_targets(cluster, *svc, failed.address.port)).first;
        targets = cached->second;
      } else {
        continue;  // not an address of the cluster
      }
      const Object* explained_dest = nullptr;
      int explained_port = 0;
      std::vector<Explained> found;
      for (const auto& [dest, port] : targets) {
        if (dest == source) continue;
        if (auto e = causes.explain(*source, *dest, port, svc)) {
          if (explained_dest == nullptr) {
            explained_dest = dest;
            explained_port = port;
          }
          found.push_back(std::move(*e));
        }
      }
      // No cause found: one may be hidden by missing cloud data (the security groups between
      // the two nodes unknown). Said as such rather than dropped.
      std::vector<Unchecked> unknown;
      if (found.empty()) {
        for (const auto& [dest, port] : targets) {
          if (dest == source) continue;
          if (auto u = causes.unchecked(*source, *dest, port)) {
            if (explained_dest == nullptr) {
              explained_dest = dest;
              explained_port = port;
            }
            unknown.push_back(std::move(*u));
          }
        }
        if (unknown.empty()) continue;
      }
      const Object& owner = cluster.top_owner(*source);
      const Object& dest_owner = svc != nullptr ? *svc : cluster.top_owner(*explained_dest);
      const std::string part =
          fmt::format("{}/{}/{}", ascii_lower(dest_owner.kind), dest_owner.ns, dest_owner.name);
      Group& g = groups[owner.ref().key() + "\n" + part];
      if (g.owner == nullptr) {
        g.owner = &owner;
        g.part = part;
        g.dest = svc != nullptr                  ? fmt::format("Service {}/{}", svc->ns, svc->name)
                 : &dest_owner == explained_dest ? fmt::format("pod {}", pod_name(dest_owner))
                                                 : fmt::format("pods of {} {}/{}", dest_owner.kind,
                                                               dest_owner.ns, dest_owner.name);
        g.first_pod = source;
        g.first_dest = explained_dest;
        g.svc = svc;
        g.first_port = explained_port;
      }
      if (std::none_of(g.pods.begin(), g.pods.end(),
                       [&](const ObjectRef& r) { return r.name == source->name; }))
        g.pods.push_back(source->ref());
      g.ports.insert(failed.address.port);
      for (Explained& e : found) {
        if (std::find(g.causes.begin(), g.causes.end(), e.cause) == g.causes.end())
          g.causes.push_back(e.cause);
        add_unique(g.cause_notes, std::move(e.how));
      }
      for (Unchecked& u : unknown) {
        if (g.unreadable_file.empty()) {
          g.unreadable_file = u.file;
          g.unreadable_repair = u.repair;
        }
        add_unique(g.unchecked, "security groups not checked: " + std::move(u.why));
      }
      if (svc != nullptr) {
        std::vector<std::string> where;
        for (const auto& [dest, port] : targets)
          where.push_back(fmt::format("{} on {}", dest->name, node_of(*dest)));
        add_unique(g.resolved, fmt::format("{}:{} is Service {}/{} (clusterIP); its pods: {}",
                                           failed.address.ip, failed.address.port, svc->ns,
                                           svc->name, fmt::join(where, ", ")));
      } else {
        add_unique(g.resolved,
                   fmt::format("{}:{} is pod {} on {}", failed.address.ip, failed.address.port,
                               pod_name(*explained_dest), node_of(*explained_dest)));
      }
      ++g.count;
      if (log.previous) ++g.previous;
      if (g.lines.size() < kShownLines) {
        Evidence ev;
        ev.kind = Evidence::Kind::kLog;
        ev.object = "pod/" + std::string(source->name);
        ev.file = log.file;
        ev.line = line;
        ev.value = shorten(failed.text, 400);
        g.lines.push_back(std::move(ev));
      }
    }
  }

  for (auto& [key, g] : groups) {
    if (g.causes.empty()) {
      report_unchecked(g, causes.has_cloud_data(), sink);
      continue;
    }
    const Finding& cause = *g.causes.front();
    const bool by_group = cause.object.kind == "SecurityGroup";
    const std::string why = by_group
                                ? fmt::format("security group {} drops them", cause.object.name)
                                : fmt::format("NetworkPolicies isolate Service {}/{}",
                                              cause.object.ns, cause.object.name);
    Finding& f = add_group(g, why, sink);
    for (const std::string& n : g.cause_notes) f.evidence.push_back(Evidence::note(n));
    for (const Finding* c : g.causes) f.add_cause(c->id);
    const std::string check = netcheck_command(g);
    f.fix = fmt::format(
        "Nothing to change in {}: apply the fix of the cause it is listed under, {} (finding "
        "{}), then check the path again with {}.",
        by_group ? "the client" : "the client (unless its labels are what the policy misses)",
        by_group ? fmt::format("security group {}", cause.object.name)
                 : fmt::format("the NetworkPolicies of Service {}/{}", cause.object.ns,
                               cause.object.name),
        cause.id, check);
  }
}

}  // namespace

const AnalyzerDef& connect_timeouts_analyzer() {
  static const AnalyzerDef kDef{"connect_timeouts", kRules, nullptr, run_after};
  return kDef;
}

}  // namespace ktriage
