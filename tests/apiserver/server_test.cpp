// The test API server against the Kubernetes API's paths and semantics, with httplib's client.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "apiserver/json_writer.h"
#include "apiserver/paging.h"
#include "apiserver/test_apiserver.h"
#include "load/document.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage::testing {
namespace {

// A parsed response body.
struct Json {
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();
  Value root;
  const Value& operator[](std::string_view key) const { return root[key]; }
};

Json parse(const std::string& body) {
  Json j;
  std::string padded = body;
  padded.append(kJsonPadding, '\0');
  auto errors = read_json(std::string_view(padded.data(), body.size()), *j.arena,
                          [&](const ParsedDocument& d, const Locator&) { j.root = d.root; });
  EXPECT_TRUE(errors.empty()) << body.substr(0, 200);
  return j;
}

std::string make_temp_dir(const std::string& stem) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
  char* dir = ::mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return tmpl;
}

// One folder per test run for TLS files, the extra snapshot and kubeconfigs; removed at the end.
std::string& temp_root() {
  static std::string root;
  return root;
}

std::string shop() { return source_dir() + "/examples/shop-broken"; }

// A snapshot with what the examples lack: a two-container pod with an init container and a
// custom resource.
std::string extra_snapshot() {
  static const std::string dir = [] {
    std::string d = temp_root() + "/extra";
    std::filesystem::create_directories(d);
    std::ofstream(d + "/objects.yaml") << R"(apiVersion: v1
kind: Pod
metadata:
  name: two
  namespace: blog
  labels: {app: blog, tier: web}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: a, image: nginx}, {name: b, image: busybox}]
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: w1
  namespace: blog
spec:
  size: 1.5
  label: "quote \" and\ttab"
)";
    std::filesystem::create_directories(d + "/logs/blog/two");
    std::ofstream(d + "/logs/blog/two/a.log") << "a1\na2\na3\n";
    std::ofstream(d + "/logs/blog/two/b.log") << "b1\n";
    return d;
  }();
  return dir;
}

class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_root() = make_temp_dir("ktriage-apiserver");
    tls_ = generate_tls_files(temp_root() + "/tls");
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(temp_root()); }

  static std::unique_ptr<TestApiServer> start(ServerOptions options) {
    auto server = TestApiServer::start(options, tls_);
    EXPECT_TRUE(server) << (server ? "" : server.error());
    return server ? std::move(*server) : nullptr;
  }
  static std::unique_ptr<TestApiServer> start_plain(const std::string& snapshot = shop()) {
    ServerOptions o;
    o.snapshot = snapshot;
    o.tls = false;
    return start(o);
  }

  static httplib::Result get(TestApiServer& s, const std::string& path,
                             const httplib::Headers& headers = {}) {
    httplib::Client cli("127.0.0.1", s.port());
    cli.set_read_timeout(30, 0);
    return cli.Get(path.c_str(), headers);
  }

  static TlsFiles tls_;
};

TlsFiles ApiServerTest::tls_;

// Pods of the shop snapshot by (namespace, name), read with ktriage's loader.
std::set<std::pair<std::string, std::string>> snapshot_pods(const std::string& ns = "") {
  const std::string paths[] = {shop()};
  Inputs in = load_sources(paths);
  std::set<std::pair<std::string, std::string>> out;
  for (const RawObject& o : in.objects) {
    if (o.root["kind"].str() != "Pod") continue;
    std::string n(o.root["metadata"]["namespace"].str());
    if (!ns.empty() && n != ns) continue;
    out.emplace(n, std::string(o.root["metadata"]["name"].str()));
  }
  return out;
}

std::set<std::pair<std::string, std::string>> names_of(const Value& list) {
  std::set<std::pair<std::string, std::string>> out;
  for (const Value& item : list["items"].items()) {
    out.emplace(std::string(item["metadata"]["namespace"].str()),
                std::string(item["metadata"]["name"].str()));
  }
  return out;
}

TEST(JsonWriterTest, EscapesAndKeepsNumberTypes) {
  Arena arena;
  std::string text =
      R"({"s":"a\"b\\c\n\u0001é","i":-3,"d":1.5,"big":1e300,"b":true,"n":null,"a":[1,"x"]})";
  text.append(kJsonPadding, '\0');
  std::string out;
  auto errors = read_json(std::string_view(text.data(), text.size() - kJsonPadding), arena,
                          [&](const ParsedDocument& d, const Locator&) { out = to_json(d.root); });
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(
      out, R"({"s":"a\"b\\c\n\u0001é","i":-3,"d":1.5,"big":1e+300,"b":true,"n":null,"a":[1,"x"]})");
}

