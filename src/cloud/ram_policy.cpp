#include "cloud/ram_policy.h"

#include <simdjson.h>

#include <cctype>

#include <fmt/format.h>

#include "core/ascii.h"

namespace ktriage::cloud {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Keys are matched case-insensitively: RAM accepts "statement" as well as "Statement" and
// hand-written documents use both.
bool find_key(element object, std::string_view key, element& out) {
  simdjson::dom::object obj;
  if (object.get(obj) != simdjson::SUCCESS) return false;
  for (auto field : obj) {
    if (equal_ignoring_case(field.key, key)) {
      out = field.value;
      return true;
    }
  }
  return false;
}

// A string or a list of strings; false (with `why`) for anything else.
bool string_list(element e, std::vector<std::string>& out, std::string& why) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) {
    out.emplace_back(s);
    return true;
  }
  simdjson::dom::array arr;
  if (e.get(arr) != simdjson::SUCCESS) {
    why = "must be a string or a list of strings";
    return false;
  }
  for (element item : arr) {
    if (item.get(s) != simdjson::SUCCESS) {
      why = "must be a string or a list of strings (an item is not a string)";
      return false;
    }
    out.emplace_back(s);
  }
  return true;
}

Expected<PolicyStatement, PolicyError> read_statement(element e, const std::string& where) {
  PolicyStatement st;
  if (!e.is_object()) return Unexpected(PolicyError{where, "a statement must be an object"});
  element v;
  std::string_view effect;
  if (!find_key(e, "Effect", v) || v.get(effect) != simdjson::SUCCESS) {
    return Unexpected(PolicyError{where + ".Effect", "missing or not a string (Allow or Deny)"});
  }
  if (equal_ignoring_case(effect, "Allow")) {
    st.allow = true;
  } else if (!equal_ignoring_case(effect, "Deny")) {
    return Unexpected(
        PolicyError{where + ".Effect", fmt::format("\"{}\" is neither Allow nor Deny", effect)});
  }
  element action, not_action;
  const bool has_action = find_key(e, "Action", action);
  const bool has_not_action = find_key(e, "NotAction", not_action);
  if (has_action == has_not_action) {
    return Unexpected(PolicyError{
        where, has_action ? "has both Action and NotAction" : "has neither Action nor NotAction"});
  }
  st.not_action = has_not_action;
  std::string why;
  if (!string_list(has_action ? action : not_action, st.actions, why)) {
    return Unexpected(PolicyError{where + (has_action ? ".Action" : ".NotAction"), why});
  }
  element resource;
  if (find_key(e, "Resource", resource)) {
    if (!string_list(resource, st.resources, why)) {
      return Unexpected(PolicyError{where + ".Resource", why});
    }
  } else if (find_key(e, "NotResource", resource)) {
    st.not_resource = true;
    if (!string_list(resource, st.resources, why)) {
      return Unexpected(PolicyError{where + ".NotResource", why});
    }
  }
  element condition;
  if (find_key(e, "Condition", condition) && !condition.is_null()) {
    st.condition = simdjson::minify(condition);
  }
  return st;
}

// Matches with `*` in `text` standing for itself (see the header). Iterative with one
// backtracking point, the classic glob algorithm: linear for the patterns policies use.
bool glob(std::string_view p, std::string_view t, bool ignore_case) noexcept {
  auto same = [ignore_case](char a, char b) {
    if (!ignore_case) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && same(p[pi], t[ti])) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool any_match(const std::vector<std::string>& patterns, std::string_view text, bool ci) {
  for (const std::string& p : patterns) {
    if (glob(p, text, ci)) return true;
  }
  return false;
}

// Whether two `*` patterns match a common string: reachable[i][j] says a[0..i) and b[0..j) can
// spell the same text. A star of either side may stay empty or absorb the other side's next
// literal. O(|a| * |b|).
bool overlap(std::string_view a, std::string_view b, bool ignore_case) {
  auto same = [ignore_case](char x, char y) {
    if (!ignore_case) return x == y;
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  const std::size_t w = b.size() + 1;
  std::vector<char> reach((a.size() + 1) * w, 0);
  reach[0] = 1;
  for (std::size_t i = 0; i <= a.size(); ++i) {
    for (std::size_t j = 0; j <= b.size(); ++j) {
      if (reach[i * w + j] == 0) continue;
      const bool a_star = i < a.size() && a[i] == '*';
      const bool b_star = j < b.size() && b[j] == '*';
      if (a_star) reach[(i + 1) * w + j] = 1;                  // a's star empty
      if (b_star) reach[i * w + j + 1] = 1;                    // b's star empty
      if (a_star && j < b.size()) reach[i * w + j + 1] = 1;    // a's star absorbs b[j]
      if (b_star && i < a.size()) reach[(i + 1) * w + j] = 1;  // b's star absorbs a[i]
      if (!a_star && !b_star && i < a.size() && j < b.size() && same(a[i], b[j])) {
        reach[(i + 1) * w + j + 1] = 1;
      }
    }
  }
  return reach.back() != 0;
}

bool any_overlap(const std::vector<std::string>& patterns, std::string_view text, bool ci) {
  for (const std::string& p : patterns) {
    if (overlap(p, text, ci)) return true;
  }
  return false;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) noexcept {
  return glob(pattern, text, ignore_case);
}

Expected<PolicyDocument, PolicyError> parse_policy_document(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root); err != simdjson::SUCCESS) {
    return Unexpected(
        PolicyError{"", fmt::format("not valid JSON: {}", simdjson::error_message(err))});
  }
  if (!root.is_object()) {
    return Unexpected(PolicyError{"", "the document is not a JSON object"});
  }
  PolicyDocument doc;
  element v;
  std::string_view version;
  if (find_key(root, "Version", v) && v.get(version) == simdjson::SUCCESS) doc.version = version;
  element statements;
  if (!find_key(root, "Statement", statements)) {
    return Unexpected(PolicyError{"Statement", "missing: a policy needs a Statement list"});
  }
  // RAM accepts a single statement object in place of the list.
  if (statements.is_object()) {
    auto st = read_statement(statements, "Statement");
    if (!st) return Unexpected(st.error());
    doc.statements.push_back(std::move(*st));
    return doc;
  }
  simdjson::dom::array arr;
  if (statements.get(arr) != simdjson::SUCCESS) {
    return Unexpected(PolicyError{"Statement", "must be a list of statements"});
  }
  std::size_t i = 0;
  for (element e : arr) {
    auto st = read_statement(e, fmt::format("Statement[{}]", i++));
    if (!st) return Unexpected(st.error());
    doc.statements.push_back(std::move(*st));
  }
  return doc;
}

