#include "rbac/forbidden.h"

namespace ktriage::rbac {

namespace {

// A cursor over the message: each step consumes an expected piece or fails.
struct Cursor {
  std::string_view s;
  bool eat(std::string_view piece) {
    if (!s.starts_with(piece)) return false;
    s.remove_prefix(piece.size());
    return true;
  }
  // The text up to the next '"', consuming it; nullopt when there is no closing quote.
  std::optional<std::string_view> quoted() {
    const auto end = s.find('"');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view out = s.substr(0, end);
    s.remove_prefix(end + 1);
    return out;
  }
  std::string_view word() {
    std::size_t end = 0;
    while (end < s.size() && s[end] != ' ') ++end;
    std::string_view out = s.substr(0, end);
    s.remove_prefix(end);
    return out;
  }
};

std::string unescape_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '"') continue;
    out += text[i];
  }
  return out;
}

// "<ns>" or the cluster scope; false when neither follows.
bool read_scope(Cursor& c, AccessRequest& r) {
  if (c.eat(" in the namespace \"")) {
    auto ns = c.quoted();
    if (!ns || ns->empty()) return false;
    r.ns = std::string(*ns);
    return true;
  }
  return c.eat(" at the cluster scope");
}

void split_resource(std::string_view text, bool with_group, AccessRequest& r) {
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    r.subresource = std::string(text.substr(slash + 1));
    text = text.substr(0, slash);
  }
  if (with_group) {
    if (auto dot = text.find('.'); dot != std::string_view::npos) {
      r.group = std::string(text.substr(dot + 1));
      text = text.substr(0, dot);
    }
  }
  r.resource = std::string(text);
}

// The object name NewForbidden puts before "is forbidden": `pods "web-0" is forbidden: `.
std::string name_before(std::string_view before) {
  constexpr std::string_view kTail = "\" is forbidden: ";
  if (!before.ends_with(kTail)) return {};
  before.remove_suffix(kTail.size());
  const auto open = before.rfind('"');
  if (open == std::string_view::npos) return {};
  return std::string(before.substr(open + 1));
}

void read_reason(std::string_view rest, Forbidden& f) {
  if (!rest.starts_with(": ")) return;
  rest.remove_prefix(2);
  // A JSON log line goes on after the message: stop at its closing quote and comma.
  for (std::string_view stop : {"\",", "\"}", "\t"}) {
    if (auto at = rest.find(stop); at != std::string_view::npos) rest = rest.substr(0, at);
  }
  if (rest.size() > 300) rest = rest.substr(0, 300);
  f.reason = std::string(rest);
  constexpr std::string_view kRole = "role.rbac.authorization.k8s.io \"";
  for (std::size_t at = rest.find(kRole); at != std::string_view::npos;
       at = rest.find(kRole, at + 1)) {
    const bool cluster = rest.substr(0, at).ends_with("cluster");
    std::string_view tail = rest.substr(at + kRole.size());
    const auto close = tail.find('"');
    if (close == std::string_view::npos || !tail.substr(close).starts_with("\" not found"))
      continue;
    f.missing_roles.push_back(std::string(cluster ? "ClusterRole " : "Role ") +
                              std::string(tail.substr(0, close)));
  }
}

std::optional<Forbidden> parse_at(std::string_view text, std::size_t at) {
  Forbidden f;
  Cursor c{text.substr(at)};
  if (!c.eat("User \"")) return std::nullopt;
  auto user = c.quoted();
  if (!user || !c.eat(" cannot ")) return std::nullopt;
  f.user = std::string(*user);
  AccessRequest& r = f.request;
  r.verb = std::string(c.word());
  if (r.verb.empty()) return std::nullopt;
  if (c.eat(" path \"")) {
    auto path = c.quoted();
    if (!path || path->empty()) return std::nullopt;
    r.path = std::string(*path);
  } else if (c.eat(" resource \"")) {
    auto res = c.quoted();
    if (!res || res->empty() || !c.eat(" in API group \"")) return std::nullopt;
    auto group = c.quoted();
    if (!group) return std::nullopt;
    split_resource(*res, false, r);
    r.group = std::string(*group);
    if (!read_scope(c, r)) return std::nullopt;
  } else if (c.eat(" ")) {
    const std::string_view res = c.word();  // the v1.6-v1.10 wording
    if (res.empty()) return std::nullopt;
    split_resource(res, true, r);
    if (!read_scope(c, r)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (r.is_resource()) r.name = name_before(text.substr(0, at));
  read_reason(c.s, f);
  return f;
}

}  // namespace

bool may_be_forbidden(std::string_view text) {
  auto user = text.find("User \"");
  if (user == std::string_view::npos) user = text.find("User \\\"");
  return user != std::string_view::npos && text.find(" cannot ", user) != std::string_view::npos;
}

std::optional<Forbidden> parse_forbidden(std::string_view text) {
  if (!may_be_forbidden(text)) return std::nullopt;
  const std::string plain = unescape_quotes(text);
  for (std::size_t at = plain.find("User \""); at != std::string::npos;
       at = plain.find("User \"", at + 1)) {
    if (auto f = parse_at(plain, at)) return f;
  }
  return std::nullopt;
}

}  // namespace ktriage::rbac
