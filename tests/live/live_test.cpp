// Live diagnosis against the test API server (tests/apiserver): the same findings as offline,
// collect -> diagnose round trips, read-only traffic, masks, and every injected fault survived
// with a clear message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "apiserver/test_apiserver.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::Faults;
using testing::read_file;
using testing::run_ktriage;
using testing::ServerOptions;
using testing::source_dir;
using testing::TestApiServer;
using testing::TlsFiles;

// A fresh folder per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ktriage-live-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The JSON report without what legitimately differs between sources: file names and line
// numbers of evidence and input problems, and the input counters.
std::string comparable(const std::string& json) {
  static const std::regex kFile(R"(, "file": "[^"]*", "line": \d+)");
  static const std::regex kIssueFile(R"("file": "[^"]*", "line": \d+, "column": \d+)");
  std::string out = std::regex_replace(json, kFile, "");
  out = std::regex_replace(out, kIssueFile, "\"file\": \"-\"");
  const std::size_t summary = out.find("\"summary\":");
  return summary == std::string::npos ? out : out.substr(summary);
}

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A proxy in the environment must not catch requests to 127.0.0.1.
    for (const char* v : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"})
      ::unsetenv(v);
    tls_ = testing::generate_tls_files(dir_.path());
  }

  std::unique_ptr<TestApiServer> serve(ServerOptions options) {
    auto server = TestApiServer::start(options, tls_);
    if (!server) {
      ADD_FAILURE() << server.error();
      return nullptr;
    }
    kubeconfig_ = dir_.path() + "/kubeconfig-" + std::to_string(++servers_);
    (*server)->write_kubeconfig(kubeconfig_);
    return std::move(*server);
  }
  std::unique_ptr<TestApiServer> serve(const std::string& example) {
    ServerOptions o;
    o.snapshot = source_dir() + "/examples/" + example;
    o.token = "t0ken-for-tests";
    return serve(o);
  }
  CommandResult live(const std::string& args) {
    return run_ktriage(args + " --kubeconfig " + kubeconfig_);
  }

  TempDir dir_;
  TlsFiles tls_;
  std::string kubeconfig_;
  int servers_ = 0;
};

// The example as live collection can read it: without nodes/<node>/*.log (a kubelet's journal
// is not an API object), and with the pull Secrets' .dockerconfigjson emptied (Secrets are
// collected as metadata only, so their registries are unknown live). Returns the copy's path,
// relative to `base`.
std::string without_node_logs(const std::string& example, const std::string& base) {
  const fs::path from = fs::path(source_dir()) / "examples" / example;
  const fs::path to = fs::path(base) / "offline" / example;
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from)) {
    if (e.path().filename() != "nodes")
      fs::copy(e.path(), to / e.path().filename(), fs::copy_options::recursive);
  }
  for (const auto& e : fs::recursive_directory_iterator(to)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    std::string text = testing::read_file(e.path().string());
    const std::string key = ".dockerconfigjson: ";
    bool changed = false;
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
      const std::size_t end = text.find('\n', at);
      text.replace(at + key.size(), end - at - key.size(), "\"\"");
      changed = true;
    }
    if (changed) std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << text;
  }
  return "offline/" + example;
}

class LiveEqualsOffline : public LiveTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(LiveEqualsOffline, DiagnoseGivesTheSameFindings) {
  auto server = serve(GetParam());
  ASSERT_TRUE(server);
  CommandResult offline = run_ktriage(
      "diagnose " + without_node_logs(GetParam(), dir_.path()) + " -o json", dir_.path());
  CommandResult online = live("diagnose -A -o json");
  EXPECT_EQ(online.exit_code, offline.exit_code) << online.err;
  EXPECT_EQ(comparable(online.out), comparable(offline.out)) << online.err;
}

INSTANTIATE_TEST_SUITE_P(Examples, LiveEqualsOffline,
                         ::testing::Values("shop-broken", "node-failure", "storage-failure",
                                           "addon-failure", "healthy"));

