#include "network/path_render.h"

#include <fmt/format.h>

#include "core/json_text.h"

namespace ktriage::network {
namespace {

std::string_view color_of(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "\x1b[32m";
    case Verdict::kWarning:
      return "\x1b[33m";
    case Verdict::kBlocked:
      return "\x1b[31m";
    case Verdict::kUnknown:
      break;
  }
  return "\x1b[2m";
}

std::string tag(Verdict v, bool color) {
  const std::string t = fmt::format("{:<9}", fmt::format("[{}]", verdict_name(v)));
  return color ? fmt::format("{}{}\x1b[0m", color_of(v), t) : t;
}

}  // namespace

std::string render_path_text(const PathResult& path, bool color) {
  std::string out = fmt::format("netcheck {} -> {}", path.from, path.to);
  // The port FROM connects to: through a Service its port, which kube-proxy translates to the
  // pods' targetPort (named when it differs, as the service hop shows both). Ping has no port.
  if (path.protocol == "ICMP") {
    out += " ICMP";
  } else if (path.service_port != 0) {
    out += fmt::format(" port {}/{}", path.service_port, path.protocol);
    if (path.port != 0 && path.port != path.service_port)
      out += fmt::format(" (targetPort {})", path.port);
  } else if (path.port != 0) {
    out += fmt::format(" port {}/{}", path.port, path.protocol);
  }
  out += "\n\n";
  for (const Hop& h : path.hops) {
    out += fmt::format("{} {:<15} {}: {}\n", tag(h.verdict, color), h.step, h.subject, h.summary);
    for (const HopEvidence& e : h.evidence) {
      if (e.path.empty()) {
        out += fmt::format("{:27}{}{}\n", "", e.object.empty() ? "" : e.object + ": ", e.value);
      } else {
        out += fmt::format("{:27}{} {}: {}\n", "", e.object, e.path, e.value);
      }
    }
  }
  out += "\n";
  if (path.reachable) {
    out += path.verdict == Verdict::kOk ? "reachable\n"
                                        : "reachable, with warnings or unknowns above\n";
  } else {
    // Blocked: the first blocked hop; undecided (nothing blocks, nothing decides): the first
    // unknown hop, so the reader sees what to collect or check.
    // A node hop is unknown for want of a CNI or kube-proxy pod in the snapshot, which decides
    // nothing by itself: another unknown hop (security group, policy) is named before it.
    const Verdict first = path.verdict == Verdict::kBlocked ? Verdict::kBlocked : Verdict::kUnknown;
    const Hop* named = nullptr;
    for (const Hop& h : path.hops) {
      if (h.verdict != first) continue;
      if (named == nullptr || (named->step == "node" && h.step != "node")) named = &h;
      if (named->step != "node") break;
    }
    if (named != nullptr) {
      // "at node/a", not "at node node/a", when the subject already says what it is.
      const std::string where = named->subject.starts_with(named->step + "/")
                                    ? named->subject
                                    : fmt::format("{} {}", named->step, named->subject);
      out += fmt::format("{} at {}: {}\n", first == Verdict::kBlocked ? "blocked" : "undecided",
                         where, named->summary);
    }
  }
  return out;
}

std::string render_path_json(const PathResult& path) {
  std::string out = "{\"from\":";
  append_json_string(out, path.from);
  out += ",\"to\":";
  append_json_string(out, path.to);
  // Ping has no port: null rather than a port 0 that reads as a value. servicePort only on a
  // path through a Service.
  out += path.protocol == "ICMP" ? std::string(",\"port\":null")
                                 : fmt::format(",\"port\":{}", path.port);
  if (path.service_port != 0) out += fmt::format(",\"servicePort\":{}", path.service_port);
  out += ",\"protocol\":";
  append_json_string(out, path.protocol);
  // Undecided is neither: null, so a reader testing `reachable == false` does not take it for
  // blocked.
  out += fmt::format(",\"reachable\":{},\"verdict\":\"{}\",\"hops\":[",
                     path.verdict == Verdict::kUnknown ? "null"
                     : path.reachable                  ? "true"
                                                       : "false",
                     verdict_name(path.verdict));
  bool first = true;
  for (const Hop& h : path.hops) {
    out += first ? "{\"step\":" : ",{\"step\":";
    first = false;
    append_json_string(out, h.step);
    out += ",\"subject\":";
    append_json_string(out, h.subject);
    out += fmt::format(",\"verdict\":\"{}\",\"summary\":", verdict_name(h.verdict));
    append_json_string(out, h.summary);
    out += ",\"evidence\":[";
    for (std::size_t i = 0; i < h.evidence.size(); ++i) {
      out += i == 0 ? "{\"object\":" : ",{\"object\":";
      append_json_string(out, h.evidence[i].object);
      out += ",\"path\":";
      append_json_string(out, h.evidence[i].path);
      out += ",\"value\":";
      append_json_string(out, h.evidence[i].value);
      out += "}";
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

}  // namespace ktriage::network
