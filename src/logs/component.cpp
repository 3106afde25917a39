#include "logs/component.h"

#include <algorithm>
#include <utility>

#include "load/log_layout.h"
#include "logs/signature.h"

namespace ktriage::logs {

std::string guess_component(std::string_view path, LineFormat format) {
  std::string lower(path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Control-plane and add-on names first: their container logs sit under runtime folders.
  static constexpr std::pair<std::string_view, std::string_view> kByName[] = {
      {"kube-apiserver", "apiserver"},
      {"kube-controller-manager", "controller-manager"},
      {"kube-scheduler", "scheduler"},
      {"etcd", "etcd"},
      {"coredns", "coredns"},
      {"terway", "terway"},
      {"calico", "cni"},
      {"flannel", "cni"},
      {"cilium", "cni"},
  };
  for (const auto& [needle, component] : kByName) {
    if (lower.find(needle) != std::string::npos) return std::string(component);
  }
  if (auto where = classify_log_path(path)) {
    if (where->kind == LogPath::Kind::kContainer) return "app";
    if (is_component(where->component)) return where->component;
  }
  if (format == LineFormat::kCri || format == LineFormat::kDockerJson) return "app";
  std::string_view file = lower;
  if (auto slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  static constexpr std::pair<std::string_view, std::string_view> kByFile[] = {
      {"kubelet", "kubelet"},     {"containerd", "containerd"},
      {"docker", "docker"},       {"dmesg", "kernel"},
      {"kern.log", "kernel"},     {"apiserver", "apiserver"},
      {"scheduler", "scheduler"}, {"controller-manager", "controller-manager"},
  };
  for (const auto& [needle, component] : kByFile) {
    if (file.find(needle) != std::string_view::npos) return std::string(component);
  }
  return "";
}

std::string_view component_of_identifier(std::string_view id) noexcept {
  static constexpr std::pair<std::string_view, std::string_view> kIds[] = {
      {"kubelet", "kubelet"},
      {"dockerd", "docker"},
      {"docker", "docker"},
      {"containerd", "containerd"},
      {"kernel", "kernel"},
      {"etcd", "etcd"},
      {"kube-apiserver", "apiserver"},
      {"kube-scheduler", "scheduler"},
      {"kube-controller-manager", "controller-manager"},
      {"coredns", "coredns"},
  };
  for (const auto& [name, component] : kIds) {
    if (name == id) return component;
  }
  return "";
}

bool applies(std::string_view signature_component, std::string_view log_component) noexcept {
  if (log_component.empty()) return true;
  return (signature_component == "app") == (log_component == "app");
}

}  // namespace ktriage::logs
