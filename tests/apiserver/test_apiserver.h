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
/// and count down as they fire; at most one fires per request, in this order: unauthorized,
/// too_many_requests, server_errors, drop_connections (then the resource's own 403/404/410).
/// Status bodies and messages are kube-apiserver's.
struct Faults {
  std::string only_path;
  /// Resource names ("secrets", "pods/log" for logs): 403 Status on list/get, e.g. `secrets is
  /// forbidden: User "ktriage-test" cannot list resource "secrets" in API group "" in the
  /// namespace "shop"`, and allowed=false in SelfSubjectAccessReviews. Not counted down.
  std::set<std::string> forbidden_resources;
  int unauthorized = 0;       ///< next N requests: 401
  int too_many_requests = 0;  ///< next N requests: 429 with Retry-After: retry_after_seconds
  int retry_after_seconds = 1;
  int server_errors = 0;  ///< next N requests: 500 Status (InternalError)
  /// next N requests: the full Content-Length is announced, half the body written, then the
  /// connection is closed (clients see a read error, not a response)
  int drop_connections = 0;
  int slow_ms = 0;  ///< every matching request waits this long before answering (not counted down)
  int expire_continue = 0;  ///< next N lists carrying `continue`: 410 Gone, reason Expired
};

struct ServerOptions {
  std::string snapshot;   ///< folder (any layout ktriage reads) to serve
  bool tls = true;        ///< false: plain http://
  bool wrong_ca = false;  ///< serve the other CA's certificate (client must reject it)
  bool require_client_cert = false;
  /// When token and/or basic_auth are set, a request must carry one of them (else 401
  /// "Unauthorized"). 403 messages name the basic-auth user, else "ktriage-test".
  std::string token;        ///< "Authorization: Bearer <token>"
  std::string basic_auth;   ///< "user:password"
  std::string openapi_dir;  ///< a ../shared/k8s-openapi/<version>/v3 folder for /openapi/v3;
                            ///< its ../swagger.json answers /openapi/v2 when JSON is accepted
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

/// The server. Serves: /version, /api, /apis, /api/v1, /apis/<group>[/<version>] discovery of
/// every built-in kind ktriage reads (groups with no objects too) and of unknown kinds found in
/// the snapshot (under their apiVersion; plural = lower-case kind + "s"); list (cluster-wide and
/// per namespace, ordered by namespace then name; built-in items without kind/apiVersion) and
/// get of every object, with labelSelector (=, ==, !=, exists, !key, in, notin), fieldSelector
/// (metadata.name, metadata.namespace, and the per-kind fields kube-apiserver allows, e.g. Pod
/// spec.nodeName and status.phase; =, ==, !=), limit/continue (continue tokens hold an index, so
/// a page costs its size; remainingItemCount only without selectors; resourceVersion=0 ignores
/// limit, as the watch cache does); metadata-only lists and
/// gets for `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`;
/// pods/log with container, previous, tailLines, limitBytes (text/plain); /openapi/v3 and its
/// documents; /healthz, /livez, /readyz; POST selfsubjectaccessreviews and
/// selfsubjectrulesreviews (201; allowed = not forbidden). Namespaces that objects use but the
/// snapshot lacks are served as Active Namespace objects. Any other method, a POST elsewhere and
/// `watch` answer 405. Every request is recorded (before the response is sent), whatever its
/// method or outcome; a TLS handshake that fails is not a request.
class TestApiServer {
 public:
  /// Loads the snapshot and listens on 127.0.0.1 on options.port (a free one when 0), 8 worker
  /// threads. Error text on failure (missing folder, unreadable TLS or OpenAPI files, port).
  static Expected<std::unique_ptr<TestApiServer>> start(const ServerOptions& options,
                                                        const TlsFiles& tls);
  ~TestApiServer();

  std::string url() const;  ///< "https://127.0.0.1:PORT" ("http://" when tls is false)
  int port() const;
  /// Writes a kubeconfig (one cluster, context "test", user "test") that reaches this server
  /// with the CA file and the token / basic auth / client certificate the options require (a
  /// placeholder token when they require none: kubectl prompts for a user name otherwise), and
  /// returns `path`. Throws std::runtime_error when the file cannot be written.
  std::string write_kubeconfig(const std::string& path) const;

  void set_faults(Faults faults);  ///< replaces the faults (and resets their counters)
  std::vector<RecordedRequest> requests() const;  ///< in arrival order; thread-safe
  void clear_requests();

  struct Impl;

 private:
  explicit TestApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ktriage::testing
