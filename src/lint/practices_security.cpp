// Practice: containers run with the least privilege the Pod Security Standards' "restricted"
// profile asks for: not privileged, not as root, no privilege escalation, a read-only root
// filesystem, capabilities dropped (ALL) and none of the dangerous ones added. runAsUser and
// runAsNonRoot are read as the kubelet does: the container's securityContext, else the pod's.
// Init containers are checked too: they run on the same node with the same rights.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "lint/checks.h"
#include "lint/practices.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
constexpr std::array kRules{
    LintRule{"practice-privileged", "", Severity::kWarning, "A privileged container",
             "Set securityContext.privileged: false and add only the capabilities it needs", kDoc},
    LintRule{"practice-run-as-root", "", Severity::kWarning, "A container set to run as UID 0",
             "Run as a non-zero UID (securityContext.runAsUser) with runAsNonRoot: true", kDoc},
    LintRule{"practice-run-as-non-root-missing", "", Severity::kWarning,
             "A container that may run as root (runAsNonRoot not true, no non-zero runAsUser)",
             "Set securityContext.runAsNonRoot: true (pod or container)", kDoc},
    LintRule{"practice-privilege-escalation-allowed", "", Severity::kWarning,
             "A container that may gain more privileges than its parent process",
             "Set securityContext.allowPrivilegeEscalation: false", kDoc},
    LintRule{"practice-writable-root-filesystem", "", Severity::kWarning,
             "A container whose root filesystem is writable",
             "Set securityContext.readOnlyRootFilesystem: true and mount emptyDirs where it "
             "writes",
             kDoc},
    LintRule{"practice-capabilities-not-dropped", "", Severity::kWarning,
             "A container that keeps the runtime's default capabilities",
             "Set securityContext.capabilities.drop: [ALL] and add back only what it needs", kDoc},
    LintRule{"practice-capabilities-dangerous", "", Severity::kWarning,
             "A container that adds a capability close to root (SYS_ADMIN, NET_ADMIN, ALL, ...)",
             "Remove the capability from securityContext.capabilities.add", kDoc},
};

// Capabilities that give a container control over the node or its network: the restricted
// profile allows adding only NET_BIND_SERVICE; these are the ones that amount to root.
constexpr std::array<std::string_view, 8> kDangerous = {"ALL",        "SYS_ADMIN",      "NET_ADMIN",
                                                        "SYS_MODULE", "SYS_PTRACE",     "SYS_RAWIO",
                                                        "BPF",        "DAC_READ_SEARCH"};

// The runtime's default capability set (containerd, CRI-O): dropping each of them one by one is
// as good as dropping ALL, which Polaris also accepts.
constexpr std::array<std::string_view, 15> kDefaults = {
    "NET_ADMIN",  "CHOWN",  "DAC_OVERRIDE", "FSETID",  "FOWNER",  "MKNOD",
    "NET_RAW",    "SETGID", "SETUID",       "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
    "SYS_CHROOT", "KILL",   "AUDIT_WRITE"};

// Capability names are matched without case and without the CAP_ prefix, as the runtimes do.
std::string capability(std::string_view s) {
  std::string c;
  for (char ch : s) c.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  if (c.starts_with("CAP_")) c.erase(0, 4);
  return c;
}

bool contains(const Value& list, std::string_view cap) {
  const auto items = list.items();
  return std::any_of(items.begin(), items.end(),
                     [&](const Value& v) { return capability(v.str()) == cap; });
}

// A field of the container's securityContext, else the pod's, with the path it was read at.
struct Effective {
  const Value* value = &Value::null_value();
  std::string path;
};
Effective effective(const PodTemplate& t, const TemplateContainer& c, std::string_view field) {
  const Value& own = (*c.spec)["securityContext"][field];
  if (!own.is_null()) return {&own, fmt::format("{}.securityContext.{}", c.path, field)};
  const Value& pod = (*t.spec)["securityContext"][field];
  if (!pod.is_null()) return {&pod, fmt::format("{}.securityContext.{}", t.spec_path, field)};
  return {&own, fmt::format("{}.securityContext.{}", c.path, field)};
}

