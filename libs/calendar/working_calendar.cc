#include "calendar/working_calendar.h"

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace parkline::calendar {
namespace {

bool ParseDay(const std::string& text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day);
}

bool IsWeekend(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

}  // namespace

absl::StatusOr<WorkingCalendar> WorkingCalendar::FromJson(absl::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("years") ||
      !doc["years"].is_object()) {
    return absl::InvalidArgumentError("calendar: expected an object with \"years\"");
  }
  WorkingCalendar calendar;
  for (const auto& [key, year] : doc["years"].items()) {
    int y = 0;
    if (!absl::SimpleAtoi(key, &y) || y < 1900 || y > 9999 || !year.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat("calendar: year '", key, "' is not a year"));
    }
    calendar.years_[y] = year.value("status", "provisional");
    for (const char* list : {"holidays", "working_days"}) {
      if (!year.contains(list)) continue;
      if (!year[list].is_array()) {
        return absl::InvalidArgumentError(
            absl::StrCat("calendar: ", key, ".", list, " is not a list"));
      }
      bool holiday = std::string(list) == "holidays";
      for (const auto& entry : year[list]) {
        absl::CivilDay day;
        std::string text = entry.is_string() ? entry.get<std::string>() : entry.dump();
        std::string where = absl::StrCat("calendar: ", key, ".", list, " '", text, "'");
        if (!entry.is_string() || !ParseDay(text, &day) || day.year() != y) {
          return absl::InvalidArgumentError(absl::StrCat(where, " is not a date of ", key));
        }
        if (!holiday && !IsWeekend(day)) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, " is a weekday; make-up working days replace a Saturday or Sunday"));
        }
        auto& mine = holiday ? calendar.holidays_ : calendar.working_days_;
        const auto& other = holiday ? calendar.working_days_ : calendar.holidays_;
        if (other.count(day) > 0) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, " is both a holiday and a working day"));
        }
        mine.insert(day);
      }
    }
  }
  return calendar;
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("calendar file ", path, " cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  auto calendar = FromJson(text.str());
  if (!calendar.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", calendar.status().message()));
  }
  return calendar;
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (holidays_.count(day) > 0) return false;
  if (working_days_.count(day) > 0) return true;
  return !IsWeekend(day);
}

absl::CivilDay WorkingCalendar::AddWorkingDays(absl::CivilDay day, int n) const {
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

bool WorkingCalendar::IsOfficial(int year) const {
  auto it = years_.find(year);
  return it != years_.end() && it->second == "official";
}

}  // namespace parkline::calendar
