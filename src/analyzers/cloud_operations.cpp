// Failed Container Service operations: cluster creation, node-add and node-pool scale-out. Reads
// the cs answers of a snapshot's cloud/ folder (cloud/cs_records.h: failed tasks, cluster logs,
// cluster events; AttachInstances answers; DescribeClusterDetail's state), matches each record's
// text against the catalog's known causes (cloud/task_causes.h) and reports one finding per cause
// and cluster or node pool, with the records as evidence. A failed, inactive or unavailable
// cluster is explained by the causes found on it. Refusals by RAM policy are the ram analyzer's.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "cloud/cs.h"
#include "cloud/cs_records.h"
#include "cloud/ecs.h"
#include "cloud/task_causes.h"

namespace ktriage {
namespace {

constexpr std::string_view kAuthFaq =
    "https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/authorization-management-faq";

// One rule per catalog entry of cloud::cs_record_causes(); title and fix come from the table row.
constexpr Rule kRules[] = {
    {"ack-service-role-not-authorized", "ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED",
     Severity::kCritical, "A Container Service service role is not authorised in the account",
     "As the account owner, authorise the AliyunCS* roles the error links to, then retry.",
     kAuthFaq},
    {"ack-console-feature-forbidden", "ACK-RAM-CONSOLE-FEATURE-FORBIDDEN", Severity::kWarning,
     "A console feature was refused: the user's RBAC role on the cluster is too weak",
     "Grant the predefined RBAC role the feature needs.", kAuthFaq},
    {"ack-node-add-forbidden-rbac", "ACK-NODE-ADD-FORBIDDEN-RBAC", Severity::kWarning,
     "Adding existing nodes was refused: the user lacks the administrator or O&M RBAC role",
     "Grant the administrator or O&M engineer RBAC role on the cluster.", kAuthFaq},
    {"ack-instance-type-unavailable", "ACK-CREATE-INSTANCE-TYPE-UNAVAILABLE", Severity::kCritical,
     "Instance creation failed: the instance type is sold out or not offered in the zone",
     "Configure several instance types and vSwitches in different zones.",
     "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
     "check-the-scalability-of-a-node-pool"},
    {"ack-nodepool-config-mismatch", "ACK-CREATE-NODEPOOL-CONFIG-MISMATCH", Severity::kCritical,
     "The node pool's image, disks or vSwitches do not suit its instance types",
     "Change instance types, disk category or image; replace deleted vSwitches.",
     "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
     "check-the-scalability-of-a-node-pool"},
    {"ack-vswitch-ip-exhausted", "ACK-CREATE-VSWITCH-OR-CIDR-PROBLEM", Severity::kCritical,
     "A vSwitch has no free IP addresses for new nodes or pods",
     "Add larger or additional vSwitches.",
     "https://alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createvswitch"},
    {"ack-quota-exceeded", "ACK-CREATE-QUOTA-EXCEEDED", Severity::kCritical,
     "A cloud quota is used up", "Request a quota increase in Quota Center.",
     "https://www.alibabacloud.com/help/en/cs/user-guide/cluster-inspection-items-and-solutions"},
    {"ack-account-overdue", "ACK-CREATE-ACCOUNT-OVERDUE", Severity::kCritical,
     "The account has an overdue payment: ECS refuses to create resources",
     "Settle the overdue amount, then retry.",
     "https://help.aliyun.com/en/ecs/developer-reference/"
     "api-behavior-for-accounts-that-have-overdue-payments"},
    {"ack-node-login-credential-invalid", "ACK-NODE-ADD-LOGIN-CREDENTIAL-INVALID",
     Severity::kCritical, "Adding nodes failed: the login password or key pair is invalid",
     "Pass a compliant password or an existing key pair.",
     "https://www.alibabacloud.com/help/en/container-service-for-kubernetes/latest/"
     "add-existing-ecs-instances"},
    {"ack-node-cannot-reach-control-plane", "ACK-NODE-ADD-CANNOT-REACH-CONTROL-PLANE",
     Severity::kCritical, "A new node cannot reach the API server",
     "Put the node in the cluster security group; allow outbound to the API server.",
     "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
     "configure-security-group-rules-to-enforce-access-control-on-ack-clusters"},
    {"ack-invalid-parameters", "ACK-CREATE-INVALID-PARAMETERS", Severity::kWarning,
     "The request's parameters are invalid or inconsistent",
     "Generate the request body from the console's \"Equivalent Code\".",
     "https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
     "api-cs-2015-12-15-createcluster"},
    {"ack-node-add-instance-not-eligible", "ACK-NODE-ADD-INSTANCE-NOT-ELIGIBLE",
     Severity::kCritical, "An ECS instance could not be added to the cluster",
     "Pick instances in the cluster's VPC, Running, in no other cluster, of a supported type.",
     "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
     "api-cs-2015-12-15-attachinstances"},
    {"ack-cluster-state-abnormal", "ACK-CLUSTER-STATE-FAILED-INACTIVE-UNAVAILABLE",
     Severity::kCritical, "The ACK cluster is failed, inactive or unavailable",
     "Act on the failing step; restore deleted dependent resources (the API server CLB).",
     "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
     "cluster-abnormal-states"},
    {"ack-default-nodepool-docker-runtime", "ACK-NODE-ADD-RUNTIME-INCOMPATIBLE", Severity::kWarning,
     "The default node pool uses Docker on a cluster of 1.24 or later: attached nodes cannot join",
     "Attach nodes into an explicit node pool that runs containerd.",
     "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
     "api-manually-add-an-existing-instance-to-a-specified-node-pool"},
    {"ack-task-failed", "", Severity::kWarning,
     "A cluster task failed for a cause the fault catalog does not list",
     "Read the task's error and stages (aliyun cs DescribeTaskInfo --task_id ...).",
     "https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
     "api-cs-2015-12-15-describetaskinfo"},
};
const Rule& rule(std::string_view id) {
  for (const Rule& r : kRules) {
    if (r.id == id) return r;
  }
  return kRules[0];
}
constexpr std::size_t kShownRecords = 5;

ObjectRef cluster_ref(const std::optional<cloud::ClusterDetail>& detail, std::string_view id) {
  if (detail && (id.empty() || id == detail->id)) {
    return ObjectRef{"ACKCluster", "", detail->name.empty() ? detail->id : detail->name,
                     detail->id};
  }
  return ObjectRef{"ACKCluster", "", id.empty() ? "(unnamed)" : std::string(id), std::string(id)};
}

ObjectRef object_of(const cloud::CsRecord& r, const std::optional<cloud::ClusterDetail>& detail) {
  if (r.target_type == "nodepool" && !r.target_id.empty()) {
    return ObjectRef{"ACKNodePool", "", r.target_id, r.target_id};
  }
  return cluster_ref(detail, r.cluster_id);
}

// "task T-1 (cluster_scaleout) failed" or "cluster log" / "cluster event", for summaries.
std::string where_text(const cloud::CsRecord& r) {
  if (!r.task_id.empty()) {
    return fmt::format("task {}{} failed", r.task_id,
                       r.task_type.empty() ? "" : " (" + r.task_type + ")");
  }
  return r.doc->action == "DescribeClusterLogs" ? "the cluster log says" : "a cluster event says";
}

struct Group {
  const Rule* rule = nullptr;
  const cloud::CauseRow* row = nullptr;
  ObjectRef object;
  std::string matched;
  std::vector<const cloud::CsRecord*> records;
};

// The AliyunCS* role names in the records (the error's authorisation link names the missing
// roles in its URL-encoded query, fault catalog ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED).
std::string service_roles(const std::vector<const cloud::CsRecord*>& records) {
  std::vector<std::string> roles;
  for (const cloud::CsRecord* r : records) {
    const std::string_view text = r->text;
    for (std::size_t at = text.find("AliyunCS"); at != std::string_view::npos;
         at = text.find("AliyunCS", at + 1)) {
      std::size_t end = at;
      while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
      std::string role(text.substr(at, end - at));
      if (role.size() > 8 && std::find(roles.begin(), roles.end(), role) == roles.end()) {
        roles.push_back(std::move(role));
      }
    }
  }
  std::string out;
  for (const std::string& r : roles) out += (out.empty() ? "" : ", ") + r;
  return out;
}

void report_group(const Group& g, FindingSink& sink, std::vector<std::string>& ids) {
  const cloud::CsRecord& first = *g.records.front();
  Finding& f = sink.add(
      *g.rule, g.object,
      fmt::format("{} {}: {} ({})", g.object.kind, g.object.name, g.row->title, g.matched));
  if (f.id.empty()) return;
  f.summary = fmt::format("{} {}: {}: {} ({})", g.object.kind, g.object.name, where_text(first),
                          g.row->title, g.matched);
  for (std::size_t i = 0; i < g.records.size() && i < kShownRecords; ++i) {
    f.evidence.push_back(cloud::record_evidence(*g.records[i]));
  }
  if (g.records.size() > kShownRecords) {
    f.evidence.push_back(Evidence::note(
        fmt::format("and {} more records with the same cause", g.records.size() - kShownRecords)));
  }
  f.fix = fmt::format("{}.", g.row->fix);
  if (g.rule->catalog == "ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED") {
    const std::string roles = service_roles(g.records);
    if (!roles.empty()) f.fix += fmt::format(" Roles the error names: {}.", roles);
  }
  if (g.row->doc != g.rule->doc) f.links.emplace_back(g.row->doc);
  ids.push_back(f.id);
}

// Records matched to causes, one group per (rule, object); unmatched failed tasks apart.
void report_records(const AnalysisContext& ctx, const std::optional<cloud::ClusterDetail>& detail,
                    FindingSink& sink, std::vector<std::string>& ids) {
  const cloud::CauseMatcher matcher(cloud::cs_record_causes());
  const cloud::CauseMatcher ram(cloud::ram_refusal_causes());
  const auto records = cloud::cs_records(ctx.cluster);
  std::map<std::string, Group> groups;  // ordered: output does not depend on hashing
  std::map<std::string, std::vector<const cloud::CsRecord*>> unexplained;  // by task id
  std::map<std::string, bool> task_explained;
  for (const cloud::CsRecord& r : records) {
    auto hit = matcher.match(r.text);
    if (!hit) {
      if (ram.match(r.text)) {
        task_explained[r.task_id] = true;  // the ram analyzer reports it
      } else if (!r.task_id.empty()) {
        unexplained[r.task_id].push_back(&r);
      }
      continue;
    }
    const Rule* rule = rule_for_catalog(kRules, hit->row->catalog);
    if (rule == nullptr) continue;
    ObjectRef object = object_of(r, detail);
    Group& g = groups[std::string(rule->id) + "|" + object.key()];
    if (g.records.empty()) {
      g.rule = rule;
      g.row = hit->row;
      g.object = std::move(object);
      g.matched = hit->matched;
    }
    g.records.push_back(&r);
    task_explained[r.task_id] = true;
  }
  for (const auto& [key, g] : groups) report_group(g, sink, ids);
  for (const auto& [task, recs] : unexplained) {
    if (task_explained[task]) continue;
    const cloud::CsRecord& first = *recs.front();
    Finding& f = sink.add(rule("ack-task-failed"), object_of(first, detail),
                          fmt::format("{} {}: {}", object_of(first, detail).kind,
                                      object_of(first, detail).name, where_text(first)),
                          task);
    if (f.id.empty()) continue;
    for (std::size_t i = 0; i < recs.size() && i < kShownRecords; ++i) {
      f.evidence.push_back(cloud::record_evidence(*recs[i]));
    }
    f.fix = fmt::format(
        "No known cause matches the task's messages: read them in full with `aliyun cs "
        "DescribeTaskInfo --task_id {}` and act on the failing stage.",
        task);
    ids.push_back(f.id);
  }
}

// AttachInstances / AttachInstancesToNodePool answers list each instance with a code; "200" is
// success (fault catalog, ACK-NODE-ADD-INSTANCE-NOT-ELIGIBLE).
void report_attach(const AnalysisContext& ctx, const std::optional<cloud::ClusterDetail>& detail,
                   FindingSink& sink, std::vector<std::string>& ids) {
  for (std::string_view action : {"AttachInstances", "AttachInstancesToNodePool"}) {
    for (const CloudDocument* doc : ctx.cluster.cloud_documents("cs", action)) {
      const auto list = doc->root["list"].items();
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string_view code = list[i]["code"].str();
        const std::string_view instance = list[i]["instanceId"].str();
        if (code.empty() || code == "200") continue;
        ObjectRef object = action == "AttachInstancesToNodePool" && !doc->id.empty()
                               ? ObjectRef{"ACKNodePool", "", doc->id, doc->id}
                               : cluster_ref(detail, action == "AttachInstances" ? doc->id : "");
        Finding& f =
            sink.add(rule("ack-node-add-instance-not-eligible"), object,
                     fmt::format("{} {}: ECS instance {} was not added: {} (code {})", object.kind,
                                 object.name, instance, list[i]["message"].str(), code),
                     instance);
        if (f.id.empty()) continue;
        Evidence e = Evidence::field("", fmt::format(".list[{}]", i),
                                     fmt::format("instanceId {} code {} message {}", instance, code,
                                                 list[i]["message"].str()));
        e.file = doc->file;
        f.evidence.push_back(std::move(e));
        f.fix = fmt::format(
            "Instance {} must be in the cluster's VPC, Running, in no other cluster or scaling "
            "group, and of a supported OS, type and architecture: pick an eligible instance or "
            "remove it from the other cluster first. Attaching replaces the system disk: back up "
            "its data.",
            instance);
        ids.push_back(f.id);
      }
    }
  }
}

// ECS locks instances of an account with an overdue payment ("LockReason": "financial", fault
// catalog ACK-CREATE-ACCOUNT-OVERDUE): then no instance can be created for the cluster either.
void report_financial_locks(const AnalysisContext& ctx,
                            const std::optional<cloud::ClusterDetail>& detail, FindingSink& sink,
                            std::vector<std::string>& ids) {
  std::vector<cloud::Instance> locked;
  for (cloud::Instance& i : cloud::instances(ctx.cluster)) {
    for (const std::string& reason : i.lock_reasons) {
      if (reason == "financial") {
        locked.push_back(std::move(i));
        break;
      }
    }
  }
  if (locked.empty()) return;
  const ObjectRef object = cluster_ref(detail, "");
  Finding& f =
      sink.add(rule("ack-account-overdue"), object,
               fmt::format("{} {}: ECS has locked {} instance{} of the account for an "
                           "overdue payment: new nodes cannot be created",
                           object.kind, object.name, locked.size(), locked.size() == 1 ? "" : "s"),
               "financial-lock");
  if (f.id.empty()) return;
  for (std::size_t i = 0; i < locked.size() && i < kShownRecords; ++i) {
    Evidence e = Evidence::field(
        "instance " + locked[i].id,
        fmt::format(".Instances.Instance[{}].OperationLocks.LockReason", locked[i].index),
        "financial");
    e.file = locked[i].file;
    f.evidence.push_back(std::move(e));
  }
  f.fix =
      "Settle the overdue amount in the billing console (Expenses > Account overview); ECS "
      "refuses CreateInstance, CreateDisk, AttachDisk and AllocatePublicIpAddress until then. "
      "Then retry the operation.";
  ids.push_back(f.id);
}

// "1.24.6-aliyun.1" -> {1, 24}; nullopt when it does not start with major.minor.
std::optional<std::pair<int, int>> major_minor(std::string_view v) {
  int major = 0, minor = 0;
  std::size_t i = 0;
  auto number = [&](int& out) {
    const std::size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && i - start < 4)
      out = out * 10 + (v[i++] - '0');
    return i > start;
  };
  if (!number(major) || i >= v.size() || v[i++] != '.' || !number(minor)) return std::nullopt;
  return std::pair{major, minor};
}

