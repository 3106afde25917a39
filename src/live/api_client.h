// The read-only Kubernetes API client: GET requests, plus the two self-review POSTs a client
// needs to learn its own permissions. Nothing else can leave it: there is no method for any
// other verb, and review() refuses every path but the two review resources.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "live/rest_config.h"

namespace ktriage {

/// Transport settings; kubectl's flag names where it has them.
struct ClientOptions {
  int max_inflight = 8;             ///< --max-inflight: requests in flight at once
  long request_timeout_ms = 60000;  ///< --request-timeout: one whole request, body included; 0 none
  int connect_timeout_s = 10;
  int max_retries = 4;           ///< for 429, 5xx and dropped connections
  int max_retry_after_s = 30;    ///< a larger Retry-After is cut to this
  double backoff_base_s = 0.25;  ///< first backoff without Retry-After; doubles each retry
  std::string user_agent = "ktriage/0.1.0";
};

/// An answer with a status line. 4xx and 5xx arrive here too: callers decide what they mean.
struct HttpResponse {
  long status = 0;
  std::string body;
};

/// No answer at all (DNS, TLS, refused, timeout, dropped after every retry), or credentials that
/// could not be obtained. `message` names the URL and what to check.
struct HttpError {
  std::string url;
  std::string message;
};

/// Counters for benchmarks and tests; safe to read at any time.
struct ClientStats {
  std::size_t requests = 0;  ///< sent, retries included
  std::size_t retries = 0;
  std::size_t bytes = 0;  ///< response bodies, after decompression
};

/// A libcurl-based client for one server. Thread-safe: up to max_inflight calls proceed at once
/// (each on its own reused connection, HTTP/2 where the server offers it); others wait.
class ApiClient {
 public:
  ApiClient(RestConfig config, ClientOptions options);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  /// GET `path` ("/api/v1/pods?limit=500") with `Accept: accept`. Retries 429 (honouring
  /// Retry-After), 500/502/503/504 and dropped connections with backoff; after a 401 it asks
  /// the credential source for fresh credentials once. The last answer is returned.
  Expected<HttpResponse, HttpError> get(std::string_view path,
                                        std::string_view accept = "application/json");

  /// POST a SelfSubjectAccessReview or SelfSubjectRulesReview (`path` must end in
  /// "/selfsubjectaccessreviews" or "/selfsubjectrulesreviews"; anything else is refused
  /// before a byte is sent).
  Expected<HttpResponse, HttpError> review(std::string_view path, std::string_view body);

  ClientStats stats() const;
  const RestConfig& config() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// `text` percent-encoded for a URL query value (libcurl's curl_easy_escape: RFC 3986
/// unreserved characters kept, everything else %XX). Continue tokens are base64 with `+/=`.
std::string url_escape(std::string_view text);

/// The `message` of a Kubernetes Status body ({"kind":"Status","message":...}), or "" when the
/// body is not one.
std::string status_message(std::string_view body);

}  // namespace ktriage
