// CredentialSource and the exec plugin runner, with /bin/sh plugins written by each test.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "live/exec_plugin.h"
#include "live/rest_config.h"
#include "live/temp_dir.h"

namespace ktriage {
namespace {

using testing::StdinNotATerminal;
using testing::TempDir;

constexpr const char* kV1 = "client.authentication.k8s.io/v1";
constexpr const char* kV1beta1 = "client.authentication.k8s.io/v1beta1";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int lines_in(const std::string& path) {
  int n = 0;
  for (char c : slurp(path)) n += c == '\n' ? 1 : 0;
  return n;
}

std::string credential(const std::string& version, const std::string& status) {
  return "{\"apiVersion\":\"" + version + "\",\"kind\":\"ExecCredential\",\"status\":" + status +
         "}";
}

// A plugin that records each run, its args, environment and KUBERNETES_EXEC_INFO in `dir`, then
// prints `dir`/out, copies `dir`/err to stderr and exits with `dir`/code (0 when absent).
struct Plugin {
  explicit Plugin(const TempDir& d) : dir(d) {
    path = dir.write(
        "plugin.sh",
        "#!/bin/sh\n"
        "D='" +
            dir.path() +
            "'\n"
            "echo run >> \"$D/runs\"\n"
            "printf '%s\\n' \"$@\" > \"$D/args\"\n"
            "env > \"$D/env\"\n"
            "if [ -t 0 ]; then echo tty > \"$D/stdin\"; else echo no-tty > \"$D/stdin\"; fi\n"
            "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$D/info\"\n"
            "[ -f \"$D/sleep\" ] && sleep \"$(cat \"$D/sleep\")\"\n"
            "cat \"$D/out\"\n"
            "[ -f \"$D/err\" ] && cat \"$D/err\" >&2\n"
            "[ -f \"$D/code\" ] && exit \"$(cat \"$D/code\")\"\n"
            "exit 0\n",
        true);
  }
  void prints(const std::string& out) const { dir.write("out", out); }
  int runs() const { return lines_in(dir.file("runs")); }
  RestConfig config(const std::string& version = kV1,
                    ExecConfig::Interactive mode = ExecConfig::Interactive::kNever) const {
    RestConfig rc;
    rc.server = "https://10.0.0.1:6443";
    rc.origin = "test-kubeconfig, context t";
    ExecConfig e;
    e.api_version = version;
    e.command = path;
    e.interactive = mode;
    rc.exec = e;
    return rc;
  }

  const TempDir& dir;
  std::string path;
};

TEST(CredentialTest, StaticTokenAndBasicAuth) {
  RestConfig rc;
  rc.token = "tok";
  rc.username = "u";
  rc.password = "p";
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->token, "tok");
  EXPECT_EQ(c->username, "u");
  EXPECT_EQ(c->password, "p");
  EXPECT_FALSE(c->expires);
  EXPECT_EQ(source.exec_runs(), 0);
}

TEST(CredentialTest, ClientCertificateFromFilesReadAtGet) {
  TempDir dir;
  RestConfig rc;
  rc.client_cert_file = dir.file("c.crt");
  rc.client_key_file = dir.file("c.key");
  CredentialSource source(rc);
  auto missing = source.get();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(),
            "cannot read client-certificate " + dir.file("c.crt") + ": No such file or directory");
  dir.write("c.crt", "CERT-PEM");
  dir.write("c.key", "KEY-PEM");
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->client_cert_pem, "CERT-PEM");
  EXPECT_EQ(c->client_key_pem, "KEY-PEM");
}

TEST(CredentialTest, ClientCertificateFromData) {
  RestConfig rc;
  rc.client_cert_data = "CERT-PEM";
  rc.client_key_data = "KEY-PEM";
  rc.client_key_file = "/nonexistent/ignored-when-data-is-set";
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->client_cert_pem, "CERT-PEM");
  EXPECT_EQ(c->client_key_pem, "KEY-PEM");
}

