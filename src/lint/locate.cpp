#include "lint/locate.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/ascii.h"
#include "lint/check.h"

namespace ktriage::lint {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One evidence to place: its object's start (to find the document again) and its path.
struct Request {
  SourcePos object_pos;
  std::vector<PathStep> path;
  Evidence* evidence;
};

bool looks_json(std::string_view name, std::string_view text) {
  const std::string l = ascii_lower(name);
  auto ends = [&](std::string_view suffix) {
    return l.size() >= suffix.size() &&
           l.compare(l.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".json")) return true;
  if (ends(".yaml") || ends(".yml")) return false;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// The position of `path` under `prefix`, or of its nearest ancestor that exists; `exact` says
// which.
SourcePos locate_nearest(const Locator& locator, std::span<const PathStep> prefix,
                         std::span<const PathStep> path, bool& exact) {
  std::vector<PathStep> full(prefix.begin(), prefix.end());
  full.insert(full.end(), path.begin(), path.end());
  for (std::size_t n = full.size(); n >= prefix.size(); --n) {
    const SourcePos p = locator.locate(std::span<const PathStep>(full.data(), n));
    exact = n == full.size();
    if (p.line > 0) return p;
    if (n == 0) break;
  }
  return {};
}

// Whether `key` at byte `k` of `text` is written as a mapping key (`key:`, `"key":`).
bool key_at(std::string_view text, std::size_t k, std::string_view key) {
  std::size_t after = k + key.size();
  if (after < text.size() && (text[after] == '"' || text[after] == '\'')) ++after;
  while (after < text.size() && text[after] == ' ') ++after;
  const bool before_ok =
      k == 0 || std::string_view(" \t\n{,\"'").find(text[k - 1]) != std::string_view::npos;
  return before_ok && after < text.size() && text[after] == ':';
}

}  // namespace

SourcePos key_near(std::string_view text, const LineStarts& lines, SourcePos near,
                   std::string_view key, bool near_is_value) {
  const std::size_t at = std::min(lines.offset(near), text.size());
  if (key.empty()) return near;
  std::size_t k = std::string_view::npos;
  if (near_is_value) {
    for (std::size_t from = at; from > 0;) {
      const std::size_t c = text.rfind(key, from - 1);
      if (c == std::string_view::npos) break;
      if (key_at(text, c, key)) {
        k = c;
        break;
      }
      from = c;
    }
  } else {
    for (std::size_t c = text.find(key, at); c != std::string_view::npos;
         c = text.find(key, c + 1)) {
      if (key_at(text, c, key)) {
        k = c;
        break;
      }
    }
  }
  if (k == std::string_view::npos) return near;
  if (k > 0 && (text[k - 1] == '"' || text[k - 1] == '\'')) --k;
  return lines.position(k);
}

namespace {

std::uint64_t pos_key(SourcePos p) { return (std::uint64_t{p.line} << 32) | p.column; }

void place(std::string_view name, std::string_view text, std::vector<Request>& requests) {
  Arena scratch;
  const LineStarts lines(text);
  // Requests by their object's start, so each document finds its own in O(1) instead of
  // scanning them all (that was documents x requests: 47 s for 10,000 Deployments).
  std::unordered_map<std::uint64_t, std::vector<Request*>> by_object;
  for (Request& r : requests) by_object[pos_key(r.object_pos)].push_back(&r);
  auto place_object = [&](const Locator& locator, SourcePos object_pos,
                          std::span<const PathStep> prefix) {
    auto it = by_object.find(pos_key(object_pos));
    if (it == by_object.end()) return;
    for (Request* r : it->second) {
      if (r->evidence->column > 0) continue;
      bool exact = false;
      SourcePos p = locate_nearest(locator, prefix, r->path, exact);
      if (p.line == 0) continue;
      if (r->evidence->at_key && !r->path.empty() && r->path.back().index < 0)
        p = key_near(text, lines, p, r->path.back().key, exact);
      r->evidence->line = p.line;
      r->evidence->column = p.column;
    }
  };
  auto sink = [&](const ParsedDocument& doc, const Locator& locator) {
    // The document is the object, or (a List) each of its items is one.
    if (doc.root.is_object()) place_object(locator, doc.root_pos, {});
    for (std::size_t i = 0; i < doc.item_pos.size(); ++i) {
      std::vector<PathStep> prefix;
      if (doc.root.is_object()) prefix.push_back({"items", -1});
      prefix.push_back({{}, static_cast<int>(i)});
      place_object(locator, doc.item_pos[i], prefix);
    }
  };
  if (looks_json(name, text)) {
    std::string padded(text);
    padded.resize(text.size() + kJsonPadding, '\0');
    read_json(std::string_view(padded.data(), text.size()), scratch, sink);
  } else {
    read_yaml(name, text, scratch, sink);
  }
}

}  // namespace

std::vector<PathStep> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      const std::string_view inside = path.substr(
          i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1);
      if (inside.size() >= 2 && inside.front() == '"' && inside.back() == '"') {
        steps.push_back({inside.substr(1, inside.size() - 2), -1});  // ["1"]: a key of digits
      } else if (all_digits(inside)) {
        int index = 0;
        for (char c : inside) index = index * 10 + (c - '0');
        steps.push_back({{}, index});
      } else {
        steps.push_back({inside, -1});
      }
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    steps.push_back({path.substr(i, end - i), -1});
    i = end;
  }
  return steps;
}

