// ktriage-gen-netpol: a synthetic cluster for `netcheck --matrix` (make bench-netcheck):
// NAMESPACES application namespaces (default 2,000, plus kube-system, ingress-nginx and
// monitoring) with ten NetworkPolicies each (20,000) and PODS pods (default 150,000), written as
// kubectl writes them (`kubectl get <kind> -A -o json`: one indented List per kind). Deterministic:
// the same flags give the same bytes.
//
//   ktriage-gen-netpol --out DIR [--namespaces N] [--pods N] [--policies-per-ns N]
//
// Each application namespace runs five Deployments (web, api, worker, cache, db) and ten
// policies: default deny (both directions), DNS egress to kube-system, web from the ingress
// controller's namespace, web -> api, api -> db (named port), api -> cache, metrics from the
// monitoring namespace, egress inside the namespace, api egress to a partner team's api, and
// api ingress from partner teams (namespaceSelector AND podSelector with matchExpressions, plus
// an ipBlock with except). Every tenth namespace allows all ingress instead of denying it.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct App {
  const char* name;
  const char* port_name;
  int port;
};
constexpr App kApps[] = {{"web", "http", 8080},
                         {"api", "http", 8080},
                         {"worker", "metrics", 9100},
                         {"cache", "redis", 6379},
                         {"db", "pg", 5432}};

std::string ns_name(int i) {
  if (i == 0) return "kube-system";
  if (i == 1) return "ingress-nginx";
  if (i == 2) return "monitoring";
  return fmt::format("team-{:04d}", i);
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size()) {
    std::fprintf(stderr, "ktriage-gen-netpol: cannot write %s\n", p.c_str());
    std::exit(2);
  }
  std::fclose(f);
}

std::string list(const std::string& items) {
  return "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n" + items +
         "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": "
         "\"\"\n    }\n}\n";
}

std::string namespace_json(int i) {
  const std::string n = ns_name(i);
  return fmt::format(R"(        {{
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {{
                "creationTimestamp": "2026-11-01T00:00:00Z",
                "labels": {{
                    "env": "{}",
                    "kubernetes.io/metadata.name": "{}",
                    "team": "t{:02d}"
                }},
                "name": "{}",
                "resourceVersion": "{}",
                "uid": "0000{:04d}-0000-4000-8000-000000000000"
            }},
            "spec": {{
                "finalizers": [
                    "kubernetes"
                ]
            }},
            "status": {{
                "phase": "Active"
            }}
        }})",
                     i % 3 == 0   ? "prod"
                     : i % 3 == 1 ? "staging"
                                  : "dev",
                     n, i % 50, n, 1000 + i, i);
}

