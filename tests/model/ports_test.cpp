// ports: probe ports and Service targetPorts resolved against a container's declared ports.
#include "model/ports.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

TEST(PortsTest, NamesNumbersAndProtocols) {
  auto cluster = testing::cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec:\n"
      "  containers:\n"
      "  - name: a\n"
      "    ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: "
      "UDP}]\n"
      "    readinessProbe: {httpGet: {port: http}}\n"
      "    livenessProbe: {tcpSocket: {port: metrics}}\n"
      "    startupProbe: {grpc: {port: 9090}}\n");
  const Value& c = cluster->objects()[0].spec()["containers"][0];
  EXPECT_EQ(match_probe_port(c["readinessProbe"], c), PortMatch::kDeclared);
  EXPECT_EQ(match_probe_port(c["livenessProbe"], c), PortMatch::kNamedMissing);
  EXPECT_EQ(match_probe_port(c["startupProbe"], c), PortMatch::kNumberUndeclared);
  EXPECT_EQ(match_probe_port(Value(), c), PortMatch::kNoPort);
  const Value& http = c["readinessProbe"]["httpGet"]["port"];
  EXPECT_TRUE(is_port_name(http));
  EXPECT_TRUE(declares_port(c, http, "TCP"));
  EXPECT_FALSE(declares_port(c, http, "UDP"));
  const Value& dns = c["ports"][1]["name"];
  EXPECT_TRUE(declares_port(c, dns, "UDP"));
  EXPECT_FALSE(declares_port(c, dns, "TCP")) << "a Service port's protocol must match";
  EXPECT_TRUE(declares_port(c, c["ports"][0]["containerPort"], "TCP"));
  EXPECT_EQ(declared_ports_text(c), "8080/TCP (http), 53/UDP (dns)");
}

}  // namespace
}  // namespace ktriage
