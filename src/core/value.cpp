#include "core/value.h"

#include <charconv>
#include <cstring>

namespace ktriage {

const Value& Value::null_value() noexcept {
  static const Value kNull;
  return kNull;
}

std::int64_t Value::as_int(std::int64_t fallback) const noexcept {
  switch (type_) {
    case Type::kInt:
      return int_;
    case Type::kDouble:
      return static_cast<std::int64_t>(double_);
    case Type::kString: {
      std::int64_t out = 0;
      auto [p, ec] = std::from_chars(str_, str_ + size_, out);
      return (ec == std::errc() && p == str_ + size_) ? out : fallback;
    }
    default:
      return fallback;
  }
}

const Value& Value::operator[](std::string_view key) const noexcept {
  if (type_ != Type::kObject) return null_value();
  // Size and first byte reject almost every other key without a memcmp call.
  const std::size_t n = key.size();
  for (std::uint32_t i = 0; i < size_; ++i) {
    const std::string_view k = members_[i].key;
    if (k.size() == n && (n == 0 || (k[0] == key[0] && std::memcmp(k.data(), key.data(), n) == 0))) {
      return members_[i].value;
    }
  }
  return null_value();
}

bool Value::contains(std::string_view key) const noexcept {
  for (const Member& m : members()) {
    if (m.key == key) return true;
  }
  return false;
}

std::string_view Value::type_name(Type t) noexcept {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kInt:
    case Type::kDouble:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "unknown";
}

}  // namespace ktriage
