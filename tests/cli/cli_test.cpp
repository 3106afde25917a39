// The binary as a user runs it: exit codes, formats, scoping, `why` on every workload kind, and the
// planted faults of the bundled examples.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::run_ktriage;

std::string example(const std::string& name) { return testing::source_dir() + "/examples/" + name; }

// Parses the binary's JSON output; fails the test when it is not JSON.
struct Json {
  Arena arena;
  Value root;
  explicit Json(const std::string& text) {
    std::string padded = text + std::string(kJsonPadding, '\0');
    auto errors = read_json(std::string_view(padded.data(), text.size()), arena,
                            [&](const ParsedDocument& d, const Locator&) { root = d.root; });
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
    keep_ = std::move(padded);
  }

 private:
  std::string keep_;
};

std::string key_of(const Value& o) {
  std::string ns(o["namespace"].str());
  return std::string(o["kind"].str()) + "/" + (ns.empty() ? "" : ns + "/") +
         std::string(o["name"].str());
}

// With no path a command reads the live cluster; when that fails, the hint shows the same
// command with a snapshot, not always diagnose.
TEST(CliTest, NoKubeconfigHintNamesTheCommandRun) {
  const std::string kubeconfig = " --kubeconfig /nonexistent/kubeconfig";
  const std::pair<const char*, const char*> cases[] = {
      {"diagnose", "give it: ktriage diagnose DIR"},
      {"netcheck pod/shop/a svc/shop/b", "give it: ktriage netcheck FROM TO DIR"},
      {"can-i get pods --as jane", "give it: ktriage can-i VERB RESOURCE"},
      {"why pod/web -n shop", "give it: ktriage why TYPE/NAME DIR"},
  };
  for (const auto& [args, hint] : cases) {
    const auto r = run_ktriage(std::string(args) + kubeconfig);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(hint), std::string::npos) << args << "\n" << r.err;
    if (std::string_view(args) != "diagnose")
      EXPECT_EQ(r.err.find("ktriage diagnose DIR"), std::string::npos) << args << "\n" << r.err;
  }
}

TEST(CliTest, ExitCodes) {
  EXPECT_EQ(run_ktriage("diagnose '" + example("shop-broken") + "'").exit_code, 1);
  EXPECT_EQ(run_ktriage("diagnose '" + example("healthy") + "'").exit_code, 0);
  EXPECT_EQ(run_ktriage("diagnose /nonexistent/snapshot").exit_code, 2);
  EXPECT_EQ(run_ktriage("diagnose").exit_code, 2);
  EXPECT_EQ(run_ktriage("diagnose '" + example("shop-broken") + "' -o xml").exit_code, 2);
  EXPECT_EQ(run_ktriage("why notaresource '" + example("shop-broken") + "'").exit_code, 2);
  EXPECT_EQ(run_ktriage("--help").exit_code, 0);
}

// collect takes no path: its help has its own examples (with --cloud) and exit codes, not
// diagnose's (--fail-on is no collect flag).
TEST(CliTest, CollectHelpIsAboutCollecting) {
  const auto r = run_ktriage("collect --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("ktriage collect --cloud -o prod.tar.gz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 bundle written"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("when no path is given"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--fail-on"), std::string::npos) << r.out;
}

TEST(CliTest, FailOnThresholdIsHonoured) {
  // The broken shop has critical findings, so even --fail-on critical exits 1.
  EXPECT_EQ(run_ktriage("diagnose '" + example("shop-broken") + "' --fail-on critical").exit_code,
            1);
}

TEST(CliTest, HealthyExampleHasNoWarningOrCritical) {
  auto r = run_ktriage("diagnose '" + example("healthy") + "' -o json");
  Json j(r.out);
  for (const Value& f : j.root["findings"].items()) {
    EXPECT_EQ(f["severity"].str(), "info") << f["id"].str() << ": " << f["summary"].str();
  }
  EXPECT_EQ(j.root["schemaVersion"].as_int(), 1);
}

