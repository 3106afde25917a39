// The transfer floor for `make bench`'s live run: the same list requests ktriage makes (every
// kind, pages of 500, the same client and connections), with nothing done to the answers but
// finding the continue token. Prints requests, bytes and seconds on one line.
//
//   fetch-floor --kubeconfig FILE [--chunk-size 500] [--max-inflight 8]
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "live/api_client.h"
#include "live/fetch.h"
#include "live/rest_config.h"

namespace {

// "continue":"<token>" from the List's metadata, which the API server writes before the items.
std::string continue_token(const std::string& body) {
  const std::string_view head(body.data(), std::min<std::size_t>(body.size(), 4096));
  const std::size_t at = head.find("\"continue\":\"");
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + 12;
  const std::size_t end = head.find('"', start);
  return end == std::string_view::npos ? std::string()
                                       : std::string(head.substr(start, end - start));
}

}  // namespace

int main(int argc, char** argv) {
  ktriage::KubeconfigOptions k;
  std::size_t chunk = 500;
  int inflight = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--kubeconfig") k.kubeconfig = argv[i + 1];
    if (flag == "--chunk-size") chunk = std::stoul(argv[i + 1]);
    if (flag == "--max-inflight") inflight = std::stoi(argv[i + 1]);
  }
  auto config = ktriage::load_rest_config(k, ktriage::KubeEnvironment::from_process());
  if (!config) {
    std::fprintf(stderr, "fetch-floor: %s\n", config.error().c_str());
    return 2;
  }
  ktriage::ClientOptions options;
  options.max_inflight = inflight;
  ktriage::ApiClient client(*config, options);
  std::vector<std::string> paths;
  for (const auto& [group, resource] : ktriage::fetched_resources()) {
    if (resource == "pods/log") continue;
    // The versions ktriage prefers; a 404 only costs one request.
    static const std::pair<std::string_view, std::string_view> kVersion[] = {
        {"discovery.k8s.io", "v1"},
        {"apps", "v1"},
        {"batch", "v1"},
        {"autoscaling", "v2"},
        {"policy", "v1"},
        {"networking.k8s.io", "v1"},
        {"storage.k8s.io", "v1"},
        {"admissionregistration.k8s.io", "v1"},
        {"apiregistration.k8s.io", "v1"},
        {"scheduling.k8s.io", "v1"}};
    std::string_view version = "v1";
    for (const auto& [g, v] : kVersion) version = g == group ? v : version;
    paths.push_back(group.empty() ? fmt::format("/api/v1/{}", resource)
                                  : fmt::format("/apis/{}/{}/{}", group, version, resource));
  }
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::size_t> next{0}, failures{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < paths.size(); i = next++) {
      std::string token;
      do {
        std::string path = fmt::format("{}?limit={}", paths[i], chunk);
        if (!token.empty()) path += "&continue=" + ktriage::url_escape(token);
        auto r = client.get(path);
        if (!r || r->status != 200) {
          failures += r && r->status == 404 ? 0 : 1;
          break;
        }
        token = continue_token(r->body);
      } while (!token.empty());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < inflight; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto stats = client.stats();
  std::printf("fetch-floor: %zu requests, %.1f MB, %.2f s, %zu failed\n", stats.requests,
              static_cast<double>(stats.bytes) / 1e6, seconds, failures.load());
  return failures > 0 ? 1 : 0;
}
