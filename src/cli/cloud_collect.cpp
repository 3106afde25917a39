#include "cli/cloud_collect.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>

#include "core/redact.h"
#include "live/bundle.h"
#include "live/process.h"
#include "model/cluster.h"

namespace ktriage {
namespace {

constexpr std::size_t kMaxAnswer = 64u << 20;  // a page of 100 instances is ~0.5 MB
constexpr int kErrorLines = 3;

// The CLI's error text with credentials masked: redact_credentials, plus AccessKey ids (LTAI...)
// and the values after AccessKeySecret / SecurityToken, which the CLI may quote.
std::string masked(std::string_view text) {
  std::string out = redact_credentials(text, Placeholders::kMask);
  for (std::size_t at = out.find("LTAI"); at != std::string::npos; at = out.find("LTAI", at + 4)) {
    std::size_t end = at + 4;
    while (end < out.size() && std::isalnum(static_cast<unsigned char>(out[end])) != 0) ++end;
    if (end - at > 8) out.replace(at + 4, end - at - 4, "***");
  }
  for (std::string_view key :
       {"AccessKeySecret", "SecurityToken", "accessKeySecret", "sts_token"}) {
    for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + 1)) {
      std::size_t v = at + key.size();
      while (v < out.size() && (out[v] == ' ' || out[v] == ':' || out[v] == '=' || out[v] == '"')) {
        ++v;
      }
      std::size_t end = v;
      while (end < out.size() && out[end] != ' ' && out[end] != '"' && out[end] != ',' &&
             out[end] != '\n') {
        ++end;
      }
      if (end > v) out.replace(v, end - v, "***");
    }
  }
  return out;
}

std::string command_text(const std::string& cli, const std::vector<std::string>& args) {
  return fmt::format("{} {}", cli, fmt::join(args, " "));
}

bool looks_json(std::string_view s) {
  const std::size_t at = s.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && (s[at] == '{' || s[at] == '[');
}

// Runs one call; its answer, or the problem in `error`.
std::optional<std::string> run_call(const std::string& path, const CloudFlags& flags,
                                    const cloud::CliCall& call, std::string& error) {
  std::vector<std::string> argv{flags.cli};
  argv.insert(argv.end(), call.args.begin(), call.args.end());
  const std::string what = command_text(flags.cli, call.args);
  auto run = run_process(path, argv, current_environment(), false, flags.timeout_ms, kMaxAnswer);
  if (!run) {
    error = fmt::format("cannot start {}: {}", path, run.error());
    return std::nullopt;
  }
  if (run->timed_out) {
    error = fmt::format("`{}` did not answer within {} s and was stopped", what,
                        flags.timeout_ms / 1000);
    return std::nullopt;
  }
  const bool exited = WIFEXITED(run->status);
  const int code = exited ? WEXITSTATUS(run->status) : -1;
  if (!exited || code != 0) {
    std::string err = masked(first_lines(run->err.empty() ? run->out : run->err, kErrorLines));
    error = fmt::format("`{}` failed ({}){}", what,
                        exited ? fmt::format("exit code {}", code) : std::string("killed"),
                        err.empty() ? "" : ": " + err);
    return std::nullopt;
  }
  if (!looks_json(run->out)) {
    error = fmt::format("`{}` answered no JSON: {}", what, masked(first_lines(run->out, 1)));
    return std::nullopt;
  }
  return std::move(run->out);
}

// The Kubernetes objects and the answers so far, as a Cluster the planner reads.
std::unique_ptr<Cluster> cluster_of(const LiveSnapshot& snap) {
  return Cluster::build(load_snapshot(snap, "live/"));
}

}  // namespace

CloudCollectResult collect_cloud(LiveSnapshot& snap, const CloudFlags& flags) {
  CloudCollectResult result;
  auto not_collected = [&](std::string why) {
    result.not_collected = "cloud answers not collected: " + why;
    snap.problems.push_back(result.not_collected);
    return result;
  };
  const auto path = look_path(flags.cli);
  if (!path) {
    return not_collected(fmt::format(
        "the Alibaba Cloud CLI ({}) is not installed or not on PATH; install it "
        "(https://www.alibabacloud.com/help/en/cli/), run `aliyun configure`, and collect again, "
        "or fill cloud/ by hand (docs/cloud.md)",
        flags.cli));
  }
  auto add = [&](const cloud::CliCall& call, std::string answer) {
    std::fprintf(stderr, "  cloud/%s  (%s)\n", call.file.c_str(),
                 command_text(flags.cli, call.args).c_str());
    snap.files.push_back({"cloud/" + call.file, std::move(answer)});
    ++result.files;
  };
  std::string error;
  const cloud::CliCall who = cloud::identity_call();
  auto identity = run_call(*path, flags, who, error);
  if (!identity) {
    return not_collected(fmt::format(
        "the aliyun CLI ({}) is not configured or its credentials are refused: {}; run `aliyun "
        "configure` (a RAM user or role with read access to ECS, VPC, CS and RAM) and collect "
        "again",
        *path, error));
  }
  add(who, std::move(*identity));
  for (int round = 1; round <= 2; ++round) {
    const auto cluster = cluster_of(snap);
    const cloud::CloudPlan plan = round == 1 ? cloud::first_round(*cluster, flags.plan)
                                             : cloud::second_round(*cluster, flags.plan);
    for (const std::string& note : plan.notes) snap.problems.push_back("cloud: " + note);
    for (const cloud::CliCall& call : plan.calls) {
      if (auto answer = run_call(*path, flags, call, error)) {
        add(call, std::move(*answer));
      } else {
        ++result.failed;
        snap.problems.push_back("cloud: " + error);
      }
    }
  }
  return result;
}

}  // namespace ktriage
