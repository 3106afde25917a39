#include "core/source_location.h"

#include <fmt/format.h>

namespace ktriage {

std::string SourceLocation::to_string() const {
  if (pos.line == 0) return file;
  if (pos.column == 0) return fmt::format("{}:{}", file, pos.line);
  return fmt::format("{}:{}:{}", file, pos.line, pos.column);
}

}  // namespace ktriage
