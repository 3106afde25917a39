// A value or an error: the C++20 stand-in for std::expected used at module edges.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ktriage {

/// Wraps an error value so that Expected<T, E> can be built from it unambiguously.
template <typename E>
struct Unexpected {
  // A constructor, not aggregate initialisation: clang 14 (the fuzz build) has no C++20
  // parenthesised aggregate init, and call sites write Unexpected(e).
  explicit Unexpected(E e) : error(std::move(e)) {}
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;

/// Holds either a T or an E. Read as: `if (!r) report(r.error()); else use(*r);`
template <typename T, typename E = std::string>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename U>
  Expected(Unexpected<U> e)  // NOLINT: implicit by design
      : v_(std::in_place_index<1>, E(std::move(e.error))) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const E& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace ktriage
