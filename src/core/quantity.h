// Kubernetes resource quantities ("100m", "1.5Gi", "2", "1e3").
// Source: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ktriage {

/// A quantity in thousandths of its unit: cpu "250m" -> 250, memory "1Ki" -> 1'024'000.
/// int64 milli-units hold up to 9.2 PB of memory, enough for any node.
using MilliQuantity = std::int64_t;

/// Parses a quantity string. Returns nullopt for malformed text or overflow.
std::optional<MilliQuantity> parse_quantity(std::string_view text) noexcept;

/// A plain number of units (`cpu: 2` written as a number, not a string) in milli-units;
/// nullopt when that overflows, as parse_quantity.
std::optional<MilliQuantity> milli_from_units(std::int64_t units) noexcept;

/// A plain number with a fraction (`cpu: 0.5` in hand-written YAML) in milli-units, rounded up
/// to a whole milli-unit as the API server's MilliValue() does (0.0005 -> 1); nullopt for NaN,
/// infinities and what overflows milli-units.
std::optional<MilliQuantity> milli_from_number(double units) noexcept;

/// a + b held at the int64 limits instead of overflowing: sums of hand-written requests
/// ("9E" twice) must not wrap to a negative request.
MilliQuantity add_saturated(MilliQuantity a, MilliQuantity b) noexcept;

/// Formats milli-units for people: cpu as "250m"/"2", memory-like as "256Mi"/"1.5Gi".
std::string format_quantity(std::string_view resource, MilliQuantity q);

}  // namespace ktriage
