#include "network/labels.h"

#include <fmt/format.h>

#include <algorithm>

namespace ktriage::network {

Labels labels_of(const Value& map) {
  Labels out;
  out.reserve(map.size());
  for (const Member& m : map.members()) out.emplace_back(m.key, m.value.str());
  std::sort(out.begin(), out.end());
  // A duplicate key can only come from a hand-written file; the last one wins, as in YAML.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  return out;
}

const std::string_view* label(const Labels& labels, std::string_view key) {
  auto it = std::lower_bound(labels.begin(), labels.end(), key,
                             [](const auto& kv, std::string_view k) { return kv.first < k; });
  return it != labels.end() && it->first == key ? &it->second : nullptr;
}

bool Selector::matches(const Labels& labels) const {
  for (const auto& [k, v] : match_labels) {
    const std::string_view* have = label(labels, k);
    if (have == nullptr || *have != v) return false;
  }
  for (const Requirement& r : expressions) {
    const std::string_view* have = label(labels, r.key);
    const bool in =
        have != nullptr && std::find(r.values.begin(), r.values.end(), *have) != r.values.end();
    switch (r.op) {
      case Requirement::Op::kIn:
        if (!in) return false;
        break;
      case Requirement::Op::kNotIn:
        if (in) return false;
        break;
      case Requirement::Op::kExists:
        if (have == nullptr) return false;
        break;
      case Requirement::Op::kDoesNotExist:
        if (have != nullptr) return false;
        break;
    }
  }
  return true;
}

std::string Selector::to_string() const {
  if (empty()) return "{} (everything)";
  std::string out;
  auto sep = [&] { return out.empty() ? "" : ","; };
  for (const auto& [k, v] : match_labels) out += fmt::format("{}{}={}", sep(), k, v);
  for (const Requirement& r : expressions) {
    switch (r.op) {
      case Requirement::Op::kExists:
        out += fmt::format("{}{}", sep(), r.key);
        break;
      case Requirement::Op::kDoesNotExist:
        out += fmt::format("{}!{}", sep(), r.key);
        break;
      default:
        out += fmt::format("{}{} {} ({})", sep(), r.key,
                           r.op == Requirement::Op::kIn ? "in" : "notin", fmt::join(r.values, ","));
    }
  }
  return out;
}

Expected<Selector> compile_selector(const Value& selector, std::string_view where) {
  Selector s;
  if (!selector.is_null() && !selector.is_object())
    return Unexpected(fmt::format("{}: a label selector must be a map", where));
  for (const Member& m : selector["matchLabels"].members())
    s.match_labels.emplace_back(m.key, m.value.str());
  std::sort(s.match_labels.begin(), s.match_labels.end());
  int i = 0;
  for (const Value& e : selector["matchExpressions"].items()) {
    Requirement r;
    r.key = e["key"].str();
    const std::string_view op = e["operator"].str();
    const std::string path = fmt::format("{}.matchExpressions[{}]", where, i++);
    if (op == "In") {
      r.op = Requirement::Op::kIn;
    } else if (op == "NotIn") {
      r.op = Requirement::Op::kNotIn;
    } else if (op == "Exists") {
      r.op = Requirement::Op::kExists;
    } else if (op == "DoesNotExist") {
      r.op = Requirement::Op::kDoesNotExist;
    } else {
      return Unexpected(
          fmt::format("{}.operator: \"{}\" is not In, NotIn, Exists or DoesNotExist", path, op));
    }
    for (const Value& v : e["values"].items()) r.values.push_back(v.str());
    const bool set_op = r.op == Requirement::Op::kIn || r.op == Requirement::Op::kNotIn;
    if (set_op && r.values.empty())
      return Unexpected(fmt::format("{}.values: {} needs at least one value", path, op));
    if (!set_op && !r.values.empty())
      return Unexpected(fmt::format("{}.values: {} takes no values", path, op));
    if (r.key.empty()) return Unexpected(fmt::format("{}.key is empty", path));
    s.expressions.push_back(std::move(r));
  }
  return s;
}

}  // namespace ktriage::network
