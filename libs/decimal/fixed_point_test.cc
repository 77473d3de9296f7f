#include "decimal/fixed_point.h"

#include <gtest/gtest.h>

#include <limits>

namespace parkline::decimal {
namespace {

TEST(FixedPoint, ParsesWholeAndFractional) {
  EXPECT_EQ(*ParseFixed("1250.5", 2), 125050);
  EXPECT_EQ(*ParseFixed("1250", 2), 125000);
  EXPECT_EQ(*ParseFixed("-0.01", 2), -1);
  EXPECT_EQ(*ParseFixed("190.50000", 5), 19050000);
}

TEST(FixedPoint, RejectsMoreFractionDigitsThanTheScale) {
  auto parsed = ParseFixed("1.005", 2);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("more than 2 fraction digits"), std::string::npos);
}

TEST(FixedPoint, RejectsNonNumbers) {
  for (const char* bad : {"", "-", "1.", ".5", "1,5", "1e3", "12a", "1.2.3"}) {
    EXPECT_FALSE(ParseFixed(bad, 2).ok()) << bad;
  }
}

TEST(FixedPoint, RejectsOverflow) {
  EXPECT_FALSE(ParseFixed("92233720368547758.08", 2).ok());
  EXPECT_EQ(*ParseFixed("92233720368547758.07", 2), std::numeric_limits<int64_t>::max());
}

TEST(FixedPoint, FormatsWithExactlyScaleDigits) {
  EXPECT_EQ(FormatFixed(125050, 2), "1250.50");
  EXPECT_EQ(FormatFixed(5, 2), "0.05");
  EXPECT_EQ(FormatFixed(-5, 2), "-0.05");
  EXPECT_EQ(FormatFixed(0, 5), "0.00000");
  EXPECT_EQ(FormatFixed(42, 0), "42");
  EXPECT_EQ(FormatFixed(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
}

TEST(FixedPoint, RoundTrips) {
  for (const char* text : {"0.00", "1.10", "-3.14", "99999999.99"}) {
    EXPECT_EQ(FormatFixed(*ParseFixed(text, 2), 2), text);
  }
}

}  // namespace
}  // namespace parkline::decimal