TEST(CliTest, EveryPlantedFaultIsARootCauseWithEvidenceAndFix) {
  for (const std::string name :
       {"shop-broken", "cluster-info-dump", "node-failure", "storage-failure", "addon-failure",
        "rbac-forbidden", "network-policy", "cloud-failure"}) {
    const std::string faults_file = example(name) + "/FAULTS.yaml";
    if (!std::filesystem::exists(faults_file)) {
      ADD_FAILURE() << faults_file << " is missing";
      continue;
    }
    std::string faults_text = testing::read_file(faults_file);
    Arena arena;
    Value faults;
    auto errs = read_yaml("FAULTS.yaml", faults_text, arena,
                          [&](const ParsedDocument& d, const Locator&) { faults = d.root; });
    ASSERT_TRUE(errs.empty());
    const Value& list = faults.is_array() ? faults : faults["faults"];
    ASSERT_GT(list.size(), 0u) << name;
    auto r = run_ktriage("diagnose '" + example(name) + "' -o json");
    Json j(r.out);
    for (const Value& fault : list.items()) {
      std::string_view catalog = fault["catalog"].str();
      std::string_view object = fault["object"].str();
      const bool must_be_root = fault["root"].as_bool();
      bool found = false;
      for (const Value& f : j.root["findings"].items()) {
        if (f["catalog"].str() != catalog) continue;
        bool on_object = key_of(f["object"]) == object;
        for (const Value& o : f["alsoAffects"].items())
          on_object = on_object || key_of(o) == object;
        if (!on_object || (must_be_root && f["causedBy"].size() > 0)) continue;
        EXPECT_GT(f["evidence"].size(), 0u) << catalog << " on " << object;
        EXPECT_FALSE(f["fix"].str().empty()) << catalog << " on " << object;
        found = true;
      }
      EXPECT_TRUE(found) << name << ": planted fault " << catalog << " on " << object
                         << (must_be_root ? " is not a root cause" : " is not reported");
    }
  }
}

// netcheck's spelling TYPE/NS/NAME works for why too; a namespace that contradicts -n is an error.
TEST(CliTest, WhyTakesTypeNamespaceName) {
  const std::string snap = " '" + example("cloud-failure") + "'";
  const auto r = run_ktriage("why pod/shop/frontend-6d8f9c7b5-k2x9p" + snap);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("security group"), std::string::npos) << r.out;
  const auto clash = run_ktriage("why svc/shop/cart -n kube-system" + snap);
  EXPECT_EQ(clash.exit_code, 2);
  EXPECT_NE(clash.err.find("names namespace shop but -n says kube-system"), std::string::npos)
      << clash.err;
}

// why on a symptom shows that finding in full (its own evidence), then how it is caused, up to
// the root, whose block follows. The snapshot may come first, as with diagnose.
TEST(CliTest, WhyOnASymptomShowsItsEvidenceAndChainInEitherArgumentOrder) {
  const std::string snap = "'" + example("shop-broken") + "'";
  const auto r = run_ktriage("why svc/checkout -n shop " + snap);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::size_t own = r.out.find("Service checkout has no ready endpoints");
  const std::size_t chain = r.out.find(
      "  because:  Container checkout exits (exit code 1): it cannot connect to 10.96.12.7:5432");
  const std::size_t root_note = r.out.find("14 restarts  (root cause, below)\n");
  const std::size_t evidence = r.out.find("endpoints/checkout .subsets: 0 ready, 2 not ready");
  const std::size_t root = r.out.find("\n✗ CRITICAL  Container postgres was OOMKilled");
  ASSERT_NE(own, std::string::npos) << r.out;
  EXPECT_LT(own, chain) << r.out;
  EXPECT_LT(chain, root_note) << r.out;
  EXPECT_LT(root_note, evidence) << r.out;
  EXPECT_LT(evidence, root) << r.out;
  EXPECT_NE(root, std::string::npos) << r.out;
  const auto swapped = run_ktriage("why " + snap + " svc/checkout -n shop");
  EXPECT_EQ(swapped.exit_code, 1) << swapped.err;
  EXPECT_EQ(swapped.out, r.out);
  // A first argument that is no input stays the resource, with its own error.
  const auto neither = run_ktriage("why nosuchdir svc/checkout");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("\"nosuchdir\" is not TYPE/NAME"), std::string::npos) << neither.err;
  // diagnose shows the same symptom only as a line under its root.
  const auto all = run_ktriage("diagnose " + snap);
  EXPECT_EQ(all.out.find("because:"), std::string::npos);
}

// With the object named last, the paths keep their order: the first copy of an object read
// wins, so a healthy copy of orders-db-0 given second changes nothing, and given first wins.
TEST(CliTest, WhyWithTheObjectLastKeepsThePathsOrder) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("ktriage-why-order-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/pod.yaml")
      << "apiVersion: v1\nkind: Pod\nmetadata: {name: orders-db-0, namespace: shop}\n"
         "spec: {containers: [{name: postgres, image: postgres}]}\n"
         "status: {phase: Running, conditions: [{type: Ready, status: \"True\"}]}\n";
  const std::string snap = "'" + example("shop-broken") + "'";
  const auto broken_first = run_ktriage("why " + snap + " '" + dir + "' pod/shop/orders-db-0");
  EXPECT_NE(broken_first.out.find("OOMKilled"), std::string::npos) << broken_first.out;
  EXPECT_EQ(broken_first.out,
            run_ktriage("why pod/shop/orders-db-0 " + snap + " '" + dir + "'").out);
  const auto healthy_first = run_ktriage("why '" + dir + "' " + snap + " pod/shop/orders-db-0");
  EXPECT_EQ(healthy_first.out.find("OOMKilled"), std::string::npos) << healthy_first.out;
  std::filesystem::remove_all(dir);
}

