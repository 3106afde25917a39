// Deployments, ReplicaSets, Services, Endpoints and ConfigMaps.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plan_internal.h"
#include "render.h"

namespace gen {
namespace {

// Pods of d that are Ready (placed and without a fault).
uint32_t ready_pods(const Plan& plan, const Deployment& d) {
  if (d.fault != Fault::kNone) return 0;
  uint32_t n = 0;
  for (uint32_t k = 0; k < d.replicas; ++k) n += plan.pods[d.first_pod + k].node >= 0 ? 1 : 0;
  return n;
}

void render_app_labels(Json& w, const Plan& plan, const Deployment& d) {
  w.kobj("labels").kstr("app", d.name).kstr("app.kubernetes.io/name", d.containers[0].name);
  w.kstr("app.kubernetes.io/part-of", plan.namespaces[d.ns]).kstr("team", kTeams[d.team]).end();
}

void render_template(Json& w, const Plan& plan, const Deployment& d, bool with_hash) {
  w.kobj("template").kobj("metadata");
  render_pod_annotations(w, d);
  w.knull("creationTimestamp");
  render_pod_labels(w, plan, d, with_hash);
  w.end();
  render_pod_spec(w, plan, d, nullptr, 0);
  w.end();
}

void render_deployment_condition(Json& w, int64_t when, std::string_view message,
                                 std::string_view reason, bool ok, std::string_view type) {
  w.obj().kstr("lastTransitionTime", Time(when).view()).kstr("lastUpdateTime", Time(when).view());
  w.kstr("message", message).kstr("reason", reason).kstr("status", ok ? "True" : "False");
  w.kstr("type", type).end();
}

void render_deployment_status(Json& w, const Plan& plan, const Deployment& d, int64_t gen) {
  const uint32_t ready = ready_pods(plan, d);
  const bool available = ready * 4 >= d.replicas * 3;  // maxUnavailable 25%
  const bool stuck = ready < d.replicas && d.rs_created < kSnapshot - 10 * kMinute;
  w.kobj("status");
  if (ready) w.knum("availableReplicas", ready);
  w.karr("conditions");
  if (available) {
    render_deployment_condition(w, d.rs_created + 40, "Deployment has minimum availability.",
                                "MinimumReplicasAvailable", true, "Available");
  } else {
    render_deployment_condition(w, d.rs_created + 1,
                                "Deployment does not have minimum availability.",
                                "MinimumReplicasUnavailable", false, "Available");
  }
  if (stuck) {
    render_deployment_condition(
        w, d.rs_created + 600,
        fmt::format("ReplicaSet \"{}\" has timed out progressing.", d.rs_name),
        "ProgressDeadlineExceeded", false, "Progressing");
  } else if (ready < d.replicas) {
    render_deployment_condition(w, d.rs_created,
                                fmt::format("ReplicaSet \"{}\" is progressing.", d.rs_name),
                                "ReplicaSetUpdated", true, "Progressing");
  } else {
    render_deployment_condition(
        w, d.rs_created + 40,
        fmt::format("ReplicaSet \"{}\" has successfully progressed.", d.rs_name),
        "NewReplicaSetAvailable", true, "Progressing");
  }
  w.end().knum("observedGeneration", gen);
  if (ready) w.knum("readyReplicas", ready);
  w.knum("replicas", d.replicas);
  if (ready < d.replicas) w.knum("unavailableReplicas", d.replicas - ready);
  w.knum("updatedReplicas", d.replicas).end();
}

std::string app_config_yaml(const Plan& plan, const Deployment& d) {
  return fmt::format(
      "server:\n  port: {}\n  readTimeout: 5s\n  writeTimeout: 10s\n  shutdownGrace: 25s\n"
      "metrics:\n  enabled: true\n  port: 9090\n  path: /metrics\n"
      "upstreams:\n  gateway: http://{}-gateway.{}.svc.cluster.local\n"
      "cache:\n  ttl: 300s\n  size: 10000\n"
      "features:\n  - checkout-v2\n  - async-payments\n",
      d.http_port, plan.namespaces[d.ns], plan.namespaces[d.ns]);
}

constexpr std::string_view kLoggingYaml =
    "level: info\nformat: json\noutput: stdout\nsampling:\n  initial: 100\n  thereafter: 100\n";

constexpr std::string_view kRootCa =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDTTCCAjWgAwIBAgIIQ2F0YWxvZ0NBMA0GCSqGSIb3DQEBCwUAMDAxLjAsBgNV\n"
    "BAMTJWt1YmVybmV0ZXMgc3ludGhldGljIGNsdXN0ZXIgcm9vdCBDQTAeFw0yNTAx\n"
    "MDEwMDAwMDBaFw0zNTAxMDEwMDAwMDBaMDAxLjAsBgNVBAMTJWt1YmVybmV0ZXMg\n"
    "c3ludGhldGljIGNsdXN0ZXIgcm9vdCBDQTCCASIwDQYJKoZIhvcNAQEBBQADggEP\n"
    "ADCCAQoCggEBALmZ3V0aGV0aWMta2V5LWZvci1iZW5jaG1hcmtzLW9ubHktbm90\n"
    "LWEtcmVhbC1jZXJ0aWZpY2F0ZS1rdHJpYWdlLWdlbmVyYXRvci1vdXRwdXQtZmls\n"
    "bGVyLXRleHQtdG8tbWFrZS10aGUtbGVuZ3RoLXJlYWxpc3RpYy1hbmQtc3RhYmxl\n"
    "AgMBAAGjYzBhMA4GA1UdDwEB/wQEAwICpDAPBgNVHRMBAf8EBTADAQH/MB0GA1Ud\n"
    "DgQWBBQ2c3ludGhldGljLXJvb3QtY2EtaWQwHwYDVR0jBBgwFoAUNnN5bnRoZXRp\n"
    "YzANBgkqhkiG9w0BAQsFAAOCAQEAc3ludGhldGljLXNpZ25hdHVyZS1ieXRlcy1m\n"
    "b3ItYmVuY2htYXJrLWRhdGEtb25seQ==\n"
    "-----END CERTIFICATE-----\n";

struct EndpointAddr {
  std::string ip;
  size_t pod;
};

void render_addresses(Json& w, const Plan& plan, std::string_view key,
                      const std::vector<EndpointAddr>& addrs) {
  if (addrs.empty()) return;
  w.karr(key);
  for (const EndpointAddr& a : addrs) {
    const Pod& p = plan.pods[a.pod];
    w.obj().kstr("ip", a.ip).kstr("nodeName", plan.nodes[static_cast<size_t>(p.node)].name);
    w.kobj("targetRef").kstr("kind", "Pod").kstr("name", p.name);
    w.kstr("namespace", plan.namespaces[plan.deps[p.dep].ns]);
    w.kstr("uid", Uid(plan.opt.seed, kSaltPod, a.pod).view()).end().end();
  }
  w.end();
}

void render_kubernetes_service(Json& w, const Plan& plan, bool endpoints) {
  Rng rng(plan.opt.seed, kSaltService, ~uint64_t{0});
  const int64_t created = kSnapshot - 420 * kDay;
  w.obj().kstr("apiVersion", "v1").kstr("kind", endpoints ? "Endpoints" : "Service");
  w.kobj("metadata").kstr("creationTimestamp", Time(created).view());
  w.kobj("labels").kstr("component", "apiserver");
  if (endpoints) w.kstr("endpointslice.kubernetes.io/skip-mirror", "true");
  w.kstr("provider", "kubernetes").end();
  w.kstr("name", "kubernetes").kstr("namespace", "default");
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, endpoints ? kSaltEndpoints : kSaltService, ~uint64_t{0}).view());
  w.end();
  if (endpoints) {
    w.karr("subsets").obj().karr("addresses");
    for (const char* ip : {"10.0.0.241", "10.1.0.37", "10.2.0.118"}) w.obj().kstr("ip", ip).end();
    w.end().karr("ports").obj().kstr("name", "https").knum("port", 6443);
    w.kstr("protocol", "TCP").end().end().end().end();
  } else {
    w.kobj("spec").kstr("clusterIP", "172.16.0.1").karr("clusterIPs").str("172.16.0.1").end();
    w.kstr("internalTrafficPolicy", "Cluster").karr("ipFamilies").str("IPv4").end();
    w.kstr("ipFamilyPolicy", "SingleStack").karr("ports").obj().kstr("name", "https");
    w.knum("port", 443).kstr("protocol", "TCP").knum("targetPort", 6443).end().end();
    w.kstr("sessionAffinity", "None").kstr("type", "ClusterIP").end();
    w.kobj("status").kempty_obj("loadBalancer").end();
  }
  w.end();
}

}  // namespace

