// YAML documents through libfyaml, one document at a time, walked into the Value tree.
#include <fmt/format.h>
#include <libfyaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "load/document.h"
#include "load/managed_fields.h"

namespace ktriage {
namespace {

struct ParserDeleter {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
struct DiagDeleter {
  void operator()(fy_diag* d) const { fy_diag_unref(d); }
};

bool is_plain_null(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.2 core schema integers (decimal, 0o octal, 0x hex); kubectl's YAML (sigs.k8s.io/yaml)
// reads these the same way.
bool parse_core_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  int base = 10;
  if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
    base = s[i + 1] == 'x' ? 16 : 8;
    i += 2;
  }
  if (i >= s.size()) return false;
  std::uint64_t mag = 0;
  auto [p, ec] = std::from_chars(s.data() + i, s.data() + s.size(), mag, base);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  if (mag > static_cast<std::uint64_t>(INT64_MAX)) return false;
  out = s[0] == '-' ? -static_cast<std::int64_t>(mag) : static_cast<std::int64_t>(mag);
  return true;
}

bool parse_core_float(std::string_view s, double& out) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") {
    out = HUGE_VAL;
    return true;
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") {
    out = -HUGE_VAL;
    return true;
  }
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  out = std::strtod(std::string(s).c_str(), nullptr);
  return true;
}

SourcePos mark_of_token(fy_token* t) {
  if (t == nullptr) return {};
  const fy_mark* m = fy_token_start_mark(t);
  if (m == nullptr) return {};
  return SourcePos{static_cast<std::uint32_t>(m->line + 1),
                   static_cast<std::uint32_t>(m->column + 1)};
}

// libfyaml 0.7 has no start mark for collections: use the first scalar inside.
SourcePos mark_of_node(fy_node* n, int depth = 0) {
  if (n == nullptr || depth > 64) return {};
  switch (fy_node_get_type(n)) {
    case FYNT_SCALAR:
      return mark_of_token(fy_node_get_scalar_token(n));
    case FYNT_MAPPING: {
      void* iter = nullptr;
      fy_node_pair* pair = fy_node_mapping_iterate(n, &iter);
      return pair != nullptr ? mark_of_node(fy_node_pair_key(pair), depth + 1) : SourcePos{};
    }
    case FYNT_SEQUENCE: {
      void* iter = nullptr;
      fy_node* item = fy_node_sequence_iterate(n, &iter);
      return mark_of_node(item, depth + 1);
    }
  }
  return {};
}

class YamlBuilder {
 public:
  explicit YamlBuilder(Arena& arena) : arena_(arena) {}

  ParsedDocument build_root(fy_node* root) {
    ParsedDocument out;
    out.root_pos = mark_of_node(root);
    duplicates_ = &out.duplicate_keys;
    out.root = build(root, 0, &out.item_pos, true);
    duplicates_ = nullptr;
    return out;
  }

 private:
  // A string value of the tree. Under data and stringData (`own`) it is a copy of its own, never
  // the shared interned one, so that a Secret's wipe (objects.cpp) can zero it.
  Value string_value(std::string_view s, bool own) {
    return Value::string(own ? arena_.copy(s) : arena_.intern(s));
  }

  Value scalar(fy_node* n, bool own) {
    std::size_t len = 0;
    const char* text = fy_node_get_scalar(n, &len);
    std::string_view s(text != nullptr ? text : "", text != nullptr ? len : 0);
    if (fy_node_get_style(n) != FYNS_PLAIN) return string_value(s, own);
    if (is_plain_null(s)) return Value();
    if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
    if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
    std::int64_t i = 0;
    if (parse_core_int(s, i)) return Value::integer(i);
    double d = 0;
    if (parse_core_float(s, d)) return Value::number(d);
    return string_value(s, own);
  }

  static constexpr std::size_t kNoKey = static_cast<std::size_t>(-1);
  static constexpr std::size_t kLinearKeys = 32;

  // Index in members_ of `key` among the members from `mark` on, or kNoKey: a linear scan for the
  // few keys of a Kubernetes object level, a hash lookup (`large`, built here on first need) past
  // kLinearKeys.
  std::size_t find_key(std::size_t mark, std::string_view key,
                       std::unordered_map<std::string_view, std::size_t>& large) const {
    if (members_.size() - mark <= kLinearKeys) {
      for (std::size_t i = mark; i < members_.size(); ++i) {
        if (members_[i].key == key) return i;
      }
      return kNoKey;
    }
    if (large.empty()) {
      for (std::size_t i = mark; i < members_.size(); ++i) large.emplace(members_[i].key, i);
    }
    auto it = large.find(key);
    return it == large.end() ? kNoKey : it->second;
  }

