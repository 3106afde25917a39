// load_rest_config: sources, merging, overrides, every field, in-cluster, and error messages.
#include <gtest/gtest.h>

#include <string>

#include "live/rest_config.h"
#include "live/temp_dir.h"

namespace ktriage {
namespace {

using testing::TempDir;

// "hello" and a fake PEM, base64.
constexpr const char* kPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
constexpr const char* kPemBase64 =
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";

KubeEnvironment no_env(const TempDir& dir) {
  KubeEnvironment env;
  env.home = dir.file("nohome");
  env.service_account_dir = dir.file("no-sa");
  return env;
}

KubeconfigOptions file_option(const std::string& path) {
  KubeconfigOptions o;
  o.kubeconfig = path;
  return o;
}

Expected<RestConfig, std::string> load_text(const TempDir& dir, const std::string& yaml,
                                            KubeconfigOptions options = {}) {
  options.kubeconfig = dir.write("config", yaml);
  return load_rest_config(options, no_env(dir));
}

std::string one_context(const std::string& cluster, const std::string& user,
                        const std::string& ns = "") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: ctx\n"
         "contexts:\n- name: ctx\n  context:\n    cluster: c1\n    user: u1\n" +
         (ns.empty() ? std::string() : "    namespace: " + ns + "\n") +
         "clusters:\n- name: c1\n  cluster:\n" + cluster + "users:\n- name: u1\n  user:\n" + user;
}

TEST(KubeconfigTest, ClientCertificateAndKeyFilesResolveAgainstTheFilesFolder) {
  TempDir dir;
  const std::string path =
      dir.write("sub/config", one_context("    server: https://10.0.0.1:6443\n"
                                          "    certificate-authority: pki/ca.crt\n",
                                          "    client-certificate: pki/c.crt\n"
                                          "    client-key: /abs/c.key\n"));
  auto rc = load_rest_config(file_option(path), no_env(dir));
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://10.0.0.1:6443");
  EXPECT_EQ(rc->ca_file, dir.file("sub/pki/ca.crt"));
  EXPECT_EQ(rc->client_cert_file, dir.file("sub/pki/c.crt"));
  EXPECT_EQ(rc->client_key_file, "/abs/c.key");
  EXPECT_EQ(rc->context, "ctx");
  EXPECT_EQ(rc->ns, "default");
  EXPECT_NE(rc->origin.find(path), std::string::npos) << rc->origin;
}

TEST(KubeconfigTest, CertificateDataIsDecodedFromBase64) {
  TempDir dir;
  auto rc = load_text(dir, one_context(std::string("    server: https://h\n"
                                                   "    certificate-authority-data: ") +
                                           kPemBase64 + "\n",
                                       std::string("    client-certificate-data: ") + kPemBase64 +
                                           "\n    client-key-data: aGVsbG8=\n"));
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->ca_data, kPem);
  EXPECT_EQ(rc->client_cert_data, kPem);
  EXPECT_EQ(rc->client_key_data, "hello");
}

TEST(KubeconfigTest, TokenTokenFileAndBasicAuth) {
  TempDir dir;
  auto token = load_text(
      dir, one_context("    server: https://h\n", "    token: abc\n    tokenFile: tok\n"));
  ASSERT_TRUE(token) << token.error();
  EXPECT_EQ(token->token, "abc");
  EXPECT_EQ(token->token_file, dir.file("tok"));
  auto basic =
      load_text(dir, one_context("    server: https://h\n", "    username: u\n    password: p\n"));
  ASSERT_TRUE(basic) << basic.error();
  EXPECT_EQ(basic->username, "u");
  EXPECT_EQ(basic->password, "p");
  EXPECT_TRUE(basic->token.empty());
}

TEST(KubeconfigTest, TransportFields) {
  TempDir dir;
  auto rc = load_text(dir, one_context("    server: https://h:6443/\n"
                                       "    insecure-skip-tls-verify: true\n"
                                       "    tls-server-name: api.internal\n"
                                       "    proxy-url: socks5://proxy:1080\n",
                                       "    token: t\n"));
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://h:6443");  // no trailing '/'
  EXPECT_TRUE(rc->insecure_skip_tls_verify);
  EXPECT_EQ(rc->tls_server_name, "api.internal");
  EXPECT_EQ(rc->proxy_url, "socks5://proxy:1080");
  auto plain = load_text(dir, one_context("    server: https://h\n", "    token: t\n"));
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_FALSE(plain->insecure_skip_tls_verify);
  EXPECT_TRUE(plain->proxy_url.empty());
}

