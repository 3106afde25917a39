// Containers the kubelet cannot create or start: CreateContainerConfigError (a missing Secret,
// ConfigMap or key, confirmed against the snapshot; runAsNonRoot), CreateContainerError,
// RunContainerError, and init containers that keep failing while the pod stays in Init.
// Image pulls are the images analyzer's; crash loops of app containers the crashes analyzer's.
//
// Kubelet messages (reason in the container's waiting state, and a Warning event "Failed" with
// `Error: <message>`, pkg/kubelet/kuberuntime/kuberuntime_container.go):
//   pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (current releases; v1.5-era kubelets
//   capitalise "Couldn't"): `couldn't find key <k> in Secret <ns>/<name>`,
//   `couldn't find key <k> in ConfigMap <ns>/<name>`.
//   Not-found errors of the kubelet's secret/configmap managers: `secret "<name>" not found`,
//   `configmap "<name>" not found` (watch-based managers, the default); GET-based managers pass
//   the API server's plural wording `secrets "<name>" not found`.
//   pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot, each followed by
//   ` (pod: "<pod>", container: <c>)`: `container has runAsNonRoot and image will run as root`,
//   `container has runAsNonRoot and image has non-numeric user (<u>), cannot verify user is
//   non-root`, `container has runAsNonRoot and image has an invalid user id (<n>)...`,
//   `container's runAsUser breaks non-root policy`.
//   CreateContainerError / RunContainerError carry the runtime's error (containerd, runc).
//   pkg/kubelet/kuberuntime/kuberuntime_manager.go: BackOff event `Back-off restarting failed
//   container <c> in pod <pod>` (recent releases; older ones omit the names).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/node_status.h"
#include "core/edit_distance.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr Severity kCrit = Severity::kCritical;
constexpr std::string_view kEnvDoc =
    "https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/";
constexpr std::string_view kCmDoc =
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/";
constexpr std::string_view kDebugDoc =
    "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/";

