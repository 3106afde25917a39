// Running a kubeconfig `exec` credential plugin as client-go does (k8s.io/client-go/plugin/pkg/
// client/auth/exec): the ExecCredential request in KUBERNETES_EXEC_INFO, the answer on stdout.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.h"
#include "live/rest_config.h"

namespace ktriage {

/// Whether the plugin gets the terminal: Never → no; IfAvailable → when stdin is a terminal;
/// Always → yes, or an error naming the plugin when stdin is not a terminal.
Expected<bool, std::string> exec_interactive(const ExecConfig& exec, bool stdin_is_terminal);

/// The ExecCredential request client-go puts in KUBERNETES_EXEC_INFO:
/// {"apiVersion":...,"kind":"ExecCredential","spec":{"interactive":b[,"cluster":{...}]}}.
/// The cluster part (server, tls-server-name, insecure-skip-tls-verify,
/// certificate-authority-data as base64, proxy-url) only when provideClusterInfo is set.
/// `ca_pem` is the cluster's CA (ca_data, or ca_file's content).
std::string exec_info_json(const ExecConfig& exec, const RestConfig& config,
                           std::string_view ca_pem, bool interactive);

/// Parses the plugin's stdout: kind ExecCredential, the configured apiVersion, and a status with
/// a token or a client certificate and key (PEM), optionally expirationTimestamp (RFC 3339).
/// `plugin` names the plugin in errors; the output itself never appears in them.
Expected<Credentials, std::string> parse_exec_credential(std::string_view out,
                                                         const std::string& api_version,
                                                         const std::string& plugin);

/// Runs the plugin of `config.exec` once: command and args, ktriage's environment plus the env
/// entries and KUBERNETES_EXEC_INFO, stdin the terminal only when interactive, stdout captured;
/// stderr captured for the error message (passed through when interactive). Killed after
/// exec.timeout_ms. Errors give the exit code and the first lines of stderr, or the install hint
/// when the command is not found.
Expected<Credentials, std::string> run_exec_plugin(const RestConfig& config);

}  // namespace ktriage
