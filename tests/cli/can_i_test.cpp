// `ktriage can-i` as a user runs it: yes, no, --who, JSON, and bad input, with its exit codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "apiserver/test_apiserver.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::run_ktriage;

std::string policy() { return "'" + testing::source_dir() + "/tests/rbac/fixtures/policy.yaml'"; }

TEST(CanITest, YesNamesTheBindingRoleAndRule) {
  const auto r = run_ktriage("can-i list pods -n shop --sa shop/web " + policy());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "yes\n  ServiceAccount shop/web may list pods in namespace shop\n"
            "  through RoleBinding shop/web-pods -> ClusterRole pod-reader, rule 0 "
            "(get,list,watch pods)\n");
}

// A ServiceAccount or namespace the snapshot does not hold is said (RBAC answers for any name);
// ones it holds, and an RBAC-only file that holds neither kind, get no such note.
TEST(CanITest, ASubjectOrNamespaceNotInTheSnapshotIsNoted) {
  const std::string snap = " '" + testing::source_dir() + "/examples/rbac-forbidden'";
  const auto sa = run_ktriage("can-i list nodes --sa monitoring/nosuch" + snap);
  EXPECT_NE(sa.out.find("note: ServiceAccount monitoring/nosuch is not in the snapshot"),
            std::string::npos)
      << sa.out;
  const auto ns = run_ktriage("can-i list pods -n nosuchns --sa shop/web" + snap);
  EXPECT_NE(ns.out.find("note: namespace nosuchns is not in the snapshot"), std::string::npos)
      << ns.out;
  const auto real = run_ktriage("can-i list nodes --sa monitoring/metrics-agent" + snap);
  EXPECT_EQ(real.out.find("not in the snapshot"), std::string::npos) << real.out;
  const auto rbac_only = run_ktriage("can-i list pods -n elsewhere --sa shop/nosuch " + policy());
  EXPECT_EQ(rbac_only.out.find("not in the snapshot"), std::string::npos) << rbac_only.out;
}

// The colour flags every command takes are accepted: the answer is the same.
TEST(CanITest, ColourFlagsAreAccepted) {
  const auto plain = run_ktriage("can-i list pods -n shop --sa shop/web " + policy());
  for (const char* flag : {"--no-color", "--color never", "--color=always"}) {
    const auto r =
        run_ktriage(std::string("can-i list pods -n shop --sa shop/web ") + flag + " " + policy());
    EXPECT_EQ(r.exit_code, 0) << flag << ": " << r.err;
    EXPECT_EQ(r.out, plain.out) << flag;
  }
}

TEST(CanITest, NoSaysWhatIsClosestAndHowToGrantIt) {
  const auto r = run_ktriage("can-i list deploy -n shop --as jane " + policy());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(
      r.out.starts_with("no\n  User jane may not list deployments.apps in namespace shop\n"))
      << r.out;
  EXPECT_NE(r.out.find("closest: RoleBinding shop/jane-deploys -> Role shop/deploy-getter, rule 0"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("- verb list (the rule has get)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RBAC: clusterrole.rbac.authorization.k8s.io \"ghost\" not found"),
            std::string::npos);
  EXPECT_NE(r.out.find("    kind: RoleBinding\n"), std::string::npos) << r.out;
}

TEST(CanITest, SubresourceFlagNonResourceUrlAndClusterScope) {
  EXPECT_EQ(run_ktriage("can-i get pods web-0 --subresource log -n other --sa shop/web " + policy())
                .exit_code,
            0);
  EXPECT_EQ(run_ktriage("can-i get /healthz --sa monitoring/agent " + policy()).exit_code, 0);
  // system:anonymous is in system:unauthenticated, which anonymous-info binds.
  const auto anon = run_ktriage("can-i get /livez --as system:anonymous " + policy());
  EXPECT_EQ(anon.exit_code, 0) << anon.out;
  EXPECT_NE(anon.out.find("ClusterRoleBinding anonymous-info"), std::string::npos) << anon.out;
  // nodes are cluster-scoped: -n does not make a RoleBinding count.
  EXPECT_EQ(run_ktriage("can-i list nodes -n shop --sa shop/web " + policy()).exit_code, 1);
  EXPECT_EQ(run_ktriage("can-i delete nodes --as carol --as-group admins " + policy()).exit_code,
            0);
}

TEST(CanITest, WhoListsSubjectsWithTheirBindings) {
  const auto r = run_ktriage("can-i list pods -n shop --who " + policy());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ServiceAccount shop/web"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RoleBinding shop/web-pods -> ClusterRole pod-reader"), std::string::npos);
  EXPECT_NE(r.out.find("Group admins"), std::string::npos);
  const auto none = run_ktriage("can-i escalate clusterroles --who -o json " + policy());
  EXPECT_EQ(none.exit_code, 0);  // admins may do anything
  EXPECT_NE(none.out.find("\"subjects\":[{\"kind\":\"Group\",\"name\":\"admins\""),
            std::string::npos)
      << none.out;
}