// why's errors say what to do: close names for a name not found (a pod name without its
// generated suffix), the missing TYPE/NAME when only a path is given; -l and --kind, which
// would hide the object, are ignored with a note.
TEST(CliTest, WhyErrorsSuggestTheNextStep) {
  const std::string snap = " '" + example("shop-broken") + "'";
  const auto prefix = run_ktriage("why pod/web-7d9c -n shop" + snap);
  EXPECT_EQ(prefix.exit_code, 2);
  EXPECT_NE(prefix.err.find("not found in namespace shop in the input; did you mean "
                            "pod/web-7d9c5b8f6d-m8zvd, pod/web-7d9c5b8f6d-q4lts, "
                            "pod/web-7d9c5b8f6d-x2bqk?"),
            std::string::npos)
      << prefix.err;
  // In another namespace than -n says: found there, with its -n.
  const auto elsewhere = run_ktriage("why pod/web-7d9c5b8f6d-x2bqk -n default" + snap);
  EXPECT_NE(elsewhere.err.find("did you mean pod/web-7d9c5b8f6d-x2bqk -n shop?"), std::string::npos)
      << elsewhere.err;
  const auto far = run_ktriage("why pod/zzzz -n shop" + snap);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  const auto only_path = run_ktriage("why" + snap);
  EXPECT_EQ(only_path.exit_code, 2);
  EXPECT_NE(only_path.err.find("name the object to explain as TYPE/NAME"), std::string::npos)
      << only_path.err;
  const auto filtered =
      run_ktriage("why pod/orders-db-0 -n shop -l app=cart --kind Service" + snap);
  EXPECT_EQ(filtered.exit_code, 1);
  EXPECT_NE(filtered.out.find("OOMKilled"), std::string::npos) << filtered.out;
  EXPECT_NE(filtered.err.find("-l and --kind choose among objects"), std::string::npos)
      << filtered.err;
}

// Any kind a finding can be about is a TYPE for why (kubectl's names and short names); a type
// it does not know is named as such, not as a malformed argument.
TEST(CliTest, WhyKnowsMoreKindsAndNamesAnUnknownType) {
  const std::string snap = " '" + example("shop-broken") + "'";
  const auto cm = run_ktriage("why cm/no-such-config -n shop" + snap);
  EXPECT_EQ(cm.exit_code, 2);
  EXPECT_NE(cm.err.find("ConfigMap \"no-such-config\" not found in namespace shop"),
            std::string::npos)
      << cm.err;
  // Cluster-scoped: -n does not apply, which is said, and the message does not claim a
  // namespace; a namespace in the name is refused.
  const auto sc = run_ktriage("why storageclass/fast -n shop" + snap);
  EXPECT_NE(sc.err.find("StorageClass \"fast\" not found in the input"), std::string::npos)
      << sc.err;
  EXPECT_NE(sc.err.find("note: StorageClass is cluster-scoped; -n shop is ignored"),
            std::string::npos)
      << sc.err;
  const auto pv = run_ktriage("why pv/shop/x" + snap);
  EXPECT_EQ(pv.exit_code, 2);
  EXPECT_NE(pv.err.find("PersistentVolume is cluster-scoped: name it pv/NAME"), std::string::npos)
      << pv.err;
  const auto node = run_ktriage("why node/cn-hangzhou.10.0.1.12 -n shop" + snap);
  EXPECT_NE(node.err.find("note: Node is cluster-scoped"), std::string::npos) << node.err;
  EXPECT_EQ(node.err.find("has no objects in namespace"), std::string::npos) << node.err;
  const auto odd = run_ktriage("why frobnicator/x" + snap);
  EXPECT_EQ(odd.exit_code, 2);
  EXPECT_NE(odd.err.find("\"frobnicator\" is no resource type ktriage knows"), std::string::npos)
      << odd.err;
  EXPECT_EQ(odd.err.find("TYPE/NAME"), std::string::npos) << odd.err;
}

// A replica folded into its sibling's finding: why says whose evidence it shows; the sibling
// itself gets no such note.
TEST(CliTest, WhyOnAFoldedReplicaSaysWhoseEvidenceItShows) {
  const std::string snap = " -n shop '" + example("node-failure") + "'";
  const auto folded = run_ktriage("why pod/catalog-5d8f7c9b6d-9tq2m" + snap);
  EXPECT_EQ(folded.exit_code, 1) << folded.err;
  EXPECT_NE(folded.out.find("note: pod/catalog-5d8f7c9b6d-9tq2m has the same fault as "
                            "pod/catalog-5d8f7c9b6d-4kx7p, so they share one finding: its "
                            "evidence is catalog-5d8f7c9b6d-4kx7p's"),
            std::string::npos)
      << folded.out;
  const auto first = run_ktriage("why pod/catalog-5d8f7c9b6d-4kx7p" + snap);
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_EQ(first.out.find("same fault as"), std::string::npos) << first.out;
}

