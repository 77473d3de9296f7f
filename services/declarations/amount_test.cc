#include "declarations/amount.h"

#include <gtest/gtest.h>

namespace parkline::declarations {
namespace {

TEST(Amount, AmountsFormatWithAtLeastTwoDecimals) {
  EXPECT_EQ(FormatAmount(19050000), "190.50");
  EXPECT_EQ(FormatAmount(1), "0.00001");
  EXPECT_EQ(FormatAmount(0), "0.00");
  EXPECT_EQ(FormatAmount(-310000), "-3.10");
}

TEST(Amount, AmountsParseToFiveFractionDigitsAndNoMore) {
  EXPECT_EQ(*ParseAmount("190.5"), 19050000);
  EXPECT_FALSE(ParseAmount("0.000001").ok());
}

}  // namespace
}  // namespace parkline::declarations