  static std::string_view scalar_at(fy_node* map, std::string_view key) {
    fy_node* v = fy_node_mapping_lookup_by_string(map, key.data(), key.size());
    if (v == nullptr || fy_node_get_type(v) != FYNT_SCALAR) return {};
    std::size_t len = 0;
    const char* text = fy_node_get_scalar(v, &len);
    return text != nullptr ? std::string_view(text, len) : std::string_view();
  }

  // Only apiVersion, manager and operation of each entry, deduplicated (managed_fields.h).
  Value managed_fields(fy_node* n) {
    if (n == nullptr || fy_node_get_type(n) != FYNT_SEQUENCE) return Value();
    std::vector<ManagedEntry> entries;
    void* iter = nullptr;
    while (fy_node* item = fy_node_sequence_iterate(n, &iter)) {
      if (fy_node_get_type(item) != FYNT_MAPPING) continue;
      ManagedEntry e{scalar_at(item, "apiVersion"), scalar_at(item, "manager"),
                     scalar_at(item, "operation")};
      if (!e.api_version.empty()) entries.push_back(e);
    }
    return compact_managed_fields(entries, arena_);
  }

  Value build(fy_node* n, int depth, std::vector<SourcePos>* item_pos, bool is_root,
              bool own_strings = false) {
    if (n == nullptr || depth > kMaxDepth) return Value();
    switch (fy_node_get_type(n)) {
      case FYNT_SCALAR:
        return scalar(n, own_strings);
      case FYNT_SEQUENCE: {
        const std::size_t mark = values_.size();
        void* iter = nullptr;
        while (fy_node* item = fy_node_sequence_iterate(n, &iter)) {
          if (is_root && item_pos != nullptr) item_pos->push_back(mark_of_node(item));
          Value v = build(item, depth + 1, nullptr, false, own_strings);
          values_.push_back(v);
        }
        const auto count = static_cast<std::uint32_t>(values_.size() - mark);
        const Value* stored = arena_.copy(values_.data() + mark, count);
        values_.resize(mark);
        return Value::array(stored, count);
      }
      case FYNT_MAPPING: {
        const std::size_t mark = members_.size();
        const std::size_t key_mark = key_nodes_.size();
        // Filled only once a mapping outgrows a linear scan (a generated ConfigMap of 500,000
        // keys would otherwise take quadratic time to check for duplicates).
        std::unordered_map<std::string_view, std::size_t> large;
        void* iter = nullptr;
        while (fy_node_pair* pair = fy_node_mapping_iterate(n, &iter)) {
          fy_node* key_node = fy_node_pair_key(pair);
          std::size_t klen = 0;
          const char* ktext = key_node != nullptr && fy_node_get_type(key_node) == FYNT_SCALAR
                                  ? fy_node_get_scalar(key_node, &klen)
                                  : nullptr;
          std::string_view key(ktext != nullptr ? ktext : "", ktext != nullptr ? klen : 0);
          fy_node* value_node = fy_node_pair_value(pair);
          if (key == "managedFields") {
            // Compacted here, not built: fieldsV1 is the bulk and is never read.
            Value compact = managed_fields(value_node);
            if (!compact.is_null()) {
              members_.push_back(Member{arena_.key(key), compact});
              key_nodes_.push_back(key_node);
            }
            continue;
          }
          std::vector<SourcePos>* child_pos =
              (is_root && key == "items" && item_pos != nullptr) ? item_pos : nullptr;
          Value v;
          if (child_pos != nullptr && value_node != nullptr &&
              fy_node_get_type(value_node) == FYNT_SEQUENCE) {
            v = build(value_node, depth + 1, child_pos, true);
          } else {
            v = build(value_node, depth + 1, nullptr, false,
                      own_strings || key == "data" || key == "stringData");
          }
          // Duplicate keys: the last one wins, as in kubectl apply.
          const std::size_t i = find_key(mark, key, large);
          if (i != kNoKey) {
            members_[i].value = v;
            duplicates_->push_back({members_[i].key,
                                    mark_of_node(key_nodes_[key_mark + (i - mark)]),
                                    mark_of_node(key_node)});
          } else {
            members_.push_back(Member{arena_.key(key), v});
            key_nodes_.push_back(key_node);
            if (!large.empty()) large.emplace(members_.back().key, members_.size() - 1);
          }
        }
        key_nodes_.resize(key_mark);
        const auto count = static_cast<std::uint32_t>(members_.size() - mark);
        const Member* stored = arena_.copy(members_.data() + mark, count);
        members_.resize(mark);
        return Value::object(stored, count);
      }
    }
    return Value();
  }

