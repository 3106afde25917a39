#include "cli/live.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "core/time.h"
#include "live/bundle.h"
#include "live/schema.h"

namespace ktriage {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

// kubectl's --request-timeout: a Go duration ("30s", "1m30s", "500ms", "1.5h") or whole seconds
// ("45"); milliseconds, 0 for none. nullopt when malformed or over a day.
std::optional<long> parse_timeout_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 6) return std::nullopt;
    return std::stol(std::string(text)) * 1000L;
  }
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
  double total = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
      ++digits;
    if (digits == 0 || digits > 12) return std::nullopt;
    const double value = std::strtod(std::string(text.substr(0, digits)).c_str(), nullptr);
    text.remove_prefix(digits);
    bool matched = false;
    for (const auto& [unit, ms] : kUnits) {
      if (text.starts_with(unit) && !(unit == "m" && text.starts_with("ms"))) {
        total += value * ms;
        text.remove_prefix(unit.size());
        matched = true;
        break;
      }
    }
    if (!matched) return std::nullopt;
  }
  if (total > 86400000.0) return std::nullopt;
  return static_cast<long>(total);
}

UnixSeconds wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "20261205-101530" for file names.
std::string file_stamp(UnixSeconds t) {
  std::string iso = format_rfc3339(t);  // 2026-12-05T10:15:30Z
  std::string out;
  for (char c : iso) {
    if (c >= '0' && c <= '9') out.push_back(c);
    if (c == 'T') out.push_back('-');
  }
  return out;
}

std::string safe_name(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
  }
  return s.empty() ? "cluster" : s;
}

}  // namespace

std::optional<std::unique_ptr<ApiClient>> connect(const LiveFlags& flags, const std::string& ns,
                                                  std::string_view path_hint) {
  KubeconfigOptions k{flags.kubeconfig, flags.context, flags.cluster, flags.user, ns};
  auto config = load_rest_config(k, KubeEnvironment::from_process());
  if (!config) {
    std::fprintf(stderr, "ktriage: %s\n", config.error().c_str());
    if (!path_hint.empty()) {
      std::fprintf(stderr,
                   "ktriage: without a path ktriage reads the live cluster; to use a snapshot, "
                   "give it: %.*s\n",
                   static_cast<int>(path_hint.size()), path_hint.data());
    }
    return std::nullopt;
  }
  auto timeout = parse_timeout_ms(flags.request_timeout);
  if (!timeout) {
    std::fprintf(stderr,
                 "ktriage: --request-timeout \"%s\" is not a duration of at most a day (e.g. 30s, "
                 "1m30s, 500ms, 0 for none)\n",
                 flags.request_timeout.c_str());
    return std::nullopt;
  }
  ClientOptions options;
  options.max_inflight = std::max(1, flags.max_inflight);
  options.request_timeout_ms = *timeout;
  return std::make_unique<ApiClient>(std::move(*config), options);
}

std::optional<LiveSnapshot> fetch_live(ApiClient& client, const LiveFlags& flags,
                                       const std::string& ns, bool progress) {
  FetchOptions options;
  options.ns = ns;
  options.max_logs = flags.max_logs;
  options.page_size = std::max<std::size_t>(1, flags.chunk_size);
  options.workers = std::max(1, flags.max_inflight);
  auto last = std::chrono::steady_clock::now();
  bool drew = false;
  if (progress) {
    options.progress = [&](const FetchProgress& p) {
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(100)) return;
      last = now;
      drew = true;
      std::string logs =
          p.logs_total > 0 ? fmt::format(", logs {}/{}", p.logs_done, p.logs_total) : "";
      std::fprintf(stderr, "\r\033[Kreading %s: kinds %zu/%zu, %zu pages, %.1f MB%s",
                   client.config().server.c_str(), p.lists_done, p.lists_total, p.pages,
                   static_cast<double>(p.bytes) / 1e6, logs.c_str());
    };
  }
  auto snap = fetch_snapshot(client, options);
  if (drew) std::fprintf(stderr, "\r\033[K");
  if (!snap) {
    std::fprintf(stderr, "ktriage: %s\n", snap.error().c_str());
    return std::nullopt;
  }
  snap->files.push_back(
      {"ktriage-collect.json",
       collect_info_json(client.config(), format_rfc3339(wall_now()), snap->problems)});
  return std::move(*snap);
}

