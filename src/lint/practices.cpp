#include "lint/practices.h"

#include <fmt/format.h>

namespace ktriage::lint {

std::vector<PodTemplate> pod_templates(const Cluster& cluster) {
  std::vector<PodTemplate> out;
  for (std::string_view kind :
       {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"}) {
    for (const Object* o : cluster.of_kind(kind)) {
      if (o->metadata()["ownerReferences"].size() > 0) continue;
      if (auto t = pod_template(*o)) out.push_back(std::move(*t));
    }
  }
  return out;
}

std::vector<TemplateContainer> template_containers(const PodTemplate& t) {
  std::vector<TemplateContainer> out;
  for (const auto& [list, init] : {std::pair{"initContainers", true}, {"containers", false}}) {
    int i = 0;
    for (const Value& c : (*t.spec)[list].items()) {
      out.push_back({c["name"].str(), &c, fmt::format("{}.{}[{}]", t.spec_path, list, i++), init});
    }
  }
  return out;
}

bool same_value(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kNull:
      return true;
    case Value::Type::kBool:
      return a.as_bool() == b.as_bool();
    case Value::Type::kInt:
      return a.as_int() == b.as_int();
    case Value::Type::kDouble:
      return a.as_double() == b.as_double();
    case Value::Type::kString:
      return a.str() == b.str();
    case Value::Type::kArray:
      if (a.size() != b.size()) return false;
      for (std::uint32_t i = 0; i < a.size(); ++i) {
        if (!same_value(a[i], b[i])) return false;
      }
      return true;
    case Value::Type::kObject:
      if (a.size() != b.size()) return false;
      for (const Member& m : a.members()) {
        if (!b.contains(m.key) || !same_value(m.value, b[m.key])) return false;
      }
      return true;
  }
  return false;
}

Finding& add_practice_finding(std::vector<Finding>& out, const LintRule& rule, const PodTemplate& t,
                              std::string summary, std::string_view part, std::string path,
                              std::string value, std::string fix) {
  Finding& f = add_finding(out, rule, *t.owner, std::move(summary), part);
  f.evidence.push_back(Evidence::field("", std::move(path), std::move(value)));
  f.fix = std::move(fix);
  return f;
}

}  // namespace ktriage::lint
