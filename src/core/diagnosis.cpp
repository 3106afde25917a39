#include "core/diagnosis.h"

#include <algorithm>
#include <set>

namespace ktriage {

std::vector<const Finding*> symptoms_of(const Diagnosis& d, const std::string& id) {
  std::vector<const Finding*> out;
  for (const Finding& f : d.findings) {
    if (std::find(f.caused_by.begin(), f.caused_by.end(), id) != f.caused_by.end())
      out.push_back(&f);
  }
  return out;
}

std::vector<const Finding*> all_symptoms_of(const Diagnosis& d, const std::string& id) {
  std::set<std::string> seen{id};
  std::vector<std::string> frontier{id};
  std::set<const Finding*> found;
  while (!frontier.empty()) {
    std::string cur = frontier.back();
    frontier.pop_back();
    for (const Finding* f : symptoms_of(d, cur)) {
      if (seen.insert(f->id).second) {
        found.insert(f);
        frontier.push_back(f->id);
      }
    }
  }
  std::vector<const Finding*> out;
  for (const Finding& f : d.findings) {
    if (found.count(&f) > 0) out.push_back(&f);
  }
  return out;
}

std::vector<const Finding*> cause_chain(const Diagnosis& d, const Finding& f) {
  std::vector<const Finding*> out;
  std::set<std::string> seen{f.id};
  const Finding* cur = &f;
  while (cur != nullptr) {
    const Finding* next = nullptr;
    for (const std::string& id : cur->caused_by) {
      auto it = std::find_if(d.findings.begin(), d.findings.end(),
                             [&](const Finding& g) { return g.id == id; });
      if (it != d.findings.end()) {
        next = &*it;
        break;
      }
    }
    if (next == nullptr || !seen.insert(next->id).second) break;
    out.push_back(next);
    cur = next;
  }
  return out;
}

}  // namespace ktriage