constexpr Rule kRules[] = {
    {"config-secret-missing", "POD-WAITING-CONFIG-SECRET-MISSING", kCrit,
     "Container cannot start: a Secret it references does not exist",
     "Create the Secret in the pod's namespace, fix its name, or mark the reference optional.",
     kEnvDoc},
    {"config-secret-key-missing", "POD-WAITING-CONFIG-SECRET-MISSING", kCrit,
     "Container cannot start: a Secret it references lacks the key",
     "Add the key to the Secret or reference a key that exists.", kEnvDoc},
    {"config-configmap-missing", "POD-WAITING-CONFIG-CONFIGMAP-MISSING", kCrit,
     "Container cannot start: a ConfigMap it references does not exist",
     "Create the ConfigMap in the pod's namespace, fix its name, or mark the reference optional.",
     kCmDoc},
    {"config-configmap-key-missing", "POD-WAITING-CONFIG-CONFIGMAP-MISSING", kCrit,
     "Container cannot start: a ConfigMap it references lacks the key",
     "Add the key to the ConfigMap or reference a key that exists.", kCmDoc},
    {"config-runasnonroot-violation", "POD-WAITING-RUNASNONROOT-VIOLATION", kCrit,
     "Container cannot start: runAsNonRoot is set but the image runs as root",
     "Set a numeric non-root runAsUser, or use an image with a numeric non-root USER.",
     "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
    // CreateContainerConfigError with another cause: the nearest catalog entry is the create step.
    {"create-container-config-error", "POD-WAITING-CREATE-CONTAINER-ERROR", kCrit,
     "Container cannot start: the kubelet cannot build its configuration",
     "Read the error; fix the referenced object or field.", kDebugDoc},
    {"create-container-error", "POD-WAITING-CREATE-CONTAINER-ERROR", kCrit,
     "Container cannot be created by the runtime", "Fix the runtime error (disk, mounts, names).",
     kDebugDoc},
    {"run-container-error", "POD-RUN-CONTAINER-ERROR", kCrit,
     "Container cannot be started by the runtime", "Fix the runtime error (command, mounts).",
     kDebugDoc},
    {"init-container-failing", "POD-WAITING-INIT-CONTAINER-FAILING", kCrit,
     "Init container keeps failing; the pod never starts its app containers",
     "Fix what the init container's log reports (a dependency, its command).",
     "https://kubernetes.io/docs/tasks/debug/debug-application/debug-init-containers/"},
};
constexpr const Rule& kSecretMissing = kRules[0];
constexpr const Rule& kSecretKeyMissing = kRules[1];
constexpr const Rule& kConfigMapMissing = kRules[2];
constexpr const Rule& kConfigMapKeyMissing = kRules[3];
constexpr const Rule& kRunAsNonRoot = kRules[4];
constexpr const Rule& kConfigError = kRules[5];
constexpr const Rule& kCreateError = kRules[6];
constexpr const Rule& kRunError = kRules[7];
constexpr const Rule& kInitFailing = kRules[8];

/// What a CreateContainerConfigError message names: a Secret or ConfigMap, and the key when the
/// object exists but lacks it.
struct MissingRef {
  bool secret = true;  // else ConfigMap
  std::string_view name;
  std::string_view key;  // empty: the object itself is missing
};

std::optional<MissingRef> parse_missing(std::string_view msg) {
  MissingRef r;
  if (auto p = msg.find("ouldn't find key "); p != msg.npos) {  // "couldn't" / "Couldn't"
    std::string_view rest = msg.substr(p + 17);
    const auto in = rest.find(" in ");
    if (in == rest.npos) return std::nullopt;
    r.key = rest.substr(0, in);
    rest = rest.substr(in + 4);
    r.secret = rest.starts_with("Secret ");
    if (!r.secret && !rest.starts_with("ConfigMap ")) return std::nullopt;
    rest = rest.substr(rest.find(' ') + 1);
    rest = rest.substr(0, rest.find_first_of(" \t\n"));
    r.name = rest.substr(rest.find('/') == rest.npos ? 0 : rest.find('/') + 1);
    return r;
  }
  for (std::string_view head : {"secret \"", "secrets \"", "configmap \"", "configmaps \""}) {
    const auto p = msg.find(head);
    if (p == msg.npos) continue;
    std::string_view rest = msg.substr(p + head.size());
    const auto quote = rest.find('"');
    if (quote == rest.npos || !rest.substr(quote).starts_with("\" not found")) continue;
    r.secret = head.starts_with("secret");
    r.name = rest.substr(0, quote);
    return r;
  }
  return std::nullopt;
}

/// The candidate closest to `want`, if close enough to be a likely typo; "" otherwise.
std::string_view nearest(std::string_view want, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = std::max<std::size_t>(2, want.size() / 3) + 1;
  for (std::string_view c : candidates) {
    const std::size_t d = levenshtein_distance(want, c);
    if (d < best_d && c != want) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

/// Key names of a Secret (data, stringData) or ConfigMap (data, binaryData); never values.
std::vector<std::string_view> keys_of(const Object& obj) {
  std::vector<std::string_view> keys;
  for (std::string_view field : {"data", "stringData", "binaryData"}) {
    for (const Member& m : obj[field].members()) {
      if (std::find(keys.begin(), keys.end(), m.key) == keys.end()) keys.push_back(m.key);
    }
  }
  return keys;
}

/// One place of the pod spec that references the missing object (or key).
struct SpecRef {
  std::string path;
  std::string value;
  std::string_view key;  // the key it asks for, when it names one
};

// env[].valueFrom.{secret,configMap}KeyRef and envFrom[] of the container; volumes[] (plain and
// projected) of the pod, with their items[].key. O(fields of the pod).
std::vector<SpecRef> find_refs(const Object& pod, const ContainerView& c, const MissingRef& m) {
  const std::string_view key_ref = m.secret ? "secretKeyRef" : "configMapKeyRef";
  const std::string_view from_ref = m.secret ? "secretRef" : "configMapRef";
  const std::string_view vol = m.secret ? "secret" : "configMap";
  const std::string_view vol_name = m.secret ? "secretName" : "name";
  std::vector<SpecRef> out;
  int i = 0;
  for (const Value& env : (*c.spec)["env"].items()) {
    const Value& ref = env["valueFrom"][key_ref];
    if (ref["name"].str() == m.name && (m.key.empty() || ref["key"].str() == m.key)) {
      out.push_back({fmt::format("{}.env[{}].valueFrom.{}", c.spec_path(), i, key_ref),
                     fmt::format("{} (name {}, key {}{})", env["name"].str(), ref["name"].str(),
                                 ref["key"].str(), ref["optional"].as_bool() ? ", optional" : ""),
                     ref["key"].str()});
    }
    ++i;
  }
  i = 0;
  for (const Value& from : (*c.spec)["envFrom"].items()) {
    if (m.key.empty() && from[from_ref]["name"].str() == m.name) {
      out.push_back(
          {fmt::format("{}.envFrom[{}].{}", c.spec_path(), i, from_ref), std::string(m.name), {}});
    }
    ++i;
  }
  // Volumes name a Secret by secretName, a projected Secret and any ConfigMap by name.
  auto volume_ref = [&](const Value& src, std::string_view name_field, const std::string& path) {
    if (src[name_field].str() != m.name) return;
    if (m.key.empty()) return out.push_back({path, std::string(m.name), {}});
    int j = 0;
    for (const Value& item : src["items"].items()) {
      if (item["key"].str() == m.key) {
        out.push_back({fmt::format("{}.items[{}].key", path, j), std::string(m.key), m.key});
      }
      ++j;
    }
  };
  i = 0;
  for (const Value& v : pod.spec()["volumes"].items()) {
    volume_ref(v[vol], vol_name, fmt::format(".spec.volumes[{}].{}", i, vol));
    int j = 0;
    for (const Value& src : v["projected"]["sources"].items()) {
      volume_ref(src[vol], "name",
                 fmt::format(".spec.volumes[{}].projected.sources[{}].{}", i, j++, vol));
    }
    ++i;
  }
  return out;
}

/// The common start of every finding here: waiting reason and message, and the kubelet's event.
Finding& start(const Rule& rule, const Cluster& cluster, const Object& pod, const ContainerView& c,
               std::string summary, FindingSink& sink) {
  Finding& f = sink.add(rule, pod, std::move(summary), c.name);
  const std::string sp = c.status_path();
  f.evidence.push_back(field_evidence(pod, sp + ".state.waiting.reason", c.waiting_reason()));
  if (!c.waiting_message().empty()) {
    f.evidence.push_back(field_evidence(pod, sp + ".state.waiting.message", c.waiting_message()));
    if (const Event* e = latest_event(cluster, pod, "Failed", c.waiting_message())) {
      f.evidence.push_back(event_evidence(cluster, *e));
    }
  }
  return f;
}

/// "statefulset/db (kubectl -n ns edit statefulset/db)", or the pod itself when it has no owner.
std::string where_to_edit(const Cluster& cluster, const Object& pod) {
  const std::string owner = declared_workload(cluster, pod);
  if (owner.starts_with("pod/")) return fmt::format("the manifest of {} (then recreate it)", owner);
  return fmt::format("the pod template of {} ({}edit {})", owner, kubectl_ns(pod), owner);
}

/// Where a missing object might be: another namespace holding that name, and the nearest name
/// in the pod's namespace. Memoised per run by kind/namespace/name, since all pods of a workload
/// fail on the same name; each scan is O(objects of the kind).
struct Misplaced {
  std::string other_ns;
  std::string_view near;
};
using MisplacedMemo = std::map<std::string, Misplaced, std::less<>>;

const Misplaced& misplaced(const Cluster& cluster, std::string_view kind, const Object& pod,
                           std::string_view name, MisplacedMemo& memo) {
  auto [it, inserted] = memo.try_emplace(object_key(kind, pod.ns, name));
  if (!inserted) return it->second;
  std::vector<std::string_view> here;
  for (const Object* o : cluster.of_kind(kind)) {
    if (o->ns == pod.ns) here.push_back(o->name);
    if (o->name == name && o->ns != pod.ns && it->second.other_ns.empty()) {
      it->second.other_ns = std::string(o->ns);
    }
  }
  it->second.near = nearest(name, here);
  return it->second;
}

void report_missing_object(const Cluster& cluster, const Object& pod, const ContainerView& c,
                           const MissingRef& m, const std::vector<SpecRef>& refs,
                           MisplacedMemo& memo, FindingSink& sink) {
  const std::string_view kind = m.secret ? "Secret" : "ConfigMap";
  const auto& [other_ns, near] = misplaced(cluster, kind, pod, m.name, memo);
  const bool snapshot_has_kind = !cluster.of_kind(kind).empty();
  std::string summary = fmt::format("{} {} cannot start: {} {}/{} does not exist", noun(c), c.name,
                                    kind, pod.ns, m.name);
  if (!other_ns.empty()) summary += fmt::format(" (it exists in namespace {})", other_ns);
  Finding& f = start(m.secret ? kSecretMissing : kConfigMapMissing, cluster, pod, c,
                     std::move(summary), sink);
  for (const SpecRef& r : refs) f.evidence.push_back(field_evidence(pod, r.path, r.value));
  if (cluster.find(kind, pod.ns, m.name) != nullptr) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "{} {}/{} is in the snapshot: it was created after the error; the kubelet retries", kind,
        pod.ns, m.name)));
  } else if (!snapshot_has_kind) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "the snapshot holds no {} objects: absence not confirmed beyond the kubelet's word",
        kind)));
  } else {
    f.evidence.push_back(Evidence::note(
        fmt::format("no {} {} in namespace {} of the snapshot", kind, m.name, pod.ns)));
  }
  std::string keys;
  for (const SpecRef& r : refs) {
    if (!r.key.empty()) keys += fmt::format(" --from-literal={}=<value>", r.key);
  }
  const std::string create =
      fmt::format("{}create {} {}{}", kubectl_ns(pod), m.secret ? "secret generic" : "configmap",
                  m.name, keys.empty() ? " --from-literal=KEY=<value>" : keys);
  if (!other_ns.empty()) {
    f.fix =
        fmt::format("{}s are namespaced: create {} in namespace {} too (same keys as in {}): {}",
                    kind, m.name, pod.ns, other_ns, create);
  } else if (!near.empty()) {
    f.fix =
        fmt::format("Namespace {} has a {} named \"{}\": fix the name in {}, or create \"{}\": {}",
                    pod.ns, kind, near, where_to_edit(cluster, pod), m.name, create);
  } else {
    f.fix =
        fmt::format("Create it: {} ; or fix the name in {}", create, where_to_edit(cluster, pod));
  }
}

