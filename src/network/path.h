// netcheck's path: from one end to the other, hop by hop (DNS name -> Service -> EndpointSlices
// -> Pods -> NetworkPolicies -> nodes), each hop with a verdict and the evidence it rests on.
// Reads the Cluster and the NetworkSnapshot; never prints (path_render.h turns a PathResult into
// text or JSON). Node health and cloud security groups come through PathHooks, so this layer
// depends neither on the analyzers nor on the cloud layer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "model/cluster.h"
#include "network/snapshot.h"
#include "network/target.h"

namespace ktriage::network {

/// A hop's verdict, from best to worst (the path's verdict is its worst hop).
enum class Verdict { kOk, kUnknown, kWarning, kBlocked };
std::string_view verdict_name(Verdict v);  ///< "ok", "unknown", "warning", "blocked"

/// One fact a hop rests on: a field of an object and its value, or a note (empty path).
struct HopEvidence {
  std::string object;  ///< "svc/shop/web"
  std::string path;    ///< ".spec.ports[0].targetPort"
  std::string value;   ///< "http"
};

/// One hop of the path.
struct Hop {
  std::string step;     ///< dns, source, service, endpoints, pods, ingress, network-policy, node,
                        ///< security-group
  std::string subject;  ///< what the hop is about: "svc/shop/web", "node/n1"
  Verdict verdict = Verdict::kUnknown;
  std::string summary;  ///< one line
  std::vector<HopEvidence> evidence;
};

/// What to check: FROM, TO and the port (PortSpec::port 0: the Service's first port, or every
/// port of the destination pod when TO is a pod).
struct PathRequest {
  Target from, to;
  PortSpec port;
};

/// Extension points filled by the caller.
struct PathHooks {
  /// Health of a node on the path: the node's Ready condition and its kube-proxy and CNI pods, as
  /// the add-on analyzers judge them (cli/netcheck_nodes.cpp). `kube_proxy` says whether the path
  /// relies on kube-proxy there (a Service's virtual IP is translated on the source node).
  /// nullopt: nothing known.
  std::function<std::optional<Hop>(std::string_view node, bool kube_proxy)> node_health;
  /// Cloud security groups between the source and each destination node (ECS instances of an
  /// ACK cluster): the hop that allows or blocks `port`/`protocol` from `from` to `to`, each a
  /// pod IP when that end is a pod (not hostNetwork), else a node name. Set by the CLI from the
  /// cloud layer (cloud/sg_path.h); empty or nullopt means "not checked" and adds no hop. Called
  /// once per destination node.
  std::function<std::optional<Hop>(std::string_view from, std::string_view to, int port,
                                   std::string_view protocol)>
      security_group;
};

/// The walked path. `reachable` is true when no hop is blocked and the worst is ok or a warning;
/// a path whose worst hop is unknown is undecided (verdict kUnknown, not reachable, not blocked).
struct PathResult {
  std::string from, to;  ///< as given
  int port = 0;          ///< the port checked at the destination pods (0: none resolved)
  int service_port = 0;  ///< TO through a Service: the Service port FROM connects to (0: none)
  std::string protocol;
  std::vector<Hop> hops;
  bool reachable = false;
  Verdict verdict = Verdict::kUnknown;  ///< worst hop
};

/// Walks the path. Errors (exit 2 in the CLI): an end named by kind that the snapshot does not
/// have ("pod shop/web not found"), FROM given as a DNS name, a FROM or TO block wider than one
/// address that holds pod or node IPs (it would be judged as hosts outside the pod network). A DNS
/// name that names no Service is not an error but a blocked hop (NXDOMAIN). Cost: O(pods of the
/// involved namespaces + EndpointSlices + policies of the two namespaces); an IP end costs one scan
/// of all pods.
Expected<PathResult> walk_path(const Cluster& cluster, const NetworkSnapshot& net,
                               const PathRequest& request, const PathHooks& hooks);

}  // namespace ktriage::network
