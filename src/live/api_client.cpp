#include "live/api_client.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/ascii.h"

namespace ktriage {

namespace {

std::once_flag g_curl_init;  // NOLINT: libcurl's global init must run once per process

// The verbs this client can send. There is deliberately no third one.
enum class Verb { kGet, kPostReview };

struct UrlParts {
  std::string scheme, host, port, prefix;
};

// "https://host:6443/prefix" -> parts; IPv6 hosts keep their brackets.
UrlParts split_url(std::string_view server) {
  UrlParts u;
  auto scheme_end = server.find("://");
  u.scheme =
      std::string(scheme_end == std::string_view::npos ? "https" : server.substr(0, scheme_end));
  std::string_view rest =
      scheme_end == std::string_view::npos ? server : server.substr(scheme_end + 3);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) u.prefix = std::string(rest.substr(slash));
  while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    u.port = std::string(authority.substr(colon + 1));
  } else {
    u.host = std::string(authority);
    u.port = u.scheme == "http" ? "80" : "443";
  }
  return u;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct HeaderState {
  int retry_after = -1;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kRetry = "retry-after:";
  if (line.size() > kRetry.size()) {
    if (equal_ignoring_case(line.substr(0, kRetry.size()), kRetry)) {
      std::string_view v = line.substr(kRetry.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      int seconds = 0;
      bool digits = false;
      for (char c : v) {
        if (c < '0' || c > '9') break;
        seconds = std::min(seconds * 10 + (c - '0'), 1000000);
        digits = true;
      }
      if (digits) static_cast<HeaderState*>(user)->retry_after = seconds;
    }
  }
  return size * n;
}

bool retryable_status(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool retryable_transport(CURLcode code) {
  return code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_PARTIAL_FILE ||
         code == CURLE_GOT_NOTHING || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM;
  // Not CURLE_OPERATION_TIMEDOUT: a server that does not answer within --request-timeout is not
  // asked again (five tries would make a 60 s limit five minutes).
}

}  // namespace

struct ApiClient::Impl {
  RestConfig config;
  ClientOptions options;
  CredentialSource credentials;
  UrlParts url;
  std::string base;        // scheme://host:port/prefix as requested (host may be tls-server-name)
  std::string connect_to;  // CURLOPT_CONNECT_TO entry when tls-server-name is set

  std::mutex mu;
  std::condition_variable slot_free;
  std::vector<CURL*> idle;
  int inflight = 0;

  std::atomic<std::size_t> requests{0}, retries{0}, bytes{0};

  Impl(RestConfig c, ClientOptions o)
      : config(std::move(c)), options(o), credentials(config), url(split_url(config.server)) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (!config.tls_server_name.empty() && url.scheme == "https") {
      base = fmt::format("https://{}:{}{}", config.tls_server_name, url.port, url.prefix);
      connect_to = fmt::format("{}:{}:{}:{}", config.tls_server_name, url.port, url.host, url.port);
    } else {
      base = fmt::format("{}://{}:{}{}", url.scheme, url.host, url.port, url.prefix);
    }
  }
  ~Impl() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }

  CURL* acquire() {
    std::unique_lock lock(mu);
    slot_free.wait(lock, [&] { return inflight < std::max(1, options.max_inflight); });
    ++inflight;
    if (!idle.empty()) {
      CURL* h = idle.back();
      idle.pop_back();
      return h;
    }
    return curl_easy_init();
  }
  void release(CURL* h) {
    {
      std::lock_guard lock(mu);
      idle.push_back(h);
      --inflight;
    }
    slot_free.notify_one();
  }

  struct Attempt {
    CURLcode code = CURLE_OK;
    long status = 0;
    int retry_after = -1;
    std::string body;
    std::string error;
  };

