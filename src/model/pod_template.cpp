#include "model/pod_template.h"

namespace ktriage {

std::optional<PodTemplate> pod_template(const Object& obj) {
  PodTemplate t;
  t.owner = &obj;
  const Value& spec = obj.spec();
  if (obj.kind == "Pod") {
    t.spec_path = ".spec";
    t.labels = &obj.labels();
    t.spec = &spec;
    std::string_view restart = spec["restartPolicy"].str();
    t.runs_to_completion = !restart.empty() && restart != "Always";
    return t;
  }
  if (obj.kind == "CronJob") {
    const Value& tmpl = spec["jobTemplate"]["spec"]["template"];
    t.spec_path = ".spec.jobTemplate.spec.template.spec";
    t.labels = &tmpl["metadata"]["labels"];
    t.spec = &tmpl["spec"];
    t.runs_to_completion = true;
    return t;
  }
  const bool scaled =
      obj.kind == "Deployment" || obj.kind == "ReplicaSet" || obj.kind == "StatefulSet";
  if (!scaled && obj.kind != "DaemonSet" && obj.kind != "Job") return std::nullopt;
  const Value& tmpl = spec["template"];
  t.spec_path = ".spec.template.spec";
  t.labels = &tmpl["metadata"]["labels"];
  t.spec = &tmpl["spec"];
  // The API server defaults an absent spec.replicas to 1.
  if (scaled) t.replicas = spec["replicas"].is_null() ? 1 : spec["replicas"].as_int(1);
  t.runs_to_completion = obj.kind == "Job";
  return t;
}

std::string labels_path(const PodTemplate& t) {
  constexpr std::string_view kSpec = ".spec";
  if (t.spec_path == kSpec) return ".metadata.labels";
  return t.spec_path.substr(0, t.spec_path.size() - kSpec.size()) + ".metadata.labels";
}

std::string_view effective_namespace(const Object& obj) {
  return obj.ns.empty() ? std::string_view("default") : obj.ns;
}

}  // namespace ktriage