Evaluation evaluate(std::span<const AttachedPolicy> policies, std::string_view action,
                    std::string_view resource) {
  Evaluation ev;
  bool conditional_allow = false, conditional_deny = false;
  for (const AttachedPolicy& p : policies) {
    if (p.document == nullptr) {
      ev.missing_documents.push_back(p.name);
      continue;
    }
    for (std::size_t i = 0; i < p.document->statements.size(); ++i) {
      const PolicyStatement& st = p.document->statements[i];
      // Action names are case-insensitive in RAM; resources (ARNs) are compared as written.
      // An Allow must cover the whole required pattern ("cs:Describe*"); a Deny counts when it
      // covers any action inside it (a Deny of cs:DescribeClusterDetail takes part of
      // cs:Describe* away). A NotAction Deny hits unless its patterns cover the whole pattern.
      const bool action_hit = st.not_action ? !any_match(st.actions, action, true)
                                            : (st.allow ? any_match(st.actions, action, true)
                                                        : any_overlap(st.actions, action, true));
      if (!action_hit) continue;
      const bool resource_hit =
          st.resources.empty() || any_match(st.resources, resource, false) != st.not_resource;
      StatementRef ref{p.name, i};
      if (!resource_hit) {
        if (st.allow) ev.scoped.push_back(std::move(ref));
        continue;
      }
      if (!st.condition.empty()) {
        (st.allow ? conditional_allow : conditional_deny) = true;
        ev.conditional.push_back(std::move(ref));
      } else if (st.allow) {
        ev.allows.push_back(std::move(ref));
      } else {
        ev.denies.push_back(std::move(ref));
      }
    }
  }
  const bool allowed_somehow = !ev.allows.empty() || conditional_allow;
  if (!ev.denies.empty()) {
    ev.decision = Decision::kExplicitDeny;
  } else if ((conditional_deny && allowed_somehow) || (ev.allows.empty() && conditional_allow)) {
    // A conditional Deny may take back an Allow, and a conditional Allow may be the only grant:
    // either way only the request context decides, and it is not in the snapshot. A conditional
    // Deny with nothing allowing the action changes nothing: it is denied either way.
    ev.decision = Decision::kConditional;
  } else if (!ev.allows.empty()) {
    // A policy whose document is missing may hold an explicit Deny.
    ev.decision =
        ev.missing_documents.empty() ? Decision::kAllowed : Decision::kAllowedUnlessDenied;
  } else if (!ev.missing_documents.empty()) {
    ev.decision = Decision::kUnknown;
  } else {
    ev.decision = Decision::kImplicitDeny;
  }
  return ev;
}

std::string_view to_string(Decision d) noexcept {
  switch (d) {
    case Decision::kAllowed:
      return "allowed";
    case Decision::kAllowedUnlessDenied:
      return "allowed unless a policy whose document is missing denies it";
    case Decision::kExplicitDeny:
      return "explicitly denied";
    case Decision::kImplicitDeny:
      return "not allowed (implicit deny: no statement allows it)";
    case Decision::kConditional:
      return "unknown — depends on the request context (a Condition decides)";
    case Decision::kUnknown:
      return "unknown — the documents of some attached policies are missing";
  }
  return "unknown";
}

}  // namespace ktriage::cloud