// One pod as kubectl prints it (trimmed of volumes and env, kept realistic otherwise).
std::string pod_json(const std::string& ns, int ns_index, const App& app, int replica, int seq,
                     int nodes) {
  const std::string hash = fmt::format("{:x}", 0x5c7d9f8b6ULL + static_cast<unsigned>(ns_index));
  const std::string rs = fmt::format("{}-{}", app.name, hash);
  const std::string name = fmt::format("{}-{:05x}", rs, 0x10000 + replica * 7919 % 0xffff);
  const int node = seq % nodes;
  const int ip = seq + 1;
  // Two versions of api in rollout in every fifth namespace: one more class.
  const char* version =
      (std::strcmp(app.name, "api") == 0 && ns_index % 5 == 0 && replica % 2) ? "v2" : "v1";
  return fmt::format(
      R"(        {{
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {{
                "creationTimestamp": "2026-11-28T10:00:00Z",
                "generateName": "{rs}-",
                "labels": {{
                    "app": "{app}",
                    "pod-template-hash": "{hash}",
                    "tier": "{tier}",
                    "version": "{version}"
                }},
                "name": "{name}",
                "namespace": "{ns}",
                "ownerReferences": [
                    {{
                        "apiVersion": "apps/v1",
                        "blockOwnerDeletion": true,
                        "controller": true,
                        "kind": "ReplicaSet",
                        "name": "{rs}",
                        "uid": "{ns_index:08x}-{seq:04x}-4000-8000-00000000abcd"
                    }}
                ],
                "resourceVersion": "{rv}",
                "uid": "{ns_index:08x}-{seq:04x}-4000-8000-000000000000"
            }},
            "spec": {{
                "containers": [
                    {{
                        "image": "registry.example.com/{ns}/{app}:1.4.2",
                        "imagePullPolicy": "IfNotPresent",
                        "name": "{app}",
                        "ports": [
                            {{
                                "containerPort": {port},
                                "name": "{port_name}",
                                "protocol": "TCP"
                            }}
                        ],
                        "readinessProbe": {{
                            "failureThreshold": 3,
                            "httpGet": {{
                                "path": "/healthz",
                                "port": "{port_name}",
                                "scheme": "HTTP"
                            }},
                            "periodSeconds": 10,
                            "successThreshold": 1,
                            "timeoutSeconds": 1
                        }},
                        "resources": {{
                            "limits": {{
                                "memory": "512Mi"
                            }},
                            "requests": {{
                                "cpu": "100m",
                                "memory": "256Mi"
                            }}
                        }},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File"
                    }}
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeName": "node-{node:04d}",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30
            }},
            "status": {{
                "conditions": [
                    {{
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-28T10:00:05Z",
                        "status": "True",
                        "type": "Ready"
                    }},
                    {{
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-28T10:00:00Z",
                        "status": "True",
                        "type": "PodScheduled"
                    }}
                ],
                "containerStatuses": [
                    {{
                        "containerID": "containerd://{ns_index:08x}{seq:08x}",
                        "image": "registry.example.com/{ns}/{app}:1.4.2",
                        "imageID": "registry.example.com/{ns}/{app}@sha256:{ns_index:08x}",
                        "lastState": {{}},
                        "name": "{app}",
                        "ready": true,
                        "restartCount": 0,
                        "started": true,
                        "state": {{
                            "running": {{
                                "startedAt": "2026-11-28T10:00:03Z"
                            }}
                        }}
                    }}
                ],
                "hostIP": "10.0.{nh}.{nl}",
                "phase": "Running",
                "podIP": "172.{a}.{b}.{c}",
                "podIPs": [
                    {{
                        "ip": "172.{a}.{b}.{c}"
                    }}
                ],
                "qosClass": "Burstable",
                "startTime": "2026-11-28T10:00:00Z"
            }}
        }})",
      fmt::arg("rs", rs), fmt::arg("app", app.name), fmt::arg("hash", hash),
      fmt::arg("tier", std::strcmp(app.name, "web") == 0 ? "front" : "back"),
      fmt::arg("version", version), fmt::arg("name", name), fmt::arg("ns", ns),
      fmt::arg("ns_index", ns_index), fmt::arg("seq", seq), fmt::arg("rv", 100000 + seq),
      fmt::arg("port", app.port), fmt::arg("port_name", app.port_name), fmt::arg("node", node),
      fmt::arg("nh", node / 250), fmt::arg("nl", node % 250 + 1),
      fmt::arg("a", 16 + (ip >> 16) % 16), fmt::arg("b", (ip >> 8) & 255), fmt::arg("c", ip & 255));
}

std::string policy(const std::string& ns, const std::string& name, const std::string& spec) {
  return fmt::format(R"(        {{
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {{
                "creationTimestamp": "2026-11-01T00:00:00Z",
                "name": "{}",
                "namespace": "{}"
            }},
            "spec": {}
        }})",
                     name, ns, spec);
}