  static constexpr int kMaxDepth = 256;
  Arena& arena_;
  std::vector<Member> members_;
  // Parallel to members_: each key's node, for the position of a duplicate (rare; positions are
  // read only then).
  std::vector<fy_node*> key_nodes_;
  std::vector<ParsedDocument::DuplicateKey>* duplicates_ = nullptr;
  std::vector<Value> values_;
};

// "<memory-@0x..>:6:1: error: missing comma in flow mapping\n..." -> {6,1} "missing comma ..."
ParseError parse_diag_text(std::string_view text) {
  ParseError e{{}, "YAML syntax error"};
  std::size_t marker = text.find(": error: ");
  if (marker == std::string_view::npos) return e;
  std::size_t msg_end = text.find('\n', marker);
  e.message = "YAML: " + std::string(text.substr(marker + 9, msg_end == std::string_view::npos
                                                                 ? std::string_view::npos
                                                                 : msg_end - marker - 9));
  // Walk back over ":<col>" and ":<line>".
  std::string_view head = text.substr(0, marker);
  std::size_t c = head.rfind(':');
  if (c == std::string_view::npos) return e;
  std::size_t l = head.rfind(':', c - 1);
  if (l == std::string_view::npos) return e;
  unsigned line = 0, col = 0;
  std::from_chars(head.data() + l + 1, head.data() + c, line);
  std::from_chars(head.data() + c + 1, head.data() + head.size(), col);
  e.pos = SourcePos{line, col};
  return e;
}

// The value of the last pair with `key`: with a key written twice the reader keeps the last one
// (as kubectl does), so positions must point at it, not at the lost first value.
fy_node* last_value_of(fy_node* mapping, std::string_view key) {
  fy_node* found = nullptr;
  void* iter = nullptr;
  while (fy_node_pair* pair = fy_node_mapping_iterate(mapping, &iter)) {
    fy_node* k = fy_node_pair_key(pair);
    if (k == nullptr || fy_node_get_type(k) != FYNT_SCALAR) continue;
    std::size_t len = 0;
    const char* text = fy_node_get_scalar(k, &len);
    if (text != nullptr && std::string_view(text, len) == key) found = fy_node_pair_value(pair);
  }
  return found;
}

class YamlLocator final : public Locator {
 public:
  explicit YamlLocator(fy_node* root) : root_(root) {}
  SourcePos locate(std::span<const PathStep> path) const override {
    fy_node* n = root_;
    for (const PathStep& s : path) {
      if (n == nullptr) return {};
      if (s.index >= 0) {
        n = fy_node_get_type(n) == FYNT_SEQUENCE ? fy_node_sequence_get_by_index(n, s.index)
                                                 : nullptr;
      } else {
        n = fy_node_get_type(n) == FYNT_MAPPING ? last_value_of(n, s.key) : nullptr;
      }
    }
    return mark_of_node(n);
  }

 private:
  fy_node* root_;
};

// A document whose aliases expand beyond this many nodes is refused: nine nested anchors of
// nine aliases each (a "billion laughs" file of 400 bytes) would otherwise take minutes and
// gigabytes inside libfyaml's alias resolution. Real manifests expand to thousands.
constexpr std::uint64_t kMaxExpandedNodes = 2'000'000;

// Nodes `n` stands for once its aliases are expanded, memoised per node so the count itself stays
// linear in the document. Saturates at kMaxExpandedNodes + 1.
std::uint64_t expanded_size(fy_node* n, std::unordered_map<fy_node*, std::uint64_t>& memo,
                            int depth = 0) {
  if (n == nullptr || depth > 256) return 1;
  if (auto it = memo.find(n); it != memo.end()) return it->second;
  memo[n] = 1;  // a cycle through an alias counts once
  std::uint64_t total = 1;
  auto add = [&](std::uint64_t k) { total = std::min(total + k, kMaxExpandedNodes + 1); };
  if (fy_node_is_alias(n)) {
    add(expanded_size(fy_node_resolve_alias(n), memo, depth + 1));
  } else if (fy_node_get_type(n) == FYNT_SEQUENCE) {
    void* iter = nullptr;
    while (fy_node* item = fy_node_sequence_iterate(n, &iter))
      add(expanded_size(item, memo, depth + 1));
  } else if (fy_node_get_type(n) == FYNT_MAPPING) {
    void* iter = nullptr;
    while (fy_node_pair* pair = fy_node_mapping_iterate(n, &iter)) {
      add(expanded_size(fy_node_pair_key(pair), memo, depth + 1));
      add(expanded_size(fy_node_pair_value(pair), memo, depth + 1));
    }
  }
  memo[n] = total;
  return total;
}

