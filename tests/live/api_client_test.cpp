// tests for src/live/api_client.cpp: what can leave the client, and how answers come back.
#include "live/api_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "apiserver/test_apiserver.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

class ApiClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"})
      ::unsetenv(v);
    std::string pattern = (fs::temp_directory_path() / "ktriage-client-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    tls_ = testing::generate_tls_files(dir_);
    testing::ServerOptions o;
    o.snapshot = testing::source_dir() + "/examples/healthy";
    o.token = "client-test-token";
    auto server = testing::TestApiServer::start(o, tls_);
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
    config_.server = server_->url();
    config_.ca_file = tls_.ca_cert;
    config_.token = "client-test-token";
    config_.origin = "test";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  testing::TlsFiles tls_;
  std::unique_ptr<testing::TestApiServer> server_;
  RestConfig config_;
};

TEST_F(ApiClientTest, ReviewRefusesEveryPathButTheTwoSelfReviews) {
  ApiClient client(config_, ClientOptions{});
  for (const char* path : {"/api/v1/namespaces/default/pods", "/api/v1/namespaces/default/secrets",
                           "/apis/apps/v1/namespaces/default/deployments/web",
                           "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                           "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/../../x"}) {
    auto r = client.review(path, "{}");
    ASSERT_FALSE(r) << path;
    EXPECT_NE(r.error().message.find("ktriage only reads"), std::string::npos);
  }
  EXPECT_TRUE(server_->requests().empty()) << "a refused call sends nothing";
}

TEST_F(ApiClientTest, SelfReviewIsAPostAndGetIsAGet) {
  ApiClient client(config_, ClientOptions{});
  auto review = client.review(
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"list","resource":"pods"}}})");
  ASSERT_TRUE(review) << review.error().message;
  EXPECT_EQ(review->status, 201);
  auto get = client.get("/api/v1/namespaces/default/pods");
  ASSERT_TRUE(get) << get.error().message;
  EXPECT_EQ(get->status, 200);
  const auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(client.stats().requests, 2u);
}

TEST_F(ApiClientTest, ErrorStatusesComeBackWithTheirMessage) {
  ApiClient client(config_, ClientOptions{});
  auto r = client.get("/api/v1/namespaces/default/pods/no-such-pod");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(status_message(r->body), "pods \"no-such-pod\" not found");
  EXPECT_EQ(status_message("{\"kind\":\"PodList\"}"), "");
  EXPECT_EQ(status_message("not json"), "");
}

TEST_F(ApiClientTest, RetriesStopAfterTheLimitAndReturnTheLastAnswer) {
  testing::Faults f;
  f.server_errors = 10;
  server_->set_faults(f);
  ClientOptions options;
  options.max_retries = 2;
  options.backoff_base_s = 0.01;
  ApiClient client(config_, options);
  auto r = client.get("/version");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(server_->requests().size(), 3u);
  EXPECT_EQ(client.stats().retries, 2u);
}

TEST_F(ApiClientTest, TlsServerNameChecksTheCertificateAgainstThatName) {
  // The certificate names 127.0.0.1 and localhost: reaching 127.0.0.1 while checking the name
  // "localhost" works; checking a name the certificate lacks fails.
  RestConfig good = config_;
  good.tls_server_name = "localhost";
  auto ok = ApiClient(good, ClientOptions{}).get("/version");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  RestConfig bad = config_;
  bad.tls_server_name = "kubernetes.default.svc";
  auto refused = ApiClient(bad, ClientOptions{}).get("/version");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("TLS handshake failed"), std::string::npos)
      << refused.error().message;
}

TEST_F(ApiClientTest, InsecureSkipTlsVerifyAcceptsAnUnknownAuthority) {
  RestConfig config = config_;
  config.ca_file.clear();
  EXPECT_FALSE(ApiClient(config, ClientOptions{}).get("/version"));
  config.insecure_skip_tls_verify = true;
  auto r = ApiClient(config, ClientOptions{}).get("/version");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST_F(ApiClientTest, CertificateAuthorityDataWorksLikeTheFile) {
  RestConfig config = config_;
  config.ca_data = testing::read_file(config.ca_file);
  config.ca_file = "/nonexistent/ca.crt";  // data wins, as in client-go
  auto r = ApiClient(config, ClientOptions{}).get("/version");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST_F(ApiClientTest, ProxyUrlCarriesTheRequests) {
  RestConfig config = config_;
  config.proxy_url = "http://127.0.0.1:1";  // nothing listens there
  ClientOptions options;
  options.max_retries = 0;
  auto r = ApiClient(config, options).get("/version");
  ASSERT_FALSE(r);
  EXPECT_TRUE(server_->requests().empty());
}

}  // namespace
}  // namespace ktriage
