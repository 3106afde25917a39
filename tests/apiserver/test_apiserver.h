// A stand-in for kube-apiserver in tests: serves a snapshot folder with the Kubernetes API's paths
// and semantics over HTTPS (or plain HTTP) on 127.0.0.1, and injects the faults a real cluster
// shows (401, 403 per resource, 429 with Retry-After, 500, slow answers, dropped connections,
// expired continue tokens, a certificate from an unknown CA). No real kube-apiserver can be
// installed from Debian packages; tests/apiserver/fidelity_test.cpp checks this one against
// kubectl.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/expected.h"

namespace ktriage::testing {

/// PEM files written by generate_tls_files into one folder.
struct TlsFiles {
  std::string dir;
  std::string ca_cert, ca_key;          ///< the cluster CA
  std::string server_cert, server_key;  ///< for 127.0.0.1 and localhost, signed by the CA
  std::string client_cert, client_key;  ///< CN=ktriage-test, O=system:masters, signed by the CA
  std::string other_ca_cert;            ///< an unrelated CA (for "unknown authority" tests)
  std::string other_server_cert, other_server_key;  ///< for 127.0.0.1, signed by the other CA
};

/// Generates the files above with OpenSSL (EC P-256, valid for a day). Throws on failure.
TlsFiles generate_tls_files(const std::string& dir);

/// Faults to inject. Counters apply to requests whose path contains `only_path` (all when empty)
/// and count down as they fire.
struct Faults {
  std::string only_path;
  std::set<std::string> forbidden_resources;  ///< resource names ("secrets"): 403 Status
  int unauthorized = 0;                       ///< next N requests: 401
  int too_many_requests = 0;  ///< next N requests: 429 with Retry-After: retry_after_seconds
  int retry_after_seconds = 1;
  int server_errors = 0;     ///< next N requests: 500 Status
  int drop_connections = 0;  ///< next N requests: connection closed before the body ends
  int slow_ms = 0;           ///< every matching request waits this long before answering
  int expire_continue = 0;   ///< next N requests carrying `continue`: 410 Gone (Expired)
};

struct ServerOptions {
  std::string snapshot;   ///< folder (any layout ktriage reads) to serve
  bool tls = true;        ///< false: plain http://
  bool wrong_ca = false;  ///< serve the other CA's certificate (client must reject it)
  bool require_client_cert = false;
  std::string token;        ///< when set, "Authorization: Bearer <token>" is required (else 401)
  std::string basic_auth;   ///< "user:password": when set, basic auth is required (else 401)
  std::string openapi_dir;  ///< a ../shared/k8s-openapi/<version>/v3 folder for /openapi/v3
  std::string version = "v1.30.4";  ///< gitVersion for /version when the snapshot has none
  int port = 0;                     ///< 0: a free port
};

/// One request as the server saw it.
struct RecordedRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< "/api/v1/namespaces/shop/pods"
  std::string query;   ///< "limit=500&continue=..." (as sent, not decoded)
  int status = 0;
};

/// The server. Serves: /version, /api, /apis, /api/v1, /apis/<group>/<version> discovery;
/// list (cluster-wide and per namespace) and get of every resource in the snapshot, with
/// labelSelector, fieldSelector metadata.name/metadata.namespace, limit/continue; metadata-only
/// lists for `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`;
/// pods/log with container, previous, tailLines, limitBytes; /openapi/v3 and its documents;
/// POST selfsubjectaccessreviews and selfsubjectrulesreviews (allowed = not forbidden). Any other
/// method answers 405 and is recorded.
class TestApiServer {
 public:
  /// Loads the snapshot and listens on 127.0.0.1 on a free port. Error text on failure.
  static Expected<std::unique_ptr<TestApiServer>> start(const ServerOptions& options,
                                                        const TlsFiles& tls);
  ~TestApiServer();

  std::string url() const;  ///< "https://127.0.0.1:PORT"
  int port() const;
  /// Writes a kubeconfig (one cluster, context "test", user "test") that reaches this server
  /// with the CA file and the token / basic auth / client certificate the options require.
  std::string write_kubeconfig(const std::string& path) const;

  void set_faults(Faults faults);
  std::vector<RecordedRequest> requests() const;
  void clear_requests();

  struct Impl;

 private:
  explicit TestApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ktriage::testing
