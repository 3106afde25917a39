#include "lint/template_index.h"

#include <map>

#include "lint/practices.h"
#include "model/scheduling.h"

namespace ktriage::lint {

TemplateIndex::TemplateIndex(const Cluster& cluster) : templates_(pod_templates(cluster)) {
  for (std::uint32_t i = 0; i < templates_.size(); ++i) {
    const PodTemplate& t = templates_[i];
    const std::string_view ns = effective_namespace(*t.owner);
    by_ns_[ns].push_back(i);
    for (const Member& m : t.labels->members()) {
      by_label_[label_key(ns, m.key, m.value.str())].push_back(i);
      by_key_[label_key(ns, m.key, {})].push_back(i);
    }
  }
}

std::string TemplateIndex::label_key(std::string_view ns, std::string_view key,
                                     std::string_view value) {
  std::string k;
  k.reserve(ns.size() + key.size() + value.size() + 2);
  k.append(ns).push_back('\0');
  k.append(key).push_back('\0');
  k.append(value);
  return k;
}

const std::vector<std::uint32_t>& TemplateIndex::with_label(std::string_view ns,
                                                            std::string_view key,
                                                            std::string_view value) const {
  static const std::vector<std::uint32_t> kNone;
  auto it = by_label_.find(label_key(ns, key, value));
  return it == by_label_.end() ? kNone : it->second;
}

bool TemplateIndex::has_templates(std::string_view ns) const { return by_ns_.count(ns) > 0; }

std::vector<const PodTemplate*> TemplateIndex::matching_map(std::string_view ns,
                                                            const Value& selector) const {
  std::vector<const PodTemplate*> out;
  if (selector.size() == 0) return out;
  const Member& first = selector.members().front();
  for (std::uint32_t i : with_label(ns, first.key, first.value.str())) {
    if (map_selector_matches(selector, *templates_[i].labels)) out.push_back(&templates_[i]);
  }
  return out;
}

std::vector<const PodTemplate*> TemplateIndex::matching_label_selector(
    std::string_view ns, const Value& selector) const {
  std::vector<const PodTemplate*> out;
  const Value& match_labels = selector["matchLabels"];
  if (match_labels.size() > 0) {
    const Member& first = match_labels.members().front();
    for (std::uint32_t i : with_label(ns, first.key, first.value.str())) {
      if (label_selector_matches(selector, *templates_[i].labels)) out.push_back(&templates_[i]);
    }
    return out;
  }
  auto it = by_ns_.find(ns);
  if (it == by_ns_.end()) return out;
  for (std::uint32_t i : it->second) {
    if (label_selector_matches(selector, *templates_[i].labels)) out.push_back(&templates_[i]);
  }
  return out;
}

const PodTemplate* TemplateIndex::nearest(std::string_view ns, const Value& pairs) const {
  // Score: 2 per pair carried, 1 per key carried with another value. Ordered by template, so
  // ties go to the first in reading order.
  std::map<std::uint32_t, int> score;
  for (const Member& m : pairs.members()) {
    auto it = by_key_.find(label_key(ns, m.key, {}));
    if (it == by_key_.end()) continue;
    for (std::uint32_t i : it->second) {
      score[i] += (*templates_[i].labels)[m.key].str() == m.value.str() ? 2 : 1;
    }
  }
  const PodTemplate* best = nullptr;
  int most = 0;
  for (const auto& [i, n] : score) {
    if (n > most) {
      most = n;
      best = &templates_[i];
    }
  }
  return best;
}

}  // namespace ktriage::lint
