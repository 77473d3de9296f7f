#include "calendar/date.h"

#include <gtest/gtest.h>

namespace parkline::calendar {
namespace {

TEST(Date, KnowsLeapYears) {
  EXPECT_TRUE(IsValidDate(2024, 2, 29));
  EXPECT_FALSE(IsValidDate(2023, 2, 29));
  EXPECT_FALSE(IsValidDate(1900, 2, 29));  // divisible by 100, not by 400
  EXPECT_TRUE(IsValidDate(2000, 2, 29));
}

TEST(Date, RejectsOutOfRangeParts) {
  EXPECT_FALSE(IsValidDate(2024, 13, 1));
  EXPECT_FALSE(IsValidDate(2024, 4, 31));
  EXPECT_FALSE(IsValidDate(2024, 1, 0));
  EXPECT_FALSE(IsValidDate(1899, 12, 31));
}

TEST(Date, FormatsIso) { EXPECT_EQ(FormatDate(2024, 3, 7), "2024-03-07"); }

}  // namespace
}  // namespace parkline::calendar
