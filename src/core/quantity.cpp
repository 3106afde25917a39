#include "core/quantity.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace ktriage {

std::optional<MilliQuantity> parse_quantity(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64) return std::nullopt;
  std::size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  std::size_t digits_end = i;
  bool dot = false;
  while (digits_end < s.size() &&
         ((s[digits_end] >= '0' && s[digits_end] <= '9') || (!dot && s[digits_end] == '.'))) {
    if (s[digits_end] == '.') dot = true;
    ++digits_end;
  }
  if (digits_end == i) return std::nullopt;
  std::string number(s.substr(0, digits_end));
  std::string_view suffix = s.substr(digits_end);
  double mult = 1;
  if (suffix.empty()) {
  } else if (suffix == "m") {
    mult = 1e-3;
  } else if (suffix == "u") {
    mult = 1e-6;
  } else if (suffix == "n") {
    mult = 1e-9;
  } else if (suffix == "k") {
    mult = 1e3;
  } else if (suffix == "M") {
    mult = 1e6;
  } else if (suffix == "G") {
    mult = 1e9;
  } else if (suffix == "T") {
    mult = 1e12;
  } else if (suffix == "P") {
    mult = 1e15;
  } else if (suffix == "E") {
    mult = 1e18;
  } else if (suffix == "Ki") {
    mult = 1024.0;
  } else if (suffix == "Mi") {
    mult = 1024.0 * 1024;
  } else if (suffix == "Gi") {
    mult = 1024.0 * 1024 * 1024;
  } else if (suffix == "Ti") {
    mult = 1024.0 * 1024 * 1024 * 1024;
  } else if (suffix == "Pi") {
    mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
  } else if (suffix == "Ei") {
    mult = 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    char* end = nullptr;
    std::string exp(suffix.substr(1));
    long e = std::strtol(exp.c_str(), &end, 10);
    if (exp.empty() || *end != '\0' || e > 18 || e < -9) return std::nullopt;
    mult = std::pow(10.0, static_cast<double>(e));
  } else {
    return std::nullopt;
  }
  double v = std::strtod(number.c_str(), nullptr) * mult * 1000.0;
  if (!std::isfinite(v) || std::fabs(v) > 9.2e18) return std::nullopt;
  // Kubernetes rounds sub-milli cpu up; ceil keeps "1n" from reading as free.
  return static_cast<MilliQuantity>(std::ceil(v - 1e-9));
}

std::string format_quantity(std::string_view resource, MilliQuantity q) {
  if (resource == "cpu") {
    if (q % 1000 == 0) return fmt::format("{}", q / 1000);
    return fmt::format("{}m", q);
  }
  if (resource == "pods" || resource.find('/') != std::string_view::npos) {
    return fmt::format("{}", q / 1000);
  }
  double bytes = static_cast<double>(q) / 1000.0;
  static constexpr const char* kUnits[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
  int u = 0;
  while (bytes >= 1024.0 && u < 5) {
    bytes /= 1024.0;
    ++u;
  }
  if (std::fabs(bytes - std::round(bytes)) < 0.05) return fmt::format("{:.0f}{}", bytes, kUnits[u]);
  return fmt::format("{:.1f}{}", bytes, kUnits[u]);
}

std::optional<MilliQuantity> milli_from_units(std::int64_t units) noexcept {
  MilliQuantity out = 0;
  if (__builtin_mul_overflow(units, MilliQuantity{1000}, &out)) return std::nullopt;
  return out;
}

std::optional<MilliQuantity> milli_from_number(double units) noexcept {
  const double milli = std::ceil(units * 1000);
  // 2^63 exactly, as a double; every double below it in magnitude converts without overflow.
  constexpr double kLimit = 9223372036854775808.0;
  if (!std::isfinite(milli) || milli >= kLimit || milli < -kLimit) return std::nullopt;
  return static_cast<MilliQuantity>(milli);
}

MilliQuantity add_saturated(MilliQuantity a, MilliQuantity b) noexcept {
  MilliQuantity out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<MilliQuantity>::max()
               : std::numeric_limits<MilliQuantity>::min();
}

}  // namespace ktriage