TEST(CliTest, WhyWorksOnEachWorkloadKind) {
  auto all = run_ktriage("diagnose '" + example("shop-broken") + "' -o json");
  Json j(all.out);
  std::set<std::string> kinds_seen;
  for (const Value& f : j.root["findings"].items()) {
    const Value& o = f["object"];
    std::string kind(o["kind"].str());
    static const std::map<std::string, std::string> kAlias = {
        {"Pod", "pod"}, {"Deployment", "deploy"}, {"StatefulSet", "sts"}, {"DaemonSet", "ds"},
        {"Job", "job"}, {"CronJob", "cronjob"},   {"Service", "svc"},     {"ReplicaSet", "rs"}};
    auto alias = kAlias.find(kind);
    if (alias == kAlias.end() || !kinds_seen.insert(kind).second) continue;
    auto r = run_ktriage("why " + alias->second + "/" + std::string(o["name"].str()) + " -n " +
                         std::string(o["namespace"].str()) + " '" + example("shop-broken") +
                         "' -o json");
    EXPECT_EQ(r.exit_code, 1) << kind << " " << r.err;
    Json w(r.out);
    EXPECT_GT(w.root["findings"].size(), 0u) << kind;
  }
  EXPECT_GE(kinds_seen.size(), 4u) << "the broken example should exercise several workload kinds";
}

// -l that matches no object is a typo like a wrong -n: an error naming the keys or values there
// are, not "No problems found"; a selector that matches is named in the report's scope.
TEST(CliTest, ASelectorThatMatchesNothingIsAnErrorAndAMatchingOneIsInTheScope) {
  const std::string snap = " '" + example("shop-broken") + "'";
  auto key = run_ktriage("diagnose -l ap=web" + snap);
  EXPECT_EQ(key.exit_code, 2);
  EXPECT_EQ(key.out, "");
  EXPECT_NE(key.err.find("error: no object in the input has labels matching ap=web; did you mean "
                         "app?"),
            std::string::npos)
      << key.err;
  auto value = run_ktriage("diagnose -l app=wbe -o json" + snap);
  EXPECT_EQ(value.exit_code, 2);
  EXPECT_NE(value.err.find("matching app=wbe; did you mean app=web?"), std::string::npos)
      << value.err;
  // The hint is about the term nothing satisfies, not the first one.
  auto second = run_ktriage("diagnose -l '!nope,app=wbe'" + snap);
  EXPECT_NE(second.err.find("; did you mean app=web?"), std::string::npos) << second.err;
  auto both = run_ktriage("diagnose -l app=web,app=catalog" + snap);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("(each term matches some object, but no object matches them all)"),
            std::string::npos)
      << both.err;
  // A path that does not exist is the likelier reason: its error, not a selector hint.
  auto missing = run_ktriage("diagnose -l app=web" + snap + " /nonexistent/snapshot");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("\"/nonexistent/snapshot\" does not exist"), std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.err.find("matching"), std::string::npos) << missing.err;
  auto web = run_ktriage("diagnose -l app=web -o json" + snap);
  EXPECT_EQ(web.exit_code, 1) << web.err;
  EXPECT_EQ(Json(web.out).root["input"]["scope"].str(), "all namespaces, labels app=web");
  // Matching objects without findings: a clean report, in scope, exit 0.
  auto healthy = run_ktriage("diagnose -l app=billing-api -n billing --kind Service '" +
                             example("healthy") + "' -o json");
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_EQ(Json(healthy.out).root["input"]["scope"].str(),
            "namespace billing, kind Service, labels app=billing-api");
}

