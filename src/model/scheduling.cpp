#include "model/scheduling.h"

#include <fmt/format.h>

#include <charconv>

#include "model/pod.h"

namespace ktriage {

bool map_selector_matches(const Value& selector, const Value& labels) {
  if (selector.size() == 0) return false;
  for (const Member& m : selector.members()) {
    if (labels[m.key].str() != m.value.str() || !labels.contains(m.key)) return false;
  }
  return true;
}

namespace {

bool value_in(const Value& values, std::string_view v) {
  for (const Value& x : values.items()) {
    if (x.str() == v) return true;
  }
  return false;
}

}  // namespace

bool label_expression_matches(const Value& expr, const Value& labels) {
  std::string_view key = expr["key"].str();
  std::string_view op = expr["operator"].str();
  const bool has = labels.contains(key);
  std::string_view val = labels[key].str();
  if (op == "In") return has && value_in(expr["values"], val);
  if (op == "NotIn") return !has || !value_in(expr["values"], val);
  if (op == "Exists") return has;
  if (op == "DoesNotExist") return !has;
  if (op == "Gt" || op == "Lt") {
    long long lv = 0, ev = 0;
    std::string_view e = expr["values"][0].str();
    if (!has || std::from_chars(val.data(), val.data() + val.size(), lv).ec != std::errc() ||
        std::from_chars(e.data(), e.data() + e.size(), ev).ec != std::errc()) {
      return false;
    }
    return op == "Gt" ? lv > ev : lv < ev;
  }
  return false;  // unknown operator: the API server would have rejected it
}

bool label_selector_matches(const Value& selector, const Value& labels) {
  for (const Member& m : selector["matchLabels"].members()) {
    if (!labels.contains(m.key) || labels[m.key].str() != m.value.str()) return false;
  }
  for (const Value& expr : selector["matchExpressions"].items()) {
    if (!label_expression_matches(expr, labels)) return false;
  }
  return true;
}

bool node_selector_term_matches(const Value& term, const Object& node) {
  const Value& labels = node.labels();
  for (const Value& expr : term["matchExpressions"].items()) {
    if (!label_expression_matches(expr, labels)) return false;
  }
  for (const Value& expr : term["matchFields"].items()) {
    if (expr["key"].str() != "metadata.name") return false;
    std::string_view op = expr["operator"].str();
    bool in = value_in(expr["values"], node.name);
    if ((op == "In" && !in) || (op == "NotIn" && in)) return false;
  }
  return true;
}

bool tolerates(const Value& tolerations, const Value& taint) {
  std::string_view effect = taint["effect"].str();
  if (effect == "PreferNoSchedule") return true;  // never blocks scheduling
  for (const Value& t : tolerations.items()) {
    std::string_view te = t["effect"].str();
    if (!te.empty() && te != effect) continue;
    std::string_view op = t["operator"].str();
    std::string_view key = t["key"].str();
    if (key.empty() && op == "Exists") return true;  // tolerates everything
    if (key != taint["key"].str()) continue;
    if (op == "Exists") return true;
    if (t["value"].str() == taint["value"].str()) return true;  // operator Equal (default)
  }
  return false;
}

bool node_affinity_admits(const Object& pod, const Object& node) {
  return spec_admits(pod.spec(), node);
}

bool spec_admits(const Value& pod_spec, const Object& node) {
  return NodePlacement(pod_spec).admits(node);
}

NodePlacement::NodePlacement(const Value& pod_spec)
    : node_selector_(&pod_spec["nodeSelector"]),
      terms_(&pod_spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                      ["nodeSelectorTerms"]) {}

bool NodePlacement::admits(const Object& node) const {
  if (node_selector_->size() > 0) {
    const Value& labels = node.labels();
    for (const Member& m : node_selector_->members()) {
      if (!labels.contains(m.key) || labels[m.key].str() != m.value.str()) return false;
    }
  }
  if (terms_->size() == 0) return true;
  for (const Value& term : terms_->items()) {  // terms are ORed
    if (node_selector_term_matches(term, node)) return true;
  }
  return false;
}

std::map<std::string, MilliQuantity, std::less<>> node_allocatable(const Object& node) {
  std::map<std::string, MilliQuantity, std::less<>> out;
  const Value& alloc = node.status()["allocatable"].size() > 0 ? node.status()["allocatable"]
                                                               : node.status()["capacity"];
  for (const Member& m : alloc.members()) {
    if (auto q = request_quantity(m.value)) out[std::string(m.key)] = *q;
  }
  return out;
}

std::string taint_string(const Value& taint) {
  std::string_view value = taint["value"].str();
  return value.empty() ? fmt::format("{}:{}", taint["key"].str(), taint["effect"].str())
                       : fmt::format("{}={}:{}", taint["key"].str(), value, taint["effect"].str());
}

}  // namespace ktriage