std::string path_key(std::string_view key) {
  const bool bracket = key.find_first_of("./[]") != std::string_view::npos;
  return bracket ? "[" + std::string(key) + "]" : "." + std::string(key);
}

LineStarts::LineStarts(std::string_view text) : size_(text.size()) {
  starts_.push_back(0);
  for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
    starts_.push_back(at + 1);
}

std::size_t LineStarts::offset(SourcePos pos) const {
  if (pos.line == 0 || pos.line > starts_.size()) return size_;
  return std::min(size_, starts_[pos.line - 1] + (pos.column > 0 ? pos.column - 1 : 0));
}

SourcePos LineStarts::position(std::size_t offset) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - starts_.begin());
  return SourcePos{static_cast<std::uint32_t>(line),
                   static_cast<std::uint32_t>(offset - starts_[line - 1] + 1)};
}

std::string_view text_at(std::string_view text, const LineStarts& lines, SourcePos pos) {
  if (pos.line == 0) return {};
  const std::size_t at = lines.offset(pos);
  if (at >= text.size()) return {};
  std::size_t end = text.find('\n', at);
  if (end == std::string_view::npos) end = text.size();
  std::string_view rest = text.substr(at, end - at);
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  return rest;
}

std::string_view text_at(std::string_view text, SourcePos pos) {
  return text_at(text, LineStarts(text), pos);
}

void locate_fields(const Cluster& cluster, std::span<Finding> findings) {
  // "kind/ns/name" (kind in lower case) -> object, built only if some evidence names another
  // object than its finding's.
  std::unordered_map<std::string, const Object*> by_name;
  auto other = [&](std::string_view ref, std::string_view ns) -> const Object* {
    if (by_name.empty()) {
      for (const Object& o : cluster.objects()) {
        by_name.emplace(ascii_lower(o.kind) + "/" + std::string(o.ns) + "/" + std::string(o.name),
                        &o);
      }
    }
    const std::size_t slash = ref.find('/');
    if (slash == std::string_view::npos) return nullptr;
    const std::string kind = ascii_lower(ref.substr(0, slash));
    const std::string_view name = ref.substr(slash + 1);
    for (std::string_view n : {ns, std::string_view()}) {
      auto it = by_name.find(kind + "/" + std::string(n) + "/" + std::string(name));
      if (it != by_name.end()) return it->second;
    }
    return nullptr;
  };
  std::map<std::uint32_t, std::vector<Request>> by_file;
  for (Finding& f : findings) {
    const Object* own = nullptr;
    bool own_looked_up = false;
    for (Evidence& e : f.evidence) {
      if (e.kind != Evidence::Kind::kField || e.path.empty() || e.column > 0) continue;
      const Object* o = nullptr;
      if (e.object.empty()) {
        if (!own_looked_up) {
          own = finding_object(cluster, f);
          own_looked_up = true;
        }
        o = own;
      } else {
        o = other(e.object, f.object.ns);
      }
      if (o == nullptr || cluster.source(o->file).empty()) continue;
      e.file = std::string(cluster.file_name(o->file));
      e.line = o->pos.line;
      by_file[o->file].push_back(Request{o->pos, parse_path(e.path), &e});
    }
  }
  for (auto& [file, requests] : by_file) {
    place(cluster.file_name(file), cluster.source(file), requests);
  }
}

}  // namespace ktriage::lint