// `ktriage schema pull` against the loopback API server, then lint with what it saved: once from
// the cache it fills (found without any flag) and once from --dir given as --schema-location.
TEST_F(LiveTest, SchemaPullFillsWhatLintReads) {
  ServerOptions o;
  o.snapshot = source_dir() + "/examples/healthy";
  o.openapi_dir = source_dir() + "/../shared/k8s-openapi/1.33/v3";
  // The snapshot's own version (v1.30) is what /version answers, so the cache folder is 1.30.
  auto server = serve(o);
  ASSERT_TRUE(server);
  const std::string cache = dir_.path() + "/cache";
  ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
  ::unsetenv("KTRIAGE_SCHEMA_DIR");
  const CommandResult pulled = live("schema pull");
  EXPECT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_NE(pulled.err.find("of Kubernetes 1.30"), std::string::npos) << pulled.err;
  const std::string v3 = cache + "/ktriage/openapi/1.30/v3";
  EXPECT_TRUE(read_file(v3 + "/apis__apps__v1_openapi.json") ==
              read_file(o.openapi_dir + "/apis__apps__v1_openapi.json"))
      << "the document as served";
  std::ofstream(dir_.path() + "/cm.yaml") << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
                                             "c}\ndat: {a: b}\n";
  const CommandResult from_cache = run_ktriage("lint cm.yaml -o json", dir_.path());
  EXPECT_NE(from_cache.out.find("\"rule\": \"lint-unknown-field\""), std::string::npos)
      << from_cache.out << from_cache.err;
  EXPECT_EQ(from_cache.out.find("schema validation skipped"), std::string::npos);
  const CommandResult into_dir = live("schema pull --dir " + dir_.path() + "/pulled");
  EXPECT_EQ(into_dir.exit_code, 0) << into_dir.err;
  ::unsetenv("XDG_CACHE_HOME");
  const CommandResult from_dir =
      run_ktriage("lint cm.yaml -o json --schema-location pulled", dir_.path());
  EXPECT_NE(from_dir.out.find("\"rule\": \"lint-unknown-field\""), std::string::npos)
      << from_dir.out << from_dir.err;
  // No schema anywhere: the other checks run and a note says how to get schemas.
  const CommandResult none = run_ktriage("lint cm.yaml", dir_.path());
  EXPECT_NE(none.out.find("schema validation skipped"), std::string::npos) << none.out;
}

TEST_F(LiveTest, WhyGivesTheSameTree) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  CommandResult offline =
      run_ktriage("why deploy/web -n shop examples/shop-broken -o json", source_dir());
  CommandResult online = live("why deploy/web -n shop -o json");
  EXPECT_EQ(online.exit_code, offline.exit_code) << online.err;
  EXPECT_NE(online.out.find("\"findings\""), std::string::npos);
  EXPECT_EQ(comparable(online.out), comparable(offline.out)) << online.err;
}

TEST_F(LiveTest, CollectThenDiagnoseEqualsLiveDiagnose) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  const std::string bundle = dir_.path() + "/shop.tar.gz";
  CommandResult collect = live("collect -o " + bundle);
  ASSERT_EQ(collect.exit_code, 0) << collect.err;
  EXPECT_NE(collect.err.find("wrote " + bundle), std::string::npos) << collect.err;
  ASSERT_TRUE(fs::exists(bundle));
  CommandResult online = live("diagnose -o json");
  CommandResult offline = run_ktriage("diagnose " + bundle + " -o json");
  EXPECT_EQ(offline.exit_code, online.exit_code) << offline.err;
  EXPECT_EQ(comparable(offline.out), comparable(online.out));
  // The bundle's logs are in ktriage's layout.
  CommandResult text = run_ktriage("diagnose " + bundle);
  EXPECT_NE(text.out.find("logs/shop/"), std::string::npos) << text.out;
}

TEST_F(LiveTest, OnlyGetRequestsLeaveTheClient) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  ASSERT_LE(live("diagnose -A").exit_code, 1);
  ASSERT_EQ(live("collect -o " + dir_.path() + "/b.tar.gz").exit_code, 0);
  ASSERT_LE(live("why pod/orders-db-0 -n shop").exit_code, 1);
  const auto requests = server->requests();
  ASSERT_GT(requests.size(), 30u);
  for (const auto& r : requests) {
    const bool review = r.method == "POST" && (r.path.ends_with("/selfsubjectaccessreviews") ||
                                               r.path.ends_with("/selfsubjectrulesreviews"));
    EXPECT_TRUE(r.method == "GET" || review) << r.method << " " << r.path;
  }
}

