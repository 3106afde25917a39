#include "load/cloud_files.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/ascii.h"
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

// The file is skipped: an input problem, and an answer to `call` that could not be used.
void skip_answer(Inputs& out, std::string_view path, const CloudCall& call, SourcePos pos,
                 std::string error, std::string message, std::string api_error = {}) {
  out.issues.push_back(InputIssue{{std::string(path), pos},
                                  std::move(message),
                                  true,
                                  /*unreadable=*/true});
  out.unreadable_cloud.push_back(UnreadableCloudAnswer{std::string(path), call.product, call.action,
                                                       call.id, pos, std::move(error),
                                                       std::move(api_error)});
}

// The shapes src/cloud relies on, checked where positions are known. Each problem is an issue at
// the offending node (line:column when the locator finds it; the JSON path is in the message
// either way). The typed views (cloud/ecs.cpp) skip the same nodes; keep both in step.
class ShapeCheck {
 public:
  ShapeCheck(std::string_view path, const CloudCall& call, const Locator* locator, Inputs& out)
      : path_(path), call_(call), locator_(locator), out_(out) {}

  // Part of the answer is not used (a rule, an instance), not the whole answer.
  void problem(std::span<const PathStep> at, const std::string& what) { add(at, what); }
  // Nothing of the answer can be used: the verdicts that need it name this problem.
  void whole_answer(std::span<const PathStep> at, const std::string& what) {
    const SourcePos pos = add(at, what);
    out_.unreadable_cloud.push_back(UnreadableCloudAnswer{
        std::string(path_), call_.product, call_.action, call_.id, pos, what, {}});
  }

  SourcePos add(std::span<const PathStep> at, const std::string& what) {
    const SourcePos pos = locator_ != nullptr ? locator_->locate(at) : SourcePos{};
    // The file is read; only its content is (partly) unused.
    out_.issues.push_back(InputIssue{{std::string(path_), pos}, what, false});
    return pos;
  }

  static std::string text(std::span<const PathStep> at) {
    std::string out;
    for (const PathStep& s : at) {
      out += s.index >= 0 ? fmt::format("[{}]", s.index) : "." + std::string(s.key);
    }
    return out.empty() ? "the top" : out;
  }

 private:
  std::string_view path_;
  const CloudCall& call_;
  const Locator* locator_;
  Inputs& out_;
};

// "-1/-1", "a/b" or "a" with 1 <= a <= b <= 65535 (cloud::parse_port_range).
bool readable_port_range(std::string_view text) {
  if (text.empty() || text == "-1/-1") return true;
  auto number = [](std::string_view t, int& v) {
    if (t.empty() || t.size() > 5) return false;
    v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    return true;
  };
  const std::size_t slash = text.find('/');
  int a = 0, b = 0;
  if (!number(text.substr(0, slash), a)) return false;
  if (slash == std::string_view::npos) {
    b = a;
  } else if (!number(text.substr(slash + 1), b)) {
    return false;
  }
  return a >= 1 && b <= 65535 && a <= b;
}

// Why one Permission cannot be read, or "".
std::string unreadable_rule(const Value& p) {
  if (!p.is_object()) return "the rule is not an object";
  const std::string_view direction = p["Direction"].str();
  if (!equal_ignoring_case(direction, "ingress") && !equal_ignoring_case(direction, "egress")) {
    return p["Direction"].is_null()
               ? "the rule has no Direction (ingress or egress)"
               : fmt::format("Direction \"{}\" is neither ingress nor egress", direction);
  }
  const Value& policy = p["Policy"];
  if (!policy.is_null() && !policy.str().empty() && !equal_ignoring_case(policy.str(), "accept") &&
      !equal_ignoring_case(policy.str(), "drop")) {
    return fmt::format("Policy \"{}\" is neither Accept nor Drop", policy.str());
  }
  const Value& priority = p["Priority"];
  if (!priority.is_null()) {
    const std::int64_t v = priority.is_number() || priority.is_string() ? priority.as_int(0) : 0;
    if (v < 1 || v > 100) return "Priority is not a number from 1 to 100";
  }
  const Value& range = p["PortRange"];
  if (!range.is_null() && (!range.is_string() || !readable_port_range(range.str()))) {
    return fmt::format("PortRange \"{}\" is not \"-1/-1\" or \"from/to\" (1-65535)",
                       range.is_string() ? range.str() : "(not a string)");
  }
  return {};
}

