#include "cli/logs.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <tuple>

#include "logs/findings.h"
#include "logs/matcher.h"
#include "logs/scanner.h"
#include "logs/signature.h"
#include "logs/text.h"
#include "logs/timestamp.h"
#include "logs/totals.h"
#include "report/report.h"

namespace ktriage {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

// The built-in signatures (unless --no-builtin), then each --signatures file; a user's signature
// replaces a built-in one with the same id. Prints the problem and returns nullopt on a bad file.
std::optional<std::vector<logs::Signature>> load_signatures(const LogsFlags& f) {
  std::vector<logs::Signature> all;
  if (!f.no_builtin) {
    auto builtin = logs::builtin_signatures();
    if (!builtin) {
      std::cerr << "ktriage logs: built-in signatures: " << builtin.error() << "\n";
      return std::nullopt;
    }
    all = std::move(*builtin);
  }
  for (const std::string& path : f.signatures) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << fmt::format("ktriage logs: cannot read --signatures {}\n", path);
      return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto user = logs::parse_signatures(path, text.str());
    if (!user) {
      std::cerr << "ktriage logs: " << user.error() << "\n";
      return std::nullopt;
    }
    for (logs::Signature& s : *user) {
      auto same = std::find_if(all.begin(), all.end(), [&](auto& b) { return b.id == s.id; });
      if (same != all.end()) {
        *same = std::move(s);
      } else {
        all.push_back(std::move(s));
      }
    }
  }
  // yields_to may name a signature of another file (a user's catch-all yielding to a built-in
  // one): checked over the whole set.
  if (auto e = logs::check_yields(all)) {
    std::cerr << "ktriage logs: " << *e << "\n";
    return std::nullopt;
  }
  return all;
}

// --component, --since, --until into scan options; prints the problem and returns nullopt.
std::optional<logs::ScanOptions> scan_options(const LogsFlags& f) {
  logs::ScanOptions o;
  if (!f.component.empty() && !logs::is_component(f.component)) {
    std::cerr << fmt::format(
        "ktriage logs: --component {} is not one of kubelet, docker, containerd, apiserver, etcd, "
        "scheduler, controller-manager, coredns, cni, terway, kernel, app\n",
        f.component);
    return std::nullopt;
  }
  o.component = f.component;
  const auto now = static_cast<UnixSeconds>(std::chrono::duration_cast<std::chrono::seconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  o.year = utc_year(now);
  for (auto [flag, text, out] :
       {std::tuple{"--since", &f.since, &o.since}, std::tuple{"--until", &f.until, &o.until}}) {
    if (text->empty()) continue;
    *out = logs::parse_time_bound(*text, now);
    if (!*out) {
      std::cerr << fmt::format(
          "ktriage logs: {} \"{}\" is neither an RFC 3339 time (2026-11-29T10:00:00Z) nor a "
          "duration (90s, 15m, 1h, 2d)\n",
          flag, *text);
      return std::nullopt;
    }
  }
  return o;
}

// -f: matches of one file printed as they come, then of what is appended, until interrupted.
int follow(const LogsFlags& f, const std::vector<logs::Signature>& signatures,
           logs::Matcher& matcher, logs::ScanOptions options) {
  std::error_code ec;
  if (f.paths.size() != 1 || !std::filesystem::is_regular_file(f.paths[0], ec)) {
    std::cerr << "ktriage logs: -f follows exactly one regular file\n";
    return kExitUsage;
  }
  options.on_match = [](const logs::Signature& sig, const logs::Sample& sample) {
    std::cout << logs::render_match_line(sig, sample) << std::flush;
  };
  std::cerr << fmt::format("ktriage logs: following {} (Ctrl-C to stop)\n", f.paths[0]);
  logs::LogScan scan;
  logs::follow_file(f.paths[0], signatures, matcher, options, scan, [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    return true;
  });
  if (!scan.files.empty() && !scan.files[0].error.empty())
    std::cerr << fmt::format("ktriage logs: {}: {}\n", f.paths[0], scan.files[0].error);
  return kExitUsage;  // only reached when reading failed
}

}  // namespace

CLI::App* add_logs_command(CLI::App& app, LogsFlags& f) {
  auto* cmd = app.add_subcommand(
      "logs",
      "Find known failures (knowledge/log-signatures.yaml) in node, runtime, control-plane and "
      "application logs");
  cmd->add_option("paths", f.paths, "Log files, folders (recursive), .gz files, or - for stdin")
      ->required();
  cmd->add_option("--component", f.component,
                  "What the logs are: kubelet, docker, containerd, apiserver, etcd, scheduler, "
                  "controller-manager, coredns, cni, terway, kernel, app (default: guessed per "
                  "file from its name and content)");
  cmd->add_option("--since", f.since, "Only lines at or after: RFC 3339, or a duration ago (1h)");
  cmd->add_option("--until", f.until, "Only lines at or before: RFC 3339, or a duration ago");
  cmd->add_option("-o,--output", f.output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--no-builtin", f.no_builtin,
                "Use only the --signatures files, not the built-in knowledge base");
  cmd->add_flag("-f,--follow", f.follow,
                "Follow one growing file: print each match as it comes, until interrupted");
  cmd->add_option("--signatures", f.signatures,
                  "Another signature file (same schema; repeatable); its ids replace built-in ones")
      ->allow_extra_args(false);  // one file per --signatures, so paths may follow it
  return cmd;
}

int run_logs(const LogsFlags& f) {
  auto options = scan_options(f);
  if (!options) return kExitUsage;
  auto signatures = load_signatures(f);
  if (!signatures) return kExitUsage;
  auto matcher = logs::Matcher::compile(*signatures);
  if (!matcher) {
    std::cerr << "ktriage logs: " << matcher.error() << "\n";
    return kExitUsage;
  }
  for (const std::string& note : matcher->notes())
    std::cerr << "ktriage logs: note: " << note << "\n";
  if (f.follow) return follow(f, *signatures, *matcher, *options);
  logs::LogScan scan = logs::scan_paths(f.paths, *signatures, *matcher, *options);
  if (f.output == "json") {
    std::cout << render_json(logs::to_diagnosis(scan, *signatures));
  } else {
    std::cout << logs::render_text(scan, *signatures);
  }
  std::cout.flush();
  bool any_read = false;
  for (const logs::FileStats& file : scan.files)
    any_read = any_read || file.error.empty() || file.lines > 0;
  if (!any_read) {
    std::cerr << "ktriage logs: nothing could be read from the input\n";
    return kExitUsage;
  }
  auto all = logs::totals(scan, *signatures);
  return logs::any_at_or_above(all, *signatures, Severity::kWarning) ? kExitFindings : kExitOk;
}

}  // namespace ktriage
