#include "model/object_head.h"

namespace ktriage {

UnixSeconds newest_time_of(const Value& root, std::string_view kind) {
  UnixSeconds newest = 0;
  auto see = [&](const Value& v) {
    if (auto t = parse_rfc3339(v.str()); t && *t > newest) newest = *t;
  };
  see(root["metadata"]["creationTimestamp"]);
  if (kind != "Pod" && kind != "Node") return newest;
  const Value& status = root["status"];
  for (const Value& c : status["conditions"].items()) {
    see(c["lastTransitionTime"]);
    see(c["lastHeartbeatTime"]);
  }
  for (const char* list : {"containerStatuses", "initContainerStatuses"}) {
    for (const Value& cs : status[list].items()) {
      const Value& state = cs["state"];
      see(state["running"]["startedAt"]);
      see(state["terminated"]["finishedAt"]);
      see(cs["lastState"]["terminated"]["finishedAt"]);
    }
  }
  return newest;
}

ObjectHead read_object_head(const Value& root, std::string_view list_kind) {
  const Value& meta = root["metadata"];
  ObjectHead head;
  head.read = true;
  head.kind = root["kind"].str();
  if (head.kind.empty()) head.kind = list_kind;
  head.api_version = root["apiVersion"].str();
  head.ns = meta["namespace"].str();
  head.name = meta["name"].str();
  head.uid = meta["uid"].str();
  head.newest = newest_time_of(root, head.kind);
  return head;
}

}  // namespace ktriage