TEST(CliTest, KindTakesKubectlNamesAndUnknownScopesAreNoted) {
  auto by_alias = run_ktriage("diagnose '" + example("shop-broken") + "' --kind svc -o json");
  auto by_kind = run_ktriage("diagnose '" + example("shop-broken") + "' --kind Service -o json");
  EXPECT_EQ(by_alias.out, by_kind.out);
  EXPECT_GT(Json(by_alias.out).root["findings"].size(), 0u);
  // A typo in -n or --kind is an error (exit 2, no "No problems found" on stdout), naming what
  // the input has instead: it must not pass a CI gate.
  auto bogus = run_ktriage("diagnose '" + example("shop-broken") + "' --kind bogus");
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_EQ(bogus.out, "");
  EXPECT_NE(bogus.err.find("error: the input has no objects of kind bogus; it has "),
            std::string::npos)
      << bogus.err;
  auto typo = run_ktriage("diagnose '" + example("shop-broken") + "' --kind Deploymnt");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("no objects of kind Deploymnt; did you mean Deployment?"),
            std::string::npos)
      << typo.err;
  auto nosuch = run_ktriage("diagnose '" + example("shop-broken") + "' -n nosuch");
  EXPECT_EQ(nosuch.exit_code, 2);
  EXPECT_EQ(nosuch.out, "");
  EXPECT_NE(nosuch.err.find("no objects in namespace nosuch; it has 3 namespaces: default, "
                            "kube-system, shop"),
            std::string::npos)
      << nosuch.err;
  auto shp = run_ktriage("diagnose '" + example("shop-broken") + "' -n shp -o json");
  EXPECT_EQ(shp.exit_code, 2);
  EXPECT_NE(shp.err.find("namespace shp; did you mean shop?"), std::string::npos) << shp.err;
  // A kind ktriage knows that the input has none of is no typo: nothing of it is wrong.
  auto pdb = run_ktriage("diagnose '" + example("healthy") + "' --kind PodDisruptionBudget");
  EXPECT_EQ(pdb.exit_code, 0) << pdb.err;
  EXPECT_NE(pdb.err.find("note: the input has no objects of kind PodDisruptionBudget"),
            std::string::npos)
      << pdb.err;
  auto shop = run_ktriage("diagnose '" + example("shop-broken") + "' -n shop");
  EXPECT_EQ(shop.err.find("note:"), std::string::npos) << shop.err;
  EXPECT_EQ(shop.err.find("error:"), std::string::npos) << shop.err;
  // Any letter case, as the filter matches; a kind only findings have (a cloud SecurityGroup);
  // a Kubernetes kind the input has none of.
  auto lower = run_ktriage("diagnose '" + example("rbac-forbidden") + "' --kind rolebinding");
  EXPECT_NE(lower.exit_code, 2) << lower.err;
  EXPECT_EQ(lower.err.find("error:"), std::string::npos) << lower.err;
  auto cloud = run_ktriage("diagnose '" + example("cloud-failure") + "' --kind SecurityGroup");
  EXPECT_EQ(cloud.exit_code, 1) << cloud.err;
  auto limits = run_ktriage("diagnose '" + example("healthy") + "' --kind LimitRange");
  EXPECT_EQ(limits.exit_code, 0) << limits.err;
}

