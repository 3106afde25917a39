#include "analyzers/common/storage_helpers.h"

#include <fmt/format.h>

namespace ktriage {

std::string wait_for_consumer_class(const Cluster& cluster, std::string_view provisioner,
                                    std::string_view failing) {
  const Object* best = nullptr;
  bool several_best = false;
  bool failing_waits = false;  // the claim's own class waits for the pod already
  for (const Object* sc : cluster.of_kind("StorageClass")) {
    if ((*sc)["volumeBindingMode"].str() != "WaitForFirstConsumer") continue;
    if (!failing.empty() && sc->name == failing) {
      failing_waits = true;
      continue;
    }
    if (!provisioner.empty() && (*sc)["provisioner"].str() != provisioner) continue;
    // ACK's alltype class lists categories in order of preference: "cloud_essd,cloud_ssd,...".
    const bool several = (*sc)["parameters"]["type"].str().find(',') != std::string_view::npos;
    if (best == nullptr || (several && !several_best)) {
      best = sc;
      several_best = several;
    }
  }
  if (best != nullptr) {
    return fmt::format(
        "StorageClass {} (WaitForFirstConsumer{})", best->name,
        several_best ? fmt::format(", categories {}", (*best)["parameters"]["type"].str()) : "");
  }
  if (cluster.of_kind("StorageClass").empty())
    return "a WaitForFirstConsumer class listing several categories (ACK: "
           "alicloud-disk-topology-alltype)";
  return fmt::format(
      "a new WaitForFirstConsumer class listing several categories in parameters.type (the "
      "snapshot has {}; ACK's alicloud-disk-topology-alltype is one)",
      failing_waits ? fmt::format("no other than {}", failing) : "none");
}

}  // namespace ktriage