void render_deployment(Json& w, const Plan& plan, size_t order_index) {
  const Deployment& d = plan.deps[plan.dep_order[order_index]];
  Rng rng(plan.opt.seed, kSaltDeploy ^ 0x3000, d.id);
  const int64_t generation = d.revision + rng.range(0, 3);
  w.obj().kstr("apiVersion", "apps/v1").kstr("kind", "Deployment").kobj("metadata");
  w.kobj("annotations").kstr("deployment.kubernetes.io/revision", std::to_string(d.revision)).end();
  w.kstr("creationTimestamp", Time(d.created).view()).knum("generation", generation);
  render_app_labels(w, plan, d);
  w.kstr("name", d.name).kstr("namespace", plan.namespaces[d.ns]);
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltDeploy, d.id).view()).end();
  w.kobj("spec").knum("progressDeadlineSeconds", 600).knum("replicas", d.replicas);
  w.knum("revisionHistoryLimit", 10);
  w.kobj("selector").kobj("matchLabels").kstr("app", d.name).end().end();
  w.kobj("strategy").kobj("rollingUpdate").kstr("maxSurge", "25%").kstr("maxUnavailable", "25%");
  w.end().kstr("type", "RollingUpdate").end();
  render_template(w, plan, d, false);
  w.end();
  render_deployment_status(w, plan, d, generation);
  w.end();
}

