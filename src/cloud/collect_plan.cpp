#include "cloud/collect_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "cloud/ecs.h"
#include "cloud/view.h"

namespace ktriage::cloud {
namespace {

constexpr std::size_t kIdsPerCall = 100;  // DescribeInstances / DescribeSecurityGroups limit

constexpr int kMaxPages = 100;  // 100 pages of 50 vSwitches: more than a VPC holds

// A JSON array of strings, as the CLI takes list parameters: ["i-1","i-2"]. The ids are checked
// (valid_resource_id) before they get here; quotes and backslashes are escaped all the same.
std::string json_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += i == 0 ? "\"" : ",\"";
    for (char c : ids[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Keeps the ids that pass `valid`; each other one becomes a note naming where it came from.
std::vector<std::string> checked(std::vector<std::string> ids, std::string_view what,
                                 bool (*valid)(std::string_view), CloudPlan& plan) {
  std::vector<std::string> out;
  for (std::string& id : ids) {
    if (valid(id)) {
      out.push_back(std::move(id));
    } else {
      plan.notes.push_back(
          fmt::format("{} \"{}\" is not a valid id: not used in any call", what, printable(id)));
    }
  }
  return out;
}

std::string cluster_id(const Cluster& cluster, const PlanOptions& options) {
  if (!options.cluster_id.empty()) return options.cluster_id;
  for (const Object* node : cluster.of_kind("Node")) {
    if (std::string_view id = node->label("ack.aliyun.com"); !id.empty()) return std::string(id);
  }
  // The instances' ACK tag, once DescribeInstances answered.
  for (const CloudDocument* d : cluster.cloud_documents("ecs", "DescribeInstances")) {
    for (const Value& i : d->root["Instances"]["Instance"].items()) {
      for (const Value& t : i["Tags"]["Tag"].items()) {
        if (t["TagKey"].str() == "ack.aliyun.com" && !t["TagValue"].str().empty()) {
          return std::string(t["TagValue"].str());
        }
      }
    }
  }
  return {};
}

bool labelled_cluster(const Cluster& cluster) {
  for (const Object* node : cluster.of_kind("Node")) {
    if (!node->label("ack.aliyun.com").empty()) return true;
  }
  return false;
}

std::vector<std::string> with_region(std::vector<std::string> args, const std::string& region,
                                     bool global_flag) {
  if (!region.empty()) {
    args.push_back(global_flag ? "--region" : "--RegionId");
    args.push_back(region);
  }
  return args;
}

// The cs calls of one cluster, in the ROA form every CLI version takes:
// aliyun cs GET /clusters/<id>/...
void add_cs_calls(const std::string& id, const std::string& region, CloudPlan& plan) {
  const std::pair<std::string_view, std::string_view> cs[] = {
      {"DescribeClusterDetail", ""},        {"DescribeClusterNodePools", "/nodepools"},
      {"DescribeClusterTasks", "/tasks"},   {"DescribeClusterLogs", "/logs"},
      {"DescribeClusterEvents", "/events"},
  };
  for (const auto& [action, path] : cs) {
    plan.calls.push_back(
        CliCall{fmt::format("cs-{}.json", action),
                with_region({"cs", "GET", fmt::format("/clusters/{}{}", id, path)}, region, true)});
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 80)) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f || c == '"' || c == '\\' ? '?' : c;
  }
  if (text.size() > 80) out += "...";
  return out;
}

bool valid_resource_id(std::string_view id) {
  std::size_t dash = id.find('-');
  if (dash == std::string_view::npos) return false;
  const std::string_view prefix = id.substr(0, dash);
  if (prefix != "i" && prefix != "sg" && prefix != "vpc" && prefix != "vsw") return false;
  const std::string_view rest = id.substr(dash + 1);
  return !rest.empty() && std::all_of(rest.begin(), rest.end(), lower_alnum);
}

bool valid_region_or_cluster_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return lower_alnum(c) || c == '-'; });
}

