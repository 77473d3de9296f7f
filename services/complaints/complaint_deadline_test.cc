// Committed deadlines in working days: the filing day never counts, the deadline is the end of
// the N-th working day in the park's time zone, holidays and make-up days count as the calendar
// says, and the per-category targets can be configured but not nonsensically.
#include "complaints/complaint_deadline.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "calendar/calendar_data.h"

namespace parkline::complaints {
namespace {

class ComplaintDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park_));
    auto calendar = WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    deadline_ = std::make_unique<ComplaintDeadline>(*calendar, park_);
  }
  absl::Time At(int y, int m, int d, int hh = 0, int mm = 0) {
    return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), park_);
  }

  absl::TimeZone park_;
  std::unique_ptr<ComplaintDeadline> deadline_;
};

TEST_F(ComplaintDeadlineTest, DefaultsAreDocumented) {
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FACILITIES).acknowledge_days, 1);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FACILITIES).resolve_days, 3);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_CLEARANCE).resolve_days, 5);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FEES).resolve_days, 10);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_OTHER).resolve_days, 10);
}

TEST_F(ComplaintDeadlineTest, FiledBeforeTheSpringFestival) {
  // Thursday 12 February 2026, 10:00: acknowledge by the end of Friday 13th; resolve (3 days)
  // by the end of 13th, make-up Saturday 14th, then Tuesday 24th after the break.
  Deadlines d = deadline_->For(v1::CATEGORY_FACILITIES, At(2026, 2, 12, 10));
  EXPECT_EQ(d.acknowledge_by, At(2026, 2, 14));
  EXPECT_EQ(d.resolve_by, At(2026, 2, 25));
}

TEST_F(ComplaintDeadlineTest, FiledOnAHolidayCountsFromTheNextWorkingDay) {
  Deadlines d = deadline_->For(v1::CATEGORY_CLEARANCE, At(2026, 10, 3, 15));
  EXPECT_EQ(d.acknowledge_by, At(2026, 10, 9));  // end of Thu 8th
  EXPECT_EQ(d.resolve_by, At(2026, 10, 14));     // 8, 9, 10 (make-up Sat), 12, 13
}

TEST_F(ComplaintDeadlineTest, TheParkDayCountsNotTheUtcDay) {
  // 23:30 UTC on Friday 6 March is 07:30 on Saturday 7 March in the park: the day of filing is
  // Saturday, so the first working day is Monday 9th.
  absl::Time filed = absl::FromCivil(absl::CivilMinute(2026, 3, 6, 23, 30), absl::UTCTimeZone());
  EXPECT_EQ(deadline_->After(filed, 1), At(2026, 3, 10));
}

TEST_F(ComplaintDeadlineTest, TargetsAreConfigurablePerCategory) {
  ASSERT_TRUE(deadline_->Configure("facilities=2/4, fees=1/15").ok());
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FACILITIES).acknowledge_days, 2);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FACILITIES).resolve_days, 4);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FEES).resolve_days, 15);
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_LOGISTICS).resolve_days, 5);  // untouched
}

TEST_F(ComplaintDeadlineTest, BadTargetsAreRefusedAndChangeNothing) {
  for (const char* spec : {"parking=1/3", "facilities=3", "facilities=0/3", "facilities=4/3",
                           "facilities=1/61", "facilities=a/b", "=1/2"}) {
    absl::Status s = deadline_->Configure(absl::StrCat("fees=2/12,", spec));
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << spec;
    EXPECT_NE(s.message().find("deadlines"), std::string::npos) << spec;
  }
  EXPECT_EQ(deadline_->TargetsFor(v1::CATEGORY_FEES).resolve_days, 10);
}

}  // namespace
}  // namespace parkline::complaints
