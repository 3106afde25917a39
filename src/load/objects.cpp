#include "load/objects.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "load/helm_release.h"
#include "load/pull_secret.h"

namespace ktriage {
namespace {

using Type = Value::Type;

// Expected types of the fields analyzers read, as a tree walked once per object: each level
// scans the object's members once and looks each key up in a short table (O(members), not
// O(rules x members)). Kept small on purpose: this is not schema validation (that is `lint`), only
// the guard that makes a wrong type a clear message instead of a silently empty field.
struct Shape {
  std::string_view key;  // "*" = every element of an array
  Type type;
  std::span<const Shape> children;
};
constexpr Shape kContainerFields[] = {
    {"ports", Type::kArray, {}}, {"env", Type::kArray, {}}, {"resources", Type::kObject, {}}};
constexpr Shape kContainerItem[] = {{"*", Type::kObject, kContainerFields}};
constexpr Shape kMetadata[] = {{"name", Type::kString, {}},
                               {"namespace", Type::kString, {}},
                               {"labels", Type::kObject, {}},
                               {"annotations", Type::kObject, {}},
                               {"ownerReferences", Type::kArray, {}}};
constexpr Shape kSpec[] = {{"containers", Type::kArray, kContainerItem},
                           {"initContainers", Type::kArray, kContainerItem},
                           {"volumes", Type::kArray, {}},
                           {"tolerations", Type::kArray, {}},
                           {"taints", Type::kArray, {}},
                           {"ports", Type::kArray, {}},
                           {"template", Type::kObject, {}},
                           {"nodeSelector", Type::kObject, {}},
                           {"rules", Type::kArray, {}}};
constexpr Shape kStatus[] = {{"containerStatuses", Type::kArray, {}},
                             {"initContainerStatuses", Type::kArray, {}},
                             {"conditions", Type::kArray, {}}};
constexpr Shape kRoot[] = {{"metadata", Type::kObject, kMetadata},
                           {"spec", Type::kObject, kSpec},
                           {"status", Type::kObject, kStatus},
                           {"subsets", Type::kArray, {}},
                           {"endpoints", Type::kArray, {}},
                           {"webhooks", Type::kArray, {}},
                           {"involvedObject", Type::kObject, {}},
                           {"regarding", Type::kObject, {}},
                           {"count", Type::kInt, {}}};

bool type_matches(const Value& v, Type want) {
  if (v.is_null()) return true;  // absent or null is always fine
  return v.type() == want;
}

struct ShapeChecker {
  const Locator& locator;
  std::span<const PathStep> prefix;  // path of the object inside the document
  std::string_view file_name;
  std::string_view kind;
  const Value& meta;
  std::vector<InputIssue>& issues;

  void check(const Value& root) {
    std::vector<PathStep> path(prefix.begin(), prefix.end());
    walk(root, kRoot, path);
  }

  void walk(const Value& v, std::span<const Shape> shapes, std::vector<PathStep>& path) {
    if (shapes.empty()) return;
    if (shapes.front().key == "*") {
      int i = 0;
      for (const Value& item : v.items()) {
        path.push_back(PathStep{{}, i++});
        visit(item, shapes.front(), path);
        path.pop_back();
      }
      return;
    }
    for (const Member& m : v.members()) {
      for (const Shape& s : shapes) {
        if (s.key.size() != m.key.size() || s.key != m.key) continue;
        path.push_back(PathStep{s.key, -1});
        visit(m.value, s, path);
        path.pop_back();
        break;
      }
    }
  }

  void visit(const Value& v, const Shape& s, std::vector<PathStep>& path) {
    if (!type_matches(v, s.type)) {
      report(v, s, path);
      return;
    }
    walk(v, s.children, path);
  }