TEST(KubeconfigTest, ServerWithoutSchemeGetsHttpsWhenTlsIsConfigured) {
  TempDir dir;
  auto tls = load_text(dir, one_context("    server: h:6443\n    insecure-skip-tls-verify: true\n",
                                        "    token: t\n"));
  ASSERT_TRUE(tls) << tls.error();
  EXPECT_EQ(tls->server, "https://h:6443");
  auto plain = load_text(dir, one_context("    server: 127.0.0.1:8080\n", "    token: t\n"));
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_EQ(plain->server, "http://127.0.0.1:8080");
}

TEST(KubeconfigTest, ExecV1FieldsAndCommandPaths) {
  TempDir dir;
  auto rc = load_text(dir, one_context("    server: https://h\n",
                                       "    exec:\n"
                                       "      apiVersion: client.authentication.k8s.io/v1\n"
                                       "      command: bin/plugin\n"
                                       "      args: [get-token, --cluster, c1]\n"
                                       "      env:\n"
                                       "      - name: A\n        value: one\n"
                                       "      - name: B\n        value: two\n"
                                       "      interactiveMode: Never\n"
                                       "      provideClusterInfo: true\n"
                                       "      installHint: brew install plugin\n"));
  ASSERT_TRUE(rc) << rc.error();
  ASSERT_TRUE(rc->exec);
  const ExecConfig& e = *rc->exec;
  EXPECT_EQ(e.api_version, "client.authentication.k8s.io/v1");
  EXPECT_EQ(e.command, dir.file("bin/plugin"));
  EXPECT_EQ(e.args, (std::vector<std::string>{"get-token", "--cluster", "c1"}));
  ASSERT_EQ(e.env.size(), 2u);
  EXPECT_EQ(e.env[1], (std::pair<std::string, std::string>("B", "two")));
  EXPECT_EQ(e.interactive, ExecConfig::Interactive::kNever);
  EXPECT_TRUE(e.provide_cluster_info);
  EXPECT_EQ(e.install_hint, "brew install plugin");

  auto bare = load_text(dir, one_context("    server: https://h\n",
                                         "    exec:\n"
                                         "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                         "      command: aws\n"));
  ASSERT_TRUE(bare) << bare.error();
  EXPECT_EQ(bare->exec->command, "aws");  // looked up in PATH when run, not a path
  EXPECT_EQ(bare->exec->interactive, ExecConfig::Interactive::kIfAvailable);
  EXPECT_FALSE(bare->exec->provide_cluster_info);
}

TEST(KubeconfigTest, ExecApiVersionsAndInteractiveModeRules) {
  TempDir dir;
  auto exec = [&](const std::string& version, const std::string& more) {
    return load_text(
        dir, one_context("    server: https://h\n", "    exec:\n      apiVersion: " + version +
                                                        "\n      command: p\n" + more));
  };
  auto v1_without_mode = exec("client.authentication.k8s.io/v1", "");
  ASSERT_FALSE(v1_without_mode);
  EXPECT_NE(v1_without_mode.error().find("users[u1].user.exec.interactiveMode"), std::string::npos)
      << v1_without_mode.error();
  auto always = exec("client.authentication.k8s.io/v1", "      interactiveMode: Always\n");
  ASSERT_TRUE(always) << always.error();
  EXPECT_EQ(always->exec->interactive, ExecConfig::Interactive::kAlways);
  auto v1alpha1 = exec("client.authentication.k8s.io/v1alpha1", "");
  ASSERT_FALSE(v1alpha1);
  EXPECT_NE(v1alpha1.error().find("v1alpha1 is no longer supported"), std::string::npos)
      << v1alpha1.error();
  auto bad_mode =
      exec("client.authentication.k8s.io/v1beta1", "      interactiveMode: Sometimes\n");
  ASSERT_FALSE(bad_mode);
  EXPECT_NE(bad_mode.error().find("\"Sometimes\""), std::string::npos) << bad_mode.error();
}

TEST(KubeconfigTest, AuthProviderIsRefusedWithAPointerToExec) {
  TempDir dir;
  auto rc = load_text(dir, one_context("    server: https://h\n",
                                       "    auth-provider:\n      name: gcp\n      config:\n"
                                       "        access-token: ya29.secret\n"));
  ASSERT_FALSE(rc);
  EXPECT_NE(rc.error().find("auth-provider \"gcp\" is not supported"), std::string::npos)
      << rc.error();
  EXPECT_NE(rc.error().find("exec"), std::string::npos);
  EXPECT_EQ(rc.error().find("ya29.secret"), std::string::npos);
}

// Three KUBECONFIG files: a name's first definition wins; current-context comes from the first
// file that sets one; missing files and empty entries are skipped.
TEST(KubeconfigTest, KubeconfigVariableMergesFilesFirstWins) {
  TempDir dir;
  const std::string a =
      dir.write("a",
                "clusters:\n- name: shared\n  cluster:\n    server: https://from-a\n"
                "users:\n- name: me\n  user:\n    token: from-a\n");
  const std::string b =
      dir.write("b",
                "current-context: second\n"
                "clusters:\n- name: shared\n  cluster:\n    server: https://from-b\n"
                "contexts:\n- name: second\n  context: {cluster: shared, user: me, namespace: b}\n"
                "- name: other\n  context: {cluster: only-c, user: me}\n"
                "users:\n- name: me\n  user:\n    token: from-b\n");
  const std::string c =
      dir.write("c",
                "current-context: other\n"
                "clusters:\n- name: only-c\n  cluster:\n    server: https://from-c\n"
                "contexts:\n- name: second\n  context: {cluster: only-c, user: me}\n");
  KubeEnvironment env = no_env(dir);
  env.kubeconfig = a + "::" + dir.file("missing") + ":" + b + ":" + c;
  auto rc = load_rest_config({}, env);
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->context, "second");         // b's current-context, b's definition
  EXPECT_EQ(rc->server, "https://from-a");  // a defined "shared" first
  EXPECT_EQ(rc->token, "from-a");
  EXPECT_EQ(rc->ns, "b");
  KubeconfigOptions other;
  other.context = "other";
  auto rc2 = load_rest_config(other, env);
  ASSERT_TRUE(rc2) << rc2.error();
  EXPECT_EQ(rc2->server, "https://from-c");
}

TEST(KubeconfigTest, KubeconfigFlagWinsAndMustExist) {
  TempDir dir;
  const std::string flag =
      dir.write("flag", one_context("    server: https://flag\n", "    token: t\n"));
  const std::string var =
      dir.write("var", one_context("    server: https://var\n", "    token: t\n"));
  KubeEnvironment env = no_env(dir);
  env.kubeconfig = var;
  auto rc = load_rest_config(file_option(flag), env);
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://flag");
  auto missing = load_rest_config(file_option(dir.file("nope")), env);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find(dir.file("nope") + ": cannot read: No such file or directory"),
            std::string::npos)
      << missing.error();
}

