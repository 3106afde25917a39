#include "analyzers/common/helpers.h"

#include <fmt/format.h>

#include <cctype>

#include "core/ascii.h"

namespace ktriage {

const Event* latest_event(const Cluster& cluster, const Object& obj, std::string_view reason,
                          std::string_view contains) {
  const Event* best = nullptr;
  for (const Event& e : cluster.events_for(obj)) {
    if (e.reason != reason) continue;
    if (!contains.empty() && e.message.find(contains) == std::string_view::npos) continue;
    if (best == nullptr || e.last_seen.value_or(0) >= best->last_seen.value_or(0)) best = &e;
  }
  return best;
}

Evidence event_evidence(const Cluster& cluster, const Event& e) {
  Evidence ev;
  ev.kind = Evidence::Kind::kEvent;
  ev.reason = std::string(e.reason);
  ev.value = std::string(e.message);
  ev.count = e.count;
  ev.last_seen = e.last_seen;
  ev.source = std::string(e.component);
  if (e.object != nullptr) {
    ev.file = std::string(cluster.file_name(e.object->file));
    ev.line = e.object->pos.line;
  }
  return ev;
}

Evidence field_evidence(const Object& obj, std::string path, std::string_view value) {
  return Evidence::field(kubectl_name(obj), std::move(path), std::string(value));
}

std::string kubectl_ns(const Object& obj) {
  return obj.ns.empty() ? "kubectl " : fmt::format("kubectl -n {} ", obj.ns);
}

std::vector<NumberedLine> last_lines(std::string_view text, std::size_t n,
                                     std::uint32_t first_line) {
  std::vector<NumberedLine> lines;
  std::uint32_t number = first_line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) lines.push_back({number, line});
    ++number;
    pos = end + 1;
  }
  if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(n));
  return lines;
}

std::string workload_name(const Cluster& cluster, const Object& pod) {
  return kubectl_name(cluster.top_owner(pod));
}

std::string recreate_note(const Object& pod, std::string_view fix) {
  if (pod.metadata()["ownerReferences"].size() > 0) return "";
  // Only a fix that changes the pod itself (it names pod/NAME as the place to change): "fix the
  // dependency" or "read the logs" need no new pod.
  if (fix.find(fmt::format("pod/{}", pod.name)) == std::string_view::npos) return "";
  return fmt::format(
      " pod/{0} has no controller, and a Pod's spec cannot be changed in place: change its "
      "manifest, then {1}delete pod {0} and {1}apply -f MANIFEST.",
      pod.name, kubectl_ns(pod));
}

std::string declared_workload(const Cluster& cluster, const Object& pod) {
  const Object& top = cluster.top_owner(pod);
  if (&top != &pod) return kubectl_name(top);
  const Value* owner = nullptr;
  for (const Value& ref : pod.metadata()["ownerReferences"].items()) {
    if (owner == nullptr || ref["controller"].as_bool()) owner = &ref;
  }
  if (owner == nullptr) return kubectl_name(pod);
  std::string_view kind = (*owner)["kind"].str();
  std::string_view name = (*owner)["name"].str();
  const std::string_view hash = pod.label("pod-template-hash");
  if (kind == "ReplicaSet" && !hash.empty() && name.size() > hash.size() + 1 &&
      name.ends_with(hash) && name[name.size() - hash.size() - 1] == '-') {
    kind = "Deployment";
    name.remove_suffix(hash.size() + 1);
  }
  return fmt::format("{}/{}", ascii_lower(kind), name);
}

bool owned_by_job(const Cluster& cluster, const Object& pod) {
  for (const Value& ref : pod.metadata()["ownerReferences"].items()) {
    if (ref["kind"].str() == "Job") return true;
  }
  const Object* owner = cluster.controller(pod);
  return owner != nullptr && (owner->kind == "Job" || owner->kind == "CronJob");
}

std::string_view find_any(std::string_view text, std::string_view alternatives) {
  while (!alternatives.empty()) {
    const std::size_t bar = alternatives.find('|');
    const std::string_view one = alternatives.substr(0, bar);
    if (!one.empty() && text.find(one) != std::string_view::npos) return one;
    if (bar == std::string_view::npos) break;
    alternatives.remove_prefix(bar + 1);
  }
  return {};
}

std::string shorten(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return std::string(s.substr(0, cut)) + "…";
}

std::string_view quoted_after(std::string_view text, std::string_view after) {
  const std::size_t at = text.find(after);
  if (at == std::string_view::npos) return {};
  const std::size_t open = text.find('"', at + after.size());
  if (open == std::string_view::npos) return {};
  const std::size_t close = text.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  return text.substr(open + 1, close - open - 1);
}

}  // namespace ktriage