TEST_F(LiveTest, ListsArePaginatedAndRestartAfterAnExpiredContinueToken) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  CommandResult whole = live("diagnose -o json");
  server->clear_requests();
  Faults f;
  f.expire_continue = 1;
  server->set_faults(f);
  CommandResult paged = live("diagnose -o json --chunk-size 3");
  EXPECT_EQ(comparable(paged.out), comparable(whole.out)) << paged.err;
  std::size_t pod_pages = 0, gone = 0;
  for (const auto& r : server->requests()) {
    if (r.path == "/api/v1/pods") {
      ++pod_pages;
      EXPECT_NE(r.query.find("limit=3"), std::string::npos) << r.query;
    }
    gone += r.status == 410 ? 1 : 0;
  }
  EXPECT_EQ(gone, 1u);
  EXPECT_GT(pod_pages, 3u);
}

TEST_F(LiveTest, AListWhoseTokenExpiresTwiceIsReadInOneRequest) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  CommandResult whole = live("diagnose -o json");
  Faults f;
  f.only_path = "/api/v1/pods";
  f.expire_continue = 2;
  server->set_faults(f);
  server->clear_requests();
  CommandResult r = live("diagnose -o json --chunk-size 3");
  EXPECT_EQ(comparable(r.out), comparable(whole.out)) << r.err;
  bool unpaged = false;
  for (const auto& q : server->requests()) {
    unpaged = unpaged || (q.path == "/api/v1/pods" && q.query.find("limit=") == std::string::npos);
  }
  EXPECT_TRUE(unpaged) << "after a second 410, client-go's pager lists without limit";
}

TEST_F(LiveTest, AListThatFailsIsDroppedWholeNotKeptInPart) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  Faults f;
  f.only_path = "/api/v1/pods";
  f.server_errors = 100;
  server->set_faults(f);
  CommandResult r = live("diagnose -o json --chunk-size 3");
  EXPECT_NE(r.out.find("cannot list pods in all namespaces: HTTP 500"), std::string::npos)
      << r.out.substr(0, 2000);
  // Pages of pods before the failure are not kept: no finding reads a pod's status.
  EXPECT_EQ(r.out.find("crash-oomkilled"), std::string::npos) << "no pod was kept";
}

TEST_F(LiveTest, NamespaceScopeJudgesAbsenceOnTheWholeClusterLikeOffline) {
  auto server = serve("addon-failure");
  ASSERT_TRUE(server);
  const std::string copy = without_node_logs("addon-failure", dir_.path());
  for (const char* ns : {"shop", "billing", "kube-system"}) {
    CommandResult offline = run_ktriage("diagnose " + copy + " -o json -n " + ns, dir_.path());
    CommandResult online = live(std::string("diagnose -o json -n ") + ns);
    EXPECT_EQ(comparable(online.out), comparable(offline.out)) << ns << ": " << online.err;
  }
}

TEST_F(LiveTest, NamespaceAdminFallsBackToItsNamespaces) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  Faults f;
  f.forbidden_resources = {"pods"};  // cluster-wide and per namespace alike in the test server
  server->set_faults(f);
  CommandResult r = live("diagnose -n shop");
  EXPECT_NE(r.out.find("cannot list pods in namespace shop: no pod can be diagnosed"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cannot list pods in namespace kube-system: add-ons there are not checked"),
            std::string::npos)
      << r.out;
}

TEST_F(LiveTest, RequestTimeoutTakesGoDurations) {
  auto server = serve("healthy");
  ASSERT_TRUE(server);
  EXPECT_EQ(live("diagnose --request-timeout 1m30s").exit_code, 0);
  EXPECT_EQ(live("diagnose --request-timeout 1500ms").exit_code, 0);
  server->clear_requests();
  CommandResult bad = live("diagnose --request-timeout 5000000h");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--request-timeout"), std::string::npos) << bad.err;
  EXPECT_EQ(live("diagnose --chunk-size -5").exit_code, 2);
  EXPECT_EQ(live("collect -o -").exit_code, 2);
  CommandResult unwritable = live("collect -o /nonexistent/dir/x.tar.gz");
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.err.find("cannot write /nonexistent/dir/x.tar.gz"), std::string::npos);
  EXPECT_TRUE(server->requests().empty()) << "refused before reading the cluster";
}