// Parses `data` without resolving aliases and returns the position of the first document whose
// aliases expand beyond kMaxExpandedNodes, if any. Only called when the text has an alias.
std::optional<SourcePos> find_alias_bomb(std::string_view data) {
  // A syntax error is reported by the real pass; this one must stay silent (FYPCF_QUIET alone
  // still lets libfyaml's default diag print "<memory-@0x...>:L:C: error: ..." to stderr).
  fy_diag_cfg dcfg{};
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
  dcfg.level = FYET_ERROR;
  std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&dcfg));
  fy_parse_cfg cfg{};
  cfg.diag = diag.get();
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS |
                                              FYPCF_DEFAULT_VERSION_1_2);
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!parser || fy_parser_set_string(parser.get(), data.data(), data.size()) != 0) return {};
  std::optional<SourcePos> bomb;
  while (fy_document* doc = fy_parse_load_document(parser.get())) {
    std::unordered_map<fy_node*, std::uint64_t> memo;
    fy_node* root = fy_document_root(doc);
    if (!bomb && root != nullptr && expanded_size(root, memo) > kMaxExpandedNodes) {
      bomb = mark_of_node(root);
      if (bomb->line == 0) bomb = SourcePos{1, 1};
    }
    fy_parse_document_destroy(parser.get(), doc);
  }
  return bomb;
}

// Positions of a document parsed from a later part of the file, moved down by `lines`.
class ShiftedYamlLocator final : public Locator {
 public:
  ShiftedYamlLocator(const Locator& inner, std::uint32_t lines) : inner_(inner), lines_(lines) {}
  SourcePos locate(std::span<const PathStep> path) const override {
    SourcePos p = inner_.locate(path);
    if (p.line > 0) p.line += lines_;
    return p;
  }

 private:
  const Locator& inner_;
  std::uint32_t lines_;
};

}  // namespace

namespace {

// Byte offset and 1-based line of the first `---` line after line `error_line` of `data`;
// nullopt when there is none.
std::optional<std::pair<std::size_t, std::uint32_t>> next_document_after(std::string_view data,
                                                                         std::uint32_t error_line) {
  std::uint32_t line = 1;
  std::size_t at = 0;
  while (at < data.size() && line <= error_line) {  // to the start of the line after the error
    const std::size_t nl = data.find('\n', at);
    if (nl == std::string_view::npos) return std::nullopt;
    at = nl + 1;
    ++line;
  }
  while (at < data.size()) {
    if (data.substr(at, 3) == "---" && (at + 3 == data.size() || data[at + 3] == '\n' ||
                                        data[at + 3] == ' ' || data[at + 3] == '\r'))
      return std::make_pair(at, line);
    const std::size_t nl = data.find('\n', at);
    if (nl == std::string_view::npos) return std::nullopt;
    at = nl + 1;
    ++line;
  }
  return std::nullopt;
}

// One libfyaml pass over `data`: every document up to the first syntax error.
// libfyaml 0.8's directive scanner never returns on a non-ASCII or control byte inside a `%`
// directive line (found by the lint fuzzer: "%apiVersion\xff v1"). Directives are ASCII by the
// YAML 1.2 spec (%YAML, %TAG), so such a line is refused before libfyaml sees it. O(directive
// lines).
std::optional<SourcePos> find_bad_directive(std::string_view data) {
  std::size_t at = data.starts_with('%') ? 0 : data.find("\n%");
  while (at != std::string_view::npos) {
    const std::size_t start = data[at] == '%' ? at : at + 1;
    const std::size_t end = std::min(data.find('\n', start), data.size());
    for (std::size_t i = start; i < end; ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r')) {
        const auto line =
            1 + std::count(data.begin(), data.begin() + static_cast<long>(start), '\n');
        return SourcePos{static_cast<std::uint32_t>(line),
                         static_cast<std::uint32_t>(i - start + 1)};
      }
    }
    at = data.find("\n%", end == data.size() ? end : end);
  }
  return std::nullopt;
}

