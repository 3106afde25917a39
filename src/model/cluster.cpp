#include "model/cluster.h"

#include <algorithm>
#include <functional>
#include <thread>
#include <unordered_set>

namespace ktriage {

std::string object_key(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string key;
  key.reserve(kind.size() + ns.size() + name.size() + 2);
  key.append(kind).push_back('\0');
  key.append(ns).push_back('\0');
  key.append(name);
  return key;
}

std::size_t Cluster::TripleHash::operator()(const Triple& t) const noexcept {
  const std::hash<std::string_view> h;
  std::size_t x = h(t.a);
  x = x * 0x9E3779B97F4A7C15ULL ^ h(t.b);
  x = x * 0x9E3779B97F4A7C15ULL ^ h(t.c);
  return x;
}

namespace {

// (namespace, name) of an object, for sets that only need identity within one kind.
using NsName = std::pair<std::string_view, std::string_view>;
struct NsNameHash {
  std::size_t operator()(const NsName& k) const noexcept {
    const std::hash<std::string_view> h;
    return h(k.first) * 0x9E3779B97F4A7C15ULL ^ h(k.second);
  }
};

std::uint64_t label_hash(std::string_view ns, std::string_view key, std::string_view value) {
  const std::hash<std::string_view> h;
  std::uint64_t x = h(ns);
  x = x * 0x9E3779B97F4A7C15ULL ^ h(key);
  x = x * 0x9E3779B97F4A7C15ULL ^ h(value);
  return x;
}

}  // namespace

std::unique_ptr<Cluster> Cluster::build(Inputs inputs, std::optional<UnixSeconds> now) {
  std::unique_ptr<Cluster> c(new Cluster());
  c->inputs_ = std::move(inputs);
  // Loading is over: the indexes below reuse the intern tables' memory.
  for (const auto& arena : c->inputs_.arenas) arena->end_interning();
  // The newest timestamp is wanted with --now too: a --now far from it is worth a note.
  const UnixSeconds newest_object = c->fill_objects(true);
  // The indexes below touch disjoint members, so they are built on two threads. At 150,000 pods
  // and 300,000 events, Events take about 0.9 s (normalising, sorting, folding) and the rest
  // about 0.75 s (identity 0.3 s, ownership and labels 0.45 s).
  UnixSeconds newest_event = 0;
  std::thread second([&c, &newest_event] {
    c->index_events();
    for (const Event& e : c->events_)
      newest_event = std::max(newest_event, e.last_seen.value_or(0));
  });
  c->index_identity();
  c->index_ownership();
  c->index_logs();
  c->index_cloud();
  second.join();
  c->now_from_flag_ = now.has_value();
  c->newest_ = std::max(newest_object, newest_event);
  c->now_ = now ? *now : c->newest_;
  return c;
}

UnixSeconds Cluster::fill_objects(bool want_newest) {
  objects_.resize(inputs_.objects.size());
  roots_.resize(inputs_.objects.size());
  auto fill = [this, want_newest](std::size_t from, std::size_t to, UnixSeconds& newest) {
    for (std::size_t i = from; i < to; ++i) {
      const RawObject& raw = inputs_.objects[i];
      Object& o = objects_[i];
      roots_[i] = raw.root;
      o.root = &roots_[i];
      const ObjectHead head = raw.head.read ? raw.head : read_object_head(raw.root, raw.kind);
      o.kind = head.kind;
      o.api_version = head.api_version;
      o.ns = head.ns;
      o.name = head.name;
      o.uid = head.uid;
      o.file = raw.file;
      o.pos = raw.pos;
      if (want_newest) newest = std::max(newest, head.newest);
    }
  };
  const std::size_t half = objects_.size() / 2;
  UnixSeconds newest_first = 0, newest_second = 0;
  std::thread first_half(fill, 0, half, std::ref(newest_first));
  fill(half, objects_.size(), newest_second);
  first_half.join();
  // Objects default to the shared null Value for these two; few have either.
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    const RawObject& raw = inputs_.objects[i];
    if (!raw.last_applied.is_null())
      objects_[i].last_applied = &extras_.emplace_back(raw.last_applied);
    if (!raw.managed_fields.is_null())
      objects_[i].managed_fields = &extras_.emplace_back(raw.managed_fields);
  }
  std::vector<RawObject>().swap(inputs_.objects);
  // Pointers into objects_ are stable from here on.
  return std::max(newest_first, newest_second);
}

