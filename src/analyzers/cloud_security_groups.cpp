// Security groups against what an ACK cluster needs (fault catalog section 4): every flow of
// cloud::cluster_needs is judged with ECS's semantics (cloud/sg_eval.h) at the groups of the
// instances behind the Nodes, and the denied ones become one finding per security group (or
// webhook configuration, or Service) and requirement, naming the deciding rule — a missing rule,
// a Drop that decides before an Accept, an enterprise group's default deny — the nodes it
// affects and the aliyun command that fixes it. Also the ECS state of the instances behind
// Nodes (stopped, locked). Reads only the snapshot's cloud/ answers and objects.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "cloud/needs.h"
#include "cloud/sg_eval.h"
#include "cloud/sg_fix.h"
#include "cloud/view.h"

namespace ktriage {
namespace {

using cloud::Need;
using cloud::NeedKind;
using cloud::Verdict;

constexpr std::string_view kDoc =
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "configure-security-group-rules-to-enforce-access-control-on-ack-clusters";
constexpr std::string_view kPingDoc = "https://www.alibabacloud.com/help/doc-detail/40572.htm";

constexpr Rule kIntra{
    "sg-intra-cluster-blocked",
    "ACK-SG-INTRA-CLUSTER-TRAFFIC-BLOCKED",
    Severity::kCritical,
    "A security group blocks traffic between cluster nodes or pods",
    "Add an inbound rule for all protocols from the cluster security group (and, with Flannel, "
    "from the pod CIDR) to the nodes' security groups; keep all node pools in groups that trust "
    "each other.",
    kDoc};
constexpr Rule kEnterprise{
    "sg-enterprise-default-deny",
    "ACK-SG-ENTERPRISE-DEFAULT-DENY",
    Severity::kCritical,
    "An enterprise security group denies traffic between cluster nodes by default",
    "Enterprise security groups let nothing in or out, not even between members: add ACK's "
    "recommended inbound and outbound rules explicitly.",
    kDoc};
constexpr Rule kIcmp{"sg-icmp-blocked",
                     "ECS-PING-SECURITY-GROUP-NO-ICMP",
                     Severity::kWarning,
                     "A security group drops ICMP between cluster nodes (ping fails)",
                     "Add an inbound ICMP rule (ACK recommends ICMP from 0.0.0.0/0 for nodes).",
                     kPingDoc};
constexpr Rule kKubelet{
    "sg-kubelet-port-blocked",
    "ACK-SG-KUBELET-PORT-BLOCKED",
    Severity::kCritical,
    "A security group blocks the kubelet port 10250 from the control plane",
    "Allow TCP 10250 from the cluster security group (the control plane) to the nodes.",
    kDoc};
constexpr Rule kWebhook{
    "sg-webhook-port-blocked",
    "ACK-SG-WEBHOOK-PORT-BLOCKED",
    Severity::kCritical,
    "A security group blocks the control plane from an admission webhook's pods",
    "Allow the webhook's target port from the cluster security group to the nodes (or pod "
    "ENIs) that run the webhook's pods.",
    kDoc};
constexpr Rule kOutbound{
    "sg-outbound-restricted",
    "ACK-SG-OUTBOUND-RESTRICTED",
    Severity::kCritical,
    "Outbound security-group rules drop traffic the cluster needs",
    "Allow outbound traffic to 100.64.0.0/10, DNS 53, the cluster security group and the pod "
    "and VPC CIDRs (or go back to allowing all outbound traffic).",
    kDoc};
constexpr Rule kHealthCheck{
    "sg-slb-health-check-blocked",
    "",
    Severity::kCritical,
    "A security group blocks the SLB health checks of a LoadBalancer Service's NodePorts",
    "Allow TCP 30000-32767 from 100.64.0.0/10 (the SLB's health checks and forwarding) to the "
    "nodes.",
    kDoc};
constexpr Rule kStopped{
    "ecs-instance-not-running",
    "ECS-PING-INSTANCE-STATE-OR-PROTECTION",
    Severity::kCritical,
    "The ECS instance behind a Node is not Running",
    "Start the instance (aliyun ecs StartInstance --InstanceId ...) or remove the Node.",
    kPingDoc};
constexpr Rule kLocked{
    "ecs-instance-locked",
    "ECS-PING-INSTANCE-STATE-OR-PROTECTION",
    Severity::kWarning,
    "The ECS instance behind a Node is locked (overdue payment or security lock)",
    "Settle the overdue payment or handle the security event the lock names in the ECS "
    "console; a security lock can mean blackhole filtering or a compromised instance.",
    kPingDoc};
constexpr Rule kRules[] = {kIntra,    kEnterprise,  kIcmp,    kKubelet, kWebhook,
                           kOutbound, kHealthCheck, kStopped, kLocked};

// At most this many flows are listed as evidence per finding; the rest are counted.
constexpr std::size_t kMaxFlows = 4;

const Rule& rule_for(const Need& n, const Verdict& v) {
  const bool enterprise = v.basis == cloud::Basis::kDefault && v.enterprise_default;
  switch (n.kind) {
    case NeedKind::kIntraCluster:
    case NeedKind::kIcmp:
      if (enterprise) return kEnterprise;
      return n.kind == NeedKind::kIcmp ? kIcmp : kIntra;
    case NeedKind::kKubelet:
      return kKubelet;
    case NeedKind::kWebhook:
      return kWebhook;
    case NeedKind::kOutbound:
      return kOutbound;
    case NeedKind::kHealthCheck:
      break;
  }
  return kHealthCheck;
}

ObjectRef group_ref(const std::string& id) { return ObjectRef{"SecurityGroup", "", id, ""}; }

// The denied flows of one requirement at one object.
struct Denied {
  const Rule* rule = nullptr;
  ObjectRef object;
  std::vector<std::pair<const Need*, Verdict>> flows;
  std::vector<std::string> groups;  // the judging groups, for the summary
};

std::string flow_line(const Need& n, const Verdict& v) {
  std::vector<const cloud::SecurityGroup*> groups(n.groups.begin(), n.groups.end());
  return fmt::format("{} from {} to {}: {} ({})", cloud::describe(n.flow), n.from, n.to,
                     v.explain(groups), n.why);
}

std::string summary_of(const Denied& d) {
  const auto& [need, verdict] = d.flows.front();
  const std::string first =
      fmt::format("{} from {} to {}", cloud::describe(need->flow), need->from, need->to);
  const std::string more =
      d.flows.size() > 1 ? fmt::format(" (and {} more needed flows)", d.flows.size() - 1) : "";
  const std::string how =
      verdict.rule != nullptr
          ? fmt::format("{}'s {} rule decides", verdict.group->id,
                        verdict.rule->policy == cloud::RulePolicy::kDrop ? "Drop" : "Accept")
          : "no rule admits it";
  const std::string& id = d.object.name;
  if (d.rule == &kEnterprise) {
    return fmt::format(
        "Enterprise security group {} denies traffic between cluster nodes by "
        "default: {} is dropped{}",
        id, first, more);
  }
  if (d.rule == &kWebhook) {
    return fmt::format("{} {} cannot be called: security groups drop {} ({}){}", d.object.kind, id,
                       first, how, more);
  }
  if (d.rule == &kHealthCheck) {
    return fmt::format("Service {}'s SLB cannot reach its NodePorts: {} is dropped ({}){}", id,
                       first, how, more);
  }
  std::string_view what = d.rule == &kIntra     ? "blocks traffic between cluster nodes"
                          : d.rule == &kIcmp    ? "drops ping between cluster nodes"
                          : d.rule == &kKubelet ? "blocks the kubelet port from the control plane"
                                                : "drops outbound traffic the cluster needs";
  return fmt::format("Security group {} {}: {} is dropped ({}){}", id, what, first, how, more);
}

// The rules of `g` in `direction`, as evidence that none of them admits a flow.
Evidence rules_of(const cloud::SecurityGroup& g, cloud::Direction direction) {
  std::vector<std::string> rules;
  for (const cloud::SecurityGroupRule& r : g.rules) {
    if (r.direction == direction) rules.push_back(r.text());
  }
  const bool in = direction == cloud::Direction::kIngress;
  Evidence e = Evidence::field(
      "securitygroup/" + g.id, ".Permissions.Permission",
      rules.empty() ? fmt::format("no {} rule", in ? "inbound" : "outbound")
                    : fmt::format("{} {} rules, none matches: {}", rules.size(),
                                  in ? "inbound" : "outbound", fmt::join(rules, "; ")));
  e.file = g.file;
  return e;
}

void report(const Denied& d, const cloud::CloudView& view, FindingSink& sink) {
  Finding& f = sink.add(*d.rule, d.object, summary_of(d),
                        d.object.kind == "SecurityGroup" ? "" : d.groups.front());
  std::set<std::pair<std::string, std::size_t>> rules_shown;
  for (std::size_t i = 0; i < d.flows.size() && i < kMaxFlows; ++i) {
    const auto& [need, v] = d.flows[i];
    f.evidence.push_back(Evidence::note(flow_line(*need, v)));
    if (v.basis == cloud::Basis::kDefault) {
      for (const cloud::SecurityGroup* g : need->groups) {
        if (rules_shown
                .insert(
                    {g->id, static_cast<std::size_t>(-1 - static_cast<int>(need->flow.direction))})
                .second) {
          f.evidence.push_back(rules_of(*g, need->flow.direction));
        }
      }
    }
    for (const auto& [g, r] :
         {std::pair{v.group, v.rule}, std::pair{v.shadowed_group, v.shadowed_accept}}) {
      if (r == nullptr || !rules_shown.insert({g->id, r->index}).second) continue;
      Evidence e = Evidence::field("securitygroup/" + g->id,
                                   fmt::format(".Permissions.Permission[{}]", r->index), r->text());
      e.file = g->file;
      f.evidence.push_back(std::move(e));
    }
  }
  if (d.flows.size() > kMaxFlows) {
    f.evidence.push_back(Evidence::note(
        fmt::format("{} more denied flows of this kind", d.flows.size() - kMaxFlows)));
  }
  std::set<std::string> seen;
  std::vector<std::string> nodes;
  std::set<const std::vector<const Object*>*> lists;  // flows share their node lists
  for (const auto& [need, v] : d.flows) {
    if (need->nodes == nullptr || !lists.insert(need->nodes.get()).second) continue;
    for (const Object* node : *need->nodes) {
      const cloud::NodeInstance* ni = view.node(node->name);
      if (seen.insert(std::string(node->name)).second) {
        nodes.push_back(fmt::format("{} ({})", node->name, ni != nullptr ? ni->instance_id : ""));
      }
    }
  }
  if (!nodes.empty()) {
    f.evidence.push_back(Evidence::note(fmt::format("affects nodes: {}", fmt::join(nodes, ", "))));
  }
  const auto& [need, v] = d.flows.front();
  if (!need->missing_groups.empty()) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "the rules of {} (also on these nodes) are not in the snapshot: a rule there could "
        "change this verdict",
        fmt::join(need->missing_groups, ", "))));
  }
  f.fix = cloud::fix_for(view.region(), v, need->groups, need->wanted);
  // Other rules the denied flows need (Flannel: the pod CIDR besides the node group).
  std::set<std::string> commands{cloud::authorize_command(view.region(), "", need->wanted)};
  for (const auto& [other, ov] : d.flows) {
    if (ov.basis != cloud::Basis::kDefault || other->groups.empty()) continue;
    if (!commands.insert(cloud::authorize_command(view.region(), "", other->wanted)).second) {
      continue;
    }
    f.fix += "; and " +
             cloud::authorize_command(view.region(), other->groups.front()->id, other->wanted);
  }
}

