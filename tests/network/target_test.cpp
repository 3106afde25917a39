#include "network/target.h"

#include <gtest/gtest.h>

namespace ktriage::network {
namespace {

TEST(NetworkTargetTest, KubectlStyleForms) {
  auto t = parse_target("pod/shop/web-1", "", false);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, Target::Kind::kPod);
  EXPECT_EQ(t->ns, "shop");
  EXPECT_EQ(t->name, "web-1");
  t = parse_target("svc/web", "shop", false);  // -n fills the namespace
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, Target::Kind::kService);
  EXPECT_EQ(t->ns, "shop");
  EXPECT_EQ(parse_target("ing/shop/web", "", false)->kind, Target::Kind::kIngress);
  EXPECT_EQ(parse_target("node/cn-hangzhou.10.0.1.12", "", false)->name, "cn-hangzhou.10.0.1.12");
  EXPECT_EQ(parse_target("10.0.0.0/24", "", false)->address.to_string(), "10.0.0.0/24");
  EXPECT_EQ(parse_target("2001:db8::5", "", false)->kind, Target::Kind::kAddress);
  for (const char* dns :
       {"web.shop.svc.cluster.local", "web.shop.svc", "web.shop", "web.shop.svc.cluster.local."}) {
    auto d = parse_target(dns, "", true);
    ASSERT_TRUE(d.has_value()) << dns << ": " << d.error();
    EXPECT_EQ(d->kind, Target::Kind::kDnsName);
    EXPECT_EQ(d->ns, "shop");
    EXPECT_EQ(d->name, "web");
  }
  EXPECT_EQ(parse_target("web", "shop", true)->ns, "shop");
  EXPECT_EQ(parse_target("cafe1.shop", "", true)->name, "cafe1");  // hex-looking, still a name
}

TEST(NetworkTargetTest, ErrorsSayWhatWasExpected) {
  const std::pair<const char*, const char*> rows[] = {
      {"pod/web", "say the namespace"}, {"deploy/shop/web", "unknown kind"},
      {"pod/a/b/c", "is not"},          {"node/", "a node is node/NAME"},
      {"10.0.0.300", "not an IPv4"},    {"web.shop", "accepted for TO only"},
      {"", "an empty target"},
  };
  for (const auto& [text, message] : rows) {
    auto t = parse_target(text, "", false);
    ASSERT_FALSE(t.has_value()) << text;
    EXPECT_NE(t.error().find(message), std::string::npos) << text << ": " << t.error();
  }
  EXPECT_FALSE(parse_target("web", "", true).has_value());  // a bare name needs -n
  EXPECT_FALSE(parse_target("www.example.com", "", true).has_value());
  EXPECT_FALSE(parse_target("Web_Shop", "", true).has_value());
}

TEST(NetworkTargetTest, Ports) {
  EXPECT_EQ(parse_port("53/udp")->protocol, "UDP");
  EXPECT_EQ(parse_port("53/udp")->port, 53);
  EXPECT_EQ(parse_port("8080")->protocol, "TCP");
  EXPECT_EQ(parse_port("http")->name, "http");
  // A name alone leaves the protocol open (TCP is only the default); written, it binds.
  EXPECT_FALSE(parse_port("http")->protocol_given);
  EXPECT_TRUE(parse_port("dns/udp")->protocol_given);
  EXPECT_TRUE(parse_port("dns/TCP")->protocol_given);
  EXPECT_EQ(parse_port("ICMP")->protocol, "ICMP");  // ping: security groups only
  EXPECT_EQ(parse_port("icmp")->port, 0);
  EXPECT_TRUE(parse_port("icmp")->name.empty());
  EXPECT_EQ(parse_port("h2c-web")->name, "h2c-web");
  EXPECT_EQ(parse_port("00080")->port, 80);
  // All digits is a number: out of range is an error, never a port name (from_chars overflows on
  // the first two; 4294967376 is 80 modulo 2^32). A name is an IANA_SVC_NAME: a letter, at most
  // 15 characters, no doubled or edge hyphen.
  for (const char* bad :
       {"0", "65536", "80/ICMP", "", "/TCP", "8 0", "99999999999", "4294967376", "99999999999/UDP",
        "123-456", "a--b", "-http", "http-", "abcdefghijklmnop", "HTTP"})
    EXPECT_FALSE(parse_port(bad).has_value()) << bad;
  EXPECT_NE(parse_port("99999999999").error().find("outside 1-65535"), std::string::npos);
}

}  // namespace
}  // namespace ktriage::network