TEST(PagingTest, ContinueTokensRoundTripAndRejectGarbage) {
  auto t = decode_continue(encode_continue({42, 7}));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->resource_version, 42);
  EXPECT_EQ(t->start, 7u);
  EXPECT_FALSE(decode_continue("not base64!"));
  EXPECT_FALSE(decode_continue(base64_encode("{\"start\":3}")));
  EXPECT_EQ(base64_decode(base64_encode("ab")).value_or(""), "ab");
}

TEST_F(ApiServerTest, VersionAndDiscovery) {
  auto s = start_plain();
  auto v = get(*s, "/version");
  ASSERT_TRUE(v);
  Json version = parse(v->body);
  EXPECT_EQ(version["gitVersion"].str(), "v1.30.4");
  EXPECT_EQ(version["major"].str(), "1");
  EXPECT_EQ(version["minor"].str(), "30");

  Json api = parse(get(*s, "/api")->body);
  EXPECT_EQ(api["kind"].str(), "APIVersions");
  EXPECT_EQ(api["versions"][0].str(), "v1");

  Json apis = parse(get(*s, "/apis")->body);
  EXPECT_EQ(apis["kind"].str(), "APIGroupList");
  std::set<std::string> groups;
  for (const Value& g : apis["groups"].items()) {
    groups.insert(std::string(g["preferredVersion"]["groupVersion"].str()));
  }
  for (const char* gv :
       {"apps/v1", "batch/v1", "autoscaling/v2", "policy/v1", "discovery.k8s.io/v1",
        "events.k8s.io/v1", "networking.k8s.io/v1", "storage.k8s.io/v1",
        "admissionregistration.k8s.io/v1", "apiregistration.k8s.io/v1", "scheduling.k8s.io/v1",
        "apiextensions.k8s.io/v1", "rbac.authorization.k8s.io/v1", "authorization.k8s.io/v1"}) {
    EXPECT_TRUE(groups.count(gv)) << gv;
  }

  Json core = parse(get(*s, "/api/v1")->body);
  EXPECT_EQ(core["kind"].str(), "APIResourceList");
  EXPECT_EQ(core["groupVersion"].str(), "v1");
  bool saw_pods = false, saw_nodes = false;
  for (const Value& r : core["resources"].items()) {
    if (r["name"].str() == "pods") {
      saw_pods = true;
      EXPECT_EQ(r["singularName"].str(), "pod");
      EXPECT_TRUE(r["namespaced"].as_bool());
      EXPECT_EQ(r["kind"].str(), "Pod");
      EXPECT_EQ(r["verbs"][1].str(), "list");
      EXPECT_EQ(r["shortNames"][0].str(), "po");
    }
    if (r["name"].str() == "nodes") {
      saw_nodes = true;
      EXPECT_FALSE(r["namespaced"].as_bool(true));
    }
  }
  EXPECT_TRUE(saw_pods && saw_nodes);

  Json authz = parse(get(*s, "/apis/authorization.k8s.io/v1")->body);
  EXPECT_EQ(authz["resources"][0]["name"].str(), "selfsubjectaccessreviews");
  EXPECT_EQ(authz["resources"][0]["verbs"][0].str(), "create");

  // A group with no objects in the snapshot still lists, empty.
  auto sc = get(*s, "/apis/storage.k8s.io/v1/storageclasses");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->status, 200);
  Json scs = parse(sc->body);
  EXPECT_EQ(scs["kind"].str(), "StorageClassList");
  EXPECT_TRUE(scs["items"].is_array());
  EXPECT_EQ(scs["items"].size(), 0u);

  EXPECT_EQ(get(*s, "/apis/nosuch.example.com/v1")->status, 404);
  EXPECT_EQ(get(*s, "/api/v1/nosuch")->status, 404);
}

