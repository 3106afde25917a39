#include "network/matrix_render.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/json_text.h"

namespace ktriage::network {
namespace {

constexpr std::size_t kGridMax = 24;
constexpr std::size_t kListMax = 12;

// The matrix weighs NetworkPolicy alone: a cell says "yes" where the path may still stop at a
// Service, a not-ready pod, a node or a cloud security group (netcheck FROM TO checks those), so
// both outputs say so rather than let a "yes" read as "reachable".
constexpr const char* kScope =
    "NetworkPolicy only: Services, readiness, nodes and cloud security groups are not checked; "
    "for the full path of a pair: ktriage netcheck FROM TO";

// Per destination: the state of each source group (0 denied, 1 partial, 2 all).
std::vector<std::vector<std::uint8_t>> cells(const Matrix& m) {
  std::vector<std::vector<std::uint8_t>> c(m.groups.size(),
                                           std::vector<std::uint8_t>(m.groups.size(), 0));
  for (const MatrixPair& p : m.pairs) c[p.to][p.from] = p.all ? 2 : 1;
  return c;
}

std::string names(const Matrix& m, const std::vector<std::uint32_t>& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size() && i < kListMax; ++i)
    out += fmt::format("{}{}", i == 0 ? "" : ", ", m.groups[list[i]]);
  if (list.size() > kListMax) out += fmt::format(", and {} more", list.size() - kListMax);
  return out;
}

}  // namespace

std::string render_matrix_text(const Matrix& m, bool color) {
  std::string out = fmt::format(
      "{} pods in {} equivalence classes, {} groups, {} NetworkPolicies; pod to pod on the "
      "destinations' declared ports\n\n",
      m.pods, m.classes, m.groups.size(), m.policies);
  if (m.host_network_pods > 0)
    out += fmt::format(
        "{} hostNetwork pod(s) left out: each is its node's network namespace, which "
        "NetworkPolicy does not isolate (check one as node/NAME)\n\n",
        m.host_network_pods);
  for (const std::string& n : m.notes) out += "note: " + n + "\n";
  if (!m.notes.empty()) out += "\n";
  const auto c = cells(m);
  if (m.groups.size() <= kGridMax) {
    std::size_t width = 4;
    for (const std::string& g : m.groups) width = std::max(width, g.size());
    out += fmt::format("{:<{}}  to:\n", "from \\ to", width);
    for (std::size_t i = 0; i < m.groups.size(); ++i)
      out += fmt::format("{:<{}}  [{}] {}\n", "", width, i + 1, m.groups[i]);
    out += fmt::format("{:<{}} ", "", width);
    for (std::size_t i = 0; i < m.groups.size(); ++i) out += fmt::format(" {:>3}", i + 1);
    out += "\n";
    for (std::size_t f = 0; f < m.groups.size(); ++f) {
      out += fmt::format("{:<{}} ", m.groups[f], width);
      for (std::size_t t = 0; t < m.groups.size(); ++t) {
        const char* mark = c[t][f] == 2 ? "yes" : c[t][f] == 1 ? "some" : "no";
        const char* col = c[t][f] == 2 ? "\x1b[32m" : c[t][f] == 1 ? "\x1b[33m" : "\x1b[31m";
        const std::string cell = fmt::format(" {:>3}", c[t][f] == 1 ? "~" : mark);
        out += color ? fmt::format("{}{}\x1b[0m", col, cell) : cell;
      }
      out += "\n";
    }
    out += "\nyes: every pod reaches every pod; ~: some pods or ports; no: none\n";
    out += fmt::format("{}\n", kScope);
    return out;
  }
  for (std::uint32_t t = 0; t < m.groups.size(); ++t) {
    std::vector<std::uint32_t> allowed, partial, denied;
    for (std::uint32_t f = 0; f < m.groups.size(); ++f)
      (c[t][f] == 2 ? allowed : c[t][f] == 1 ? partial : denied).push_back(f);
    std::string line;
    auto segment = [&](std::string_view what, const std::vector<std::uint32_t>& list) {
      if (list.empty()) return;
      line += fmt::format("{}{} from {}", line.empty() ? "" : "; ", what,
                          list.size() == m.groups.size() ? "every group" : names(m, list));
    };
    segment("fully", allowed);
    segment("partly", partial);
    if (!denied.empty()) {
      line += line.empty() ? "denied from every group"
                           : fmt::format("; denied from the other {} group(s)", denied.size());
    }
    out += fmt::format("{} <- {}\n", m.groups[t], line);
  }
  out += fmt::format("\n{}\n", kScope);
  return out;
}

std::string render_matrix_json(const Matrix& m) {
  std::string out = fmt::format(
      "{{\"pods\":{},\"classes\":{},\"policies\":{},\"hostNetworkPods\":{},\"groups\":[", m.pods,
      m.classes, m.policies, m.host_network_pods);
  for (std::size_t i = 0; i < m.groups.size(); ++i) {
    out += i == 0 ? "{\"name\":" : ",{\"name\":";
    append_json_string(out, m.groups[i]);
    out += fmt::format(",\"pods\":{}}}", m.group_pods[i]);
  }
  out += "],\"scope\":\"networkpolicy\",\"scopeNote\":";
  append_json_string(out, kScope);
  out += ",\"notes\":[";
  for (std::size_t i = 0; i < m.notes.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, m.notes[i]);
  }
  out += "],\"destinations\":[";
  const auto c = cells(m);
  auto list = [&](const std::vector<std::uint32_t>& l) {
    std::string s = "[";
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (i > 0) s += ',';
      append_json_string(s, m.groups[l[i]]);
    }
    return s + "]";
  };
  for (std::uint32_t t = 0; t < m.groups.size(); ++t) {
    std::vector<std::uint32_t> allowed, partial, denied;
    for (std::uint32_t f = 0; f < m.groups.size(); ++f)
      (c[t][f] == 2 ? allowed : c[t][f] == 1 ? partial : denied).push_back(f);
    out += t == 0 ? "{\"to\":" : ",{\"to\":";
    append_json_string(out, m.groups[t]);
    out += fmt::format(",\"allowed\":{},\"partial\":{},\"denied\":{},", allowed.size(),
                       partial.size(), denied.size());
    out += denied.size() < allowed.size() ? "\"deniedFrom\":" + list(denied)
                                          : "\"allowedFrom\":" + list(allowed);
    out += ",\"partialFrom\":" + list(partial) + "}";
  }
  out += "]}\n";
  return out;
}

}  // namespace ktriage::network
