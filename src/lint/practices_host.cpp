// Practice: pods stay out of the node's namespaces and filesystem. hostNetwork, hostPID and
// hostIPC share the node's network stack, process table and IPC with the pod; a hostPath volume
// reads or writes the node's files. Each is what node agents (CNI, log shippers) need and an
// escape route for anything else, so each is flagged where it is written.
#include <fmt/format.h>

#include <array>

#include "lint/checks.h"
#include "lint/practices.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline";
constexpr std::array kRules{
    LintRule{"practice-host-network", "", Severity::kWarning,
             "A pod on the node's network namespace (hostNetwork)",
             "Remove hostNetwork and expose ports through a Service", kDoc},
    LintRule{"practice-host-pid", "", Severity::kWarning,
             "A pod that sees the node's processes (hostPID)", "Remove hostPID", kDoc},
    LintRule{"practice-host-ipc", "", Severity::kWarning,
             "A pod on the node's IPC namespace (hostIPC)", "Remove hostIPC", kDoc},
    LintRule{"practice-host-path", "", Severity::kWarning,
             "A pod that mounts a directory of the node (hostPath volume)",
             "Use an emptyDir, a ConfigMap or a PersistentVolumeClaim instead", kDoc},
};

struct HostField {
  const LintRule& rule;
  std::string_view field;
  std::string_view shares;
};
constexpr std::array<HostField, 3> kFields{{
    {kRules[0], "hostNetwork", "network stack (every port and interface of the node)"},
    {kRules[1], "hostPID", "process table (it can signal and inspect every process)"},
    {kRules[2], "hostIPC", "IPC namespace (shared memory of every process)"},
}};

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    for (const HostField& h : kFields) {
      if (!(*t.spec)[h.field].as_bool()) continue;
      add_practice_finding(
          out, h.rule, t,
          fmt::format("{} {} shares the node's {}", t.owner->kind, t.owner->name, h.shares), {},
          fmt::format("{}.{}", t.spec_path, h.field), "true",
          fmt::format("Remove {}.{} unless this is a node agent; node agents belong in a "
                      "namespace of their own with the privileged Pod Security level",
                      t.spec_path, h.field));
    }
    int i = 0;
    for (const Value& v : (*t.spec)["volumes"].items()) {
      const Value& host = v["hostPath"];
      if (!host.is_null()) {
        add_practice_finding(
            out, kRules[3], t,
            fmt::format("{} {} mounts the node's {} (volume `{}`)", t.owner->kind, t.owner->name,
                        host["path"].str(), v["name"].str()),
            v["name"].str(), fmt::format("{}.volumes[{}].hostPath", t.spec_path, i),
            std::string(host["path"].str()),
            fmt::format("Replace the hostPath of volume `{}` with an emptyDir (scratch), a "
                        "ConfigMap (configuration) or a PersistentVolumeClaim (data)",
                        v["name"].str()));
      }
      ++i;
    }
  }
}

}  // namespace

const LintCheck kPracticesHostCheck{"practices-host", kRules, run};

}  // namespace ktriage::lint