TEST(CanITest, JsonAnswer) {
  const auto r = run_ktriage("can-i list widgets.example.com -n x --as bob -o json " + policy());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.starts_with("{\"allowed\":true,\"user\":\"bob\"")) << r.out;
  EXPECT_NE(r.out.find("\"rule\":{\"role\":\"view-widgets\",\"index\":0"), std::string::npos)
      << r.out;
  const auto no = run_ktriage("can-i get secrets db -n shop --as jane -o json " + policy());
  EXPECT_EQ(no.exit_code, 1);
  EXPECT_NE(no.out.find("\"grant\":null"), std::string::npos);
  EXPECT_NE(no.out.find("\"fix\":\"apiVersion: rbac.authorization.k8s.io/v1\\nkind: Role\\n"),
            std::string::npos)
      << no.out;
}

TEST(CanITest, BadInputIsAUsageError) {
  for (const std::string& args : std::vector<std::string>{
           "can-i",                                           // nothing
           "can-i list",                                      // no resource
           "can-i list pods --sa shop/web",                   // no source
           "can-i list pods " + policy(),                     // nobody asks
           "can-i list pods --sa shopweb " + policy(),        // --sa without namespace
           "can-i list pods/ --sa shop/web " + policy(),      // bad resource
           "can-i list pods --sa a/b -o yaml " + policy(),    // bad format
           "can-i list pods --sa a/b /nonexistent/snapshot",  // not RBAC
       }) {
    const auto r = run_ktriage(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  EXPECT_EQ(run_ktriage("can-i --help").exit_code, 0);
  EXPECT_NE(run_ktriage("can-i --help").out.find("Examples:"), std::string::npos);
  // A missing SOURCE is named as missing, not taken for an input without RBAC objects; one
  // missing among existing ones is still an error.
  for (const std::string& args :
       {std::string("can-i get pods -n monitoring --sa monitoring/metrics-agent /nonexistent/"),
        "can-i get pods --sa a/b " + policy() + " ./no-such-file.yaml"}) {
    const auto missing = run_ktriage(args);
    EXPECT_EQ(missing.exit_code, 2) << args;
    EXPECT_NE(missing.err.find(": no such file or folder\n"), std::string::npos) << missing.err;
    EXPECT_EQ(missing.err.find("the input has no Role"), std::string::npos) << missing.err;
  }
  // An existing input without RBAC objects keeps its own message.
  const auto empty = run_ktriage("can-i get pods --sa a/b '" + testing::source_dir() +
                                 "/tests/cli/fixtures/can-i-crd/'");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("the input has no Role, ClusterRole"), std::string::npos) << empty.err;
  // Each error says what is wrong: a well-formed --sa beside --as is refused for the pair.
  const auto both = run_ktriage("can-i list pods --sa shop/web --as jane " + policy());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("give --sa or --as, not both"), std::string::npos) << both.err;
  EXPECT_EQ(both.err.find("is not NAMESPACE/NAME"), std::string::npos) << both.err;
}

