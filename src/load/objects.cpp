#include "load/objects.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace ktriage {
namespace {

using Type = Value::Type;

// Expected types of the fields analyzers read. A `*` step means "every element of the array".
// Kept small on purpose: this is not schema validation (that is `lint`), only the guard that
// makes a wrong type a clear message instead of a silently empty field.
struct ShapeRule {
  std::array<std::string_view, 4> path;
  Type type;
};
constexpr ShapeRule kShapeRules[] = {
    {{"metadata"}, Type::kObject},
    {{"metadata", "name"}, Type::kString},
    {{"metadata", "namespace"}, Type::kString},
    {{"metadata", "labels"}, Type::kObject},
    {{"metadata", "annotations"}, Type::kObject},
    {{"metadata", "ownerReferences"}, Type::kArray},
    {{"spec"}, Type::kObject},
    {{"status"}, Type::kObject},
    {{"spec", "containers"}, Type::kArray},
    {{"spec", "containers", "*"}, Type::kObject},
    {{"spec", "containers", "*", "ports"}, Type::kArray},
    {{"spec", "containers", "*", "env"}, Type::kArray},
    {{"spec", "containers", "*", "resources"}, Type::kObject},
    {{"spec", "initContainers"}, Type::kArray},
    {{"spec", "initContainers", "*"}, Type::kObject},
    {{"spec", "volumes"}, Type::kArray},
    {{"spec", "tolerations"}, Type::kArray},
    {{"spec", "taints"}, Type::kArray},
    {{"spec", "ports"}, Type::kArray},
    {{"spec", "template"}, Type::kObject},
    {{"spec", "nodeSelector"}, Type::kObject},
    {{"status", "containerStatuses"}, Type::kArray},
    {{"status", "initContainerStatuses"}, Type::kArray},
    {{"status", "conditions"}, Type::kArray},
    {{"subsets"}, Type::kArray},
    {{"endpoints"}, Type::kArray},
};

bool type_matches(const Value& v, Type want) {
  if (v.is_null()) return true;  // absent or null is always fine
  if (want == Type::kInt || want == Type::kDouble) return v.is_number();
  return v.type() == want;
}

struct ShapeChecker {
  const Locator& locator;
  std::span<const PathStep> prefix;  // path of the object inside the document
  std::string_view file_name;
  std::string_view object_label;
  std::vector<InputIssue>& issues;

  void check(const Value& root) {
    for (const ShapeRule& rule : kShapeRules) {
      std::vector<PathStep> path(prefix.begin(), prefix.end());
      walk(root, rule, 0, path);
    }
  }

  void walk(const Value& v, const ShapeRule& rule, std::size_t depth, std::vector<PathStep>& path) {
    if (depth == rule.path.size() || rule.path[depth].empty()) {
      if (!type_matches(v, rule.type)) report(v, rule, path);
      return;
    }
    std::string_view step = rule.path[depth];
    if (step == "*") {
      int i = 0;
      for (const Value& item : v.items()) {
        path.push_back(PathStep{{}, i++});
        walk(item, rule, depth + 1, path);
        path.pop_back();
      }
      return;
    }
    if (!v.is_object()) return;  // the parent's own rule reports this
    const Value& child = v[step];
    if (child.is_null()) return;
    path.push_back(PathStep{step, -1});
    walk(child, rule, depth + 1, path);
    path.pop_back();
  }

