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
// "$TOKEN", "YOUR_API_KEY"): not credentials. Only these words, not any capitals: a password may
// be all capitals ("password=ABCDEFGH").
bool is_placeholder(std::string_view v) {
  if (v.front() == '<' || v.front() == '$' || v.front() == '{') return true;
  if (!std::all_of(v.begin(), v.end(),
                   [](char c) { return (c >= 'A' && c <= 'Z') || c == '_' || c == '-'; }))
    return false;
  static constexpr std::array<std::string_view, 14> kWords = {
      "PASSWORD", "PASSWD",     "PASS",        "PWD",   "TOKEN",    "SECRET",   "KEY",
      "APIKEY",   "ACCESS_KEY", "PRIVATE_KEY", "VALUE", "CHANGEME", "REDACTED", "API_KEY"};
  return std::any_of(kWords.begin(), kWords.end(), [v](std::string_view w) {
    return v == w || (v.size() > w.size() + 1 && v.ends_with(w) &&
                      (v[v.size() - w.size() - 1] == '_' || v[v.size() - w.size() - 1] == '-'));
  });
}

// Prefixes of tokens that are credentials by their form: GitHub (ghp_ personal, gho_ OAuth,
// ghu_/ghs_ app, ghr_ refresh, github_pat_ fine-grained), GitLab (glpat-), Slack (xoxb-, xoxp-).
constexpr std::array<std::string_view, 9> kTokenPrefixes = {
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-"};

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
      // The key's closing quote, escaped too when the line carries JSON in a string
      // (klog's body={\"password\":\"...\"}).
      if (p < text.size() && text[p] == '\\') ++p;
      if (p < text.size() && (text[p] == '"' || text[p] == '\'')) ++p;
      while (p < text.size() && text[p] == ' ') ++p;
      // A command-line flag also takes its value after a space: --password VALUE.
      // (`low` spells '-' as '_': the original text tells a flag's dashes.)
      const bool flag = at >= 2 && text[at - 1] == '-' && text[at - 2] == '-';
      if (p < text.size() && flag && text[p - 1] == ' ' && text[p] != '=' && text[p] != ':' &&
          text[p] != '-') {
        --p;  // the space is the separator
      } else if (p < text.size() && text[p - 1] == ' ' && (text[p] == '"' || text[p] == '\'') &&
                 (key == "password" || key == "passwd" || key == "pwd")) {
        // password "x": a quoted value after a space. Not for "secret" or "token": kubelet
        // writes `secret "db-creds" not found`, an object's name.
        --p;
      } else if (p >= text.size() || (text[p] != '=' && text[p] != ':')) {
        continue;
      }
      ++p;
      while (p < text.size() &&
             (text[p] == ' ' || text[p] == '"' || text[p] == '\'' || text[p] == '\\'))
        ++p;
      std::size_t end = p;
      // An escaped closing quote (\") ends the value too.
      while (end < text.size() && !is_value_end(text[end]) &&
             !(text[end] == '\\' && end + 1 < text.size() && text[end + 1] == '"'))
        ++end;
      if (end > p &&
          (placeholders == Placeholders::kMask || !is_placeholder(text.substr(p, end - p))))
        hide(mask, p, end);
    }
  }
  // Tokens whose form gives them away wherever they stand: GitHub and GitLab personal tokens,
  // Slack bot and user tokens, AWS access key ids, and JWTs (three base64url parts, the first
  // two starting "eyJ", i.e. '{"').
  auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && word_char(text[i - 1])) continue;  // only at the start of a word
    std::size_t end = i;
    while (end < text.size() && word_char(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    const bool prefixed =
        std::any_of(kTokenPrefixes.begin(), kTokenPrefixes.end(), [&](std::string_view prefix) {
          return word.starts_with(prefix) && word.size() >= prefix.size() + 16;
        });
    const bool aws = word.size() == 20 && word.starts_with("AKIA") &&
                     std::all_of(word.begin(), word.end(), [](char c) {
                       return std::isupper(static_cast<unsigned char>(c)) ||
                              std::isdigit(static_cast<unsigned char>(c));
                     });
    const bool jwt = word.starts_with("eyJ") && word.find(".eyJ") != std::string_view::npos &&
                     std::count(word.begin(), word.end(), '.') == 2 && word.size() >= 30;
    if (prefixed || aws || jwt) hide(mask, i, end);
    i = end;
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
