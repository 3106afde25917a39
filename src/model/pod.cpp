#include "model/pod.h"

#include <fmt/format.h>

#include <algorithm>

namespace ktriage {

std::string ContainerView::spec_path() const {
  return fmt::format(".spec.{}[{}]", init ? "initContainers" : "containers", index);
}

std::string ContainerView::status_path() const {
  if (status_index < 0) return {};
  return fmt::format(".status.{}[{}]", init ? "initContainerStatuses" : "containerStatuses",
                     status_index);
}

const Value& PodView::condition(std::string_view type) const { return pod_.condition(type); }

namespace {

void join(const Value& specs, const Value& statuses, bool init, std::vector<ContainerView>& out) {
  int i = 0;
  for (const Value& spec : specs.items()) {
    ContainerView c;
    c.name = spec["name"].str();
    c.init = init;
    c.index = i++;
    c.spec = &spec;
    int j = 0;
    for (const Value& st : statuses.items()) {
      if (st["name"].str() == c.name) {
        c.status = &st;
        c.status_index = j;
        break;
      }
      ++j;
    }
    out.push_back(c);
  }
}

}  // namespace

std::vector<ContainerView> PodView::containers() const {
  std::vector<ContainerView> out;
  out.reserve(pod_.spec()["initContainers"].size() + pod_.spec()["containers"].size());
  join(pod_.spec()["initContainers"], pod_.status()["initContainerStatuses"], true, out);
  join(pod_.spec()["containers"], pod_.status()["containerStatuses"], false, out);
  return out;
}

std::vector<ContainerView> PodView::app_containers() const {
  std::vector<ContainerView> out;
  out.reserve(pod_.spec()["containers"].size());
  join(pod_.spec()["containers"], pod_.status()["containerStatuses"], false, out);
  return out;
}

std::map<std::string, MilliQuantity, std::less<>> PodView::requests() const {
  std::map<std::string, MilliQuantity, std::less<>> sum;
  auto add = [&sum](std::string_view resource, MilliQuantity q) {
    auto& slot = sum[std::string(resource)];
    slot = add_saturated(slot, q);
  };
  auto requests_of = [](const Value& container) -> const Value& {
    const Value& r = container["resources"]["requests"];
    // Limits without requests default the requests (API server defaulting).
    return r.is_object() ? r : container["resources"]["limits"];
  };
  for (const Value& c : pod_.spec()["containers"].items()) {
    for (const Member& m : requests_of(c).members()) {
      if (auto q = request_quantity(m.value)) add(m.key, *q);
    }
  }
  for (const Value& c : pod_.spec()["initContainers"].items()) {
    for (const Member& m : requests_of(c).members()) {
      if (auto q = request_quantity(m.value)) {
        auto& slot = sum[std::string(m.key)];
        slot = std::max(slot, *q);
      }
    }
  }
  for (const Member& m : pod_.spec()["overhead"].members()) {
    if (auto q = parse_quantity(m.value.str())) add(m.key, *q);
  }
  return sum;
}

std::optional<MilliQuantity> request_quantity(const Value& v) {
  if (v.type() == Value::Type::kInt) return milli_from_units(v.as_int());
  if (v.type() == Value::Type::kDouble) return milli_from_number(v.as_double());
  return parse_quantity(v.str());
}

}  // namespace ktriage
