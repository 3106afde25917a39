#include "core/object_ref.h"

#include <cctype>

namespace ktriage {

std::string ObjectRef::kubectl_name() const {
  std::string k;
  k.reserve(kind.size());
  for (char c : kind) k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return k + "/" + name;
}

}  // namespace ktriage