void render_replicaset(Json& w, const Plan& plan, size_t order_index) {
  const Deployment& d = plan.deps[plan.rs_order[order_index]];
  Rng rng(plan.opt.seed, kSaltReplicaSet, d.id);
  const uint32_t ready = ready_pods(plan, d);
  w.obj().kstr("apiVersion", "apps/v1").kstr("kind", "ReplicaSet").kobj("metadata");
  w.kobj("annotations")
      .kstr("deployment.kubernetes.io/desired-replicas", std::to_string(d.replicas));
  w.kstr("deployment.kubernetes.io/max-replicas",
         std::to_string(d.replicas + (d.replicas + 3) / 4));
  w.kstr("deployment.kubernetes.io/revision", std::to_string(d.revision)).end();
  w.kstr("creationTimestamp", Time(d.rs_created).view()).knum("generation", 1);
  render_pod_labels(w, plan, d, true);
  w.kstr("name", d.rs_name).kstr("namespace", plan.namespaces[d.ns]);
  render_owner(w, "apps/v1", "Deployment", d.name, Uid(plan.opt.seed, kSaltDeploy, d.id).view());
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltReplicaSet, d.id).view()).end();
  w.kobj("spec").knum("replicas", d.replicas);
  w.kobj("selector").kobj("matchLabels").kstr("app", d.name).kstr("pod-template-hash", d.hash);
  w.end().end();
  render_template(w, plan, d, true);
  w.end();
  w.kobj("status");
  if (ready) w.knum("availableReplicas", ready);
  w.knum("fullyLabeledReplicas", d.replicas).knum("observedGeneration", 1);
  if (ready) w.knum("readyReplicas", ready);
  w.knum("replicas", d.replicas).end();
  w.end();
}

void render_service(Json& w, const Plan& plan, size_t order_index) {
  const int32_t di = plan.svc_order[order_index];
  if (di < 0) return render_kubernetes_service(w, plan, false);
  const Deployment& d = plan.deps[static_cast<size_t>(di)];
  Rng rng(plan.opt.seed, kSaltService, d.id);
  const std::string ip = ip_string(d.svc_ip);
  w.obj().kstr("apiVersion", "v1").kstr("kind", "Service").kobj("metadata");
  w.kstr("creationTimestamp", Time(d.created).view());
  render_app_labels(w, plan, d);
  w.kstr("name", d.name).kstr("namespace", plan.namespaces[d.ns]);
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltService, d.id).view()).end();
  w.kobj("spec").kstr("clusterIP", ip).karr("clusterIPs").str(ip).end();
  w.kstr("internalTrafficPolicy", "Cluster").karr("ipFamilies").str("IPv4").end();
  w.kstr("ipFamilyPolicy", "SingleStack").karr("ports");
  w.obj().kstr("name", "http").knum("port", 80).kstr("protocol", "TCP");
  if (d.id % 2) {
    w.kstr("targetPort", "http");
  } else {
    w.knum("targetPort", d.http_port);
  }
  w.end();
  w.obj().kstr("name", "metrics").knum("port", 9090).kstr("protocol", "TCP");
  w.knum("targetPort", 9090).end().end();
  w.kobj("selector");
  switch (d.svc_fault) {
    case SvcFault::kNone:
      w.kstr("app", d.name);
      break;
    case SvcFault::kSelectorValue:
      w.kstr("app", d.name + "-svc");
      break;
    case SvcFault::kSelectorKey:
      w.kstr("application", d.name);
      break;
  }
  w.end().kstr("sessionAffinity", "None").kstr("type", "ClusterIP").end();
  w.kobj("status").kempty_obj("loadBalancer").end();
  w.end();
}