TEST_F(ApiServerTest, ListsClusterWideAndPerNamespaceInOrder) {
  auto s = start_plain();
  auto r = get(*s, "/api/v1/pods");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  Json list = parse(r->body);
  EXPECT_EQ(list["kind"].str(), "PodList");
  EXPECT_EQ(list["apiVersion"].str(), "v1");
  EXPECT_FALSE(list["metadata"]["resourceVersion"].str().empty());
  EXPECT_FALSE(list["metadata"].contains("continue"));
  EXPECT_EQ(names_of(list.root), snapshot_pods());
  std::vector<std::pair<std::string, std::string>> order;
  for (const Value& item : list["items"].items()) {
    EXPECT_FALSE(item.contains("kind"));  // typed list items carry no kind/apiVersion
    EXPECT_FALSE(item.contains("apiVersion"));
    order.emplace_back(item["metadata"]["namespace"].str(), item["metadata"]["name"].str());
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));

  Json shop_pods = parse(get(*s, "/api/v1/namespaces/shop/pods")->body);
  EXPECT_EQ(names_of(shop_pods.root), snapshot_pods("shop"));
  Json none = parse(get(*s, "/api/v1/namespaces/nosuch/pods")->body);
  EXPECT_EQ(none["items"].size(), 0u);

  Json deployments = parse(get(*s, "/apis/apps/v1/namespaces/shop/deployments")->body);
  EXPECT_EQ(deployments["kind"].str(), "DeploymentList");
  EXPECT_EQ(deployments["apiVersion"].str(), "apps/v1");
  EXPECT_GT(deployments["items"].size(), 0u);

  // events.k8s.io/v1 Events are served in their own group, core Events in v1.
  Json v1_events = parse(get(*s, "/apis/events.k8s.io/v1/events")->body);
  EXPECT_EQ(v1_events["kind"].str(), "EventList");
  EXPECT_GT(v1_events["items"].size(), 0u);
  EXPECT_TRUE(v1_events["items"][0].contains("regarding"));
  Json core_events = parse(get(*s, "/api/v1/events")->body);
  EXPECT_GT(core_events["items"].size(), 0u);
  EXPECT_TRUE(core_events["items"][0].contains("involvedObject"));
  // Namespaces the snapshot uses exist, as on a real cluster, though it holds no Namespace.
  Json namespaces = parse(get(*s, "/api/v1/namespaces")->body);
  std::set<std::string> ns_names;
  for (const Value& n : namespaces["items"].items()) ns_names.emplace(n["metadata"]["name"].str());
  EXPECT_TRUE(ns_names.count("shop") && ns_names.count("kube-system"));
  Json shop_ns = parse(get(*s, "/api/v1/namespaces/shop")->body);
  EXPECT_EQ(shop_ns["kind"].str(), "Namespace");
  EXPECT_EQ(shop_ns["status"]["phase"].str(), "Active");
  // A cluster-scoped resource has no namespaced path.
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/nodes")->status, 404);
}

