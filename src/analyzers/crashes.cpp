// Containers that keep exiting: one finding per crashing app container, naming the most specific
// cause the snapshot shows. In order: the kernel's OOM kill, a liveness-probe kill, the runtime's
// start error (args without command, command not found, exec format), the exit code's signal,
// then a known line in the container's last log; POD-CRASH-APP-ERROR when nothing more is known.
// Catalog: fault-catalog.md section 9.
//
// Where the texts come from:
//   kubelet (pkg/kubelet/kuberuntime, v1.16-v1.35): waiting reason "CrashLoopBackOff"; event
//     BackOff "Back-off restarting failed container <c> in pod <pod>_<ns>(<uid>)" (v1.26+; before:
//     "Back-off restarting failed container").
//   runtime (containerd 1.x/2.x, CRI-O, dockershim <= v1.23): lastState.terminated.reason
//     "OOMKilled" (the cgroup OOM killer fired), "Error", "Completed", "StartError" (containerd),
//     "ContainerCannotRun" (dockershim); exit code 128+n after signal n.
//   runc start errors, in the kubelet's Failed event or terminated.message: 'exec: "<name>":
//     executable file not found in $PATH' (runc 1.0+; docker nests it with the quotes escaped:
//     exec: \"-port=80\"), "exec format error" (runc < 1.1 "standard_init_linux.go:228: exec user
//     process caused: exec format error", 1.1+ "exec /app: exec format error"), 'exec: "<path>":
//     permission denied'.
//   application log lines: common/log_signatures.cpp names the emitter of each pattern.
#include <fmt/format.h>
#include <re2/re2.h>

#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "analyzers/common/log_signatures.h"
#include "analyzers/common/probes.h"
#include "core/quantity.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr std::string_view kDebugDoc =
    "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/";
constexpr std::string_view kExitDoc =
    "https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/";
constexpr std::string_view kLifecycleDoc =
    "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/";
constexpr Severity kCrit = Severity::kCritical;

// clang-format off
constexpr Rule kOom{"crash-oomkilled", "POD-CRASH-OOMKILLED", kCrit,
    "Container killed by the kernel at its memory limit (OOMKilled)",
    "Raise the container's memory limit, or lower the process's memory use.",
    "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/"};
constexpr Rule kLiveness{"probe-liveness-failed", "POD-PROBE-LIVENESS-FAILED", kCrit,
    "Liveness probe fails: the kubelet keeps restarting the container",
    "Correct the probe's path/port, or give a slow start time (startupProbe).",
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-"
    "probes/"};
constexpr Rule kArgs{"crash-args-without-command", "POD-CRASH-ARGS-WITHOUT-COMMAND", kCrit,
    "args without command: the image has no ENTRYPOINT, so args[0] runs as the program",
    "Add command (the program) in front of the args, or give the image an ENTRYPOINT.",
    "https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/"};
constexpr Rule kNotFound{"crash-command-not-found", "POD-CRASH-COMMAND-NOT-FOUND", kCrit,
    "Container command not found in the image (exit 127)",
    "Correct command/args to a program that exists in the image.", kExitDoc};
constexpr Rule kPermExec{"crash-permission-denied-exec", "POD-CRASH-PERMISSION-DENIED-EXEC", kCrit,
    "Container command is not executable (exit 126)",
    "chmod +x the entrypoint in the image, or mount scripts with defaultMode 0755.", kExitDoc};
constexpr Rule kSigkill{"crash-sigkill-not-oom", "POD-CRASH-SIGKILL-NOT-OOM", kCrit,
    "Container killed by SIGKILL (exit 137), not by the OOM killer",
    "Find who killed it (Killing events, eviction); handle SIGTERM within the grace period.",
    kExitDoc};
constexpr Rule kSegfault{"crash-segfault", "POD-CRASH-SEGFAULT", kCrit,
    "Container crashed with a segmentation fault (exit 139)",
    "Rebuild for the image's libc and the nodes' CPU, or fix the native crash.", kExitDoc};