namespace {

// "apps" of "apps/v1"; "" for the core group ("v1"). Groups that served the same kinds before
// moving (extensions -> apps, networking.k8s.io; events.k8s.io for core Events) read as one.
std::string_view api_group(std::string_view api_version) {
  const auto slash = api_version.find('/');
  std::string_view group = slash == std::string_view::npos ? "" : api_version.substr(0, slash);
  if (group == "extensions" || group == "networking.k8s.io") return "apps";
  if (group == "events.k8s.io") return "";
  return group;
}

// Whether `later` is another copy of `first` (same kind, namespace and name): the same uid when
// both have one, else the same API group. A Knative Service and a core Service of one name are
// two objects.
bool same_object(const Object& first, const Object& later) {
  if (!first.uid.empty() && !later.uid.empty()) return first.uid == later.uid;
  return api_group(first.api_version) == api_group(later.api_version);
}

}  // namespace

void Cluster::index_identity() {
  by_key_.reserve(objects_.size());
  by_uid_.reserve(objects_.size());
  // Objects come file by file, so runs of one kind: look the kind up only when it changes.
  std::string_view last_kind;
  std::vector<const Object*>* kind_list = nullptr;
  repeat_.assign(objects_.size(), false);
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    const Object& o = objects_[i];
    // The same object read twice (a folder and a bundle of it, stdin and a folder): the first
    // one wins, and the second is in no index, or its pods and events would count twice.
    // Nameless objects (a manifest's generateName) are each their own.
    if (!by_key_.insert(o) && !o.name.empty() && inputs_.merge_repeats &&
        same_object(*by_key_.find(Triple{o.kind, o.ns, o.name}), o)) {
      repeat_[i] = true;
      ++repeated_;
      continue;
    }
    if (kind_list == nullptr || o.kind != last_kind) {
      kind_list = &by_kind_[o.kind];
      last_kind = o.kind;
    }
    kind_list->push_back(&o);
    if (!o.uid.empty()) by_uid_.insert(o);
  }
}

void Cluster::index_ownership() {
  children_.reserve(objects_.size());
  // Pods come listed by namespace, so the last namespace's list is usually the one to append to.
  std::string_view last_ns;
  std::vector<const Object*>* ns_pods = nullptr;
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    if (repeat_[i]) continue;
    const Object& o = objects_[i];
    const Value& meta = o.metadata();
    for (const Value& ref : meta["ownerReferences"].items()) {
      std::string_view uid = ref["uid"].str();
      if (!uid.empty()) children_[uid].push_back(&o);
    }
    if (o.kind == "Pod") {
      if (ns_pods == nullptr || o.ns != last_ns) {
        ns_pods = &pods_by_ns_[o.ns];
        last_ns = o.ns;
      }
      ns_pods->push_back(&o);
      for (const Member& l : meta["labels"].members()) {
        pods_by_label_[label_hash(o.ns, l.key, l.value.str())].push_back(&o);
      }
      std::string_view node = o.spec()["nodeName"].str();
      if (!node.empty()) pods_by_node_[node].push_back(&o);
    }
  }
  // Owner references without uid (hand-written manifests) resolve by name in controller().
}

namespace {

std::optional<UnixSeconds> time_of(const Value& v) { return parse_rfc3339(v.str()); }

}  // namespace

