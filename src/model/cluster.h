// The Cluster: every object once, with the indexes analyzers join on. Built once from Inputs,
// read-only afterwards, so analyzers may run in parallel (STYLE.md practice 6).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "model/event.h"
#include "model/inputs.h"
#include "model/object.h"
#include "model/object_index.h"

namespace ktriage {

/// Read-only view of a snapshot. Every lookup states its cost; none scans all objects.
class Cluster {
 public:
  /// Indexes `inputs` (taking ownership). `now` overrides the snapshot time; without it the
  /// newest timestamp found in events, conditions and container states is used, so a snapshot
  /// reads as it did when taken, whatever the wall clock says.
  static std::unique_ptr<Cluster> build(Inputs inputs, std::optional<UnixSeconds> now = {});

  /// All objects in reading order, a second copy of one (same kind, namespace and name, read
  /// from two inputs) included. O(1).
  std::span<const Object> objects() const { return objects_; }
  /// How many named objects were read again after a first copy (a folder and a bundle of it,
  /// stdin and a folder): same kind, namespace and name, and the same uid (or, without uids, the
  /// same API group). Every index but objects() keeps the first copy only; none when
  /// Inputs::merge_repeats is false (lint). O(1).
  std::size_t repeated_objects() const { return repeated_; }
  /// Objects of one kind ("Pod", "Node", ...), in reading order, each once. O(1) average.
  std::span<const Object* const> of_kind(std::string_view kind) const;
  /// One object by kind, namespace and name ("" namespace for cluster-scoped). O(1) average.
  const Object* find(std::string_view kind, std::string_view ns, std::string_view name) const;
  /// One object by metadata.uid. O(1) average.
  const Object* find_uid(std::string_view uid) const;

  /// Objects whose ownerReferences name `owner` (by uid). O(1) average.
  std::span<const Object* const> children(const Object& owner) const;
  /// The controlling owner (ownerReference with controller: true, else the first), resolved by
  /// uid and then by kind/namespace/name; nullptr when not in the snapshot. O(owner refs).
  const Object* controller(const Object& obj) const;
  /// The top of the controller chain (Pod -> ReplicaSet -> Deployment; Pod -> Job -> CronJob);
  /// `obj` itself when it has no owner in the snapshot. O(chain length).
  const Object& top_owner(const Object& obj) const;

  /// Pods bound to node `name` (spec.nodeName). O(1) average.
  std::span<const Object* const> pods_on_node(std::string_view name) const;
  /// Pods of a namespace. O(1) average.
  std::span<const Object* const> pods_in(std::string_view ns) const;
  /// Candidate pods of namespace `ns` carrying label `key`=`value`: a superset (the index is
  /// keyed by a hash), so callers re-check the labels, as selector matching does anyway.
  /// O(1) average; lets a Service find its pods without scanning the namespace.
  std::span<const Object* const> pods_with_label(std::string_view ns, std::string_view key,
                                                 std::string_view value) const;

  /// Aggregated events about `obj` (matched by uid, else kind/namespace/name), oldest first.
  /// O(1) average.
  std::span<const Event> events_for(const Object& obj) const;
  /// Every aggregated event, grouped by involved object. O(1).
  std::span<const Event> events() const { return events_; }

  /// Container logs of a pod (all containers, current and previous). O(1) average.
  std::span<const ContainerLog* const> logs_for(std::string_view ns, std::string_view pod) const;
  /// One container's log; `previous` selects the last terminated run. O(logs of the pod).
  /// A cluster-info dump log without a container name matches any container.
  const ContainerLog* log(std::string_view ns, std::string_view pod, std::string_view container,
                          bool previous) const;
  std::span<const NodeLog> node_logs() const { return inputs_.node_logs; }
  /// Every container log of the snapshot, also of pods the snapshot has no object for (an
  /// ingress controller's log copied beside the objects).
  std::span<const ContainerLog> container_logs() const { return inputs_.logs; }

  /// The snapshot's "now" (see build). 0 when the snapshot has no timestamp at all.
  UnixSeconds now() const { return now_; }
  /// Whether `now` came from --now rather than from the data.
  bool now_from_flag() const { return now_from_flag_; }
  /// The newest timestamp in the data (what `now` is without --now); 0 when it has none.
  UnixSeconds newest_timestamp() const { return newest_; }
  const std::optional<std::string>& server_version() const { return inputs_.server_version; }
  std::span<const InputIssue> issues() const { return inputs_.issues; }
  /// YAML keys written twice in the input's objects (lint reports them). O(1).
  std::span<const DuplicateKey> duplicate_keys() const { return inputs_.duplicate_keys; }
  /// Decoded Helm v3 release records (every revision read), in reading order. O(1).
  std::span<const HelmRelease> helm_releases() const { return inputs_.helm_releases; }
  /// The registries pull Secret `ns`/`name` holds credentials for; nullptr when the snapshot
  /// has no such Secret of a docker-config type. O(pull Secrets).
  const PullSecretRegistries* pull_secret(std::string_view ns, std::string_view name) const {
    for (const PullSecretRegistries& p : inputs_.pull_secrets) {
      if (p.ns == ns && p.name == name) return &p;
    }
    return nullptr;
  }
  std::string_view file_name(std::uint32_t index) const;

