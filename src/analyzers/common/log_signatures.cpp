#include "analyzers/common/log_signatures.h"

#include <re2/re2.h>

#include <array>
#include <iterator>

namespace ktriage {
namespace {

constexpr Severity kCrit = Severity::kCritical;

// Catalog: fault-catalog.md sections 9 (Crashing) and 10; each pattern's comment names the
// program and version that prints the line.
constexpr LogSignature kSignatures[] = {
    // runc < 1.1 "standard_init_linux.go:228: exec user process caused: exec format error",
    // runc 1.1+ "exec /usr/bin/app: exec format error" (the kernel's ENOEXEC).
    {{"crash-exec-format-error", "POD-CRASH-EXEC-FORMAT-ERROR", kCrit,
      "Container program is built for another CPU architecture (exec format error)",
      "Build a multi-arch image, or pin the pods to nodes of the image's architecture.",
      "https://kubernetes.io/docs/concepts/containers/images/"},
     R"re(exec (/\S+): exec format error|exec format error)re",
     "the container's program",
     "the node cannot run {detail}: it is built for another CPU architecture (exec format error)",
     "Build the image of {container} for the nodes' architecture (docker buildx build --platform "
     "linux/amd64,linux/arm64) or pin {workload} to matching nodes (nodeSelector "
     "kubernetes.io/arch); for a script, add a #! line."},
    // nginx 0.x-1.27 (ngx_http_upstream.c, ngx_resolver.c): '[emerg] 1#1: host not found in
    // upstream "api:8080" in /etc/nginx/conf.d/default.conf:12'.
    {{"crash-log-nginx-host-not-found", "APP-NGINX-HOST-NOT-FOUND", kCrit,
      "nginx exits at start: a host in its configuration does not resolve",
      "Name an existing Service (FQDN) in the nginx configuration, or create it first.",
      "http://nginx.org/en/docs/http/ngx_http_upstream_module.html#server"},
     R"re(host not found in (?:upstream|resolver) "([^"]+)")re",
     "an upstream host",
     "nginx refuses to start: {detail} in its configuration does not resolve",
     "Name an existing Service in the nginx configuration of {workload} "
     "(<svc>.<namespace>.svc.cluster.local), create the Service for {detail} first, or resolve at "
     "request time (a resolver and a variable in proxy_pass)."},
    // Go net "lookup db on 10.96.0.10:53: no such host"; Java "java.net.UnknownHostException: db";
    // Node.js "getaddrinfo ENOTFOUND db"; libpq 'could not translate host name "db" to address';
    // glibc getaddrinfo EAI_NONAME "Name or service not known".
    {{"crash-log-host-not-found", "POD-CRASH-CONFIG-HOST-NOT-FOUND", kCrit,
      "Container exits: a host name in its configuration does not resolve",
      "Point the configuration at an existing Service name, or create the Service.",
      "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/"},
     R"re(lookup ([^\s:]+)(?: on \S+)?: no such host|UnknownHostException: ([^\s:]+))re"
     R"re(|getaddrinfo ENOTFOUND (\S+)|could not translate host name "([^"]+)")re"
     R"re(|Name or service not known)re",
     "a configured host",
     "the host name {detail} from its configuration does not resolve",
     "Check that a Service named {detail} exists in the namespace the app expects (kubectl get svc "
     "-A); from another namespace use <svc>.<namespace>.svc.cluster.local, or fix the host in the "
     "configuration of {workload}."},
    // CPython 3.6+ "ModuleNotFoundError: No module named 'flask'"; 2.x "ImportError: No module
    // named flask".
    {{"crash-log-python-module-not-found", "APP-PYTHON-MODULE-NOT-FOUND", kCrit,
      "Python exits: a module is not installed in the image",
      "Install the package in the image for the interpreter the entrypoint runs.",
      "https://docs.python.org/3/library/exceptions.html#ModuleNotFoundError"},
     R"re((?:ModuleNotFoundError|ImportError): No module named '?([\w.]+)'?)re",
     "a module",
     "Python cannot import {detail}: it is not installed in the image",
     "Add the package that provides {detail} to the image's requirements and rebuild (check: "
     "docker run --rm IMAGE python -c 'import {detail}'), installed for the interpreter or "
     "virtualenv the entrypoint of {container} runs."},
    // HotSpot and OpenJ9: 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'.
    {{"crash-log-java-out-of-memory", "APP-JAVA-OUT-OF-MEMORY", kCrit,
      "The JVM ran out of memory (java.lang.OutOfMemoryError)",
      "Size -Xmx/MaxRAMPercentage to ~75% of the memory limit; raise both together.",
      "https://docs.oracle.com/en/java/javase/17/troubleshoot/troubleshooting-memory-leaks.html"},
     R"re(java\.lang\.OutOfMemoryError(?::\s*(.+))?)re",
     "heap",
     "the JVM threw java.lang.OutOfMemoryError ({detail})",
     "Size the JVM to the container: -Xmx or -XX:MaxRAMPercentage=75 of the memory limit of "
     "{container}, raising the limit with it in {workload}; add -XX:+ExitOnOutOfMemoryError; look "
     "for a leak if usage keeps growing."},
    // Application conventions (no single emitter): "environment variable DB_URL is not set",
    // "DB_URL must be set"; Python os.environ "KeyError: 'DB_URL'"; Go kelseyhightower/envconfig
    // "required key DB_URL missing value"; "Missing required environment variable: DB_URL".
    {{"crash-log-missing-env", "POD-CRASH-APP-ERROR", kCrit,
      "Container exits: a required environment variable is not set",
      "Set the variable on the container (env, or envFrom a ConfigMap/Secret).",
      "https://kubernetes.io/docs/tasks/inject-data-application/"
      "define-environment-variable-container/"},
     R"re(\b(?i:env(?:ironment)?(?:\s+var(?:iable)?)?)\s+["']?([A-Z_][A-Z0-9_]+)["']?)re"
     R"re(\s+(?:is\s+)?)re"
     R"re((?i:not set|not defined|undefined|missing|required|must be set|empty))re"
     R"re(|KeyError: '([A-Z_][A-Z0-9_]+)')re"
     R"re(|\b([A-Z][A-Z0-9_]{2,}) (?:must be set|is not set|is required))re"
     R"re(|(?i:missing (?:required )?env(?:ironment)?(?:\s+var(?:iable)?)?s?):?\s+["']?)re"
     R"re(([A-Z_][A-Z0-9_]+)|required key ([A-Z_][A-Z0-9_]+) missing value)re",
     "a variable",
     "it needs environment variable {detail}, which is not set",
     "Set {detail} on container {container} in {workload} (env, or envFrom a ConfigMap/Secret that "
     "has the key), or fix the name the app reads."},
    // Go "listen tcp :8080: bind: address already in use"; nginx "bind() to 0.0.0.0:80 failed (98:
    // Address already in use)"; Node.js "EADDRINUSE: address already in use :::3000"; Java
    // "java.net.BindException: Address already in use".
    {{"crash-log-address-in-use", "APP-ADDRESS-IN-USE", kCrit,
      "Container exits: its port is already taken",
      "Free the port or move the app to another; drop hostNetwork if not needed.",
      "https://man7.org/linux/man-pages/man2/bind.2.html"},
     R"re(listen (?:tcp|udp)[46]? (\S+): bind: address already in use)re"
     R"re(|bind\(\) to (\S+) failed \(98: Address (?:already )?in use\))re"
     R"re(|EADDRINUSE: address already in use (\S+)|EADDRINUSE|(?i:address already in use))re",
     "its port",
     "another process already listens on {detail}",
     "Find what holds {detail}: another container of this pod, or with hostNetwork a daemon on the "
     "node (ss -lntp); move {container} to a free port (update probes and the Service's "
     "targetPort), or drop hostNetwork, in {workload}."},
    // Go "dial tcp 10.0.0.5:5432: connect: connection refused"; libpq 14+ 'connection to server
    // at "db" (10.0.0.5), port 5432 failed: Connection refused'; hiredis "Could not connect to
    // Redis at redis:6379: Connection refused"; Node.js "connect ECONNREFUSED 10.0.0.5:5432";
    // PostgreSQL JDBC "Connection to db:5432 refused"; Python "[Errno 111] Connection refused".
    {{"crash-log-connection-refused", "APP-DEPENDENCY-CONNECTION-REFUSED", kCrit,
      "Container exits: a dependency refuses connections",
      "Fix the dependency or the host:port the app uses; retry while it starts.",
      "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/"},
     R"re(dial tcp (\S+): connect: connection refused)re"
     R"re(|connection to server at "([^"]+)"[^,]*, port (\d+) failed: Connection refused)re"
     R"re(|Could not connect to \w+ at (\S+): Connection refused|ECONNREFUSED (\S+))re"
     R"re(|Connection to (\S+) refused|(?i:connection refused))re",
     "a dependency",
     "it cannot connect to {detail}: connection refused",
     "Check the dependency at {detail}: is its Service backed by ready pods (kubectl get "
     "endpoints) and is the port right? Fix the host/port in the configuration of {workload} if it "
     "points elsewhere (localhost is the container itself), and let the app retry while the "
     "dependency starts."},
    // Go "open /data/db: permission denied", "mkdir /var/lib/app: read-only file system"; Python
    // "PermissionError: [Errno 13] Permission denied: '/data'"; busybox sh "can't create '/x':
    // Permission denied"; EPERM "Operation not permitted".
    {{"crash-log-permission-denied", "POD-CRASH-FILESYSTEM-PERMISSION", kCrit,
      "Container exits: permission denied on a file or directory",
      "Set fsGroup/runAsUser, mount a writable emptyDir, or chown the path in the image.",
      "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
     R"re((?:open|mkdir|create|remove|rename|chmod|chown|stat) (/[^\s:]*): )re"
     R"re((?:permission denied|read-only file system|operation not permitted))re"
     R"re(|Permission denied: '(/[^']*)'|'(/[^']+)': Permission denied)re"
     R"re(|(?i:permission denied|read-only file system|operation not permitted))re",
     "a file or directory",
     "it may not access {detail} (permission denied)",
     "Give the container's user access to {detail}: set securityContext.fsGroup (and runAsUser) in "
     "{workload} so mounted volumes are writable, mount an emptyDir where it writes when "
     "readOnlyRootFilesystem is on, or chown the path in the image."},
    // Go "open /etc/app/config.yaml: no such file or directory"; Python "FileNotFoundError: [Errno
    // 2] No such file or directory: '/etc/app.conf'"; shells "/x: No such file or directory".
    {{"crash-log-no-such-file", "POD-CRASH-APP-ERROR", kCrit,
      "Container exits: a file it needs does not exist",
      "Mount the file (volumeMounts, ConfigMap key) or fix the path it is read from.",
      "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/"},
     R"re((?:open|stat|lstat|read|readlink) (/[^\s:]*): no such file or directory)re"
     R"re(|No such file or directory: '([^']+)'|(?i:no such file or directory))re",
     "a file it needs",
     "{detail} does not exist",
     "Provide {detail} to {container}: check volumeMounts (mountPath, subPath) and that the "
     "ConfigMap/Secret has the key, or fix the path in the configuration or args, in {workload}."},
    // Go runtime (all versions) "panic: runtime error: invalid memory address or nil pointer
    // dereference", "fatal error: concurrent map writes"; client-go runtime.HandleCrash
    // 'Observed a panic: "..."'.
    {{"crash-log-go-panic", "APP-GO-PANIC", kCrit, "Go program panics at run time",
      "Fix the triggering setting or input; report the trace upstream.",
      "https://go.dev/ref/spec#Run_time_panics"},
     R"re(^panic: (.+)|^fatal error: (.+)|Observed a panic: "?([^"]+))re",
     "a run-time error",
     "the Go program panicked: {detail}",
     "Read the stack trace's first frame in the program's own package (kubectl logs --previous): a "
     "missing or malformed setting often triggers it; correct that, or change the image version of "
     "{container} in {workload}, and report the trace upstream."},
};

constexpr auto kRules = [] {
  std::array<Rule, std::size(kSignatures)> rules{};
  for (std::size_t i = 0; i < rules.size(); ++i) rules[i] = kSignatures[i].rule;
  return rules;
}();

}  // namespace

std::span<const LogSignature> log_signatures() { return kSignatures; }

std::span<const Rule> log_signature_rules() { return kRules; }

const LogSignature* find_log_signature(std::string_view rule_id) {
  for (const LogSignature& s : kSignatures) {
    if (s.rule.id == rule_id) return &s;
  }
  return nullptr;
}

LogMatcher::LogMatcher() {
  RE2::Options opts;
  opts.set_log_errors(false);
  for (const LogSignature& s : kSignatures) {
    compiled_.push_back(
        std::make_unique<RE2>(re2::StringPiece(s.pattern.data(), s.pattern.size()), opts));
  }
}

LogMatcher::~LogMatcher() = default;

std::optional<LogMatch> LogMatcher::find(std::span<const NumberedLine> lines,
                                         std::size_t max_lines) const {
  for (std::size_t s = 0; s < compiled_.size(); ++s) {
    LogMatch m;
    for (std::size_t i = lines.size(); i-- > 0 && m.lines.size() < max_lines;) {
      std::optional<std::string> detail = match_captures(*compiled_[s], lines[i].text);
      if (!detail) continue;
      if (m.lines.empty()) m.detail = shorten(*detail, 120);
      m.lines.insert(m.lines.begin(), lines[i]);
    }
    if (m.lines.empty()) continue;
    m.signature = &kSignatures[s];
    if (m.detail.empty()) m.detail = std::string(kSignatures[s].fallback);
    return m;
  }
  return std::nullopt;
}

std::optional<std::string> match_captures(const RE2& re, std::string_view text) {
  if (!re.ok()) return std::nullopt;
  const int n = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n) + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                groups.data(), n + 1)) {
    return std::nullopt;
  }
  std::string detail;
  for (std::size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].empty()) continue;
    if (!detail.empty()) detail += ':';
    detail.append(groups[i].data(), groups[i].size());
  }
  return detail;
}

std::string fill_template(
    std::string_view text,
    std::initializer_list<std::pair<std::string_view, std::string_view>> vars) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out += text.substr(pos, open - pos);
    const std::string_view key = text.substr(open + 1, close - open - 1);
    std::string_view value = text.substr(open, close - open + 1);  // unknown: kept
    for (const auto& [k, v] : vars) {
      if (k == key) value = v;
    }
    out += value;
    pos = close + 1;
  }
  out += text.substr(pos);
  return out;
}

}  // namespace ktriage
