#include "cli/cloud_collect.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/redact.h"
#include "live/bundle.h"
#include "live/process.h"
#include "load/document.h"
#include "model/cluster.h"

namespace ktriage {
namespace {

constexpr std::size_t kMaxAnswer = 64u << 20;  // a page of 100 instances is ~0.5 MB
constexpr int kErrorLines = 3;

}  // namespace

// The CLI's error text with credentials masked: redact_credentials, plus AccessKey ids (LTAI...,
// and STS temporary ones, STS.<id>) and the values after AccessKeySecret / SecurityToken, which
// the CLI may quote.
std::string mask_cli_text(std::string_view text) {
  std::string out = redact_credentials(text, Placeholders::kMask);
  for (std::string_view prefix : {"LTAI", "STS."}) {
    for (std::size_t at = out.find(prefix); at != std::string::npos;
         at = out.find(prefix, at + prefix.size())) {
      std::size_t end = at + prefix.size();
      while (end < out.size() && std::isalnum(static_cast<unsigned char>(out[end])) != 0) ++end;
      if (end - at > prefix.size() + 4)
        out.replace(at + prefix.size(), end - at - prefix.size(), "***");
    }
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

namespace {

// Keys whose string values are secrets in an answer: DescribeClusterNodePools'
// scaling_group.login_password and user_data (a boot script, often with tokens), and anything
// named like a password, secret, private key, kubeconfig or (non-paging) token.
bool secret_key(std::string_view key) {
  std::string k;
  for (char c : key) {
    if (c != '_' && c != '-') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (k == "nexttoken" || k == "continuetoken") return false;  // paging cursors
  auto ends = [&k](std::string_view suffix) { return k.ends_with(suffix); };
  return ends("password") || ends("secret") || ends("privatekey") || ends("token") ||
         k == "userdata" || k == "kubeconfig" || k == "clientkey" || k == "keydata";
}

}  // namespace

std::string mask_answer_secrets(std::string_view json, std::vector<std::string>* masked_keys) {
  std::string out;
  out.reserve(json.size());
  std::size_t i = 0;
  // The end of the string starting at `from` (a quote), past its closing quote.
  auto string_end = [&json](std::size_t from) {
    std::size_t j = from + 1;
    while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
    return std::min(j + 1, json.size());
  };
  auto skip_space = [&json](std::size_t j) {
    while (j < json.size() &&
           (json[j] == ' ' || json[j] == '\t' || json[j] == '\n' || json[j] == '\r')) {
      ++j;
    }
    return j;
  };
  while (i < json.size()) {
    if (json[i] != '"') {
      out += json[i++];
      continue;
    }
    const std::size_t end = string_end(i);
    const std::string_view token = json.substr(i, end - i);
    out += token;
    i = end;
    std::size_t colon = skip_space(i);
    if (colon >= json.size() || json[colon] != ':') continue;  // a value, not a key
    const std::string_view key = token.size() >= 2 ? token.substr(1, token.size() - 2) : "";
    if (!secret_key(key)) continue;
    const std::size_t value = skip_space(colon + 1);
    if (value >= json.size() || json[value] != '"') continue;
    const std::size_t value_end = string_end(value);
    if (value_end - value <= 2) continue;  // "" hides nothing
    out += json.substr(i, value - i);
    out += "\"***\"";
    i = value_end;
    if (masked_keys != nullptr &&
        std::find(masked_keys->begin(), masked_keys->end(), key) == masked_keys->end()) {
      masked_keys->emplace_back(key);
    }
  }
  return out;
}

namespace {

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
    std::string err =
        mask_cli_text(first_lines(run->err.empty() ? run->out : run->err, kErrorLines));
    error = fmt::format("`{}` failed ({}){}", what,
                        exited ? fmt::format("exit code {}", code) : std::string("killed"),
                        err.empty() ? "" : ": " + err);
    return std::nullopt;
  }
  if (run->out_truncated) {
    error = fmt::format(
        "`{}` answered more than {} MiB: the answer was cut there, so it is not saved (an "
        "incomplete answer would read as a complete one)",
        what, kMaxAnswer >> 20);
    return std::nullopt;
  }
  if (!looks_json(run->out)) {
    error = fmt::format("`{}` answered no JSON: {}", what, mask_cli_text(first_lines(run->out, 1)));
    return std::nullopt;
  }
  return std::move(run->out);
}

// The call for the next page when `answer` says there is one.
std::optional<cloud::CliCall> next_page_of(const cloud::CliCall& call, const std::string& answer) {
  std::string padded(answer);
  padded.append(kJsonPadding, '\0');
  Arena arena;
  std::optional<cloud::CliCall> next;
  read_json(std::string_view(padded.data(), answer.size()), arena,
            [&](const ParsedDocument& doc, const Locator&) {
              if (doc.root.is_object()) next = cloud::next_page(call, doc.root);
            });
  return next;
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
    // Secrets in answers (a node pool's login password, its user data) never reach the bundle.
    std::vector<std::string> masked_keys;
    answer = mask_answer_secrets(answer, &masked_keys);
    if (!masked_keys.empty()) {
      snap.problems.push_back(fmt::format("cloud: cloud/{}: the values of {} are masked (***)",
                                          call.file, fmt::join(masked_keys, ", ")));
    }
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
    for (const cloud::CliCall& first : plan.calls) {
      // A paged answer (vpc DescribeVSwitches) is followed page by page.
      std::optional<cloud::CliCall> call = first;
      // At most 100 pages, and never the same page twice (an answer that ignores --PageNumber).
      for (int pages = 0; call && pages < 100; ++pages) {
        auto answer = run_call(*path, flags, *call, error);
        if (!answer) {
          ++result.failed;
          snap.problems.push_back("cloud: " + error);
          break;
        }
        std::optional<cloud::CliCall> next = next_page_of(*call, *answer);
        if (next && next->file == call->file) next.reset();
        add(*call, std::move(*answer));
        call = std::move(next);
      }
    }
  }
  return result;
}

}  // namespace ktriage