std::vector<ParseError> read_yaml_once(std::string_view name, std::string_view data, Arena& arena,
                                       const DocumentSink& sink) {
  (void)name;
  std::vector<ParseError> errors;
  if (auto at = find_bad_directive(data)) {
    errors.push_back(ParseError{*at,
                                "a YAML directive (a line starting with %) holds a byte "
                                "that is not printable ASCII; the file was not read"});
    return errors;
  }
  if (data.find('*') != std::string_view::npos && data.find('&') != std::string_view::npos) {
    if (auto at = find_alias_bomb(data)) {
      errors.push_back(ParseError{
          *at, fmt::format("YAML aliases expand to more than {} nodes (an alias bomb?); the file "
                           "was not read",
                           kMaxExpandedNodes)});
      return errors;
    }
  }
  // libfyaml reports errors through its diag object as formatted text ("<src>:L:C: error: msg");
  // capture that text instead of letting it reach stderr, and read the position back from it.
  std::string diag_text;
  fy_diag_cfg dcfg{};
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.user = &diag_text;
  dcfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
    auto* text = static_cast<std::string*>(user);
    if (text->size() < 4096) text->append(buf, len);
  };
  dcfg.level = FYET_ERROR;
  dcfg.colorize = false;
  dcfg.show_source = true;
  dcfg.show_position = true;
  dcfg.show_type = true;
  fy_diag* diag = fy_diag_create(&dcfg);
  fy_parse_cfg cfg{};
  cfg.diag = diag;
  // Resolving is only needed for aliases and merge keys (both need an anchor, '&'), and
  // libfyaml's resolver rejects duplicate keys whatever FYPCF_ALLOW_DUPLICATE_KEYS says.
  const bool anchors = data.find('&') != std::string_view::npos;
  cfg.flags = static_cast<fy_parse_cfg_flags>(
      FYPCF_QUIET | FYPCF_COLLECT_DIAG | (anchors ? FYPCF_RESOLVE_DOCUMENT : 0) |
      FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_DEFAULT_VERSION_1_2);
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!parser || fy_parser_set_string(parser.get(), data.data(), data.size()) != 0) {
    errors.push_back(ParseError{{}, "cannot start the YAML parser"});
    if (diag != nullptr) fy_diag_unref(diag);
    return errors;
  }
  YamlBuilder builder(arena);
  while (fy_document* doc = fy_parse_load_document(parser.get())) {
    fy_node* root = fy_document_root(doc);
    if (root != nullptr) {
      ParsedDocument parsed = builder.build_root(root);
      YamlLocator locator(root);
      sink(parsed, locator);
    }
    fy_parse_document_destroy(parser.get(), doc);
  }
  if (!diag_text.empty()) errors.push_back(parse_diag_text(diag_text));
  if (errors.empty() && fy_parser_get_stream_error(parser.get())) {
    errors.push_back(ParseError{{}, "YAML syntax error"});
  }
  parser.reset();
  if (diag != nullptr) fy_diag_unref(diag);
  return errors;
}

}  // namespace

std::vector<ParseError> read_yaml(std::string_view name, std::string_view data, Arena& arena,
                                  const DocumentSink& sink) {
  std::vector<ParseError> errors = read_yaml_once(name, data, arena, sink);
  // libfyaml stops at the first syntax error; the documents after the next `---` line are
  // independent, so read them too (kubectl apply reports one bad document, not the file).
  // A loop, not recursion: a file of many broken documents must not grow the stack.
  std::size_t offset = 0;
  std::uint32_t shift = 0;  // lines above `data.substr(offset)`
  while (!errors.empty() && errors.back().pos.line > shift) {
    const std::string_view rest = data.substr(offset);
    const auto next = next_document_after(rest, errors.back().pos.line - shift);
    if (!next) break;
    offset += next->first;
    shift += next->second - 1;
    const std::uint32_t lines = shift;
    auto shifted_sink = [&sink, lines](const ParsedDocument& doc, const Locator& locator) {
      ParsedDocument moved = doc;
      if (moved.root_pos.line > 0) moved.root_pos.line += lines;
      for (SourcePos& p : moved.item_pos) {
        if (p.line > 0) p.line += lines;
      }
      ShiftedYamlLocator loc(locator, lines);
      sink(moved, loc);
    };
    std::vector<ParseError> more = read_yaml_once(name, data.substr(offset), arena, shifted_sink);
    if (more.empty()) break;
    for (ParseError& e : more) {
      if (e.pos.line > 0) e.pos.line += lines;
      errors.push_back(std::move(e));
    }
  }
  return errors;
}

}  // namespace ktriage