// kubectl api-resources names (v1.30): singular and short forms of the built-ins resolve to the
// plural and group, a CRD of the snapshot defines its own, anything else warns and is asked as
// written.
TEST(CanITest, ResourceNamesAsKubectlKnowsThem) {
  const auto role =
      run_ktriage("can-i escalate clusterrole --as carol --as-group admins -o json " + policy());
  EXPECT_EQ(role.exit_code, 0) << role.err;
  EXPECT_NE(role.out.find("\"group\":\"rbac.authorization.k8s.io\",\"resource\":\"clusterroles\""),
            std::string::npos)
      << role.out;
  EXPECT_NE(role.out.find("\"namespace\":\"\""), std::string::npos) << role.out;  // cluster-scoped
  for (const auto& [arg, want] : std::vector<std::pair<std::string, std::string>>{
           {"role", "roles.rbac.authorization.k8s.io"},
           {"rolebinding", "rolebindings.rbac.authorization.k8s.io"},
           {"clusterrolebinding", "clusterrolebindings.rbac.authorization.k8s.io"},
           {"ingress", "ingresses.networking.k8s.io"},
           {"netpol", "networkpolicies.networking.k8s.io"},
           {"deployment.apps", "deployments.apps"},
           {"quota", "resourcequotas"},
           {"pc", "priorityclasses.scheduling.k8s.io"},
           {"cronjob/status", "cronjobs.batch/status"}}) {
    const auto r = run_ktriage("can-i get " + arg + " --as nobody " + policy());
    EXPECT_EQ(r.exit_code, 1) << arg;
    EXPECT_NE(r.out.find("may not get " + want), std::string::npos) << arg << "\n" << r.out;
    EXPECT_EQ(r.err, "") << arg;
  }
  // A custom resource: the snapshot's CRD names it (plural, singular, short name; scope).
  const std::string dir = testing::source_dir() + "/tests/cli/fixtures/can-i-crd";
  const auto crd = run_ktriage("can-i list wg -n x --as bob '" + dir + "/' " + policy());
  EXPECT_EQ(crd.exit_code, 0) << crd.out << crd.err;
  EXPECT_NE(crd.out.find("may list widgets.example.com in namespace x"), std::string::npos)
      << crd.out;
  EXPECT_EQ(crd.err, "");
  const auto unknown = run_ktriage("can-i list gadgets -n x --as bob " + policy());
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("warning: the server doesn't have a resource type \"gadgets\""),
            std::string::npos)
      << unknown.err;
  EXPECT_TRUE(unknown.out.starts_with("no\n")) << unknown.out;
}

// kubectl auth can-i warns about a verb the API server does not know and still answers; the
// answer says so next to the grant, so nobody applies a role for a typo unwarned.
TEST(CanITest, UnknownVerbIsWarnedAboutAndSaidInTheAnswer) {
  const auto typo = run_ktriage("can-i lst pods -n shop --sa shop/web " + policy());
  EXPECT_EQ(typo.exit_code, 1) << typo.err;
  EXPECT_NE(typo.err.find("warning: verb 'lst' is not a known verb (did you mean list?)"),
            std::string::npos)
      << typo.err;
  EXPECT_NE(typo.out.find("  note: verb \"lst\" is not one the API server knows (get, list, "),
            std::string::npos)
      << typo.out;
  EXPECT_NE(typo.out.find("to grant it (\"lst\" is not a known verb: check it first) (kubectl "
                          "apply -f -):\n"),
            std::string::npos)
      << typo.out;
  const auto j = nlohmann::json::parse(
      run_ktriage("can-i lst pods -n shop --sa shop/web -o json " + policy()).out);
  ASSERT_GE(j["notes"].size(), 1u);
  EXPECT_TRUE(j["notes"][0].get<std::string>().starts_with("verb \"lst\" is not one"));
  // Known verbs, special verbs and the HTTP methods of non-resource URLs: no warning, no note.
  for (const std::string& args : {std::string("can-i list pods -n shop --sa shop/web "),
                                  std::string("can-i impersonate "
                                              "users --as jane "),
                                  std::string("can-i bind clusterroles --as jane "),
                                  std::string("can-i post /api --as jane ")}) {
    const auto r = run_ktriage(args + policy());
    EXPECT_EQ(r.err.find("not a known verb"), std::string::npos) << args << r.err;
    EXPECT_EQ(r.out.find("note: verb"), std::string::npos) << args << r.out;
  }
  // "post" is an HTTP method, not a resource verb.
  const auto post = run_ktriage("can-i post pods -n shop --sa shop/web " + policy());
  EXPECT_NE(post.err.find("verb 'post' is not a known verb"), std::string::npos) << post.err;
}

