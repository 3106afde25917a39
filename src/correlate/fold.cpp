#include "correlate/fold.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace ktriage {

std::string id_part(const Finding& f) {
  const std::size_t hash = f.id.find('#');
  return hash == std::string::npos ? std::string() : f.id.substr(hash);
}

void fold_findings(std::vector<Finding>& findings,
                   const std::function<std::optional<std::string>(const Finding&)>& group_key,
                   std::string_view noun, bool merge_causes,
                   std::unordered_map<std::string, std::string>& renamed) {
  // By object name, so the carrier is stable whatever order the analyzers produced.
  std::vector<std::size_t> order(findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return findings[a].object.name < findings[b].object.name;
  });
  std::unordered_map<std::string, std::size_t> first;  // group key -> carrier
  std::map<std::size_t, std::size_t> folded;           // carrier -> findings folded into it
  std::vector<bool> drop(findings.size(), false);
  for (std::size_t i : order) {
    Finding& f = findings[i];
    if (!f.also_affects.empty()) continue;  // already a group
    const std::optional<std::string> key = group_key(f);
    if (!key) continue;
    auto [it, inserted] = first.emplace(*key, i);
    if (inserted) continue;
    Finding& carrier = findings[it->second];
    carrier.also_affects.push_back(f.object);
    if (merge_causes) {
      for (const std::string& c : f.caused_by) carrier.add_cause(c);
    }
    renamed[f.id] = carrier.id;
    drop[i] = true;
    ++folded[it->second];
  }
  if (folded.empty()) return;
  for (const auto& [index, count] : folded) {
    findings[index].summary +=
        fmt::format(" (and {} more {}{})", count, noun, count == 1 ? "" : "s");
  }
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(findings[i]));
  }
  // Analyzers may link to a finding that was folded (a Job failed because of its pods'
  // crashes): point them at the carrier, once.
  for (Finding& f : kept) {
    std::vector<std::string> causes;
    causes.swap(f.caused_by);
    for (const std::string& c : causes) {
      auto r = renamed.find(c);
      const std::string& id = r == renamed.end() ? c : r->second;
      if (id != f.id) f.add_cause(id);
    }
  }
  findings = std::move(kept);
}

}  // namespace ktriage