TEST(CliTest, WhyOnAReplicaSetShowsItsPodsCause) {
  auto r = run_ktriage("why rs/web-7d9c5b8f6d -n shop '" + example("shop-broken") + "' -o json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  Json j(r.out);
  bool configmap = false;
  for (const Value& f : j.root["findings"].items())
    configmap = configmap || f["catalog"].str() == "POD-WAITING-CONFIG-CONFIGMAP-MISSING";
  EXPECT_TRUE(configmap) << r.out;
}

// A ConfigMap nothing is wrong with itself, read by a Pod's finding (the key it lacks): why
// shows that finding and says so; one no finding reads is still "No problems found".
TEST(CliTest, WhyOnAnObjectOnlyQuotedAsEvidenceShowsTheFindingsThatQuoteIt) {
  const std::string snap = " '" + example("shop-broken") + "'";
  const auto r = run_ktriage("why cm/web-config -n shop" + snap + " -o json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  Json j(r.out);
  ASSERT_GT(j.root["findings"].size(), 0u) << r.out;
  for (const Value& f : j.root["findings"].items())
    EXPECT_EQ(f["catalog"].str(), "POD-WAITING-CONFIG-CONFIGMAP-MISSING") << r.out;
  const auto text = run_ktriage("why cm/web-config -n shop" + snap);
  EXPECT_EQ(text.out.rfind("1 problem in what reads ConfigMap/web-config in namespace shop", 0), 0u)
      << text.out;
  EXPECT_NE(text.out.find("note: no finding is about configmap/web-config itself"),
            std::string::npos)
      << text.out;
  // A healthy Pod that a Service's finding lists as a near miss is not "read" by it.
  const auto near = run_ktriage("why pod/cart-5f7b9c6d48-9tqkz -n shop" + snap);
  EXPECT_EQ(near.exit_code, 0) << near.out;
  EXPECT_EQ(near.out.rfind("No problems found in Pod/cart-5f7b9c6d48-9tqkz", 0), 0u) << near.out;
  // A pull Secret the registry refuses, and a node whose taint turns a pod away.
  const auto secret = run_ktriage("why secret/acr-acme-shop -n shop" + snap + " -o json");
  EXPECT_EQ(secret.exit_code, 1) << secret.err;
  bool refused = false;
  const Json secret_json(secret.out);  // named: items() points into it
  for (const Value& f : secret_json.root["findings"].items())
    refused = refused || f["catalog"].str() == "POD-WAITING-IMAGE-PULL-UNAUTHORIZED";
  EXPECT_TRUE(refused) << secret.out;
  const auto node = run_ktriage("why node/cn-hangzhou.10.0.1.14" + snap + " -o json");
  EXPECT_EQ(node.exit_code, 1) << node.err;
  bool tainted = false;
  const Json node_json(node.out);
  for (const Value& f : node_json.root["findings"].items())
    tainted = tainted || f["catalog"].str() == "POD-PENDING-UNTOLERATED-TAINT";
  EXPECT_TRUE(tainted) << node.out;
  const auto quiet = run_ktriage("why cm/static-assets -n shop" + snap);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(quiet.out.rfind("No problems found in ConfigMap/static-assets", 0), 0u) << quiet.out;
}

TEST(CliTest, NamespaceScopeAndColour) {
  auto r = run_ktriage("diagnose '" + example("shop-broken") + "' -n kube-system -o json");
  Json j(r.out);
  for (const Value& f : j.root["findings"].items()) {
    EXPECT_TRUE(f["object"]["namespace"].str() == "kube-system" ||
                f["object"]["namespace"].str().empty())
        << f["id"].str();
  }
  auto text = run_ktriage("diagnose '" + example("shop-broken") + "'");
  EXPECT_EQ(text.out.find("\033["), std::string::npos) << "colour must be off when piped";
  auto forced = run_ktriage("diagnose '" + example("shop-broken") + "' --color always");
  EXPECT_NE(forced.out.find("\033["), std::string::npos);
}

TEST(CliTest, SkippedFilesAreListed) {
  auto r = run_ktriage("diagnose '" + example("shop-broken") + "'");
  EXPECT_NE(r.out.find("Skipped"), std::string::npos);
  EXPECT_NE(r.out.find("notes.txt"), std::string::npos);
}

TEST(CliTest, SecretValuesNeverReachAReport) {
  // Plant a secret value in a Secret, then look for it in both formats.
  const std::string dir =
      std::filesystem::temp_directory_path() / ("ktriage-secret-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/s.yaml")
        << "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\n"
           "data: {password: c3VwZXJzZWNyZXQtdmFsdWU=}\nstringData: {token: plain-token-4711}\n";
  }
  for (const char* format : {"text", "json", "yaml"}) {
    auto r = run_ktriage("diagnose '" + dir + "' -o " + format);
    EXPECT_EQ(r.out.find("c3VwZXJzZWNyZXQtdmFsdWU="), std::string::npos) << format;
    EXPECT_EQ(r.out.find("plain-token-4711"), std::string::npos) << format;
  }
  std::filesystem::remove_all(dir);
}

// lint on one file that does not parse: the syntax error is a critical finding, so exit 1 (as
// the README says), and the text names where it is. Without any file it is still a usage error.
TEST(CliTest, LintOfASingleUnparseableFileExitsOneAndSaysWhere) {
  const std::string file = std::filesystem::temp_directory_path() /
                           ("ktriage-lint-" + std::to_string(::getpid()) + ".yaml");
  { std::ofstream(file) << "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  a: [1, 2\n"; }
  const auto r = run_ktriage("lint '" + file + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("lint-syntax-error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(" + file + ":"), std::string::npos) << r.out;
  std::filesystem::remove(file);
  EXPECT_EQ(run_ktriage("lint '" + file + "'").exit_code, 2);
}

// Nothing readable: exit 2, the report on stdout names the file, line and column, and the
// message on stderr points there (not "above": stdout may be redirected).
TEST(CliTest, NothingReadableSaysWhereTheReasonIs) {
  const std::string file = std::filesystem::temp_directory_path() /
                           ("ktriage-unreadable-" + std::to_string(::getpid()) + ".json");
  { std::ofstream(file) << "{\"a\": [1,\n"; }
  const auto r = run_ktriage("diagnose '" + file + "'");
  std::filesystem::remove(file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(file + ":2:1: unexpected end of JSON"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("nothing could be read from the input (the report on standard output "
                       "lists why)"),
            std::string::npos)
      << r.err;
}

// An object that is not in the input, where part of the input could not be read: why says it
// may be in that part; with a clean input it says nothing more.
TEST(CliTest, WhyNotFoundMentionsWhatCouldNotBeRead) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("ktriage-why-lost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/a.yaml") << "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: "
                                      "shop}\nspec:\n  containers: [{name: c, image: c}]\n";
    std::ofstream(dir + "/b.yaml") << "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: "
                                      "shop\nspec: {}\n";
  }
  const auto lost = run_ktriage("why pod/b -n shop '" + dir + "'");
  EXPECT_EQ(lost.exit_code, 2);
  EXPECT_NE(lost.err.find("Pod \"b\" not found in namespace shop in the input (it may be in what "
                          "could not be read: 1 input problem"),
            std::string::npos)
      << lost.err;
  std::filesystem::remove(dir + "/b.yaml");
  const auto clean = run_ktriage("why pod/b -n shop '" + dir + "'");
  EXPECT_EQ(clean.exit_code, 2);
  EXPECT_EQ(clean.err.find("could not be read"), std::string::npos) << clean.err;
  std::filesystem::remove_all(dir);
}

TEST(CliTest, StdinIsRead) {
  auto r = run_ktriage("diagnose - -o json < '" + example("shop-broken") + "/pods.yaml'");
  Json j(r.out);
  EXPECT_GT(j.root["input"]["objects"].as_int(), 0);
}

