#include "analyzers/common/probes.h"

#include "analyzers/common/helpers.h"

#include <fmt/format.h>

#include <charconv>

namespace ktriage {
namespace {

// Kubelet defaults for unset probe fields (core/v1 defaults.go, SetDefaults_Probe, v1.0+).
constexpr std::int64_t kDefaultPeriod = 10;
constexpr std::int64_t kDefaultTimeout = 1;
constexpr std::int64_t kDefaultFailureThreshold = 3;

std::string port_text(const Value& port) {
  return port.is_string() ? std::string(port.str()) : std::to_string(port.as_int());
}

std::string timing_text(const Value& probe) {
  std::string out;
  auto field = [&](std::string_view name, std::int64_t dflt) {
    const Value& v = probe[name];
    out += fmt::format("{}{} {}{}", out.empty() ? "" : ", ", name, v.is_null() ? dflt : v.as_int(),
                       v.is_null() ? " (default)" : "");
  };
  field("initialDelaySeconds", 0);
  field("periodSeconds", kDefaultPeriod);
  field("timeoutSeconds", kDefaultTimeout);
  field("failureThreshold", kDefaultFailureThreshold);
  return out;
}

std::string handler_text(const Value& probe) {
  if (const Value& h = probe["httpGet"]; h.is_object()) {
    std::string_view scheme = h["scheme"].str().empty() ? "HTTP" : h["scheme"].str();
    return fmt::format("httpGet {} {}:{}{}", scheme, h["host"].str(), port_text(h["port"]),
                       h["path"].str().empty() ? "/" : h["path"].str());
  }
  if (const Value& t = probe["tcpSocket"]; t.is_object()) {
    return fmt::format("tcpSocket {}:{}", t["host"].str(), port_text(t["port"]));
  }
  if (const Value& g = probe["grpc"]; g.is_object()) {
    return fmt::format(
        "grpc :{}{}", port_text(g["port"]),
        g["service"].str().empty() ? "" : fmt::format(" service {}", g["service"].str()));
  }
  std::string cmd;
  for (const Value& a : probe["exec"]["command"].items())
    cmd += (cmd.empty() ? "" : " ") + std::string(a.str());
  return fmt::format("exec [{}]", cmd);
}

// "HTTP probe failed with statuscode: 404" -> 404 (pkg/probe/http/http.go, v1.0+).
int status_code(std::string_view failure) {
  constexpr std::string_view kCode = "statuscode: ";
  std::size_t at = failure.find(kCode);
  if (at == std::string_view::npos) return 0;
  int code = 0;
  const char* begin = failure.data() + at + kCode.size();
  std::from_chars(begin, failure.data() + failure.size(), code);
  return code;
}

std::string slow_start_advice(ProbeKind kind, const Value& probe) {
  if (kind == ProbeKind::kStartup) {
    const std::int64_t period = probe["periodSeconds"].as_int(kDefaultPeriod);
    const std::int64_t threshold = probe["failureThreshold"].as_int(kDefaultFailureThreshold);
    return fmt::format(
        "raise startupProbe.failureThreshold (the app now has {} x {}s = {}s to start)", threshold,
        period, threshold * period);
  }
  return fmt::format("add a startupProbe or raise {}.initialDelaySeconds (now {})",
                     probe_field(kind), probe["initialDelaySeconds"].as_int(0));
}

// A probe's port as the number it reaches: a name is looked up in the container's ports (a
// probe may say `http` and another 3000 for the same port); an unknown name stays a name.
std::string port_number(const Value& port, const Value& container) {
  if (port.is_string()) {
    for (const Value& p : container["ports"].items()) {
      if (p["name"].str() == port.str()) return std::to_string(p["containerPort"].as_int());
    }
  }
  return port_text(port);
}

std::string_view http_path(const Value& probe) {
  const std::string_view path = probe["httpGet"]["path"].str();
  return path.empty() ? "/" : path;
}

// Where to look for the right path of a probe answered with 4xx: another HTTP probe of the same
// container on the same port with another path (the app's own health paths are often both
// there, e.g. /api/healthz and /api/ready), then the usual health paths, never the one that fails.
std::string path_hint(ProbeKind kind, const Value& container, const Value& probe,
                      std::string_view failing_path) {
  std::string hint;
  for (ProbeKind other : {ProbeKind::kReadiness, ProbeKind::kStartup, ProbeKind::kLiveness}) {
    const Value& sibling = container[probe_field(other)];
    if (other == kind || !sibling["httpGet"].is_object()) continue;
    if (port_number(probe_port(sibling), container) != port_number(probe_port(probe), container))
      continue;
    const std::string_view path = http_path(sibling);
    if (path == failing_path) continue;
    hint = fmt::format("this container's {} asks the same port for {}; ", probe_field(other), path);
    break;
  }
  std::string usual;
  for (std::string_view p : {"/healthz", "/health", "/"}) {
    if (p == failing_path) continue;
    usual += fmt::format("{}{}", usual.empty() ? "" : " or ", p);
  }
  return fmt::format("{}health endpoints are often {}", hint, usual);
}

}  // namespace

std::string_view probe_word(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kLiveness:
      return "Liveness";
    case ProbeKind::kReadiness:
      return "Readiness";
    case ProbeKind::kStartup:
      return "Startup";
  }
  return "";
}

std::string_view probe_field(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kLiveness:
      return "livenessProbe";
    case ProbeKind::kReadiness:
      return "readinessProbe";
    case ProbeKind::kStartup:
      return "startupProbe";
  }
  return "";
}