TEST(KubeconfigTest, HomeKubeConfigWhenNoKubeconfigVariable) {
  TempDir dir;
  dir.write("home/.kube/config", one_context("    server: https://home\n", "    token: t\n"));
  KubeEnvironment env = no_env(dir);
  env.home = dir.file("home");
  auto rc = load_rest_config({}, env);
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://home");
  env.kubeconfig = "";  // set but empty: as unset
  auto rc2 = load_rest_config({}, env);
  ASSERT_TRUE(rc2) << rc2.error();
  EXPECT_EQ(rc2->server, "https://home");
}

TEST(KubeconfigTest, ContextClusterUserAndNamespaceOverrides) {
  TempDir dir;
  const std::string path = dir.write(
      "config",
      "current-context: dev\n"
      "contexts:\n"
      "- name: dev\n  context: {cluster: dev-c, user: dev-u, namespace: dev-ns}\n"
      "- name: prod\n  context: {cluster: prod-c, user: prod-u}\n"
      "clusters:\n"
      "- name: dev-c\n  cluster: {server: 'https://dev'}\n"
      "- name: prod-c\n  cluster: {server: 'https://prod'}\n"
      "users:\n- name: dev-u\n  user: {token: dev-t}\n- name: prod-u\n  user: {token: prod-t}\n");
  KubeconfigOptions o = file_option(path);
  auto dev = load_rest_config(o, no_env(dir));
  ASSERT_TRUE(dev) << dev.error();
  EXPECT_EQ(dev->server, "https://dev");
  EXPECT_EQ(dev->ns, "dev-ns");
  o.context = "prod";
  auto prod = load_rest_config(o, no_env(dir));
  ASSERT_TRUE(prod) << prod.error();
  EXPECT_EQ(prod->server, "https://prod");
  EXPECT_EQ(prod->token, "prod-t");
  EXPECT_EQ(prod->ns, "default");
  o.cluster = "dev-c";
  o.ns = "flag-ns";
  auto mixed = load_rest_config(o, no_env(dir));
  ASSERT_TRUE(mixed) << mixed.error();
  EXPECT_EQ(mixed->server, "https://dev");
  EXPECT_EQ(mixed->token, "prod-t");
  EXPECT_EQ(mixed->ns, "flag-ns");
  o.user = "dev-u";
  auto user = load_rest_config(o, no_env(dir));
  ASSERT_TRUE(user) << user.error();
  EXPECT_EQ(user->token, "dev-t");
}