void report_missing_key(const Cluster& cluster, const Object& pod, const ContainerView& c,
                        const MissingRef& m, const std::vector<SpecRef>& refs, FindingSink& sink) {
  const std::string_view kind = m.secret ? "Secret" : "ConfigMap";
  const Object* obj = cluster.find(kind, pod.ns, m.name);
  const std::vector<std::string_view> keys =
      obj == nullptr ? std::vector<std::string_view>{} : keys_of(*obj);
  const std::string_view near = nearest(m.key, keys);
  std::string summary = fmt::format("{} {} cannot start: {} {}/{} has no key \"{}\"", noun(c),
                                    c.name, kind, pod.ns, m.name, m.key);
  if (!near.empty()) summary += fmt::format(" (it has \"{}\")", near);
  Finding& f = start(m.secret ? kSecretKeyMissing : kConfigMapKeyMissing, cluster, pod, c,
                     std::move(summary), sink);
  for (const SpecRef& r : refs) f.evidence.push_back(field_evidence(pod, r.path, r.value));
  // A live run reads Secrets as metadata only (src/live/page.h marks them): their key names are
  // unknown, which is not the same as having none.
  const bool keys_unknown =
      obj != nullptr && obj->annotations()["ktriage.io/data"].str() == "not-collected";
  if (keys_unknown) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "{} {}/{} was read as metadata only (ktriage never reads Secret data): list its keys with "
        "kubectl -n {} get secret {} -o jsonpath='{{.data}}' | jq keys",
        kind, pod.ns, m.name, pod.ns, m.name)));
  } else if (obj != nullptr) {
    std::string list;
    for (std::string_view k : keys) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
    f.evidence.push_back(
        field_evidence(*obj, ".data", "keys: " + (list.empty() ? "(none)" : list)));
    if (std::find(keys.begin(), keys.end(), m.key) != keys.end()) {
      f.evidence.push_back(Evidence::note(fmt::format(
          "the snapshot's {} has key {}: it was added after the error; the kubelet retries", kind,
          m.key)));
    }
  } else {
    f.evidence.push_back(Evidence::note(fmt::format(
        "{} {}/{} is not in the snapshot: its keys cannot be listed", kind, pod.ns, m.name)));
  }
  const std::string add = fmt::format(
      "{}patch {} {} --type merge -p '{{\"{}\":{{\"{}\":\"<value>\"}}}}'", kubectl_ns(pod),
      m.secret ? "secret" : "configmap", m.name, m.secret ? "stringData" : "data", m.key);
  const std::string at = refs.empty() ? "the reference" : refs.front().path + ".key";
  if (!near.empty()) {
    f.fix = fmt::format(
        "The key is probably \"{}\": change {} from \"{}\" to \"{}\" in {}; "
        "or add the key: {}",
        near, at, m.key, near, where_to_edit(cluster, pod), add);
  } else {
    f.fix = fmt::format("Add the key: {} ; or change {} in {} to a key the {} has", add, at,
                        where_to_edit(cluster, pod), kind);
  }
}

