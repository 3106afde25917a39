#include "logs/flat_json.h"

#include <cstring>

namespace ktriage::logs {
namespace {

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

// i at an opening quote; returns the index after the closing quote, or npos.
std::size_t end_of_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// A nested array or object at i: the index after its end, or npos.
std::size_t end_of_nested(std::string_view s, std::size_t i) {
  int depth = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      i = end_of_string(s, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool hex4(std::string_view s, std::size_t i, std::uint32_t& out) {
  if (i + 4 > s.size()) return false;
  out = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0) return false;
    out = out * 16 + static_cast<std::uint32_t>(v);
  }
  return true;
}

}  // namespace

bool for_each_json_field(std::string_view s, JsonFieldVisitor field) {
  std::size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = skip_space(s, i + 1);
  if (i < s.size() && s[i] == '}') return skip_space(s, i + 1) == s.size();
  while (i < s.size()) {
    if (s[i] != '"') return false;
    std::size_t key_end = end_of_string(s, i);
    if (key_end == std::string_view::npos) return false;
    std::string_view key = s.substr(i + 1, key_end - i - 2);
    i = skip_space(s, key_end);
    if (i >= s.size() || s[i] != ':') return false;
    i = skip_space(s, i + 1);
    if (i >= s.size()) return false;
    std::size_t value_end;
    bool is_string = s[i] == '"';
    if (is_string) {
      value_end = end_of_string(s, i);
    } else if (s[i] == '{' || s[i] == '[') {
      value_end = end_of_nested(s, i);
    } else {
      value_end = i;
      while (value_end < s.size() && s[value_end] != ',' && s[value_end] != '}' &&
             s[value_end] != ' ')
        ++value_end;
      if (value_end == i) return false;
    }
    if (value_end == std::string_view::npos) return false;
    if (is_string) {
      field(key, s.substr(i + 1, value_end - i - 2), true);
    } else {
      field(key, s.substr(i, value_end - i), false);
    }
    i = skip_space(s, value_end);
    if (i >= s.size()) return false;
    if (s[i] == '}') return skip_space(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = skip_space(s, i + 1);
  }
  return false;
}

void unescape_json(std::string_view s, std::string& out) {
  out.reserve(out.size() + s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Copy the run up to the next backslash at once: most text has few escapes.
    const void* bs = std::memchr(s.data() + i, '\\', s.size() - i);
    const std::size_t next =
        bs == nullptr ? s.size()
                      : static_cast<std::size_t>(static_cast<const char*>(bs) - s.data());
    out.append(s.data() + i, next - i);
    i = next;
    if (i >= s.size()) break;
    if (i + 1 >= s.size()) {
      out += '\\';  // a lone backslash at the end stays
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!hex4(s, i + 1, cp)) {
          out += "\\u";
          break;
        }
        i += 4;
        std::uint32_t low = 0;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() + 0 && s[i + 1] == '\\' &&
            s[i + 2] == 'u' && hex4(s, i + 3, low) && low >= 0xDC00 && low < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;  // a lone surrogate
        }
        append_utf8(cp, out);
        break;
      }
      default:  // \" \\ \/ and anything unknown: the character itself
        out += e;
    }
  }
}

}  // namespace ktriage::logs