TEST(KubeconfigTest, InClusterServiceAccount) {
  TempDir dir;
  dir.write("sa/token", "sa-token\n");
  dir.write("sa/ca.crt", kPem);
  dir.write("sa/namespace", "shop\n");
  KubeEnvironment env = no_env(dir);
  env.service_account_dir = dir.file("sa");
  env.service_host = "10.96.0.1";
  env.service_port = "443";
  auto rc = load_rest_config({}, env);
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://10.96.0.1:443");
  EXPECT_EQ(rc->ca_file, dir.file("sa/ca.crt"));
  EXPECT_EQ(rc->token_file, dir.file("sa/token"));
  EXPECT_TRUE(rc->token.empty());
  EXPECT_EQ(rc->ns, "shop");
  EXPECT_EQ(rc->context, "");

  env.service_host = "fd00::1";
  KubeconfigOptions o;
  o.ns = "flag-ns";
  auto v6 = load_rest_config(o, env);
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->server, "https://[fd00::1]:443");
  EXPECT_EQ(v6->ns, "flag-ns");
}

TEST(KubeconfigTest, KubeconfigFileWinsOverInCluster) {
  TempDir dir;
  dir.write("sa/token", "sa-token\n");
  dir.write("home/.kube/config", one_context("    server: https://home\n", "    token: t\n"));
  KubeEnvironment env = no_env(dir);
  env.home = dir.file("home");
  env.service_account_dir = dir.file("sa");
  env.service_host = "10.96.0.1";
  env.service_port = "443";
  auto rc = load_rest_config({}, env);
  ASSERT_TRUE(rc) << rc.error();
  EXPECT_EQ(rc->server, "https://home");
}

TEST(KubeconfigTest, NothingFoundSaysWhatToSet) {
  TempDir dir;
  KubeEnvironment env = no_env(dir);
  env.service_host = "10.96.0.1";
  env.service_port = "443";  // but no readable token
  auto rc = load_rest_config({}, env);
  ASSERT_FALSE(rc);
  EXPECT_NE(rc.error().find(dir.file("nohome/.kube/config")), std::string::npos) << rc.error();
  EXPECT_NE(rc.error().find("set KUBECONFIG or pass --kubeconfig"), std::string::npos);
  EXPECT_NE(rc.error().find(dir.file("no-sa/token")), std::string::npos) << rc.error();
}

TEST(KubeconfigTest, UndefinedUserErrorNamesFileContextLineAndDefinedUsers) {
  TempDir dir;
  const std::string path = dir.write("config",
                                     "current-context: prod\n"
                                     "clusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
                                     "users:\n- name: ops\n  user: {token: s3cr3t}\n"
                                     "- name: dev\n  user: {token: s3cr3t}\n"
                                     "contexts:\n- name: prod\n  context:\n    cluster: c\n"
                                     "    user: admin\n");
  auto rc = load_rest_config(file_option(path), no_env(dir));
  ASSERT_FALSE(rc);
  EXPECT_EQ(rc.error(), path +
                            ": context \"prod\" (line 11) names user \"admin\", which is not "
                            "defined (users: dev, ops)");
}