std::vector<std::string> policies_for(int i, int per_ns, int namespaces) {
  const std::string ns = ns_name(i);
  const int partner = 3 + (i - 3 + 1) % (namespaces - 3);
  std::vector<std::string> out = {
      i % 10 == 0 ? policy(ns, "allow-all-ingress",
                           R"({"podSelector": {}, "ingress": [{}], "policyTypes": ["Ingress"]})")
                  : policy(ns, "default-deny",
                           R"({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})"),
      policy(
          ns, "allow-dns-egress",
          R"({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]})"),
      policy(
          ns, "allow-ingress-controller-to-web",
          R"({"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}], "ports": [{"port": "http"}]}]})"),
      policy(
          ns, "allow-web-to-api",
          R"({"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 8080}]}]})"),
      policy(
          ns, "allow-api-to-db",
          R"({"podSelector": {"matchLabels": {"app": "db"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}], "ports": [{"port": "pg"}]}]})"),
      policy(
          ns, "allow-api-to-cache",
          R"({"podSelector": {"matchLabels": {"app": "cache"}}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["api", "worker"]}]}}], "ports": [{"port": 6379}]}]})"),
      policy(
          ns, "allow-monitoring",
          R"({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}], "ports": [{"port": 9100}, {"port": 8000, "endPort": 9000}]}]})"),
      policy(
          ns, "allow-egress-in-namespace",
          R"({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"podSelector": {}}]}]})"),
      policy(
          ns, "allow-api-to-partner",
          fmt::format(
              R"({{"podSelector": {{"matchLabels": {{"app": "api"}}}}, "policyTypes": ["Egress"], "egress": [{{"to": [{{"namespaceSelector": {{"matchLabels": {{"kubernetes.io/metadata.name": "{}"}}}}, "podSelector": {{"matchLabels": {{"app": "api"}}}}}}], "ports": [{{"port": 8080}}]}}]}})",
              ns_name(partner))),
      policy(
          ns, "allow-partners-to-api",
          fmt::format(
              R"({{"podSelector": {{"matchLabels": {{"app": "api"}}}}, "ingress": [{{"from": [{{"namespaceSelector": {{"matchLabels": {{"team": "t{:02d}"}}, "matchExpressions": [{{"key": "env", "operator": "In", "values": ["prod", "staging"]}}]}}, "podSelector": {{"matchLabels": {{"app": "api"}}}}}}, {{"ipBlock": {{"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}}}], "ports": [{{"port": 8080}}]}}]}})",
              (i + 49) % 50)),
  };
  out.resize(std::min<std::size_t>(out.size(), static_cast<std::size_t>(per_ns)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  int namespaces = 2000, pods = 150000, per_ns = 10, nodes = 5000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ktriage-gen-netpol: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out")
      out_dir = next();
    else if (a == "--namespaces")
      namespaces = std::stoi(next());
    else if (a == "--pods")
      pods = std::stoi(next());
    else if (a == "--policies-per-ns")
      per_ns = std::stoi(next());
    else if (a == "--nodes")
      nodes = std::stoi(next());
    else {
      std::fprintf(stderr,
                   "usage: ktriage-gen-netpol --out DIR [--namespaces N] [--pods N] "
                   "[--policies-per-ns N] [--nodes N]\n");
      return 2;
    }
  }
  namespaces += 3;  // the three system namespaces come on top of the applications'
  if (out_dir.empty() || namespaces < 4 || pods < 1 || per_ns < 1 || nodes < 1) {
    std::fprintf(stderr, "ktriage-gen-netpol: --out DIR is required; at least 4 namespaces\n");
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  std::string items;
  for (int i = 0; i < namespaces; ++i) items += (i ? ",\n" : "") + namespace_json(i);
  write_file(std::filesystem::path(out_dir) / "namespaces.json", list(items));

  // Pods: CoreDNS and the infrastructure pods first, then applications round-robin.
  items.clear();
  items.reserve(static_cast<std::size_t>(pods) * 4200);
  int seq = 0;
  const int app_namespaces = namespaces - 3;
  const int per_ns_pods = std::max(1, (pods - 6) / app_namespaces);
  auto add = [&](const std::string& ns, int ns_index, const App& app, int replica) {
    if (seq > 0) items += ",\n";
    items += pod_json(ns, ns_index, app, replica, seq++, nodes);
  };
  static const App kDns{"coredns", "dns", 53}, kIngress{"ingress-nginx", "http", 80},
      kProm{"prometheus", "web", 9090};
  for (int r = 0; r < 2; ++r) add("kube-system", 0, kDns, r);
  for (int r = 0; r < 2; ++r) add("ingress-nginx", 1, kIngress, r);
  for (int r = 0; r < 2; ++r) add("monitoring", 2, kProm, r);
  for (int i = 3; i < namespaces && seq < pods; ++i) {
    for (int k = 0; k < per_ns_pods && seq < pods; ++k) add(ns_name(i), i, kApps[k % 5], k / 5);
  }
  for (int i = 3; seq < pods; i = 3 + (i - 2) % app_namespaces)
    add(ns_name(i), i, kApps[seq % 5], seq);
  // CoreDNS carries k8s-app=kube-dns like the real one (the DNS egress rule selects it).
  for (std::size_t at = items.find("\"app\": \"coredns\""); at != std::string::npos;
       at = items.find("\"app\": \"coredns\"", at + 1))
    items.replace(at, 16, "\"k8s-app\": \"kube-dns\"");
  write_file(std::filesystem::path(out_dir) / "pods.json", list(items));

  items.clear();
  int count = 0;
  for (int i = 3; i < namespaces; ++i) {
    for (const std::string& p : policies_for(i, per_ns, namespaces)) {
      items += (count++ ? ",\n" : "") + p;
    }
  }
  write_file(std::filesystem::path(out_dir) / "networkpolicies.json", list(items));
  std::printf("%s: %d namespaces, %d pods, %d NetworkPolicies\n", out_dir.c_str(), namespaces, seq,
              count);
  return 0;
}