void report_runasnonroot(const Cluster& cluster, const Object& pod, const ContainerView& c,
                         FindingSink& sink) {
  const std::string_view msg = c.waiting_message();
  std::string why = "runAsNonRoot is set and the image runs as root (no runAsUser)";
  if (const auto open = msg.find("user ("); has(msg, "non-numeric user") && open != msg.npos) {
    const std::string_view user = msg.substr(open + 5, msg.find(')', open) - open - 4);
    why = fmt::format(
        "runAsNonRoot is set and the image's user {} is not numeric, so the kubelet "
        "cannot verify it is not root",
        user);
  } else if (has(msg, "invalid user id")) {
    why = "runAsNonRoot is set and the image's user id is not a valid non-root UID";
  } else if (has(msg, "breaks non-root policy")) {
    why = "runAsUser is 0 (root) while runAsNonRoot is true";
  }
  Finding& f = start(kRunAsNonRoot, cluster, pod, c,
                     fmt::format("{} {} cannot start: {}", noun(c), c.name, why), sink);
  for (const auto& [path, sc] :
       {std::pair{std::string(".spec.securityContext"), &pod.spec()["securityContext"]},
        std::pair{c.spec_path() + ".securityContext", &(*c.spec)["securityContext"]}}) {
    for (std::string_view field : {"runAsNonRoot", "runAsUser"}) {
      const Value& v = (*sc)[field];
      if (v.is_null()) continue;
      f.evidence.push_back(field_evidence(
          pod, fmt::format("{}.{}", path, field),
          v.is_bool() ? (v.as_bool() ? "true" : "false") : std::to_string(v.as_int())));
    }
  }
  f.fix = fmt::format(
      "Set a numeric non-root user on container {} in {}: securityContext.runAsUser: "
      "10001 (a UID the image works with), or build the image with USER 10001",
      c.name, where_to_edit(cluster, pod));
}

