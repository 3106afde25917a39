#include "apiserver/resources.h"

#include <cctype>
#include <set>

#include "apiserver/json_writer.h"

namespace ktriage::testing {

std::vector<ResourceType> builtin_resource_types() {
  auto t = [](std::string group, std::string kind, std::string plural, bool namespaced,
              std::vector<std::string> short_names = {}) {
    ResourceType r;
    r.group = std::move(group);
    r.version = "v1";
    r.kind = std::move(kind);
    r.plural = std::move(plural);
    for (char c : r.kind) r.singular.push_back(static_cast<char>(std::tolower(c)));
    r.namespaced = namespaced;
    r.short_names = std::move(short_names);
    return r;
  };
  std::vector<ResourceType> out = {
      t("", "Pod", "pods", true, {"po"}),
      t("", "Pod", "pods/log", true),
      t("", "Event", "events", true, {"ev"}),
      t("", "Node", "nodes", false, {"no"}),
      t("", "Service", "services", true, {"svc"}),
      t("", "Endpoints", "endpoints", true, {"ep"}),
      t("", "ConfigMap", "configmaps", true, {"cm"}),
      t("", "Secret", "secrets", true),
      t("", "PersistentVolumeClaim", "persistentvolumeclaims", true, {"pvc"}),
      t("", "PersistentVolume", "persistentvolumes", false, {"pv"}),
      t("", "Namespace", "namespaces", false, {"ns"}),
      t("", "ServiceAccount", "serviceaccounts", true, {"sa"}),
      t("", "ResourceQuota", "resourcequotas", true, {"quota"}),
      t("", "LimitRange", "limitranges", true, {"limits"}),
      t("", "ReplicationController", "replicationcontrollers", true, {"rc"}),
      t("apps", "Deployment", "deployments", true, {"deploy"}),
      t("apps", "ReplicaSet", "replicasets", true, {"rs"}),
      t("apps", "StatefulSet", "statefulsets", true, {"sts"}),
      t("apps", "DaemonSet", "daemonsets", true, {"ds"}),
      t("batch", "Job", "jobs", true),
      t("batch", "CronJob", "cronjobs", true, {"cj"}),
      t("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, {"hpa"}),
      t("policy", "PodDisruptionBudget", "poddisruptionbudgets", true, {"pdb"}),
      t("discovery.k8s.io", "EndpointSlice", "endpointslices", true),
      t("events.k8s.io", "Event", "events", true, {"ev"}),
      t("networking.k8s.io", "Ingress", "ingresses", true, {"ing"}),
      t("networking.k8s.io", "IngressClass", "ingressclasses", false),
      t("networking.k8s.io", "NetworkPolicy", "networkpolicies", true, {"netpol"}),
      t("storage.k8s.io", "StorageClass", "storageclasses", false, {"sc"}),
      t("admissionregistration.k8s.io", "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations", false),
      t("admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations", false),
      t("apiregistration.k8s.io", "APIService", "apiservices", false),
      t("scheduling.k8s.io", "PriorityClass", "priorityclasses", false, {"pc"}),
      t("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false,
        {"crd", "crds"}),
      t("rbac.authorization.k8s.io", "Role", "roles", true),
      t("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false),
      t("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true),
      t("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false),
      t("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false),
      t("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false),
  };
  for (ResourceType& r : out) {
    if (r.group == "autoscaling") r.version = "v2";
    if (r.subresource()) {
      r.singular.clear();
      r.verbs = {"get"};
    }
    if (r.group == "authorization.k8s.io") r.verbs = {"create"};
  }
  return out;
}

std::pair<std::string, std::string> split_api_version(std::string_view api_version) {
  const std::size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

ResourceType custom_resource_type(std::string_view api_version, std::string_view kind) {
  ResourceType r;
  std::tie(r.group, r.version) = split_api_version(api_version);
  r.kind = std::string(kind);
  for (char c : kind) r.singular.push_back(static_cast<char>(std::tolower(c)));
  r.plural = r.singular + "s";
  r.builtin = false;
  return r;
}

namespace {

void append_strings(std::string& out, const std::vector<std::string>& values) {
  out.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, values[i]);
  }
  out.push_back(']');
}

}  // namespace

std::string api_versions_json(const std::string& server_address) {
  std::string out =
      R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":)";
  append_json_string(out, server_address);
  out += "}]}";
  return out;
}

std::string api_group_list_json(const std::vector<ResourceType>& types) {
  std::string out = R"({"kind":"APIGroupList","apiVersion":"v1","groups":[)";
  std::set<std::string> seen;
  bool first = true;
  for (const ResourceType& r : types) {
    if (r.group.empty() || !seen.insert(r.group_version()).second) continue;
    if (!first) out.push_back(',');
    first = false;
    std::string gv;
    gv += R"({"groupVersion":)";
    append_json_string(gv, r.group_version());
    gv += R"(,"version":)";
    append_json_string(gv, r.version);
    gv += "}";
    out += R"({"name":)";
    append_json_string(out, r.group);
    out += R"(,"versions":[)" + gv + R"(],"preferredVersion":)" + gv + "}";
  }
  out += "]}";
  return out;
}

std::string api_resource_list_json(const std::vector<ResourceType>& types, std::string_view group,
                                   std::string_view version) {
  std::string out;
  bool any = false;
  for (const ResourceType& r : types) {
    if (r.group != group || r.version != version) continue;
    out += any ? "," : "";
    any = true;
    out += R"({"name":)";
    append_json_string(out, r.plural);
    out += R"(,"singularName":)";
    append_json_string(out, r.singular);
    out += R"(,"namespaced":)";
    out += r.namespaced ? "true" : "false";
    out += R"(,"kind":)";
    append_json_string(out, r.kind);
    out += R"(,"verbs":)";
    append_strings(out, r.verbs);
    if (!r.short_names.empty()) {
      out += R"(,"shortNames":)";
      append_strings(out, r.short_names);
    }
    out += "}";
  }
  if (!any) return "";
  std::string head = R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":)";
  append_json_string(
      head, group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version));
  return head + R"(,"resources":[)" + out + "]}";
}

}  // namespace ktriage::testing