TEST_F(ApiServerTest, GetsOneObjectOr404) {
  auto s = start_plain();
  auto r = get(*s, "/api/v1/namespaces/shop/pods/orders-db-0");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Json pod = parse(r->body);
  EXPECT_EQ(pod["kind"].str(), "Pod");
  EXPECT_EQ(pod["apiVersion"].str(), "v1");
  EXPECT_EQ(pod["metadata"]["name"].str(), "orders-db-0");
  EXPECT_EQ(pod["spec"]["containers"][0]["name"].str(), "postgres");

  Json nodes = parse(get(*s, "/api/v1/nodes")->body);
  ASSERT_GT(nodes["items"].size(), 0u);
  const std::string node(nodes["items"][0]["metadata"]["name"].str());
  Json one = parse(get(*s, "/api/v1/nodes/" + node)->body);
  EXPECT_EQ(one["kind"].str(), "Node");

  auto missing = get(*s, "/api/v1/namespaces/shop/pods/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  Json status = parse(missing->body);
  EXPECT_EQ(status["kind"].str(), "Status");
  EXPECT_EQ(status["status"].str(), "Failure");
  EXPECT_EQ(status["reason"].str(), "NotFound");
  EXPECT_EQ(status["message"].str(), "pods \"nope\" not found");
  EXPECT_EQ(status["details"]["name"].str(), "nope");
  EXPECT_EQ(status["details"]["kind"].str(), "pods");
  EXPECT_EQ(status["code"].as_int(), 404);
  // In another namespace it does not exist either.
  EXPECT_EQ(get(*s, "/api/v1/namespaces/kube-system/pods/orders-db-0")->status, 404);
}

TEST_F(ApiServerTest, LabelAndFieldSelectors) {
  auto s = start_plain();
  auto names = [&](const std::string& query) {
    auto r = get(*s, "/api/v1/pods?" + query);
    EXPECT_TRUE(r && r->status == 200) << query;
    std::set<std::string> out;
    if (!r) return out;
    Json list = parse(r->body);
    for (const Value& i : list["items"].items()) out.emplace(i["metadata"]["name"].str());
    return out;
  };
  auto web = names("labelSelector=app%3Dweb");
  EXPECT_EQ(web, (std::set<std::string>{"web-7d9c5b8f6d-m8zvd", "web-7d9c5b8f6d-q4lts",
                                        "web-7d9c5b8f6d-x2bqk"}));
  EXPECT_EQ(names("labelSelector=app%20in%20%28web%2Corders-db%29").size(), 4u);
  EXPECT_EQ(names("labelSelector=app%3Dweb%2Cpod-template-hash%21%3D7d9c5b8f6d").size(), 0u);
  EXPECT_EQ(names("labelSelector=statefulset.kubernetes.io%2Fpod-name"),
            std::set<std::string>{"orders-db-0"});
  const auto all = names("");
  const auto no_app = names("labelSelector=%21app");
  const auto with_app = names("labelSelector=app");
  EXPECT_EQ(no_app.size() + with_app.size(), all.size());
  EXPECT_EQ(names("labelSelector=app%20notin%20%28web%29").size(), all.size() - 3);

  EXPECT_EQ(names("fieldSelector=metadata.name%3Dorders-db-0"),
            std::set<std::string>{"orders-db-0"});
  EXPECT_EQ(names("fieldSelector=metadata.namespace%3Dshop").size(), snapshot_pods("shop").size());
  // A raw '=' inside the value, as curl sends it, reads the same.
  EXPECT_EQ(names("fieldSelector=metadata.namespace=shop,metadata.name=orders-db-0"),
            std::set<std::string>{"orders-db-0"});
  EXPECT_EQ(names("fieldSelector=metadata.namespace%21%3Dshop").size(),
            all.size() - snapshot_pods("shop").size());
  EXPECT_FALSE(names("fieldSelector=status.phase%3DRunning").empty());

  auto bad = get(*s, "/api/v1/pods?fieldSelector=spec.nosuch%3Dx");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(parse(bad->body)["message"].str(), "field label not supported: spec.nosuch");
}

TEST_F(ApiServerTest, PagesWithContinueAndExpiresTokens) {
  auto s = start_plain();
  const auto expected = snapshot_pods();
  std::set<std::pair<std::string, std::string>> seen;
  std::string cont;
  int pages = 0;
  do {
    std::string path = "/api/v1/pods?limit=4";
    if (!cont.empty()) path += "&continue=" + httplib::detail::encode_query_param(cont);
    auto r = get(*s, path);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    Json page = parse(r->body);
    EXPECT_LE(page["items"].size(), 4u);
    for (const auto& n : names_of(page.root)) EXPECT_TRUE(seen.insert(n).second);
    cont = std::string(page["metadata"]["continue"].str());
    if (!cont.empty()) {
      EXPECT_EQ(page["metadata"]["remainingItemCount"].as_int(),
                static_cast<std::int64_t>(expected.size() - seen.size()));
    }
    ++pages;
  } while (!cont.empty() && pages < 100);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, static_cast<int>((expected.size() + 3) / 4));

  // resourceVersion=0 reads kube-apiserver's watch cache, which ignores limit.
  Json cached = parse(get(*s, "/api/v1/pods?limit=4&resourceVersion=0")->body);
  EXPECT_EQ(cached["items"].size(), expected.size());
  EXPECT_FALSE(cached["metadata"].contains("continue"));

  // Paging within a namespace with a selector: full pages, no remainingItemCount.
  Json first = parse(get(*s, "/api/v1/namespaces/shop/pods?limit=2&labelSelector=app%3Dweb")->body);
  EXPECT_EQ(first["items"].size(), 2u);
  EXPECT_FALSE(first["metadata"].contains("remainingItemCount"));
  const std::string token(first["metadata"]["continue"].str());
  ASSERT_FALSE(token.empty());
  Json second =
      parse(get(*s, "/api/v1/namespaces/shop/pods?limit=2&labelSelector=app%3Dweb&continue=" +
                        httplib::detail::encode_query_param(token))
                ->body);
  EXPECT_EQ(second["items"].size(), 1u);
  EXPECT_FALSE(second["metadata"].contains("continue"));

  Faults f;
  f.expire_continue = 1;
  s->set_faults(f);
  auto expired = get(*s, "/api/v1/namespaces/shop/pods?limit=2&continue=" +
                             httplib::detail::encode_query_param(token));
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 410);
  Json status = parse(expired->body);
  EXPECT_EQ(status["reason"].str(), "Expired");
  EXPECT_EQ(status["code"].as_int(), 410);
  EXPECT_EQ(status["message"].str(),
            "The provided continue parameter is too old to display a consistent list result. You "
            "can start a new list without the continue parameter, or use the continue value from "
            "the response to start a new list.");
  // Only one; and a request without continue never counts.
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/pods?limit=2&continue=" +
                        httplib::detail::encode_query_param(token))
                ->status,
            200);
  EXPECT_EQ(get(*s, "/api/v1/pods?continue=garbage")->status, 400);
}