/// Meaning and fix of a runtime error (CreateContainerError, RunContainerError).
struct RuntimeHint {
  std::string_view any_of, meaning, fix;  // any_of: '|'-separated wordings
};
constexpr RuntimeHint kHints[] = {
    {"is reserved for", "the runtime still holds the name from an earlier attempt that timed out",
     "it clears when that attempt ends; if it persists, drain the node and restart containerd "
     "(see POD-WAITING-SANDBOX-NAME-RESERVED), and check the node's disk IO"},
    {"no space left on device", "the node's disk is full",
     "free disk on the node (crictl rmi --prune; /var/lib/containerd, /var/log) or move the pod"},
    {"not a directory|is a directory|mount a directory onto a file",
     "a volume mount puts a file over a directory or the reverse",
     "check the container's volumeMounts (subPath) against the volume and image paths"},
    {"executable file not found|no such file or directory",
     "the command does not exist in the image",
     "fix command/args (the binary's path in the image)"},
    {"permission denied", "the runtime may not execute or mount a path",
     "make the entrypoint executable (chmod +x, ConfigMap defaultMode 0755) or fix the mount"},
    {"context deadline exceeded", "the runtime timed out (an overloaded node or slow disk)",
     "check the node's load and disk IO and the containerd journal"},
};

const RuntimeHint* hint_for(std::string_view msg) {
  for (const RuntimeHint& h : kHints) {
    if (!find_any(msg, h.any_of).empty()) return &h;
  }
  return nullptr;
}

