#include "statistics/history.h"

#include "absl/strings/str_format.h"

namespace parkline::statistics {

bool ParseDay(const std::string& text, absl::CivilDay* day) {
  return absl::ParseCivilTime(text, day);
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::vector<std::string> DaysToClose(const std::string& first_day,
                                     const std::set<std::string>& closed, absl::Time now,
                                     const absl::TimeZone& zone, absl::Duration grace) {
  absl::CivilDay from;
  if (first_day.empty() || !ParseDay(first_day, &from)) return {};
  // Day D is due once now >= start of D+1 + grace, so the last due day is the day of
  // (now - grace), minus one.
  absl::CivilDay last = absl::ToCivilDay(now - grace, zone) - 1;
  std::vector<std::string> out;
  for (absl::CivilDay d = from; d <= last; ++d) {
    std::string text = DayText(d);
    if (closed.count(text) == 0) out.push_back(std::move(text));
  }
  return out;
}

bool IsBackfill(const std::string& day, absl::Time now, const absl::TimeZone& zone,
                absl::Duration grace) {
  absl::CivilDay d;
  if (!ParseDay(day, &d)) return false;
  return now >= absl::FromCivil(d + 1, zone) + grace + absl::Hours(1);
}

}  // namespace parkline::statistics
