// JSON documents through simdjson On-Demand, walked once into the Value tree.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "load/document.h"
#include "load/json_syntax.h"
#include "load/line_index.h"
#include "load/managed_fields.h"

namespace ktriage {
namespace {

namespace od = simdjson::ondemand;
static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

// Thrown inside this file only; read_json turns it into a ParseError.
struct JsonFailure {
  simdjson::error_code code;
  const char* where;  // nullptr when simdjson cannot say
};

class JsonBuilder {
 public:
  JsonBuilder(std::string_view data, Arena& arena) : data_(data), arena_(arena), lines_(data) {}

  // Builds the root; records item positions for `{"items": [...]}` and top-level arrays.
  ParsedDocument build_root(od::document& doc) {
    ParsedDocument out;
    out.root_pos = {1, 1};
    od::json_type type{};
    check(doc.type().get(type), doc_location(doc));
    if (type == od::json_type::object) {
      od::object obj;
      check(doc.get_object().get(obj), doc_location(doc));
      out.root = build_object(obj, /*depth=*/0, &out.item_pos);
    } else if (type == od::json_type::array) {
      od::array arr;
      check(doc.get_array().get(arr), doc_location(doc));
      out.root = build_array(arr, 0, &out.item_pos);
    }
    // A scalar at the top level is valid JSON but never a Kubernetes object: root stays null.
    return out;
  }

 private:
  static const char* doc_location(od::document& doc) {
    const char* p = nullptr;
    if (doc.current_location().get(p) != simdjson::SUCCESS) return nullptr;
    return p;
  }
  static void check(simdjson::error_code e, const char* where) {
    if (e != simdjson::SUCCESS) throw JsonFailure{e, where};
  }
  static const char* location_of(od::value& v) {
    const char* p = nullptr;
    if (v.current_location().get(p) != simdjson::SUCCESS) return nullptr;
    return p;
  }

  // Whether an object may be one copy shared by equal objects (Arena::share: the replicas of a
  // workload repeat most of their spec), is stored for itself, or is stored for itself with its
  // string values too (not interned, so that a wipe can zero them).
  enum class Storage { kShared, kOwnCopy, kOwnStrings };

  // The objects that a Secret's scrub writes into after loading (objects.cpp): its data and
  // stringData, whose values it zeroes, and metadata.annotations. Their kind is not known yet
  // ("data" comes before "kind" in kubectl's order), so these keys get it whatever the object.
  static Storage storage_for(std::string_view key) {
    if (key == "data" || key == "stringData") return Storage::kOwnStrings;
    return key == "annotations" ? Storage::kOwnCopy : Storage::kShared;
  }

  // Keys whose string values hardly ever repeat from one object to the next: times, versions,
  // addresses. Not "uid": an ownerReference's repeats in every replica, and an involvedObject's
  // in every Event about that object. Their values are copied, not interned: at 150,000 pods a
  // lookup in the intern table that finds nothing cost more than the copy, and the strings filled
  // the bounded table that the values which do repeat (images, names of containers, label values)
  // need.
  static bool unique_valued(std::string_view key) {
    switch (key.size()) {
      case 2:
        return key == "ip";
      case 5:
        return key == "podIP";
      case 9:
        return key == "startedAt" || key == "startTime" || key == "eventTime";
      case 10:
        return key == "finishedAt";
      case 11:
        return key == "containerID";
      case 13:
        return key == "lastTimestamp" || key == "lastProbeTime";
      case 14:
        return key == "firstTimestamp" || key == "lastUpdateTime";
      case 15:
        return key == "resourceVersion";
      case 17:
        return key == "creationTimestamp" || key == "deletionTimestamp" ||
               key == "lastHeartbeatTime";
      case 18:
        return key == "lastTransitionTime";
      default:
        return false;
    }
  }

  SourcePos pos_of(const char* p) {
    if (p == nullptr || p < data_.data() || p > data_.data() + data_.size()) return {};
    return lines_.position(static_cast<std::size_t>(p - data_.data()));
  }

