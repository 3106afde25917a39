// A reference to a Kubernetes object by kind, namespace, name and (when known) uid.
#pragma once

#include <string>
#include <tuple>

namespace ktriage {

/// Identifies one object. `ns` is empty for cluster-scoped kinds (Node, PersistentVolume, ...).
/// For things that are not API objects (a log file), `kind` is "File" and `name` the path.
struct ObjectRef {
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;

  /// "Pod/shop/web-1" or "Node/n1": the form cases/expected.yaml uses.
  std::string key() const { return ns.empty() ? kind + "/" + name : kind + "/" + ns + "/" + name; }
  /// "pod/web-1": kubectl's resource syntax (namespace given separately).
  std::string kubectl_name() const;
  friend bool operator==(const ObjectRef& a, const ObjectRef& b) {
    return std::tie(a.kind, a.ns, a.name) == std::tie(b.kind, b.ns, b.name);
  }
  friend bool operator<(const ObjectRef& a, const ObjectRef& b) {
    return std::tie(a.ns, a.kind, a.name) < std::tie(b.ns, b.kind, b.name);
  }
};

}  // namespace ktriage
