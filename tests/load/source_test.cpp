// Loading: formats, layouts, and every kind of bad input named in the foundation issue.
#include "load/source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "load/document.h"
#include "model/cluster.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / fmt_name();
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& rel, const std::string& content) {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  static std::string fmt_name() {
    static int counter = 0;
    return "ktriage-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  }
  fs::path path_;
};

// The issue about the file whose path ends with `file_suffix`.
const InputIssue* issue_for(const Inputs& in, std::string_view file_suffix) {
  for (const InputIssue& i : in.issues) {
    if (std::string_view(i.where.file).ends_with(file_suffix)) return &i;
  }
  return nullptr;
}

constexpr std::string_view kPodYaml = R"(apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
spec:
  containers:
  - name: web
    image: nginx
)";

TEST(SourceTest, ReadsMultiDocumentYamlListsAndTypedJsonLists) {
  TempDir dir;
  dir.write("a.yaml", std::string(kPodYaml) +
                          "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: "
                          "Service\n  metadata: {name: web, namespace: shop}\n");
  dir.write("b.json", R"({"apiVersion":"v1","kind":"PodList","items":[
  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2","namespace":"shop"}},
  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p3","namespace":"shop"}}]})");
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  ASSERT_EQ(in.objects.size(), 4u);
  EXPECT_TRUE(in.issues.empty()) << in.issues.front().message;
  auto cluster = Cluster::build(std::move(in));
  EXPECT_NE(cluster->find("Pod", "shop", "web-1"), nullptr);
  EXPECT_NE(cluster->find("Service", "shop", "web"), nullptr);
  const Object* p3 = cluster->find("Pod", "shop", "p3");
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->pos.line, 3u);  // each List item keeps its own line
}

TEST(SourceTest, YamlAliasBombIsRefusedQuicklyAndOrdinaryAnchorsWork) {
  std::string bomb =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: t}\n"
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    bomb += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int j = 0; j < 9; ++j) bomb += std::string(j ? "," : "") + "*" + names[i - 1];
    bomb += "]\n";
  }
  Inputs in;
  load_buffer("bomb.yaml", bomb, in);
  load_buffer("good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: t}\n",
              in);
  const InputIssue* i = issue_for(in, "bomb.yaml");
  ASSERT_NE(i, nullptr);
  EXPECT_NE(i->message.find("alias bomb"), std::string::npos) << i->message;
  ASSERT_EQ(in.objects.size(), 1u);  // the good file is still read
  // A normal anchor and merge key inside one document.
  Inputs merged;
  load_buffer("m.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: t}\n"
              "x-defaults: &res {limits: {cpu: \"1\"}}\nspec:\n  template:\n    spec:\n"
              "      containers:\n      - name: web\n        resources: *res\n"
              "      - name: side\n        resources:\n          <<: *res\n          requests: "
              "{cpu: 100m}\n",
              merged);
  ASSERT_EQ(merged.objects.size(), 1u);
  const Value& containers = merged.objects[0].root["spec"]["template"]["spec"]["containers"];
  EXPECT_EQ(containers[0]["resources"]["limits"]["cpu"].str(), "1");
  EXPECT_EQ(containers[1]["resources"]["limits"]["cpu"].str(), "1");
  EXPECT_EQ(containers[1]["resources"]["requests"]["cpu"].str(), "100m");
}

TEST(SourceTest, ByteOrderMarkIsIgnored) {
  Inputs in;
  load_buffer("bom.json",
              "\xEF\xBB\xBF{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
              "\"metadata\": {\"name\": \"a\", \"namespace\": \"t\"}}",
              in);
  load_buffer("bom.yaml",
              "\xEF\xBB\xBF"
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: t}\n",
              in);
  EXPECT_EQ(in.objects.size(), 2u);
  EXPECT_TRUE(in.issues.empty());
}

