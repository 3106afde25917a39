#include "analyzers/common/applied_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <span>
#include <vector>

#include "core/edit_distance.h"

namespace ktriage {
namespace {

// Field names of the workload types (Pod, PodSpec, Container, Probe and its handlers, ports,
// env, volume mounts, common volumes, resources, security contexts, lifecycle, tolerations,
// ObjectMeta, LabelSelector, Deployment/StatefulSet/DaemonSet/Job/CronJob specs, Service spec and
// ports), from the Kubernetes 1.35 OpenAPI document (k8s-openapi/1.35/swagger.json), sorted.
// clang-format off
constexpr std::string_view kFieldNames[] = {
    "activeDeadlineSeconds", "affinity", "allocateLoadBalancerNodePorts",
    "allowPrivilegeEscalation", "annotations", "apiVersion", "appArmorProfile", "appProtocol",
    "args", "automountServiceAccountToken", "awsElasticBlockStore", "azureDisk", "azureFile",
    "backoffLimit", "backoffLimitPerIndex", "capabilities", "cephfs", "cinder", "claimName",
    "claims", "clusterIP", "clusterIPs", "command", "completionMode", "completions",
    "concurrencyPolicy", "configMap", "configMapKeyRef", "configMapRef", "containerPort",
    "containers", "creationTimestamp", "csi", "defaultMode", "deletionGracePeriodSeconds",
    "deletionTimestamp", "dnsConfig", "dnsPolicy", "downwardAPI", "effect", "emptyDir",
    "enableServiceLinks", "env", "envFrom", "ephemeral", "ephemeralContainers", "exec",
    "externalIPs", "externalName", "externalTrafficPolicy", "failedJobsHistoryLimit",
    "failureThreshold", "fc", "fieldRef", "fileKeyRef", "finalizers", "flexVolume", "flocker",
    "fsGroup", "fsGroupChangePolicy", "gcePersistentDisk", "generateName", "generation", "gitRepo",
    "glusterfs", "grpc", "healthCheckNodePort", "host", "hostAliases", "hostIP", "hostIPC",
    "hostNetwork", "hostPID", "hostPath", "hostPort", "hostUsers", "hostname", "hostnameOverride",
    "httpGet", "httpHeaders", "image", "imagePullPolicy", "imagePullSecrets", "initContainers",
    "initialDelaySeconds", "internalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "iscsi",
    "items", "jobTemplate", "key", "kind", "labels", "lifecycle", "limits", "livenessProbe",
    "loadBalancerClass", "loadBalancerIP", "loadBalancerSourceRanges", "managedBy", "managedFields",
    "manualSelector", "matchExpressions", "matchLabels", "maxFailedIndexes", "maxSurge",
    "maxUnavailable", "medium", "metadata", "minReadySeconds", "mountPath", "mountPropagation",
    "name", "namespace", "nfs", "nodeAffinity", "nodeName", "nodePort", "nodeSelector", "operator",
    "optional", "ordinals", "os", "overhead", "ownerReferences", "parallelism", "path", "paused",
    "periodSeconds", "persistentVolumeClaim", "persistentVolumeClaimRetentionPolicy",
    "photonPersistentDisk", "podAffinity", "podAntiAffinity", "podFailurePolicy",
    "podManagementPolicy", "podReplacementPolicy", "port", "ports", "portworxVolume", "postStart",
    "preStop", "preemptionPolicy", "prefix", "priority", "priorityClassName", "privileged",
    "procMount", "progressDeadlineSeconds", "projected", "protocol", "publishNotReadyAddresses",
    "quobyte", "rbd", "readOnly", "readOnlyRootFilesystem", "readinessGates", "readinessProbe",
    "recursiveReadOnly", "replicas", "requests", "resizePolicy", "resourceClaims",
    "resourceFieldRef", "resourceVersion", "resources", "restartPolicy", "restartPolicyRules",
    "revisionHistoryLimit", "rollingUpdate", "runAsGroup", "runAsNonRoot", "runAsUser",
    "runtimeClassName", "scaleIO", "schedule", "schedulerName", "schedulingGates", "scheme",
    "seLinuxChangePolicy", "seLinuxOptions", "seccompProfile", "secret", "secretKeyRef",
    "secretName", "secretRef", "securityContext", "selector", "selfLink", "service",
    "serviceAccount", "serviceAccountName", "serviceName", "sessionAffinity",
    "sessionAffinityConfig", "setHostnameAsFQDN", "shareProcessNamespace", "sizeLimit", "sleep",
    "spec", "startingDeadlineSeconds", "startupProbe", "stdin", "stdinOnce", "stopSignal",
    "storageos", "strategy", "subPath", "subPathExpr", "subdomain", "successPolicy",
    "successThreshold", "successfulJobsHistoryLimit", "supplementalGroups",
    "supplementalGroupsPolicy", "suspend", "sysctls", "targetPort", "tcpSocket", "template",
    "terminationGracePeriodSeconds", "terminationMessagePath", "terminationMessagePolicy",
    "timeZone", "timeoutSeconds", "tolerationSeconds", "tolerations", "topologySpreadConstraints",
    "trafficDistribution", "ttlSecondsAfterFinished", "tty", "type", "uid", "updateStrategy",
    "value", "valueFrom", "volumeClaimTemplates", "volumeDevices", "volumeMounts", "volumes",
    "vsphereVolume", "windowsOptions", "workingDir", "workloadRef",
};
// clang-format on

// Maps whose keys are data, not field names: never walked.
constexpr std::string_view kFreeFormMaps[] = {
    "labels",     "annotations", "matchLabels", "nodeSelector", "data",
    "stringData", "binaryData",  "limits",      "requests",     "hard",
    "capacity",   "allocatable", "overhead",    "parameters",   "volumeAttributes",
};

// Set by the API server, or cleared by it on purpose: absent live is not a typo.
//   metadata: server-owned fields a manifest copied from `kubectl get -o yaml` may carry.
//   Service (pkg/registry/core/service/strategy.go dropTypeDependentFields, v1.20+): fields
//   that do not apply to the Service's type are cleared.
constexpr std::string_view kServerManaged[] = {
    "status",
    "creationTimestamp",
    "resourceVersion",
    "uid",
    "generation",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "nodePort",
    "healthCheckNodePort",
    "externalTrafficPolicy",
    "loadBalancerClass",
    "clusterIP",
    "clusterIPs",
    "allocateLoadBalancerNodePorts",
};

bool in(std::span<const std::string_view> list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The API server's JSON encoding omits empty values (omitempty), so an applied zero value may be
// absent live without being dropped.
bool zero_value(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull:
      return true;
    case Value::Type::kBool:
      return !v.as_bool();
    case Value::Type::kInt:
    case Value::Type::kDouble:
      return v.as_int(1) == 0;
    case Value::Type::kString:
      return v.str().empty();
    case Value::Type::kArray:
    case Value::Type::kObject:
      return v.size() == 0;
  }
  return false;
}

// A LabelSelector has matchLabels/matchExpressions; a Service's selector is a plain map.
bool free_form(std::string_view key, const Value& v) {
  if (key == "selector") return !v.contains("matchLabels") && !v.contains("matchExpressions");
  return in(kFreeFormMaps, key);
}

struct Walker {
  std::vector<DroppedField>& out;