  Value build_value(od::value v, int depth, Storage storage = Storage::kShared,
                    bool own_string = false) {
    if (depth > kMaxDepth) throw JsonFailure{simdjson::DEPTH_ERROR, location_of(v)};
    od::json_type type{};
    const char* here = location_of(v);
    check(v.type().get(type), here);
    switch (type) {
      case od::json_type::object: {
        od::object obj;
        check(v.get_object().get(obj), here);
        return build_object(obj, depth, nullptr, storage);
      }
      case od::json_type::array: {
        od::array arr;
        check(v.get_array().get(arr), here);
        return build_array(arr, depth, nullptr);
      }
      case od::json_type::string: {
        std::string_view s;
        check(v.get_string().get(s), here);
        return Value::string(own_string ? arena_.copy(s) : arena_.intern(s));
      }
      case od::json_type::number: {
        od::number_type nt{};
        check(v.get_number_type().get(nt), here);
        if (nt == od::number_type::signed_integer) {
          std::int64_t i = 0;
          check(v.get_int64().get(i), here);
          return Value::integer(i);
        }
        double d = 0;
        if (nt == od::number_type::unsigned_integer) {
          std::uint64_t u = 0;
          check(v.get_uint64().get(u), here);
          return Value::number(static_cast<double>(u));
        }
        check(v.get_double().get(d), here);
        return Value::number(d);
      }
      case od::json_type::boolean: {
        bool b = false;
        check(v.get_bool().get(b), here);
        return Value::boolean(b);
      }
      case od::json_type::null: {
        bool is_null = false;
        check(v.is_null().get(is_null), here);
        if (!is_null) throw JsonFailure{simdjson::N_ATOM_ERROR, here};
        return Value();
      }
    }
    throw JsonFailure{simdjson::INCORRECT_TYPE, here};
  }

  Value build_object(od::object& obj, int depth, std::vector<SourcePos>* item_pos,
                     Storage storage = Storage::kShared) {
    const std::size_t mark = members_.size();
    for (auto field_result : obj) {
      od::field field;
      check(std::move(field_result).get(field), nullptr);
      std::string_view key;
      check(field.unescaped_key().get(key), nullptr);
      const Key stored_key = arena_.key(key);
      Value child;
      if (key == "managedFields") {
        child = build_managed_fields(field.value());
        if (child.is_null()) continue;
      } else if (item_pos != nullptr && depth == 0 && key == "items") {
        od::value v = field.value();
        od::json_type type{};
        check(v.type().get(type), location_of(v));
        od::array arr;
        if (type == od::json_type::array && v.get_array().get(arr) == simdjson::SUCCESS) {
          child = build_array(arr, depth + 1, item_pos);
        } else {
          child = build_value(v, depth + 1);
        }
      } else {
        child = build_value(field.value(), depth + 1, storage_for(key),
                            storage == Storage::kOwnStrings || unique_valued(key));
      }
      members_.push_back(Member{stored_key, child});
    }
    const auto n = static_cast<std::uint32_t>(members_.size() - mark);
    const Member* stored = storage == Storage::kShared ? arena_.share(members_.data() + mark, n)
                                                       : arena_.copy(members_.data() + mark, n);
    members_.resize(mark);
    return Value::object(stored, n);
  }

  // Only apiVersion, manager and operation of each entry, deduplicated (managed_fields.h);
  // fieldsV1, the bulk, is skipped unread: simdjson moves past what is not requested.
  Value build_managed_fields(od::value v) {
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return Value();
    managed_.clear();
    for (auto element_result : arr) {
      od::value element;
      check(std::move(element_result).get(element), nullptr);
      od::object entry;
      if (element.get_object().get(entry) != simdjson::SUCCESS) continue;
      ManagedEntry e;
      for (auto field_result : entry) {
        od::field field;
        check(std::move(field_result).get(field), nullptr);
        std::string_view* into = nullptr;
        if (field.key() == "apiVersion") {
          into = &e.api_version;
        } else if (field.key() == "manager") {
          into = &e.manager;
        } else if (field.key() == "operation") {
          into = &e.operation;
        }
        if (into != nullptr && field.value().get_string().get(*into) != simdjson::SUCCESS)
          *into = {};
      }
      if (!e.api_version.empty()) managed_.push_back(e);
    }
    return compact_managed_fields(managed_, arena_);
  }

  Value build_array(od::array& arr, int depth, std::vector<SourcePos>* item_pos) {
    const std::size_t mark = values_.size();
    for (auto element_result : arr) {
      od::value element;
      check(std::move(element_result).get(element), nullptr);
      if (item_pos != nullptr) item_pos->push_back(pos_of(location_of(element)));
      Value child = build_value(element, depth + 1);
      values_.push_back(child);
    }
    const auto n = static_cast<std::uint32_t>(values_.size() - mark);
    const Value* stored = arena_.share(values_.data() + mark, n);
    values_.resize(mark);
    return Value::array(stored, n);
  }

