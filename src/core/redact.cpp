#include "core/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace ktriage {

namespace {

bool is_value_end(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == ',' ||
         c == ';' || c == '&' || c == ')' || c == '}' || c == ']';
}

// Lower-case ASCII copy, same length, for case-insensitive search with positions kept; `-` and
// `.` read as `_`, so "private-key", "api.key" and "X-Api-Key" are found as their `_` spelling.
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c == '-' || c == '.' ? '_' : static_cast<char>(std::tolower(c));
  });
  return out;
}

// Values a fix text shows as something to fill in ("--docker-password=PASSWORD", "<token>",
// "$TOKEN"): not credentials.
bool is_placeholder(std::string_view v) {
  if (v.front() == '<' || v.front() == '$' || v.front() == '{') return true;
  return std::all_of(v.begin(), v.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || c == '_' || c == '-'; });
}

// Marks [from, to) of `text` as hidden in `mask`.
void hide(std::vector<bool>& mask, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to && i < mask.size(); ++i) mask[i] = true;
}

}  // namespace

std::string redact_credentials(std::string_view text, Placeholders placeholders) {
  if (text.empty()) return {};
  const std::string low = lower(text);
  std::vector<bool> mask(text.size(), false);
  // scheme://user:password@host
  for (std::size_t at = low.find("://"); at != std::string::npos; at = low.find("://", at + 3)) {
    const std::size_t user = at + 3;
    std::size_t end = user;
    while (end < text.size() && !is_value_end(text[end]) && text[end] != '/' && text[end] != '@')
      ++end;
    if (end >= text.size() || text[end] != '@') continue;
    const std::size_t colon = text.find(':', user);
    if (colon == std::string_view::npos || colon >= end) continue;
    hide(mask, colon + 1, end);
  }
  // key=value and key: value for credential-looking keys.
  static constexpr std::array<std::string_view, 10> kKeys = {
      "password", "passwd", "pwd",        "secret",      "token",
      "api_key",  "apikey", "access_key", "private_key", "pass"};
  for (std::string_view key : kKeys) {
    for (std::size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
      // "pass" only as a word of its own ("--pass=", "db_pass:"), not inside "bypass".
      if (key == "pass" && at > 0 && std::isalpha(static_cast<unsigned char>(low[at - 1])))
        continue;
      std::size_t p = at + key.size();
      // Allow suffixes such as _KEY, -value, "s" ("tokens") before the separator.
      while (p < text.size() && (std::isalnum(static_cast<unsigned char>(text[p])) ||
                                 text[p] == '_' || text[p] == '-'))
        ++p;
      if (p < text.size() && (text[p] == '"' || text[p] == '\'')) ++p;
      while (p < text.size() && text[p] == ' ') ++p;
      if (p >= text.size() || (text[p] != '=' && text[p] != ':')) continue;
      ++p;
      while (p < text.size() && (text[p] == ' ' || text[p] == '"' || text[p] == '\'')) ++p;
      std::size_t end = p;
      while (end < text.size() && !is_value_end(text[end])) ++end;
      if (end > p &&
          (placeholders == Placeholders::kMask || !is_placeholder(text.substr(p, end - p))))
        hide(mask, p, end);
    }
  }
  // Authorization headers.
  for (std::string_view scheme : {std::string_view("bearer "), std::string_view("basic ")}) {
    for (std::size_t at = low.find(scheme); at != std::string::npos;
         at = low.find(scheme, at + 1)) {
      const std::size_t p = at + scheme.size();
      std::size_t end = p;
      while (end < text.size() && !is_value_end(text[end])) ++end;
      if (end - p >= 8) hide(mask, p, end);  // short words after "basic " are prose
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!mask[i]) {
      out.push_back(text[i]);
    } else if (i == 0 || !mask[i - 1]) {
      out += "***";
    }
  }
  return out;
}

bool is_sensitive_name(std::string_view name) {
  std::string up(name);
  for (char& c : up) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == '-' || c == '.') c = '_';
  }
  static constexpr std::array<std::string_view, 9> kWords = {"PASS",        "PWD",        "SECRET",
                                                             "TOKEN",       "CREDENTIAL", "APIKEY",
                                                             "PRIVATE_KEY", "ACCESS_KEY", "AUTH"};
  for (std::string_view w : kWords) {
    if (up.find(w) != std::string::npos) return true;
  }
  return up.ends_with("KEY");
}

}  // namespace ktriage
