// Periods of calendar days and their buckets (day, month, year). Pure.
#ifndef PARKLINE_STATISTICS_PERIODS_H_
#define PARKLINE_STATISTICS_PERIODS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "parkline/statistics/v1/statistics.pb.h"

namespace parkline::statistics {

struct DayRange {
  absl::CivilDay from;
  absl::CivilDay to;
  std::string from_text() const;
  std::string to_text() const;
};

// The period of a request; `field` names it in errors. An unset period means `fallback`.
// INVALID_ARGUMENT: a date that does not exist, from after to, or more than 3660 days.
absl::StatusOr<DayRange> ResolvePeriod(const v1::Period& period, const std::string& field,
                                       const DayRange& fallback);

v1::Period ToPeriod(const DayRange& range);

// The bucket a day falls in: "2026-11-27", "2026-11" or "2026".
std::string BucketOf(const std::string& day, v1::Granularity granularity);
// Every bucket of the range, in order.
std::vector<std::string> Buckets(const DayRange& range, v1::Granularity granularity);

// today, month to date, year to date.
DayRange Today(absl::CivilDay today);
DayRange MonthToDate(absl::CivilDay today);
DayRange YearToDate(absl::CivilDay today);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_PERIODS_H_
