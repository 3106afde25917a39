// Which component wrote a log, and which signatures apply to it.
#include "logs/component.h"

#include <gtest/gtest.h>

namespace ktriage::logs {
namespace {

TEST(ComponentTest, GuessedFromThePath) {
  EXPECT_EQ(guess_component("nodes/n1/kubelet.log", LineFormat::kKlog), "kubelet");
  EXPECT_EQ(guess_component("/var/log/containerd.log.gz", LineFormat::kLogrus), "containerd");
  EXPECT_EQ(guess_component("dump/docker.log", LineFormat::kLogrus), "docker");
  EXPECT_EQ(guess_component("/var/log/pods/kube-system_kube-apiserver-m1_u/kube-apiserver/0.log",
                            LineFormat::kCri),
            "apiserver");
  EXPECT_EQ(
      guess_component("/var/log/containers/coredns-7d_kube-system_coredns-1.log", LineFormat::kCri),
      "coredns");
  EXPECT_EQ(guess_component("logs/shop/web-1/web.log", LineFormat::kPlain), "app");
  EXPECT_EQ(guess_component("/var/lib/docker/containers/ab/ab-json.log", LineFormat::kDockerJson),
            "app");
  EXPECT_EQ(guess_component("dmesg.txt", LineFormat::kPlain), "kernel");
  EXPECT_EQ(guess_component("journal.txt", LineFormat::kJournalShort), "");
  EXPECT_EQ(guess_component("notes.txt", LineFormat::kPlain), "");
}

TEST(ComponentTest, JournalIdentifiers) {
  EXPECT_EQ(component_of_identifier("dockerd"), "docker");
  EXPECT_EQ(component_of_identifier("kernel"), "kernel");
  EXPECT_EQ(component_of_identifier("kube-apiserver"), "apiserver");
  EXPECT_EQ(component_of_identifier("sshd"), "");
}

TEST(ComponentTest, AppSignaturesOnlyInAppLogs) {
  EXPECT_TRUE(applies("app", "app"));
  EXPECT_TRUE(applies("app", ""));
  EXPECT_FALSE(applies("app", "kubelet"));
  EXPECT_TRUE(applies("containerd", "kubelet"));  // the kubelet quotes containerd's errors
  EXPECT_TRUE(applies("kubelet", ""));
  EXPECT_FALSE(applies("kubelet", "app"));
}

}  // namespace
}  // namespace ktriage::logs