TEST(CredentialTest, TokenFileIsReReadWhenItChanges) {
  TempDir dir;
  const std::string file = dir.write("token", "first\n");
  RestConfig rc;
  rc.token_file = file;
  CredentialSource source(rc);
  auto a = source.get();
  ASSERT_TRUE(a) << a.error();
  EXPECT_EQ(a->token, "first");
  dir.write("token", "second-token\n");
  timespec times[2] = {{0, UTIME_NOW}, {1'000'000'000, 0}};  // a different mtime for sure
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  auto b = source.get();
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(b->token, "second-token");
}

TEST(CredentialTest, UnreadableTokenFileIsAnErrorWithoutTheToken) {
  TempDir dir;
  RestConfig rc;
  rc.token_file = dir.file("gone");
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error(), "cannot read tokenFile " + dir.file("gone") + ": No such file or directory");
  rc.token = "fallback-token";  // client-go keeps the token as a fallback
  CredentialSource with_token(rc);
  auto d = with_token.get();
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d->token, "fallback-token");
}

TEST(ExecPluginTest, V1TokenAndArgsEnvAndExecInfoReachThePlugin) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"exec-token\"}"));
  RestConfig rc = plugin.config();
  rc.exec->args = {"get-token", "--name", "a b"};
  rc.exec->env = {{"PLUGIN_A", "one"}, {"PLUGIN_B", "two words"}};
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->token, "exec-token");
  EXPECT_FALSE(c->expires);
  EXPECT_EQ(slurp(dir.file("args")), "get-token\n--name\na b\n");
  const std::string env = slurp(dir.file("env"));
  EXPECT_NE(env.find("PLUGIN_A=one\n"), std::string::npos);
  EXPECT_NE(env.find("PLUGIN_B=two words\n"), std::string::npos);
  EXPECT_NE(env.find("PATH="), std::string::npos);  // ktriage's environment is passed on
  EXPECT_EQ(slurp(dir.file("info")),
            "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"spec\":{\"interactive\":false}}");
  EXPECT_EQ(source.exec_runs(), 1);
  EXPECT_EQ(plugin.runs(), 1);
}

TEST(ExecPluginTest, V1beta1ClientCertificateAndClusterInfo) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(
      credential(kV1beta1, "{\"clientCertificateData\":\"CERT\\n\",\"clientKeyData\":\"KEY\\n\"}"));
  RestConfig rc = plugin.config(kV1beta1, ExecConfig::Interactive::kIfAvailable);
  rc.exec->provide_cluster_info = true;
  rc.ca_data = "hello";
  rc.tls_server_name = "api.internal";
  rc.proxy_url = "http://proxy:3128";
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->client_cert_pem, "CERT\n");
  EXPECT_EQ(c->client_key_pem, "KEY\n");
  EXPECT_TRUE(c->token.empty());
  EXPECT_EQ(slurp(dir.file("info")),
            "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
            "\"spec\":{\"cluster\":{\"server\":\"https://10.0.0.1:6443\",\"tls-server-name\":"
            "\"api.internal\",\"certificate-authority-data\":\"aGVsbG8=\",\"proxy-url\":"
            "\"http://proxy:3128\"},\"interactive\":false}}");
}

TEST(ExecPluginTest, InteractiveModes) {
  ExecConfig e;
  e.command = "my-plugin";
  e.interactive = ExecConfig::Interactive::kNever;
  EXPECT_FALSE(*exec_interactive(e, true));
  e.interactive = ExecConfig::Interactive::kIfAvailable;
  EXPECT_TRUE(*exec_interactive(e, true));
  EXPECT_FALSE(*exec_interactive(e, false));
  e.interactive = ExecConfig::Interactive::kAlways;
  EXPECT_TRUE(*exec_interactive(e, true));
  auto no_tty = exec_interactive(e, false);
  ASSERT_FALSE(no_tty);
  EXPECT_NE(no_tty.error().find("\"my-plugin\""), std::string::npos) << no_tty.error();
}