TEST_F(ApiServerTest, MetadataOnlyLists) {
  auto s = start_plain();
  const httplib::Headers accept = {
      {"Accept",
       "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"}};
  auto r = get(*s, "/api/v1/secrets", accept);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Json list = parse(r->body);
  EXPECT_EQ(list["kind"].str(), "PartialObjectMetadataList");
  EXPECT_EQ(list["apiVersion"].str(), "meta.k8s.io/v1");
  ASSERT_GT(list["items"].size(), 0u);
  for (const Value& item : list["items"].items()) {
    EXPECT_EQ(item["kind"].str(), "PartialObjectMetadata");
    EXPECT_EQ(item["apiVersion"].str(), "meta.k8s.io/v1");
    EXPECT_FALSE(item["metadata"]["name"].str().empty());
    EXPECT_EQ(item.size(), 3u);  // kind, apiVersion, metadata: no data, no type
  }
  // One object, metadata only.
  const std::string name(list["items"][0]["metadata"]["name"].str());
  const std::string ns(list["items"][0]["metadata"]["namespace"].str());
  auto one = get(*s, "/api/v1/namespaces/" + ns + "/secrets/" + name,
                 {{"Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"}});
  ASSERT_TRUE(one);
  Json partial = parse(one->body);
  EXPECT_EQ(partial["kind"].str(), "PartialObjectMetadata");
  EXPECT_EQ(partial["metadata"]["name"].str(), name);
  EXPECT_FALSE(partial.root.contains("data"));
  // The full list has the data the metadata list leaves out.
  Json full = parse(get(*s, "/api/v1/secrets")->body);
  bool any_data = false;
  for (const Value& item : full["items"].items()) any_data |= item.contains("data");
  EXPECT_TRUE(any_data);
  EXPECT_EQ(r->body.find("\"data\""), std::string::npos);
}

TEST_F(ApiServerTest, PodLogs) {
  auto s = start_plain();
  const std::string dir = shop() + "/logs/shop/orders-db-0/";
  auto log = get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->status, 200);
  EXPECT_EQ(log->get_header_value("Content-Type"), "text/plain");
  EXPECT_EQ(log->body, read_file(dir + "postgres.log"));
  auto previous =
      get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log?container=postgres&previous=true");
  EXPECT_EQ(previous->body, read_file(dir + "postgres.previous.log"));

  const std::string text = read_file(dir + "postgres.log");
  std::string last2 = text.substr(text.rfind('\n', text.rfind('\n', text.size() - 2) - 1) + 1);
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log?tailLines=2")->body, last2);
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log?tailLines=0")->body, "");
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log?limitBytes=10")->body,
            text.substr(0, 10));

  // A pod without a previous log.
  auto none = get(*s, "/api/v1/namespaces/shop/pods/cart-5f7b9c6d48-9tqkz/log?previous=true");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
  EXPECT_EQ(parse(none->body)["message"].str(),
            "previous terminated container \"cart\" in pod \"cart-5f7b9c6d48-9tqkz\" not found");
  EXPECT_EQ(get(*s, "/api/v1/namespaces/shop/pods/nope/log")->status, 404);

  auto extra = start_plain(extra_snapshot());
  auto ambiguous = get(*extra, "/api/v1/namespaces/blog/pods/two/log");
  ASSERT_TRUE(ambiguous);
  EXPECT_EQ(ambiguous->status, 400);
  Json status = parse(ambiguous->body);
  EXPECT_EQ(status["reason"].str(), "BadRequest");
  EXPECT_EQ(status["message"].str(),
            "a container name must be specified for pod two, choose one of: [a b] or one of the "
            "init containers: [init]");
  EXPECT_EQ(get(*extra, "/api/v1/namespaces/blog/pods/two/log?container=a&tailLines=2")->body,
            "a2\na3\n");
  EXPECT_EQ(get(*extra, "/api/v1/namespaces/blog/pods/two/log?container=b")->body, "b1\n");
  auto invalid = get(*extra, "/api/v1/namespaces/blog/pods/two/log?container=c");
  EXPECT_EQ(invalid->status, 400);
  EXPECT_EQ(parse(invalid->body)["message"].str(), "container c is not valid for pod two");
}

