#include "apiserver/snapshot.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "apiserver/json_writer.h"
#include "load/source.h"

namespace ktriage::testing {

std::pair<std::size_t, std::size_t> StoredResource::range(std::string_view ns) const {
  if (ns.empty()) return {0, objects.size()};
  auto lo = std::lower_bound(objects.begin(), objects.end(), ns,
                             [](const StoredObject& o, std::string_view n) { return o.ns < n; });
  auto hi = std::upper_bound(lo, objects.end(), ns,
                             [](std::string_view n, const StoredObject& o) { return n < o.ns; });
  return {static_cast<std::size_t>(lo - objects.begin()),
          static_cast<std::size_t>(hi - objects.begin())};
}

const StoredObject* StoredResource::find(std::string_view ns, std::string_view name) const {
  auto it =
      std::lower_bound(objects.begin(), objects.end(), std::pair(ns, name),
                       [](const StoredObject& o, std::pair<std::string_view, std::string_view> k) {
                         return std::pair<std::string_view, std::string_view>(o.ns, o.name) < k;
                       });
  if (it == objects.end() || it->ns != ns || it->name != name) return nullptr;
  return &*it;
}

const StoredResource* Snapshot::find(std::string_view group, std::string_view version,
                                     std::string_view plural) const {
  for (const StoredResource& r : resources) {
    if (r.type.group == group && r.type.version == version && r.type.plural == plural) return &r;
  }
  return nullptr;
}

const ResourceType* Snapshot::find_type(std::string_view group, std::string_view version,
                                        std::string_view plural) const {
  for (const ResourceType& t : types) {
    if (t.group == group && t.version == version && t.plural == plural) return &t;
  }
  return nullptr;
}

namespace {

// The list-item form of `root`: every member but kind/apiVersion (kept for custom kinds), and
// where `.metadata` landed.
StoredObject serialize(const Value& root, const ResourceType& type) {
  StoredObject o;
  o.root = root;
  o.ns = std::string(root["metadata"]["namespace"].str());
  o.name = std::string(root["metadata"]["name"].str());
  std::string& out = o.json;
  out.push_back('{');
  bool first = true;
  if (!type.builtin) {
    out += R"("kind":)";
    append_json_string(out, type.kind);
    out += R"(,"apiVersion":)";
    append_json_string(out, type.group_version());
    first = false;
  }
  for (const Member& m : root.members()) {
    if (m.key == "kind" || m.key == "apiVersion") continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, m.key);
    out.push_back(':');
    const std::size_t start = out.size();
    append_json(out, m.value);
    if (m.key == "metadata") {
      o.metadata_offset = static_cast<std::uint32_t>(start);
      o.metadata_length = static_cast<std::uint32_t>(out.size() - start);
    }
  }
  if (o.metadata_length == 0) {  // every object has metadata on a real server
    if (!first) out.push_back(',');
    out += R"("metadata":)";
    o.metadata_offset = static_cast<std::uint32_t>(out.size());
    out += "{}";
    o.metadata_length = 2;
  }
  out.push_back('}');
  return o;
}

// A real cluster has a Namespace object for every namespace in use, and clients look them up
// (kubectl 1.32 checks the namespace after a failed get). Snapshots often hold none: add one,
// as kube-apiserver would show it, for each namespace some object names and no Namespace covers.
void add_missing_namespaces(Inputs& inputs) {
  std::set<std::string> used, present;
  for (const RawObject& raw : inputs.objects) {
    std::string_view kind = raw.root["kind"].str();
    if (kind.empty()) kind = raw.kind;
    if (kind == "Namespace") present.emplace(raw.root["metadata"]["name"].str());
    std::string_view ns = raw.root["metadata"]["namespace"].str();
    if (!ns.empty()) used.emplace(ns);
  }
  std::string list = R"({"kind":"NamespaceList","apiVersion":"v1","items":[)";
  bool any = false;
  for (const std::string& ns : used) {
    if (present.count(ns) > 0) continue;
    list += any ? "," : "";
    any = true;
    list += R"({"kind":"Namespace","apiVersion":"v1","metadata":{"name":)";
    append_json_string(list, ns);
    list += R"(,"labels":{"kubernetes.io/metadata.name":)";
    append_json_string(list, ns);
    list += R"(}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})";
  }
  list += "]}";
  if (any) load_buffer("(namespaces added by the test API server).json", list, inputs);
}

// kube-apiserver serves every Event through both APIs (one storage, two versions). Snapshots hold
// each in one form; add the core/v1 view of each events.k8s.io/v1 Event, renamed as the API
// server's conversion does (k8s.io/kubernetes pkg/apis/events/v1 conversion), so that a client
// listing /api/v1/events sees them all, as it would on a cluster.
void add_core_views_of_events(Inputs& inputs) {
  static const std::pair<std::string_view, std::string_view> kRenames[] = {
      {"regarding", "involvedObject"},
      {"note", "message"},
      {"deprecatedCount", "count"},
      {"deprecatedFirstTimestamp", "firstTimestamp"},
      {"deprecatedLastTimestamp", "lastTimestamp"},
      {"deprecatedSource", "source"},
      {"reportingController", "reportingComponent"},
  };
  std::string list = R"({"kind":"EventList","apiVersion":"v1","items":[)";
  bool any = false;
  for (const RawObject& raw : inputs.objects) {
    const Value& root = raw.root;
    if (root["apiVersion"].str() != "events.k8s.io/v1" || root["kind"].str() != "Event") continue;
    list += any ? "," : "";
    any = true;
    list += R"({"kind":"Event","apiVersion":"v1")";
    for (const Member& m : root.members()) {
      if (m.key == "kind" || m.key == "apiVersion") continue;
      std::string_view key = m.key;
      for (const auto& [from, to] : kRenames) key = key == from ? to : key;
      list.push_back(',');
      append_json_string(list, key);
      list.push_back(':');
      append_json(list, m.value);
    }
    list.push_back('}');
  }
  list += "]}";
  if (any) load_buffer("(core/v1 views of events.k8s.io Events).json", list, inputs);
}

}  // namespace