  /// Every Alibaba Cloud CLI answer read from the snapshot (cloud/ files and renamed ones), in
  /// reading order. O(1). Typed views of them are in src/cloud.
  std::span<const CloudDocument> cloud_documents() const { return inputs_.cloud; }
  /// The cloud answers the snapshot holds but could not use, in reading order. O(1).
  std::span<const UnreadableCloudAnswer> unreadable_cloud_answers() const {
    return inputs_.unreadable_cloud;
  }
  /// The answers to one call (`product` lower case, "ecs"; `action` as the CLI spells it,
  /// "DescribeSecurityGroupAttribute"), one per id, in reading order. O(1) average.
  std::span<const CloudDocument* const> cloud_documents(std::string_view product,
                                                        std::string_view action) const;
  /// One answer: the one whose id is `id`; with `id` empty, the first answer to the call whatever
  /// its id. nullptr when the snapshot has none. O(answers to the call).
  const CloudDocument* cloud_document(std::string_view product, std::string_view action,
                                      std::string_view id = {}) const;
  /// The text of object file `index` when the loader kept it (Inputs::keep_sources), else "".
  std::string_view source(std::uint32_t index) const {
    return index < inputs_.sources.size() ? std::string_view(inputs_.sources[index])
                                          : std::string_view();
  }
  std::size_t files_read() const { return inputs_.files_read; }
  std::size_t bytes_read() const { return inputs_.bytes_read; }

 private:
  Cluster() = default;
  /// Fills objects_ on two threads from each RawObject's head (read now when the loader did
  /// not), then frees the RawObjects; returns the newest timestamp among them (0 when none or
  /// when `want_newest` is false).
  UnixSeconds fill_objects(bool want_newest);
  void index_identity();   // by_kind_, by_key_, by_uid_
  void index_ownership();  // children_ and the pod indexes
  void index_events();     // events_ and its indexes; reads only objects_
  void index_logs();
  void index_cloud();  // cloud_by_call_

  // Index keys are views into the loaded data (arenas, Inputs), which the Cluster owns and never
  // moves: no key is copied, which at 500,000 objects saved seconds of allocation.
  template <typename T>
  using Map = std::unordered_map<std::string_view, T>;
  struct Triple {
    std::string_view a, b, c;
    friend bool operator==(const Triple&, const Triple&) = default;
  };
  struct TripleHash {
    std::size_t operator()(const Triple& t) const noexcept;
  };
  template <typename T>
  using TripleMap = std::unordered_map<Triple, T, TripleHash>;
  struct KindNsName {
    Triple operator()(const Object& o) const { return Triple{o.kind, o.ns, o.name}; }
  };
  struct Uid {
    std::string_view operator()(const Object& o) const { return o.uid; }
  };

  Inputs inputs_;  // its objects are freed once objects_ is filled (see fill_objects)
  std::vector<Object> objects_;
  // What Object::root, last_applied and managed_fields point at: the trees' top Values, moved
  // out of the RawObjects (176 bytes each) so that those can be freed before the indexes are
  // built, which then reuse that memory: 100 MB at 150,000 pods. The other two are rare, so they
  // are kept only when set (a deque, for stable addresses).
  std::vector<Value> roots_;
  std::deque<Value> extras_;
  Map<std::vector<const Object*>> by_kind_;
  ObjectIndex<Triple, KindNsName, TripleHash> by_key_;  // (kind, ns, name)
  ObjectIndex<std::string_view, Uid, std::hash<std::string_view>> by_uid_;
  Map<std::vector<const Object*>> children_;  // owner uid -> objects
  Map<std::vector<const Object*>> pods_by_node_;
  Map<std::vector<const Object*>> pods_by_ns_;
  std::unordered_map<std::uint64_t, std::vector<const Object*>> pods_by_label_;
  std::vector<Event> events_;
  Map<std::pair<std::uint32_t, std::uint32_t>> events_by_uid_;  // [begin, end) into events_
  TripleMap<std::pair<std::uint32_t, std::uint32_t>> events_by_key_;
  TripleMap<std::vector<const ContainerLog*>> logs_by_pod_;     // ("", ns, pod)
  TripleMap<std::vector<const CloudDocument*>> cloud_by_call_;  // (product, action, "")
  UnixSeconds now_ = 0;
  UnixSeconds newest_ = 0;
  bool now_from_flag_ = false;
  // Per objects_ entry: a later copy of an object already indexed (index_identity), which the
  // other indexes skip.
  std::vector<bool> repeat_;
  std::size_t repeated_ = 0;
};

/// "kind\0ns\0name": a string key for one object, for callers that keep their own maps.
std::string object_key(std::string_view kind, std::string_view ns, std::string_view name);

}  // namespace ktriage