TEST_F(ApiServerTest, UnknownKindsKeepKindAndGroup) {
  auto s = start_plain(extra_snapshot());
  Json discovery = parse(get(*s, "/apis/example.com/v1alpha1")->body);
  EXPECT_EQ(discovery["resources"][0]["name"].str(), "widgets");
  EXPECT_EQ(discovery["resources"][0]["kind"].str(), "Widget");
  Json apis = parse(get(*s, "/apis")->body);
  EXPECT_NE(to_json(apis.root).find("example.com/v1alpha1"), std::string::npos);
  Json list = parse(get(*s, "/apis/example.com/v1alpha1/namespaces/blog/widgets")->body);
  EXPECT_EQ(list["kind"].str(), "WidgetList");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["kind"].str(), "Widget");
  EXPECT_EQ(list["items"][0]["apiVersion"].str(), "example.com/v1alpha1");
  EXPECT_EQ(list["items"][0]["spec"]["size"].as_double(), 1.5);
  EXPECT_EQ(list["items"][0]["spec"]["label"].str(), "quote \" and\ttab");
  Json one = parse(get(*s, "/apis/example.com/v1alpha1/namespaces/blog/widgets/w1")->body);
  EXPECT_EQ(one["kind"].str(), "Widget");
}

TEST_F(ApiServerTest, Faults) {
  auto s = start_plain();
  const std::string pods = "/api/v1/namespaces/shop/pods";
  Faults f;
  f.unauthorized = 1;
  s->set_faults(f);
  auto r = get(*s, pods);
  EXPECT_EQ(r->status, 401);
  Json unauthorized = parse(r->body);
  EXPECT_EQ(unauthorized["message"].str(), "Unauthorized");
  EXPECT_EQ(unauthorized["reason"].str(), "Unauthorized");
  EXPECT_FALSE(unauthorized.root.contains("details"));  // kube-apiserver writes none for 401
  EXPECT_EQ(get(*s, pods)->status, 200);                // counted down

  f = {};
  f.too_many_requests = 2;
  f.retry_after_seconds = 3;
  s->set_faults(f);
  r = get(*s, pods);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "3");
  EXPECT_EQ(parse(r->body)["reason"].str(), "TooManyRequests");
  EXPECT_EQ(get(*s, pods)->status, 429);
  EXPECT_EQ(get(*s, pods)->status, 200);

  f = {};
  f.server_errors = 1;
  f.only_path = "/secrets";
  s->set_faults(f);
  EXPECT_EQ(get(*s, pods)->status, 200);  // not on the path: not counted
  r = get(*s, "/api/v1/secrets");
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(parse(r->body)["reason"].str(), "InternalError");
  EXPECT_EQ(get(*s, "/api/v1/secrets")->status, 200);

  f = {};
  f.drop_connections = 1;
  s->set_faults(f);
  r = get(*s, "/api/v1/pods");
  EXPECT_FALSE(r);  // the body ended early: the client reports an error, not a response
  EXPECT_EQ(get(*s, "/api/v1/pods")->status, 200);

  f = {};
  f.forbidden_resources = {"secrets", "pods/log"};
  s->set_faults(f);
  r = get(*s, "/api/v1/secrets");
  EXPECT_EQ(r->status, 403);
  Json status = parse(r->body);
  EXPECT_EQ(status["reason"].str(), "Forbidden");
  EXPECT_EQ(status["message"].str(),
            "secrets is forbidden: User \"ktriage-test\" cannot list resource \"secrets\" in API "
            "group \"\" at the cluster scope");
  r = get(*s, "/api/v1/namespaces/shop/secrets");
  EXPECT_EQ(parse(r->body)["message"].str(),
            "secrets is forbidden: User \"ktriage-test\" cannot list resource \"secrets\" in API "
            "group \"\" in the namespace \"shop\"");
  r = get(*s, "/api/v1/namespaces/shop/pods/orders-db-0/log");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(parse(r->body)["message"].str(),
            "pods \"orders-db-0\" is forbidden: User \"ktriage-test\" cannot get resource "
            "\"pods/log\" in API group \"\" in the namespace \"shop\"");
  EXPECT_EQ(get(*s, pods)->status, 200);

  f = {};
  f.slow_ms = 50;
  s->set_faults(f);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(get(*s, "/version")->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0,
            std::chrono::milliseconds(50));  // lower bound only
}