  void report(const Value& v, const ShapeRule& rule, const std::vector<PathStep>& path) {
    std::string dotted;
    for (std::size_t i = prefix.size(); i < path.size(); ++i) {
      if (path[i].index >= 0) {
        dotted += fmt::format("[{}]", path[i].index);
      } else {
        if (!dotted.empty()) dotted += '.';
        dotted += path[i].key;
      }
    }
    InputIssue issue;
    issue.where.file = std::string(file_name);
    issue.where.pos = locator.locate(path);
    issue.message = fmt::format("{}: {} must be {}, found {}; the field is ignored", object_label,
                                dotted, Value::type_name(rule.type), Value::type_name(v.type()));
    issues.push_back(std::move(issue));
  }
};

// The only place that writes into a loaded tree: Secret values are overwritten in the arena and
// detached from the tree, so no report, log or core dump can show them.
void scrub_secret(const Value& secret) {
  for (const Member& m : secret.members()) {
    if (m.key == "data" || m.key == "stringData") {
      for (const Member& entry : m.value.members()) {
        auto& mutable_entry = const_cast<Member&>(entry);
        std::string_view s = entry.value.str();
        if (!s.empty()) std::memset(const_cast<char*>(s.data()), 0, s.size());
        mutable_entry.value = Value::string({});
      }
    }
    if (m.key == "metadata") {
      for (const Member& meta : m.value.members()) {
        if (meta.key != "annotations") continue;
        for (const Member& a : meta.value.members()) {
          if (a.key == "kubectl.kubernetes.io/last-applied-configuration") {
            std::string_view s = a.value.str();
            if (!s.empty()) std::memset(const_cast<char*>(s.data()), 0, s.size());
            const_cast<Member&>(a).value = Value::string({});
          }
        }
      }
    }
  }
}

Value parse_last_applied(const Value& meta, Arena& arena) {
  std::string_view text = meta["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].str();
  if (text.empty()) return Value();
  std::string padded(text);
  padded.resize(text.size() + kJsonPadding, '\0');
  Value out;
  auto errors = read_json(std::string_view(padded.data(), text.size()), arena,
                          [&](const ParsedDocument& d, const Locator&) { out = d.root; });
  return errors.empty() ? out : Value();  // a broken annotation is only a missing hint
}

bool is_list(const Value& v) {
  return v.is_object() && v["items"].is_array() &&
         (v["kind"].str().ends_with("List") || v["kind"].is_null());
}

}  // namespace

DocumentYield add_objects(const ParsedDocument& doc, const Locator& locator, std::uint32_t file,
                          std::string_view name, std::string_view kind_hint, Arena& arena,
                          Inputs& out) {
  DocumentYield yield;
  std::string_view item_kind;  // from a typed List: "PodList" -> "Pod"
  if (std::string_view lk = doc.root["kind"].str(); lk.size() > 4 && lk.ends_with("List")) {
    item_kind = arena.copy(lk.substr(0, lk.size() - 4));
  } else if (doc.root["kind"].is_null() && !kind_hint.empty()) {
    item_kind = arena.copy(kind_hint);
  }
  auto add_one = [&](const Value& obj, SourcePos pos, std::span<const PathStep> prefix) {
    if (!obj.is_object()) {
      out.issues.push_back(InputIssue{{std::string(name), pos}, "not an object; skipped", false});
      return;
    }
    std::string_view kind = obj["kind"].str();
    if (kind.empty()) kind = item_kind;
    if (kind.empty()) {
      out.issues.push_back(
          InputIssue{{std::string(name), pos}, "object without `kind`; skipped", false});
      return;
    }
    const Value& meta = obj["metadata"];
    std::string_view obj_name = meta["name"].str();
    std::string label =
        obj_name.empty() ? std::string(kind)
                         : fmt::format("{} {}{}{}", kind, meta["namespace"].str(),
                                       meta["namespace"].str().empty() ? "" : "/", obj_name);
    ShapeChecker checker{locator, prefix, name, label, out.issues};
    checker.check(obj);
    if (kind == "Secret") scrub_secret(obj);
    RawObject raw{obj, file, pos, Value(), kind};
    if (kind != "Secret") raw.last_applied = parse_last_applied(meta, arena);
    out.objects.push_back(raw);
    ++yield.objects;
  };

  const Value& root = doc.root;
  if (is_list(root)) {
    yield.looked_like_objects = true;
    const auto items = root["items"].items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      SourcePos pos = i < doc.item_pos.size() ? doc.item_pos[i] : doc.root_pos;
      PathStep steps[] = {{"items", -1}, {{}, static_cast<int>(i)}};
      add_one(items[i], pos, steps);
    }
  } else if (root.is_array()) {
    const auto items = root.items();
    bool any_kind = false;
    for (const Value& item : items) any_kind = any_kind || !item["kind"].str().empty();
    if (any_kind) {
      yield.looked_like_objects = true;
      for (std::size_t i = 0; i < items.size(); ++i) {
        SourcePos pos = i < doc.item_pos.size() ? doc.item_pos[i] : doc.root_pos;
        PathStep steps[] = {{{}, static_cast<int>(i)}};
        add_one(items[i], pos, steps);
      }
    }
  } else if (root.is_object()) {
    yield.looked_like_objects = true;
    add_one(root, doc.root_pos, {});
  } else if (!root.is_null()) {
    yield.looked_like_objects = false;
  }
  return yield;
}

}  // namespace ktriage