constexpr Rule kSigterm{"crash-sigterm", "POD-CRASH-SIGTERM", kCrit,
    "Container stopped by SIGTERM (exit 143) and restarted in the same pod",
    "Find what asked it to stop (Killing events just before); handle SIGTERM.", kLifecycleDoc};
constexpr Rule kExitZero{"crash-exits-zero", "POD-CRASH-EXITS-ZERO", kCrit,
    "Container exits 0 under restartPolicy Always and is restarted forever",
    "Run a long-lived foreground process, or use a Job for one-shot work.", kLifecycleDoc};
constexpr Rule kAppError{"crash-app-error", "POD-CRASH-APP-ERROR", kCrit,
    "Container exits with an application error",
    "Read the previous run's log (kubectl logs --previous) and fix what it reports.", kDebugDoc};
// clang-format on
// The exec-format rule is a row of the log-signature table (common/log_signatures.cpp): the same
// cause shows in runc's start error and in the log.
constexpr Rule kOwnRules[] = {kOom,     kLiveness, kArgs,    kNotFound, kPermExec,
                              kSigkill, kSegfault, kSigterm, kExitZero, kAppError};

// Scan this many of the last log lines: a Java or Go trace fits, old history does not.
constexpr std::size_t kScanLines = 200;
// Lines shown as evidence.
constexpr std::size_t kEvidenceLines = 3;
// A restart counts as current within this window of the snapshot time: long enough for a crash
// loop's 5-minute back-off and the kubelet's 10-minute back-off reset, short enough that a restart
// after yesterday's node drain is history. Repeated restarts (a leak killed every few hours) stay
// relevant for a day.
constexpr std::int64_t kRecentSeconds = 3600;
constexpr std::int64_t kRecentRepeatedSeconds = 24 * 3600;
constexpr std::int64_t kRepeatedRestarts = 3;