TEST(SourceTest, EventsWithoutSubjectAndWrongTypesOfClusterFieldsAreReported) {
  Inputs in;
  load_buffer(
      "ev.yaml",
      "apiVersion: v1\nkind: Event\nmetadata: {name: e1, namespace: t}\nreason: BackOff\n"
      "type: Warning\n---\napiVersion: v1\nkind: Event\nmetadata: {name: e2, namespace: t}\n"
      "involvedObject: {kind: Pod, name: p}\nreason: BackOff\ncount: abc\n---\n"
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: t}\n"
      "spec: {rules: oops}\n---\napiVersion: admissionregistration.k8s.io/v1\n"
      "kind: ValidatingWebhookConfiguration\nmetadata: {name: v}\nwebhooks: {a: 1}\n",
      in);
  std::string all;
  for (const InputIssue& i : in.issues) all += i.where.to_string() + " " + i.message + "\n";
  EXPECT_NE(all.find("ev.yaml:1:1 Event without involvedObject"), std::string::npos) << all;
  EXPECT_NE(all.find("count must be number"), std::string::npos) << all;
  EXPECT_NE(all.find("spec.rules must be array"), std::string::npos) << all;
  EXPECT_NE(all.find("webhooks must be array"), std::string::npos) << all;
  EXPECT_EQ(in.objects.size(), 3u);  // the subject-less Event is skipped; the others are kept
}

TEST(SourceTest, ABrokenYamlDocumentDoesNotHideTheDocumentsAfterIt) {
  Inputs in;
  load_buffer(
      "multi.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first, namespace: t}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken, namespace: t\n"
      "  oops: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: third, namespace: t}\n",
      in);
  ASSERT_EQ(in.objects.size(), 2u);
  EXPECT_EQ(in.objects[1].root["metadata"]["name"].str(), "third");
  EXPECT_EQ(in.objects[1].pos.line, 10u);  // counted from the top of the file
  ASSERT_EQ(in.issues.size(), 1u);
  EXPECT_GE(in.issues[0].where.pos.line, 7u);
  EXPECT_LE(in.issues[0].where.pos.line, 9u);
}

TEST(SourceTest, TruncatedYamlNamesLineAndColumnAndOtherFilesStillLoad) {
  TempDir dir;
  dir.write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\n");
  dir.write("good.yaml", std::string(kPodYaml));
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  EXPECT_EQ(in.objects.size(), 1u);
  const InputIssue* i = issue_for(in, "bad.yaml");
  ASSERT_NE(i, nullptr);
  EXPECT_GT(i->where.pos.line, 0u);
  EXPECT_GT(i->where.pos.column, 0u);
  EXPECT_NE(i->message.find("YAML"), std::string::npos) << i->message;
}

TEST(SourceTest, WrongTypeIsReportedWithPositionAndObjectIsKept) {
  TempDir dir;
  dir.write("pods.json",
            "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"x\", "
            "\"namespace\": \"d\"},\n  \"spec\": {\n    \"containers\": \"x\"\n  }\n}\n");
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  ASSERT_EQ(in.objects.size(), 1u);
  const InputIssue* i = issue_for(in, "pods.json");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where.pos.line, 6u);
  EXPECT_EQ(i->where.pos.column, 19u);
  EXPECT_NE(i->message.find("spec.containers must be array, found string"), std::string::npos)
      << i->message;
}

TEST(SourceTest, WrongTypeInYamlHasPosition) {
  Inputs in;
  load_buffer("p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: x\n",
              in);
  ASSERT_EQ(in.issues.size(), 1u);
  EXPECT_EQ(in.issues[0].where.pos.line, 6u);
  EXPECT_EQ(in.issues[0].where.pos.column, 15u);
}

TEST(SourceTest, BinaryGarbageEmptyFileAndObjectWithoutKind) {
  TempDir dir;
  dir.write("garbage.json", std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\xff\xfe", 10));
  dir.write("garbage.bin", std::string("\x00\x01\x02\x03", 4));
  dir.write("empty.yaml", "");
  dir.write("nokind.yaml", "metadata:\n  name: x\n");
  dir.write("notes.txt", "remember to check the ingress\n");
  dir.write("ok.yaml", std::string(kPodYaml));
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  EXPECT_EQ(in.objects.size(), 1u);
  ASSERT_NE(issue_for(in, "garbage.json"), nullptr);
  EXPECT_GT(issue_for(in, "garbage.json")->where.pos.line, 0u);
  ASSERT_NE(issue_for(in, "garbage.bin"), nullptr);
  EXPECT_TRUE(issue_for(in, "garbage.bin")->skipped_file);
  ASSERT_NE(issue_for(in, "empty.yaml"), nullptr);
  EXPECT_EQ(issue_for(in, "empty.yaml")->message, "empty file");
  ASSERT_NE(issue_for(in, "nokind.yaml"), nullptr);
  EXPECT_NE(issue_for(in, "nokind.yaml")->message.find("without `kind`"), std::string::npos);
  EXPECT_EQ(issue_for(in, "nokind.yaml")->where.pos.line, 1u);
  ASSERT_NE(issue_for(in, "notes.txt"), nullptr);
  EXPECT_TRUE(issue_for(in, "notes.txt")->skipped_file);
}

TEST(SourceTest, EmptyFolderAndMissingPath) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty");
  Inputs in = load_sources(
      std::vector<std::string>{(dir.path() / "empty").string(), "/nonexistent/x.yaml"});
  EXPECT_TRUE(in.objects.empty());
  ASSERT_EQ(in.issues.size(), 2u);
  EXPECT_EQ(in.issues[0].message, "folder holds no files");
  EXPECT_FALSE(in.issues[0].unreadable);  // read, and empty
  EXPECT_EQ(in.issues[1].message, "no such file or folder");
  EXPECT_TRUE(in.issues[1].unreadable);
}