// A RESOURCE that is neither built in nor a CRD of the input, while the input names it in
// some API group (a CRD of another group, or a rule): say which group, as kubectl's "the server
// doesn't have a resource type" would leave one guessing, instead of a grant in the core group.
TEST(CanITest, ResourceKnownInAnotherGroupIsSuggested) {
  const std::string snap = "'" + testing::source_dir() + "/examples/rbac-forbidden'";
  const auto orders = run_ktriage("can-i get orders -n shop --sa shop/web " + snap);
  EXPECT_EQ(orders.exit_code, 1) << orders.err;
  const std::string hint =
      "Role shop/order-operator names it in API group shop.northwind.io: did you mean "
      "orders.shop.northwind.io?";
  EXPECT_NE(orders.err.find("doesn't have a resource type \"orders\""), std::string::npos);
  EXPECT_NE(orders.err.find(hint), std::string::npos) << orders.err;
  EXPECT_NE(orders.out.find("  note: \"orders\" is neither a built-in resource nor a "
                            "CustomResourceDefinition of the input, so it is asked as written, "
                            "in the core API group (\"\"); " +
                            hint),
            std::string::npos)
      << orders.out;
  // Asked in the group a rule names: no warning (a snapshot of RBAC objects has no CRDs).
  const auto right =
      run_ktriage("can-i get orders.shop.northwind.io -n shop --sa shop/order-operator " + snap);
  EXPECT_EQ(right.exit_code, 0) << right.out;
  EXPECT_EQ(right.err, "");
  EXPECT_EQ(right.out.find("note:"), std::string::npos) << right.out;
  // A CRD of another group than the one asked.
  const std::string dir = testing::source_dir() + "/tests/cli/fixtures/can-i-crd";
  const auto crd =
      run_ktriage("can-i list widgets.other.io -n x --as bob '" + dir + "/' " + policy());
  EXPECT_NE(crd.err.find("CustomResourceDefinition widgets.example.com names it in API group "
                         "example.com: did you mean widgets.example.com?"),
            std::string::npos)
      << crd.err;
  // Nothing names it anywhere: the plain warning, and no note.
  const auto unknown = run_ktriage("can-i list gadgets -n x --as bob " + policy());
  EXPECT_EQ(unknown.err.find("did you mean"), std::string::npos) << unknown.err;
  EXPECT_EQ(unknown.out.find("note: \"gadgets\""), std::string::npos) << unknown.out;
}

// A snapshot without the API server's built-in roles cannot see what every cluster grants:
// the answer says it ignores them, and that a default cluster grants /healthz to everyone.
TEST(CanITest, MissingBuiltInRolesAreSaidWithTheDefaultGrants) {
  const std::string snap = "'" + testing::source_dir() + "/examples/rbac-forbidden'";
  const auto healthz = run_ktriage("can-i get /healthz --as jane " + snap);
  EXPECT_EQ(healthz.exit_code, 1) << healthz.err;
  EXPECT_NE(healthz.out.find("  note: the input holds none of the API server's built-in "
                             "ClusterRoles (system:...) and their bindings, so this answer "
                             "ignores them"),
            std::string::npos)
      << healthz.out;
  EXPECT_NE(healthz.out.find("  note: a default cluster grants it: ClusterRoleBinding "
                             "system:public-info-viewer binds ClusterRole "
                             "system:public-info-viewer (get /livez, /readyz, /healthz, "
                             "/version, /version/) to groups system:authenticated, "
                             "system:unauthenticated, and jane is in system:authenticated"),
            std::string::npos)
      << healthz.out;
  const auto who = run_ktriage("can-i get /version --who " + snap);
  EXPECT_NE(who.out.find("note: a default cluster grants it: ClusterRoleBinding "
                         "system:public-info-viewer"),
            std::string::npos)
      << who.out;
  // Not a default URL: only the first note.
  const auto metrics = run_ktriage("can-i get /metrics --as jane " + snap);
  EXPECT_NE(metrics.out.find("so this answer ignores them"), std::string::npos);
  EXPECT_EQ(metrics.out.find("a default cluster grants it"), std::string::npos) << metrics.out;
  // With the built-in roles in the input they are evaluated, and nothing is said.
  const std::string builtin =
      "'" + testing::source_dir() + "/tests/cli/fixtures/can-i-bootstrap.yaml'";
  const auto yes = run_ktriage("can-i get /healthz --as jane " + builtin);
  EXPECT_EQ(yes.exit_code, 0) << yes.out << yes.err;
  EXPECT_EQ(yes.out.find("note:"), std::string::npos) << yes.out;
  const auto no = run_ktriage("can-i get /metrics --as jane " + builtin);
  EXPECT_EQ(no.exit_code, 1);
  EXPECT_EQ(no.out.find("note:"), std::string::npos) << no.out;
}

