#include "report/yaml.h"

#include <libfyaml.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/ascii.h"
#include "core/utf8.h"
#include "report/report.h"

namespace ktriage {
namespace {

struct DocumentDeleter {
  void operator()(fy_document* d) const { fy_document_destroy(d); }
};
struct CharDeleter {
  void operator()(char* s) const { std::free(s); }  // NOLINT(cppcoreguidelines-no-malloc)
};

bool is_plain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-_./()=,;+@ '\"<>[]{}:#*&!|%?`$^~\\").find(c) != std::string_view::npos;
}

// Whether `s` reads back as the same string when written plain, under YAML 1.1 as well as 1.2
// (PyYAML, go-yaml v2 and kubectl still read 1.1). Conservative: a string that starts like a
// number, a timestamp or an indicator, or that is one of 1.1's booleans and nulls, is quoted.
bool plain_is_safe(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  const char first = s.front();
  // A path (".spec.x", "/dev/termination-log") reads plain; ".5" and "-1" would be numbers.
  // YAML 1.1 reads "._" and ".e+5" as floats too, so a dot must be followed by a letter.
  const char second = s.size() > 1 ? s[1] : '\0';
  const bool letter = (second >= 'a' && second <= 'z') || (second >= 'A' && second <= 'Z');
  const bool path_start =
      (first == '/' && second != '\0' && !(second >= '0' && second <= '9') && second != '.') ||
      (first == '.' && letter && second != 'e' && second != 'E');
  if (!path_start && ((first >= '0' && first <= '9') ||
                      std::string_view("-+.~!&*?|>'\"%@`#,[]{}:=<\\/$^;()").find(first) !=
                          std::string_view::npos)) {
    return false;
  }
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos)
    return false;
  for (char c : s) {
    if (!is_plain_char(c)) return false;  // control characters, non-ASCII: quoted with escapes
  }
  const std::string lower = ascii_lower(s);
  for (std::string_view word :
       {"true", "false", "yes", "no", "on", "off", "y", "n", "null", ".nan", ".inf"}) {
    if (lower == word) return false;
  }
  return true;
}

// `s` as a YAML double-quoted scalar. JSON's escaping is not enough: YAML forbids DEL, the C1
// controls and U+FFFE/U+FFFF unescaped, and YAML 1.1 readers (PyYAML) take NEL, U+2028 and
// U+2029 for line breaks. Those are escaped here; other UTF-8 is copied. `s` is valid UTF-8
// (it comes from the JSON report, where ill-formed bytes are already U+FFFD).
std::string yaml_double_quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  auto hex2 = [&](std::uint32_t c) {
    out += "\\x";
    out.push_back(kHex[(c >> 4) & 0xF]);
    out.push_back(kHex[c & 0xF]);
  };
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(s, i, &cp);
    if (n == 0) {  // cannot happen after render_json; never copy an ill-formed byte
      out += "\\uFFFD";
      ++i;
      continue;
    }
    if (cp == '"' || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == 0x85) {
      out += "\\N";
    } else if (cp == 0x2028) {
      out += "\\L";
    } else if (cp == 0x2029) {
      out += "\\P";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      hex2(cp);
    } else if (cp == 0xFFFE || cp == 0xFFFF) {
      out += cp == 0xFFFE ? "\\uFFFE" : "\\uFFFF";
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out.push_back('"');
  return out;
}

// A double-quoted scalar node of `s`. The document takes ownership of the malloc'd source text
// (it keeps pointing into it).
fy_node* quoted_scalar(fy_document* doc, std::string_view s) {
  const std::string quoted = yaml_double_quoted(s);
  char* owned =
      static_cast<char*>(std::malloc(quoted.size()));  // NOLINT(cppcoreguidelines-no-malloc)
  if (owned == nullptr) return nullptr;
  std::memcpy(owned, quoted.data(), quoted.size());
  fy_node* n = fy_node_build_from_malloc_string(doc, owned, quoted.size());
  if (n == nullptr) std::free(owned);  // NOLINT(cppcoreguidelines-no-malloc)
  return n;
}

fy_node* build(fy_document* doc, const nlohmann::ordered_json& v) {
  if (v.is_object()) {
    fy_node* map = fy_node_create_mapping(doc);
    for (const auto& [key, value] : v.items()) {
      fy_node* k = plain_is_safe(key) ? fy_node_create_scalar_copy(doc, key.data(), key.size())
                                      : quoted_scalar(doc, key);
      fy_node_mapping_append(map, k, build(doc, value));
    }
    return map;
  }
  if (v.is_array()) {
    fy_node* seq = fy_node_create_sequence(doc);
    for (const auto& item : v) fy_node_sequence_append(seq, build(doc, item));
    return seq;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    return plain_is_safe(s) ? fy_node_create_scalar_copy(doc, s.data(), s.size())
                            : quoted_scalar(doc, s);
  }
  const std::string text = v.dump();  // number, true, false, null: the same token in YAML
  return fy_node_create_scalar_copy(doc, text.data(), text.size());
}

}  // namespace

std::string render_yaml(const Diagnosis& d) {
  // One writer of the document (render_json, with its scrubbing) keeps the two formats equal;
  // this only changes its notation. libfyaml lays out the blocks; which strings need quotes is
  // decided here, because its own JSON-to-YAML mode writes the string "137" as the number 137.
  const std::string json = render_json(d);
  // render_json writes valid UTF-8 (ill-formed bytes become U+FFFD), so this parse cannot fail;
  // if it ever did, the JSON text is still YAML.
  const auto tree = nlohmann::ordered_json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (tree.is_discarded()) return json;
  std::unique_ptr<fy_document, DocumentDeleter> doc(fy_document_create(nullptr));
  if (!doc) return json;  // JSON is YAML too
  fy_document_set_root(doc.get(), build(doc.get(), tree));
  std::unique_ptr<char, CharDeleter> text(fy_emit_document_to_string(
      doc.get(), static_cast<fy_emitter_cfg_flags>(FYECF_MODE_BLOCK | FYECF_INDENT_2 |
                                                   FYECF_WIDTH_INF | FYECF_DOC_START_MARK_OFF)));
  if (!text) return json;
  return std::string(text.get());
}

}  // namespace ktriage