  void report(const Value& v, const Shape& s, const std::vector<PathStep>& path) {
    std::string dotted;
    for (std::size_t i = prefix.size(); i < path.size(); ++i) {
      if (path[i].index >= 0) {
        dotted += fmt::format("[{}]", path[i].index);
      } else {
        if (!dotted.empty()) dotted += '.';
        dotted += path[i].key;
      }
    }
    // Built only on error: formatting a label per object costs more than the check itself.
    std::string_view ns = meta["namespace"].str(), name = meta["name"].str();
    std::string label = name.empty()
                            ? std::string(kind)
                            : fmt::format("{} {}{}{}", kind, ns, ns.empty() ? "" : "/", name);
    InputIssue issue;
    issue.where.file = std::string(file_name);
    issue.where.pos = locator.locate(path);
    issue.message = fmt::format("{}: {} must be {}, found {}; the field is ignored", label, dotted,
                                Value::type_name(s.type), Value::type_name(v.type()));
    issues.push_back(std::move(issue));
  }
};

// The only place that writes into a loaded tree: Secret values are overwritten in the arena and
// detached from the tree, so no report, log or core dump can show them.
// Wipes a string's bytes unless the arena shares them (an interned "postgres" may also be a
// Deployment's name: zeroing it would rename that object).
void wipe(std::string_view s, const Arena& arena) {
  if (!s.empty() && !arena.is_interned(s)) std::memset(const_cast<char*>(s.data()), 0, s.size());
}

void scrub_secret(const Value& secret, const Arena& arena) {
  for (const Member& m : secret.members()) {
    if (m.key == "data" || m.key == "stringData") {
      for (const Member& entry : m.value.members()) {
        auto& mutable_entry = const_cast<Member&>(entry);
        wipe(entry.value.str(), arena);
        // A value that is not a string stays one of its type (without its value): lint still
        // reports `port: 5432` under stringData, which the API server rejects.
        mutable_entry.value = entry.value.is_string() || entry.value.is_null() ? Value::string({})
                              : entry.value.is_bool()   ? Value::boolean(false)
                              : entry.value.is_number() ? Value::integer(0)
                                                        : Value();
      }
    }
    if (m.key == "metadata") {
      for (const Member& meta : m.value.members()) {
        if (meta.key != "annotations") continue;
        for (const Member& a : meta.value.members()) {
          if (a.key == "kubectl.kubernetes.io/last-applied-configuration") {
            wipe(a.value.str(), arena);
            const_cast<Member&>(a).value = Value::string({});
          }
        }
      }
    }
  }
}

Value parse_last_applied(const Value& meta, Arena& arena) {
  std::string_view text =
      meta["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].str();
  if (text.empty()) return Value();
  std::string padded(text);
  padded.resize(text.size() + kJsonPadding, '\0');
  Value out;
  auto errors = read_json(std::string_view(padded.data(), text.size()), arena,
                          [&](const ParsedDocument& d, const Locator&) { out = d.root; });
  return errors.empty() ? out : Value();  // a broken annotation is only a missing hint
}

void add_helm_release(const Value& secret, std::uint32_t file, SourcePos pos,
                      std::string_view file_name, Inputs& out) {
  const Value& meta = secret["metadata"];
  ObjectRef ref{"Secret", std::string(meta["namespace"].str()), std::string(meta["name"].str()),
                std::string(meta["uid"].str())};
  auto release = decode_helm_release(secret);
  if (!release) {
    out.issues.push_back(InputIssue{
        {std::string(file_name), pos},
        fmt::format("Helm release Secret {}/{}: {}; its manifest's API versions were not checked",
                    ref.ns, ref.name, release.error()),
        false});
    return;
  }
  release->secret = std::move(ref);
  release->file = file;
  release->pos = pos;
  out.helm_releases.push_back(std::move(*release));
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
    // An Event must say what it is about (core/v1 involvedObject, events.k8s.io/v1 regarding);
    // without it no finding can name an object, so it is reported and skipped.
    if (kind == "Event" && !obj["involvedObject"]["kind"].is_string() &&
        !obj["regarding"]["kind"].is_string()) {
      out.issues.push_back(InputIssue{
          {std::string(name), pos}, "Event without involvedObject (or regarding); skipped", false});
      return;
    }
    const Value& meta = obj["metadata"];
    ShapeChecker checker{locator, prefix, name, kind, meta, out.issues};
    checker.check(obj);
    if (kind == "Secret") {
      // Helm's release record is read before the values go: upgrade-check needs its manifest's
      // apiVersions (and nothing else of it).
      if (is_helm_release_secret(obj)) add_helm_release(obj, file, pos, name, out);
      // A pull Secret's registry hosts (not its credentials): which registry it serves.
      if (auto pull = pull_secret_registries(obj)) out.pull_secrets.push_back(std::move(*pull));
      scrub_secret(obj, arena);
    }
    RawObject raw{obj, file, pos, Value(), Value(), kind};
    if (kind != "Secret") raw.last_applied = parse_last_applied(meta, arena);
    raw.managed_fields = meta["managedFields"];
    raw.head = read_object_head(obj, kind);
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
  // Duplicate keys belong to the object whose text they are in: the last one starting before.
  const std::size_t added_from = out.objects.size() - yield.objects;
  // A second apiVersion or kind at column 1 is rarely a typo: it is two files run together
  // (`cat a.yaml b.yaml | ktriage diagnose -`) without the `---` that separates documents, and
  // the first file's objects are lost. Then every top-level key written twice is that, not a
  // fault of the manifest.
  auto top_level = [](const ParsedDocument::DuplicateKey& d) {
    return d.again.column == 1 && d.first.column == 1;
  };
  const bool joined = std::any_of(doc.duplicate_keys.begin(), doc.duplicate_keys.end(),
                                  [](const ParsedDocument::DuplicateKey& d) {
                                    return marks_joined_documents(d.key, d.first, d.again);
                                  });
  for (const ParsedDocument::DuplicateKey& d : doc.duplicate_keys) {
    const RawObject* owner = nullptr;
    for (std::size_t i = added_from; i < out.objects.size(); ++i) {
      if (out.objects[i].pos.line <= d.again.line) owner = &out.objects[i];
    }
    DuplicateKey dup;
    dup.file = file;
    dup.key = std::string(d.key);
    dup.first = d.first;
    dup.again = d.again;
    if (owner != nullptr) {
      const Value& meta = owner->root["metadata"];
      dup.object = ObjectRef{
          std::string(owner->root["kind"].str().empty() ? owner->kind : owner->root["kind"].str()),
          std::string(meta["namespace"].str()), std::string(meta["name"].str()),
          std::string(meta["uid"].str())};
    }
    out.issues.push_back(InputIssue{
        {std::string(name), d.again},
        joined && top_level(d)
            ? fmt::format("second top-level `{}` (first at line {}): this looks like files "
                          "joined without a `---` line between them, so the earlier one's "
                          "content is lost; separate the documents with `---` (or give ktriage "
                          "the folder or each file)",
                          d.key, d.first.line)
            : fmt::format("duplicate key `{}` (first at line {}): the later value replaces the "
                          "earlier one, as the API server keeps the last without strict field "
                          "validation",
                          d.key, d.first.line),
        false});
    out.duplicate_keys.push_back(std::move(dup));
  }
  return yield;
}

}  // namespace ktriage
