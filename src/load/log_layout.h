// Recognises log files by their path in the layouts ktriage reads, and stores their tails.
//
// Container logs:
//   logs/<ns>/<pod>/<container>.log, <container>.previous.log       ktriage's own layout
//   cluster-resources/pods/logs/<ns>/<pod>/<container>[-previous].log  support bundles
//   <ns>/<pod>/logs.txt                                               kubectl cluster-info dump
//     (all containers in one file, between "==== START logs for container C of pod NS/P ===="
//      and "==== END logs ..." lines; kubectl staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo)
//   pods/<ns>_<pod>_<uid>/<container>/<n>.log                         kubelet, /var/log/pods
//   containers/<pod>_<ns>_<container>-<id>.log                        kubelet, /var/log/containers
// The kubelet layouts hold CRI log lines ("<RFC3339Nano> stdout F text"); the prefix is removed.
// Node logs: nodes/<node>/<component>.log (kubelet, docker, containerd, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/inputs.h"

namespace ktriage {

/// What a log path says about its content.
struct LogPath {
  enum class Kind { kContainer, kNode } kind = Kind::kContainer;
  enum class Format { kPlain, kCri, kClusterInfoDump } format = Format::kPlain;
  std::string ns, pod, container, node, component;
  bool previous = false;
};

/// Recognises `path` (any prefix before the layout is ignored); nullopt for other files.
std::optional<LogPath> classify_log_path(std::string_view path);

/// Stores `data` as the logs `where` describes (the last kLogTailBytes of each).
void add_log(const LogPath& where, std::string_view display_path, std::string_view data,
             Inputs& out);

}  // namespace ktriage
