// The park's working-day calendar (工作日): which civil days in the park's time zone are working
// days, from a data file of public holidays and make-up working days per year
// (data/calendar-cn.json). Saturdays and Sundays are rest days unless the file lists them as
// make-up working days; a listed holiday is a rest day whatever its weekday. A year the file does
// not cover falls back to Saturdays and Sundays only: nothing (a complaint, a corrective action, a
// service request) is refused for want of calendar data, and Covers() lets a service warn about it
// at start. One calendar for the park: the complaints' deadlines, the quality service's corrective
// actions and the support service's request response times count the same working days.
//
// Immutable after construction; thread-safe.
#ifndef PARKLINE_CALENDAR_WORKING_CALENDAR_H_
#define PARKLINE_CALENDAR_WORKING_CALENDAR_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace parkline::calendar {

class WorkingCalendar {
 public:
  // Parses the calendar file's JSON. INVALID_ARGUMENT names the year and date that is wrong: not
  // a date, not in its year, both a holiday and a working day, or a make-up working day that is
  // not a Saturday or Sunday.
  static absl::StatusOr<WorkingCalendar> FromJson(absl::string_view json);
  static absl::StatusOr<WorkingCalendar> Load(const std::string& path);

  // An empty calendar: Saturdays and Sundays are the only rest days.
  WorkingCalendar() = default;

  bool IsWorkingDay(absl::CivilDay day) const;
  // The `n`-th working day after `day` (`day` itself never counts); `day` for n <= 0.
  absl::CivilDay AddWorkingDays(absl::CivilDay day, int n) const;

  // Whether the file has the year, and whether what it has is the official arrangement.
  bool Covers(int year) const { return years_.count(year) > 0; }
  bool IsOfficial(int year) const;

 private:
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> working_days_;
  std::map<int, std::string> years_;  // year -> status ("official", "provisional")
};

}  // namespace parkline::calendar

#endif  // PARKLINE_CALENDAR_WORKING_CALENDAR_H_
