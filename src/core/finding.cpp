#include "core/finding.h"

namespace ktriage {

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view s) noexcept {
  if (s == "info") return Severity::kInfo;
  if (s == "warning") return Severity::kWarning;
  if (s == "critical") return Severity::kCritical;
  return std::nullopt;
}

Evidence Evidence::field(std::string object, std::string path, std::string value) {
  Evidence e;
  e.kind = Kind::kField;
  e.object = std::move(object);
  e.path = std::move(path);
  e.value = std::move(value);
  return e;
}

Evidence Evidence::note(std::string text) {
  Evidence e;
  e.kind = Kind::kNote;
  e.value = std::move(text);
  return e;
}

}  // namespace ktriage