void Cluster::index_events() {
  // Normalise every Event, then sort by (involved object, reason, message) so repeats are
  // adjacent and fold in one pass; the result stays grouped by object for events_for.
  // Not of_kind("Event"): by_kind_ is being built on the other thread.
  const auto event_count = static_cast<std::size_t>(std::count_if(
      objects_.begin(), objects_.end(), [](const Object& o) { return o.kind == "Event"; }));
  std::vector<Event> raw;
  raw.reserve(event_count);
  // The same Event read twice (a dump folder and its own .tar.gz) must not double its count:
  // an Event object is identified by namespace and name, like every object. Views, not joined
  // strings: at 300,000 events the copies were a fifth of this function.
  std::unordered_set<NsName, NsNameHash> seen_events;
  seen_events.reserve(event_count);
  for (const Object& event_object : objects_) {
    if (event_object.kind != "Event") continue;
    if (!event_object.name.empty() &&
        !seen_events.emplace(event_object.ns, event_object.name).second)
      continue;
    const Object* obj = &event_object;
    const Value& root = *obj->root;
    Event e;
    e.object = obj;
    const bool v1 = obj->api_version == "events.k8s.io/v1" || root.contains("regarding");
    const Value& involved = v1 ? root["regarding"] : root["involvedObject"];
    e.kind = involved["kind"].str();
    e.ns = involved["namespace"].str();
    // Events about cluster-scoped objects live in "default" (or the reporter's namespace); the
    // object itself has none.
    const bool cluster_scoped = e.kind == "Node" || e.kind == "PersistentVolume" ||
                                e.kind == "Namespace" || e.kind == "StorageClass" ||
                                e.kind == "ClusterRole" || e.kind == "CustomResourceDefinition";
    if (e.ns.empty() && !cluster_scoped) e.ns = obj->ns;
    if (cluster_scoped) e.ns = {};
    e.name = involved["name"].str();
    e.uid = involved["uid"].str();
    e.field_path = involved["fieldPath"].str();
    e.reason = root["reason"].str();
    e.type = root["type"].str();
    if (v1) {
      e.message = root["note"].str();
      e.component = root["reportingController"].str();
      const Value& series = root["series"];
      e.count = series.is_object() ? series["count"].as_int(1) : root["deprecatedCount"].as_int(1);
      e.first_seen = time_of(root["deprecatedFirstTimestamp"]);
      if (!e.first_seen) e.first_seen = time_of(root["eventTime"]);
      e.last_seen = time_of(series["lastObservedTime"]);
      if (!e.last_seen) e.last_seen = time_of(root["deprecatedLastTimestamp"]);
      if (!e.last_seen) e.last_seen = time_of(root["eventTime"]);
    } else {
      e.message = root["message"].str();
      e.component = root["source"]["component"].str();
      if (e.component.empty()) e.component = root["reportingComponent"].str();
      const Value& series = root["series"];
      e.count = root["count"].as_int(0);
      if (e.count <= 0) e.count = series.is_object() ? series["count"].as_int(1) : 1;
      e.first_seen = time_of(root["firstTimestamp"]);
      if (!e.first_seen) e.first_seen = time_of(root["eventTime"]);
      e.last_seen = time_of(series["lastObservedTime"]);
      if (!e.last_seen) e.last_seen = time_of(root["lastTimestamp"]);
      if (!e.last_seen) e.last_seen = e.first_seen;
    }
    if (!e.first_seen) e.first_seen = e.last_seen;
    if (e.count < 1) e.count = 1;
    raw.push_back(e);
  }
  auto same_object = [](const Event& a, const Event& b) {
    return a.uid == b.uid && a.kind == b.kind && a.ns == b.ns && a.name == b.name;
  };
  // Sorted as positions, not Events: moving 4 bytes instead of a 192-byte Event per swap. The
  // order is the one std::sort gives the Events themselves, as the same comparisons are made,
  // so which repeat represents a folded group does not change.
  std::vector<std::uint32_t> order(raw.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&raw](std::uint32_t x, std::uint32_t y) {
    const Event& a = raw[x];
    const Event& b = raw[y];
    // (uid, kind, ns, name, reason, message) compared once per field, not twice as tie does.
    for (auto field :
         {&Event::uid, &Event::kind, &Event::ns, &Event::name, &Event::reason, &Event::message}) {
      if (const int c = (a.*field).compare(b.*field); c != 0) return c < 0;
    }
    return false;
  });
  // Into that order in place, one cycle of the permutation at a time, and folded in place:
  // a second vector of Events was 58 MB of fresh memory at 300,000 events, and on the bench VM
  // the kernel's zeroing of fresh pages was a third of this function.
  for (std::uint32_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Event held = raw[start];
    std::uint32_t at = start;
    for (;;) {
      const std::uint32_t from = order[at];
      order[at] = at;
      if (from == start) {
        raw[at] = held;
        break;
      }
      raw[at] = raw[from];
      at = from;
    }
  }
  std::size_t kept = 0;
  for (const Event& e : raw) {
    if (kept > 0 && same_object(raw[kept - 1], e) && raw[kept - 1].reason == e.reason &&
        raw[kept - 1].message == e.message) {
      Event& agg = raw[kept - 1];
      agg.count += e.count;
      if (e.first_seen && (!agg.first_seen || *e.first_seen < *agg.first_seen))
        agg.first_seen = e.first_seen;
      if (e.last_seen && (!agg.last_seen || *e.last_seen > *agg.last_seen))
        agg.last_seen = e.last_seen;
      continue;
    }
    raw[kept++] = e;
  }
  raw.resize(kept);
  events_ = std::move(raw);
  events_by_uid_.reserve(events_.size());
  events_by_key_.reserve(events_.size());
  for (std::size_t i = 0; i < events_.size();) {
    std::size_t j = i;
    while (j < events_.size() && same_object(events_[j], events_[i])) ++j;
    // Oldest first within an object, as kubectl describe lists them. Most groups are in order
    // already; stable_sort allocates a buffer per call, which per object added up.
    const auto first = events_.begin() + static_cast<std::ptrdiff_t>(i);
    const auto last = events_.begin() + static_cast<std::ptrdiff_t>(j);
    auto older = [](const Event& a, const Event& b) {
      return a.last_seen.value_or(0) < b.last_seen.value_or(0);
    };
    if (!std::is_sorted(first, last, older)) std::stable_sort(first, last, older);
    const Event& e = events_[i];
    auto range = std::make_pair(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
    if (!e.uid.empty()) events_by_uid_.emplace(e.uid, range);
    auto [it, inserted] = events_by_key_.emplace(Triple{e.kind, e.ns, e.name}, range);
    if (!inserted && e.uid.empty()) it->second = range;  // uid-less events win the name slot
    i = j;
  }
}

