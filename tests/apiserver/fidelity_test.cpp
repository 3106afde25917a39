// The test API server against the real kubectl: what kubectl reads through it must be exactly
// the snapshot. kubectl comes from Debian's kubernetes-client (scripts/bootstrap) or any kubectl
// on PATH; KTRIAGE_KUBECTL names another binary (e.g. to check a second version).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "apiserver/test_apiserver.h"
#include "load/document.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage::testing {
namespace {

std::string find_kubectl() {
  if (const char* env = ::getenv("KTRIAGE_KUBECTL"); env != nullptr && *env != '\0') return env;
  const char* path = ::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/kubectl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

struct KubectlRun {
  int exit_code = -1;
  std::string out;
};

// Runs a shell command; stdout only (kubectl's warnings go to stderr, kept out of comparisons).
KubectlRun run_command(const std::string& command) {
  KubectlRun r;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class FidelityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kubectl_ = find_kubectl();
    if (kubectl_.empty()) {
      GTEST_SKIP() << "kubectl is not installed (scripts/bootstrap installs Debian's "
                      "kubernetes-client); the fidelity checks need it";
    }
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "ktriage-fidelity-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    tls_ = generate_tls_files(dir_ + "/tls");
    ServerOptions o;
    o.snapshot = source_dir() + "/examples/shop-broken";
    o.token = "fidelity-token";
    auto s = TestApiServer::start(o, tls_);
    ASSERT_TRUE(s) << s.error();
    server_ = std::move(*s);
    kubeconfig_ = server_->write_kubeconfig(dir_ + "/kubeconfig");
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  KubectlRun kubectl(const std::string& args) {
    return run_command(quote(kubectl_) + " --kubeconfig " + quote(kubeconfig_) + " --cache-dir " +
                       quote(dir_ + "/cache") + " " + args + " 2>" + quote(dir_ + "/stderr"));
  }
  std::string kubectl_stderr() { return read_file(dir_ + "/stderr"); }

  std::string kubectl_, dir_, kubeconfig_;
  TlsFiles tls_;
  std::unique_ptr<TestApiServer> server_;
};

struct PodFacts {
  std::string node, phase;
  bool operator==(const PodFacts&) const = default;
};
using PodMap = std::map<std::pair<std::string, std::string>, PodFacts>;

PodMap pods_of(const Value& list) {
  PodMap out;
  for (const Value& o : list.items()) {
    if (!o["kind"].is_null() && o["kind"].str() != "Pod") continue;
    out[{std::string(o["metadata"]["namespace"].str()), std::string(o["metadata"]["name"].str())}] =
        {std::string(o["spec"]["nodeName"].str()), std::string(o["status"]["phase"].str())};
  }
  return out;
}

TEST_F(FidelityTest, GetPodsJsonIsExactlyTheSnapshot) {
  KubectlRun r = kubectl("get pods -A -o json");
  ASSERT_EQ(r.exit_code, 0) << kubectl_stderr();
  Arena arena;
  std::string padded = r.out;
  padded.append(kJsonPadding, '\0');
  Value root;
  auto errors = read_json(std::string_view(padded.data(), r.out.size()), arena,
                          [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(root["kind"].str(), "List");
  for (const Value& item : root["items"].items()) {
    EXPECT_EQ(item["kind"].str(), "Pod");  // kubectl fills in what list items leave out
    EXPECT_EQ(item["apiVersion"].str(), "v1");
  }

  const std::string paths[] = {source_dir() + "/examples/shop-broken"};
  Inputs in = load_sources(paths);
  std::vector<Value> snapshot_pods;
  for (const RawObject& o : in.objects) {
    if (o.root["kind"].str() == "Pod") snapshot_pods.push_back(o.root);
  }
  const PodMap expected =
      pods_of(Value::array(snapshot_pods.data(), static_cast<std::uint32_t>(snapshot_pods.size())));
  const PodMap got = pods_of(root["items"]);
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);

  for (const RecordedRequest& req : server_->requests()) {
    EXPECT_EQ(req.method, "GET") << req.path;
  }
}

TEST_F(FidelityTest, LabelSelectorByName) {
  KubectlRun r = kubectl("get pods -n shop -l app=web -o name");
  ASSERT_EQ(r.exit_code, 0) << kubectl_stderr();
  EXPECT_EQ(r.out,
            "pod/web-7d9c5b8f6d-m8zvd\npod/web-7d9c5b8f6d-q4lts\npod/web-7d9c5b8f6d-x2bqk\n");
}

TEST_F(FidelityTest, LogsAndPreviousLogs) {
  const std::string dir = source_dir() + "/examples/shop-broken/logs/shop/orders-db-0/";
  KubectlRun r = kubectl("logs -n shop orders-db-0 -c postgres");
  ASSERT_EQ(r.exit_code, 0) << kubectl_stderr();
  EXPECT_EQ(r.out, read_file(dir + "postgres.log"));
  r = kubectl("logs -n shop orders-db-0 -c postgres --previous");
  ASSERT_EQ(r.exit_code, 0) << kubectl_stderr();
  EXPECT_EQ(r.out, read_file(dir + "postgres.previous.log"));
  r = kubectl("logs -n shop orders-db-0 --tail=1");
  ASSERT_EQ(r.exit_code, 0) << kubectl_stderr();
  const std::string text = read_file(dir + "postgres.log");
  EXPECT_EQ(r.out, text.substr(text.rfind('\n', text.size() - 2) + 1));
}

TEST_F(FidelityTest, ErrorsReadAsKubectlPrintsThem) {
  KubectlRun r = kubectl("get pod nope -n shop");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(kubectl_stderr().find("pods \"nope\" not found"), std::string::npos)
      << kubectl_stderr();
  Faults f;
  f.forbidden_resources = {"secrets"};
  server_->set_faults(f);
  r = kubectl("get secrets -n shop");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(
      kubectl_stderr().find("secrets is forbidden: User \"ktriage-test\" cannot list "
                            "resource \"secrets\" in API group \"\" in the namespace \"shop\""),
      std::string::npos)
      << kubectl_stderr();
}

}  // namespace
}  // namespace ktriage::testing