  static constexpr int kMaxDepth = 256;
  std::string_view data_;
  Arena& arena_;
  LineIndex lines_;
  std::vector<Member> members_;
  std::vector<Value> values_;
  std::vector<ManagedEntry> managed_;
};

class JsonLocator final : public Locator {
 public:
  JsonLocator(od::document& doc, std::string_view data) : doc_(doc), data_(data) {}
  SourcePos locate(std::span<const PathStep> path) const override {
    std::string pointer;
    for (const PathStep& s : path) {
      pointer.push_back('/');
      if (s.index >= 0) {
        pointer += std::to_string(s.index);
      } else {
        for (char c : s.key) {
          if (c == '~') {
            pointer += "~0";
          } else if (c == '/') {
            pointer += "~1";
          } else {
            pointer.push_back(c);
          }
        }
      }
    }
    doc_.rewind();
    od::value v;
    if (doc_.at_pointer(pointer).get(v) != simdjson::SUCCESS) return {};
    const char* p = nullptr;
    if (v.current_location().get(p) != simdjson::SUCCESS) return {};
    LineIndex lines(data_);
    return lines.position(static_cast<std::size_t>(p - data_.data()));
  }

 private:
  od::document& doc_;
  std::string_view data_;
};

std::string describe(simdjson::error_code code) {
  switch (code) {
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "unexpected end of JSON (truncated file?)";
    case simdjson::TAPE_ERROR:
      return "JSON syntax error";
    case simdjson::UNCLOSED_STRING:
      return "unterminated string";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8 (binary file?)";
    case simdjson::EMPTY:
      return "no JSON value (empty file)";
    case simdjson::TRAILING_CONTENT:
      return "a second JSON value starts here: only the first was read (write one object or "
             "List per file, or YAML documents separated by ---)";
    case simdjson::DEPTH_ERROR:
      return "JSON nested too deeply";
    default:
      return std::string("JSON error: ") + simdjson::error_message(code);
  }
}

}  // namespace

struct JsonReader::State {
  od::parser parser;
};

JsonReader::JsonReader() : state_(std::make_unique<State>()) {}
JsonReader::~JsonReader() = default;
JsonReader::JsonReader(JsonReader&&) noexcept = default;
JsonReader& JsonReader::operator=(JsonReader&&) noexcept = default;

std::vector<ParseError> read_json(std::string_view data, Arena& arena, const DocumentSink& sink) {
  JsonReader reader;
  return reader.read(data, arena, sink);
}

std::vector<ParseError> JsonReader::read(std::string_view data, Arena& arena,
                                         const DocumentSink& sink) {
  std::vector<ParseError> errors;
  od::parser& parser = state_->parser;
  simdjson::padded_string_view padded(data.data(), data.size(),
                                      data.size() + simdjson::SIMDJSON_PADDING);
  od::document doc;
  auto fail = [&](simdjson::error_code code, const char* where) {
    LineIndex lines(data);
    // A syntax error simdjson places at the end of the document, or cannot place, may be
    // anywhere: nlohmann's parser finds the first wrong byte (a real cut stays at the end).
    if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || code == simdjson::TAPE_ERROR ||
        where == nullptr) {
      if (const auto located = locate_json_syntax_error(data); located && !located->at_end) {
        errors.push_back(ParseError{lines.position(located->offset), located->message});
        return;
      }
    }
    // A document cut short is wrong where it ends, not where the parser stood (its start).
    if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) where = nullptr;
    SourcePos pos;
    if (where != nullptr && where >= data.data() && where <= data.data() + data.size()) {
      pos = lines.position(static_cast<std::size_t>(where - data.data()));
    } else {
      pos = lines.position(data.size());
    }
    errors.push_back(ParseError{pos, describe(code)});
  };
  if (auto e = parser.iterate(padded).get(doc); e != simdjson::SUCCESS) {
    fail(e, nullptr);
    return errors;
  }
  try {
    JsonBuilder builder(data, arena);
    ParsedDocument parsed = builder.build_root(doc);
    // A second document after the first ("{...}\n{...}", files concatenated): said, not
    // silently dropped. Asked before the sink, whose locator moves the document.
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) != simdjson::SUCCESS) trailing = nullptr;
    JsonLocator locator(doc, data);
    sink(parsed, locator);
    if (trailing != nullptr) fail(simdjson::TRAILING_CONTENT, trailing);
  } catch (const JsonFailure& f) {
    const char* where = f.where;
    if (where == nullptr) {
      const char* p = nullptr;
      if (doc.current_location().get(p) == simdjson::SUCCESS) where = p;
    }
    fail(f.code, where);
  }
  return errors;
}

}  // namespace ktriage