std::optional<Inputs> read_live(const LiveFlags& flags, const std::string& ns, bool progress,
                                bool timings, std::string_view path_hint) {
  auto client = connect(flags, ns, path_hint);
  if (!client) return std::nullopt;
  auto start = std::chrono::steady_clock::now();
  auto snap = fetch_live(**client, flags, ns, progress);
  if (!snap) return std::nullopt;
  auto fetched = std::chrono::steady_clock::now();
  Inputs inputs = load_snapshot(*snap, "live/");
  if (timings) {
    const ClientStats stats = (*client)->stats();
    std::fprintf(stderr, "timing: fetch    %8.3f s  (%zu requests, %.1f MB)\n",
                 std::chrono::duration<double>(fetched - start).count(), stats.requests,
                 static_cast<double>(stats.bytes) / 1e6);
    std::fprintf(stderr, "timing: load     %8.3f s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - fetched).count());
  }
  return inputs;
}

int run_collect(const LiveFlags& flags, const std::string& ns, std::string out,
                const CloudFlags& cloud) {
  if (out == "-") {
    std::fprintf(stderr, "ktriage collect: -o - is not supported: give the bundle a file name\n");
    return kExitUsage;
  }
  auto client = connect(flags, ns);
  if (!client) return kExitUsage;
  const auto start = std::chrono::steady_clock::now();
  const RestConfig& config = (*client)->config();
  const std::string root =
      fmt::format("ktriage-{}-{}", safe_name(config.context), file_stamp(wall_now()));
  if (out.empty()) out = root + ".tar.gz";
  // Find out now, not after reading the whole cluster, that the bundle cannot be written.
  const bool existed = std::filesystem::exists(out);
  if (std::FILE* probe = std::fopen(out.c_str(), "ab"); probe != nullptr) {
    std::fclose(probe);
    if (!existed) std::filesystem::remove(out);
  } else {
    std::fprintf(stderr, "ktriage collect: cannot write %s: %s\n", out.c_str(),
                 std::strerror(errno));
    return kExitUsage;
  }
  auto snap = fetch_live(**client, flags, ns, isatty(STDERR_FILENO) != 0);
  if (!snap) return kExitUsage;
  if (cloud.enabled) {
    std::fprintf(stderr, "collecting the Alibaba Cloud answers with the %s CLI:\n",
                 cloud.cli.c_str());
    collect_cloud(*snap, cloud);
    // ktriage-collect.json also says what the cloud part could not read.
    for (SnapshotFile& f : snap->files) {
      if (f.path == "ktriage-collect.json") {
        f.data = collect_info_json(config, format_rfc3339(wall_now()), snap->problems);
      }
    }
  }
  auto written = write_bundle(*snap, root, out);
  if (!written) {
    std::fprintf(stderr, "ktriage: %s\n", written.error().c_str());
    return kExitUsage;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ClientStats stats = (*client)->stats();
  std::size_t logs = 0;
  for (const SnapshotFile& f : snap->files) logs += f.path.starts_with("logs/") ? 1 : 0;
  std::fprintf(stderr, "wrote %s: %zu files (%zu logs), %.1f MB from %s in %.1f s, %zu requests\n",
               out.c_str(), snap->files.size(), logs, static_cast<double>(*written) / 1e6,
               config.server.c_str(), seconds, stats.requests);
  for (const std::string& p : snap->problems) std::fprintf(stderr, "  note: %s\n", p.c_str());
  std::fprintf(stderr, "diagnose it anywhere with: ktriage diagnose %s\n", out.c_str());
  return kExitOk;
}

int run_schema_pull(const LiveFlags& flags, const std::string& into) {
  auto client = connect(flags, "");
  if (!client) return kExitUsage;
  auto result = pull_schemas(**client, KubeEnvironment::from_process(), into);
  if (!result) {
    std::fprintf(stderr, "ktriage schema pull: %s\n", result.error().c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "saved %zu OpenAPI v3 documents of Kubernetes %s (%.1f MB) in %s\n",
               result->documents, result->release.c_str(), static_cast<double>(result->bytes) / 1e6,
               result->dir.c_str());
  return kExitOk;
}

}  // namespace ktriage