void check_instances(const cloud::CloudView& view, FindingSink& sink) {
  for (const cloud::NodeInstance& n : view.nodes()) {
    if (n.instance == nullptr) continue;
    const cloud::Instance& in = *n.instance;
    const std::string path = fmt::format(".Instances.Instance[{}]", in.index);
    if (!in.status.empty() && in.status != "Running") {
      Finding& f = sink.add(kStopped, *n.node,
                            fmt::format("Node {}'s ECS instance {} is {}: it answers nothing, "
                                        "ping included",
                                        n.node->name, in.id, in.status));
      Evidence e = Evidence::field("instance/" + in.id, path + ".Status", in.status);
      e.file = in.file;
      f.evidence.push_back(std::move(e));
      f.fix = fmt::format(
          "start it: aliyun ecs StartInstance --RegionId {} --InstanceId {} (or, if it was "
          "released on purpose, kubectl delete node {})",
          view.region().empty() ? "<region>" : view.region(), in.id, n.node->name);
    }
    if (!in.lock_reasons.empty()) {
      Finding& f = sink.add(kLocked, *n.node,
                            fmt::format("Node {}'s ECS instance {} is locked ({})", n.node->name,
                                        in.id, fmt::join(in.lock_reasons, ", ")));
      Evidence e = Evidence::field("instance/" + in.id, path + ".OperationLocks.LockReason",
                                   fmt::format("{}", fmt::join(in.lock_reasons, ", ")));
      e.file = in.file;
      f.evidence.push_back(std::move(e));
    }
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const cloud::CloudView view(ctx.cluster);
  if (!view.has_cloud_data()) return;
  check_instances(view, sink);
  const std::vector<Need> needs = cloud::cluster_needs(ctx.cluster, view);
  std::vector<Denied> denied;
  std::map<std::string, std::size_t> index;  // rule id + object key -> denied
  for (const Need& n : needs) {
    const Verdict v = cloud::evaluate(n.groups, n.flow);
    if (v.allowed) continue;
    const Rule& rule = rule_for(n, v);
    const std::string judge = v.group != nullptr ? v.group->id : n.groups.front()->id;
    ObjectRef object = n.object != nullptr ? n.object->ref() : group_ref(judge);
    const std::string key =
        std::string(rule.id) + "\n" + object.key() + "\n" + (n.object != nullptr ? judge : "");
    auto [it, fresh] = index.emplace(key, denied.size());
    if (fresh) denied.push_back(Denied{&rule, std::move(object), {}, {judge}});
    denied[it->second].flows.emplace_back(&n, v);
  }
  // Ping between nodes is part of "all traffic": a group already reported as blocking traffic
  // between nodes is not reported again for ICMP.
  std::set<std::string> intra;
  for (const Denied& d : denied) {
    if (d.rule == &kIntra || d.rule == &kEnterprise) intra.insert(d.object.name);
  }
  for (const Denied& d : denied) {
    if (d.rule == &kIcmp && intra.count(d.object.name) > 0) continue;
    report(d, view, sink);
  }
}

}  // namespace

const AnalyzerDef& cloud_security_groups_analyzer() {
  static const AnalyzerDef kDef{"cloud_security_groups", kRules, run, nullptr};
  return kDef;
}

}  // namespace ktriage