TEST(KubeconfigTest, UndefinedContextAndClusterErrors) {
  TempDir dir;
  const std::string yaml =
      "current-context: gone\n"
      "clusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
      "contexts:\n- name: a\n  context: {cluster: nowhere}\n";
  auto current = load_text(dir, yaml);
  ASSERT_FALSE(current);
  EXPECT_NE(current.error().find(dir.file("config") + ":1:18: current-context \"gone\" is not "
                                                      "defined (contexts: a)"),
            std::string::npos)
      << current.error();
  KubeconfigOptions o;
  o.context = "flagged";
  auto flag = load_text(dir, yaml, o);
  ASSERT_FALSE(flag);
  EXPECT_NE(flag.error().find("context \"flagged\" (from --context) is not defined"),
            std::string::npos)
      << flag.error();
  o.context = "a";
  auto cluster = load_text(dir, yaml, o);
  ASSERT_FALSE(cluster);
  EXPECT_NE(cluster.error().find("context \"a\" (line 6) names cluster \"nowhere\", which is not "
                                 "defined (clusters: c)"),
            std::string::npos)
      << cluster.error();
}

TEST(KubeconfigTest, ClusterWithoutServer) {
  TempDir dir;
  auto rc = load_text(dir, one_context("    insecure-skip-tls-verify: true\n", "    token: t\n"));
  ASSERT_FALSE(rc);
  EXPECT_EQ(rc.error(), dir.file("config") + ": cluster \"c1\" has no server (context \"ctx\")");
}

TEST(KubeconfigTest, FieldErrorsGiveLineColumnFieldAndNoSecret) {
  TempDir dir;
  auto bad64 = load_text(dir, one_context("    server: https://h\n",
                                          "    token: tok-SECRET-1\n"
                                          "    client-certificate-data: '!!KEY-SECRET-2!!'\n"
                                          "    client-key-data: aGVsbG8=\n"));
  ASSERT_FALSE(bad64);
  EXPECT_EQ(bad64.error(), dir.file("config") +
                               ":17:31: users[u1].user.client-certificate-data: not valid base64 "
                               "(context \"ctx\")");
  auto basic_and_token =
      load_text(dir, one_context("    server: https://h\n",
                                 "    token: tok-SECRET-1\n"
                                 "    username: u\n    password: pw-SECRET-3\n"));
  ASSERT_FALSE(basic_and_token);
  EXPECT_NE(basic_and_token.error().find("more than one authentication method"), std::string::npos);
  auto cert_only =
      load_text(dir, one_context("    server: https://h\n", "    client-certificate: c.crt\n"));
  ASSERT_FALSE(cert_only);
  EXPECT_NE(cert_only.error().find("users[u1].user.client-certificate: a client certificate needs "
                                   "client-key"),
            std::string::npos)
      << cert_only.error();
  auto not_string = load_text(dir, one_context("    server: [a, b]\n", "    token: t\n"));
  ASSERT_FALSE(not_string);
  EXPECT_NE(not_string.error().find("clusters[c1].cluster.server: must be a string, not array"),
            std::string::npos)
      << not_string.error();
  auto ca_and_insecure = load_text(dir, one_context("    server: https://h\n"
                                                    "    certificate-authority: ca.crt\n"
                                                    "    insecure-skip-tls-verify: true\n",
                                                    "    token: t\n"));
  ASSERT_FALSE(ca_and_insecure);
  EXPECT_NE(ca_and_insecure.error().find("clusters[c1].cluster.insecure-skip-tls-verify"),
            std::string::npos)
      << ca_and_insecure.error();
  for (const auto* e : {&bad64, &basic_and_token, &cert_only, &not_string, &ca_and_insecure}) {
    EXPECT_EQ(e->error().find("SECRET"), std::string::npos) << e->error();
  }
}

TEST(KubeconfigTest, SyntaxErrorsAndUnreadableFiles) {
  TempDir dir;
  auto syntax = load_text(dir, "clusters:\n  - name: [unclosed\n");
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().find(dir.file("config") + ":"), std::string::npos) << syntax.error();
  EXPECT_NE(syntax.error().find("not valid YAML"), std::string::npos) << syntax.error();
  auto not_map = load_text(dir, "- a\n- b\n");
  ASSERT_FALSE(not_map);
  EXPECT_NE(not_map.error().find("not a kubeconfig"), std::string::npos) << not_map.error();
  const std::string locked = dir.write("locked", "current-context: x\n");
  ::chmod(locked.c_str(), 0);
  if (::geteuid() != 0) {  // root reads anything
    KubeEnvironment env = no_env(dir);
    env.kubeconfig = locked;
    auto rc = load_rest_config({}, env);
    ASSERT_FALSE(rc);
    EXPECT_EQ(rc.error(), locked + ": cannot read: Permission denied");
  }
}

}  // namespace
}  // namespace ktriage