TEST_F(LiveTest, RefusedKindIsReportedOnceAndTheRestIsDiagnosed) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  Faults f;
  f.forbidden_resources = {"secrets"};
  server->set_faults(f);
  CommandResult r = live("diagnose");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string message =
      "cannot list secrets in all namespaces: diagnosis of env references is partial";
  const std::size_t first = r.out.find(message);
  ASSERT_NE(first, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(message, first + 1), std::string::npos) << "reported once";
  EXPECT_NE(r.out.find("orders-db-0"), std::string::npos);
}

TEST_F(LiveTest, RetriesThrottlingServerErrorsAndDroppedConnections) {
  auto server = serve("shop-broken");
  ASSERT_TRUE(server);
  CommandResult clean = live("diagnose -o json");
  for (int which = 0; which < 3; ++which) {
    Faults f;
    f.only_path = "/api/v1/pods";
    f.retry_after_seconds = 1;
    (which == 0 ? f.too_many_requests : which == 1 ? f.server_errors : f.drop_connections) = 2;
    server->set_faults(f);
    server->clear_requests();
    CommandResult r = live("diagnose -o json");
    EXPECT_EQ(comparable(r.out), comparable(clean.out)) << "fault " << which << ": " << r.err;
    std::size_t pods = 0;
    for (const auto& q : server->requests()) pods += q.path == "/api/v1/pods" ? 1 : 0;
    EXPECT_EQ(pods, 3u) << "fault " << which << ": two failures, then the answer";
  }
}