Expected<std::unique_ptr<Snapshot>> load_snapshot(const std::string& folder,
                                                  const std::string& default_version) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return Unexpected(std::string("snapshot folder not found: ") + folder);
  }
  auto snap = std::make_unique<Snapshot>();
  const std::string paths[] = {folder};
  snap->inputs = load_sources(paths);
  snap->git_version = snap->inputs.server_version.value_or(default_version);
  snap->types = builtin_resource_types();
  add_missing_namespaces(snap->inputs);
  add_core_views_of_events(snap->inputs);

  // Each object goes to the type of its apiVersion's group and its kind; objects without an
  // apiVersion (kind from a file name) to the built-in type of that kind.
  std::vector<std::vector<StoredObject>> by_type(snap->types.size());
  std::int64_t max_rv = 0;
  for (const RawObject& raw : snap->inputs.objects) {
    const Value& root = raw.root;
    if (!root.is_object()) continue;
    std::string_view kind = root["kind"].str();
    if (kind.empty()) kind = raw.kind;
    if (kind.empty()) continue;
    std::string_view api_version = root["apiVersion"].str();
    const auto [group, version] = split_api_version(api_version);
    std::size_t index = snap->types.size();
    for (std::size_t i = 0; i < snap->types.size(); ++i) {
      const ResourceType& t = snap->types[i];
      if (t.kind != kind || t.subresource()) continue;
      if (api_version.empty() || t.group == group) {
        index = i;
        break;
      }
    }
    if (index == snap->types.size()) {
      if (api_version.empty()) continue;  // an unknown kind without a group: nowhere to serve it
      ResourceType custom = custom_resource_type(api_version, kind);
      for (std::size_t i = 0; i < snap->types.size(); ++i) {
        const ResourceType& t = snap->types[i];
        if (t.group == custom.group && t.version == custom.version && t.plural == custom.plural) {
          index = i;
        }
      }
      if (index == snap->types.size()) {
        snap->types.push_back(std::move(custom));
        by_type.emplace_back();
      }
    }
    by_type[index].push_back(serialize(root, snap->types[index]));
    std::string_view rv = root["metadata"]["resourceVersion"].str();
    std::int64_t n = 0;
    if (std::from_chars(rv.data(), rv.data() + rv.size(), n).ec == std::errc()) {
      max_rv = std::max(max_rv, n);
    }
  }
  for (std::size_t i = 0; i < snap->types.size(); ++i) {
    const ResourceType& t = snap->types[i];
    if (t.subresource() || t.group == "authorization.k8s.io") continue;
    StoredResource r;
    r.type = t;
    r.objects = std::move(by_type[i]);
    if (!t.namespaced) {
      for (StoredObject& o : r.objects) o.ns.clear();  // a stray namespace would hide the object
    }
    std::stable_sort(r.objects.begin(), r.objects.end(),
                     [](const StoredObject& a, const StoredObject& b) {
                       return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
                     });
    // A name read twice (two files, or a List and a single file) is served once, last one wins.
    std::vector<StoredObject> unique;
    unique.reserve(r.objects.size());
    for (StoredObject& o : r.objects) {
      if (!unique.empty() && unique.back().ns == o.ns && unique.back().name == o.name) {
        unique.back() = std::move(o);
      } else {
        unique.push_back(std::move(o));
      }
    }
    r.objects = std::move(unique);
    snap->resources.push_back(std::move(r));
  }
  snap->resource_version = std::to_string(max_rv + 1);
  for (const ContainerLog& log : snap->inputs.logs) {
    snap->logs[{log.ns, log.pod, log.container, log.previous}] = log.text;
  }
  return snap;
}

}  // namespace ktriage::testing
