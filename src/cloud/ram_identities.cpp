#include "cloud/ram_identities.h"

#include <fmt/format.h>

namespace ktriage::cloud {

namespace {

// A policy's document text and where it was read. GetPolicyVersion names the policy only in its
// file name; GetPolicy names it in its content too.
struct DocumentSource {
  std::string_view text;
  std::string file, path;
};

std::optional<DocumentSource> find_document(const Cluster& cluster, std::string_view policy) {
  for (const CloudDocument* d : cluster.cloud_documents("ram", "GetPolicyVersion")) {
    const std::string_view text = d->root["PolicyVersion"]["PolicyDocument"].str();
    if (d->id == policy && !text.empty()) {
      return DocumentSource{text, d->file, ".PolicyVersion.PolicyDocument"};
    }
  }
  for (const CloudDocument* d : cluster.cloud_documents("ram", "GetPolicy")) {
    const Value& p = d->root["Policy"];
    if (d->id != policy && p["PolicyName"].str() != policy) continue;
    if (auto text = d->root["DefaultPolicyVersion"]["PolicyDocument"].str(); !text.empty()) {
      return DocumentSource{text, d->file, ".DefaultPolicyVersion.PolicyDocument"};
    }
    if (auto text = p["PolicyDocument"].str(); !text.empty()) {
      return DocumentSource{text, d->file, ".Policy.PolicyDocument"};
    }
  }
  return std::nullopt;
}

RamIdentity read_identity(const Cluster& cluster, const CloudDocument& list, IdentityKind kind) {
  RamIdentity id;
  id.kind = kind;
  id.file = list.file;
  id.name = list.id;
  if (id.name.empty() && kind == IdentityKind::kUser) {
    if (const CloudDocument* user = cluster.cloud_document("ram", "GetUser")) {
      id.name = std::string(user->root["User"]["UserName"].str());
    }
  }
  // `ktriage collect` asks for the CLI identity's own policies: sts GetCallerIdentity names it
  // in its Arn, acs:ram::<account>:user/<name>.
  if (id.name.empty() && kind == IdentityKind::kUser) {
    if (const CloudDocument* who = cluster.cloud_document("sts", "GetCallerIdentity")) {
      const std::string_view arn = who->root["Arn"].str();
      if (const auto at = arn.find(":user/"); at != std::string_view::npos) {
        id.name = std::string(arn.substr(at + 6));
      }
    }
  }
  for (const Value& p : list.root["Policies"]["Policy"].items()) {
    IdentityPolicy ip;
    ip.name = std::string(p["PolicyName"].str());
    ip.type = std::string(p["PolicyType"].str());
    ip.attach_date = std::string(p["AttachDate"].str());
    if (ip.name.empty()) continue;
    if (auto src = find_document(cluster, ip.name)) {
      ip.document_file = src->file;
      ip.document_path = src->path;
      auto doc = parse_policy_document(src->text);
      if (doc) {
        ip.document = std::move(*doc);
      } else {
        ip.error = doc.error();
      }
    }
    id.policies.push_back(std::move(ip));
  }
  return id;
}

}  // namespace

std::vector<AttachedPolicy> RamIdentity::attached() const {
  std::vector<AttachedPolicy> out;
  out.reserve(policies.size());
  for (const IdentityPolicy& p : policies) {
    out.push_back(AttachedPolicy{p.name, p.type, p.document ? &*p.document : nullptr});
  }
  return out;
}

std::string RamIdentity::describe() const {
  const char* what = kind == IdentityKind::kUser ? "user" : "role";
  if (name.empty()) return fmt::format("the RAM {} (not named in the snapshot)", what);
  return fmt::format("RAM {} {}", what, name);
}

std::vector<RamIdentity> ram_identities(const Cluster& cluster) {
  std::vector<RamIdentity> out;
  for (const CloudDocument* d : cluster.cloud_documents("ram", "ListPoliciesForUser")) {
    out.push_back(read_identity(cluster, *d, IdentityKind::kUser));
  }
  for (const CloudDocument* d : cluster.cloud_documents("ram", "ListPoliciesForRole")) {
    out.push_back(read_identity(cluster, *d, IdentityKind::kRole));
  }
  return out;
}

}  // namespace ktriage::cloud
