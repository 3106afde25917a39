// Pod spec rendering, shared by Pods and the templates of Deployments and ReplicaSets:
// containers with env, ports, probes, resources and mounts; volumes; scheduling fields.
#include <string>
#include <string_view>
#include <vector>

#include "plan_internal.h"
#include "render.h"

namespace gen {
namespace {

enum class EnvKind : uint8_t { kValue, kField, kConfigMap, kSecret, kResource };

struct EnvDef {
  std::string_view name;
  EnvKind kind;
  std::string_view arg;   // value template, field path, key, or resource
  std::string_view arg2;  // secret name suffix, or divisor
};

// The main container takes the first env_count entries. {app}, {ns}, {port}, {hex} and {hex2}
// are filled in per Deployment. APP_CONFIG reads the key that kConfigKey breaks, so it comes
// before kMainEnvMin.
constexpr EnvDef kMainEnv[] = {
    {"APP_NAME", EnvKind::kValue, "{app}", ""},
    {"APP_ENV", EnvKind::kValue, "production", ""},
    {"APP_CONFIG", EnvKind::kConfigMap, "app.yaml", ""},
    {"POD_NAME", EnvKind::kField, "metadata.name", ""},
    {"POD_NAMESPACE", EnvKind::kField, "metadata.namespace", ""},
    {"POD_IP", EnvKind::kField, "status.podIP", ""},
    {"NODE_NAME", EnvKind::kField, "spec.nodeName", ""},
    {"LOG_LEVEL", EnvKind::kValue, "info", ""},
    {"LOG_FORMAT", EnvKind::kValue, "json", ""},
    {"HTTP_PORT", EnvKind::kValue, "{port}", ""},
    {"METRICS_PORT", EnvKind::kValue, "9090", ""},
    {"GOMAXPROCS", EnvKind::kResource, "limits.cpu", "1"},
    {"MEMORY_LIMIT_MB", EnvKind::kResource, "limits.memory", "1Mi"},
    {"DB_HOST", EnvKind::kValue, "rm-bp1{hex}.mysql.rds.aliyuncs.com", ""},
    {"DB_PORT", EnvKind::kValue, "3306", ""},
    {"DB_USER", EnvKind::kSecret, "username", "-db"},
    {"DB_PASSWORD", EnvKind::kSecret, "password", "-db"},
    {"REDIS_ADDR", EnvKind::kValue, "r-bp1{hex2}.redis.rds.aliyuncs.com:6379", ""},
    {"REDIS_PASSWORD", EnvKind::kSecret, "password", "-redis"},
    {"KAFKA_BROKERS", EnvKind::kValue,
     "alikafka-post-cn-{hex2}-1-vpc.alikafka.aliyuncs.com:9092,alikafka-post-cn-{hex2}-2-vpc."
     "alikafka.aliyuncs.com:9092,alikafka-post-cn-{hex2}-3-vpc.alikafka.aliyuncs.com:9092",
     ""},
    {"OTEL_EXPORTER_OTLP_ENDPOINT", EnvKind::kValue,
     "http://otel-collector.observability.svc.cluster.local:4317", ""},
    {"OTEL_SERVICE_NAME", EnvKind::kValue, "{app}", ""},
    {"OTEL_RESOURCE_ATTRIBUTES", EnvKind::kValue,
     "service.namespace={ns},deployment.environment=production,k8s.cluster.name=prod-hz-01", ""},
    {"JAVA_TOOL_OPTIONS", EnvKind::kValue,
     "-XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError "
     "-Dfile.encoding=UTF-8 -Duser.timezone=Asia/Shanghai",
     ""},
    {"TZ", EnvKind::kValue, "Asia/Shanghai", ""},
    {"FEATURE_FLAGS", EnvKind::kValue, "checkout-v2,new-pricing,async-payments,dark-launch", ""},
    {"CACHE_TTL_SECONDS", EnvKind::kValue, "300", ""},
    {"REQUEST_TIMEOUT_MS", EnvKind::kValue, "5000", ""},
    {"MAX_CONNECTIONS", EnvKind::kValue, "200", ""},
    {"UPSTREAM_URL", EnvKind::kValue, "http://{ns}-gateway.{ns}.svc.cluster.local:80", ""},
    {"SENTRY_DSN", EnvKind::kValue, "https://{hex}{hex2}@sentry.internal.example.com/42", ""},
    {"ALIBABA_CLOUD_REGION", EnvKind::kValue, "cn-hangzhou", ""},
    {"OSS_BUCKET", EnvKind::kValue, "{ns}-assets-prod", ""},
    {"OSS_ENDPOINT", EnvKind::kValue, "oss-cn-hangzhou-internal.aliyuncs.com", ""},
    {"GRPC_MAX_RECV_MSG_SIZE", EnvKind::kValue, "16777216", ""},
    {"SHUTDOWN_GRACE_SECONDS", EnvKind::kValue, "25", ""},
};
static_assert(std::size(kMainEnv) >= kMainEnvMax && kMainEnvMin > 2);

// Sidecars: two entries of their own, then the common ones.
constexpr EnvDef kSidecarEnv[][2] = {
    {},
    {{"ALIYUN_LOGTAIL_CONFIG", EnvKind::kValue,
      "/etc/ilogtail/conf/cn-hangzhou/ilogtail_config.json", ""},
     {"ALIYUN_LOGTAIL_USER_DEFINED_ID", EnvKind::kValue, "k8s-group-prod-hz-01", ""}},
    {{"ENVOY_UID", EnvKind::kValue, "0", ""},
     {"ENVOY_ADMIN_ADDRESS", EnvKind::kValue, "127.0.0.1:9901", ""}},
    {{"STATSD_LISTEN_UDP", EnvKind::kValue, ":9125", ""},
     {"STATSD_MAPPING_CONFIG", EnvKind::kValue, "/etc/statsd/mapping.yaml", ""}},
    {{"VOLUME_DIR", EnvKind::kValue, "/etc/{app}", ""},
     {"WEBHOOK_URL", EnvKind::kValue, "http://127.0.0.1:{port}/-/reload", ""}},
};
constexpr EnvDef kCommonSidecarEnv[] = {
    {"POD_NAME", EnvKind::kField, "metadata.name", ""},
    {"POD_NAMESPACE", EnvKind::kField, "metadata.namespace", ""},
    {"NODE_NAME", EnvKind::kField, "spec.nodeName", ""},
    {"POD_IP", EnvKind::kField, "status.podIP", ""},
    {"LOG_LEVEL", EnvKind::kValue, "warn", ""},
    {"GOMEMLIMIT", EnvKind::kResource, "limits.memory", "0"},
};

// Per-Deployment values of the templates above, cached per thread: pods of one Deployment are
// rendered one after another.
struct DeploymentValues {
  uint64_t key = ~uint64_t{0};
  std::string app, ns, port, hex, hex2;
};

const DeploymentValues& values_of(const Plan& plan, const Deployment& d) {
  thread_local DeploymentValues v;
  const uint64_t key = hash3(plan.opt.seed, d.id, reinterpret_cast<uintptr_t>(&plan));
  if (v.key == key) return v;
  Rng rng(plan.opt.seed, kSaltDeploy ^ 0x2000, d.id);
  v.key = key;
  v.app = d.name;
  v.ns = plan.namespaces[d.ns];
  v.port = std::to_string(d.http_port);
  v.hex.clear();
  append_hex(v.hex, rng, 1);
  v.hex2.clear();
  append_hex(v.hex2, rng, 1);
  v.hex2.resize(12);
  return v;
}

std::string expand(std::string_view tpl, const DeploymentValues& v) {
  std::string out;
  out.reserve(tpl.size() + 32);
  for (size_t i = 0; i < tpl.size();) {
    if (tpl[i] != '{') {
      out.push_back(tpl[i++]);
      continue;
    }
    const size_t close = tpl.find('}', i);
    const std::string_view name = tpl.substr(i + 1, close - i - 1);
    out += name == "app"    ? v.app
           : name == "ns"   ? v.ns
           : name == "port" ? v.port
           : name == "hex"  ? v.hex
                            : v.hex2;
    i = close + 1;
  }
  return out;
}

void render_env_var(Json& w, const EnvDef& e, const Deployment& d, const Container& c,
                    const DeploymentValues& v) {
  w.obj().kstr("name", e.name);
  if (e.kind == EnvKind::kValue) {
    w.kstr("value",
           e.arg.find('{') == std::string_view::npos ? std::string(e.arg) : expand(e.arg, v));
    w.end();
    return;
  }
  w.kobj("valueFrom");
  switch (e.kind) {
    case EnvKind::kField:
      w.kobj("fieldRef").kstr("apiVersion", "v1").kstr("fieldPath", e.arg).end();
      break;
    case EnvKind::kConfigMap:
      w.kobj("configMapKeyRef").kstr("key", e.arg).kstr("name", config_map_name(d)).end();
      break;
    case EnvKind::kSecret:
      w.kobj("secretKeyRef").kstr("key", e.arg).kstr("name", d.name + std::string(e.arg2)).end();
      break;
    case EnvKind::kResource:
      w.kobj("resourceFieldRef").kstr("containerName", c.name).kstr("divisor", e.arg2);
      w.kstr("resource", e.arg).end();
      break;
    case EnvKind::kValue:
      break;
  }
  w.end().end();
}

void render_env(Json& w, const Plan& plan, const Deployment& d, const Container& c) {
  const DeploymentValues& v = values_of(plan, d);
  w.karr("env");
  if (c.role == Role::kMain) {
    for (int i = 0; i < c.env_count; ++i) render_env_var(w, kMainEnv[i], d, c, v);
  } else {
    int left = c.env_count;
    for (const EnvDef& e : kSidecarEnv[static_cast<int>(c.role)]) {
      if (left-- > 0) render_env_var(w, e, d, c, v);
    }
    for (const EnvDef& e : kCommonSidecarEnv) {
      if (left-- > 0) render_env_var(w, e, d, c, v);
    }
  }
  w.end();
}

void render_probe(Json& w, std::string_view key, const Deployment& d, std::string_view path,
                  int failure, int initial, int period) {
  w.kobj(key).knum("failureThreshold", failure);
  w.kobj("httpGet").kstr("path", path);
  if (d.id % 3 == 0) {
    w.kstr("port", "http");
  } else {
    w.knum("port", d.http_port);
  }
  w.kstr("scheme", "HTTP").end();
  w.knum("initialDelaySeconds", initial).knum("periodSeconds", period);
  w.knum("successThreshold", 1).knum("timeoutSeconds", 1).end();
}

struct PortDef {
  int port;
  std::string_view name;
};

void render_ports(Json& w, const Deployment& d, const Container& c) {
  static constexpr PortDef kEnvoy[] = {{9901, "admin"}, {15001, "proxy"}};
  static constexpr PortDef kStatsd[] = {{9102, "statsd-metrics"}};
  static constexpr PortDef kReloader[] = {{9533, "reload-metrics"}};
  auto list = [&](auto& defs) {
    w.karr("ports");
    for (const PortDef& p : defs) {
      w.obj().knum("containerPort", p.port).kstr("name", p.name).kstr("protocol", "TCP").end();
    }
    w.end();
  };
  switch (c.role) {
    case Role::kMain: {
      const PortDef main[] = {{d.http_port, "http"}, {9090, "metrics"}};
      list(main);
      break;
    }
    case Role::kEnvoy:
      list(kEnvoy);
      break;
    case Role::kStatsd:
      list(kStatsd);
      break;
    case Role::kReloader:
      list(kReloader);
      break;
    case Role::kLogAgent:
      break;
  }
}

bool has_log_agent(const Deployment& d) {
  for (const Container& c : d.containers) {
    if (c.role == Role::kLogAgent) return true;
  }
  return false;
}

void render_args(Json& w, const Deployment& d, const Container& c) {
  const std::string& app = d.containers[0].name;
  switch (c.role) {
    case Role::kMain:
      w.karr("args").str("--config=/etc/" + app + "/app.yaml");
      w.str("--http-port=" + std::to_string(d.http_port)).str("--metrics-port=9090").end();
      break;
    case Role::kEnvoy:
      w.karr("args").str("--log-level").str("warn").str("--service-cluster").str(d.name).end();
      break;
    case Role::kStatsd:
      w.karr("args").str("--statsd.mapping-config=/etc/statsd/mapping.yaml").end();
      break;
    case Role::kReloader:
      w.karr("args").str("--volume-dir=/etc/" + app);
      w.str("--webhook-url=http://127.0.0.1:" + std::to_string(d.http_port) + "/-/reload").end();
      break;
    case Role::kLogAgent:
      break;
  }
}

void render_container(Json& w, const Plan& plan, const Deployment& d, const Container& c,
                      const std::string& api_volume) {
  const bool main = c.role == Role::kMain;
  w.obj();
  render_args(w, d, c);
  render_env(w, plan, d, c);
  w.kstr("image", c.image).kstr("imagePullPolicy", "IfNotPresent");
  if (main) render_probe(w, "livenessProbe", d, "/healthz", 3, 15, 10);
  w.kstr("name", c.name);
  render_ports(w, d, c);
  if (main) render_probe(w, "readinessProbe", d, "/ready", 3, 5, 10);
  render_container_resources(w, c);
  if (d.hardened) {
    w.kobj("securityContext").kbool("allowPrivilegeEscalation", false);
    w.kobj("capabilities").karr("drop").str("ALL").end().end();
    w.kbool("readOnlyRootFilesystem", true).kbool("runAsNonRoot", true);
    w.knum("runAsUser", 10001).end();
  }
  if (main && d.id % 4 == 0) render_probe(w, "startupProbe", d, "/healthz", 30, 5, 5);
  w.kstr("terminationMessagePath", "/dev/termination-log");
  w.kstr("terminationMessagePolicy", "File");
  w.karr("volumeMounts");
  for (const Mount& m : container_mounts(d, c, api_volume)) {
    w.obj().kstr("mountPath", m.path).kstr("name", m.name);
    if (m.read_only) w.kbool("readOnly", true);
    w.end();
  }
  w.end().end();
}

void render_api_access_volume(Json& w, const std::string& name) {
  w.obj().kstr("name", name).kobj("projected").knum("defaultMode", 420).karr("sources");
  w.obj().kobj("serviceAccountToken").knum("expirationSeconds", 3607).kstr("path", "token");
  w.end().end();
  w.obj().kobj("configMap").karr("items").obj().kstr("key", "ca.crt").kstr("path", "ca.crt");
  w.end().end().kstr("name", "kube-root-ca.crt").end().end();
  w.obj().kobj("downwardAPI").karr("items").obj().kobj("fieldRef").kstr("apiVersion", "v1");
  w.kstr("fieldPath", "metadata.namespace").end().kstr("path", "namespace").end();
  w.end().end().end();
  w.end().end().end();
}

void render_volumes(Json& w, const Deployment& d, const std::string& api_volume) {
  w.karr("volumes");
  w.obj().kobj("configMap").knum("defaultMode", 420).kstr("name", config_map_name(d)).end();
  w.kstr("name", "config").end();
  w.obj().kempty_obj("emptyDir").kstr("name", "tmp").end();
  if (has_log_agent(d)) {
    w.obj().kobj("emptyDir").kstr("sizeLimit", "2Gi").end().kstr("name", "app-logs").end();
  }
  if (!api_volume.empty()) render_api_access_volume(w, api_volume);
  w.end();
}

void render_scheduling(Json& w, const Deployment& d) {
  w.kobj("affinity")
      .kobj("podAntiAffinity")
      .karr("preferredDuringSchedulingIgnoredDuringExecution");
  w.obj().kobj("podAffinityTerm").kobj("labelSelector").kobj("matchLabels").kstr("app", d.name);
  w.end().end().kstr("topologyKey", "kubernetes.io/hostname").end().knum("weight", 100).end();
  w.end().end().end();
}

void render_spread(Json& w, const Deployment& d) {
  w.karr("topologySpreadConstraints").obj();
  w.kobj("labelSelector").kobj("matchLabels").kstr("app", d.name).end().end();
  w.knum("maxSkew", 1).kstr("topologyKey", "topology.kubernetes.io/zone");
  w.kstr("whenUnsatisfiable", "ScheduleAnyway").end().end();
}

void render_default_tolerations(Json& w) {
  w.karr("tolerations");
  for (std::string_view key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    w.obj().kstr("effect", "NoExecute").kstr("key", key).kstr("operator", "Exists");
    w.knum("tolerationSeconds", 300).end();
  }
  w.end();
}

}  // namespace

void render_container_resources(Json& w, const Container& c) {
  w.kobj("resources");
  w.kobj("limits").kstr("cpu", cpu_quantity(c.cpu_lim_m));
  w.kstr("memory", mem_quantity(c.mem_lim_mi)).end();
  w.kobj("requests").kstr("cpu", cpu_quantity(c.cpu_req_m));
  w.kstr("memory", mem_quantity(c.mem_req_mi)).end();
  w.end();
}

std::vector<Mount> container_mounts(const Deployment& d, const Container& c,
                                    const std::string& api_volume) {
  std::vector<Mount> m;
  if (c.role == Role::kMain) {
    m.push_back({"/etc/" + c.name, "config", true});
    m.push_back({"/tmp", "tmp", false});
    if (has_log_agent(d)) m.push_back({"/var/log/" + c.name, "app-logs", false});
  } else if (c.role == Role::kLogAgent) {
    m.push_back({"/var/log/app", "app-logs", true});
  } else if (c.role == Role::kReloader) {
    m.push_back({"/etc/" + d.containers[0].name, "config", true});
  } else {
    m.push_back({"/tmp", "tmp", false});
  }
  if (!api_volume.empty()) {
    m.push_back({"/var/run/secrets/kubernetes.io/serviceaccount", api_volume, true});
  }
  return m;
}

void render_pod_spec(Json& w, const Plan& plan, const Deployment& d, const Pod* pod,
                     size_t pod_index) {
  const std::string api_volume = pod ? api_access_volume(plan, pod_index) : std::string();
  w.kobj("spec");
  if (d.anti_affinity) render_scheduling(w, d);
  w.karr("containers");
  for (const Container& c : d.containers) render_container(w, plan, d, c, api_volume);
  w.end();
  w.kstr("dnsPolicy", "ClusterFirst");
  if (pod) {
    w.kbool("enableServiceLinks", true);
    w.karr("imagePullSecrets").obj().kstr("name", "acr-credential-6f2a8c4e1b9d3f7a").end().end();
    if (pod->node >= 0) w.kstr("nodeName", plan.nodes[static_cast<size_t>(pod->node)].name);
    w.kstr("preemptionPolicy", "PreemptLowerPriority").knum("priority", 0);
  }
  w.kstr("restartPolicy", "Always").kstr("schedulerName", "default-scheduler");
  if (d.hardened) {
    w.kobj("securityContext").knum("fsGroup", 10001);
    w.kobj("seccompProfile").kstr("type", "RuntimeDefault").end().end();
  } else {
    w.kempty_obj("securityContext");
  }
  if (pod) w.kstr("serviceAccount", "default").kstr("serviceAccountName", "default");
  w.knum("terminationGracePeriodSeconds", 30);
  if (pod) render_default_tolerations(w);
  if (d.zone_spread) render_spread(w, d);
  render_volumes(w, d, api_volume);
  w.end();
}

}  // namespace gen