  Attempt perform(CURL* h, Verb verb, const std::string& target, std::string_view accept,
                  std::string_view body, const Credentials& creds) {
    Attempt a;
    char errbuf[CURL_ERROR_SIZE] = {};
    HeaderState headers;
    curl_easy_reset(h);  // keeps the connection, DNS and TLS session caches
    curl_easy_setopt(h, CURLOPT_URL, target.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // kube-apiserver compresses answers over 128 KiB with gzip only (APIResponseCompression);
    // lists shrink about 20x. Offering br or zstd too only invites slower encoders elsewhere.
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options.request_timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connect_timeout_s));
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &headers);
    curl_slist* connect_list = nullptr;
    if (!connect_to.empty()) {
      connect_list = curl_slist_append(connect_list, connect_to.c_str());
      curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_list);
    }
    // TLS: the cluster's CA, or no check at all when the kubeconfig says so.
    if (config.insecure_skip_tls_verify) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!config.ca_data.empty()) {
      curl_blob blob{const_cast<char*>(config.ca_data.data()), config.ca_data.size(),
                     CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    } else if (!config.ca_file.empty()) {
      curl_easy_setopt(h, CURLOPT_CAINFO, config.ca_file.c_str());
    }
    if (!creds.client_cert_pem.empty() && !creds.client_key_pem.empty()) {
      curl_blob cert{const_cast<char*>(creds.client_cert_pem.data()), creds.client_cert_pem.size(),
                     CURL_BLOB_COPY};
      curl_blob key{const_cast<char*>(creds.client_key_pem.data()), creds.client_key_pem.size(),
                    CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
      curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
      curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    // The cluster's proxy-url; without one libcurl reads HTTPS_PROXY / NO_PROXY itself.
    if (!config.proxy_url.empty()) curl_easy_setopt(h, CURLOPT_PROXY, config.proxy_url.c_str());
    curl_slist* header_list = nullptr;
    header_list = curl_slist_append(header_list, fmt::format("Accept: {}", accept).c_str());
    if (!creds.token.empty()) {
      header_list = curl_slist_append(header_list,
                                      fmt::format("Authorization: Bearer {}", creds.token).c_str());
    } else if (!creds.username.empty()) {
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(h, CURLOPT_USERNAME, creds.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, creds.password.c_str());
    }
    if (verb == Verb::kPostReview) {
      header_list = curl_slist_append(header_list, "Content-Type: application/json");
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list);
    a.code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a.status);
    // The header list holds the token: wipe it before freeing.
    for (curl_slist* s = header_list; s != nullptr; s = s->next) {
      std::fill(s->data, s->data + std::strlen(s->data), '\0');
    }
    curl_slist_free_all(header_list);
    curl_slist_free_all(connect_list);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, nullptr);
    a.retry_after = headers.retry_after;
    if (a.code != CURLE_OK) a.error = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(a.code);
    return a;
  }

  std::string explain(const Attempt& a) const {
    switch (a.code) {
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CONNECT_ERROR:
        return fmt::format(
            "TLS handshake failed: {} (check the cluster's certificate-authority and server in "
            "{}; tls-server-name if the certificate names another host)",
            a.error, config.origin);
      case CURLE_SSL_CERTPROBLEM:
        return fmt::format("the client certificate or key cannot be used: {} (user in {})", a.error,
                           config.origin);
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        return fmt::format("cannot connect: {} (server {} in {})", a.error, config.server,
                           config.origin);
      case CURLE_OPERATION_TIMEDOUT:
        return fmt::format("no answer within {:g} s: {} (--request-timeout)",
                           static_cast<double>(options.request_timeout_ms) / 1000, a.error);
      default:
        return a.error;
    }
  }

  Expected<HttpResponse, HttpError> request(Verb verb, std::string_view path,
                                            std::string_view accept, std::string_view body) {
    const std::string target = base + std::string(path);
    const std::string shown = config.server + std::string(path);
    bool refreshed = false;
    double backoff = options.backoff_base_s;
    for (int attempt = 0;; ++attempt) {
      auto creds = credentials.get();
      if (!creds) return Unexpected(HttpError{shown, "credentials: " + creds.error()});
      CURL* h = acquire();
      if (h == nullptr) {
        release(h);
        return Unexpected(HttpError{shown, "cannot create a libcurl handle"});
      }
      Attempt a = perform(h, verb, target, accept, body, *creds);
      release(h);
      ++requests;
      const bool last = attempt >= options.max_retries;
      if (a.code == CURLE_OK) {
        bytes += a.body.size();
        if (a.status == 401 && !refreshed) {
          // Exec plugin tokens and projected token files rotate: ask once more.
          refreshed = true;
          credentials.invalidate();
          ++retries;
          continue;
        }
        if (!retryable_status(a.status) || last) return HttpResponse{a.status, std::move(a.body)};
      } else if (!retryable_transport(a.code) || last) {
        return Unexpected(HttpError{shown, explain(a)});
      }
      ++retries;
      double wait = backoff;
      if (a.retry_after >= 0) wait = std::min<double>(a.retry_after, options.max_retry_after_s);
      backoff *= 2;
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
  }
};

namespace {

// "https://user:password@host" -> basic auth and "https://host": a password in the server URL
// is sent as Go's HTTP client would send it, and never shown in a message or written to a bundle.
RestConfig without_userinfo(RestConfig c) {
  const std::size_t scheme = c.server.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t end = std::min(c.server.find('/', start), c.server.size());
  const std::size_t at = c.server.rfind('@', end - 1);
  if (at == std::string::npos || at < start || end == start) return c;
  const std::string userinfo = c.server.substr(start, at - start);
  c.server.erase(start, at + 1 - start);
  if (c.username.empty() && c.token.empty()) {
    const std::size_t colon = userinfo.find(':');
    c.username = userinfo.substr(0, colon);
    if (colon != std::string::npos) c.password = userinfo.substr(colon + 1);
  }
  return c;
}

}  // namespace

ApiClient::ApiClient(RestConfig config, ClientOptions options)
    : impl_(std::make_unique<Impl>(without_userinfo(std::move(config)), options)) {}

ApiClient::~ApiClient() = default;

Expected<HttpResponse, HttpError> ApiClient::get(std::string_view path, std::string_view accept) {
  return impl_->request(Verb::kGet, path, accept, {});
}

Expected<HttpResponse, HttpError> ApiClient::review(std::string_view path, std::string_view body) {
  const bool review_path =
      path.starts_with("/apis/authorization.k8s.io/") &&
      (path.ends_with("/selfsubjectaccessreviews") || path.ends_with("/selfsubjectrulesreviews"));
  if (!review_path) {
    return Unexpected(HttpError{impl_->config.server + std::string(path),
                                "refused: ktriage only reads; the one POST it sends is a "
                                "self-subject access or rules review"});
  }
  return impl_->request(Verb::kPostReview, path, "application/json", body);
}

ClientStats ApiClient::stats() const {
  return ClientStats{impl_->requests.load(), impl_->retries.load(), impl_->bytes.load()};
}

const RestConfig& ApiClient::config() const { return impl_->config; }

std::string url_escape(std::string_view text) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) return {};
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

std::string status_message(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return {};
  std::string_view kind, message;
  if (doc["kind"].get(kind) != simdjson::SUCCESS || kind != "Status") return {};
  if (doc["message"].get(message) != simdjson::SUCCESS) return {};
  return std::string(message);
}

}  // namespace ktriage
