#include "core/object_ref.h"

#include <cctype>

#include "core/ascii.h"

namespace ktriage {

std::string ObjectRef::kubectl_name() const { return ascii_lower(kind) + "/" + name; }

}  // namespace ktriage
