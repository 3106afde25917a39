// Versions against the skew policy: kubelets and kube-proxy against the API server (and
// kube-proxy against its node's kubelet), and nodes still on the Docker runtime.
#include <gtest/gtest.h>

#include "core/time.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from;
using testing::diagnose;
using testing::with_rule;

const UnixSeconds kNow = *parse_rfc3339("2026-12-01T08:30:00Z");

std::string node(std::string_view name, std::string_view kubelet,
                 std::string_view runtime = "containerd://1.6.28") {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + std::string(name) +
         "}\nstatus:\n  conditions: [{type: Ready, status: 'True'}]\n  nodeInfo: "
         "{kubeletVersion: " +
         std::string(kubelet) + ", containerRuntimeVersion: '" + std::string(runtime) + "'}\n";
}

std::string proxy(std::string_view name, std::string_view node_name, std::string_view tag) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
         ", namespace: kube-system, labels: {k8s-app: kube-proxy}}\nspec:\n  nodeName: " +
         std::string(node_name) +
         "\n  containers: [{name: kube-proxy, image: "
         "'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/kube-proxy:" +
         std::string(tag) + "'}]\nstatus: {phase: Running}\n";
}

std::vector<Finding> run(std::string_view server, const std::string& yaml) {
  const std::string version =
      "{\"serverVersion\": {\"major\": \"1\", \"gitVersion\": \"" + std::string(server) + "\"}}";
  return diagnose(*cluster_from({{"version.json", version}, {"objects.yaml", yaml}}, kNow));
}

std::size_t count_rule(const std::vector<Finding>& f, std::string_view rule) {
  return with_rule(f, rule).size();
}

TEST(VersionsTest, KubeletVersionSkew) {
  auto old = run("v1.30.4", node("n1", "v1.26.3") + node("n2", "v1.26.3"));
  auto f = with_rule(old, "node-kubelet-version-skew");
  ASSERT_EQ(f.size(), 1u);  // one finding for both nodes of that version
  EXPECT_EQ(f[0]->catalog, "ACK-UPGRADE-VERSION-SKEW");
  EXPECT_EQ(f[0]->also_affects.size(), 1u);
  EXPECT_NE(f[0]->summary.find("too old"), std::string::npos) << f[0]->summary;
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.31.0")), "node-kubelet-version-skew"), 1u);
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.27.9")), "node-kubelet-version-skew"), 0u);
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.30.1")), "node-kubelet-version-skew"), 0u);
  // Before v1.28 the kubelet may be only two minors older.
  EXPECT_EQ(count_rule(run("v1.27.4", node("n1", "v1.24.6")), "node-kubelet-version-skew"), 1u);
}

TEST(VersionsTest, KubeProxyAgainstTheApiServerAndItsKubelet) {
  auto newer =
      run("v1.28.9", node("n1", "v1.28.9") + proxy("kube-proxy-a", "n1", "v1.30.1-aliyun.1"));
  auto f = with_rule(newer, "node-kube-proxy-version-skew");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->object.key(), "Pod/kube-system/kube-proxy-a");
  EXPECT_NE(f[0]->summary.find("newer than the API server"), std::string::npos) << f[0]->summary;
  EXPECT_EQ(f[0]->evidence[0].path, ".spec.containers[0].image");
  auto old = run("v1.30.4", node("n1", "v1.30.4") + proxy("kube-proxy-a", "n1", "v1.26.3"));
  EXPECT_EQ(count_rule(old, "node-kube-proxy-version-skew"), 1u);
  // Within the policy: same minor, or two older.
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.30.4") + proxy("p", "n1", "v1.30.1-aliyun.1")),
                       "node-kube-proxy-version-skew"),
            0u);
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.29.4") + proxy("p", "n1", "v1.28.3")),
                       "node-kube-proxy-version-skew"),
            0u);
}

TEST(VersionsTest, DockerRuntimeNodes) {
  auto f = run("v1.22.15", node("n1", "v1.22.15", "docker://20.10.7") +
                               node("n2", "v1.22.15", "docker://20.10.7") + node("n3", "v1.22.15"));
  auto r = with_rule(f, "node-docker-runtime");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->severity, Severity::kInfo);
  EXPECT_EQ(r[0]->also_affects.size(), 1u);
  EXPECT_NE(r[0]->summary.find("cannot follow an upgrade to 1.24"), std::string::npos)
      << r[0]->summary;
  auto after = run("v1.26.3", node("n1", "v1.26.3", "docker://20.10.24"));
  ASSERT_EQ(count_rule(after, "node-docker-runtime"), 1u);
  EXPECT_NE(with_rule(after, "node-docker-runtime")[0]->summary.find("cri-dockerd"),
            std::string::npos);
  EXPECT_EQ(count_rule(run("v1.30.4", node("n1", "v1.30.4")), "node-docker-runtime"), 0u);
}

TEST(VersionsTest, KubeProxyPinnedByDigestIsReadByItsTag) {
  auto f = run("v1.28.9", node("n1", "v1.28.9") +
                              proxy("kube-proxy-a", "n1", "v1.30.1@sha256:0123456789abcdef"));
  EXPECT_EQ(count_rule(f, "node-kube-proxy-version-skew"), 1u);
}

}  // namespace
}  // namespace ktriage