std::optional<CliCall> next_page(const CliCall& call, const Value& answer) {
  const std::int64_t total = answer["TotalCount"].as_int(-1);
  const std::int64_t number = answer["PageNumber"].as_int(-1);
  const std::int64_t size = answer["PageSize"].as_int(-1);
  if (total < 0 || number < 1 || size < 1 || number >= kMaxPages) return std::nullopt;
  if (number * size >= total) return std::nullopt;
  CliCall next;
  // "vpc-DescribeVSwitches.json" / "vpc-DescribeVSwitches-page2.json" -> "...-page3.json".
  std::string stem = call.file.substr(0, call.file.size() - 5);
  if (const std::size_t at = stem.rfind("-page"); at != std::string::npos) stem.resize(at);
  next.file = fmt::format("{}-page{}.json", stem, number + 1);
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (call.args[i] == "--PageNumber") {
      ++i;  // replaced below
      continue;
    }
    next.args.push_back(call.args[i]);
  }
  next.args.push_back("--PageNumber");
  next.args.push_back(std::to_string(number + 1));
  return next;
}

std::string plan_region(const Cluster& cluster, const PlanOptions& options) {
  if (!options.region.empty()) return options.region;
  for (const Object* node : cluster.of_kind("Node")) {
    std::string r = region_from_provider_id(node->spec()["providerID"].str());
    if (r.empty()) r = std::string(node->label("topology.kubernetes.io/region"));
    if (!r.empty()) return r;
  }
  return {};
}

CliCall identity_call() {
  return CliCall{"sts-GetCallerIdentity.json", {"sts", "GetCallerIdentity"}};
}

CloudPlan first_round(const Cluster& cluster, const PlanOptions& options) {
  CloudPlan plan;
  const std::string region = plan_region(cluster, options);
  if (region.empty()) {
    plan.notes.push_back(
        "no region: no Node has an Alibaba Cloud providerID or a topology.kubernetes.io/region "
        "label; give --region");
    return plan;
  }
  if (!valid_region_or_cluster_id(region)) {
    plan.notes.push_back(fmt::format(
        "region \"{}\" is not a valid region id (lower-case letters, digits and dashes): no "
        "call is made; give --region",
        printable(region)));
    return plan;
  }
  const std::string id = cluster_id(cluster, options);
  if (!id.empty() && !valid_region_or_cluster_id(id)) {
    plan.notes.push_back(fmt::format(
        "cluster id \"{}\" (--cluster-id or the ack.aliyun.com label) is not a valid cluster "
        "id: the cs calls are skipped",
        printable(id)));
  } else if (id.empty()) {
    plan.notes.push_back(
        "no cluster id (no Node has the ack.aliyun.com label): the cs calls are skipped; give "
        "--cluster-id");
  } else {
    add_cs_calls(id, region, plan);
  }
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const Object* node : cluster.of_kind("Node")) {
    std::string i = instance_id_from_provider_id(node->spec()["providerID"].str());
    if (!i.empty() && seen.insert(i).second) ids.push_back(std::move(i));
  }
  ids = checked(std::move(ids), "instance id in a Node's spec.providerID", valid_resource_id, plan);
  if (ids.empty()) {
    plan.notes.push_back(
        "no Node has an ECS instance in spec.providerID: instances, security "
        "groups and vSwitches are not collected");
  }
  for (std::size_t from = 0, page = 1; from < ids.size(); from += kIdsPerCall, ++page) {
    const std::vector<std::string> chunk(
        ids.begin() + static_cast<std::ptrdiff_t>(from),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kIdsPerCall)));
    plan.calls.push_back(CliCall{page == 1 ? "ecs-DescribeInstances.json"
                                           : fmt::format("ecs-DescribeInstances-page{}.json", page),
                                 with_region({"ecs", "DescribeInstances", "--InstanceIds",
                                              json_list(chunk), "--PageSize", "100"},
                                             region, false)});
  }
  return plan;
}