  void object(const Value& applied, const Value& live, const std::string& path) {
    for (const Member& m : applied.members()) {
      if (zero_value(m.value) || in(kServerManaged, m.key)) continue;
      const std::string here =
          path.empty() ? std::string(m.key) : fmt::format("{}.{}", path, m.key);
      if (!live.contains(m.key)) {
        DroppedField d{here, path, m.key, &m.value, nearest_field_name(m.key, live)};
        if (!d.suggestion.empty()) d.live_suggestion = &live[d.suggestion];
        out.push_back(std::move(d));
        continue;
      }
      const Value& lv = live[m.key];
      if (m.value.is_object() && lv.is_object() && !free_form(m.key, m.value)) {
        object(m.value, lv, here);
      } else if (m.value.is_array() && lv.is_array()) {
        array(m.value, lv, here);
      }
    }
  }

  void array(const Value& applied, const Value& live, const std::string& path) {
    std::size_t i = 0;
    for (const Value& item : applied.items()) {
      const std::size_t index = i++;
      if (!item.is_object()) continue;
      // Elements with a name are matched by name: webhooks insert containers (sidecars) anywhere.
      const Value* counterpart = &live[index];
      if (std::string_view name = item["name"].str(); !name.empty()) {
        counterpart = &Value::null_value();
        for (const Value& l : live.items()) {
          if (l["name"].str() == name) counterpart = &l;
        }
      }
      if (counterpart->is_object()) object(item, *counterpart, fmt::format("{}[{}]", path, index));
    }
  }
};

}  // namespace

std::vector<DroppedField> dropped_fields(const Value& applied, const Value& live) {
  std::vector<DroppedField> out;
  if (!applied.is_object() || !live.is_object()) return out;
  if (applied["apiVersion"].str() != live["apiVersion"].str() ||
      applied["kind"].str() != live["kind"].str()) {
    return out;
  }
  Walker{out}.object(applied, live, "");
  return out;
}

std::string nearest_field_name(std::string_view key, const Value& live_siblings) {
  const std::size_t limit = key.size() <= 4 ? 1 : 2;
  std::string_view best;
  std::size_t best_distance = limit + 1;
  auto consider = [&](std::string_view name) {
    if (name == key) return;
    const std::size_t longer = std::max(name.size(), key.size());
    const std::size_t shorter = std::min(name.size(), key.size());
    if (longer - shorter > limit) return;
    const std::size_t d = osa_distance(key, name);
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  };
  for (const Member& m : live_siblings.members()) consider(m.key);  // siblings win ties
  for (std::string_view name : kFieldNames) consider(name);
  return std::string(best);
}

bool is_known_field_name(std::string_view name) {
  return std::binary_search(std::begin(kFieldNames), std::end(kFieldNames), name);
}

}  // namespace ktriage
