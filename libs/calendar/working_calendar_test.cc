// The working-day calendar on the data shipped with the service: holidays are rest days,
// make-up working days are working days, ordinary weekends rest, and counting working days
// steps over the Spring Festival and National Day breaks as the State Council arranged them.
#include "calendar/working_calendar.h"

#include <gtest/gtest.h>

#include "calendar/calendar_data.h"

namespace parkline::calendar {
namespace {

WorkingCalendar Shipped() {
  auto calendar = WorkingCalendar::FromJson(kBuiltInCalendar);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return calendar.ok() ? *calendar : WorkingCalendar();
}

using Day = absl::CivilDay;

TEST(ComplaintCalendarTest, ShipsTheOfficial2026AndAProvisional2027) {
  WorkingCalendar c = Shipped();
  EXPECT_TRUE(c.Covers(2026));
  EXPECT_TRUE(c.IsOfficial(2026));
  EXPECT_TRUE(c.Covers(2027));
  EXPECT_FALSE(c.IsOfficial(2027)) << "2027 must stay marked provisional until verified";
  EXPECT_FALSE(c.Covers(2028));
}

TEST(ComplaintCalendarTest, HolidaysRestWhateverTheWeekday) {
  WorkingCalendar c = Shipped();
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 1, 1)));   // Thursday, New Year
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 2, 17)));  // Tuesday, Spring Festival
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 2, 23)));  // Monday, last day of the break
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 10, 7)));  // Wednesday, National Day
  EXPECT_FALSE(c.IsWorkingDay(Day(2027, 2, 8)));   // Monday, provisional Spring Festival
}

TEST(ComplaintCalendarTest, MakeUpSaturdaysAndSundaysAreWorkingDays) {
  WorkingCalendar c = Shipped();
  for (Day d : {Day(2026, 1, 4), Day(2026, 2, 14), Day(2026, 2, 28), Day(2026, 5, 9),
                Day(2026, 9, 20), Day(2026, 10, 10)}) {
    EXPECT_TRUE(c.IsWorkingDay(d)) << d;
  }
}

TEST(ComplaintCalendarTest, OrdinaryWeekendsRestAndWeekdaysWork) {
  WorkingCalendar c = Shipped();
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 3, 7)));  // Saturday
  EXPECT_FALSE(c.IsWorkingDay(Day(2026, 3, 8)));  // Sunday
  EXPECT_TRUE(c.IsWorkingDay(Day(2026, 3, 9)));   // Monday
  EXPECT_TRUE(c.IsWorkingDay(Day(2026, 2, 24)));  // Tuesday after the Spring Festival
}

TEST(ComplaintCalendarTest, CountingStepsOverTheSpringFestival) {
  WorkingCalendar c = Shipped();
  // Friday 13 February: the make-up Saturday 14th is the first working day, then the break
  // until Monday 23rd, then Tuesday 24th.
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 2, 13), 1), Day(2026, 2, 14));
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 2, 13), 2), Day(2026, 2, 24));
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 2, 13), 6), Day(2026, 2, 28));  // make-up Saturday
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 2, 13), 7), Day(2026, 3, 2));
}

TEST(ComplaintCalendarTest, CountingStepsOverNationalDayAndItsMakeUpDays) {
  WorkingCalendar c = Shipped();
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 9, 19), 1), Day(2026, 9, 20));  // make-up Sunday
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 9, 30), 1), Day(2026, 10, 8));
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 9, 30), 3), Day(2026, 10, 10));  // make-up Saturday
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 9, 30), 4), Day(2026, 10, 12));
  // The day counted from never counts itself, even when it is a working day.
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 3, 9), 0), Day(2026, 3, 9));
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 3, 9), 1), Day(2026, 3, 10));
}

TEST(ComplaintCalendarTest, CountingCrossesIntoTheNextYear) {
  WorkingCalendar c = Shipped();
  // Thursday 31 December 2026 -> Friday 1 January 2027 is a (provisional) holiday.
  EXPECT_EQ(c.AddWorkingDays(Day(2026, 12, 31), 1), Day(2027, 1, 4));
}

TEST(ComplaintCalendarTest, AYearWithoutDataRestsOnWeekendsOnly) {
  WorkingCalendar c = Shipped();
  EXPECT_TRUE(c.IsWorkingDay(Day(2030, 1, 1)));   // Tuesday: no holiday data for 2030
  EXPECT_FALSE(c.IsWorkingDay(Day(2030, 1, 5)));  // Saturday
  EXPECT_EQ(c.AddWorkingDays(Day(2030, 1, 4), 1), Day(2030, 1, 7));
}

TEST(ComplaintCalendarTest, BadFilesAreRefusedNamingTheDate) {
  auto weekday = WorkingCalendar::FromJson(
      R"({"years":{"2026":{"holidays":[],"working_days":["2026-03-09"]}}})");
  ASSERT_FALSE(weekday.ok());
  EXPECT_NE(weekday.status().message().find("2026-03-09"), std::string::npos);
  EXPECT_NE(weekday.status().message().find("weekday"), std::string::npos);

  auto wrong_year = WorkingCalendar::FromJson(R"({"years":{"2026":{"holidays":["2027-01-01"]}}})");
  ASSERT_FALSE(wrong_year.ok());
  EXPECT_NE(wrong_year.status().message().find("2027-01-01"), std::string::npos);

  auto both = WorkingCalendar::FromJson(
      R"({"years":{"2026":{"holidays":["2026-02-14"],"working_days":["2026-02-14"]}}})");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("both"), std::string::npos);

  EXPECT_FALSE(WorkingCalendar::FromJson("{").ok());
  EXPECT_FALSE(WorkingCalendar::FromJson(R"({"years":{"20x6":{}}})").ok());
  EXPECT_FALSE(WorkingCalendar::FromJson(R"({"years":{"2026":{"holidays":["2026-02-30"]}}})").ok());
  EXPECT_FALSE(WorkingCalendar::Load("/nonexistent/calendar.json").ok());
}

}  // namespace
}  // namespace parkline::calendar
