// How to reach one API server and who to be there: what kubectl resolves from kubeconfig files,
// flags and the in-cluster service account before it sends a request. Produced by
// load_rest_config (kubeconfig.cpp), consumed by the API client (api_client.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/expected.h"
#include "core/time.h"

namespace ktriage {

/// A `users[].user.exec` credential plugin, as client-go runs it.
/// https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
struct ExecConfig {
  std::string api_version;  ///< client.authentication.k8s.io/v1 or v1beta1
  std::string command;      ///< resolved like kubectl: relative paths with a '/' against the file
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  ///< added to ktriage's environment
  enum class Interactive { kNever, kIfAvailable, kAlways };
  Interactive interactive = Interactive::kIfAvailable;  ///< v1 requires it; v1beta1 default
  bool provide_cluster_info = false;
  std::string install_hint;  ///< printed when the command is not found
  /// ktriage's addition, not kubeconfig's: a plugin still running after this long is killed, so
  /// a hung plugin cannot hang ktriage.
  int timeout_ms = 60'000;
};

/// Everything needed to talk to one API server. Strings are empty when not set. `*_data` fields
/// hold decoded PEM bytes (kubeconfig's base64 `*-data` fields are decoded at load).
struct RestConfig {
  std::string server;   ///< "https://10.0.0.1:6443" or "http://127.0.0.1:8080", no trailing '/'
  std::string context;  ///< context name ("" for in-cluster), for messages
  std::string ns;       ///< the context's namespace, "default" when it names none
  std::string origin;   ///< where this came from, for errors: "~/.kube/config, context prod"

  // TLS and transport.
  bool insecure_skip_tls_verify = false;
  std::string ca_file, ca_data;
  std::string tls_server_name;  ///< SNI and certificate name to check instead of the host
  std::string proxy_url;        ///< cluster's proxy-url; else HTTPS_PROXY/NO_PROXY apply

  // Authentication: a client certificate, a bearer token, basic auth, or an exec plugin.
  std::string client_cert_file, client_cert_data;
  std::string client_key_file, client_key_data;
  std::string token, token_file;  ///< token_file is re-read when it changes (projected tokens)
  std::string username, password;
  std::optional<ExecConfig> exec;
};

/// Flags that pick and override what kubeconfig says (kubectl's names).
struct KubeconfigOptions {
  std::string kubeconfig;  ///< --kubeconfig: one file, wins over KUBECONFIG
  std::string context;     ///< --context
  std::string cluster;     ///< --cluster: use this cluster entry instead of the context's
  std::string user;        ///< --user: use this user entry instead of the context's
  std::string ns;          ///< -n: overrides the context's namespace
};

/// The parts of the process environment that kubeconfig resolution reads, passed in so that
/// tests can set them (from_process() reads the real ones).
struct KubeEnvironment {
  std::optional<std::string> kubeconfig;   ///< KUBECONFIG: paths joined by ':'
  std::string home;                        ///< HOME, for ~/.kube/config
  std::string service_host, service_port;  ///< KUBERNETES_SERVICE_HOST / _PORT (in a pod)
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  std::string cache_home;  ///< XDG_CACHE_HOME, for `schema pull` (else $HOME/.cache)
  static KubeEnvironment from_process();
};

/// Resolves the config as kubectl does: --kubeconfig, else KUBECONFIG's files merged (the first
/// file to set a map entry or current-context wins), else ~/.kube/config, else the in-cluster
/// service account when running in a pod. Errors name the file, the context and the field:
/// "~/.kube/config: context \"prod\" names user \"admin\", which is not defined".
Expected<RestConfig, std::string> load_rest_config(const KubeconfigOptions& options,
                                                   const KubeEnvironment& env);

/// The credentials to send on a request, resolved from a RestConfig.
struct Credentials {
  std::string token;                            ///< "Authorization: Bearer <token>" when set
  std::string username, password;               ///< basic auth when set
  std::string client_cert_pem, client_key_pem;  ///< client TLS certificate when set
  std::optional<UnixSeconds> expires;           ///< exec plugin's expirationTimestamp
};

/// Hands out credentials for requests, running the exec plugin when needed and caching its
/// answer until expirationTimestamp (or until invalidate(), after a 401). Thread-safe: many
/// requests in flight share one plugin run.
class CredentialSource {
 public:
  explicit CredentialSource(RestConfig config);
  ~CredentialSource();
  CredentialSource(const CredentialSource&) = delete;
  CredentialSource& operator=(const CredentialSource&) = delete;

  /// Current credentials; runs the exec plugin when there is none cached or it has expired.
  /// Errors say which plugin failed and how (exit code and its stderr, or bad output).
  Expected<Credentials, std::string> get();
  /// Forget cached exec credentials and re-read the token file: the server said 401.
  void invalidate();
  /// How many times the exec plugin ran (for tests of the cache).
  int exec_runs() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ktriage
