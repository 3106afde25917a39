#include "load/managed_fields.h"

namespace ktriage {

Value compact_managed_fields(const std::vector<ManagedEntry>& entries, Arena& arena) {
  if (entries.empty()) return Value();
  std::vector<Value> items;
  items.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ManagedEntry& e = entries[i];
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) {
      seen = entries[j].api_version == e.api_version && entries[j].manager == e.manager &&
             entries[j].operation == e.operation;
    }
    if (seen) continue;
    Member members[3];
    std::uint32_t n = 0;
    if (!e.api_version.empty())
      members[n++] = Member{arena.key("apiVersion"), Value::string(arena.intern(e.api_version))};
    if (!e.manager.empty())
      members[n++] = Member{arena.key("manager"), Value::string(arena.intern(e.manager))};
    if (!e.operation.empty())
      members[n++] = Member{arena.key("operation"), Value::string(arena.intern(e.operation))};
    items.push_back(Value::object(arena.copy(members, n), n));
  }
  return Value::array(arena.copy(items.data(), items.size()),
                      static_cast<std::uint32_t>(items.size()));
}

}  // namespace ktriage