void Cluster::index_logs() {
  for (const ContainerLog& log : inputs_.logs) {
    logs_by_pod_[Triple{{}, log.ns, log.pod}].push_back(&log);
  }
}

std::span<const Object* const> Cluster::of_kind(std::string_view kind) const {
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? std::span<const Object* const>() : std::span(it->second);
}

const Object* Cluster::find(std::string_view kind, std::string_view ns,
                            std::string_view name) const {
  return by_key_.find(Triple{kind, ns, name});
}

const Object* Cluster::find_uid(std::string_view uid) const {
  if (uid.empty()) return nullptr;
  return by_uid_.find(uid);
}

std::span<const Object* const> Cluster::children(const Object& owner) const {
  if (owner.uid.empty()) return {};
  auto it = children_.find(owner.uid);
  return it == children_.end() ? std::span<const Object* const>() : std::span(it->second);
}

const Object* Cluster::controller(const Object& obj) const {
  const Value* chosen = nullptr;
  for (const Value& ref : obj.metadata()["ownerReferences"].items()) {
    if (chosen == nullptr || ref["controller"].as_bool()) chosen = &ref;
    if (ref["controller"].as_bool()) break;
  }
  if (chosen == nullptr) return nullptr;
  if (const Object* o = find_uid((*chosen)["uid"].str())) return o;
  return find((*chosen)["kind"].str(), obj.ns, (*chosen)["name"].str());
}

const Object& Cluster::top_owner(const Object& obj) const {
  const Object* cur = &obj;
  for (int hops = 0; hops < 8; ++hops) {  // bounded: owner cycles exist in broken data
    const Object* up = controller(*cur);
    if (up == nullptr || up == cur) break;
    cur = up;
  }
  return *cur;
}

std::span<const Object* const> Cluster::pods_on_node(std::string_view name) const {
  auto it = pods_by_node_.find(name);
  return it == pods_by_node_.end() ? std::span<const Object* const>() : std::span(it->second);
}

std::span<const Object* const> Cluster::pods_in(std::string_view ns) const {
  auto it = pods_by_ns_.find(ns);
  return it == pods_by_ns_.end() ? std::span<const Object* const>() : std::span(it->second);
}

std::span<const Object* const> Cluster::pods_with_label(std::string_view ns, std::string_view key,
                                                        std::string_view value) const {
  auto it = pods_by_label_.find(label_hash(ns, key, value));
  return it == pods_by_label_.end() ? std::span<const Object* const>() : std::span(it->second);
}

std::span<const Event> Cluster::events_for(const Object& obj) const {
  const std::pair<std::uint32_t, std::uint32_t>* range = nullptr;
  if (!obj.uid.empty()) {
    if (auto it = events_by_uid_.find(obj.uid); it != events_by_uid_.end()) range = &it->second;
  }
  if (range == nullptr) {
    if (auto it = events_by_key_.find(Triple{obj.kind, obj.ns, obj.name});
        it != events_by_key_.end()) {
      range = &it->second;
    }
  }
  if (range == nullptr) return {};
  return std::span<const Event>(events_).subspan(range->first, range->second - range->first);
}

std::span<const ContainerLog* const> Cluster::logs_for(std::string_view ns,
                                                       std::string_view pod) const {
  auto it = logs_by_pod_.find(Triple{{}, ns, pod});
  return it == logs_by_pod_.end() ? std::span<const ContainerLog* const>() : std::span(it->second);
}

const ContainerLog* Cluster::log(std::string_view ns, std::string_view pod,
                                 std::string_view container, bool previous) const {
  const ContainerLog* any = nullptr;
  for (const ContainerLog* l : logs_for(ns, pod)) {
    if (l->previous != previous) continue;
    if (l->container == container) return l;
    if (l->container.empty()) any = l;
  }
  return any;
}

void Cluster::index_cloud() {
  for (const CloudDocument& d : inputs_.cloud) {
    cloud_by_call_[Triple{d.product, d.action, {}}].push_back(&d);
  }
}

std::span<const CloudDocument* const> Cluster::cloud_documents(std::string_view product,
                                                               std::string_view action) const {
  auto it = cloud_by_call_.find(Triple{product, action, {}});
  if (it == cloud_by_call_.end()) return {};
  return it->second;
}

const CloudDocument* Cluster::cloud_document(std::string_view product, std::string_view action,
                                             std::string_view id) const {
  for (const CloudDocument* d : cloud_documents(product, action)) {
    if (id.empty() || d->id == id) return d;
  }
  return nullptr;
}

std::string_view Cluster::file_name(std::uint32_t index) const {
  return index < inputs_.files.size() ? std::string_view(inputs_.files[index]) : std::string_view();
}

}  // namespace ktriage