// A file that looks like an archive and is none cannot be read; a binary file is skipped by
// choice. The text report's headline tells them apart by `unreadable`.
TEST(SourceTest, AnArchiveThatCannotBeOpenedIsUnreadableABinaryFileIsNot) {
  TempDir dir;
  dir.write("dump.tar.gz", "not an archive at all");
  dir.write("photo.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 12));
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  ASSERT_EQ(in.issues.size(), 2u);
  const InputIssue* archive = issue_for(in, "dump.tar.gz");
  ASSERT_NE(archive, nullptr);
  EXPECT_TRUE(archive->skipped_file);
  EXPECT_TRUE(archive->unreadable) << archive->message;
  const InputIssue* binary = issue_for(in, "photo.png");
  ASSERT_NE(binary, nullptr);
  EXPECT_TRUE(binary->skipped_file);
  EXPECT_FALSE(binary->unreadable) << binary->message;
}

TEST(SourceTest, UnreadableFileIsReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file; permission errors cannot be produced";
  TempDir dir;
  fs::path p = dir.write("secret.yaml", std::string(kPodYaml));
  fs::permissions(p, fs::perms::none);
  Inputs in = load_sources(std::vector<std::string>{p.string()});
  ASSERT_EQ(in.issues.size(), 1u);
  EXPECT_NE(in.issues[0].message.find("cannot read"), std::string::npos);
}

TEST(SourceTest, CorruptArchiveIsReportedAndDoesNotStopTheRun) {
  TempDir dir;
  dir.write("bundle.tar.gz", std::string("\x1f\x8b\x08\x00garbage-not-gzip", 20));
  dir.write("ok.yaml", std::string(kPodYaml));
  Inputs in = load_sources(std::vector<std::string>{dir.path().string()});
  EXPECT_EQ(in.objects.size(), 1u);
  ASSERT_NE(issue_for(in, "bundle.tar.gz"), nullptr);
}

TEST(SourceTest, TruncatedArchiveKeepsEntriesBeforeTheDamage) {
  const std::string bundle =
      testing::shared_dir() + "/peers/troubleshoot/testdata/supportbundle/support-bundle.tar.gz";
  std::string bytes = testing::read_file(bundle);
  ASSERT_GT(bytes.size(), 10000u);
  TempDir dir;
  dir.write("cut.tar.gz", bytes.substr(0, bytes.size() / 2));
  Inputs in = load_sources(std::vector<std::string>{(dir.path() / "cut.tar.gz").string()});
  EXPECT_GT(in.objects.size(), 0u);
  ASSERT_NE(issue_for(in, "cut.tar.gz"), nullptr);
  EXPECT_NE(issue_for(in, "cut.tar.gz")->message.find("archive damaged"), std::string::npos);
}

TEST(SourceTest, SecretValuesAreNeverKept) {
  Inputs in;
  load_buffer("s.yaml", R"(apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"aHVudGVyMg=="}}'
type: Opaque
data:
  password: aHVudGVyMg==
stringData:
  token: plain-text-token
)",
              in);
  ASSERT_EQ(in.objects.size(), 1u);
  const Value& s = in.objects[0].root;
  EXPECT_TRUE(s["data"].contains("password"));
  EXPECT_EQ(s["data"]["password"].str(), "");
  EXPECT_EQ(s["stringData"]["token"].str(), "");
  EXPECT_EQ(s["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].str(),
            "");
  EXPECT_EQ(s["type"].str(), "Opaque");
}

// Equal objects are stored once (Arena::share), but a Secret's data, stringData and annotations
// are wiped after loading: a ConfigMap with the very same data and annotations keeps its own.
TEST(SourceTest, WipingASecretLeavesAnEqualConfigMapIntact) {
  Inputs in;
  const std::string same = R"("metadata": {"name": "db", "namespace": "shop",
      "labels": {"app": "db"}, "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
    "data": {"password": "aHVudGVyMg=="}, "stringData": {"password": "aHVudGVyMg=="}})";
  load_buffer("both.json",
              R"({"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "ConfigMap", )" +
                  same + R"(,
  {"apiVersion": "v1", "kind": "Secret", )" +
                  same + R"(,
  {"apiVersion": "v1", "kind": "ConfigMap", )" +
                  same + R"(]})",
              in);
  ASSERT_EQ(in.objects.size(), 3u);
  for (std::size_t i : {0u, 2u}) {
    const Value& cm = in.objects[i].root;
    EXPECT_EQ(cm["data"]["password"].str(), "aHVudGVyMg==");
    EXPECT_EQ(cm["stringData"]["password"].str(), "aHVudGVyMg==");
    EXPECT_EQ(
        cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].str(),
        "{}");
  }
  const Value& secret = in.objects[1].root;
  EXPECT_EQ(secret["data"]["password"].str(), "");
  EXPECT_EQ(secret["stringData"]["password"].str(), "");
  EXPECT_EQ(
      secret["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].str(),
      "");
}