void check_user(const PodTemplate& t, const TemplateContainer& c, const std::string& who,
                std::vector<Finding>& out) {
  const Effective user = effective(t, c, "runAsUser");
  const Effective non_root = effective(t, c, "runAsNonRoot");
  if (user.value->is_number() && user.value->as_int() == 0) {
    add_practice_finding(out, kRules[1], t, who + " runs as UID 0 (root)", c.name, user.path, "0",
                         fmt::format("Set {} to the image's non-root UID (10000 or above keeps "
                                     "it apart from host users) and runAsNonRoot: true",
                                     user.path));
    return;
  }
  if (non_root.value->as_bool() || user.value->as_int(0) > 0) return;
  add_practice_finding(out, kRules[2], t,
                       who + " may run as root: runAsNonRoot is not true and no runAsUser is set",
                       c.name, non_root.path, non_root.value->is_null() ? "(not set)" : "false",
                       fmt::format("Set {}.securityContext.runAsNonRoot: true (the kubelet then "
                                   "refuses an image that runs as root)",
                                   t.spec_path));
}

void check_capabilities(const PodTemplate& t, const TemplateContainer& c, const std::string& who,
                        std::vector<Finding>& out) {
  const Value& caps = (*c.spec)["securityContext"]["capabilities"];
  const std::string caps_path = c.path + ".securityContext.capabilities";
  const bool all_defaults = std::all_of(kDefaults.begin(), kDefaults.end(),
                                        [&](auto cap) { return contains(caps["drop"], cap); });
  if (!contains(caps["drop"], "ALL") && !all_defaults) {
    add_practice_finding(out, kRules[5], t, who + " does not drop ALL capabilities", c.name,
                         caps_path + ".drop", "(ALL not dropped)",
                         fmt::format("Set {}.drop: [ALL] and list in add only what the process "
                                     "needs (NET_BIND_SERVICE for a port below 1024)",
                                     caps_path));
  }
  int i = 0;
  for (const Value& added : caps["add"].items()) {
    const std::string cap = capability(added.str());
    if (std::find(kDangerous.begin(), kDangerous.end(), cap) != kDangerous.end()) {
      add_practice_finding(out, kRules[6], t, fmt::format("{} adds the capability {}", who, cap),
                           fmt::format("{}/{}", c.name, cap),
                           fmt::format("{}.add[{}]", caps_path, i), std::string(added.str()),
                           fmt::format("Remove {} from {}.add; if the workload really manages "
                                       "the node, run it in a namespace of its own with "
                                       "the privileged Pod Security level",
                                       cap, caps_path));
    }
    ++i;
  }
}

void check_container(const PodTemplate& t, const TemplateContainer& c, std::vector<Finding>& out) {
  const Value& sc = (*c.spec)["securityContext"];
  const std::string sc_path = c.path + ".securityContext";
  const std::string who = fmt::format("{} {} {} `{}`", t.owner->kind, t.owner->name,
                                      c.init ? "init container" : "container", c.name);
  if (sc["privileged"].as_bool()) {
    add_practice_finding(out, kRules[0], t,
                         who +
                             " is privileged: it has every device and "
                             "capability of the node",
                         c.name, sc_path + ".privileged", "true",
                         fmt::format("Set {}.privileged: false and add the one capability it "
                                     "needs instead",
                                     sc_path));
  }
  check_user(t, c, who, out);
  if (!(sc["allowPrivilegeEscalation"].is_bool() && !sc["allowPrivilegeEscalation"].as_bool())) {
    add_practice_finding(out, kRules[3], t,
                         who + " allows privilege escalation (setuid binaries can gain root)",
                         c.name, sc_path + ".allowPrivilegeEscalation",
                         sc["allowPrivilegeEscalation"].is_null() ? "(not set)" : "true",
                         fmt::format("Set {}.allowPrivilegeEscalation: false", sc_path));
  }
  if (!sc["readOnlyRootFilesystem"].as_bool()) {
    add_practice_finding(out, kRules[4], t, who + " can write to its root filesystem", c.name,
                         sc_path + ".readOnlyRootFilesystem",
                         sc["readOnlyRootFilesystem"].is_null() ? "(not set)" : "false",
                         fmt::format("Set {}.readOnlyRootFilesystem: true and mount an emptyDir "
                                     "where the process writes (/tmp, caches)",
                                     sc_path));
  }
  check_capabilities(t, c, who, out);
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    for (const TemplateContainer& c : template_containers(t)) check_container(t, c, out);
  }
}

}  // namespace

const LintCheck kPracticesSecurityCheck{"practices-security", kRules, run};

}  // namespace ktriage::lint
