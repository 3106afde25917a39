// src/core/quantity: milli-units from numbers, and sums that must not wrap.
#include "core/quantity.h"

#include <gtest/gtest.h>

#include <limits>

namespace ktriage {
namespace {

constexpr MilliQuantity kMax = std::numeric_limits<MilliQuantity>::max();
constexpr MilliQuantity kMin = std::numeric_limits<MilliQuantity>::min();

TEST(QuantityTest, MilliFromUnitsIsNulloptOnOverflow) {
  EXPECT_EQ(milli_from_units(2), 2000);
  EXPECT_EQ(milli_from_units(-3), -3000);
  EXPECT_EQ(milli_from_units(kMax / 1000), kMax / 1000 * 1000);
  EXPECT_EQ(milli_from_units(kMax / 1000 + 1), std::nullopt);
  EXPECT_EQ(milli_from_units(kMin), std::nullopt);
}

TEST(QuantityTest, MilliFromNumberKeepsFractionsRoundsUpAndRefusesWhatIsNoQuantity) {
  EXPECT_EQ(milli_from_number(0.5), 500);
  EXPECT_EQ(milli_from_number(2), 2000);
  EXPECT_EQ(milli_from_number(-0.25), -250);
  EXPECT_EQ(milli_from_number(0.0005), 1);  // up to a whole milli-unit, as MilliValue()
  EXPECT_EQ(milli_from_number(1.5e15), 1'500'000'000'000'000'000);
  EXPECT_EQ(milli_from_number(1e16), std::nullopt);  // over int64 milli-units
  EXPECT_EQ(milli_from_number(-1e300), std::nullopt);
  EXPECT_EQ(milli_from_number(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(milli_from_number(std::numeric_limits<double>::infinity()), std::nullopt);
}

TEST(QuantityTest, AddSaturatedHoldsAtTheLimits) {
  EXPECT_EQ(add_saturated(250, 750), 1000);
  EXPECT_EQ(add_saturated(kMax, 1), kMax);
  EXPECT_EQ(add_saturated(kMax - 5, kMax - 5), kMax);
  EXPECT_EQ(add_saturated(kMin, -1), kMin);
  EXPECT_EQ(add_saturated(kMax, kMin), -1);
}

TEST(QuantityTest, ParsesTheUsualSuffixes) {
  EXPECT_EQ(parse_quantity("250m"), 250);
  EXPECT_EQ(parse_quantity("1Ki"), 1024000);
  EXPECT_EQ(parse_quantity("2"), 2000);
  EXPECT_EQ(parse_quantity("8E"), std::nullopt);  // 8e18 units do not fit in milli-units
}

}  // namespace
}  // namespace ktriage
