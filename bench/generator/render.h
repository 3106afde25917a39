// Renderers: each writes one object of the plan as kubectl prints it (keys in Go's order).
// They read the plan and never change it, so any thread may call them for any index; an
// object's bytes depend only on the plan and its index.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "json_writer.h"
#include "plan.h"

namespace gen {

void render_pod(Json& w, const Plan& plan, size_t pod_index);
void render_node(Json& w, const Plan& plan, size_t node_index);
void render_deployment(Json& w, const Plan& plan, size_t dep_index);
void render_replicaset(Json& w, const Plan& plan, size_t dep_index);
void render_service(Json& w, const Plan& plan, size_t dep_index);
void render_endpoints(Json& w, const Plan& plan, size_t dep_index);
void render_configmap(Json& w, const Plan& plan, size_t configmap_index);
void render_event(Json& w, const Plan& plan, size_t event_index);

// `kubectl version -o json` (2-space indent, struct field order).
std::string render_version_json();

// --- shared by the renderers (render_spec.cpp, render_common.cpp) ---

// The pod spec of Deployment d; with pod == nullptr the template form (no nodeName, service
// account, default tolerations or projected token volume), as Deployments and ReplicaSets show.
void render_pod_spec(Json& w, const Plan& plan, const Deployment& d, const Pod* pod,
                     size_t pod_index);
// The pod template labels of d; with_hash adds pod-template-hash.
void render_pod_labels(Json& w, const Plan& plan, const Deployment& d, bool with_hash);
// Pod template annotations (pods and templates show the same).
void render_pod_annotations(Json& w, const Deployment& d);
// A volume mount of a container, as its spec and (since 1.31) its status list it.
struct Mount {
  std::string path;
  std::string name;
  bool read_only;
};
// Mounts of container c of Deployment d; api_volume (empty in templates) is the token volume.
std::vector<Mount> container_mounts(const Deployment& d, const Container& c,
                                    const std::string& api_volume);
// "resources": {limits, requests} of a container (its spec, and its status since 1.33).
void render_container_resources(Json& w, const Container& c);
// Name of the projected service-account token volume of a pod ("kube-api-access-xxxxx").
std::string api_access_volume(const Plan& plan, size_t pod_index);
// "sha256:..." digest of container ci's image in Deployment d.
std::string image_digest(const Plan& plan, const Deployment& d, size_t ci);
// Canonical quantities: 250 -> "250m", 2000 -> "2"; 512 -> "512Mi", 1024 -> "1Gi".
std::string cpu_quantity(int64_t millis);
std::string mem_quantity(int64_t mebibytes);
// The ConfigMap a Deployment mounts and reads APP_CONFIG from.
inline std::string config_map_name(const Deployment& d) { return d.name + "-config"; }
// "123456789": a resourceVersion drawn from rng.
std::string resource_version(Rng& rng);
// metadata.ownerReferences with one controller owner.
void render_owner(Json& w, std::string_view api_version, std::string_view kind,
                  std::string_view name, std::string_view uid);
// The text of the injected image-pull error (containerd's "not found").
std::string image_pull_error(std::string_view image);
// The waiting message of a CreateContainerConfigError pod.
std::string config_key_error(const Plan& plan, const Deployment& d);

}  // namespace gen