// A wipe zeroes only strings no other value shares: a short Secret value stored as a shared
// (interned) string would stay in memory. Values under data and stringData never are.
TEST(SourceTest, DataValuesAreOwnCopiesSoAWipeCanZeroThem) {
  Arena arena;
  std::string text =
      R"({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "aHVudGVyMg=="},
          "stringData": {"token": "short"}, "spec": {"note": "short"}})";
  const std::size_t size = text.size();
  text.append(kJsonPadding, '\0');
  Value root;
  const auto errors = read_json(std::string_view(text.data(), size), arena,
                                [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(root["data"]["password"].str(), "aHVudGVyMg==");
  EXPECT_FALSE(arena.is_interned(root["data"]["password"].str()));
  EXPECT_FALSE(arena.is_interned(root["stringData"]["token"].str()));
  // Elsewhere the same short text is shared, as every short string is.
  EXPECT_TRUE(arena.is_interned(root["spec"]["note"].str()));
  EXPECT_TRUE(arena.is_interned(root["metadata"]["name"].str()));
}

// The same for YAML: a short value under data or stringData, even a plain scalar or one in a
// list, is no shared string; elsewhere the same text is.
TEST(SourceTest, YamlDataValuesAreOwnCopiesSoAWipeCanZeroThem) {
  Arena arena;
  const std::string text = R"(kind: Secret
metadata: {name: db}
data: {password: aHVudGVyMg==}
stringData:
  token: "short"
  plain: short
  nested: {list: [short]}
spec: {note: short}
)";
  Value root;
  const auto errors = read_yaml("s.yaml", text, arena,
                                [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(root["stringData"]["plain"].str(), "short");
  EXPECT_FALSE(arena.is_interned(root["data"]["password"].str()));
  EXPECT_FALSE(arena.is_interned(root["stringData"]["token"].str()));
  EXPECT_FALSE(arena.is_interned(root["stringData"]["plain"].str()));
  EXPECT_FALSE(arena.is_interned(root["stringData"]["nested"]["list"][0].str()));
  EXPECT_TRUE(arena.is_interned(root["spec"]["note"].str()));
  EXPECT_TRUE(arena.is_interned(root["metadata"]["name"].str()));
}

TEST(SourceTest, ManagedFieldsAreDropped) {
  Inputs in;
  load_buffer(
      "p.json",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","managedFields":[{"manager":"kubectl"}]}})",
      in);
  ASSERT_EQ(in.objects.size(), 1u);
  EXPECT_FALSE(in.objects[0].root["metadata"].contains("managedFields"));
}

TEST(SourceTest, LastAppliedConfigurationIsParsed) {
  Inputs in;
  load_buffer("d.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"web","imagePullPolice":"Always"}]}}}}'
)",
              in);
  ASSERT_EQ(in.objects.size(), 1u);
  const Value& la = in.objects[0].last_applied;
  EXPECT_EQ(la["spec"]["replicas"].as_int(), 3);
  EXPECT_EQ(la["spec"]["template"]["spec"]["containers"][0]["imagePullPolice"].str(), "Always");
}

TEST(SourceTest, VersionJsonFromKubectlAndFromSupportBundles) {
  Inputs a;
  load_buffer(
      "snap/version.json",
      R"({"clientVersion":{"gitVersion":"v1.31.0"},"serverVersion":{"gitVersion":"v1.30.4"}})", a);
  EXPECT_EQ(a.server_version.value_or(""), "v1.30.4");
  Inputs b;
  load_buffer("b/cluster-info/cluster_version.json",
              R"({"info":{"gitVersion":"v1.24.4+k3s1"},"string":"v1.24.4+k3s1"})", b);
  EXPECT_EQ(b.server_version.value_or(""), "v1.24.4+k3s1");
}

TEST(SourceTest, ContainerLogLayouts) {
  Inputs in;
  load_buffer("snap/logs/shop/web-1/web.log", "a\nb\n", in);
  load_buffer("snap/logs/shop/web-1/web.previous.log", "boom\n", in);
  load_buffer("sb/cluster-resources/pods/logs/shop/web-2/web-previous.log", "old\n", in);
  load_buffer("dump/shop/web-3/logs.txt",
              "==== START logs for container init of pod shop/web-3 ====\ni1\n==== END logs for "
              "container init of pod shop/web-3 ====\n"
              "==== START logs for container web of pod shop/web-3 ====\nw1\nw2\n==== END logs for "
              "container web of pod shop/web-3 ====\n",
              in);
  load_buffer("node/pods/shop_web-4_1234-abcd/web/0.log",
              "2026-11-29T10:00:00.000000000Z stdout F hello\n2026-11-29T10:00:01.000000000Z "
              "stderr P part1 \n2026-11-29T10:00:01.000000000Z stderr F part2\n",
              in);
  load_buffer("node/containers/web-5_shop_web-0123456789abcdef.log",
              "2026-11-29T10:00:00Z stdout F x\n", in);
  load_buffer("snap/nodes/n1/kubelet.log", "E1129 kubelet\n", in);
  ASSERT_EQ(in.logs.size(), 7u);
  EXPECT_EQ(in.logs[0].container, "web");
  EXPECT_FALSE(in.logs[0].previous);
  EXPECT_TRUE(in.logs[1].previous);
  EXPECT_TRUE(in.logs[2].previous);
  EXPECT_EQ(in.logs[2].pod, "web-2");
  EXPECT_EQ(in.logs[3].container, "init");
  EXPECT_EQ(in.logs[3].first_line, 2u);
  EXPECT_EQ(in.logs[4].container, "web");
  EXPECT_EQ(in.logs[4].text, "w1\nw2\n");
  EXPECT_EQ(in.logs[4].first_line, 5u);
  EXPECT_EQ(in.logs[5].pod, "web-4");
  EXPECT_EQ(in.logs[5].text, "hello\npart1 part2\n");
  EXPECT_EQ(in.logs[6].ns, "shop");
  EXPECT_EQ(in.logs[6].container, "web");
  ASSERT_EQ(in.node_logs.size(), 1u);
  EXPECT_EQ(in.node_logs[0].node, "n1");
  EXPECT_EQ(in.node_logs[0].component, "kubelet");
}

TEST(SourceTest, ReadsTheTroubleshootSupportBundleWhole) {
  const std::string bundle =
      testing::shared_dir() + "/peers/troubleshoot/testdata/supportbundle/support-bundle.tar.gz";
  Inputs in = load_sources(std::vector<std::string>{bundle});
  for (const InputIssue& i : in.issues) {
    // Only non-object files may be skipped (analysis.json, discovery lists); nothing is an error.
    EXPECT_TRUE(i.skipped_file) << i.where.to_string() << ": " << i.message;
  }
  EXPECT_GT(in.objects.size(), 100u);
  EXPECT_GT(in.logs.size(), 10u);
  EXPECT_EQ(in.server_version.value_or(""), "v1.24.4+k3s1");
  auto cluster = Cluster::build(std::move(in));
  EXPECT_FALSE(cluster->of_kind("Pod").empty());
  EXPECT_FALSE(cluster->of_kind("Node").empty());
  EXPECT_FALSE(cluster->of_kind("Event").empty());
  EXPECT_NE(cluster->log("default", "nginx-deployment-7986654d4-ztx2g", "nginx", true), nullptr);
}

}  // namespace
}  // namespace ktriage
