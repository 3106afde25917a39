// RAM (Alibaba Cloud) authorisation of the users and roles a snapshot's cloud/ folder describes:
// their attached policies (ram ListPoliciesForUser / ListPoliciesForRole) and the documents of
// those policies (GetPolicy / GetPolicyVersion) are evaluated against the actions the fault
// catalog says an operation needs (cloud/ram_operations.h), and against the actions that refusal
// records of the Container Service name ("RAM policy Forbidden for action cs:..."). Each finding
// names the identity, the missing action, the policies examined and what decided, and gives a
// minimal policy with the aliyun commands that attach it. Kubernetes RBAC is not judged here.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "cloud/cs_records.h"
#include "cloud/ram_identities.h"
#include "cloud/ram_operations.h"
#include "cloud/task_causes.h"

namespace ktriage {
namespace {

constexpr std::string_view kAuthFaq =
    "https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/authorization-management-faq";

constexpr Rule kCreate{"ram-create-cluster-not-allowed",
                       "ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION",
                       Severity::kWarning,
                       "A RAM user or role may not create ACK clusters: cs:CreateCluster is not "
                       "allowed",
                       "Attach a policy allowing cs:CreateCluster (and VPC read access).",
                       kAuthFaq};
constexpr Rule kForbidden{"ram-action-forbidden",
                          "ACK-RAM-POLICY-FORBIDDEN",
                          Severity::kCritical,
                          "A Container Service call was refused by RAM policy",
                          "Add the refused action to a policy attached to the user or role.",
                          kAuthFaq};
constexpr Rule kGrant{"ram-cannot-grant-permissions",
                      "ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS",
                      Severity::kWarning,
                      "A RAM user may not grant cluster permissions to other users",
                      "Allow ram:List*, ram:AttachPolicyToUser, cs:GrantPermission and "
                      "cs:GetUserPermissions, and grant the administrator RBAC role.",
                      kAuthFaq};
constexpr Rule kUnreadable{"ram-policy-unreadable",
                           "",
                           Severity::kWarning,
                           "A RAM policy document in the snapshot cannot be read",
                           "Correct the document and set the corrected version as default.",
                           "https://www.alibabacloud.com/help/en/ram/user-guide/"
                           "policy-structure-and-syntax"};
constexpr Rule kRules[] = {kCreate, kForbidden, kGrant, kUnreadable};

ObjectRef identity_ref(const cloud::RamIdentity& id) {
  const char* kind = id.kind == cloud::IdentityKind::kUser ? "RAMUser" : "RAMRole";
  return ObjectRef{kind, "", id.name.empty() ? "(unnamed)" : id.name, ""};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// What a refusal record asks for: the operation's actions, or the one action it names.
struct Demand {
  const Rule* rule = nullptr;
  std::string what;  ///< "create ACK clusters", "call cs:DescribeEvents"
  std::string fix_name;
  std::vector<std::string> actions;
  std::vector<const cloud::CsRecord*> records;
};

// The policies an identity has and how they decided one action, as evidence lines.
void explain(const cloud::RamIdentity& id, const std::string& action, const cloud::Evaluation& ev,
             Finding& f) {
  auto statement = [&](const cloud::StatementRef& s) {
    for (const cloud::IdentityPolicy& p : id.policies) {
      if (p.name != s.policy) continue;
      Evidence e =
          Evidence::field("", fmt::format("{}: Statement[{}]", p.document_path, s.statement),
                          fmt::format("policy {}", p.name));
      e.file = p.document_file;
      return e;
    }
    return Evidence::note("policy " + s.policy);
  };
  for (const auto& s : ev.denies) {
    Evidence e = statement(s);
    e.value += fmt::format(" denies {} (an explicit Deny overrides every Allow)", action);
    f.evidence.push_back(std::move(e));
  }
  for (const auto& s : ev.conditional) {
    Evidence e = statement(s);
    e.value += fmt::format(
        " decides {} only under a Condition: unknown, depends on the request "
        "context",
        action);
    f.evidence.push_back(std::move(e));
  }
  for (const auto& s : ev.scoped) {
    Evidence e = statement(s);
    std::vector<std::string> resources;
    for (const cloud::IdentityPolicy& p : id.policies) {
      if (p.name == s.policy && p.document && s.statement < p.document->statements.size()) {
        resources = p.document->statements[s.statement].resources;
      }
    }
    // Resource-level grants do not cover an operation on every resource (or a new one).
    e.value += fmt::format(" allows {} only on {}", action,
                           resources.empty() ? std::string("some resources") : joined(resources));
    f.evidence.push_back(std::move(e));
  }
  if (!ev.missing_documents.empty()) {
    f.evidence.push_back(Evidence::note(
        fmt::format("no document in the snapshot for {} (aliyun ram GetPolicy --PolicyName <name> "
                    "--PolicyType <type>): {} is unknown for them",
                    joined(ev.missing_documents), action)));
  }
}

// What each document does allow, so the reader sees why nothing covers the action.
void document_evidence(const cloud::RamIdentity& id, Finding& f) {
  for (const cloud::IdentityPolicy& p : id.policies) {
    if (!p.document) continue;
    std::vector<std::string> allowed;
    for (const cloud::PolicyStatement& st : p.document->statements) {
      if (!st.allow) continue;
      for (const std::string& a : st.actions) allowed.push_back(st.not_action ? "all but " + a : a);
    }
    Evidence e = Evidence::field(
        "", p.document_path,
        fmt::format("policy {} ({}) allows {}", p.name, p.type.empty() ? "Custom" : p.type,
                    allowed.empty() ? std::string("nothing") : joined(allowed)));
    e.file = p.document_file;
    f.evidence.push_back(std::move(e));
  }
}

// The fix: edit the Deny that decides, or attach a minimal policy.
std::string fix_for(const cloud::RamIdentity& id, const Demand& d,
                    const std::vector<std::string>& missing,
                    const std::vector<std::string>& denied_by,
                    const std::vector<std::string>& unknown_policies) {
  if (missing.empty() && !unknown_policies.empty()) {
    return fmt::format(
        "Fetch the documents of {} (aliyun ram GetPolicy --PolicyName <name> --PolicyType "
        "<type>, saved in cloud/) and look for a Deny of the action; the known documents allow "
        "it.",
        joined(unknown_policies));
  }
  if (missing.empty()) {
    return "Find which identity made the refused call (ActionTrail) and check its policies.";
  }
  if (!denied_by.empty()) {
    return fmt::format(
        "Remove {} from the Deny statements of {} (an explicit Deny wins over any Allow): "
        "aliyun ram CreatePolicyVersion --PolicyName <name> --PolicyDocument '<edited document>' "
        "--SetAsDefault true.",
        joined(missing), joined(denied_by));
  }
  std::string fix =
      fmt::format("Attach a policy allowing {}: {}", joined(missing),
                  cloud::attach_commands(d.fix_name, cloud::minimal_policy(missing), id.kind,
                                         id.name.empty() ? "<name>" : id.name));
  if (d.rule == &kCreate) {
    // Unless the attached policies already allow reading VPCs (the snapshot shows them).
    const bool vpc_read = cloud::evaluate(id.attached(), "vpc:DescribeVpcs", "*").decision ==
                          cloud::Decision::kAllowed;
    fix += vpc_read ? " — creation also needs the account's Container Service roles authorised."
                    : " — creation also needs VPC read access (attach AliyunVPCReadOnlyAccess) "
                      "and the account's Container Service roles authorised.";
  }
  return fix;
}

// The summary's verdict on the demanded actions.
std::string verdict_of(bool unseen, const std::vector<std::string>& missing,
                       const std::vector<std::pair<std::string, cloud::Evaluation>>& evals) {
  if (unseen) {
    return "refused, and the snapshot holds no ram ListPoliciesForUser / ListPoliciesForRole "
           "answer to check";
  }
  // Allowed by the documents at hand, but a policy without a document may deny it.
  std::vector<std::string> unless;
  for (const auto& [action, ev] : evals) {
    if (ev.decision != cloud::Decision::kAllowedUnlessDenied) continue;
    unless.push_back(fmt::format("{} is allowed unless {} {} it", action,
                                 joined(ev.missing_documents),
                                 ev.missing_documents.size() == 1 ? "denies" : "deny"));
  }
  if (missing.empty() && unless.empty()) {
    return "its attached policies allow it now, so the refusal came from another identity or "
           "an earlier policy version";
  }
  std::string out;
  if (evals.size() == 1 && !missing.empty()) {
    out = fmt::format("{} is {}", missing[0], cloud::to_string(evals[0].second.decision));
  } else if (!missing.empty()) {
    out = fmt::format("{} are not allowed", joined(missing));
  }
  for (const std::string& u : unless) out += (out.empty() ? "" : "; ") + u;
  return out;
}

void report(const cloud::RamIdentity& id, const Demand& d, FindingSink& sink) {
  const auto policies = id.attached();
  std::vector<std::string> missing, denied_by, unknown_policies;
  std::vector<std::pair<std::string, cloud::Evaluation>> evals;
  bool determined = true;
  for (const std::string& action : d.actions) {
    cloud::Evaluation ev = cloud::evaluate(policies, action, "*");
    if (ev.decision == cloud::Decision::kAllowed) continue;
    if (ev.decision == cloud::Decision::kAllowedUnlessDenied) {
      // Allowed as far as the snapshot shows: worth a word only when a refusal says otherwise.
      if (d.records.empty()) continue;
      determined = false;
      for (const std::string& p : ev.missing_documents) {
        if (std::find(unknown_policies.begin(), unknown_policies.end(), p) ==
            unknown_policies.end()) {
          unknown_policies.push_back(p);
        }
      }
      evals.emplace_back(action, std::move(ev));
      continue;
    }
    if (ev.decision == cloud::Decision::kConditional || ev.decision == cloud::Decision::kUnknown) {
      determined = false;
    }
    for (const auto& s : ev.denies) denied_by.push_back(s.policy);
    missing.push_back(action);
    evals.emplace_back(action, std::move(ev));
  }
  if (missing.empty() && d.records.empty()) return;
  std::vector<std::string> names;
  for (const auto& p : id.policies) names.push_back(p.name);
  const bool unseen = id.file.empty();
  const std::string examined = unseen          ? "none in the snapshot"
                               : names.empty() ? "none attached"
                                               : joined(names);
  Finding& f = sink.add(*d.rule, identity_ref(id),
                        fmt::format("{} {} {}: {} (policies examined: {})", id.describe(),
                                    determined ? "may not" : "might not be allowed to", d.what,
                                    verdict_of(unseen, missing, evals), examined),
                        d.fix_name);
  if (f.id.empty()) return;
  // Only a Condition or a missing document stands between the identity and the action, and no
  // record shows a refusal: say so without claiming a fault.
  if (!determined && d.records.empty()) f.severity = Severity::kInfo;
  if (!unseen) {
    Evidence list = Evidence::field("", ".Policies.Policy[].PolicyName", examined);
    list.file = id.file;
    f.evidence.push_back(std::move(list));
  }
  if (!missing.empty() || !unknown_policies.empty()) document_evidence(id, f);
  for (const auto& [action, ev] : evals) explain(id, action, ev, f);
  for (const cloud::CsRecord* r : d.records) f.evidence.push_back(cloud::record_evidence(*r));
  f.fix = fix_for(id, d, missing, denied_by, unknown_policies);
}

// "RAM policy Forbidden for action cs:DescribeEvents" → "cs:DescribeEvents".
std::string refused_action(std::string_view matched) {
  const std::size_t at = matched.rfind(' ');
  return std::string(at == std::string_view::npos ? matched : matched.substr(at + 1));
}

// The operations checked for everyone, and what the refusal records ask for. `records` must
// outlive the result (demands point into it).
std::vector<Demand> demands(const std::vector<cloud::CsRecord>& records) {
  const cloud::CauseMatcher refusals(cloud::ram_refusal_causes());
  std::map<std::string, Demand> by_key;  // ordered: deterministic output
  auto for_operation = [&](const cloud::RamOperation& op) -> Demand& {
    Demand& d = by_key[std::string(op.catalog)];
    if (d.rule == nullptr) {
      d.rule = op.catalog == kCreate.catalog ? &kCreate : &kGrant;
      d.what = std::string(op.what);
      d.fix_name = fmt::format("ktriage-{}", op.id);
      d.actions.assign(op.actions.begin(), op.actions.end());
    }
    return d;
  };
  for (const cloud::RamOperation& op : cloud::ram_operations()) {
    if (op.always) for_operation(op);
  }
  for (const cloud::CsRecord& r : records) {
    auto hit = refusals.match(r.text);
    if (!hit) continue;
    if (hit->row->catalog == kForbidden.catalog) {
      const std::string action = refused_action(hit->matched);
      Demand& d = by_key["refused " + action];
      if (d.rule == nullptr) {
        d.rule = &kForbidden;
        d.what = "call " + action;
        std::string name = "ktriage-allow-" + action;
        for (char& c : name) c = c == ':' ? '-' : c;
        d.fix_name = std::move(name);
        d.actions = {action};
      }
      d.records.push_back(&r);
      continue;
    }
    for (const cloud::RamOperation& op : cloud::ram_operations()) {
      if (op.catalog == hit->row->catalog) for_operation(op).records.push_back(&r);
    }
  }
  std::vector<Demand> out;
  for (auto& [key, d] : by_key) out.push_back(std::move(d));
  return out;
}

void run(const AnalysisContext& ctx, FindingSink& sink) {
  const auto identities = cloud::ram_identities(ctx.cluster);
  for (const cloud::RamIdentity& id : identities) {
    for (const cloud::IdentityPolicy& p : id.policies) {
      if (!p.error) continue;
      Finding& f = sink.add(
          kUnreadable, identity_ref(id),
          fmt::format("Policy {} attached to {} cannot be read: {}{}{}", p.name, id.describe(),
                      p.error->where, p.error->where.empty() ? "" : ": ", p.error->message),
          p.name);
      if (f.id.empty()) continue;
      Evidence e = Evidence::field("", p.document_path, p.error->message);
      e.file = p.document_file;
      f.evidence.push_back(std::move(e));
      f.fix = fmt::format(
          "RAM would not have accepted this document: the snapshot's copy is damaged or edited. "
          "Fetch it again (aliyun ram GetPolicy --PolicyName {} --PolicyType {}); until then "
          "what it allows is unknown.",
          p.name, p.type.empty() ? "Custom" : p.type);
    }
  }
  const auto records = cloud::cs_records(ctx.cluster);
  for (const Demand& d : demands(records)) {
    for (const cloud::RamIdentity& id : identities) report(id, d, sink);
    // A refusal with no identity to check still says what is missing.
    if (identities.empty() && !d.records.empty()) report(cloud::RamIdentity{}, d, sink);
  }
}

}  // namespace

const AnalyzerDef& ram_analyzer() {
  static const AnalyzerDef def{"ram", kRules, &run};
  return def;
}

}  // namespace ktriage