TEST_F(ApiServerTest, RecordsEveryRequestAndRefusesWrites) {
  auto s = start_plain();
  s->clear_requests();
  httplib::Client cli("127.0.0.1", s->port());
  EXPECT_EQ(cli.Get("/api/v1/namespaces/shop/pods?limit=5&labelSelector=app%3Dweb")->status, 200);
  auto post = cli.Post("/api/v1/namespaces/shop/pods", "{}", "application/json");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(parse(post->body)["reason"].str(), "MethodNotAllowed");
  EXPECT_EQ(cli.Delete("/api/v1/namespaces/shop/pods/orders-db-0")->status, 405);
  EXPECT_EQ(cli.Put("/api/v1/nodes/x", "{}", "application/json")->status, 405);
  EXPECT_EQ(cli.Patch("/api/v1/nodes/x", "{}", "application/merge-patch+json")->status, 405);
  EXPECT_EQ(cli.Post("/api/v1/pods")->status, 405);  // no body at all

  auto review = [&](const std::string& resource) {
    return cli.Post(
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        R"({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":{"verb":"list","resource":")" +
            resource + R"("}}})",
        "application/json");
  };
  Faults f;
  f.forbidden_resources = {"secrets"};
  s->set_faults(f);
  auto allowed = review("pods");
  EXPECT_EQ(allowed->status, 201);
  Json a = parse(allowed->body);
  EXPECT_EQ(a["kind"].str(), "SelfSubjectAccessReview");
  EXPECT_TRUE(a["status"]["allowed"].as_bool());
  EXPECT_EQ(a["spec"]["resourceAttributes"]["resource"].str(), "pods");
  EXPECT_FALSE(parse(review("secrets")->body)["status"]["allowed"].as_bool(true));
  auto rules = cli.Post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                        R"({"spec":{"namespace":"shop"}})", "application/json");
  EXPECT_EQ(rules->status, 201);
  Json rr = parse(rules->body);
  EXPECT_EQ(rr["kind"].str(), "SelfSubjectRulesReview");
  EXPECT_EQ(rules->body.find("\"secrets\""), std::string::npos);
  EXPECT_NE(rules->body.find("\"pods\""), std::string::npos);

  const auto recorded = s->requests();
  ASSERT_EQ(recorded.size(), 9u);
  EXPECT_EQ(recorded[0].method, "GET");
  EXPECT_EQ(recorded[0].path, "/api/v1/namespaces/shop/pods");
  EXPECT_EQ(recorded[0].query, "limit=5&labelSelector=app%3Dweb");
  EXPECT_EQ(recorded[0].status, 200);
  EXPECT_EQ(recorded[1].method, "POST");
  EXPECT_EQ(recorded[1].status, 405);
  EXPECT_EQ(recorded[2].method, "DELETE");
  EXPECT_EQ(recorded[3].method, "PUT");
  EXPECT_EQ(recorded[4].method, "PATCH");
  EXPECT_EQ(recorded[5].method, "POST");
  EXPECT_EQ(recorded[6].path, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
  EXPECT_EQ(recorded[6].status, 201);
  s->clear_requests();
  EXPECT_TRUE(s->requests().empty());
}

