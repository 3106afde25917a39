#include "load/cloud_files.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <memory>

#include "load/document.h"

namespace ktriage {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool array_of(const Value& v, std::string_view field) {
  return v.is_array() && (v.size() == 0 || v[0].contains(field));
}

// One recognisable answer: the call, and the test on its root.
struct ContentRule {
  std::string_view product, action;
  bool (*matches)(const Value&);
};

constexpr ContentRule kContentRules[] = {
    {"ecs", "DescribeSecurityGroupAttribute",
     [](const Value& r) { return r["SecurityGroupId"].is_string() && r.contains("Permissions"); }},
    {"ecs", "DescribeSecurityGroups",
     [](const Value& r) { return r["SecurityGroups"]["SecurityGroup"].is_array(); }},
    {"ecs", "DescribeInstances",
     [](const Value& r) { return r["Instances"]["Instance"].is_array(); }},
    {"ecs", "DescribeNetworkInterfaces",
     [](const Value& r) { return r["NetworkInterfaceSets"]["NetworkInterfaceSet"].is_array(); }},
    {"vpc", "DescribeVSwitches",
     [](const Value& r) { return r["VSwitches"]["VSwitch"].is_array(); }},
    {"vpc", "DescribeVpcs", [](const Value& r) { return r["Vpcs"]["Vpc"].is_array(); }},
    {"cs", "DescribeClusterDetail",
     [](const Value& r) { return r["cluster_id"].is_string() && r["cluster_type"].is_string(); }},
    {"cs", "DescribeTaskInfo",
     [](const Value& r) { return r["task_id"].is_string() && r.contains("task_type"); }},
    {"cs", "DescribeClusterTasks", [](const Value& r) { return array_of(r["tasks"], "task_id"); }},
    {"cs", "DescribeClusterEvents",
     [](const Value& r) { return array_of(r["events"], "event_id"); }},
    {"cs", "DescribeClusterNodePools", [](const Value& r) { return r["nodepools"].is_array(); }},
    {"cs", "DescribeClusterNodes",
     [](const Value& r) { return array_of(r["nodes"], "instance_id"); }},
    {"cs", "DescribeClusterLogs",
     [](const Value& r) { return r.size() > 0 && array_of(r, "cluster_log"); }},
    {"ram", "ListPoliciesForUser",
     [](const Value& r) { return r["Policies"]["Policy"].is_array(); }},
    {"ram", "GetPolicyVersion",
     [](const Value& r) { return r["PolicyVersion"].contains("PolicyDocument"); }},
    {"ram", "GetPolicy",
     [](const Value& r) { return r["DefaultPolicyVersion"].contains("PolicyDocument"); }},
};

// The id an answer names itself by, when the file name gives none.
std::string content_id(std::string_view action, const Value& root) {
  if (action == "DescribeSecurityGroupAttribute") return std::string(root["SecurityGroupId"].str());
  if (action == "DescribeTaskInfo") return std::string(root["task_id"].str());
  return {};
}

// An API error the CLI user saved instead of an answer: {"Code", "Message", "RequestId"}.
bool is_error_answer(const Value& root) {
  return root["Code"].is_string() && root["Message"].is_string() && root.size() <= 5;
}

void issue(Inputs& out, std::string_view path, SourcePos pos, std::string message) {
  out.issues.push_back(InputIssue{{std::string(path), pos}, std::move(message), true});
}

}  // namespace

bool could_be_kubernetes(const Value& root) {
  if (root.is_object()) {
    return root.contains("kind") || root.contains("apiVersion") || root.contains("metadata") ||
           root.contains("items");
  }
  for (const Value& item : root.items()) {
    if (item.contains("kind") || item.contains("apiVersion")) return true;
  }
  return false;
}

std::optional<CloudCall> cloud_call_from_name(std::string_view base) {
  if (base.size() < 5) return std::nullopt;
  std::string ext(base.substr(base.size() - 5));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".json") return std::nullopt;
  const std::string_view stem = base.substr(0, base.size() - 5);
  const std::size_t dash = stem.find('-');
  if (dash == 0 || dash == std::string_view::npos) return std::nullopt;
  CloudCall call;
  for (char c : stem.substr(0, dash)) {
    if (!is_alnum(c)) return std::nullopt;
    call.product += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string_view rest = stem.substr(dash + 1);
  const std::size_t end = rest.find('-');
  const std::string_view action = rest.substr(0, end);
  if (action.empty() || !std::isupper(static_cast<unsigned char>(action[0]))) return std::nullopt;
  for (char c : action) {
    if (!is_alnum(c)) return std::nullopt;
  }
  call.action = std::string(action);
  if (end != std::string_view::npos) {
    call.id = std::string(rest.substr(end + 1));
    if (call.id.empty()) return std::nullopt;
  }
  return call;
}

std::optional<CloudCall> cloud_call_from_content(const Value& root) {
  if ((!root.is_object() && !root.is_array()) || could_be_kubernetes(root)) return std::nullopt;
  for (const ContentRule& rule : kContentRules) {
    if (rule.matches(root)) {
      return CloudCall{std::string(rule.product), std::string(rule.action),
                       content_id(rule.action, root)};
    }
  }
  return std::nullopt;
}

bool known_cloud_product(std::string_view product) {
  static constexpr std::array<std::string_view, 10> kProducts = {"ecs", "vpc", "cs",  "ram", "cr",
                                                                 "slb", "alb", "nlb", "ess", "sts"};
  for (std::string_view p : kProducts) {
    if (p == product) return true;
  }
  return false;
}

bool in_cloud_folder(std::string_view path) {
  return path.starts_with("cloud/") || path.find("/cloud/") != std::string_view::npos;
}

void add_cloud_document(std::string_view path, const Value& root, CloudCall call, Inputs& out) {
  if (call.id.empty()) call.id = content_id(call.action, root);
  out.cloud.push_back(CloudDocument{std::string(path), std::move(call.product),
                                    std::move(call.action), std::move(call.id), root});
  ++out.files_read;
}

void load_cloud_file(std::string_view path, std::string_view data, CloudCall call, Inputs& out) {
  // Cloud answers are small: a padded copy costs less than asking the caller for padding.
  std::string padded(data);
  padded.append(kJsonPadding, '\0');
  auto arena = std::make_unique<Arena>();
  Value root;
  const auto errors =
      read_json(std::string_view(padded.data(), data.size()), *arena,
                [&](const ParsedDocument& doc, const Locator&) { root = doc.root; });
  const std::string what = fmt::format("`aliyun {} {}` answer", call.product, call.action);
  if (!errors.empty()) {
    issue(out, path, errors.front().pos,
          fmt::format("{} in the {}; the file was skipped", errors.front().message, what));
    return;
  }
  if (!root.is_object() && !root.is_array()) {
    issue(out, path, {1, 1}, fmt::format("not a JSON object or array, so not the {}", what));
    return;
  }
  if (is_error_answer(root)) {
    issue(out, path, {},
          fmt::format("the {} is an error, not data: {}: {}", what, root["Code"].str(),
                      root["Message"].str()));
    return;
  }
  add_cloud_document(path, root, std::move(call), out);
  out.arenas.push_back(std::move(arena));
}

}  // namespace ktriage
