// The process environment as kubeconfig resolution reads it; the only place src/live reads it.
#include <cstdlib>

#include "live/rest_config.h"

namespace ktriage {

KubeEnvironment KubeEnvironment::from_process() {
  auto read = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
  };
  KubeEnvironment env;
  if (const char* k = std::getenv("KUBECONFIG"); k != nullptr) env.kubeconfig = std::string(k);
  env.home = read("HOME");
  env.service_host = read("KUBERNETES_SERVICE_HOST");
  env.service_port = read("KUBERNETES_SERVICE_PORT");
  env.cache_home = read("XDG_CACHE_HOME");
  return env;
}

}  // namespace ktriage