/// Regular expressions, compiled once per run.
struct Compiled {
  LogMatcher log;
  RE2 exec_name{R"re(exec: \\?"([^"\\]+)\\?": executable file not found)re", RE2::Quiet};
};

/// What the snapshot says about one container's last run.
struct Facts {
  const Object& pod;
  const ContainerView& c;
  const Value* term = &Value::null_value();  ///< state.terminated, else lastState.terminated
  std::string term_path;
  std::optional<std::int64_t> exit_code;
  std::string_view reason;
  const ContainerLog* log = nullptr;
  std::vector<NumberedLine> tail;  ///< last kScanLines lines of `log`
  const Event* failed = nullptr;   ///< the kubelet's Failed event (start errors)
};

Evidence log_evidence(const ContainerLog& log, const NumberedLine& l) {
  Evidence ev;
  ev.kind = Evidence::Kind::kLog;
  ev.file = log.file;
  ev.line = l.line;
  ev.value = shorten(l.text, 400);
  return ev;
}

void add_log_tail(const Facts& f, Finding& out) {
  if (f.log == nullptr) return;
  const std::size_t from = f.tail.size() > kEvidenceLines ? f.tail.size() - kEvidenceLines : 0;
  for (std::size_t i = from; i < f.tail.size(); ++i) {
    out.evidence.push_back(log_evidence(*f.log, f.tail[i]));
  }
}

// The container's state, last termination, restarts and back-off: evidence every finding carries.
void add_state_evidence(const Cluster& cluster, const Facts& f, Finding& out) {
  const std::string sp = f.c.status_path();
  if (std::string_view w = f.c.waiting_reason(); !w.empty()) {
    out.evidence.push_back(field_evidence(f.pod, sp + ".state.waiting.reason", w));
  }
  if (!f.term->is_null()) {
    out.evidence.push_back(
        field_evidence(f.pod, f.term_path + ".reason", (*f.term)["reason"].str()));
    if (f.exit_code) {
      out.evidence.push_back(
          field_evidence(f.pod, f.term_path + ".exitCode", std::to_string(*f.exit_code)));
    }
    if (std::string_view t = (*f.term)["finishedAt"].str(); !t.empty()) {
      out.evidence.push_back(field_evidence(f.pod, f.term_path + ".finishedAt", t));
    }
    if (std::string_view m = (*f.term)["message"].str(); !m.empty()) {
      out.evidence.push_back(field_evidence(f.pod, f.term_path + ".message", shorten(m, 300)));
    }
  }
  out.evidence.push_back(
      field_evidence(f.pod, sp + ".restartCount", std::to_string(f.c.restarts())));
  if (const Event* e =
          latest_container_event(cluster, f.pod, f.c, "BackOff", "restarting failed")) {
    out.evidence.push_back(event_evidence(cluster, *e));
  }
}

std::string restarts_text(const ContainerView& c) {
  return fmt::format("{} restart{}", c.restarts(), c.restarts() == 1 ? "" : "s");
}

bool is_workload(const Cluster& cluster, const Object& pod) {
  return &cluster.top_owner(pod) != &pod;
}

// " (kubectl rollout undo deployment/web restores the last working version meanwhile)" for a
// pod of a Deployment, StatefulSet or DaemonSet (as its ownerReferences declare them when the
// snapshot lacks the owner), the kinds `rollout undo` works on; "" else.
std::string rollout_undo(const Cluster& cluster, const Object& pod) {
  const std::string owner = declared_workload(cluster, pod);
  if (!owner.starts_with("deployment/") && !owner.starts_with("statefulset/") &&
      !owner.starts_with("daemonset/"))
    return "";
  return fmt::format(" ({}rollout undo {} restores the last working version meanwhile)",
                     kubectl_ns(pod), owner);
}

/// Whether the container's last exit is a current fault, not history (see kRecentSeconds).
bool crashing(const AnalysisContext& ctx, const PodView& pv, const ContainerView& c) {
  if (c.waiting_reason() == "CrashLoopBackOff") return true;
  if (const Value& now_term = c.state()["terminated"]; !now_term.is_null()) {
    // A failed run counts; a run that completed (exit 0) is done unless it will be restarted.
    const bool failed =
        now_term["exitCode"].as_int(-1) != 0 || now_term["reason"].str() == "OOMKilled";
    return failed || pv.restart_policy() == "Always";
  }
  const Value& last = c.last_state()["terminated"];
  if (c.restarts() <= 0 || last.is_null()) return false;
  const bool healthy_now = !c.state()["running"].is_null() && c.ready();
  // A kubelet or node restart leaves reason Unknown / ContainerStatusUnknown: not the app's doing.
  std::string_view reason = last["reason"].str();
  if (healthy_now && (reason == "Unknown" || reason == "ContainerStatusUnknown")) return false;
  const auto finished = parse_rfc3339(last["finishedAt"].str());
  if (!finished || ctx.now == 0) return !healthy_now;
  const std::int64_t window =
      c.restarts() >= kRepeatedRestarts ? kRecentRepeatedSeconds : kRecentSeconds;
  return ctx.now - *finished <= window;
}

/// A cause to report: rule, summary and concrete fix; evidence is added by report_cause.
struct Cause {
  const Rule* rule = nullptr;
  std::string summary;
  std::string fix;
};

// Reports `cause` with the container's state evidence, `extra` evidence first.
Finding& report_cause(const AnalysisContext& ctx, const Facts& f, Cause cause, FindingSink& sink,
                      std::vector<Evidence> extra = {}) {
  Finding& out = sink.add(*cause.rule, f.pod, std::move(cause.summary), f.c.name);
  for (Evidence& e : extra) out.evidence.push_back(std::move(e));
  if (f.failed != nullptr) out.evidence.push_back(event_evidence(ctx.cluster, *f.failed));
  add_state_evidence(ctx.cluster, f, out);
  out.fix = std::move(cause.fix);
  out.fix += recreate_note(f.pod, out.fix);
  return out;
}

// --- Causes, most specific first. Each returns true when it reported the container. ---

bool report_oom(const AnalysisContext& ctx, const Facts& f, FindingSink& sink) {
  if (f.reason != "OOMKilled") return false;
  const Value& res = (*f.c.spec)["resources"];
  const std::string_view limit = res["limits"]["memory"].str();
  const std::string_view request = res["requests"]["memory"].str();
  const std::string workload = workload_name(ctx.cluster, f.pod);
  const std::string res_path = f.c.spec_path() + ".resources";
  Cause cause{&kOom};
  if (auto q = parse_quantity(limit); q && *q > 0) {
    constexpr MilliQuantity kMi = 1024LL * 1024 * 1000;
    const std::string raised = format_quantity("memory", (*q * 2 + kMi - 1) / kMi * kMi);
    cause.summary = fmt::format(
        "Container {} was OOMKilled (exit {}) at its memory limit of {} (request {}); {}", f.c.name,
        f.exit_code.value_or(137), limit, request.empty() ? "not set" : request,
        restarts_text(f.c));
    cause.fix = fmt::format(
        "Raise the memory limit of container {} from {} to {} in {}{}, then watch its peak use "
        "(kubectl top pod) and keep the limit about 25% above it{}; or make the process use less "
        "memory (heap or cache sizes).",
        f.c.name, limit, raised, workload,
        is_workload(ctx.cluster, f.pod)
            ? fmt::format(" ({}set resources {} -c {} --limits=memory={}{})", kubectl_ns(f.pod),
                          workload, f.c.name, raised,
                          // Equal request and limit (Guaranteed QoS): raise both, or the limit
                          // alone would change the pod's QoS class.
                          request == limit ? fmt::format(" --requests=memory={}", raised) : "")
            : "",
        request == limit
            ? fmt::format("; the request equals the limit, so the command raises it to {} too",
                          raised)
            : "");
  } else {
    cause.summary = fmt::format(
        "Container {} was OOMKilled (exit {}) without a memory limit: the node ran out of memory; "
        "{}",
        f.c.name, f.exit_code.value_or(137), restarts_text(f.c));
    cause.fix = fmt::format(
        "Container {} has no memory limit, so the node's OOM killer chose it: set "
        "resources.requests.memory to its real peak use (kubectl top pod) so the scheduler keeps "
        "that much free, and a limit, in {}; check the node's other pods for overcommit.",
        f.c.name, workload);
  }
  add_log_tail(f, report_cause(ctx, f, std::move(cause), sink,
                               {field_evidence(f.pod, res_path + ".limits.memory",
                                               limit.empty() ? "(not set)" : limit),
                                field_evidence(f.pod, res_path + ".requests.memory",
                                               request.empty() ? "(not set)" : request)}));
  return true;
}

bool report_liveness(const AnalysisContext& ctx, const Facts& f, FindingSink& sink) {
  const ProbeEvents ev = probe_events(ctx.cluster, f.pod, f.c, ProbeKind::kLiveness);
  if (!probe_explains_restart(ev, f.c)) return false;
  const Value& probe = (*f.c.spec)["livenessProbe"];
  // A probe port name the container lacks is the readiness analyzer's
  // POD-PROBE-NAMED-PORT-MISSING, the more specific cause (it checks every Running pod).
  if (match_probe_port(probe, *f.c.spec) == PortMatch::kNamedMissing &&
      PodView(f.pod).phase() == "Running") {
    return true;
  }
  const std::string_view failure = ev.unhealthy != nullptr ? probe_failure_text(*ev.unhealthy) : "";
  std::vector<Evidence> extra;
  if (ev.unhealthy != nullptr) extra.push_back(event_evidence(ctx.cluster, *ev.unhealthy));
  if (ev.killing != nullptr) extra.push_back(event_evidence(ctx.cluster, *ev.killing));
  if (!probe.is_null()) {
    extra.push_back(field_evidence(f.pod, f.c.spec_path() + ".livenessProbe", probe_text(probe)));
  }
  report_cause(
      ctx, f,
      {&kLiveness,
       fmt::format("Liveness probe of container {} fails{}: the kubelet restarts it ({}{})",
                   f.c.name, failure.empty() ? "" : fmt::format(" ({})", shorten(failure, 120)),
                   restarts_text(f.c),
                   f.c.waiting_reason().empty() ? "" : fmt::format(", {}", f.c.waiting_reason())),
       probe_fix(ProbeKind::kLiveness, f.c, failure, workload_name(ctx.cluster, f.pod))},
      sink, std::move(extra));
  return true;
}

std::string perm_exec_fix(const Facts& f, std::string_view workload) {
  return fmt::format(
      "Make the command of container {} executable for its user: chmod +x in the image's "
      "Dockerfile, or defaultMode: 0755 on the ConfigMap/Secret volume that holds the script, in "
      "{}.",
      f.c.name, workload);
}

// The runtime's start error about the program: in terminated.message, waiting.message or the
// kubelet's Failed event; "" when none mentions exec.
std::string_view start_error_text(const Facts& f) {
  for (std::string_view m : {(*f.term)["message"].str(), f.c.waiting_message(),
                             f.failed != nullptr ? f.failed->message : std::string_view()}) {
    if (m.find("exec") != std::string_view::npos) return m;
  }
  return {};
}

// args without command: the quoted name the runtime could not execute is args[0], or (without
// the runtime's text) the start failed and args[0] is a flag, which no image names its program.
bool report_args_without_command(const AnalysisContext& ctx, const Facts& f,
                                 const std::optional<std::string>& exec_name, FindingSink& sink) {
  const Value& spec = *f.c.spec;
  if (spec["command"].size() > 0 || spec["args"].size() == 0) return false;
  const std::string_view arg0 = spec["args"][std::size_t{0}].str();
  const bool start_failed = f.reason == "StartError" || f.reason == "ContainerCannotRun" ||
                            f.c.waiting_reason() == "RunContainerError" ||
                            (f.exit_code && (*f.exit_code == 127 || *f.exit_code == 128));
  if (exec_name ? *exec_name != arg0 : !(start_failed && arg0.starts_with("-"))) return false;
  const std::string_view image = spec["image"].str();
  Cause cause{&kArgs,
              fmt::format("Container {} sets args but no command, and image {} has no ENTRYPOINT: "
                          "the runtime executes args[0] \"{}\" as the program, which cannot start",
                          f.c.name, image, arg0),
              fmt::format("Add command with the program in front of the args of container {} in "
                          "{} (the program is the first element of the image's CMD: crane config "
                          "{} or docker inspect --format '{{{{json .Config.Cmd}}}}' {}), e.g. "
                          "command: [\"/app/PROGRAM\"] with args: [\"{}\", ...]; or give the image "
                          "an ENTRYPOINT so args are appended to it.",
                          f.c.name, workload_name(ctx.cluster, f.pod), image, image, arg0)};
  report_cause(ctx, f, std::move(cause), sink,
               {field_evidence(f.pod, f.c.spec_path() + ".args[0]", arg0),
                field_evidence(f.pod, f.c.spec_path() + ".command", "(not set)")});
  return true;
}

// Start errors from the runtime: args without command, command not found, not executable, wrong
// architecture.
bool report_start_error(const AnalysisContext& ctx, const Compiled& re, const Facts& f,
                        FindingSink& sink) {
  const std::string_view message = start_error_text(f);
  const std::optional<std::string> exec_name = match_captures(re.exec_name, message);
  if (report_args_without_command(ctx, f, exec_name, sink)) return true;
  if (message.empty()) return false;
  const Cluster& cluster = ctx.cluster;
  const std::string workload = workload_name(cluster, f.pod);
  const std::string_view image = (*f.c.spec)["image"].str();
  if (message.find("exec format error") != std::string_view::npos) {
    std::vector<Evidence> arch;
    if (const Object* node = cluster.find("Node", "", f.pod.spec()["nodeName"].str())) {
      arch.push_back(field_evidence(*node, ".metadata.labels[kubernetes.io/arch]",
                                    node->label("kubernetes.io/arch")));
    }
    const LogSignature& sig = *find_log_signature("crash-exec-format-error");
    report_cause(ctx, f,
                 {&sig.rule,
                  fmt::format("Container {} cannot start: image {} is built for another CPU "
                              "architecture (exec format error)",
                              f.c.name, image),
                  fill_template(sig.fix, {{"container", f.c.name}, {"workload", workload}})},
                 sink, std::move(arch));
    return true;
  }
  if (exec_name || message.find("no such file or directory") != std::string_view::npos) {
    const std::string name =
        exec_name ? *exec_name : std::string((*f.c.spec)["command"][std::size_t{0}].str());
    report_cause(
        ctx, f,
        {&kNotFound,
         fmt::format("Container {} cannot start: its command \"{}\" is not found in image {}",
                     f.c.name, name, image),
         fmt::format("\"{}\" does not exist in image {}: set command/args of container {} in {} "
                     "to a program the image has (list it: docker run --rm --entrypoint ls {} "
                     "/usr/local/bin); an image without a shell cannot run `sh -c`.",
                     name, image, f.c.name, workload, image)},
        sink);
    return true;
  }
  if (message.find("permission denied") != std::string_view::npos) {
    report_cause(ctx, f,
                 {&kPermExec,
                  fmt::format("Container {} cannot start: its command is not executable "
                              "(permission denied)",
                              f.c.name),
                  perm_exec_fix(f, workload)},
                 sink);
    return true;
  }
  return false;
}

// Killed by a signal: 137 without OOM (SIGKILL), 139 (SIGSEGV), 143 (SIGTERM).
std::optional<Cause> signal_cause(const Facts& f, std::string_view workload) {
  const std::string_view finished = (*f.term)["finishedAt"].str();
  switch (*f.exit_code) {
    case 137:
      return Cause{
          &kSigkill,
          fmt::format("Container {} was killed by SIGKILL (exit 137) without an OOM kill; {}",
                      f.c.name, restarts_text(f.c)),
          fmt::format("Something killed container {} outright: read the pod's Killing/Evicted "
                      "events and the node's kubelet log around {}; if the app ignores SIGTERM, "
                      "handle it or raise terminationGracePeriodSeconds (now {}s) in {}.",
                      f.c.name, finished, f.pod.spec()["terminationGracePeriodSeconds"].as_int(30),
                      workload)};
    case 139:
      return Cause{
          &kSegfault,
          fmt::format("Container {} crashed with a segmentation fault (exit 139); {}", f.c.name,
                      restarts_text(f.c)),
          fmt::format("The program of container {} crashed in native code: read its last log "
                      "lines and dmesg on node {}; rebuild it for the image's libc (musl vs "
                      "glibc) and the nodes' CPU, or change the image version ({}) in {}.",
                      f.c.name, f.pod.spec()["nodeName"].str(), (*f.c.spec)["image"].str(),
                      workload)};
    case 143:
      return Cause{
          &kSigterm,
          fmt::format("Container {} was stopped by SIGTERM (exit 143) and restarted; {}", f.c.name,
                      restarts_text(f.c)),
          fmt::format("Something asked container {} to stop: read the pod's Killing events "
                      "(probe failures, hooks) just before {}; a restart inside the same pod is "
                      "not a rollout. If the app exits on its own signal handling, fix that.",
                      f.c.name, finished)};
    default:
      return std::nullopt;
  }
}

// The program could not run (126, 127) or ended on purpose (0 under restartPolicy Always).
std::optional<Cause> exec_cause(const Facts& f, std::string_view workload) {
  switch (*f.exit_code) {
    case 126:
      return Cause{
          &kPermExec,
          fmt::format("Container {} cannot run its command: not executable (exit 126)", f.c.name),
          perm_exec_fix(f, workload)};
    case 127:
      return Cause{
          &kNotFound, fmt::format("Container {}'s command is not found (exit 127)", f.c.name),
          fmt::format("The shell or runtime did not find the program: check command/args of "
                      "container {} in {} against the image {} (a typo, a missing package, or "
                      "`sh -c` in an image without a shell; scripts with CRLF line ends fail the "
                      "same way).",
                      f.c.name, workload, (*f.c.spec)["image"].str())};
    case 0:
      if (PodView(f.pod).restart_policy() != "Always") return std::nullopt;
      return Cause{
          &kExitZero,
          fmt::format(
              "Container {} exits 0 (Completed) and restartPolicy Always starts it again; {}",
              f.c.name, restarts_text(f.c)),
          fmt::format("The process of container {} finishes by design: run a long-lived "
                      "foreground process (no daemonizing, no one-shot command) in {}, or move "
                      "one-shot work to a Job.",
                      f.c.name, workload)};
    default:
      return std::nullopt;
  }
}

// Causes told by the exit code alone, with command/args and the log tail as evidence.
bool report_exit_code(const AnalysisContext& ctx, const Facts& f, FindingSink& sink) {
  if (!f.exit_code) return false;
  const std::string workload = workload_name(ctx.cluster, f.pod);
  std::optional<Cause> cause = signal_cause(f, workload);
  if (!cause) cause = exec_cause(f, workload);
  if (!cause) return false;
  std::vector<Evidence> words;
  for (std::string_view field : {"command", "args"}) {
    std::string text;
    for (const Value& w : (*f.c.spec)[field].items()) {
      text += (text.empty() ? "" : " ") + std::string(w.str());
    }
    if (!text.empty()) {
      words.push_back(field_evidence(f.pod, f.c.spec_path() + "." + std::string(field), text));
    }
  }
  add_log_tail(f, report_cause(ctx, f, std::move(*cause), sink, std::move(words)));
  return true;
}

bool report_log_signature(const AnalysisContext& ctx, const Compiled& re, const Facts& f,
                          FindingSink& sink) {
  if (f.log == nullptr) return false;
  const std::optional<LogMatch> m = re.log.find(f.tail, kEvidenceLines);
  if (!m) return false;
  const LogSignature& sig = *m->signature;
  const std::string code =
      f.exit_code ? fmt::format("exit code {}", *f.exit_code) : "exit code unknown";
  Finding& out = sink.add(sig.rule, f.pod,
                          fmt::format("Container {} exits ({}): {}", f.c.name, code,
                                      fill_template(sig.meaning, {{"detail", m->detail}})),
                          f.c.name);
  for (const NumberedLine& l : m->lines) out.evidence.push_back(log_evidence(*f.log, l));
  add_state_evidence(ctx.cluster, f, out);
  out.fix = fill_template(sig.fix, {{"detail", m->detail},
                                    {"container", f.c.name},
                                    {"workload", workload_name(ctx.cluster, f.pod)}});
  out.fix += recreate_note(f.pod, out.fix);
  return true;
}

void report_app_error(const AnalysisContext& ctx, const Facts& f, FindingSink& sink) {
  const std::string code = f.exit_code ? std::to_string(*f.exit_code) : "unknown";
  Cause cause{
      &kAppError,
      fmt::format(
          "Container {} exits with code {} ({}); {}", f.c.name, code, restarts_text(f.c),
          f.log != nullptr ? "its last log lines tell why" : "the snapshot has no log of it"),
      fmt::format("Read {}the previous run's log: {}logs {} -c {} --previous; fix the "
                  "configuration, argument or dependency it complains about in {}{}.",
                  f.log != nullptr ? "the lines above and " : "", kubectl_ns(f.pod), f.pod.name,
                  f.c.name, workload_name(ctx.cluster, f.pod), rollout_undo(ctx.cluster, f.pod))};
  Finding& out = report_cause(ctx, f, std::move(cause), sink);
  add_log_tail(f, out);
  if (f.log == nullptr) {
    out.evidence.push_back(Evidence::note("no log of this container in the snapshot"));
  }
}

Facts read_facts(const Cluster& cluster, const Object& pod, const ContainerView& c) {
  Facts f{pod, c};
  const Value& now_term = c.state()["terminated"];
  f.term = now_term.is_null() ? &c.last_state()["terminated"] : &now_term;
  f.term_path =
      c.status_path() + (now_term.is_null() ? ".lastState.terminated" : ".state.terminated");
  if (!f.term->is_null()) {
    f.reason = (*f.term)["reason"].str();
    if (const Value& code = (*f.term)["exitCode"]; !code.is_null()) f.exit_code = code.as_int();
  }
  f.failed = latest_container_event(cluster, pod, c, "Failed");
  f.log = cluster.log(pod.ns, pod.name, c.name, true);
  if (f.log == nullptr) f.log = cluster.log(pod.ns, pod.name, c.name, false);
  if (f.log != nullptr) f.tail = last_lines(f.log->text, kScanLines, f.log->first_line);
  return f;
}

void analyze_container(const AnalysisContext& ctx, const Compiled& re, const Object& pod,
                       const ContainerView& c, FindingSink& sink) {
  const Facts f = read_facts(ctx.cluster, pod, c);
  if (report_oom(ctx, f, sink) || report_liveness(ctx, f, sink)) return;
  // A startup-probe kill is the readiness analyzer's POD-PROBE-STARTUP-FAILED.
  if (probe_explains_restart(probe_events(ctx.cluster, pod, c, ProbeKind::kStartup), c)) return;
  if (report_start_error(ctx, re, f, sink) || report_exit_code(ctx, f, sink) ||
      report_log_signature(ctx, re, f, sink)) {
    return;
  }
  report_app_error(ctx, f, sink);
}

// A Failed pod is finished, and a Job's failed pod is the Job's business (its backoffLimit
// retries), with one exception: the kernel's OOM kill, which says why the Job failed and what to
// change. Reported unless the Job has completed since.
void analyze_failed_pod(const AnalysisContext& ctx, const PodView& pv, FindingSink& sink) {
  const Object* job = ctx.cluster.controller(pv.object());
  if (job != nullptr && job->kind == "Job") {
    for (const Value& cond : job->status()["conditions"].items()) {
      if (cond["type"].str() == "Complete" && cond["status"].str() == "True") return;
    }
  }
  for (const ContainerView& c : pv.app_containers()) {
    if (c.state()["terminated"]["reason"].str() != "OOMKilled") continue;
    report_oom(ctx, read_facts(ctx.cluster, pv.object(), c), sink);
  }
}

class Pass final : public PodPass {
 public:
  explicit Pass(const AnalysisContext& ctx) : ctx_(ctx) {}
  void pod(const Object& pod, FindingSink& sink) override {
    PodView pv(pod);
    if (pv.being_deleted() || pv.phase() == "Succeeded") return;
    if (pv.phase() == "Failed") {
      analyze_failed_pod(ctx_, pv, sink);
      return;
    }
    for (const ContainerView& c : pv.app_containers()) {
      if (c.status->is_null() || !crashing(ctx_, pv, c)) continue;
      analyze_container(ctx_, re_, pod, c, sink);
    }
  }

 private:
  const AnalysisContext& ctx_;
  const Compiled re_;
};

}  // namespace

const AnalyzerDef& crashes_analyzer() {
  // This file's rules, then the log-signature rules it reports; built once, read-only after.
  static const std::vector<Rule> kRules = [] {
    std::vector<Rule> all(std::begin(kOwnRules), std::end(kOwnRules));
    for (const Rule& r : log_signature_rules()) all.push_back(r);
    return all;
  }();
  static const AnalyzerDef kDef{"crashes", kRules, nullptr, nullptr, start_pod_pass<Pass>};
  return kDef;
}

}  // namespace ktriage