// `kubectl get pods -o json | ktriage diagnose -` with one item damaged: standard input is read
// as a file is, item by item once the whole document fails, so the other pods are kept.
TEST(CliTest, StdinListWithOneBrokenItemKeepsTheOthers) {
  const std::string file = std::filesystem::temp_directory_path() /
                           ("ktriage-stdin-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(file);
    out << "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
    for (int i = 0; i < 3; ++i) {
      out << "        {\n            \"kind\": \"Pod\",\n            \"metadata\": {\n"
          << "                \"name\": \"p" << i << "\",\n"
          << "                \"namespace\": \"default\"\n            },\n"
          << "            \"spec\": {\"nodeName\": " << (i == 1 ? "nul" : "\"n\"") << "}\n"
          << (i < 2 ? "        },\n" : "        }\n");
    }
    out << "    ],\n    \"kind\": \"List\"\n}\n";
  }
  auto r = run_ktriage("diagnose - -o json < '" + file + "'");
  std::filesystem::remove(file);
  Json j(r.out);
  EXPECT_EQ(j.root["input"]["objects"].as_int(), 2) << r.out;
  ASSERT_EQ(j.root["input"]["issues"].size(), 1u) << r.out;
  EXPECT_EQ(j.root["input"]["issues"][0]["file"].str(), "<stdin>");
  EXPECT_EQ(j.root["input"]["issues"][0]["line"].as_int(), 4 + 8 + 6);  // p1's spec line
}

// `cat bundle.tar.gz | ktriage diagnose -` reads the archive as the file path would.
TEST(CliTest, AnArchiveOnStandardInputIsReadAsAnArchive) {
  const std::string bundle = std::filesystem::temp_directory_path() /
                             ("ktriage-bundle-" + std::to_string(::getpid()) + ".tgz");
  ASSERT_EQ(std::system(("tar czf '" + bundle + "' -C '" + example("") + "' shop-broken").c_str()),
            0);
  const auto file = run_ktriage("diagnose '" + bundle + "' -o json");
  const auto piped = run_ktriage("diagnose - -o json < '" + bundle + "'");
  std::filesystem::remove(bundle);
  Json a(file.out), b(piped.out);
  EXPECT_GT(a.root["input"]["objects"].as_int(), 100);
  EXPECT_EQ(b.root["input"]["objects"].as_int(), a.root["input"]["objects"].as_int());
  EXPECT_EQ(b.root["summary"]["findings"].as_int(), a.root["summary"]["findings"].as_int());
  EXPECT_EQ(piped.exit_code, file.exit_code);
  EXPECT_NE(piped.out.find("<stdin>:shop-broken/"), std::string::npos);
}

// A mistyped path must not read as a clean bill of health: exit 2, named on stderr, and the
// report of what could be read is still printed.
TEST(CliTest, AMissingPathIsAnInputError) {
  auto r = run_ktriage("diagnose '" + example("healthy") + "' /nonexistent/typo -o json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"/nonexistent/typo\" does not exist"), std::string::npos) << r.err;
  Json j(r.out);
  EXPECT_GT(j.root["input"]["objects"].as_int(), 0);
  // A whole-path problem has no line: 0 in JSON (schema version 1 writes numbers there).
  bool named = false;
  for (std::size_t i = 0; i < j.root["input"]["issues"].size(); ++i) {
    const auto& issue = j.root["input"]["issues"][i];
    if (issue["file"].str() != "/nonexistent/typo") continue;
    named = true;
    EXPECT_EQ(issue["line"].as_int(-1), 0);
    EXPECT_EQ(issue["column"].as_int(-1), 0);
  }
  EXPECT_TRUE(named) << r.out;
  // Every path there: the exit code is the findings' again.
  EXPECT_EQ(run_ktriage("diagnose '" + example("healthy") + "'").exit_code, 0);
  EXPECT_EQ(run_ktriage("lint /nonexistent/typo.yaml").exit_code, 2);
}

// Enough files for the loader to use threads: the bytes must not depend on how many.
TEST(CliTest, OutputDoesNotDependOnThreads) {
  for (const std::string command : {"lint", "diagnose"}) {
    for (const std::string name : {"shop-broken", "cluster-info-dump"}) {
      const std::string args = command + " '" + example(name) + "' -o json --threads ";
      const auto one = run_ktriage(args + "1");
      const auto four = run_ktriage(args + "4");
      EXPECT_EQ(one.exit_code, four.exit_code) << command << " " << name;
      EXPECT_FALSE(one.out.empty()) << command << " " << name;
      EXPECT_TRUE(one.out == four.out) << command << " " << name << " differs with 4 threads";
    }
  }
}

}  // namespace
}  // namespace ktriage

