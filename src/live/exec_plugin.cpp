// Exec credential plugins: lookup, spawn with a deadline, and the ExecCredential JSON both ways.
#include "live/exec_plugin.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "core/base64.h"
#include "core/json_text.h"
#include "core/redact.h"
#include "core/time.h"

extern char** environ;

namespace ktriage {
namespace {

constexpr std::size_t kMaxOutput = 4 << 20;  // a credential is a few KiB; more is a broken plugin
constexpr int kStderrLines = 5;              // of a failed plugin's stderr, in the error message

std::string plugin_name(const RestConfig& config) {
  std::string name = "exec plugin \"" + config.exec->command + "\"";
  if (!config.origin.empty()) name += " (" + config.origin + ")";
  return name;
}

// exec.LookPath: a command with a '/' is used as is, else the first executable file in PATH.
std::optional<std::string> look_path(const std::string& command) {
  auto executable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (command.find('/') != std::string::npos) {
    return executable(command) ? std::optional(command) : std::nullopt;
  }
  const char* path_env = std::getenv("PATH");
  const std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    // Go refuses results relative to the working directory; so does ktriage.
    if (!dir.empty() && dir[0] == '/') {
      std::string candidate = dir + "/" + command;
      if (executable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

// ktriage's environment, then the plugin's env entries (later entries win), then
// KUBERNETES_EXEC_INFO.
std::vector<std::string> plugin_environment(const ExecConfig& exec, const std::string& info) {
  std::vector<std::pair<std::string, std::string>> vars;
  auto set = [&vars](const std::string& name, const std::string& value) {
    for (auto& [n, v] : vars) {
      if (n == name) {
        v = value;
        return;
      }
    }
    vars.emplace_back(name, value);
  };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    vars.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  for (const auto& [name, value] : exec.env) set(name, value);
  set("KUBERNETES_EXEC_INFO", info);
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [n, v] : vars) out.push_back(n + "=" + v);
  return out;
}

struct ProcessResult {
  int status = 0;
  bool timed_out = false;
  std::string out, err;
};

// Spawns `path`, reads its stdout (and stderr when captured) until both close or the deadline
// passes, then reaps it. Non-interactive plugins get their own process group, so a timeout
// kills whatever they started too.
Expected<ProcessResult, std::string> run_process(const std::string& path,
                                                 const std::vector<std::string>& argv_s,
                                                 const std::vector<std::string>& env_s,
                                                 bool interactive, int timeout_ms) {
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Unexpected{std::string(std::strerror(errno))};
  if (!interactive && ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Unexpected{std::string(std::strerror(e))};
  }
  std::vector<char*> argv, envp;
  for (const auto& a : argv_s) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env_s) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!interactive) posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  if (!interactive) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  if (!interactive) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  if (err_pipe[1] >= 0) ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    if (err_pipe[0] >= 0) ::close(err_pipe[0]);
    return Unexpected{std::string(std::strerror(rc))};
  }

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  struct Stream {
    int fd;
    std::string* into;
  };
  std::vector<Stream> open{{out_pipe[0], &result.out}};
  if (err_pipe[0] >= 0) open.push_back({err_pipe[0], &result.err});
  char buf[8192];
  while (!open.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    for (const Stream& s : open) fds.push_back(pollfd{s.fd, POLLIN, 0});
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(open[i].fd);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      std::string& into = *open[i].into;
      if (into.size() < kMaxOutput) into.append(buf, static_cast<std::size_t>(got));
    }
  }
  for (const Stream& s : open) ::close(s.fd);
  if (result.timed_out) ::kill(interactive ? pid : -pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = status;
  return result;
}

std::string first_lines(std::string_view text, int lines) {
  std::string out;
  int n = 0;
  std::size_t start = 0;
  while (start < text.size() && n < lines) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      if (!out.empty()) out += " | ";
      out += line;
      ++n;
    }
    start = end + 1;
  }
  if (start < text.size()) out += " ...";
  return out;
}

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

Expected<bool, std::string> exec_interactive(const ExecConfig& exec, bool stdin_is_terminal) {
  switch (exec.interactive) {
    case ExecConfig::Interactive::kNever:
      return false;
    case ExecConfig::Interactive::kIfAvailable:
      return stdin_is_terminal;
    case ExecConfig::Interactive::kAlways:
      if (!stdin_is_terminal) {
        return Unexpected{"exec plugin \"" + exec.command +
                          "\" has interactiveMode Always, but standard input is not a terminal"};
      }
      return true;
  }
  return false;
}

