// Internals of path.cpp shared with path_service.cpp. Not a public header.
#pragma once

#include <string>
#include <vector>

#include "model/cluster.h"
#include "network/path.h"

namespace ktriage::network::detail {

/// A destination pod and the port the connection reaches it on (0: unresolved).
struct Backend {
  const Object* pod = nullptr;
  int port = 0;
  bool ready = false;
};

/// What a Service resolves to: its backends, or a name outside the cluster (ExternalName).
struct ServiceWalk {
  std::vector<Backend> backends;
  std::string external_name;  ///< ExternalName's spec.externalName
  int service_port = 0;       ///< the Service port matched (0: none)
  std::string protocol = "TCP";
  bool stop = false;  ///< a blocked hop ends the path here
};

/// Appends the service, endpoints and pods hops of `svc` for `port`. O(EndpointSlices + pods of
/// the namespace the selector names).
ServiceWalk walk_service(const Cluster& cluster, const Object& svc, const PortSpec& port,
                         std::vector<Hop>& hops);

/// Resolves a port (number or name, for `protocol`) on `pod`'s containers: the number, or 0 when
/// a name is not declared. O(ports).
int resolve_on_pod(const Object& pod, const Value& port, std::string_view protocol);

/// "pod/shop/web-1" (kind lower case, namespace, name): how hops name objects.
std::string subject(const Object& obj);

}  // namespace ktriage::network::detail
