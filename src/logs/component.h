// Which component wrote a log: guessed from the file's path and format, or from a journal line's
// syslog identifier; and which signatures apply to it. Pure functions on names.
#pragma once

#include <string>
#include <string_view>

#include "logs/line_format.h"

namespace ktriage::logs {

/// The component a file's path suggests ("nodes/n1/kubelet.log" -> "kubelet",
/// ".../kube-apiserver-master-1_kube-system_..." -> "apiserver"); container log formats (CRI,
/// Docker json-file) default to "app". "" when nothing says (journal files name it per line).
std::string guess_component(std::string_view path, LineFormat format);

/// The component of a journal syslog identifier ("dockerd" -> "docker", "kernel" -> "kernel");
/// "" when it is none of ktriage's components.
std::string_view component_of_identifier(std::string_view identifier) noexcept;

/// Whether a signature of `signature_component` is matched in a log of `log_component` ("" =
/// unknown): app signatures (generic phrases such as "permission denied") only in app logs and
/// logs of unknown component; the other signatures in every log but app logs (node and
/// control-plane components quote each other's errors: the kubelet logs containerd's).
bool applies(std::string_view signature_component, std::string_view log_component) noexcept;

}  // namespace ktriage::logs
