// STUB until the kubeconfig branch lands.
#include "live/rest_config.h"
namespace ktriage {
Expected<RestConfig, std::string> load_rest_config(const KubeconfigOptions& o,
                                                   const KubeEnvironment&) {
  return Unexpected(std::string("kubeconfig: not yet"));
}
}  // namespace ktriage