// Attaching without a node pool id uses the default node pool's runtime; Docker is supported
// only up to Kubernetes 1.22, so on 1.24+ such nodes never register (fault catalog,
// ACK-NODE-ADD-RUNTIME-INCOMPATIBLE). Read: DescribeClusterNodePools nodepools[].nodepool_info
// .is_default / .nodepool_id / .name and .kubernetes_config.runtime / .runtime_version.
void report_docker_default_pool(const AnalysisContext& ctx,
                                const std::optional<cloud::ClusterDetail>& detail,
                                FindingSink& sink) {
  if (!detail) return;
  const auto version = major_minor(detail->version);
  if (!version || *version < std::pair{1, 24}) return;
  for (const CloudDocument* doc : ctx.cluster.cloud_documents("cs", "DescribeClusterNodePools")) {
    const auto pools = doc->root["nodepools"].items();
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const Value& info = pools[i]["nodepool_info"];
      const std::string_view runtime = pools[i]["kubernetes_config"]["runtime"].str();
      if (!info["is_default"].as_bool() || runtime != "docker") continue;
      const std::string id(info["nodepool_id"].str());
      ObjectRef pool{"ACKNodePool", "", id.empty() ? std::string(info["name"].str()) : id, id};
      Finding& f = sink.add(
          rule("ack-default-nodepool-docker-runtime"), pool,
          fmt::format("ACKNodePool {}: the default node pool runs Docker on Kubernetes {}: ECS "
                      "instances attached without a node pool id get Docker and never register",
                      pool.name, detail->version));
      if (f.id.empty()) continue;
      Evidence e = Evidence::field(
          "", fmt::format(".nodepools[{}].kubernetes_config.runtime", i),
          fmt::format("docker {}", pools[i]["kubernetes_config"]["runtime_version"].str()));
      e.file = doc->file;
      f.evidence.push_back(std::move(e));
      Evidence v = Evidence::field("", ".current_version", detail->version);
      v.file = detail->file;
      f.evidence.push_back(std::move(v));
      f.fix = fmt::format(
          "Docker is supported only up to Kubernetes 1.22: attach instances into a node pool that "
          "uses containerd (aliyun cs AttachInstancesToNodePool --ClusterId {} --NodepoolId "
          "<containerd pool> ...) and replace the legacy default node pool.",
          detail->id);
    }
  }
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const auto detail = cloud::cluster_detail(ctx.cluster);
  std::vector<std::string> causes;
  report_records(ctx, detail, sink, causes);
  report_attach(ctx, detail, sink, causes);
  report_financial_locks(ctx, detail, sink, causes);
  report_docker_default_pool(ctx, detail, sink);
  if (!detail) return;
  const std::string& state = detail->state;
  if (state != "failed" && state != "inactive" && state != "unavailable") return;
  Finding& f = sink.add(
      rule("ack-cluster-state-abnormal"), cluster_ref(detail, ""),
      fmt::format("ACK cluster {} is {}", detail->name.empty() ? detail->id : detail->name, state));
  if (f.id.empty()) return;
  Evidence e = Evidence::field("", ".state", state);
  e.file = detail->file;
  f.evidence.push_back(std::move(e));
  // Node-pool failures happen on a running cluster: only the cluster's own causes explain it.
  for (const std::string& id : causes) {
    if (id.find(":ACKCluster/") != std::string::npos) f.add_cause(id);
  }
  f.fix =
      state == "failed"
          ? "Creation failed at a step: act on the causes listed (the cluster's task and log "
            "records), then delete the failed cluster and create it again."
          : "Restore or recreate the deleted or abnormal dependent resources (typically the API "
            "server's CLB instance and its backends); ACK sends the reason by email and internal "
            "message.";
}

}  // namespace

const AnalyzerDef& cloud_operations_analyzer() {
  static const AnalyzerDef def{"cloud_operations", kRules, &run};
  return def;
}

}  // namespace ktriage