namespace ktriage {
namespace {

// An unknown command is named, with the nearest one; `help` is --help; each command's help
// ends with its own examples and exit codes, not diagnose's (logs has no --fail-on).
TEST(CliTest, UnknownCommandsAndEachCommandsOwnHelp) {
  const auto typo = testing::run_ktriage("diagnos snapshot/");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command \"diagnos\" (did you mean diagnose?); the commands "
                          "are can-i, collect, diagnose,"),
            std::string::npos)
      << typo.err;
  const auto help = testing::run_ktriage("help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Usage: ktriage [OPTIONS] SUBCOMMAND"), std::string::npos) << help.out;
  const auto logs = testing::run_ktriage("logs --help");
  EXPECT_EQ(logs.out.find("--fail-on"), std::string::npos) << logs.out;
  EXPECT_NE(logs.out.find("Exit codes: 0 nothing at or above warning"), std::string::npos);
  const auto upgrade = testing::run_ktriage("upgrade-check --help");
  EXPECT_NE(upgrade.out.find("Exit codes: 0 GO"), std::string::npos) << upgrade.out;
  EXPECT_EQ(upgrade.out.find("ktriage diagnose snapshot/"), std::string::npos) << upgrade.out;
  const auto diagnose = testing::run_ktriage("diagnose --help");
  EXPECT_NE(diagnose.out.find("key in (a,b), key notin (a,b)"), std::string::npos);
  EXPECT_EQ(diagnose.out.find("ktriage lint k8s/"), std::string::npos) << diagnose.out;
}

// A --now months after the snapshot turns current faults into history: the report says so.
TEST(CliTest, NowFarFromTheDataIsNoted) {
  const std::string snap = " '" + example("shop-broken") + "'";
  const auto later = run_ktriage("diagnose --now 2027-03-01T00:00:00Z" + snap);
  EXPECT_NE(later.out.find("note: --now is 91d after the newest time in the input "
                           "(2026-11-29T10:41:55Z)"),
            std::string::npos)
      << later.out.substr(0, 400);
  const auto earlier = run_ktriage("diagnose --now 2026-10-01T00:00:00Z -o json" + snap);
  EXPECT_NE(earlier.out.find("before the newest time in the input"), std::string::npos);
  const auto close = run_ktriage("diagnose --now 2026-11-29T11:00:00Z" + snap);
  EXPECT_EQ(close.out.find("--now is"), std::string::npos);
}

// `rules -o json` lists every rule a report can carry, one per text line, with its area; the
// analyzers' keep their "analyzer" key; correlation rules have no severity of their own (null;
// "(derived)" in the table); upgrade-check's are there, and in its SARIF.
TEST(CliTest, RulesAsJsonListEveryRule) {
  const auto text = run_ktriage("rules");
  const auto json = run_ktriage("rules -o json");
  ASSERT_EQ(json.exit_code, 0);
  const std::size_t lines =
      static_cast<std::size_t>(std::count(text.out.begin(), text.out.end(), '\n'));
  Json j(json.out);
  EXPECT_EQ(j.root.size(), lines);
  EXPECT_EQ(run_ktriage("rules --json").out, json.out);
  std::set<std::string> areas;
  bool skips_minor = false;
  for (const Value& r : j.root.items()) {
    areas.insert(std::string(r["area"].str()));
    if (r["area"].str() != "correlation" && !r["area"].str().starts_with("lint: ") &&
        r["area"].str() != "upgrade-check") {
      EXPECT_EQ(r["analyzer"].str(), r["area"].str()) << r["id"].str();
    }
    if (r["area"].str() == "correlation") {
      EXPECT_TRUE(r["severity"].is_null()) << r["id"].str();
      const std::string row = std::string(r["id"].str()) + " ";
      const std::size_t at = text.out.find(row);
      ASSERT_NE(at, std::string::npos) << r["id"].str();
      EXPECT_NE(text.out.substr(at, text.out.find('\n', at) - at).find(" (derived) "),
                std::string::npos)
          << r["id"].str();
    } else {
      EXPECT_TRUE(r["severity"].is_string() && !r["severity"].str().empty()) << r["id"].str();
    }
    skips_minor = skips_minor || r["id"].str() == "upgrade-skips-minor";
  }
  EXPECT_TRUE(skips_minor);
  EXPECT_TRUE(areas.count("upgrade-check") && areas.count("correlation") && areas.count("images"));
  const auto sarif =
      run_ktriage("upgrade-check --to 1.33 '" + example("shop-broken") + "' -o sarif");
  EXPECT_NE(sarif.out.find("The target skips minor releases"), std::string::npos);
}

TEST(CliTest, RulesDocIsGeneratedFromTheRecords) {
  auto r = testing::run_ktriage("rules --markdown");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, testing::read_file(testing::source_dir() + "/docs/rules.md"))
      << "docs/rules.md is stale: build/ktriage rules --markdown > docs/rules.md";
}

}  // namespace
}  // namespace ktriage
