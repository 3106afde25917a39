// The fixes for denied flows as aliyun CLI commands.
#include "cloud/sg_fix.h"

#include <gtest/gtest.h>

namespace ktriage::cloud {
namespace {

TEST(SgFixTest, AuthorizeRevokeAndOutrankingTheDrop) {
  RuleToAdd r;
  r.protocol = "TCP";
  r.ports = PortRange{10250, 10250};
  r.peer_group = "sg-a";
  EXPECT_EQ(authorize_command("cn-hangzhou", "sg-b", r),
            "aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId sg-b "
            "--IpProtocol TCP --PortRange 10250/10250 --SourceGroupId sg-a --Policy accept "
            "--Priority 1");
  r.direction = Direction::kEgress;
  r.peer_group.clear();
  r.peer_cidr = "100.64.0.0/10";
  EXPECT_EQ(authorize_command("", "sg-b", r),
            "aliyun ecs AuthorizeSecurityGroupEgress --RegionId <region> --SecurityGroupId sg-b "
            "--IpProtocol TCP --PortRange 10250/10250 --DestCidrIp 100.64.0.0/10 --Policy accept "
            "--Priority 1");
  SecurityGroupRule drop;
  drop.policy = RulePolicy::kDrop;
  drop.protocol = "ALL";
  drop.source_cidr = "0.0.0.0/0";
  drop.priority = 5;
  EXPECT_EQ(revoke_command("cn-hangzhou", "sg-b", drop),
            "aliyun ecs RevokeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId sg-b "
            "--IpProtocol ALL --PortRange -1/-1 --SourceCidrIp 0.0.0.0/0 --Policy drop "
            "--Priority 5");
  // A Drop at priority 5 with no Accept behind it: an Accept at 4 decides first.
  SecurityGroup g;
  g.id = "sg-b";
  g.rules = {drop};
  const SecurityGroup* gs[] = {&g};
  Flow f;
  f.protocol = "TCP";
  f.port = 80;
  f.peer = parse_cidr("10.0.0.1");
  const Verdict v = evaluate(gs, f);
  RuleToAdd want;
  want.protocol = "TCP";
  want.ports = PortRange{80, 80};
  want.peer_cidr = "10.0.0.1/32";
  const std::string fix = fix_for("cn-hangzhou", v, gs, want);
  EXPECT_NE(fix.find("--PortRange 80/80 --SourceCidrIp 10.0.0.1/32 --Policy accept --Priority 4"),
            std::string::npos)
      << fix;
}

}  // namespace
}  // namespace ktriage::cloud
