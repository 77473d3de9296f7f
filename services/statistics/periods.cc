#include "statistics/periods.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "calendar/date.h"

namespace parkline::statistics {
namespace {

std::string Text(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

absl::StatusOr<absl::CivilDay> DayOf(const parkline::common::v1::Date& date,
                                     const std::string& field) {
  if (!calendar::IsValidDate(date.year(), date.month(), date.day())) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", date.year(), "-", date.month(), "-",
                                                   date.day(),
                                                   " is not a calendar date (years 1900..9999)"));
  }
  return absl::CivilDay(date.year(), date.month(), date.day());
}

parkline::common::v1::Date DateOf(absl::CivilDay d) {
  parkline::common::v1::Date date;
  date.set_year(static_cast<int32_t>(d.year()));
  date.set_month(d.month());
  date.set_day(d.day());
  return date;
}

}  // namespace

std::string DayRange::from_text() const { return Text(from); }
std::string DayRange::to_text() const { return Text(to); }

absl::StatusOr<DayRange> ResolvePeriod(const v1::Period& period, const std::string& field,
                                       const DayRange& fallback) {
  if (!period.has_from() && !period.has_to()) return fallback;
  if (!period.has_from() || !period.has_to()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": give both from and to, or neither"));
  }
  auto from = DayOf(period.from(), field + ".from");
  if (!from.ok()) return from.status();
  auto to = DayOf(period.to(), field + ".to");
  if (!to.ok()) return to.status();
  if (*from > *to) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": from ", Text(*from), " is after to ", Text(*to)));
  }
  if (*to - *from >= 3660) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": at most 3660 days (ten years)"));
  }
  return DayRange{*from, *to};
}

v1::Period ToPeriod(const DayRange& range) {
  v1::Period p;
  *p.mutable_from() = DateOf(range.from);
  *p.mutable_to() = DateOf(range.to);
  return p;
}

std::string BucketOf(const std::string& day, v1::Granularity granularity) {
  switch (granularity) {
    case v1::GRANULARITY_MONTH:
      return day.substr(0, 7);
    case v1::GRANULARITY_YEAR:
      return day.substr(0, 4);
    default:
      return day;
  }
}

std::vector<std::string> Buckets(const DayRange& range, v1::Granularity granularity) {
  std::vector<std::string> out;
  for (absl::CivilDay d = range.from; d <= range.to; ++d) {
    std::string bucket = BucketOf(Text(d), granularity);
    if (out.empty() || out.back() != bucket) out.push_back(std::move(bucket));
  }
  return out;
}

DayRange Today(absl::CivilDay today) { return {today, today}; }
DayRange MonthToDate(absl::CivilDay today) {
  return {absl::CivilDay(absl::CivilMonth(today)), today};
}
DayRange YearToDate(absl::CivilDay today) {
  return {absl::CivilDay(absl::CivilYear(today)), today};
}

}  // namespace parkline::statistics
