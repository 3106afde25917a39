// What diagnosis needs from an image pull Secret (type kubernetes.io/dockerconfigjson or
// kubernetes.io/dockercfg): the registries it holds credentials for, and nothing else. Built by
// the loader before the Secret's values are zeroed; no user name, password or token is kept.
#pragma once

#include <string>
#include <vector>

namespace ktriage {

/// The registry hosts of one pull Secret: the keys of its .dockerconfigjson "auths" (or of its
/// .dockercfg), reduced to host[:port] ("https://index.docker.io/v1/" -> "index.docker.io").
struct PullSecretRegistries {
  std::string ns;
  std::string name;
  std::vector<std::string> registries;  ///< in the Secret's order; empty when it holds none
};

}  // namespace ktriage