void check_security_group(const Value& root, ShapeCheck& check) {
  const PathStep perms[] = {{"Permissions"}, {"Permission"}};
  const Value& list = root["Permissions"]["Permission"];
  if (!list.is_array()) {
    check.whole_answer(
        root["Permissions"].is_object() ? std::span<const PathStep>(perms)
                                        : std::span<const PathStep>(perms, 1),
        fmt::format("expected an array at .Permissions.Permission; the rules of {} are "
                    "unknown, so it is treated as not in the snapshot",
                    root["SecurityGroupId"].str().empty()
                        ? std::string("this security group")
                        : std::string(root["SecurityGroupId"].str())));
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string why = unreadable_rule(list[i]);
    if (why.empty()) continue;
    const PathStep at[] = {{"Permissions"}, {"Permission"}, {"", static_cast<int>(i)}};
    check.problem(at,
                  fmt::format("{} at .Permissions.Permission[{}]; the rule is skipped", why, i));
  }
}

void check_instances(const Value& root, ShapeCheck& check) {
  if (!root.is_object()) {
    check.whole_answer({},
                       "expected an object at the top of the `aliyun ecs DescribeInstances` "
                       "answer; its instances are not read");
    return;
  }
  const PathStep list_at[] = {{"Instances"}, {"Instance"}};
  const Value& list = root["Instances"]["Instance"];
  if (!list.is_array()) {
    check.whole_answer(root["Instances"].is_object() ? std::span<const PathStep>(list_at)
                                                     : std::span<const PathStep>(list_at, 1),
                       "expected an array at .Instances.Instance; no instance is read from this "
                       "file");
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Value& in = list[i];
    const int n = static_cast<int>(i);
    if (!in.is_object()) {
      const PathStep at[] = {{"Instances"}, {"Instance"}, {"", n}};
      check.problem(at, fmt::format("expected an object at .Instances.Instance[{}]", i));
      continue;
    }
    const Value& groups = in["SecurityGroupIds"];
    if (groups.is_null() || groups.is_array() || groups["SecurityGroupId"].is_array()) continue;
    const PathStep at[] = {{"Instances"}, {"Instance"}, {"", n}, {"SecurityGroupIds"}};
    check.problem(
        at, fmt::format("expected {{\"SecurityGroupId\": [...]}} at "
                        ".Instances.Instance[{}].SecurityGroupIds; the security groups "
                        "of {} are unknown",
                        i,
                        in["InstanceId"].str().empty() ? std::string("the instance")
                                                       : std::string(in["InstanceId"].str())));
  }
}

void check_shapes(std::string_view path, const Value& root, const CloudCall& call,
                  const Locator* locator, Inputs& out) {
  ShapeCheck check(path, call, locator, out);
  if (call.product != "ecs") return;
  if (call.action == "DescribeSecurityGroupAttribute") check_security_group(root, check);
  if (call.action == "DescribeInstances") check_instances(root, check);
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
  if (!equal_ignoring_case(base.substr(base.size() - 5), ".json")) return std::nullopt;
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

void add_cloud_document(std::string_view path, const Value& root, CloudCall call, Inputs& out,
                        const Locator* locator) {
  check_shapes(path, root, call, locator, out);
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
  std::vector<InputIssue> shape_issues;
  std::vector<UnreadableCloudAnswer> unused;
  const auto errors = read_json(std::string_view(padded.data(), data.size()), *arena,
                                [&](const ParsedDocument& doc, const Locator& locator) {
                                  root = doc.root;
                                  // Positions exist only inside this call: check shapes now.
                                  Inputs found;
                                  if (!is_error_answer(root)) {
                                    check_shapes(path, root, call, &locator, found);
                                  }
                                  shape_issues = std::move(found.issues);
                                  unused = std::move(found.unreadable_cloud);
                                });
  const std::string what = fmt::format("`aliyun {} {}` answer", call.product, call.action);
  if (!errors.empty()) {
    skip_answer(out, path, call, errors.front().pos, errors.front().message,
                fmt::format("{} in the {}; the file was skipped", errors.front().message, what));
    return;
  }
  if (!root.is_object() && !root.is_array()) {
    std::string message = fmt::format("not a JSON object or array, so not the {}", what);
    skip_answer(out, path, call, {1, 1}, message, message);
    return;
  }
  if (is_error_answer(root)) {
    std::string message = fmt::format("the {} is an error, not data: {}: {}", what,
                                      root["Code"].str(), root["Message"].str());
    skip_answer(out, path, call, {}, message, message, std::string(root["Code"].str()));
    return;
  }
  for (InputIssue& i : shape_issues) out.issues.push_back(std::move(i));
  for (UnreadableCloudAnswer& u : unused) out.unreadable_cloud.push_back(std::move(u));
  if (call.id.empty()) call.id = content_id(call.action, root);
  out.cloud.push_back(CloudDocument{std::string(path), std::move(call.product),
                                    std::move(call.action), std::move(call.id), root});
  ++out.files_read;
  out.arenas.push_back(std::move(arena));
}

}  // namespace ktriage