TEST(ExecPluginTest, AlwaysWithoutATerminalFailsWithoutRunning) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"t\"}"));
  CredentialSource source(plugin.config(kV1, ExecConfig::Interactive::kAlways));
  auto c = source.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("interactiveMode Always"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find(plugin.path), std::string::npos) << c.error();
  EXPECT_EQ(plugin.runs(), 0);
  // IfAvailable without a terminal runs, non-interactively.
  CredentialSource if_available(plugin.config(kV1, ExecConfig::Interactive::kIfAvailable));
  ASSERT_TRUE(if_available.get());
  EXPECT_NE(slurp(dir.file("info")).find("\"interactive\":false"), std::string::npos);
}

// With a terminal on stdin (a pseudo-terminal here), IfAvailable and Always hand it to the
// plugin and say so in KUBERNETES_EXEC_INFO; Never keeps it away.
TEST(ExecPluginTest, TerminalStdinIsInheritedOnlyWhenInteractive) {
  TempDir dir;
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  const int saved = ::dup(0);
  ::dup2(slave, 0);
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"t\"}"));
  struct Case {
    ExecConfig::Interactive mode;
    const char* stdin_seen;
    const char* interactive;
  };
  for (const Case& k : {Case{ExecConfig::Interactive::kIfAvailable, "tty\n", "true"},
                        Case{ExecConfig::Interactive::kAlways, "tty\n", "true"},
                        Case{ExecConfig::Interactive::kNever, "no-tty\n", "false"}}) {
    CredentialSource source(plugin.config(kV1, k.mode));
    auto c = source.get();
    EXPECT_TRUE(c) << c.error();
    EXPECT_EQ(slurp(dir.file("stdin")), k.stdin_seen);
    EXPECT_NE(slurp(dir.file("info")).find(std::string("\"interactive\":") + k.interactive),
              std::string::npos);
  }
  ::dup2(saved, 0);
  ::close(saved);
  ::close(slave);
  ::close(master);
}

TEST(ExecPluginTest, CachedUntilExpirationTimestamp) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(
      credential(kV1, "{\"token\":\"t\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}"));
  CredentialSource source(plugin.config());
  for (int i = 0; i < 3; ++i) {
    auto c = source.get();
    ASSERT_TRUE(c) << c.error();
    ASSERT_TRUE(c->expires);
    EXPECT_EQ(*c->expires, *parse_rfc3339("2999-01-01T00:00:00Z"));
  }
  EXPECT_EQ(source.exec_runs(), 1);
  EXPECT_EQ(plugin.runs(), 1);
}

TEST(ExecPluginTest, ExpiredCredentialRunsThePluginAgain) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(
      credential(kV1, "{\"token\":\"t\",\"expirationTimestamp\":\"2001-01-01T00:00:00Z\"}"));
  CredentialSource source(plugin.config());
  ASSERT_TRUE(source.get());
  ASSERT_TRUE(source.get());
  EXPECT_EQ(source.exec_runs(), 2);
  EXPECT_EQ(plugin.runs(), 2);
}

TEST(ExecPluginTest, WithoutExpiryCachedUntilInvalidate) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"old\"}"));
  CredentialSource source(plugin.config());
  ASSERT_EQ(source.get()->token, "old");
  plugin.prints(credential(kV1, "{\"token\":\"new\"}"));
  EXPECT_EQ(source.get()->token, "old");
  EXPECT_EQ(plugin.runs(), 1);
  source.invalidate();
  EXPECT_EQ(source.get()->token, "new");
  EXPECT_EQ(plugin.runs(), 2);
  EXPECT_EQ(source.exec_runs(), 2);
}

TEST(ExecPluginTest, ConcurrentGetsRunThePluginOnce) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"shared\"}"));
  dir.write("sleep", "0.3");
  CredentialSource source(plugin.config());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto c = source.get();
      if (c && c->token == "shared") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(plugin.runs(), 1);
  EXPECT_EQ(source.exec_runs(), 1);
}

TEST(ExecPluginTest, FailureGivesExitCodeAndStderr) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints("");
  dir.write("err", "error: token expired\nrun `login` again\n");
  dir.write("code", "3");
  CredentialSource source(plugin.config());
  auto c = source.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("failed with exit code 3: error: token expired | run `login` again"),
            std::string::npos)
      << c.error();
  EXPECT_NE(c.error().find("test-kubeconfig, context t"), std::string::npos) << c.error();
}