void render_endpoints(Json& w, const Plan& plan, size_t order_index) {
  const int32_t di = plan.svc_order[order_index];
  if (di < 0) return render_kubernetes_service(w, plan, true);
  const Deployment& d = plan.deps[static_cast<size_t>(di)];
  Rng rng(plan.opt.seed, kSaltEndpoints, d.id);
  std::vector<EndpointAddr> ready, not_ready;
  if (d.svc_fault == SvcFault::kNone) {
    for (uint32_t k = 0; k < d.replicas; ++k) {
      const Pod& p = plan.pods[d.first_pod + k];
      if (p.node < 0) continue;
      (d.fault == Fault::kNone ? ready : not_ready).push_back({ip_string(p.ip), d.first_pod + k});
    }
  }
  auto by_ip = [](const EndpointAddr& a, const EndpointAddr& b) { return a.ip < b.ip; };
  std::sort(ready.begin(), ready.end(), by_ip);
  std::sort(not_ready.begin(), not_ready.end(), by_ip);
  int64_t changed = d.rs_created + 60;
  for (uint32_t k = 0; k < d.replicas; ++k)
    changed = std::max(changed, plan.pods[d.first_pod + k].created + 30);
  w.obj().kstr("apiVersion", "v1").kstr("kind", "Endpoints").kobj("metadata");
  w.kobj("annotations");
  w.kstr("endpoints.kubernetes.io/last-change-trigger-time",
         Time(std::min(changed, kSnapshot - 1)).view());
  w.end().kstr("creationTimestamp", Time(d.created).view());
  render_app_labels(w, plan, d);
  w.kstr("name", d.name).kstr("namespace", plan.namespaces[d.ns]);
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltEndpoints, d.id).view()).end();
  if (!ready.empty() || !not_ready.empty()) {
    w.karr("subsets").obj();
    render_addresses(w, plan, "addresses", ready);
    render_addresses(w, plan, "notReadyAddresses", not_ready);
    w.karr("ports");
    w.obj().kstr("name", "http").knum("port", d.http_port).kstr("protocol", "TCP").end();
    w.obj().kstr("name", "metrics").knum("port", 9090).kstr("protocol", "TCP").end();
    w.end().end().end();
  }
  w.end();
}

void render_configmap(Json& w, const Plan& plan, size_t i) {
  const ConfigMapRef& cm = plan.configmaps[i];
  Rng rng(plan.opt.seed, kSaltConfigMap, i);
  w.obj().kstr("apiVersion", "v1").kobj("data");
  if (cm.dep < 0) {
    w.kstr("ca.crt", kRootCa).end().kstr("kind", "ConfigMap").kobj("metadata");
    w.kobj("annotations")
        .kstr("kubernetes.io/description",
              "Contains a CA bundle that can be used to verify the kube-apiserver when using "
              "internal "
              "endpoints such as the internal service IP or kubernetes.default.svc. No other usage "
              "is "
              "guaranteed across distributions of Kubernetes clusters.")
        .end();
    w.kstr("creationTimestamp", Time(kSnapshot - 400 * kDay + cm.ns * 60).view());
  } else {
    const Deployment& d = plan.deps[static_cast<size_t>(cm.dep)];
    // The kConfigKey fault: the key is named app.yml, the pods read app.yaml.
    w.kstr(d.fault == Fault::kConfigKey ? "app.yml" : "app.yaml", app_config_yaml(plan, d));
    w.kstr("logging.yml", kLoggingYaml).end().kstr("kind", "ConfigMap").kobj("metadata");
    w.kstr("creationTimestamp", Time(d.created).view());
    w.kobj("labels").kstr("app", d.name).end();
  }
  w.kstr("name", cm.name).kstr("namespace", plan.namespaces[cm.ns]);
  w.kstr("resourceVersion", resource_version(rng));
  w.kstr("uid", Uid(plan.opt.seed, kSaltConfigMap, i).view()).end();
  w.end();
}

}  // namespace gen