TEST_F(LiveTest, RejectedCredentialsSayWhichUser) {
  ServerOptions o;
  o.snapshot = source_dir() + "/examples/healthy";
  o.token = "right-token";
  auto server = serve(o);
  ASSERT_TRUE(server);
  std::string config = read_file(kubeconfig_);
  const std::size_t at = config.find("right-token");
  ASSERT_NE(at, std::string::npos);
  config.replace(at, 11, "wrong-token");
  std::ofstream(kubeconfig_) << config;
  CommandResult r = live("diagnose");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("401 Unauthorized"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong-token"), std::string::npos) << "never print a token";
}

TEST_F(LiveTest, UnknownCertificateAuthorityIsRejectedClearly) {
  ServerOptions o;
  o.snapshot = source_dir() + "/examples/healthy";
  o.wrong_ca = true;
  auto server = serve(o);
  ASSERT_TRUE(server);
  CommandResult r = live("diagnose");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("TLS handshake failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("certificate-authority"), std::string::npos) << r.err;
}

TEST_F(LiveTest, SlowServerHitsTheRequestTimeout) {
  auto server = serve("healthy");
  ASSERT_TRUE(server);
  Faults f;
  f.only_path = "/version";
  f.slow_ms = 4000;
  server->set_faults(f);
  CommandResult r = live("diagnose --request-timeout 1s");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--request-timeout"), std::string::npos) << r.err;
}

TEST_F(LiveTest, PlainHttpClientCertificatesAndBasicAuthWork) {
  for (int variant = 0; variant < 3; ++variant) {
    ServerOptions o;
    o.snapshot = source_dir() + "/examples/shop-broken";
    if (variant == 0) o.tls = false;
    if (variant == 1) o.require_client_cert = true;
    if (variant == 2) o.basic_auth = "admin:pa55word";
    auto server = serve(o);
    ASSERT_TRUE(server);
    CommandResult r = live("diagnose -n shop");
    EXPECT_EQ(r.exit_code, 1) << "variant " << variant << ": " << r.err;
    EXPECT_NE(r.out.find("orders-db-0"), std::string::npos) << "variant " << variant;
  }
}

TEST_F(LiveTest, ExecPluginTokenReachesTheServer) {
  ServerOptions o;
  o.snapshot = source_dir() + "/examples/shop-broken";
  o.token = "from-the-plugin";
  auto server = serve(o);
  ASSERT_TRUE(server);
  const std::string plugin = dir_.path() + "/plugin.sh";
  std::ofstream(plugin) << "#!/bin/sh\nprintf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/"
                           "v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-the-"
                           "plugin\"}}'\n";
  fs::permissions(plugin, fs::perms::owner_all);
  std::string config = read_file(kubeconfig_);
  const std::size_t at = config.find("token: \"from-the-plugin\"");
  ASSERT_NE(at, std::string::npos) << config;
  config.replace(at, std::string("token: \"from-the-plugin\"").size(),
                 "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " +
                     plugin + "\n      interactiveMode: Never");
  std::ofstream(kubeconfig_) << config;
  CommandResult r = live("diagnose -n shop");
  EXPECT_EQ(r.exit_code, 1) << r.err << config;
}

// Credentials planted in every place a cluster carries them never reach a bundle or a report.
TEST_F(LiveTest, PlantedCredentialsReachNoBundleAndNoReport) {
  const std::string snap = dir_.path() + "/planted";
  fs::create_directories(snap + "/logs/shop/leaky-0");
  std::ofstream(snap + "/objects.yaml") << R"(apiVersion: v1
kind: Pod
metadata:
  name: leaky-0
  namespace: shop
  annotations:
    example.com/api-token: PLANTED-ANNOTATION-1
    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Pod","spec":{"containers":[{"name":"app","env":[{"name":"DB_PASSWORD","value":"PLANTED-APPLIED-2"}]}]}}'
spec:
  containers:
  - name: app
    image: shop/app:1.0
    args: ["--db-password=PLANTED-ARG-3", "--api-key", "PLANTED-ARG-4"]
    env:
    - {name: DB_PASSWORD, value: PLANTED-ENV-5}
    - {name: DATABASE_URL, value: "postgres://app:PLANTED-DSN-6@db:5432/shop"}
status:
  phase: Running
  containerStatuses:
  - name: app
    ready: false
    restartCount: 3
    image: shop/app:1.0
    imageID: ""
    state: {waiting: {reason: CrashLoopBackOff, message: back-off}}
    lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2026-11-29T10:40:00Z"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data:
  app.properties: "db.password=PLANTED-CONFIG-7\nport=80"
---
apiVersion: v1
kind: Event
metadata: {name: leaky-0.1, namespace: shop}
involvedObject: {kind: Pod, name: leaky-0, namespace: shop}
reason: Failed
type: Warning
message: "login failed with token=PLANTED-EVENT-8"
count: 3
lastTimestamp: "2026-11-29T10:41:00Z"
)";
  std::ofstream(snap + "/logs/shop/leaky-0/app.log")
      << "connecting with Authorization: Bearer PLANTED-LOG-9abcdef\npassword=PLANTED-LOG-10\n"
         "panic: cannot connect\n";
  ServerOptions o;
  o.snapshot = snap;
  auto server = serve(o);
  ASSERT_TRUE(server);
  const std::string bundle = dir_.path() + "/planted.tar.gz";
  ASSERT_EQ(live("collect -o " + bundle).exit_code, 0);
  const std::string unpacked = dir_.path() + "/unpacked";
  fs::create_directories(unpacked);
  ASSERT_EQ(std::system(("tar -xzf " + bundle + " -C " + unpacked).c_str()), 0);
  std::string everything;
  std::size_t logs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(unpacked)) {
    if (!entry.is_regular_file()) continue;
    everything += read_file(entry.path().string());
    logs += entry.path().string().find("/logs/shop/leaky-0/") != std::string::npos ? 1 : 0;
  }
  EXPECT_GE(logs, 1u) << "the failing container's log is collected";
  std::vector<std::string> outputs = {everything};
  for (const char* args : {"diagnose", "diagnose -o json"}) {
    outputs.push_back(live(args).out);
    outputs.push_back(run_ktriage(std::string(args) + " " + bundle).out);
  }
  for (const std::string& text : outputs) {
    EXPECT_EQ(text.find("PLANTED-"), std::string::npos)
        << text.substr(text.find("PLANTED-") > 200 ? text.find("PLANTED-") - 200 : 0, 400);
  }
  EXPECT_NE(outputs[1].find("leaky-0"), std::string::npos);
}

}  // namespace
}  // namespace ktriage