bool event_about_container(const Event& e, std::string_view name, bool single_container) {
  std::string_view fp = e.field_path;
  const std::size_t open = fp.find('{');
  if (open != std::string_view::npos && fp.ends_with('}')) {
    return fp.substr(open + 1, fp.size() - open - 2) == name;
  }
  return single_container;
}

const Event* latest_container_event(const Cluster& cluster, const Object& pod,
                                    const ContainerView& c, std::string_view reason,
                                    std::string_view contains_text) {
  const bool single = pod.spec()["containers"].size() == 1;
  const Event* best = nullptr;
  for (const Event& e : cluster.events_for(pod)) {
    if (e.reason != reason || !event_about_container(e, c.name, single)) continue;
    if (!contains_text.empty() && !has(e.message, contains_text)) continue;
    if (best == nullptr || e.last_seen.value_or(0) >= best->last_seen.value_or(0)) best = &e;
  }
  return best;
}

ProbeEvents probe_events(const Cluster& cluster, const Object& pod, const ContainerView& c,
                         ProbeKind kind) {
  const std::string failed = fmt::format("{} probe failed", probe_word(kind));
  const std::string errored = fmt::format("{} probe errored", probe_word(kind));
  // "failed liveness probe": the field name without "Probe".
  const std::string_view field = probe_field(kind);
  const std::string kill = fmt::format("failed {} probe", field.substr(0, field.size() - 5));
  const bool single = pod.spec()["containers"].size() == 1;
  ProbeEvents out;
  auto newer = [](const Event* best, const Event& e) {
    return best == nullptr || e.last_seen.value_or(0) >= best->last_seen.value_or(0);
  };
  for (const Event& e : cluster.events_for(pod)) {
    if (!event_about_container(e, c.name, single)) continue;
    if (e.reason == "Unhealthy" &&
        (e.message.starts_with(failed) || e.message.starts_with(errored))) {
      if (newer(out.unhealthy, e)) out.unhealthy = &e;
    } else if (e.reason == "Killing" && has(e.message, kill)) {
      if (newer(out.killing, e)) out.killing = &e;
    }
  }
  return out;
}

bool probe_explains_restart(const ProbeEvents& ev, const ContainerView& c) {
  if (ev.killing != nullptr) return true;
  if (ev.unhealthy == nullptr) return false;
  const Value& now = c.state()["terminated"];
  const Value& code = (now.is_null() ? c.last_state()["terminated"] : now)["exitCode"];
  if (code.is_null()) return true;
  const std::int64_t exit = code.as_int();
  return exit == 0 || exit == 137 || exit == 143;
}

std::string_view probe_failure_text(const Event& unhealthy) {
  std::string_view m = unhealthy.message;
  for (std::string_view sep :
       {std::string_view(" probe failed: "), std::string_view(" probe errored: ")}) {
    if (std::size_t at = m.find(sep); at != std::string_view::npos)
      return m.substr(at + sep.size());
  }
  return m;
}

std::string probe_text(const Value& probe) {
  return fmt::format("{}; {}", handler_text(probe), timing_text(probe));
}

std::string probe_fix(ProbeKind kind, const ContainerView& c, std::string_view failure,
                      std::string_view workload) {
  const Value& probe = (*c.spec)[probe_field(kind)];
  const std::string_view field = probe_field(kind);
  const Value& port = probe_port(probe);
  const std::string ports = declared_ports_text(*c.spec);
  if (match_probe_port(probe, *c.spec) == PortMatch::kNamedMissing ||
      has(failure, "strconv.Atoi")) {
    return fmt::format(
        "The probe's port \"{}\" is not the name of a port of container {} (it declares {}): add "
        "`name: {}` to the container port the app listens on, or give {}'s port the number, in {}.",
        port_text(port), c.name, ports, port_text(port), field, workload);
  }
  if (const int code = status_code(failure); code >= 400 && code < 500) {
    const std::string_view path = http_path(probe);
    return fmt::format(
        "The app answers, but GET {} on port {} returns {}: set {}.httpGet.path of container {} "
        "to a path the app serves ({}) in {}.",
        path, port_text(port), code, field, c.name, path_hint(kind, *c.spec, probe, path),
        workload);
  } else if (code >= 500) {
    return fmt::format(
        "The app's health endpoint reports an error ({}): read the container's logs for the "
        "reason; if the endpoint checks a dependency, fix the dependency{}.",
        code,
        kind == ProbeKind::kLiveness ? ", and let the liveness probe check only the process itself"
                                     : "");
  }
  if (has(failure, "connection refused")) {
    return fmt::format(
        "Nothing listens on port {} when the probe runs (container {} declares {}): set the "
        "probe's port to the one the app listens on, or, if the app only starts slowly, {}, in {}.",
        port_text(port), c.name, ports, slow_start_advice(kind, probe), workload);
  }
  if (has(failure, "deadline exceeded") || has(failure, "timed out") ||
      has(failure, "i/o timeout") || has(failure, "Timeout")) {
    return fmt::format(
        "The app answers slower than {}.timeoutSeconds of container {} ({}s): raise "
        "timeoutSeconds, or make the health check cheaper; if it happens only at start, {}; in "
        "{}.",
        field, c.name, probe["timeoutSeconds"].as_int(kDefaultTimeout),
        slow_start_advice(kind, probe), workload);
  }
  if (probe["exec"].is_object()) {
    return fmt::format(
        "The probe command ({}) exits non-zero: run it in the container (kubectl exec POD -c {} -- "
        "...) and fix the command or what it checks, in {}.",
        handler_text(probe), c.name, workload);
  }
  return fmt::format(
      "Correct {} of container {} (handler, path, port) to what the app serves, or, if the app "
      "only starts slowly, {}, in {}.",
      field, c.name, slow_start_advice(kind, probe), workload);
}

}  // namespace ktriage