std::string exec_info_json(const ExecConfig& exec, const RestConfig& config,
                           std::string_view ca_pem, bool interactive) {
  std::string out = "{\"apiVersion\":";
  append_json_string(out, exec.api_version);
  out += ",\"kind\":\"ExecCredential\",\"spec\":{";
  if (exec.provide_cluster_info) {
    out += "\"cluster\":{\"server\":";
    append_json_string(out, config.server);
    if (!config.tls_server_name.empty()) {
      out += ",\"tls-server-name\":";
      append_json_string(out, config.tls_server_name);
    }
    if (config.insecure_skip_tls_verify) out += ",\"insecure-skip-tls-verify\":true";
    if (!ca_pem.empty()) {
      out += ",\"certificate-authority-data\":";
      append_json_string(out, base64_encode(ca_pem));
    }
    if (!config.proxy_url.empty()) {
      out += ",\"proxy-url\":";
      append_json_string(out, config.proxy_url);
    }
    out += "},";
  }
  out += interactive ? "\"interactive\":true}}" : "\"interactive\":false}}";
  return out;
}

Expected<Credentials, std::string> parse_exec_credential(std::string_view out,
                                                         const std::string& api_version,
                                                         const std::string& plugin) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(out);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc); err) {
    return Unexpected{plugin + " printed no valid JSON (" + simdjson::error_message(err) + ")"};
  }
  std::string_view kind, version;
  if (doc["kind"].get(kind) != simdjson::SUCCESS || kind != "ExecCredential") {
    return Unexpected{plugin + " printed JSON whose kind is not ExecCredential"};
  }
  if (doc["apiVersion"].get(version) != simdjson::SUCCESS || version != api_version) {
    return Unexpected{plugin + " is configured to use API version " + api_version +
                      ", plugin returned version " +
                      (version.empty() ? std::string("(none)") : std::string(version))};
  }
  simdjson::dom::object status;
  if (doc["status"].get(status) != simdjson::SUCCESS) {
    return Unexpected{plugin + " didn't return a status field"};
  }
  Credentials c;
  auto text = [&status](const char* key) -> std::string {
    std::string_view v;
    return status[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
  };
  c.token = text("token");
  c.client_cert_pem = text("clientCertificateData");
  c.client_key_pem = text("clientKeyData");
  if (c.client_cert_pem.empty() != c.client_key_pem.empty()) {
    return Unexpected{plugin +
                      " returned only one of clientCertificateData and clientKeyData; both are "
                      "needed"};
  }
  if (c.token.empty() && c.client_cert_pem.empty()) {
    return Unexpected{plugin + " didn't return a token or cert/key pair"};
  }
  const std::string expiry = text("expirationTimestamp");
  if (!expiry.empty()) {
    c.expires = parse_rfc3339(expiry);
    if (!c.expires) {
      return Unexpected{plugin +
                        " returned an expirationTimestamp that is not RFC 3339: " + expiry};
    }
  }
  return c;
}

Expected<Credentials, std::string> run_exec_plugin(const RestConfig& config) {
  const ExecConfig& exec = *config.exec;
  const std::string plugin = plugin_name(config);
  auto interactive = exec_interactive(exec, ::isatty(0) == 1);
  if (!interactive) return Unexpected{interactive.error()};
  const auto path = look_path(exec.command);
  if (!path) {
    std::string msg = plugin + ": executable " + exec.command + " not found";
    msg += exec.install_hint.empty()
               ? "; it looks like a client-go credential plugin that is not installed"
               : ". " + exec.install_hint;
    return Unexpected{msg};
  }
  std::string ca = config.ca_data;
  if (ca.empty() && !config.ca_file.empty() && exec.provide_cluster_info) {
    auto bytes = read_whole(config.ca_file);
    if (!bytes) {
      return Unexpected{plugin + ": cannot read certificate-authority " + config.ca_file + ": " +
                        std::strerror(errno)};
    }
    ca = std::move(*bytes);
  }
  std::vector<std::string> argv{exec.command};
  argv.insert(argv.end(), exec.args.begin(), exec.args.end());
  const auto env = plugin_environment(exec, exec_info_json(exec, config, ca, *interactive));
  auto run = run_process(*path, argv, env, *interactive, exec.timeout_ms);
  if (!run) return Unexpected{plugin + ": cannot start " + *path + ": " + run.error()};
  if (run->timed_out) {
    return Unexpected{plugin + " did not finish within " + std::to_string(exec.timeout_ms) +
                      " ms and was killed"};
  }
  const int status = run->status;
  if (WIFSIGNALED(status)) {
    return Unexpected{plugin + " was killed by signal " + std::to_string(WTERMSIG(status))};
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    std::string msg = plugin + " failed with exit code " + std::to_string(WEXITSTATUS(status));
    const std::string err =
        redact_credentials(first_lines(run->err, kStderrLines), Placeholders::kMask);
    if (!err.empty()) msg += ": " + err;
    return Unexpected{msg};
  }
  return parse_exec_credential(run->out, exec.api_version, plugin);
}

}  // namespace ktriage