void report_runtime(const Cluster& cluster, const Object& pod, const ContainerView& c, bool run,
                    FindingSink& sink) {
  const Value& last = c.last_state()["terminated"];
  std::string_view msg = c.waiting_message();
  if (msg.empty()) msg = last["message"].str();
  const RuntimeHint* hint = hint_for(msg);
  const std::string why = hint != nullptr ? std::string(hint->meaning)
                          : msg.empty()   ? "the snapshot holds no error text"
                                          : shorten(msg);
  Finding& f = start(run ? kRunError : kCreateError, cluster, pod, c,
                     fmt::format("{} {} cannot be {} by the runtime: {}", noun(c), c.name,
                                 run ? "started" : "created", why),
                     sink);
  if (run && !last.is_null()) {
    f.evidence.push_back(
        field_evidence(pod, c.status_path() + ".lastState.terminated",
                       fmt::format("{} exit code {}: {}", last["reason"].str(),
                                   last["exitCode"].as_int(), last["message"].str())));
  }
  const std::string_view node = PodView(pod).node_name();
  f.fix = fmt::format("{}; the runtime's full error: journalctl -u containerd on node {}",
                      hint != nullptr ? hint->fix : "Read the error above",
                      node.empty() ? "NODE" : node);
}

void report_config_error(const Cluster& cluster, const Object& pod, const ContainerView& c,
                         MisplacedMemo& memo, FindingSink& sink) {
  const std::string_view msg = c.waiting_message();
  if (has(msg, "runAsNonRoot") || has(msg, "non-root policy")) {
    return report_runasnonroot(cluster, pod, c, sink);
  }
  if (const auto m = parse_missing(msg)) {
    const std::vector<SpecRef> refs = find_refs(pod, c, *m);
    if (m->key.empty()) return report_missing_object(cluster, pod, c, *m, refs, memo, sink);
    return report_missing_key(cluster, pod, c, *m, refs, sink);
  }
  start(kConfigError, cluster, pod, c,
        fmt::format("{} {} cannot start: {}", noun(c), c.name,
                    msg.empty() ? "the kubelet cannot build its configuration" : shorten(msg)),
        sink)
      .fix = has(msg, "failed to sync")
                 ? "The kubelet could not read the Secret/ConfigMap in time; it retries. If it "
                   "persists, check the node's connection to the API server."
                 : "Fix the object or field the error names, then the kubelet retries.";
}

