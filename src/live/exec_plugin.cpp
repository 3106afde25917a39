// Exec credential plugins: lookup, spawn with a deadline, and the ExecCredential JSON both ways.
#include "live/exec_plugin.h"

#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>

#include <cerrno>
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
#include "live/process.h"

extern char** environ;

namespace ktriage {
namespace {

constexpr int kStderrLines = 5;  // of a failed plugin's stderr, in the error message

std::string plugin_name(const RestConfig& config) {
  std::string name = "exec plugin \"" + config.exec->command + "\"";
  if (!config.origin.empty()) name += " (" + config.origin + ")";
  return name;
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
  // A credential is a few KiB; more is a broken plugin.
  auto run = run_process(*path, argv, env, *interactive, exec.timeout_ms, 4 << 20);
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