CloudPlan second_round(const Cluster& cluster, const PlanOptions& options) {
  CloudPlan plan;
  const std::string region = plan_region(cluster, options);
  if (region.empty() || !valid_region_or_cluster_id(region)) return plan;
  // The cluster id only the instances' ACK tag gave.
  if (cluster.cloud_document("cs", "DescribeClusterDetail") == nullptr) {
    if (const std::string id = cluster_id(cluster, options); !id.empty()) {
      if (valid_region_or_cluster_id(id)) {
        add_cs_calls(id, region, plan);
      } else if (options.cluster_id.empty() && !labelled_cluster(cluster)) {
        // Round one said it already when the flag or a Node label gave this id.
        plan.notes.push_back(fmt::format(
            "cluster id \"{}\" (the instances' ack.aliyun.com tag) is not a valid cluster id: "
            "the cs calls are skipped",
            printable(id)));
      }
    }
  }
  const CloudView view(cluster);
  std::vector<std::string> groups;
  auto add_group = [&groups](const std::string& g) {
    if (!g.empty() && std::find(groups.begin(), groups.end(), g) == groups.end()) {
      groups.push_back(g);
    }
  };
  for (const Instance& in : view.instances()) {
    for (const std::string& g : in.security_group_ids) add_group(g);
  }
  if (view.detail()) add_group(view.detail()->security_group_id);
  for (const std::string& g : view.terway_security_groups()) add_group(g);
  // Instance answers are the cloud's, but eni-config is a ConfigMap cluster users can edit, and
  // an id goes into a JSON argument and a file name: only well-formed ids are used.
  groups = checked(std::move(groups), "security group id", valid_resource_id, plan);
  for (std::size_t from = 0, page = 1; from < groups.size(); from += kIdsPerCall, ++page) {
    const std::vector<std::string> chunk(
        groups.begin() + static_cast<std::ptrdiff_t>(from),
        groups.begin() + static_cast<std::ptrdiff_t>(std::min(groups.size(), from + kIdsPerCall)));
    plan.calls.push_back(CliCall{page == 1
                                     ? "ecs-DescribeSecurityGroups.json"
                                     : fmt::format("ecs-DescribeSecurityGroups-page{}.json", page),
                                 with_region({"ecs", "DescribeSecurityGroups", "--SecurityGroupIds",
                                              json_list(chunk), "--PageSize", "100"},
                                             region, false)});
  }
  for (const std::string& g : groups) {
    plan.calls.push_back(
        CliCall{fmt::format("ecs-DescribeSecurityGroupAttribute-{}.json", g),
                with_region({"ecs", "DescribeSecurityGroupAttribute", "--SecurityGroupId", g},
                            region, false)});
  }
  std::string vpc = view.detail() ? view.detail()->vpc_id : "";
  if (vpc.empty() && !view.instances().empty()) vpc = view.instances()[0].vpc_id;
  if (!vpc.empty() && !valid_resource_id(vpc)) {
    plan.notes.push_back(fmt::format("VPC id \"{}\" is not a valid id: vSwitches are not collected",
                                     printable(vpc)));
    vpc.clear();
  }
  if (!vpc.empty()) {
    plan.calls.push_back(
        CliCall{"vpc-DescribeVSwitches.json",
                with_region({"vpc", "DescribeVSwitches", "--VpcId", vpc, "--PageSize", "50"},
                            region, false)});
  }
  std::string user = options.ram_user;
  if (user.empty()) {
    if (const CloudDocument* who = cluster.cloud_document("sts", "GetCallerIdentity")) {
      // acs:ram::<account>:user/<name>; roles and the root account have no user policies.
      const std::string_view arn = who->root["Arn"].str();
      if (auto at = arn.find(":user/"); at != std::string_view::npos) {
        user = std::string(arn.substr(at + 6));
      }
    }
  }
  if (!user.empty()) {
    plan.calls.push_back(CliCall{"ram-ListPoliciesForUser.json",
                                 {"ram", "ListPoliciesForUser", "--UserName", user}});
  } else {
    plan.notes.push_back(
        "the CLI's identity is not a RAM user: its policies are not collected "
        "(give --ram-user NAME for a user's)");
  }
  return plan;
}

}  // namespace ktriage::cloud