TEST_F(ApiServerTest, TokenAndBasicAuth) {
  ServerOptions o;
  o.snapshot = shop();
  o.tls = false;
  o.token = "s3cret";
  auto s = start(o);
  EXPECT_EQ(get(*s, "/api/v1/pods")->status, 401);
  EXPECT_EQ(get(*s, "/api/v1/pods", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(get(*s, "/api/v1/pods", {{"Authorization", "Bearer s3cret"}})->status, 200);

  o.token.clear();
  o.basic_auth = "admin:pa:ss";
  auto b = start(o);
  httplib::Client cli("127.0.0.1", b->port());
  EXPECT_EQ(cli.Get("/version")->status, 401);
  cli.set_basic_auth("admin", "pa:ss");
  EXPECT_EQ(cli.Get("/version")->status, 200);

  const std::string kc = temp_root() + "/kubeconfig-" + std::to_string(s->port());
  b->write_kubeconfig(kc);
  const std::string text = read_file(kc);
  EXPECT_NE(text.find("server: \"" + b->url() + "\""), std::string::npos);
  EXPECT_NE(text.find("username: \"admin\""), std::string::npos);
  EXPECT_NE(text.find("password: \"pa:ss\""), std::string::npos);
}

TEST_F(ApiServerTest, TlsVerifiesAndRejectsTheWrongCa) {
  ServerOptions o;
  o.snapshot = shop();
  auto s = start(o);
  EXPECT_EQ(s->url(), "https://127.0.0.1:" + std::to_string(s->port()));
  {
    httplib::SSLClient cli("127.0.0.1", s->port());
    cli.set_ca_cert_path(tls_.ca_cert.c_str());
    cli.enable_server_certificate_verification(true);
    auto r = cli.Get("/version");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }
  {  // trusting only the other CA: the server's certificate must be refused
    httplib::SSLClient cli("127.0.0.1", s->port());
    cli.set_ca_cert_path(tls_.other_ca_cert.c_str());
    cli.enable_server_certificate_verification(true);
    EXPECT_FALSE(cli.Get("/version"));
  }
  o.wrong_ca = true;
  auto wrong = start(o);
  {
    httplib::SSLClient cli("127.0.0.1", wrong->port());
    cli.set_ca_cert_path(tls_.ca_cert.c_str());
    cli.enable_server_certificate_verification(true);
    auto r = cli.Get("/version");
    EXPECT_FALSE(r);
    EXPECT_EQ(r.error(), httplib::Error::SSLServerVerification);
  }
  EXPECT_TRUE(wrong->requests().empty());

  o.wrong_ca = false;
  o.require_client_cert = true;
  auto mtls = start(o);
  {
    httplib::SSLClient cli("127.0.0.1", mtls->port());
    cli.set_ca_cert_path(tls_.ca_cert.c_str());
    cli.enable_server_certificate_verification(true);
    EXPECT_FALSE(cli.Get("/version"));  // no client certificate
  }
  {
    httplib::SSLClient cli("127.0.0.1", mtls->port(), tls_.client_cert, tls_.client_key);
    cli.set_ca_cert_path(tls_.ca_cert.c_str());
    cli.enable_server_certificate_verification(true);
    auto r = cli.Get("/version");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }
  const std::string kc = temp_root() + "/kubeconfig-" + std::to_string(s->port());
  mtls->write_kubeconfig(kc);
  const std::string text = read_file(kc);
  EXPECT_NE(text.find("certificate-authority: \"" + tls_.ca_cert + "\""), std::string::npos);
  EXPECT_NE(text.find("client-certificate: \"" + tls_.client_cert + "\""), std::string::npos);
  EXPECT_NE(text.find("client-key: \"" + tls_.client_key + "\""), std::string::npos);
}

TEST_F(ApiServerTest, OpenApiV3) {
  const std::string dir = shared_dir() + "/k8s-openapi/1.28/v3";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " is absent";
  ServerOptions o;
  o.snapshot = shop();
  o.tls = false;
  o.openapi_dir = dir;
  auto s = start(o);
  Json index = parse(get(*s, "/openapi/v3")->body);
  const std::string url(index["paths"]["api/v1"]["serverRelativeURL"].str());
  EXPECT_TRUE(url.starts_with("/openapi/v3/api/v1?hash=")) << url;
  EXPECT_TRUE(index["paths"]["apis/apps/v1"].is_object());
  auto doc = get(*s, url);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 200);
  EXPECT_EQ(doc->body, read_file(dir + "/api__v1_openapi.json"));
  EXPECT_EQ(get(*s, "/openapi/v3/apis/nosuch/v1")->status, 404);
  // Without a folder the index is empty.
  auto plain = start_plain();
  EXPECT_EQ(get(*plain, "/openapi/v3")->body, R"({"paths":{}})");
}

TEST_F(ApiServerTest, ServesEveryExampleWhole) {
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/examples")) {
    if (!entry.is_directory()) continue;
    const std::string dir = entry.path().string();
    SCOPED_TRACE(dir);
    const std::string paths[] = {dir};
    Inputs in = load_sources(paths);
    std::map<std::string, std::size_t> pods_per_ns;
    for (const RawObject& o : in.objects) {
      std::string_view kind = o.root["kind"].str().empty() ? o.kind : o.root["kind"].str();
      if (kind == "Pod") ++pods_per_ns[std::string(o.root["metadata"]["namespace"].str())];
    }
    auto s = start_plain(dir);
    ASSERT_TRUE(s);
    std::size_t total = 0;
    for (const auto& [ns, count] : pods_per_ns) {
      Json list = parse(get(*s, "/api/v1/namespaces/" + ns + "/pods")->body);
      EXPECT_EQ(list["items"].size(), count) << ns;
      total += count;
    }
    EXPECT_EQ(parse(get(*s, "/api/v1/pods")->body)["items"].size(), total);
  }
}

TEST_F(ApiServerTest, StartFailsOnAMissingSnapshot) {
  ServerOptions o;
  o.snapshot = "/nonexistent/snapshot";
  o.tls = false;
  auto s = TestApiServer::start(o, tls_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("/nonexistent/snapshot"), std::string::npos);
}

}  // namespace
}  // namespace ktriage::testing