// [NAME] then SOURCE...: a NAME that happens to be a file in the working directory stays NAME; a
// path with a '/', or an existing *.yaml, is a SOURCE.
TEST(CanITest, NameBeforeSourcesWhateverTheWorkingDirectoryHolds) {
  std::string pattern = (std::filesystem::temp_directory_path() / "ktriage-can-i-XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  std::filesystem::copy_file(testing::source_dir() + "/tests/rbac/fixtures/policy.yaml",
                             dir + "/app-config");
  std::filesystem::copy_file(testing::source_dir() + "/tests/rbac/fixtures/policy.yaml",
                             dir + "/rbac.yaml");
  // app-config is a file here, and still the ConfigMap's name: allowed by resourceNames.
  const auto named =
      run_ktriage("can-i get configmaps app-config -n shop --as jane rbac.yaml", dir);
  EXPECT_EQ(named.exit_code, 0) << named.out << named.err;
  EXPECT_NE(named.out.find("get configmaps \"app-config\""), std::string::npos) << named.out;
  // rbac.yaml exists and looks like a snapshot: SOURCE, so the request has no name.
  const auto nameless = run_ktriage("can-i get configmaps -n shop --as jane rbac.yaml", dir);
  EXPECT_EQ(nameless.exit_code, 1) << nameless.out << nameless.err;
  // A folder: "snap/" (with its '/') is a SOURCE; "snap" in NAME's place is NAME.
  std::filesystem::create_directory(dir + "/snap");
  std::filesystem::copy_file(dir + "/rbac.yaml", dir + "/snap/rbac.yaml");
  const auto folder = run_ktriage("can-i get configmaps -n shop --as jane snap/", dir);
  EXPECT_EQ(folder.exit_code, 1) << folder.out << folder.err;
  EXPECT_NE(folder.out.find("may not get configmaps in namespace shop"), std::string::npos)
      << folder.out;
  const auto snap_name = run_ktriage("can-i get configmaps snap -n shop --as jane snap/", dir);
  EXPECT_NE(snap_name.out.find("get configmaps \"snap\""), std::string::npos) << snap_name.out;
  EXPECT_NE(run_ktriage("can-i --help").out.find("the argument after RESOURCE is NAME unless"),
            std::string::npos);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

// Without SOURCE: the kubeconfig's cluster, of which only the four RBAC lists are read.
TEST(CanITest, LiveClusterReadsOnlyTheRbacLists) {
  for (const char* v : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"})
    ::unsetenv(v);
  std::string pattern = (std::filesystem::temp_directory_path() / "ktriage-can-i-XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  const auto tls = testing::generate_tls_files(dir);
  testing::ServerOptions o;
  o.snapshot = testing::source_dir() + "/examples/rbac-forbidden";
  o.token = "t0ken-for-tests";
  auto server = testing::TestApiServer::start(o, tls);
  ASSERT_TRUE(server) << server.error();
  const std::string kubeconfig = (*server)->write_kubeconfig(dir + "/kubeconfig");
  const auto no =
      run_ktriage("can-i list nodes --sa monitoring/metrics-agent --kubeconfig " + kubeconfig);
  EXPECT_EQ(no.exit_code, 1) << no.err;
  EXPECT_NE(no.out.find("closest: RoleBinding monitoring/metrics-agent -> ClusterRole "
                        "metrics-reader"),
            std::string::npos)
      << no.out;
  const auto yes = run_ktriage(
      "can-i get configmaps web-flags -n shop --sa shop/web --kubeconfig " + kubeconfig);
  EXPECT_EQ(yes.exit_code, 0) << yes.err << yes.out;
  for (const auto& r : (*server)->requests()) {
    EXPECT_EQ(r.method, "GET") << r.path;
    EXPECT_EQ(r.path.find("/pods"), std::string::npos) << r.path;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

// A binding whose role is missing while another role of its namespace grants the request: can-i
// gives the same first fix as diagnose's access analyzer (recreate the binding with that role),
// before the smallest new role; JSON carries it as "reuse".
TEST(CanITest, ReusesExistingRolesAsDiagnoseDoes) {
  const std::string snap = "'" + testing::source_dir() + "/examples/rbac-forbidden'";
  const auto r = run_ktriage("can-i get leases -n shop --sa shop/order-operator " + snap);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("recreate the binding with it (roleRef cannot be changed): kubectl -n shop "
                       "delete rolebinding order-operator-leader && kubectl -n shop create "
                       "rolebinding order-operator-leader --role=leader-elector "
                       "--serviceaccount=shop:order-operator"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("or grant it with a new role"), std::string::npos) << r.out;
  // A ClusterRole bound in one namespace for a cluster-scope request: bind it cluster-wide.
  const auto nodes = run_ktriage("can-i list nodes --sa monitoring/metrics-agent " + snap);
  EXPECT_NE(nodes.out.find("  fix: bind ClusterRole metrics-reader cluster-wide"),
            std::string::npos)
      << nodes.out;
  const auto j = nlohmann::json::parse(
      run_ktriage("can-i get leases -n shop --sa shop/order-operator -o json " + snap).out);
  ASSERT_EQ(j["reuse"].size(), 1u);
  EXPECT_NE(j["reuse"][0].get<std::string>().find("--role=leader-elector"), std::string::npos);
}

}  // namespace
}  // namespace ktriage