bool in_init(const PodView& pv) {
  const Value& cond = pv.condition("Initialized");
  if (!cond.is_null()) return cond["status"].str() != "True";
  for (const ContainerView& c : pv.app_containers()) {
    if (!c.state()["running"].is_null() || !c.state()["terminated"].is_null()) return false;
  }
  return true;
}

// A log's statement that runs over several lines (an SQL error echoing its CREATE TABLE, a
// stack of indented detail lines): its continuation lines are indented or open with a closing
// bracket, so a last line like "); (details: ...)" alone says little.
constexpr std::size_t kStatementLines = 12;

bool continues_statement(std::string_view line) {
  return !line.empty() &&
         (line[0] == ' ' || line[0] == '\t' || line[0] == ')' || line[0] == ']' || line[0] == '}');
}

// Index in `lines` of the line that opens the statement the last line belongs to; the last
// line's own index when it opens none, or when the statement starts before the lines given.
std::size_t statement_start(const std::vector<NumberedLine>& lines) {
  std::size_t i = lines.size() - 1;
  if (!continues_statement(lines[i].text)) return i;
  while (i > 0 && continues_statement(lines[i].text)) --i;
  return continues_statement(lines[i].text) ? lines.size() - 1 : i;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Adds the log's last lines to `f`; `headline` gets "last log line: X", or "last log lines:
// OPENING … X" when X continues a statement, or stays empty without a log.
void add_log_evidence(const Cluster& cluster, const Object& pod, const ContainerView& c,
                      bool previous, Finding& f, std::string* headline) {
  const ContainerLog* log = cluster.log(pod.ns, pod.name, c.name, previous);
  if (log == nullptr) log = cluster.log(pod.ns, pod.name, c.name, !previous);
  if (log == nullptr) {
    f.evidence.push_back(Evidence::note(fmt::format("no log of {} in the snapshot", c.name)));
    return;
  }
  const std::vector<NumberedLine> lines = last_lines(log->text, kStatementLines, log->first_line);
  if (lines.empty()) return;
  // The last five lines, or from the start of the statement the last line ends (up to 12).
  const std::size_t start = statement_start(lines);
  for (std::size_t i = std::min(start, lines.size() - std::min<std::size_t>(lines.size(), 5));
       i < lines.size(); ++i) {
    Evidence ev;
    ev.kind = Evidence::Kind::kLog;
    ev.file = log->file;
    ev.line = lines[i].line;
    ev.value = std::string(lines[i].text);
    f.evidence.push_back(std::move(ev));
  }
  const std::string last = shorten(trim(lines.back().text), 120);
  if (start + 1 < lines.size()) {
    const std::string opening = shorten(trim(lines[start].text), 80);
    *headline =
        fmt::format("last log lines: {}{}{}", opening, opening.ends_with("…") ? " " : " … ", last);
  } else {
    *headline = "last log line: " + last;
  }
}

/// One failing init container: its last failed run (`t`), and what `kubectl get pod` shows.
struct InitFailure {
  const ContainerView& c;
  const Value& t;      // the terminated record of the failed run
  bool failed_now;     // the current state is that run (Init:Error); else the previous one
  std::string status;  // "Init:CrashLoopBackOff", "Init:Error", "Init:0/2"
};

void report_init(const Cluster& cluster, const Object& pod, const InitFailure& i,
                 FindingSink& sink) {
  const ContainerView& c = i.c;
  Finding& f = sink.add(kInitFailing, pod, "", c.name);
  const std::string sp = c.status_path();
  if (c.waiting_reason() == "CrashLoopBackOff") {
    f.evidence.push_back(field_evidence(pod, sp + ".state.waiting.reason", "CrashLoopBackOff"));
  }
  std::string_view finished = i.t["finishedAt"].str();
  f.evidence.push_back(
      field_evidence(pod, sp + (i.failed_now ? ".state.terminated" : ".lastState.terminated"),
                     fmt::format("{} exit code {}{}", i.t["reason"].str(), i.t["exitCode"].as_int(),
                                 finished.empty() ? "" : fmt::format(", finished {}", finished))));
  f.evidence.push_back(field_evidence(pod, sp + ".restartCount", std::to_string(c.restarts())));
  const Value& cond = PodView(pod).condition("Initialized");
  if (!cond.is_null()) {
    f.evidence.push_back(
        field_evidence(pod, ".status.conditions[Initialized]", condition_text(cond)));
  }
  const std::string backoff = fmt::format("failed container {} in pod", c.name);
  if (const Event* e = latest_event(cluster, pod, "BackOff", backoff)) {
    f.evidence.push_back(event_evidence(cluster, *e));
  }
  std::string log_headline;
  add_log_evidence(cluster, pod, c, !i.failed_now, f, &log_headline);
  f.summary = fmt::format(
      "Init container {} keeps failing (exit code {}, {} restarts): the pod stays in {}{}", c.name,
      i.t["exitCode"].as_int(), c.restarts(), i.status,
      log_headline.empty() ? "" : "; " + log_headline);
  f.fix = fmt::format(
      "Fix what {} reports ({}logs {} -c {}{}): usually a dependency it waits for (a database, a "
      "Service without endpoints) or its command; the app containers start once it exits 0",
      c.name, kubectl_ns(pod), pod.name, c.name, i.failed_now ? "" : " --previous");
}

// Init containers run one at a time, so at most one can be failing: the first that has not
// completed. Failing = CrashLoopBackOff, terminated non-zero now (Init:Error), or running again
// after two or more non-zero exits. Started sidecars (restartPolicy Always) do not block.
void check_init(const Cluster& cluster, const Object& pod, FindingSink& sink) {
  PodView pv(pod);
  if (!in_init(pv)) return;
  int done = 0;
  for (const ContainerView& c : pv.containers()) {
    if (!c.init) continue;
    const Value& now = c.state()["terminated"];
    const Value& last = c.last_state()["terminated"];
    const bool running = !c.state()["running"].is_null();
    if (!now.is_null() && now["exitCode"].as_int(0) == 0) {
      ++done;
      continue;
    }
    if (running && (*c.spec)["restartPolicy"].str() == "Always") continue;
    const bool crashloop = c.waiting_reason() == "CrashLoopBackOff";
    const bool failed_now = !now.is_null();
    const bool retrying =
        running && c.restarts() >= 2 && !last.is_null() && last["exitCode"].as_int(0) != 0;
    if (!crashloop && !failed_now && !retrying) return;
    std::string status = crashloop ? "Init:CrashLoopBackOff"
                         : failed_now
                             ? "Init:Error"
                             : fmt::format("Init:{}/{}", done, pod.spec()["initContainers"].size());
    return report_init(cluster, pod, {c, failed_now ? now : last, failed_now, std::move(status)},
                       sink);
  }
}

class Pass final : public PodPass {
 public:
  explicit Pass(const AnalysisContext& ctx) : ctx_(ctx) {}
  void pod(const Object& pod, FindingSink& sink) override {
    PodView pv(pod);
    if (pv.terminated() || pv.being_deleted()) return;
    for (const ContainerView& c : pv.containers()) {
      const std::string_view reason = c.waiting_reason();
      if (reason == "CreateContainerConfigError") {
        report_config_error(ctx_.cluster, pod, c, memo_, sink);
      }
      if (reason == "CreateContainerError") report_runtime(ctx_.cluster, pod, c, false, sink);
      if (reason == "RunContainerError") report_runtime(ctx_.cluster, pod, c, true, sink);
    }
    check_init(ctx_.cluster, pod, sink);
  }

 private:
  const AnalysisContext& ctx_;
  MisplacedMemo memo_;
};

}  // namespace

const AnalyzerDef& container_config_analyzer() {
  static const AnalyzerDef kDef{"container_config", kRules, nullptr, nullptr, start_pod_pass<Pass>};
  return kDef;
}

}  // namespace ktriage