TEST(ExecPluginTest, BadOutputIsAnErrorWithoutTheOutput) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  struct Case {
    std::string out, expect;
  };
  const std::vector<Case> cases = {
      {"not json SECRET-TOKEN", "printed no valid JSON"},
      {"{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"Pod\",\"status\":{"
       "\"token\":\"SECRET-TOKEN\"}}",
       "kind is not ExecCredential"},
      {credential(kV1beta1, "{\"token\":\"SECRET-TOKEN\"}"),
       "configured to use API version client.authentication.k8s.io/v1, plugin returned version "
       "client.authentication.k8s.io/v1beta1"},
      {"{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\"}",
       "didn't return a status field"},
      {credential(kV1, "{}"), "didn't return a token or cert/key pair"},
      {credential(kV1, "{\"clientCertificateData\":\"SECRET-TOKEN\"}"), "only one of"},
      {credential(kV1, "{\"token\":\"SECRET-TOKEN\",\"expirationTimestamp\":\"soon\"}"),
       "not RFC 3339"},
  };
  for (const Case& k : cases) {
    plugin.prints(k.out);
    CredentialSource source(plugin.config());
    auto c = source.get();
    ASSERT_FALSE(c) << k.out;
    EXPECT_NE(c.error().find(k.expect), std::string::npos) << c.error();
    EXPECT_EQ(c.error().find("SECRET"), std::string::npos) << c.error();
  }
}

TEST(ExecPluginTest, MissingCommandShowsTheInstallHint) {
  TempDir dir;
  StdinNotATerminal no_tty;
  RestConfig rc;
  rc.exec = ExecConfig{};
  rc.exec->api_version = kV1;
  rc.exec->interactive = ExecConfig::Interactive::kNever;
  rc.exec->command = "ktriage-no-such-plugin-xyz";
  rc.exec->install_hint = "Install it with: apt install xyz";
  CredentialSource source(rc);
  auto c = source.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("executable ktriage-no-such-plugin-xyz not found"), std::string::npos)
      << c.error();
  EXPECT_NE(c.error().find("Install it with: apt install xyz"), std::string::npos) << c.error();
  rc.exec->command = dir.file("bin/absent");
  CredentialSource by_path(rc);
  auto d = by_path.get();
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("executable " + dir.file("bin/absent") + " not found"),
            std::string::npos)
      << d.error();
}

TEST(ExecPluginTest, HungPluginIsKilledAfterTheTimeout) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);
  plugin.prints(credential(kV1, "{\"token\":\"late\"}"));
  dir.write("sleep", "30");
  RestConfig rc = plugin.config();
  rc.exec->timeout_ms = 300;
  CredentialSource source(rc);
  const auto start = std::chrono::steady_clock::now();
  auto c = source.get();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("did not finish within 300 ms"), std::string::npos) << c.error();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ExecPluginTest, KubeconfigExecCommandRelativeToTheFileRuns) {
  TempDir dir;
  StdinNotATerminal no_tty;
  Plugin plugin(dir);  // dir/plugin.sh
  plugin.prints(credential(kV1beta1, "{\"token\":\"from-kubeconfig\"}"));
  const std::string config = dir.write("config",
                                       "current-context: c\n"
                                       "contexts:\n- name: c\n  context: {cluster: k, user: u}\n"
                                       "clusters:\n- name: k\n  cluster: {server: 'https://k'}\n"
                                       "users:\n- name: u\n  user:\n    exec:\n"
                                       "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                       "      command: ./plugin.sh\n"
                                       "      env: [{name: FROM_CONFIG, value: 'yes'}]\n");
  KubeconfigOptions o;
  o.kubeconfig = config;
  KubeEnvironment env;
  env.home = dir.file("nohome");
  auto rc = load_rest_config(o, env);
  ASSERT_TRUE(rc) << rc.error();
  CredentialSource source(*rc);
  auto c = source.get();
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->token, "from-kubeconfig");
  EXPECT_NE(slurp(dir.file("env")).find("FROM_CONFIG=yes\n"), std::string::npos);
}

}  // namespace
}  // namespace ktriage
