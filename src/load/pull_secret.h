// The registries an image pull Secret holds credentials for, read before its values are zeroed.
#pragma once

#include <optional>
#include <string>

#include "core/value.h"
#include "model/pull_secret.h"

namespace ktriage {

/// For a Secret of type kubernetes.io/dockerconfigjson (data or stringData ".dockerconfigjson",
/// {"auths": {"<registry>": {...}}}) or kubernetes.io/dockercfg (".dockercfg", {"<registry>":
/// {...}}): its registry hosts. nullopt for any other Secret, and when the value is missing (a
/// live collection reads Secrets' metadata only) or does not decode: unknown. Reads only the
/// keys: no credential leaves this function.
std::optional<PullSecretRegistries> pull_secret_registries(const Value& secret);

/// "https://index.docker.io/v1/" -> "index.docker.io", "registry.example.com:5000/v2" ->
/// "registry.example.com:5000": how an "auths" key names a registry host (lower case).
std::string registry_host_of_key(std::string_view key);

}  // namespace ktriage
