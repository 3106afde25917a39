#include "analyzers/common/catalog_gaps.h"

namespace ktriage {

namespace {

constexpr GapKind kOut = GapKind::kNotInClusterData;
constexpr GapKind kNotYet = GapKind::kNotYet;

// Reasons shared by groups of entries.
constexpr std::string_view kAcrNoRecord =
    "no ACR answer records it: the catalog gives no message, and the fault shows only on the code "
    "platform (GitHub Authorized OAuth Apps, GitLab tokens and webhook deliveries)";
constexpr std::string_view kPing =
    "the guest OS (firewall, icmp_echo_ignore_all) and the network path (vSwitch ACLs, routes, "
    "cross-VPC) are not in the snapshot: its cloud/ answers cover security groups "
    "(sg-icmp-blocked) and instance state (ecs-instance-not-running); ktriage netcheck, issue 7";
constexpr std::string_view kClient =
    "an error of the client talking to the API server (kubectl, ktriage live mode), not stored in "
    "the cluster: the live client reports it with the kubeconfig field at fault (issue 3)";
constexpr std::string_view kLogs =
    "only the component's own log shows it: `ktriage logs` finds it, and `diagnose` shows it as "
    "log evidence when the snapshot has the log (nodes/<node>/*.log, container logs)";
constexpr std::string_view kUpgrade =
    "a property of manifests and versions: ktriage lint / upgrade-check (issue 6)";

constexpr CatalogGap kGaps[] = {
    {"ACK-NODE-ADD-DATA-DISK-HANDLING", kOut,
     "a choice of the attach request (format_disk), not a failure: no cloud answer records the "
     "wiped disk; its effect, DiskPressure on the node, is reported by the nodes analyzer"},
    {"ACK-NODEPOOL-AUTOSCALER-NOT-SCALING", kNotYet,
     "cluster-autoscaler's NotTriggerScaleUp / FailedToScaleUpGroup events on the pending pods are "
     "reported as unexplained warning events; a rule that names the node pool is not written yet"},
    {"ACR-BIND-ACCOUNT-SWITCH-OR-REVOKED", kOut, kAcrNoRecord},
    {"ACR-BUILD-TRIGGER-NOT-FIRING", kOut,
     "a build that never starts leaves no build record; the build rule's auto-build setting and "
     "branch regex, and the code platform's webhook deliveries, show it"},
    {"ECS-PING-GUEST-FIREWALL-OR-KERNEL", kOut, kPing},
    {"ECS-PING-NETWORK-PATH", kOut, kPing},
    {"ACK-RAM-NODE-INSTANCE-ROLE-REVOKED", kOut,
     "the node's RAM role is an ECS attribute; the components that use it log the refusal (ktriage "
     "logs, issue 5; ACK cloud checks, issue 7)"},
    {"NET-FLANNEL-CNI-LOCAL-STATE", kOut,
     "stale CNI state is a file on the node; the kubelet log and sandbox events name it (ktriage "
     "logs, issue 5)"},
    {"NET-FLANNEL-POD-CIDR-NOT-ASSIGNED", kNotYet,
     "a Node without spec.podCIDR while flannel crash-loops is visible; the flannel pod's crash is "
     "reported, the link to the missing podCIDR is not written yet"},
    {"NET-TERWAY-ENI-OR-IP-QUOTA", kOut,
     "ENI and IP quotas are cloud account state; Terway logs the refusal (ktriage logs, issue 5)"},
    {"NET-TERWAY-INIT-CONFIG-ERROR", kOut,
     "the eni-config ConfigMap's content error shows only in Terway's log (ktriage logs, issue 5)"},
    {"NET-TERWAY-OPENAPI-DENIED-OR-THROTTLED", kOut,
     "the OpenAPI refusal shows only in Terway's log (ktriage logs, issue 5)"},
    {"NET-TERWAY-PODNETWORKING-CONFIG", kNotYet,
     "PodNetworking objects are custom resources; not read yet"},
    {"NET-CONNTRACK-TABLE-FULL", kOut,
     "the kernel logs it (dmesg: nf_conntrack: table full); ktriage logs, issue 5"},
    {"DNS-RESOLUTION-FAILURE", kOut,
     "application logs show it; crash-log-host-not-found covers containers that exit on it, "
     "ktriage logs (issue 5) the rest"},
    {"DNS-COREDNS-LOOP", kOut, kLogs},
    {"DNS-COREDNS-UPSTREAM-TIMEOUT", kOut, kLogs},
    {"POD-WAITING-SANDBOX-NAME-RESERVED", kNotYet,
     "FailedCreatePodSandBox events are reported as unexplained warning events; a rule is not "
     "written yet"},
    {"POD-CRASHLOOPBACKOFF", kNotYet,
     "the umbrella entry: every CrashLoopBackOff gets the most specific crash rule (crash-*), "
     "falling back to crash-app-error (POD-CRASH-APP-ERROR)"},
    {"POD-LIFECYCLE-HOOK-FAILED", kNotYet,
     "FailedPostStartHook / FailedPreStopHook events are reported as unexplained warning events; a "
     "rule is not written yet"},
    {"POD-RUNNING-MANIFEST-DUPLICATE-KEY", kOut,
     "the duplicate key is lost when the manifest is parsed, before it reaches the cluster: "
     "ktriage lint (issue 6)"},
    {"POD-EVICTED-EPHEMERAL-STORAGE-LIMIT", kNotYet, "node analyzer (issue 4)"},
    {"POD-REJECTED-BY-KUBELET-ADMISSION", kNotYet, "node analyzer (issue 4)"},
    {"POD-PREEMPTED", kNotYet,
     "Preempted events are reported as unexplained warning events; a rule is not written yet"},
    {"SVC-LOADBALANCER-NO-HEALTHY-BACKENDS", kOut,
     "backend health is CLB/NLB state in the cloud console (ACK cloud checks, issue 7)"},
    {"INGRESS-ALB-BACKEND-UNHEALTHY", kOut,
     "server-group health is ALB state in the cloud console (ACK cloud checks, issue 7)"},
    {"RUNTIME-DOCKER-DAEMON-NOT-RUNNING", kOut, kLogs},
    {"RUNTIME-DOCKER-STORAGE-DRIVER-ERROR", kOut, kLogs},
    {"NODE-IMAGE-GC-FAILED", kNotYet,
     "ImageGCFailed / FreeDiskSpaceFailed events are reported as unexplained warning events; a "
     "rule is not written yet"},
    {"NODE-KUBELET-SWAP-ENABLED", kOut, kLogs},
    {"NODE-KUBELET-CGROUP-DRIVER-MISMATCH", kOut, kLogs},
    {"NODE-KUBELET-CERT-EXPIRED", kOut, kLogs},
    {"NODE-KUBELET-REGISTRATION-FAILED", kOut,
     "the node never appears as an object; the kubelet log shows why (ktriage logs, issue 5)"},
    {"NODE-KERNEL-PROBLEM", kNotYet,
     "node-problem-detector's conditions (KernelDeadlock, ReadonlyFilesystem) are in Node status; "
     "a rule is not written yet"},
    {"NODE-ORPHANED-POD-VOLUMES", kOut, kLogs},
    {"CP-APISERVER-CONNECTION-REFUSED", kOut, kClient},
    {"CP-APISERVER-UNREACHABLE-TIMEOUT", kOut, kClient},
    {"CP-KUBECONFIG-UNAUTHORIZED", kOut, kClient},
    {"CP-X509-UNKNOWN-AUTHORITY", kOut, kClient},
    {"CP-X509-EXPIRED", kOut, kClient},
    {"CP-APISERVER-TLS-HANDSHAKE-ERROR", kOut, kLogs},
    {"CP-ETCD-SLOW", kOut, kLogs},
    {"CP-ETCD-DB-SPACE-EXCEEDED", kOut, kLogs},
    {"ACK-UPGRADE-PRECHECK-DEPRECATED-API", kOut, kUpgrade},
    {"UPGRADE-HELM-RELEASE-REMOVED-API", kOut,
     "ktriage upgrade-check: upgrade-helm-release-removed-api, read from the release Secrets"},
    {"ACK-UPGRADE-PRECHECK-CLOUD-RESOURCE", kOut,
     "cloud resources the upgrade pre-check inspects are outside Kubernetes (issue 7)"},
    {"ACK-UPGRADE-PRECHECK-COMPONENT-VERSION", kOut,
     "ktriage upgrade-check: upgrade-csi-plugin-notready-nodes and "
     "upgrade-csi-provisioner-one-node "
     "(the catalog names no minimum add-on versions)"},
    {"ACK-MIGRATE-BASIC-TO-PRO", kOut, "a cluster-edition migration in the ACK console (issue 7)"},
};

}  // namespace

std::span<const CatalogGap> catalog_gaps() { return kGaps; }

}  // namespace ktriage
